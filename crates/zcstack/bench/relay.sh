#!/usr/bin/env bash
# Relay benchmark (issue 13's Performance section): `zcstack relay` (--direct and --socks5)
# against tun2proxy 0.8 through the same microsocks, and against the kernel path without any
# relay, in the same run, round after round. As root; run by hand (not in CI).
#
#   crates/zcstack/bench/relay.sh [--quick] ZCSTACK TUN2PROXY_BIN
#
# tun2proxy: `cargo install tun2proxy --version '0.8.*' --root DIR` (DIR/bin/tun2proxy-bin).
# Environment: ROUNDS (3), IPERF_SECONDS (5), RR_COUNT (10000), CRR_SECONDS (4),
# ZC_EXTRA (more zcstack relay flags for every zcstack row), ONLY (an extended regex: keep
# only the rows whose name matches; kernel and tun2proxy always run), TESTS (a subset of
# "iperf rr crr udp", all by default; udp: sequential 64-byte UDP round trips, UDP_COUNT
# (2000), on the rows whose outbound carries UDP: not through microsocks, which has no
# UDP ASSOCIATE). Rows with `--offload` (direct
# and SOCKS5) and `--threads 2` are added when `zcstack relay --help` lists those flags. --quick: one round,
# 1 s loads, under a minute.
#
#  client ns (one per row)       middle ns                              server ns
#  TUN 10.77.N.1/24  <-->  relay (zcstack 10.77.N.2, or tun2proxy)  veth 10.78.0.1 <--> 10.78.0.2
#                          microsocks 127.0.0.1:1080                 iperf3 -s, tcp_load echo
#  kernel row: veth 10.79.0.1 <--> 10.79.0.2, the middle ns forwards (no relay at all)
#
# Measurements (tools run in the client namespace, servers in the server namespace):
# iperf3 single flow and -P 16, upload (client -> server) and download (-R), Mbit/s at the
# receiver; tcp_load rr (1-byte request/response over one connection, p50/p99) and crr
# (connect, 1 byte out, 1 byte back, close; 1 and 8 client threads, connections/s).
set -euo pipefail
quick=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
if [ $# -lt 2 ]; then sed -n 2,22p "$0"; exit 2; fi
zcstack=$(realpath "$1") t2p=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3} iperf_secs=${IPERF_SECONDS:-5} rr_count=${RR_COUNT:-10000}
crr_secs=${CRR_SECONDS:-4}
only=${ONLY:-.} tests=${TESTS:-iperf rr crr udp} udp_count=${UDP_COUNT:-2000}
read -r -a zc_extra <<<"${ZC_EXTRA:-}"
if [ "$quick" = 1 ]; then rounds=1 iperf_secs=1 rr_count=1000 crr_secs=1; fi

tag=zcrl$$
scratch=$(mktemp -d "/tmp/$tag.XXXX")
results=$scratch/results
mid=$tag-m srv=$tag-s
namespaces=() pids=()
cleanup() {
  local p n
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

rustc --edition 2021 -O -o "$scratch/tcp_load" "$here/tcp_load.rs"
load=$scratch/tcp_load

new_ns() { # name: lo up, room for many short connections
  ip netns add "$1"
  namespaces+=("$1")
  ip netns exec "$1" ip link set lo up
  ip netns exec "$1" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65000"
}
bg() { # ns command...: start in the background, remember the pid
  local ns=$1; shift
  ip netns exec "$ns" "$@" >"$scratch/bg.${#pids[@]}.log" 2>&1 &
  pids+=($!)
}
result() { echo "$1 $2" | tee -a "$results"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
wait_link() { # ns name: up to 10 s for an interface to exist
  local i
  for i in $(seq 50); do
    ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "no $2 in $1" >&2
  return 1
}
client_tun() { # client-ns tun n: move the relay's TUN into a fresh client namespace
  new_ns "$1"
  wait_link "$mid" "$2"
  ip -n "$mid" link set "$2" netns "$1"
  ip -n "$1" addr add "10.77.$3.1/24" dev "$2"
  ip -n "$1" link set "$2" up
  ip -n "$1" route add default dev "$2"
}

echo "== $(date -u) uptime: $(uptime)"
new_ns "$mid"
new_ns "$srv"
ip link add "$tag-m" netns "$mid" type veth peer name "$tag-s" netns "$srv"
ip -n "$mid" addr add 10.78.0.1/24 dev "$tag-m"
ip -n "$srv" addr add 10.78.0.2/24 dev "$tag-s"
ip -n "$mid" link set "$tag-m" up
ip -n "$srv" link set "$tag-s" up
ip -n "$srv" route add 10.79.0.0/24 via 10.78.0.1
ip netns exec "$mid" sysctl -qw net.ipv4.ip_forward=1
bg "$srv" iperf3 -s -B 10.78.0.2
bg "$srv" "$load" echo-server 10.78.0.2:7
bg "$srv" python3 "$here/../tests/programs/relay_server.py" 8080 # UDP echo on 8080
bg "$mid" microsocks -i 127.0.0.1 -p 1080
# Dante as a second proxy (when installed): microsocks copies 1 KiB per read, poll and
# write, which caps every SOCKS5 row at its rate; danted moves larger blocks, so the
# *_dante rows compare the SOCKS5 paths themselves.
dante=0
if command -v danted >/dev/null; then
  dante=1
  cat >"$scratch/danted.conf" <<CONF
logoutput: /dev/null
internal: 127.0.0.1 port = 1081
external: 10.78.0.1
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }
socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 command: connect udpassociate udpreply }
CONF
  bg "$mid" danted -f "$scratch/danted.conf"
