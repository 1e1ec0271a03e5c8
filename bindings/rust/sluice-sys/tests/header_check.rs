//! Keeps the committed declarations of src/lib.rs honest against the headers
//! the crate was built with (SLUICE_SYS_INCLUDE_DIR, from build.rs):
//!
//! 1. regenerates the declarations from sluice.h / sluice_mock.h and compares
//!    them with the committed region, text for text (a missing or extra
//!    function, a different parameter type or count, a different code value,
//!    a changed struct: all fail here; `SLUICE_SYS_BLESS=1 cargo build -p
//!    sluice-sys` rewrites the region, in build.rs);
//! 2. compares struct sizes, alignments and field offsets with the layout the
//!    header implies and with what the C compiler prints (a probe program
//!    compiled with $CC or cc), and the constants' values with the compiler's;
//! 3. references every declared function (a missing export fails the link) and
//!    checks the library's own view (version, code names) at run time.
#[path = "../codegen.rs"]
mod codegen;

use std::path::PathBuf;
use std::process::Command;

fn include_dir() -> PathBuf {
    let dir = env!("SLUICE_SYS_INCLUDE_DIR");
    assert!(
        !dir.is_empty(),
        "sluice.h was not found when sluice-sys was built: set SLUICE_INCLUDE_DIR (see build.rs)"
    );
    PathBuf::from(dir)
}

fn headers() -> (String, String) {
    let inc = include_dir();
    let read = |n: &str| {
        std::fs::read_to_string(inc.join(n)).unwrap_or_else(|e| panic!("reading {}: {e}", inc.join(n).display()))
    };
    (read("sluice.h"), read("sluice_mock.h"))
}

fn all_items() -> Vec<codegen::Item> {
    let (h, m) = headers();
    let mut items = codegen::parse_header(&h).expect("sluice.h parses");
    items.extend(codegen::parse_header(&m).expect("sluice_mock.h parses"));
    items
}

#[test]
fn committed_declarations_match_the_headers() {
    let (h, m) = headers();
    let generated = codegen::generate(&h, &m).expect("the headers parse");
    let lib_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let lib = std::fs::read_to_string(&lib_path).unwrap();
    let (a, b) = codegen::committed_region(&lib).expect("src/lib.rs has its @generated markers");
    let committed = &lib[a..b];
    if committed == generated {
        return;
    }
    let (cl, gl): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), generated.lines().collect());
    let first = cl.iter().zip(gl.iter()).position(|(x, y)| x != y).unwrap_or(cl.len().min(gl.len()));
    panic!(
        "src/lib.rs is STALE against {}:\n  first difference at generated line {}:\n  committed: {:?}\n  headers:   {:?}\n\
         Regenerate with: SLUICE_SYS_BLESS=1 cargo build -p sluice-sys \
         (then update the safe crate if an item changed)",
        include_dir().display(),
        first + 1,
        cl.get(first).copied().unwrap_or("<end>"),
        gl.get(first).copied().unwrap_or("<end>")
    );
}

#[test]
fn struct_layout_matches_the_header_rules() {
    let items = all_items();
    let mut expected = codegen::expected_layouts(&items).expect("layout");
    let mut actual: Vec<(String, String, usize)> = sluice_sys::__check::layouts()
        .into_iter()
        .map(|(s, w, n)| (s.to_string(), w.to_string(), n))
        .collect();
    expected.sort();
    actual.sort();
    assert!(!expected.is_empty(), "the headers declare structs");
    assert_eq!(actual, expected, "Rust layout vs the layout sluice.h implies");
}

/// Compiles and runs a C probe; None when no C compiler is available.
fn c_probe() -> Option<String> {
    let items = all_items();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sluice-sys-probe");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("probe.c");
    let exe = dir.join("probe");
    std::fs::write(&src, codegen::c_probe_program(&items)).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let out = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Werror", "-o"])
        .arg(&exe)
        .arg(&src)
        .arg("-I")
        .arg(include_dir())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            eprintln!("WARNING: no C compiler ({cc}: {e}); layout checked against the header rules only");
            return None;
        }
    };
    assert!(out.status.success(), "the probe does not compile:\n{}", String::from_utf8_lossy(&out.stderr));
    let run = Command::new(&exe).output().expect("run the probe");
    assert!(run.status.success());
    Some(String::from_utf8(run.stdout).unwrap())
}

