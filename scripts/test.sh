#!/usr/bin/env bash
# The project's test command (README.md); CI runs exactly this too (.ci/run).
# It first installs what the tests need (scripts/setup.sh skips whatever is present;
# ZC_SETUP=0 skips the setup), then runs the steps below in order. Each step is one block,
# so a new check is a new `step` block appended before "all green".
set -euo pipefail
cd "$(dirname "$0")/.."

# The header carries the seconds since the start, so a log shows where the time went.
step() { printf '\n=== %s (at %ds) ===\n' "$*" "$SECONDS"; }

if [ "${ZC_SETUP:-1}" = 1 ]; then
  step "setup: install what is missing (scripts/setup.sh)"
  scripts/setup.sh
  # The tools are installed now, so a test that needs one must not pass by skipping.
  export ZC_REQUIRE_ORACLES=${ZC_REQUIRE_ORACLES:-1}
  export ZC_FUZZ_SMOKE=${ZC_FUZZ_SMOKE:-1}
fi
if [ -z "${ZC_SCAPY_PYTHON:-}" ] && [ -x .ci/venv/bin/python ]; then
  export ZC_SCAPY_PYTHON="$PWD/.ci/venv/bin/python"
fi

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "rustdoc (broken or private intra-doc links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

step "tests (stable)"
cargo test --workspace --all-features

# The library crates as crates.io would receive them. Several `-p` at once (cargo >= 1.90)
# package in dependency order, each dependent crate resolving the ones before it from a
# local registry of the fresh .crate files, since none is on crates.io yet; each package is
# built from its .crate. --allow-dirty: this checks packaging, not the work tree's state.
lib_crates=(-p zerocast -p zerocast-derive -p zerocast-packet -p zerocast-wire)
step "cargo package + publish --dry-run (library crates)"
cargo package "${lib_crates[@]}" --allow-dirty
cargo publish --dry-run "${lib_crates[@]}" --allow-dirty

# The declared MSRV (`rust-version` in Cargo.toml; scripts/setup.sh installs it).
msrv=$(sed -n 's/^rust-version *= *"\([0-9.]*\)"/\1/p' Cargo.toml | head -n 1)
step "MSRV: the library crates build with Rust $msrv"
cargo +"$msrv" check "${lib_crates[@]}" --all-features

# zerocopy 0.8.64's own doc examples, run against zerocast under the name `zerocopy` (the
# migration promise of issue 2); skips with a message when zerocopy's source is not fetched.
step "zerocopy doc examples against zerocast"
python3 compat/zerocopy-docs/run.py
# The harness's self-check: the same programs against zerocopy itself must all pass, so a
# misreading of rustdoc's rules cannot hide behind "same as known".
step "zerocopy doc examples against zerocopy (harness self-check)"
python3 compat/zerocopy-docs/run.py --against-zerocopy

# Published zerocopy 0.8 users (virtio-drivers, igvm, netstack3's packet-formats, glam, ...)
# renamed to zerocast: their own tests must give the same results as on zerocopy (issue 2).
# Fetches the pinned sources from crates.io; skips with a message when they cannot be fetched,
# unless ZC_REQUIRE_ORACLES=1. --clean frees its ~1.3 GB of scratch builds at the end.
step "published zerocopy users, renamed to zerocast"
python3 compat/real-crates/run.py --clean

# The nightly-only `float-nightly` feature (f16/f128 impls). `--lib` only: the trybuild
# expectations are written for stable rustc's diagnostics.
step "tests (nightly, float-nightly)"
cargo +nightly test -p zerocast --features float-nightly --lib

# Miri: the crates that contain or directly exercise unsafe code, and the stack core (its
# FakeNetwork scenarios and fuzz property test run with fewer cases under Miri).
# The two aliasing models run side by side: Miri interprets on one thread, so on a
# two-core machine the pair takes the time of the slower one instead of the sum. Tree
# borrows builds into its own target dir (cargo locks one per command) and logs to a file,
# printed whole once it ends, so the two outputs never interleave.
miri_crates=(-p zerocast -p zerocast-packet -p zerocast-derive -p zerocast-stack)
step "miri (stacked and tree borrows, strict provenance, side by side)"
miri_tree_log=$(mktemp)
MIRIFLAGS="-Zmiri-strict-provenance -Zmiri-tree-borrows" CARGO_TARGET_DIR=target/miri-tree \
  cargo +nightly miri test "${miri_crates[@]}" --all-features >"$miri_tree_log" 2>&1 &
miri_tree_pid=$!
trap 'kill "$miri_tree_pid" 2>/dev/null || true' EXIT
echo "--- stacked borrows ---"
MIRIFLAGS="-Zmiri-strict-provenance" cargo +nightly miri test "${miri_crates[@]}" --all-features
miri_tree_status=0
wait "$miri_tree_pid" || miri_tree_status=$?
trap - EXIT
echo "--- tree borrows (at ${SECONDS}s) ---"
cat "$miri_tree_log"
rm -f "$miri_tree_log"
if [ "$miri_tree_status" != 0 ]; then
  echo "miri (tree borrows) failed with status $miri_tree_status" >&2
  exit 1
