#!/usr/bin/env bash
# The SOCKS5 proxy's own ceiling for relay.sh's SOCKS5 rows: kernel clients (curl, 200 MB
# download and upload, 2 rounds) to a server namespace over veths, directly (`direct`),
# through microsocks from another namespace (`socks`), and through microsocks from its own
# namespace (`socks-local`: the relay's position in relay.sh, proxy on the same host).
# As root; run by hand. Needs microsocks, curl, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
t=zcso$$
c=$t-c m=$t-m s=$t-s
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for n in $c $m $s; do ip netns del $n 2>/dev/null || true; done; rm -f /tmp/$t.*; }
trap cleanup EXIT INT TERM
for n in $c $m $s; do ip netns add $n; ip -n $n link set lo up; done
ip link add $t-a netns $c type veth peer name $t-b netns $m
ip link add $t-d netns $m type veth peer name $t-e netns $s
ip -n $c addr add 10.80.0.2/24 dev $t-a; ip -n $m addr add 10.80.0.1/24 dev $t-b
ip -n $m addr add 10.81.0.1/24 dev $t-d; ip -n $s addr add 10.81.0.2/24 dev $t-e
for x in "$c $t-a" "$m $t-b" "$m $t-d" "$s $t-e"; do set -- $x; ip -n $1 link set $2 up; done
ip -n $c route add default via 10.80.0.1; ip -n $s route add default via 10.81.0.1
ip netns exec $m sysctl -qw net.ipv4.ip_forward=1
ip netns exec $s python3 "$here/../tests/programs/relay_server.py" 8080 2>/tmp/$t.srv & pids+=($!)
ip netns exec $m microsocks -i 10.80.0.1 -p 1080 >/dev/null 2>&1 & pids+=($!)
sleep 1.5
n=200000000
head -c $n /dev/zero > /tmp/$t.up
for r in 1 2; do
for via in direct socks socks-local; do
  px=(); cl=$c; [ $via = socks ] && px=(--socks5 10.80.0.1:1080); [ $via = socks-local ] && { px=(--socks5 10.80.0.1:1080); cl=$m; }
  d=$(ip netns exec $cl curl -s "${px[@]}" -o /dev/null -w '%{speed_download}' --max-time 60 http://10.81.0.2:8080/bytes/$n)
  u=$(ip netns exec $cl curl -s "${px[@]}" -o /dev/null -w '%{speed_upload}' --max-time 60 -T /tmp/$t.up http://10.81.0.2:8080/sink)
  echo "round $r $via: down $(python3 -c "print(round($d*8/1e6))") Mbit/s, up $(python3 -c "print(round($u*8/1e6))") Mbit/s"
done; done
uptime
