#!/usr/bin/env bash
# zcdump performance, side by side in one run (issue 7). Not a test: prints a table.
#
#   crates/zcdump/bench/run.sh [FRAMES] [SLICE]     (defaults: 1000000 and 100000)
#
# Generates FRAMES realistic frames (real kernel traffic from samples/, replayed with moved
# client ports and valid checksums) plus a SLICE-frame file, then times with /usr/bin/time:
#   walk        bare pcap walk: read every record, touch nothing (examples/walk.rs)
#   stats       zcdump --stats, on one thread and on all cores (--threads default); these
#               three run interleaved, round after round, because the machine is shared
#   text        zcdump (tcpdump-style lines) > /dev/null   vs   tcpdump -nr > /dev/null
#   fields      zcdump -T fields, 10 fields, on the slice  vs   tshark, same fields, neither
#               verifying checksums; then both with the three checksum statuses added and
#               verified (equal work: zcdump computes a checksum only when its status is asked
#               for, so tshark's check_checksum preferences follow the field list). Their
#               outputs are compared once, and the times come from timeit.py (perf_counter and
#               the child's rusage, several runs, medians): /usr/bin/time's 10 ms steps are
#               too coarse for zcdump's ~0.02 s on the slice.
# and reports peak RSS for the small and the large file (memory must not grow with size).
# When `perf` works, the walk and --stats are then timed again with `perf stat -r 10`,
# interleaved (PERF_ROUNDS rounds, default 2): millisecond CPU time instead of the 10 ms
# steps of /usr/bin/time, which make a ratio of two ~0.1 s figures coarse.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
frames=${1:-1000000}
slice=${2:-100000}
work=${ZC_BENCH_DIR:-/tmp/zcdump-bench}
mkdir -p "$work"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
cargo build --release -q -p zcdump --bin zcdump --example gen_capture --example walk
bin=$CARGO_TARGET_DIR/release
big=$work/big-$frames.pcap
small=$work/slice-$slice.pcap
[ -s "$big" ] || "$bin/examples/gen_capture" "$big" "$frames"
[ -s "$small" ] || "$bin/examples/gen_capture" "$small" "$slice"

fields=(frame.number ip.src ip.dst ip.proto tcp.srcport tcp.dstport tcp.flags udp.srcport udp.dstport ip.ttl)
eargs=(); for f in "${fields[@]}"; do eargs+=(-e "$f"); done
checked=("${fields[@]}" ip.checksum.status tcp.checksum.status udp.checksum.status)
ckargs=(); for f in "${checked[@]}"; do ckargs+=(-e "$f"); done
reassembly_off=(-o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE)
tshark_plain=("${reassembly_off[@]}"
      -o ip.check_checksum:FALSE -o udp.check_checksum:FALSE -o tcp.check_checksum:FALSE)
tshark_verify=("${reassembly_off[@]}"
      -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE)

# Runs a command (output to /dev/null), best of $reps by CPU time; prints
# "wall_seconds cpu_seconds max_rss_kib". CPU time (user + system) is the figure compared:
# it does not depend on what else the shared machine is running.
measure() {
  local reps=$1; shift
  local best_cpu="" best_wall="" rss=0
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
      echo "FAILED: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
    read -r wall user sys kib < "$work/time.txt"
    cpu=$(awk "BEGIN{printf \"%.2f\", $user + $sys}")
    if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then
      best_cpu=$cpu; best_wall=$wall
    fi
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  echo "$best_wall $best_cpu $rss"
}