fi

# The rows: name and client namespace.
rows=()
# Kernel path: a veth into the middle namespace, which routes to the server.
new_ns "$tag-k"
ip link add "$tag-kc" netns "$tag-k" type veth peer name "$tag-km" netns "$mid"
ip -n "$tag-k" addr add 10.79.0.1/24 dev "$tag-kc"
ip -n "$mid" addr add 10.79.0.2/24 dev "$tag-km"
ip -n "$tag-k" link set "$tag-kc" up
ip -n "$mid" link set "$tag-km" up
ip -n "$tag-k" route add default via 10.79.0.2
rows+=("kernel $tag-k")

n=0
zc_row() { # name relay flags...
  local name=$1; shift
  grep -Eq -- "$only" <<<"$name" || return 0
  n=$((n + 1))
  bg "$mid" "$zcstack" relay --tun "zcr$n" --addr "10.77.$n.2/24" "${zc_extra[@]}" "$@"
  client_tun "$tag-c$n" "zcr$n" "$n"
  rows+=("$name $tag-c$n")
}
help=$("$zcstack" relay --help)
# Offload is the relay's default where --no-offload exists: the plain rows turn it off.
plain=()
if grep -q -- --no-offload <<<"$help"; then plain=(--no-offload); fi
zc_row zc_direct --direct "${plain[@]}"
zc_row zc_socks5 --socks5 127.0.0.1:1080 "${plain[@]}"
if grep -q -- --offload <<<"$help"; then
  zc_row zc_direct_offload --direct --offload
  zc_row zc_socks5_offload --socks5 127.0.0.1:1080 --offload
fi
if [ "$dante" = 1 ]; then
  zc_row zc_socks5_dante --socks5 127.0.0.1:1081
fi
if grep -q -- --threads <<<"$help"; then
  zc_row zc_direct_threads2 --direct --threads 2 "${plain[@]}"
fi
if grep -q -- --offload <<<"$help" && grep -q -- --threads <<<"$help"; then
  zc_row zc_direct_offload_threads2 --direct --offload --threads 2
fi
# tun2proxy through the same microsocks; it creates its TUN in the middle namespace.
# --tcp-mss 1460: by default its stack sends no MSS option, and the client's kernel then
# sends 536-byte segments; the row measures it at the full MSS like the others.
n=$((n + 1))
bg "$mid" "$t2p" --tun "t2p$n" --proxy socks5://127.0.0.1:1080 --tcp-mss 1460
client_tun "$tag-c$n" "t2p$n" "$n"
rows+=("tun2proxy $tag-c$n")
if [ "$dante" = 1 ]; then
  n=$((n + 1))
  bg "$mid" "$t2p" --tun "t2p$n" --proxy socks5://127.0.0.1:1081 --tcp-mss 1460
  client_tun "$tag-c$n" "t2p$n" "$n"
  rows+=("tun2proxy_dante $tag-c$n")
fi

