#!/usr/bin/env bash
# zcdump on application traffic (issue 14's mixed benchmark). Not a test: prints a table.
#
#   crates/zcdump/bench/mixed.sh [FRAMES] [SLICE]     (defaults: 1000000 and 100000)
#
# Builds FRAMES frames from the DNS, HTTP and TLS samples (samples/app-dns.pcap,
# app-http.pcap, app-tls.pcap) replayed over and over by examples/gen_capture.rs, client
# ports moved per replay and checksums kept valid, plus a SLICE-frame file. Then, the
# contenders of each pair alternating round after round (ROUNDS, default 3), it reports
# medians of CPU time (user + system, from timeit.py) and their ratios:
#   text     zcdump > /dev/null             vs  tcpdump -nr > /dev/null   (1M frames)
#   stats    zcdump --stats --threads 1     vs  the bare pcap walk         (1M frames)
#   fields   zcdump -T fields (13 fields, DNS/HTTP/TLS ones among them)
#                                            vs  tshark, same fields       (the slice)
# tshark runs without reassembly and without checksum checks, and zcdump is asked for no
# checksum status: equal work, checked by comparing both outputs once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
frames=${1:-1000000}
slice=${2:-100000}
rounds=${ROUNDS:-3}
work=${ZC_BENCH_DIR:-/tmp/zcdump-bench}
mkdir -p "$work"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
cargo build --release -q -p zcdump --bin zcdump --example gen_capture --example walk
bin=$CARGO_TARGET_DIR/release
apps=(samples/app-dns.pcap samples/app-http.pcap samples/app-tls.pcap)
big=$work/mixed-$frames.pcap
small=$work/mixed-slice-$slice.pcap
[ -s "$big" ] || "$bin/examples/gen_capture" "$big" "$frames" "${apps[@]}"
[ -s "$small" ] || "$bin/examples/gen_capture" "$small" "$slice" "${apps[@]}"
cat "$big" "$small" >/dev/null

fields=(frame.number ip.src ip.dst tcp.srcport tcp.dstport udp.srcport udp.dstport
        dns.qry.name dns.a http.request.method http.response.code
        tls.handshake.type tls.handshake.extensions_server_name)
eargs=(); for f in "${fields[@]}"; do eargs+=(-e "$f"); done
tshark_opts=(-o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE
             -o ip.check_checksum:FALSE -o udp.check_checksum:FALSE -o tcp.check_checksum:FALSE)

# CPU seconds (median of N runs) of a command.
cpu() { python3 "$here/timeit.py" "$@" | awk '{print $2}'; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
row() { printf "| %s | %s | %s | %s | %s |\n" "$@"; }

echo "mixed benchmark: $frames frames ($(($(stat -L -c %s "$big") / 1048576)) MiB), slice $slice, $(nproc) cores"
echo
echo "| round | pair | zcdump CPU s | anchor CPU s | ratio |"
echo "|---|---|---|---|---|"
for r in $(seq "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  t_text=$(cpu 3 "$bin/zcdump" -r "$big")
  t_tcpdump=$(cpu 3 tcpdump -nr "$big")
  row "$r (load $load)" "text vs tcpdump -nr" "$t_text" "$t_tcpdump" "zcdump $(ratio "$t_tcpdump" "$t_text") x faster (goal >= 8)"
  t_walk=$(cpu 3 "$bin/examples/walk" "$big")
  t_stats=$(cpu 3 "$bin/zcdump" -r "$big" --stats --threads 1)
  row "$r" "--stats --threads 1 vs bare walk" "$t_stats" "$t_walk" "$(ratio "$t_stats" "$t_walk") x walk"
  t_fields=$(cpu 5 "$bin/zcdump" -r "$small" -T fields "${eargs[@]}")
  t_tshark=$(cpu 1 tshark -n -r "$small" "${tshark_opts[@]}" -T fields "${eargs[@]}")
  row "$r" "-T fields ($slice frames) vs tshark" "$t_fields" "$t_tshark" "zcdump $(ratio "$t_tshark" "$t_fields") x faster (goal >= 50)"
done
"$bin/zcdump" -r "$small" -T fields "${eargs[@]}" >"$work/zcdump.txt"
tshark -n -r "$small" "${tshark_opts[@]}" -T fields "${eargs[@]}" >"$work/tshark.txt"
if cmp -s "$work/zcdump.txt" "$work/tshark.txt"; then
  echo "fields: outputs identical ($(wc -l <"$work/zcdump.txt") lines)"
else
  echo "fields: OUTPUTS DIFFER ($(diff "$work/zcdump.txt" "$work/tshark.txt" | grep -c '^<') lines)"
fi
