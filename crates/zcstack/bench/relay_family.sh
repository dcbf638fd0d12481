#!/usr/bin/env bash
# The relay over IPv4 and IPv6 side by side (issue 13): `zcstack relay --direct` against the
# kernel path without any relay, in the same run, round after round. As root; run by hand
# (not in CI).
#
#   crates/zcstack/bench/relay_family.sh ZCSTACK
#
# Environment: ROUNDS (3), IPERF_SECONDS (3), UDP_COUNT (2000), ZC_EXTRA (more relay flags),
# WRAP (a command the relay runs under: "strace -f -c -o FILE", "valgrind --tool=callgrind
# --callgrind-out-file=FILE", "chrt -f 20").
#
#  client ns: TUN 10.77.1.1/24, fd77::1/64  <->  relay (10.77.1.2, fd77::2)  in the middle ns
#  kernel ns: veth 10.79.0.1, fd79::1       <->  middle ns forwards (no relay)
#  middle ns: veth 10.78.0.1, fd78::1       <->  server ns 10.78.0.2, fd78::2
#             (iperf3 -s, relay_server.py's UDP echo on 8080)
#
# Per family and row: iperf3 single flow upload and download (Mbit/s at the receiver) and
# udp_rtt.py's sequential 64-byte UDP round trips per second; and those round trips from the
# kernel ns through a socat UDP forwarder in the middle ns (socat_hop).
set -euo pipefail
if [ $# -lt 1 ]; then sed -n 2,18p "$0"; exit 2; fi
zcstack=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3} secs=${IPERF_SECONDS:-3} count=${UDP_COUNT:-2000}
read -r -a zc_extra <<<"${ZC_EXTRA:-}"
read -r -a wrap <<<"${WRAP:-}"

tag=zcrf$$
scratch=$(mktemp -d "/tmp/$tag.XXXX")
results=$scratch/results
mid=$tag-m srv=$tag-s cli=$tag-c ker=$tag-k tun=zcrf$$
namespaces=() pids=()
cleanup() {
  local p n
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM
new_ns() { ip netns add "$1"; namespaces+=("$1"); ip -n "$1" link set lo up; }
bg() { # ns command...: start in the background (ip netns exec execs: the pid is the command's)
  local ns=$1; shift
  ip netns exec "$ns" "$@" >"$scratch/bg.${#pids[@]}.log" 2>&1 &
  pids+=($!)
}
result() { echo "$1 $2" | tee -a "$results"; }
veth() { # ns-a name-a ns-b name-b v4-a v4-b v6-a v6-b (/24 and /64)
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
  ip -n "$1" addr add "$5/24" dev "$2"
  ip -n "$3" addr add "$6/24" dev "$4"
  ip -n "$1" addr add "$7/64" dev "$2" nodad
  ip -n "$3" addr add "$8/64" dev "$4" nodad
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

echo "== $(date -u) uptime: $(uptime)"
for n in "$mid" "$srv" "$cli" "$ker"; do new_ns "$n"; done
veth "$mid" "$tag-m" "$srv" "$tag-s" 10.78.0.1 10.78.0.2 fd78::1 fd78::2
veth "$ker" "$tag-kc" "$mid" "$tag-km" 10.79.0.1 10.79.0.2 fd79::1 fd79::2
ip -n "$srv" route add 10.79.0.0/24 via 10.78.0.1
ip -n "$srv" -6 route add fd79::/64 via fd78::1
ip -n "$ker" route add default via 10.79.0.2
ip -n "$ker" -6 route add default via fd79::2
ip netns exec "$mid" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
bg "$srv" iperf3 -s
bg "$srv" python3 "$here/../tests/programs/relay_server.py" 8080 # UDP echo, both families
# A user-space UDP hop without a TUN (socat in the middle ns, one process per peer, two
# sockets, like the relay's flow): what any process in the path costs in wake-ups.
bg "$mid" socat -T 60 UDP4-LISTEN:9090,reuseaddr,fork UDP4:10.78.0.2:8080
bg "$mid" socat -T 60 UDP6-LISTEN:9090,reuseaddr,fork,ipv6only=1 UDP6:[fd78::2]:8080
bg "$mid" "${wrap[@]}" "$zcstack" relay --tun "$tun" --addr 10.77.1.2/24 --addr fd77::2/64 \
  --direct "${zc_extra[@]}"
for _ in $(seq 50); do ip -n "$mid" link show "$tun" >/dev/null 2>&1 && break; sleep 0.2; done
ip -n "$mid" link set "$tun" netns "$cli"
ip -n "$cli" addr add 10.77.1.1/24 dev "$tun"
ip -n "$cli" addr add fd77::1/64 dev "$tun" nodad
ip -n "$cli" link set "$tun" up
ip -n "$cli" route add default dev "$tun"
ip -n "$cli" -6 route add default dev "$tun"
sleep 1 # iperf3 -s listening; udp_rtt.py's warm-up covers neighbour discovery

iperf() { # ns server flags...: Mbit/s at the receiver
  local ns=$1 server=$2; shift 2
  ip netns exec "$ns" timeout $((secs + 30)) iperf3 -c "$server" -t "$secs" -f m "$@" |
    awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { print v }'
}
for round in $(seq "$rounds"); do
  echo "== round $round: $(uptime)"
  for fam in 4 6; do
    server=10.78.0.2
    [ "$fam" = 6 ] && server=fd78::2
    for row in "kernel $ker" "zc_direct $cli"; do
      read -r name ns <<<"$row"
      result "v$fam.$name.up1_mbit" "$(iperf "$ns" "$server")"
      result "v$fam.$name.down1_mbit" "$(iperf "$ns" "$server" -R)"
      out=$(ip netns exec "$ns" timeout 60 python3 "$here/udp_rtt.py" "$server" 8080 "$count" || true)
      result "v$fam.$name.udp_rr_per_s" "$(sed -n 's/.*: \([0-9]*\)\/s, lost.*/\1/p' <<<"$out")"
    done
    hop=10.79.0.2
    [ "$fam" = 6 ] && hop=fd79::2
    out=$(ip netns exec "$ker" timeout 60 python3 "$here/udp_rtt.py" "$hop" 9090 "$count" || true)
    result "v$fam.socat_hop.udp_rr_per_s" "$(sed -n 's/.*: \([0-9]*\)\/s, lost.*/\1/p' <<<"$out")"
  done
done
echo "== done $(date -u) uptime: $(uptime)"
ratios=()
for fam in 4 6; do
  for m in up1_mbit down1_mbit udp_rr_per_s; do
    ratios+=("v$fam.zc_direct.$m/v$fam.kernel.$m")
  done
  ratios+=("v$fam.zc_direct.udp_rr_per_s/v$fam.socat_hop.udp_rr_per_s")
done
for m in up1_mbit down1_mbit udp_rr_per_s; do
  ratios+=("v6.zc_direct.$m/v4.zc_direct.$m")
done
python3 "$here/summarize.py" "$results" "${ratios[@]}"