for row in "${rows[@]}"; do # every path answers before the clock starts
  read -r name ns <<<"$row"
  ok=0
  for _ in $(seq 50); do
    if ip netns exec "$ns" timeout 1 bash -c 'exec 3<>/dev/tcp/10.78.0.2/7' 2>/dev/null; then
      ok=1; break
    fi
    sleep 0.2
  done
  [ "$ok" = 1 ] || { echo "$name: no path to the server" >&2; exit 1; }
done

iperf() { # ns flags...: Mbit/s at the receiver (sum over streams)
  local ns=$1; shift
  ip netns exec "$ns" timeout $((iperf_secs + 30)) iperf3 -c 10.78.0.2 -t "$iperf_secs" -f m "$@" |
    awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { print v }'
}
for round in $(seq "$rounds"); do
  echo "== round $round: $(uptime)"
  for row in "${rows[@]}"; do
    read -r name ns <<<"$row"
    if [[ " $tests " == *" iperf "* ]]; then
      result "$name.up1_mbit" "$(iperf "$ns")"
      result "$name.down1_mbit" "$(iperf "$ns" -R)"
      result "$name.up16_mbit" "$(iperf "$ns" -P 16)"
      result "$name.down16_mbit" "$(iperf "$ns" -P 16 -R)"
    fi
    if [[ " $tests " == *" rr "* ]]; then
      out=$(ip netns exec "$ns" "$load" rr 10.78.0.2:7 "$rr_count" 1 || true)
      result "$name.rr_p50_us" "$(field p50_us "$out")"
      result "$name.rr_p99_us" "$(field p99_us "$out")"
    fi
    if [[ " $tests " == *" udp "* ]]; then
      case $name in
      zc_socks5 | zc_socks5_offload | tun2proxy) ;; # microsocks: no UDP
      *)
        out=$(ip netns exec "$ns" timeout 60 python3 "$here/udp_rtt.py" 10.78.0.2 8080 "$udp_count" || true)
        result "$name.udp_rr_per_s" "$(sed -n 's/.*: \([0-9]*\)\/s, lost \([0-9]*\).*/\1/p' <<<"$out")"
        result "$name.udp_lost" "$(sed -n 's/.*lost \([0-9]*\).*/\1/p' <<<"$out")"
        ;;
      esac
    fi
    [[ " $tests " == *" crr "* ]] || continue
    for threads in 1 8; do
      out=$(ip netns exec "$ns" "$load" crr 10.78.0.2:7 "$crr_secs" "$threads" 1 200000 || true)
      result "$name.crr${threads}_per_s" "$(field per_s "$out")"
      result "$name.crr${threads}_p50_us" "$(field p50_us "$out")"
      [ "$(field failed "$out")" = 0 ] || echo "   ($name crr: $(field failed "$out") failed)"
    done
  done
done

echo "== done $(date -u) uptime: $(uptime)"
ratios=()
for row in "${rows[@]}"; do
  read -r name _ <<<"$row"
  case $name in kernel | tun2proxy*) continue ;; esac
  # A row through Dante is compared with tun2proxy through Dante.
  anchor=tun2proxy
  case $name in *_dante) anchor=tun2proxy_dante ;; esac
  for m in up1_mbit down1_mbit up16_mbit down16_mbit crr1_per_s crr8_per_s; do
    ratios+=("$name.$m/$anchor.$m")
  done
  ratios+=("$name.rr_p50_us/$anchor.rr_p50_us")
  ratios+=("$name.udp_rr_per_s/$anchor.udp_rr_per_s" "$name.udp_rr_per_s/kernel.udp_rr_per_s")
  for m in up1_mbit down1_mbit up16_mbit down16_mbit crr8_per_s; do
    ratios+=("$name.$m/kernel.$m")
  done
done
# Offload on against off, same outbound (when the rows exist).
for pair in zc_direct_offload:zc_direct zc_socks5_offload:zc_socks5 \
  zc_direct_offload_threads2:zc_direct_threads2; do
  on=${pair%%:*} off=${pair##*:}
  grep -q "^$on\." "$results" || continue
  for m in up1_mbit down1_mbit up16_mbit down16_mbit crr8_per_s; do
    ratios+=("$on.$m/$off.$m")
  done
done
python3 "$here/summarize.py" "$results" "${ratios[@]}"
