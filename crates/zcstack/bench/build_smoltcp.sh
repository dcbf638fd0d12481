#!/usr/bin/env bash
# Builds smoltcp 0.14's TAP examples used as anchors by tcp_tap.sh and tap_vs_smoltcp.sh:
# `benchmark` (its own TAP throughput benchmark: 1 GB through a kernel client in the same
# process, `reader` = smoltcp sends, `writer` = smoltcp receives) and `server` (echo
# services; built with iface-max-addr-count-3, the default limit of two addresses makes it
# panic at start). The source comes from cargo's registry (fetched through a scratch
# package if it is not there yet) and is copied, so the registry stays untouched.
#
#   crates/zcstack/bench/build_smoltcp.sh OUTDIR
#
# Prints the two binaries' paths. Does not need root.
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
src=$(ls -d "$registry"/*/smoltcp-0.14.0 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
  mkdir -p "$out/fetch/src"
  printf '[package]\nname = "fetch-smoltcp"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nsmoltcp = "=0.14.0"\n[workspace]\n' \
    > "$out/fetch/Cargo.toml"
  : > "$out/fetch/src/lib.rs"
  (cd "$out/fetch" && cargo fetch -q)
  src=$(ls -d "$registry"/*/smoltcp-0.14.0 | head -n 1)
fi
rm -rf "$out/smoltcp-0.14.0"
cp -r "$src" "$out/smoltcp-0.14.0"
cd "$out/smoltcp-0.14.0"
# The crate's own Cargo.lock pins the example dependencies as published.
export CARGO_TARGET_DIR="$out/target"
cargo build -q --release --example benchmark >&2
cargo build -q --release --example server --features iface-max-addr-count-3 >&2
echo "$CARGO_TARGET_DIR/release/examples/benchmark"
echo "$CARGO_TARGET_DIR/release/examples/server"
