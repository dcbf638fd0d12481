#!/usr/bin/env bash
# Installs what scripts/test.sh needs on a machine that has only stable Rust, skipping every
# tool that is already present, so running it again costs a few seconds and no network.
# scripts/test.sh runs it first (unless ZC_SETUP=0); it can also be run on its own.
#
# What it installs and why:
#   - rustfmt and clippy on the default toolchain (a `--profile minimal` stable lacks them);
#   - nightly with miri and rust-src (Miri runs, the float-nightly tests, cargo-fuzz,
#     rustdoc JSON for compat/zerocopy-docs);
#   - the MSRV toolchain named by `rust-version` in Cargo.toml (the MSRV check);
#   - cargo-fuzz (the fuzz smoke run);
#   - tshark and tcpdump from apt (the wire and zcdump oracles; needs root or sudo), and
#     microsocks and dante-server (SOCKS5 servers for the SOCKS5 client and relay tests);
#   - a venv at .ci/venv with scapy 2.8.0 (the scapy oracle);
#   - zerocopy 0.8.64's source in the cargo registry (compat/zerocopy-docs reads it there).
set -euo pipefail
cd "$(dirname "$0")/.."

note() { printf 'setup: %s\n' "$*"; }

have_component() { # toolchain component
  rustup component list --toolchain "$1" --installed 2>/dev/null | grep -q "^$2"
}

# Installs a toolchain only when it is missing: `rustup toolchain install` on an installed
# nightly would update it, so a second run would download and change the compiler.
ensure_toolchain() { # toolchain components...
  local toolchain=$1; shift
  if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    note "installing Rust $toolchain"
    rustup toolchain install "$toolchain" --profile minimal
  fi
  local component
  for component in "$@"; do
    if ! have_component "$toolchain" "$component"; then
      note "adding $component to $toolchain"
      rustup component add --toolchain "$toolchain" "$component"
    fi
  done
}

default_toolchain=$(rustup show active-toolchain | cut -d' ' -f1)
ensure_toolchain "$default_toolchain" rustfmt clippy
ensure_toolchain nightly miri rust-src
# Builds Miri's sysroot once; its output is shown only when it fails.
if ! miri_setup_log=$(cargo +nightly miri setup 2>&1); then
  printf '%s\n' "$miri_setup_log" >&2
  exit 1
fi

msrv=$(sed -n 's/^rust-version *= *"\([0-9.]*\)"/\1/p' Cargo.toml | head -n 1)
if [ -n "$msrv" ]; then
  ensure_toolchain "$msrv"
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  note "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Debian/Ubuntu packages, installed in one apt run (needs root or sudo).
apt_packages=()
command -v tshark >/dev/null 2>&1 || apt_packages+=(tshark)
command -v tcpdump >/dev/null 2>&1 || apt_packages+=(tcpdump)
# SOCKS5 servers for zerocast-socks5's and the relay's tests (CONNECT; UDP ASSOCIATE).
command -v microsocks >/dev/null 2>&1 || apt_packages+=(microsocks)
command -v danted >/dev/null 2>&1 || apt_packages+=(dante-server)
# Debian's python3 lacks ensurepip (so `python3 -m venv` fails) until python3-venv is in.
python3 -c 'import ensurepip' >/dev/null 2>&1 || apt_packages+=(python3-venv)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    note "missing ${apt_packages[*]}, and installing them needs root or sudo;" \
      "install them yourself or run with ZC_SETUP=0 (their tests then skip)" >&2
    exit 1
  fi
  note "installing ${apt_packages[*]} (apt)"
  # Answer wireshark's "allow non-root captures?" question up front so apt does not prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    "${as_root[@]}" debconf-set-selections
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

# Pinned: scapy's IGMPv3 layers changed in 2.8, and the oracle tests are written for 2.8.0.
scapy_version=2.8.0
if ! .ci/venv/bin/python -c "import scapy, sys; sys.exit(scapy.VERSION != '$scapy_version')" \
  >/dev/null 2>&1; then
  note "creating .ci/venv with scapy $scapy_version"
  python3 -m venv .ci/venv
  .ci/venv/bin/pip install -q "scapy==$scapy_version"
fi

# zerocopy's source for compat/zerocopy-docs (the codegen bench crate depends on it; a no-op
# when the registry already holds it).
(cd benches/core-codegen && cargo fetch -q)

note "done"
