#!/usr/bin/env bash
# Per-packet instructions, I1/D1 cache misses and branch mispredictions of the
# receive->reply path for both contenders, by callgrind's cache and branch simulation
# (the N1/N2 difference of count.sh cancels setup). The CPU-time gaps that instruction
# counts miss show here as I1 misses (hot code in too few cache sets: a layout accident
# that moves with any code change) or not at all: store-to-load forwarding stalls are
# not simulated; find them with `perf record -e cpu-clock` + `perf annotate` (README).
# BIN=path skips the build and measures that binary.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin count -q
  BIN=$CARGO_TARGET_DIR/release/count
fi
N1=1000; N2=11000
events() {
  # Ir I1mr D1mr+D1mw Bcm+Bim from callgrind's summary line.
  valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --callgrind-out-file=/dev/null \
    "$BIN" "$@" 2>&1 | sed -n 's/.*Collected : \(.*\)/\1/p' |
    awk '{ print $1, $4, $5 + $6, $11 + $13 }'
}
printf '%-6s %-10s %8s %8s %8s %10s\n' path contender instr I1miss D1miss mispredict
for path in icmp udp; do
  for who in zerocast smoltcp; do
    read -r a1 a2 a3 a4 < <(events "$who" "$path" $N1)
    read -r b1 b2 b3 b4 < <(events "$who" "$path" $N2)
    awk -v n=$((N2 - N1)) -v p="$path" -v w="$who" \
      -v d1=$((b1 - a1)) -v d2=$((b2 - a2)) -v d3=$((b3 - a3)) -v d4=$((b4 - a4)) \
      'BEGIN { printf "%-6s %-10s %8d %8.2f %8.2f %10.2f\n", p, w, d1 / n, d2 / n, d3 / n, d4 / n }'
  done
done
