#!/usr/bin/env bash
# Instructions per byte of single-flow TCP bulk transfer between two stacks joined in
# memory (src/tcp_bulk.rs), by callgrind: each contender moves M1 and M2 MiB;
# (I(M2) - I(M1)) / (M2 - M1 MiB) cancels the setup. Repeatable on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
cargo build --release --bin tcp_bulk -q
bin=$CARGO_TARGET_DIR/release/tcp_bulk
M1=${M1:-4}; M2=${M2:-20}
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-10s %-6s %s\n' contender cc instructions/byte
for who in zerocast smoltcp; do
  for cc in ${CCS:-cubic reno}; do
    a=$(count "$who" "$cc" $M1); b=$(count "$who" "$cc" $M2)
    awk -v a="$a" -v b="$b" -v w="$who" -v c="$cc" -v m=$(( (M2 - M1) << 20 )) \
      'BEGIN { printf "%-10s %-6s %.3f\n", w, c, (b - a) / m }'
  done
done
