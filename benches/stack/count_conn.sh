#!/usr/bin/env bash
# Instructions per connection (open, one 1-byte round trip, close) and per 1-byte round trip
# on an open connection, between two stacks joined in memory (src/tcp_conn.rs), by
# callgrind: each contender runs N1 and N2 times; (I(N2) - I(N1)) / (N2 - N1) cancels the
# setup. Repeatable on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
cargo build --release --bin tcp_conn -q
bin=$CARGO_TARGET_DIR/release/tcp_conn
N1=${N1:-1000}; N2=${N2:-6000}
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-10s %-6s %s\n' contender what instructions/each
for who in zerocast smoltcp; do
  for what in conns rr; do
    a=$(count "$who" "$what" "$N1"); b=$(count "$who" "$what" "$N2")
    awk -v a="$a" -v b="$b" -v w="$who" -v x="$what" -v n=$(( N2 - N1 )) \
      'BEGIN { printf "%-10s %-6s %.0f\n", w, x, (b - a) / n }'
  done
done
