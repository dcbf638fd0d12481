#!/usr/bin/env bash
# Builds the cdylib in two configurations and prints, for each, every operation's x86-64
# instruction count of the zerocast (zc_) and zerocopy (zy_) wrappers side by side, plus
# their ratio:
#   release      opt-level 3, codegen-units 1, panic abort, no LTO (each crate optimised
#                on its own, then linked);
#   release-lto  the same with lto = "fat" (one LLVM module for the whole program).
# `./count.sh release` or `./count.sh release-lto` prints one table only.
# Functions with identical code may be merged into one address; counts are therefore taken
# per address and looked up through the symbol table. Out-of-line callees (panic paths)
# are not counted, nor int3/nop alignment padding: this measures each wrapper's own body.
set -euo pipefail
cd "$(dirname "$0")"
# Default to benches/target (git-ignored), shared with the other bench crates.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(release release-lto)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for profile in "${profiles[@]}"; do
  cargo build --profile "$profile" --quiet
  so="$CARGO_TARGET_DIR/$profile/libcore_codegen.so"
  echo "== $profile"
  # address -> instruction count, for every function start in the disassembly
  objdump -d --no-show-raw-insn "$so" | awk '
    /^[0-9a-f]+ <.*>:$/ { addr = $1; sub(/^0+/, "", addr); next }
    /^$/ { addr = ""; next }
    # int3/nop lines (including multi-byte `data16 ... cs nopw`) are padding, not code.
    addr != "" && /^ +[0-9a-f]+:\t/ && $2 !~ /^(int3|nop|nopw|nopl|xchg|data16|cs)$/ { count[addr]++ }
    END { for (a in count) print a, count[a] }' | sort > "$tmp/counts"
  # symbol -> address for our wrappers
  nm --defined-only "$so" | awk '$3 ~ /^z[cy]_/ { a = $1; sub(/^0+/, "", a); print $3, a }' | sort > "$tmp/syms"
  lookup() { # symbol -> count
    local a; a=$(awk -v s="$1" '$1 == s { print $2 }' "$tmp/syms")
    [ -n "$a" ] && awk -v a="$a" '$1 == a { print $2 }' "$tmp/counts"
  }
  printf "%-30s %9s %9s %7s\n" operation zerocast zerocopy ratio
  awk '$1 ~ /^zc_/ { sub(/^zc_/, "", $1); print $1 }' "$tmp/syms" | while read -r op; do
    zc=$(lookup "zc_$op"); zy=$(lookup "zy_$op")
    printf "%-30s %9s %9s %7s\n" "$op" "${zc:-?}" "${zy:-?}" \
      "$(awk -v a="${zc:-0}" -v b="${zy:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
  done
done
