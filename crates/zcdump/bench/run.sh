#!/usr/bin/env bash
# zcdump performance, side by side in one run (issue 7). Not a test: prints a table.
#
#   crates/zcdump/bench/run.sh [FRAMES] [SLICE]     (defaults: 1000000 and 100000)
#
# Generates FRAMES realistic frames (real kernel traffic from samples/, replayed with moved
# client ports and valid checksums) plus a SLICE-frame file, then times with /usr/bin/time:
#   walk        bare pcap walk: read every record, touch nothing (examples/walk.rs)
#   stats       zcdump --stats
#   text        zcdump (tcpdump-style lines) > /dev/null   vs   tcpdump -nr > /dev/null
#   fields      zcdump -T fields, 10 fields, on the slice  vs   tshark, same fields and options
# and reports peak RSS for the small and the large file (memory must not grow with size).
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
opts=(-o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE
      -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE)

# Runs a command (output to /dev/null) and prints "seconds max_rss_kib", best of $reps.
measure() {
  local reps=$1; shift
  local best="" rss=0
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
      echo "FAILED: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
    read -r secs kib < "$work/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    rss=$kib
  done
  echo "$best $rss"
}

# Warm the page cache so every contender reads from memory.
cat "$big" "$small" >/dev/null

read -r t_walk m_walk < <(measure 3 "$bin/examples/walk" "$big")
read -r t_stats m_stats < <(measure 3 "$bin/zcdump" -r "$big" --stats)
read -r t_text m_text < <(measure 3 "$bin/zcdump" -r "$big")
read -r t_tcpdump m_tcpdump < <(measure 1 tcpdump -nr "$big")
read -r t_fields_big m_fields_big < <(measure 3 "$bin/zcdump" -r "$big" -T fields "${eargs[@]}")
read -r t_fields m_fields < <(measure 3 "$bin/zcdump" -r "$small" -T fields "${eargs[@]}")
read -r t_tshark m_tshark < <(measure 1 tshark -n -r "$small" "${opts[@]}" -T fields "${eargs[@]}")
read -r _ m_stats_small < <(measure 1 "$bin/zcdump" -r "$small" --stats)

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
size_big=$(stat -c %s "$big"); size_small=$(stat -c %s "$small")
echo
echo "zcdump benchmark: $frames frames ($((size_big / 1048576)) MiB), slice $slice frames ($((size_small / 1048576)) MiB), $(nproc) cores"
echo
echo "| measurement | seconds | peak RSS (MiB) | ratio | goal |"
echo "|---|---|---|---|---|"
printf "| bare pcap walk (%s frames) | %s | %s | 1.00 | |\n" "$frames" "$t_walk" "$((m_walk / 1024))"
printf "| zcdump --stats | %s | %s | %s x walk | <= 1.3 |\n" "$t_stats" "$((m_stats / 1024))" "$(ratio "$t_stats" "$t_walk")"
printf "| zcdump text > /dev/null | %s | %s | | |\n" "$t_text" "$((m_text / 1024))"
printf "| tcpdump -nr > /dev/null | %s | %s | zcdump %s x faster | >= 5 |\n" "$t_tcpdump" "$((m_tcpdump / 1024))" "$(ratio "$t_tcpdump" "$t_text")"
printf "| zcdump -T fields, 10 fields, %s frames | %s | %s | | |\n" "$frames" "$t_fields_big" "$((m_fields_big / 1024))"
printf "| zcdump -T fields, 10 fields, %s frames | %s | %s | | |\n" "$slice" "$t_fields" "$((m_fields / 1024))"
printf "| tshark -T fields, 10 fields, %s frames | %s | %s | zcdump %s x faster | >= 50 |\n" "$slice" "$t_tshark" "$((m_tshark / 1024))" "$(ratio "$t_tshark" "$t_fields")"
printf "| zcdump --stats peak RSS, %s vs %s frames | | %s vs %s | | independent of size |\n" "$slice" "$frames" "$((m_stats_small / 1024))" "$((m_stats / 1024))"
