// build.rs: finds libsluice and tells cargo how to link it.
//
// 1. SLUICE_LIB_DIR set: link -lsluice from that directory (no pkg-config);
//    the headers are looked for in SLUICE_INCLUDE_DIR, else next to the
//    library (../include), else in this source tree (capi/include).
// 2. Otherwise pkg-config's `sluice` (1.x): set PKG_CONFIG_PATH to
//    <build>/lib/pkgconfig for a build tree, or nothing for an installed one.
//
// Exports for dependents' build scripts (links = "sluice"): DEP_SLUICE_LIB_DIR
// and DEP_SLUICE_INCLUDE. It also warns when src/lib.rs's committed
// declarations differ from the headers found (tests/header_check.rs fails),
// and with SLUICE_SYS_BLESS=1 rewrites them (here, not in the test, so that
// it works even when the stale lib.rs no longer compiles).
mod codegen;

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    for v in ["SLUICE_LIB_DIR", "SLUICE_INCLUDE_DIR", "PKG_CONFIG_PATH", "SLUICE_SYS_BLESS"] {
        println!("cargo:rerun-if-env-changed={v}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=codegen.rs");
    println!("cargo:rerun-if-changed=src/lib.rs");

    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let in_tree_include = manifest.join("../../../capi/include");

    let (lib_dir, include_dir): (PathBuf, Option<PathBuf>) = match env::var_os("SLUICE_LIB_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            println!("cargo:rustc-link-search=native={}", dir.display());
            println!("cargo:rustc-link-lib=dylib=sluice");
            let include = env::var_os("SLUICE_INCLUDE_DIR")
                .map(PathBuf::from)
                .or_else(|| Some(dir.join("../include")).filter(|p| p.join("sluice.h").exists()))
                .or_else(|| Some(in_tree_include.clone()).filter(|p| p.join("sluice.h").exists()));
            (dir, include)
        }
        None => match pkg_config::Config::new().range_version("1.0".."2.0").probe("sluice") {
            Ok(lib) => {
                let dir = lib.link_paths.first().cloned().unwrap_or_default();
                let include = env::var_os("SLUICE_INCLUDE_DIR")
                    .map(PathBuf::from)
                    .or_else(|| lib.include_paths.iter().find(|p| p.join("sluice.h").exists()).cloned());
                (dir, include)
            }
            Err(e) => panic!(
                "sluice-sys: libsluice not found.\n{e}\n\
                 Build it (cmake -S <repo> -B <repo>/build && cmake --build <repo>/build) and set \
                 PKG_CONFIG_PATH=<repo>/build/lib/pkgconfig, or set SLUICE_LIB_DIR to the directory \
                 holding libsluice.so (and SLUICE_INCLUDE_DIR to the one holding sluice.h)."
            ),
        },
    };

    if !lib_dir.as_os_str().is_empty() {
        println!("cargo:lib_dir={}", lib_dir.display());
        // For this crate's own tests only (link-arg never reaches dependents).
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib_dir.display());
    }
    match include_dir {
        Some(inc) => {
            println!("cargo:include={}", inc.display());
            println!("cargo:rustc-env=SLUICE_SYS_INCLUDE_DIR={}", inc.display());
            check_fresh(&manifest, &inc);
        }
        None => {
            println!("cargo:rustc-env=SLUICE_SYS_INCLUDE_DIR=");
            println!("cargo:warning=sluice-sys: sluice.h not found (set SLUICE_INCLUDE_DIR); declarations unchecked");
        }
    }
}

fn check_fresh(manifest: &Path, inc: &Path) {
    let h = inc.join("sluice.h");
    let m = inc.join("sluice_mock.h");
    println!("cargo:rerun-if-changed={}", h.display());
    println!("cargo:rerun-if-changed={}", m.display());
    let (Ok(h), Ok(m)) = (std::fs::read_to_string(&h), std::fs::read_to_string(&m)) else {
        println!("cargo:warning=sluice-sys: cannot read the headers in {}", inc.display());
        return;
    };
    let lib = std::fs::read_to_string(manifest.join("src/lib.rs")).unwrap_or_default();
    let committed = codegen::committed_region(&lib).map(|(a, b)| &lib[a..b]);
    match codegen::generate(&h, &m) {
        Ok(g) if committed == Some(g.as_str()) => {}
        Ok(g) if env::var_os("SLUICE_SYS_BLESS").is_some() => {
            let (a, b) = codegen::committed_region(&lib).expect("src/lib.rs has its @generated markers");
            let new = format!("{}{}{}", &lib[..a], g, &lib[b..]);
            std::fs::write(manifest.join("src/lib.rs"), new).expect("rewrite src/lib.rs");
            println!("cargo:warning=sluice-sys: SLUICE_SYS_BLESS: rewrote src/lib.rs from {}", inc.display());
        }
        Ok(_) => println!(
            "cargo:warning=sluice-sys: src/lib.rs is stale against {}: run \
             SLUICE_SYS_BLESS=1 cargo build -p sluice-sys",
            inc.display()
        ),
        Err(e) => println!("cargo:warning=sluice-sys: cannot parse the headers: {e}"),
    }
}
