// build.rs: an rpath to libsluice for this package's own tests and
// examples (`cargo test`, `cargo run --example forward` work without
// LD_LIBRARY_PATH). sluice-sys's link-arg does not reach dependents, so the
// directory comes from its `links` metadata (DEP_SLUICE_LIB_DIR). Programs
// that depend on this crate decide their own rpath or install libsluice where
// the loader finds it.
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_SLUICE_LIB_DIR");
    if let Ok(dir) = std::env::var("DEP_SLUICE_LIB_DIR") {
        if !dir.is_empty() && cfg!(unix) {
            println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{dir}");
            println!("cargo:rustc-link-arg-examples=-Wl,-rpath,{dir}");
        }
    }
}
