//! Tells the crate whether the compiler is a nightly one (`cfg(zerocast_nightly)`).
//!
//! The `float-nightly` feature (zerocopy's name) adds `f16`/`f128` impls, which need the
//! unstable `f16` and `f128` language features. `cargo test --all-features` on a stable
//! compiler must keep building, so those features are only switched on when the feature is
//! enabled *and* the compiler accepts `#![feature]`; on stable, `float-nightly` is a no-op.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(zerocast_nightly)");
    println!("cargo::rerun-if-env-changed=RUSTC");
    println!("cargo::rerun-if-changed=build.rs");
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .unwrap_or_default();
    // Nightly and locally built compilers accept `#![feature]`; beta and stable do not.
    if version.contains("-nightly") || version.contains("-dev") {
        println!("cargo::rustc-cfg=zerocast_nightly");
    }
}
