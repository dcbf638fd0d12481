#!/usr/bin/env bash
# Nanoseconds per packet of the receive->reply path by user CPU time: each contender runs
# N packets, the two alternating, R rounds, and the fastest round is kept. User time is
# less disturbed than wall time by other processes on a shared machine; still, compare
# only numbers from the same run.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/zc-stack-bench}
cargo build --release --bin count -q
bin=$CARGO_TARGET_DIR/release/count
N=${N:-2000000}; R=${R:-7}
TIMEFORMAT=%U
printf '%-8s %-16s %s\n' path contender ns/packet
for path in icmp udp; do
  declare -A best=()
  for _ in $(seq "$R"); do
    for who in zerocast smoltcp; do
      secs=$( { time "$bin" "$who" "$path" "$N" >/dev/null; } 2>&1 )
      ns=$(awk -v s="$secs" -v n="$N" 'BEGIN { printf "%d", s * 1e9 / n }')
      if [ -z "${best[$who]:-}" ] || [ "$ns" -lt "${best[$who]}" ]; then best[$who]=$ns; fi
    done
  done
  for who in zerocast smoltcp; do printf '%-8s %-16s %d\n' "$path" "$who" "${best[$who]}"; done
  unset best
done
