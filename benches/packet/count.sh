#!/usr/bin/env bash
# Instructions per packet of every contender, counted by callgrind (repeatable on a loaded
# machine, unlike wall time). Each operation runs twice under callgrind, N1 and N2 times;
# (I(N2) - I(N1)) / (N2 - N1) is the cost of one packet, setup and the frame check cancel.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"
n1=2000
n2=22000
# EXE=<bench binary> measures an existing build (e.g. one of an older commit) instead.
exe=${EXE:-}
[ -n "$exe" ] || exe=$(cargo bench --ignore-rust-version --bench three_layer --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*three_layer[^"]*\)".*/\1/p' | tail -1)
[ -x "$exe" ] || { echo "count.sh: bench executable not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
instructions() { # operation contender iterations -> total instructions
  ZC_COUNT="$1:$2:$3" valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$exe" \
    2>"$tmp/log" >/dev/null
  sed -n 's/^summary: //p' "$tmp/out"
}
printf "%-10s %-16s %14s\n" operation contender instructions/packet
for op in ${OPS:-serialize parse}; do
  for c in zerocast-packet zerocast-wire packet-formats smoltcp; do
    a=$(instructions "$op" "$c" $n1)
    b=$(instructions "$op" "$c" $n2)
    printf "%-10s %-16s %14s\n" "$op" "$c" \
      "$(awk -v a="$a" -v b="$b" -v n=$((n2 - n1)) 'BEGIN { printf "%.1f", (b - a) / n }')"
  done
done
