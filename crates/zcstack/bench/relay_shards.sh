#!/usr/bin/env bash
# By hand, as root (not in CI): zcstack relay --threads 1 vs 2 on 16 flows (iperf3 -P 16,
# upload and download with -R, Mbit/s at the receiver), alternating rounds in one run, with
# each run's per-shard flows, steered frames and driver batching (frames per wake-up).
#   crates/zcstack/bench/relay_shards.sh ZCSTACK [ROUNDS=2] [SECONDS=5]
# Namespaces: client (TUN 10.77.0.1) -> relay in the middle -> veth -> iperf3 -s 10.78.0.2.
# crates/zcstack/bench/relay.sh is the full comparison (tun2proxy, kernel path).
set -uo pipefail
zc=$1 rounds=${2:-2} secs=${3:-5}
tag=zcsb$$
c=$tag-c m=$tag-m s=$tag-s
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.3
  for n in $c $m $s; do ip netns del $n 2>/dev/null || true; done; rm -f /tmp/$tag.*; }
trap cleanup EXIT
for n in $c $m $s; do ip netns add $n; ip -n $n link set lo up; done
ip -n $m link add zcm0 type veth peer name zcs0 netns $s
ip -n $m addr add 10.78.0.1/24 dev zcm0; ip -n $m link set zcm0 up
ip -n $s addr add 10.78.0.2/24 dev zcs0; ip -n $s link set zcs0 up
ip netns exec $s iperf3 -s >/dev/null 2>&1 & pids+=($!)
sleep 0.5
for r in $(seq "$rounds"); do
  for t in 1 2; do
    ip netns exec $m "$zc" relay --tun zcsb0 --addr 10.77.0.2/24 --direct --threads $t 2>/tmp/$tag.relay.log & rp=$!; pids+=($rp)
    for i in $(seq 50); do grep -q ready /tmp/$tag.relay.log && break; sleep 0.1; done
    ip -n $m link set zcsb0 netns $c
    ip -n $c addr add 10.77.0.1/24 dev zcsb0; ip -n $c link set zcsb0 up
    ip -n $c route add default dev zcsb0
    ip netns exec $c iperf3 -c 10.78.0.2 -P 16 -t "$secs" -J > /tmp/$tag.up.json; up=$(cat /tmp/$tag.up.json | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))')
    down=$(ip netns exec $c iperf3 -c 10.78.0.2 -P 16 -t "$secs" -R -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))')
    kill -USR1 $rp; sleep 0.3
    shards=$(grep -m1 "^shards:" /tmp/$tag.relay.log || true)
    grep "driver:" /tmp/$tag.relay.log | head -$t
    echo "round $r threads $t: up $up Mbit/s, down $down Mbit/s; $shards; load $(cut -d' ' -f1 /proc/loadavg)"
    kill $rp; wait $rp 2>/dev/null || true
  done
done
