#!/usr/bin/env bash
# Nanoseconds of user CPU time per packet for each contender's operation, robust on a shared,
# loaded machine: every round runs each contender once (N packets, in alternating order so
# that no contender always runs first), R rounds, and the script prints the median and the
# fastest round per contender, plus the median over rounds of the ratio to smoltcp taken
# within a round (both runs of a round saw about the same load). User time is less disturbed
# than wall time by other processes; start-up and the frame check before the loop cost the
# same for every contender and are under 0.1 % of a run at the default N.
# Bash's user time comes in 1 ms steps: N of 10M or more keeps that under 0.1 ns a packet.
#
#   OPS="serialize" N=20000000 R=7 ./cputime.sh
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"
N=${N:-20000000}
R=${R:-7}
OPS=${OPS:-serialize parse}
CONTENDERS=${CONTENDERS:-zerocast-packet zerocast-wire packet-formats smoltcp}
# EXE=<bench binary> measures an existing build (e.g. one of an older commit) instead.
exe=${EXE:-}
[ -n "$exe" ] || exe=$(cargo bench --ignore-rust-version --bench three_layer --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*three_layer[^"]*\)".*/\1/p' | tail -1)
[ -x "$exe" ] || { echo "cputime.sh: bench executable not found" >&2; exit 1; }
TIMEFORMAT=%U
user_ns() { # operation contender -> user CPU ns per packet
  local secs
  secs=$( { time ZC_COUNT="$1:$2:$N" "$exe" >/dev/null; } 2>&1)
  awk -v s="$secs" -v n="$N" 'BEGIN { printf "%.2f", s * 1e9 / n }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
read -r -a who <<<"$CONTENDERS"
echo "N=$N R=$R load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-10s %-16s %12s %12s %16s\n" operation contender "median ns" "fastest ns" "ratio (median)"
for op in $OPS; do
  declare -A runs=() ratios=()
  for round in $(seq "$R"); do
    # Rotate the order each round.
    order=("${who[@]:$((round % ${#who[@]}))}" "${who[@]:0:$((round % ${#who[@]}))}")
    declare -A this=()
    for c in "${order[@]}"; do
      this[$c]=$(user_ns "$op" "$c")
      runs[$c]+="${this[$c]} "
    done
    if [ -n "${this[smoltcp]:-}" ]; then
      for c in "${who[@]}"; do
        ratios[$c]+="$(awk -v a="${this[$c]}" -v b="${this[smoltcp]}" 'BEGIN { printf "%.3f", a / b }') "
      done
    fi
    unset this
  done
  for c in "${who[@]}"; do
    med=$(tr ' ' '\n' <<<"${runs[$c]}" | grep . | median)
    fast=$(tr ' ' '\n' <<<"${runs[$c]}" | grep . | sort -g | head -1)
    ratio=-
    [ -z "${ratios[$c]:-}" ] || ratio=$(tr ' ' '\n' <<<"${ratios[$c]}" | grep . | median)
    printf "%-10s %-16s %12.2f %12.2f %16s\n" "$op" "$c" "$med" "$fast" "$ratio"
  done
  unset runs ratios
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
