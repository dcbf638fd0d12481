#!/usr/bin/env bash
# Instructions per connection (open, one 1-byte round trip, close) and per 1-byte round trip
# on an open connection, between two stacks joined in memory (src/tcp_conn.rs), by
# callgrind: each contender runs N1 and N2 times; (I(N2) - I(N1)) / (N2 - N1) cancels the
# setup. Repeatable on a loaded machine.
#
# The second column leaves out glibc's memset. Above 2 KiB it zeroes with `rep stosb`,
# which callgrind counts as one instruction per byte: zeroing a 4 KiB buffer "costs" 4,096
# instructions and a few hundred cycles. smoltcp zeroes its socket buffers on every
# connection (SMOL_SMALL=1: 4 x 4 KiB; default sizes: 768 KiB, which was most of its
# 821,000 instructions per connection), zerocast-stack its receive ring on the first byte.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
cargo build --release --bin tcp_conn -q
bin=$CARGO_TARGET_DIR/release/tcp_conn
N1=${N1:-1000}; N2=${N2:-6000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Prints "total memset" instructions of one run.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" "$@" >/dev/null 2>&1
  callgrind_annotate "$out/cg" 2>/dev/null | awk '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /__memset_[a-z0-9_]*_erms/ && !/=>/ { gsub(",", "", $1); memset += $1 }
    END { print total, memset + 0 }'
}
printf '%-10s %-6s %18s %18s\n' contender what instructions/each "without memset"
for who in zerocast smoltcp; do
  for what in conns rr; do
    read -r a am < <(count "$who" "$what" "$N1")
    read -r b bm < <(count "$who" "$what" "$N2")
    awk -v a="$a" -v b="$b" -v am="$am" -v bm="$bm" -v w="$who" -v x="$what" \
      -v n=$(( N2 - N1 )) 'BEGIN {
        printf "%-10s %-6s %18.0f %18.0f\n", w, x, (b - a) / n, ((b - bm) - (a - am)) / n }'
  done
done
