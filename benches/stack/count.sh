#!/usr/bin/env bash
# Instructions per packet of the receive->reply path, by callgrind: each contender runs
# N1 and N2 iterations; (I(N2) - I(N1)) / (N2 - N1) cancels setup. Repeatable on a loaded
# machine, unlike wall time.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
cargo build --release --bin count -q
bin=$CARGO_TARGET_DIR/release/count
N1=1000; N2=11000
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-8s %-16s %s\n' path contender instructions/packet
for path in icmp udp; do
  for who in zerocast smoltcp; do
    a=$(count "$who" "$path" $N1); b=$(count "$who" "$path" $N2)
    printf '%-8s %-16s %d\n' "$path" "$who" $(( (b - a) / (N2 - N1) ))
  done
done