# Interleaved rounds of several commands: prints, per command, "best_wall best_cpu max_rss"
# (best wall and best CPU each over the rounds; both are minima, so a round slowed down by
# another process on the machine does not count against a contender).
interleaved() {
  local rounds=$1; shift
  local -a best_wall best_cpu rss
  local n=$#
  for r in $(seq "$rounds"); do
    local i=0
    for cmd in "$@"; do
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" $cmd >/dev/null 2>"$work/stderr.txt" || {
        echo "FAILED: $cmd" >&2; cat "$work/stderr.txt" >&2; exit 1; }
      read -r wall user sys kib < "$work/time.txt"
      cpu=$(awk "BEGIN{printf \"%.2f\", $user + $sys}")
      if [ -z "${best_cpu[$i]:-}" ] || awk "BEGIN{exit !($cpu < ${best_cpu[$i]})}"; then best_cpu[$i]=$cpu; fi
      if [ -z "${best_wall[$i]:-}" ] || awk "BEGIN{exit !($wall < ${best_wall[$i]})}"; then best_wall[$i]=$wall; fi
      if [ "$kib" -gt "${rss[$i]:-0}" ]; then rss[$i]=$kib; fi
      i=$((i + 1))
    done
  done
  for i in $(seq 0 $((n - 1))); do echo "${best_wall[$i]} ${best_cpu[$i]} ${rss[$i]}"; done
}

# Warm the page cache so every contender reads from memory.
cat "$big" "$small" >/dev/null

{
  read -r w_walk t_walk m_walk
  read -r w_stats1 t_stats1 m_stats1
  read -r w_stats t_stats m_stats
} < <(interleaved "${ROUNDS:-7}" "$bin/examples/walk $big" "$bin/zcdump -r $big --stats --threads 1" "$bin/zcdump -r $big --stats")
# Medians of several runs; "wall cpu max_rss" like `measure` (timeit.py prints two minima
# after them, not used here).
timeit() { python3 "$here/timeit.py" "$@"; }
read -r w_text t_text m_text _ < <(timeit 3 "$bin/zcdump" -r "$big")
read -r w_tcpdump t_tcpdump m_tcpdump _ < <(timeit 3 tcpdump -nr "$big")
read -r w_fields_big t_fields_big m_fields_big _ < <(timeit 3 "$bin/zcdump" -r "$big" -T fields "${eargs[@]}")
read -r w_fields t_fields m_fields _ < <(timeit 10 "$bin/zcdump" -r "$small" -T fields "${eargs[@]}")
read -r w_tshark t_tshark m_tshark _ < <(timeit 3 tshark -n -r "$small" "${tshark_plain[@]}" -T fields "${eargs[@]}")
read -r w_fields_ck t_fields_ck m_fields_ck _ < <(timeit 10 "$bin/zcdump" -r "$small" -T fields "${ckargs[@]}")
read -r w_tshark_ck t_tshark_ck m_tshark_ck _ < <(timeit 3 tshark -n -r "$small" "${tshark_verify[@]}" -T fields "${ckargs[@]}")
# Equal work means equal output: compare each pair once.
same_output() { # label zcdump-args tshark-args (as two words naming arrays)
  local -n zc_args=$2 ts_args=$3
  "$bin/zcdump" -r "$small" -T fields "${zc_args[@]}" > "$work/zcdump.txt"
  tshark -n -r "$small" "${ts_args[@]}" -T fields "${zc_args[@]}" > "$work/tshark.txt"
  if cmp -s "$work/zcdump.txt" "$work/tshark.txt"; then
    echo "$1: outputs identical ($(wc -l < "$work/zcdump.txt") lines)"
  else
    echo "$1: OUTPUTS DIFFER ($(diff "$work/zcdump.txt" "$work/tshark.txt" | grep -c '^<') lines), the work is not equal"
  fi
}
same_plain=$(same_output "10 fields, no verification" eargs tshark_plain)
same_verify=$(same_output "10 fields + 3 checksum statuses, verified" ckargs tshark_verify)
read -r _ _ m_stats_small < <(measure 1 "$bin/zcdump" -r "$small" --stats)

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
size_big=$(stat -L -c %s "$big"); size_small=$(stat -L -c %s "$small")
echo
echo "zcdump benchmark: $frames frames ($((size_big / 1048576)) MiB), slice $slice frames ($((size_small / 1048576)) MiB), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| measurement | CPU s | wall s | peak RSS MiB | ratio | goal |"
echo "|---|---|---|---|---|---|"
row() { printf "| %s | %s | %s | %s | %s | %s |\n" "$@"; }
row "bare pcap walk, $frames frames" "$t_walk" "$w_walk" "$((m_walk / 1024))" "1.00" ""
row "zcdump --stats --threads 1" "$t_stats1" "$w_stats1" "$((m_stats1 / 1024))" "CPU $(ratio "$t_stats1" "$t_walk") x walk, wall $(ratio "$w_stats1" "$w_walk") x" "<= 1.3"
row "zcdump --stats ($(nproc) cores)" "$t_stats" "$w_stats" "$((m_stats / 1024))" "CPU $(ratio "$t_stats" "$t_walk") x walk, wall $(ratio "$w_stats" "$w_walk") x" "<= 1.3"
row "zcdump (text) > /dev/null" "$t_text" "$w_text" "$((m_text / 1024))" "" ""
row "tcpdump -nr > /dev/null" "$t_tcpdump" "$w_tcpdump" "$((m_tcpdump / 1024))" "zcdump $(ratio "$t_tcpdump" "$t_text") x faster" ">= 8 (issue 14)"
row "zcdump -T fields (10), $frames frames" "$t_fields_big" "$w_fields_big" "$((m_fields_big / 1024))" "" ""
row "zcdump -T fields (10), $slice frames" "$t_fields" "$w_fields" "$((m_fields / 1024))" "" ""
row "tshark -T fields (10, checksums not verified), $slice frames" "$t_tshark" "$w_tshark" "$((m_tshark / 1024))" "zcdump $(ratio "$t_tshark" "$t_fields") x faster" ">= 50"
row "zcdump -T fields (10 + 3 checksum statuses), $slice frames" "$t_fields_ck" "$w_fields_ck" "$((m_fields_ck / 1024))" "" ""
row "tshark -T fields (10 + 3, checksums verified), $slice frames" "$t_tshark_ck" "$w_tshark_ck" "$((m_tshark_ck / 1024))" "zcdump $(ratio "$t_tshark_ck" "$t_fields_ck") x faster" ">= 50"
row "zcdump --stats peak RSS: $slice vs $frames frames" "" "" "$((m_stats_small / 1024)) vs $((m_stats / 1024))" "" "independent of size"
echo
echo "(text, tcpdump and fields rows: medians of timeit.py runs, 3 for the large file and tshark,"
echo " 10 for zcdump on the slice; the others: best of /usr/bin/time runs)"
echo "$same_plain"
echo "$same_verify"

