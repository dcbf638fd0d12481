#!/usr/bin/env bash
# The project's test command (README.md). `.ci/run` installs what this needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "tests (stable)"
cargo test --workspace --all-features

# Miri: the crates that contain or directly exercise unsafe code.
miri_crates=(-p zerocast -p zerocast-packet)
step "miri (stacked borrows, strict provenance)"
MIRIFLAGS="-Zmiri-strict-provenance" cargo +nightly miri test "${miri_crates[@]}" --all-features
step "miri (tree borrows, strict provenance)"
MIRIFLAGS="-Zmiri-strict-provenance -Zmiri-tree-borrows" cargo +nightly miri test "${miri_crates[@]}" --all-features

step "all green"