fi

# Fuzz smoke run: a short coverage-guided run of the whole-frame and structure-aware wire
# targets and of the capture reader (the committed corpora are also replayed by plain
# `cargo test`). Needs cargo-fuzz; mandatory when ZC_FUZZ_SMOKE=1 (set by .ci/run).
if command -v cargo-fuzz >/dev/null 2>&1; then
  fuzz_secs=${ZC_FUZZ_SECONDS:-20}
  for spec in wire:frame wire:build_parse wire:partial zcdump:capture_reader zcdump:dissect_frame zcdump:filter_parse stack:frames stack:tcp_segments; do
    dir=fuzz/${spec%%:*}; target=${spec#*:}
    step "fuzz smoke: $dir $target (${fuzz_secs}s)"
    # Run on a scratch copy of the corpus so the smoke run does not rewrite committed files.
    scratch=$(mktemp -d)
    cp -r "$dir/corpus/$target/." "$scratch/" 2>/dev/null || true
    # The full log is kept until the run ends: on a failure its panic message, the failing
    # input's path and the reproduction command are printed, not only the final stats.
    log=$(mktemp)
    if ! cargo +nightly fuzz run --fuzz-dir "$dir" "$target" "$scratch" -- \
      -max_total_time="$fuzz_secs" -print_final_stats=1 >"$log" 2>&1; then
      grep -E -A12 "panicked at|ERROR: |SUMMARY" "$log" | cut -c1-300 | head -n 60
      grep -E -A3 "Failing input|Reproduce with" "$log" | head -n 12
      rm -rf "$scratch" "$log"
      exit 1
    fi
    tail -n 6 "$log"
    rm -rf "$scratch" "$log"
  done
elif [ "${ZC_FUZZ_SMOKE:-0}" = 1 ]; then
  echo "cargo-fuzz is required (ZC_FUZZ_SMOKE=1) but not installed" >&2
  exit 1
fi

# zcstack against the Linux kernel (issue 11): TAP/TUN devices whose kernel end sits in a
# test-made network namespace; ping, ping -6, socat, ip neigh, tcpdump and tshark on the
# kernel's side (crates/zcstack/tests/kernel_interop.rs, crates/zerocast-tap/tests/
# blocking_udp.rs), and the packet-level testbench (crates/zcstack/tests/testbench.rs: scapy
# frames checked field by field, first against Linux on a veth, then against zcstack).
# Needs root and /dev/net/tun; installs ping/socat/tcpdump if missing.
step "zcstack kernel interop (TAP/TUN in network namespaces)"
if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ]; then
  kernel_tools=()
  command -v ping >/dev/null 2>&1 || kernel_tools+=(iputils-ping)
  command -v socat >/dev/null 2>&1 || kernel_tools+=(socat)
  command -v tcpdump >/dev/null 2>&1 || kernel_tools+=(tcpdump)
  command -v curl >/dev/null 2>&1 || kernel_tools+=(curl)
  command -v microsocks >/dev/null 2>&1 || kernel_tools+=(microsocks)
  command -v danted >/dev/null 2>&1 || kernel_tools+=(dante-server)
  if [ ${#kernel_tools[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${kernel_tools[@]}" >/dev/null
  fi
  # TCP (issue 12): curl/socat/python3 against zcstack serve, fetch and send
  # (tcp_kernel.rs), the blocking TcpStream/TcpListener (tcp_blocking.rs).
  # zcstack relay (issue 13): client ns -> TUN -> relay -> veth -> kernel servers, direct
  # and through microsocks, 1 vs 2 shards (--threads), memory with slow readers, SIGTERM
  # and SIGKILL mid-transfer (relay_kernel.rs: 100 MB each way, 500 connections at once;
  # about 60-90 s, tests in parallel).
  # zerocast-tokio over a TUN/TAP (kernel_tun.rs), and what tun-rs's offload (virtio-net
  # header, GSO frames) and multi-queue give on this kernel (offload_probe.rs,
  # multiqueue_probe.rs; issue 13): about 5 s. The stack with offload on and off over a
  # TUN and a TAP, byte-exact, GSO frames counted (offload_transfer.rs): about 4 s.
  ZC_KERNEL_TESTS=1 cargo test -p zcstack -p zerocast-tap -p zerocast-tokio --test kernel_interop \
    --test blocking_udp --test testbench --test tcp_kernel --test tcp_blocking --test relay_kernel \
    --test kernel_tun --test offload_probe --test multiqueue_probe --test offload_transfer
else
  echo "skipped: needs root and /dev/net/tun"
fi

step "all green"