#[test]
fn layout_and_constants_match_the_c_compiler() {
    let Some(text) = c_probe() else { return };
    let mut c_layout = Vec::new();
    let mut c_consts = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        match f[0] {
            "L" => c_layout.push((f[1].to_string(), f[2].to_string(), f[3].parse::<usize>().unwrap())),
            "C" => c_consts.push((f[1].to_string(), f[2].parse::<i64>().unwrap())),
            _ => unreachable!(),
        }
    }
    let mut rs_layout: Vec<(String, String, usize)> =
        sluice_sys::__check::layouts().into_iter().map(|(s, w, n)| (s.into(), w.into(), n)).collect();
    let mut rs_consts: Vec<(String, i64)> =
        sluice_sys::__check::constants().into_iter().map(|(n, v)| (n.into(), v)).collect();
    c_layout.sort();
    rs_layout.sort();
    c_consts.sort();
    rs_consts.sort();
    assert_eq!(rs_layout, c_layout, "Rust layout vs the C compiler's");
    assert_eq!(rs_consts, c_consts, "Rust constants vs the C compiler's");
}

#[test]
fn every_declared_function_is_exported() {
    let declared: Vec<String> = all_items()
        .iter()
        .filter_map(|i| match i {
            codegen::Item::Function { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    let syms = sluice_sys::__check::symbols();
    for (name, addr) in &syms {
        assert_ne!(*addr, 0, "{name} resolved to NULL");
    }
    let mut linked: Vec<String> = syms.iter().map(|(n, _)| n.to_string()).collect();
    let mut want = declared.clone();
    if !cfg!(feature = "mock") {
        let mock = codegen::parse_header(&headers().1).unwrap();
        want.retain(|n| !mock.iter().any(|i| i.name() == n));
    }
    linked.sort();
    want.sort();
    assert_eq!(linked, want);
}

#[test]
fn the_library_agrees_at_run_time() {
    use std::ffi::CStr;
    unsafe {
        assert_eq!(sluice_sys::sluice_version_number(), sluice_sys::SLUICE_VERSION_NUMBER);
        let s = CStr::from_ptr(sluice_sys::sluice_version_string()).to_str().unwrap();
        assert_eq!(
            s,
            format!(
                "{}.{}.{}",
                sluice_sys::SLUICE_VERSION_MAJOR,
                sluice_sys::SLUICE_VERSION_MINOR,
                sluice_sys::SLUICE_VERSION_PATCH
            )
        );
        for (name, code) in sluice_sys::SLUICE_ERR_ALL {
            let got = CStr::from_ptr(sluice_sys::sluice_code_name(*code)).to_str().unwrap();
            assert_eq!(got, *name, "sluice_code_name({code})");
        }
        let unknown = CStr::from_ptr(sluice_sys::sluice_code_name(9999)).to_str().unwrap();
        assert_eq!(unknown, "SLUICE_ERR_UNKNOWN");
    }
}

#[test]
fn codegen_maps_c_types() {
    let items = codegen::parse_header(
        "typedef struct s s_t;\nSLUICE_API const char *f(const uint8_t **a, char **b, void *c, sluice_x_t *const d);\n",
    )
    .unwrap();
    let codegen::Item::Function { params, ret, .. } = &items[1] else { panic!() };
    assert_eq!(codegen::rust_type(ret).unwrap(), "*const c_char");
    let tys: Vec<String> = params.iter().map(|p| codegen::rust_type(&p.ty).unwrap()).collect();
    assert_eq!(tys, ["*mut *const u8", "*mut *mut c_char", "*mut c_void", "*mut sluice_x_t"]);
    assert!(codegen::parse_header("SLUICE_API unsigned long f(void);").is_err(), "unknown types are errors");
    assert!(codegen::parse_header("int x;").is_err(), "unknown declarations are errors");
}