# Finer CPU times: perf stat's task-clock (CPU time of every thread) and mean wall time
# of 10 runs, the three contenders interleaved round after round.
if command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
  # Prints "cpu_ms wall_ms" for 10 runs of a command.
  perf10() {
    # shellcheck disable=SC2086
    perf stat -e task-clock -r 10 $1 2>"$work/perf.txt" >/dev/null || {
      echo "FAILED: $1" >&2; cat "$work/perf.txt" >&2; exit 1; }
    awk '/task-clock/ { gsub(",", "", $1); cpu = $1 }
         /seconds time elapsed/ { wall = $1 * 1000 }
         END { printf "%.1f %.1f\n", cpu, wall }' "$work/perf.txt"
  }
  echo
  echo "perf stat -r 10, ${PERF_ROUNDS:-2} interleaved rounds, load $(cut -d' ' -f1 /proc/loadavg):"
  echo
  echo "| round | measurement | CPU ms | wall ms | CPU x walk | wall x walk |"
  echo "|---|---|---|---|---|---|"
  for r in $(seq "${PERF_ROUNDS:-2}"); do
    read -r c_walk w_walk < <(perf10 "$bin/examples/walk $big")
    row "$r" "bare pcap walk" "$c_walk" "$w_walk" "1.00" "1.00"
    for threads in "--threads 1" ""; do
      read -r c w < <(perf10 "$bin/zcdump -r $big --stats $threads")
      row "$r" "zcdump --stats ${threads:-(all cores)}" "$c" "$w" "$(ratio "$c" "$c_walk")" "$(ratio "$w" "$w_walk")"
    done
  done
fi
