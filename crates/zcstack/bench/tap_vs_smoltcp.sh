#!/usr/bin/env bash
# Echo rates over a TAP: zcstack against smoltcp 0.14's `server` example, driven by the same
# clients in the same run (issue 11's TAP benchmark). As root. Each stack gets a fresh
# namespace with a TAP whose kernel end is 192.168.69.100/24 and fdaa::100/64 (smoltcp's
# example addresses); the stack is 192.168.69.1 and fdaa::1. Clients: `ping -f` (flood:
# the next request goes when the reply arrives) and a sequential UDP round-trip loop
# (bench/udp_rtt.py) to port 6969 (smoltcp's example answers there; zcstack echoes).
#
#   crates/zcstack/bench/tap_vs_smoltcp.sh ZCSTACK_BINARY SMOLTCP_SERVER_BINARY [COUNT]
#
# Build them with `cargo build --release -p zcstack` and, in a copy of smoltcp 0.14's
# source, `cargo build --release --example server --features iface-max-addr-count-3` (the
# example adds three addresses; the default limit of two makes it panic at start).
set -euo pipefail
zcstack=$1 smoltcp=$2 count=${3:-20000}
here=$(cd "$(dirname "$0")" && pwd)

run_one() { # name command...
  local name=$1; shift
  local ns=zcbench-$name-$$
  ip netns add "$ns"
  # shellcheck disable=SC2064
  trap "ip netns del $ns 2>/dev/null || true" RETURN
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip tuntap add zctap0 mode tap
  ip netns exec "$ns" ip addr add 192.168.69.100/24 dev zctap0
  ip netns exec "$ns" ip addr add fdaa::100/64 dev zctap0 nodad
  ip netns exec "$ns" ip link set zctap0 up
  ip netns exec "$ns" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep 2 # DAD of the stack's IPv6 address
  echo "== $name"
  ip netns exec "$ns" ping -q -f -c "$count" 192.168.69.1 | tail -n 2
  ip netns exec "$ns" ping -6 -q -f -c "$count" fdaa::1 | tail -n 2
  ip netns exec "$ns" python3 "$here/udp_rtt.py" 192.168.69.1 6969 "$count"
  ip netns exec "$ns" python3 "$here/udp_rtt.py" fdaa::1 6969 "$count"
  echo "max RSS: $(ps -o rss= -p "$pid") KiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_one zcstack "$zcstack" serve --tap zctap0 --addr 192.168.69.1/24 --addr fdaa::1/64 \
  --udp-echo 6969
run_one smoltcp "$smoltcp" --tap zctap0
