#!/usr/bin/env bash
# TCP over a TAP (issue 12's Performance section): zcstack against smoltcp 0.14's own TAP
# examples and against the kernel over a veth pair, in the same run, round after round.
# As root; run by hand (not in CI). Every stack gets its own namespace holding a TAP whose
# kernel end is 192.168.69.100/24; the stack under test is 192.168.69.1 (smoltcp's example
# address). The kernel anchor is two namespaces joined by a veth (10.66.0.1 -> 10.66.0.2).
#
#   crates/zcstack/bench/tcp_tap.sh [--quick] ZCSTACK SMOLTCP_BENCHMARK SMOLTCP_SERVER \
#       [EXTRA ZCSTACK SERVE FLAGS...]
#
# Binaries: `cargo build --release -p zcstack`; bench/build_smoltcp.sh OUTDIR builds the two
# smoltcp examples. Environment: ROUNDS (3), MB (1000: MiB per zcstack/kernel transfer),
# DROP_MB (64), RR_COUNT (20000), CRR_SECONDS (5), IPERF_SECONDS (5), SMOL_DROP (1: also
# run smoltcp's benchmark at 1 % drop, bounded by 90 s). --quick: one round, small sizes,
# no smoltcp bulk (its example always moves 1 GB), under a minute.
#
# Measurements (each is a RESULT line, summarized at the end with ratios):
# - bulk, the stack sending: curl GET /bytes/N from `zcstack serve --http`; smoltcp's
#   `benchmark reader`; kernel: iperf3 -R and curl from tcp_load's bytes-server.
# - bulk, the stack receiving: curl POST /sink (chunked from stdin); `benchmark writer`;
#   iperf3 and tcp_load send.
# - the stack as the active opener: `zcstack fetch` from and `zcstack send` to tcp_load
#   servers on the kernel end (wall time of the process, start-up included).
# - 1 % frame drop (`--drop 0.01`, both directions) on zcstack; `--drop-chance 1` on
#   smoltcp's benchmark. The kernel anchor has no drop (no netem on this machine).
# - with --offload, when `zcstack serve --help` lists it: bulk both ways and RR on a second
#   zcstack server whose TAP carries the virtio-net header (extra rows, same run).
# - 1-byte request/response p50/p99 (tcp_load rr) against zcstack --tcp-echo, the kernel
#   (tcp_load echo-server) and smoltcp's server example (port 6970 echoes reversed with a
#   newline: a 2-byte reply).
# - connections per second (tcp_load crr: connect, 1 byte out, reply in, close), 1 and 4
#   client threads; smoltcp's server has one socket per port, so only 1 thread against
#   its port 6969 (writes "hello\n" and closes).
set -euo pipefail
quick=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
if [ $# -lt 3 ]; then sed -n 2,34p "$0"; exit 2; fi
zcstack=$(realpath "$1") smol_bench=$(realpath "$2") smol_server=$(realpath "$3")
shift 3
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3} mb=${MB:-1000} drop_mb=${DROP_MB:-64} rr_count=${RR_COUNT:-20000}
crr_secs=${CRR_SECONDS:-5} iperf_secs=${IPERF_SECONDS:-5} smol_drop=${SMOL_DROP:-1}
smol_bulk=1
if [ "$quick" = 1 ]; then
  rounds=1 mb=100 drop_mb=8 rr_count=2000 crr_secs=1 iperf_secs=1 smol_bulk=0 smol_drop=0
fi

tag=zctt$$
scratch=$(mktemp -d "/tmp/$tag.XXXX")
results=$scratch/results
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

new_ns() { # name: a namespace with lo up and room for many short client connections
  ip netns add "$1"
  namespaces+=("$1")
  ip netns exec "$1" ip link set lo up
  ip netns exec "$1" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65000"
}
tap_ns() { # name: a namespace with zctap0, kernel end 192.168.69.100/24
  new_ns "$1"
  ip netns exec "$1" ip tuntap add zctap0 mode tap
  ip netns exec "$1" ip addr add 192.168.69.100/24 dev zctap0
  ip netns exec "$1" ip link set zctap0 up
}
bg() { # ns command...: start in the background, remember the pid
  local ns=$1; shift
  ip netns exec "$ns" "$@" >"$scratch/bg.$$.${#pids[@]}.log" 2>&1 &
  pids+=($!)
}
wait_reachable() { # ns ip port: up to 10 s for a TCP port to accept
  local i
  for i in $(seq 50); do
    if ip netns exec "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$2:$3 in $1 never answered" >&2
  return 1
}
result() { echo "$1 $2" | tee -a "$results"; }
mbit() { python3 -c "import sys; print(f'{float(sys.argv[1]) * 8 / 1e6:.1f}')" "$1"; }
field() { # key text: the value of key=value in text
  sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"
}
timed() { # command...: wall seconds of the command
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$t1"
}

echo "== $(date -u) uptime: $(uptime)"
echo "zcstack $zcstack ${extra[*]}"
bytes=$((mb << 20)) drop_bytes=$((drop_mb << 20))

# zcstack as the server, its clean and lossy instances, and the active-opener namespace.
tap_ns "$tag-zc"
bg "$tag-zc" "$zcstack" serve --tap zctap0 --addr 192.168.69.1/24 --http 80 --tcp-echo 7 "${extra[@]}"
tap_ns "$tag-zd"
bg "$tag-zd" "$zcstack" serve --tap zctap0 --addr 192.168.69.1/24 --http 80 \
  --drop 0.01 --seed 7 "${extra[@]}"
# With --offload (when this zcstack has it): the same server on a virtio-net-header TAP.
offload=0
if "$zcstack" serve --help | grep -q -- --offload; then
  offload=1
  tap_ns "$tag-zf"
  bg "$tag-zf" "$zcstack" serve --tap zctap0 --addr 192.168.69.1/24 --http 80 --tcp-echo 7 \
    --offload "${extra[@]}"
fi
tap_ns "$tag-zo"
bg "$tag-zo" "$load" bytes-server 192.168.69.100:8080
bg "$tag-zo" "$load" sink-server 192.168.69.100:9090
# smoltcp: the benchmark's namespace (one run per measurement) and the server's.
tap_ns "$tag-sb"
tap_ns "$tag-ss"
bg "$tag-ss" "$smol_server" --tap zctap0
# The kernel over a veth.
new_ns "$tag-ka"
new_ns "$tag-kb"
ip link add "$tag-a" netns "$tag-ka" type veth peer name "$tag-b" netns "$tag-kb"
ip netns exec "$tag-ka" ip addr add 10.66.0.1/24 dev "$tag-a"
ip netns exec "$tag-kb" ip addr add 10.66.0.2/24 dev "$tag-b"
ip netns exec "$tag-ka" ip link set "$tag-a" up
ip netns exec "$tag-kb" ip link set "$tag-b" up
bg "$tag-kb" iperf3 -s -B 10.66.0.2
bg "$tag-kb" "$load" echo-server 10.66.0.2:7
bg "$tag-kb" "$load" bytes-server 10.66.0.2:8080
bg "$tag-kb" "$load" sink-server 10.66.0.2:9090

wait_reachable "$tag-zc" 192.168.69.1 80
wait_reachable "$tag-zd" 192.168.69.1 80
if [ "$offload" = 1 ]; then wait_reachable "$tag-zf" 192.168.69.1 80; fi
wait_reachable "$tag-ss" 192.168.69.1 6969
wait_reachable "$tag-ka" 10.66.0.2 5201
wait_reachable "$tag-ka" 10.66.0.2 7

curl_down() { # ns url: Mbit/s of a download
  mbit "$(ip netns exec "$1" curl -sS --max-time 300 -o /dev/null -w '%{speed_download}' "$2")"
}
curl_up() { # ns url bytes: Mbit/s of a chunked POST from stdin
  mbit "$(head -c "$3" /dev/zero | ip netns exec "$1" curl -sS --max-time 300 -X POST -T - \
    -H 'Expect:' -o /dev/null -w '%{speed_upload}' "$2")"
}
smol_bulk() { # mode [middleware flags]: smoltcp's benchmark, Mbit/s (empty if it timed out)
  local mode=$1 out; shift
  out=$(ip netns exec "$tag-sb" timeout 90 "$smol_bench" --tap zctap0 "$@" "$mode" 2>&1 || true)
  sed -n 's/^throughput: \([0-9.]*\) Gbps.*/\1/p' <<<"$out" | awk '{ printf "%.1f\n", $1 * 1000 }'
}
iperf() { # extra iperf3 flags: Mbit/s at the receiver
  ip netns exec "$tag-ka" iperf3 -c 10.66.0.2 -t "$iperf_secs" -f m "$@" |
    awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }'
}
rr() { # key ns addr reply
  local out
  out=$(ip netns exec "$2" "$load" rr "$3" "$rr_count" "$4" || true)
  result "$1.rr_p50_us" "$(field p50_us "$out")"
  result "$1.rr_p99_us" "$(field p99_us "$out")"
}
crr() { # key ns addr threads reply
  local out
  out=$(ip netns exec "$2" "$load" crr "$3" "$crr_secs" "$4" "$5" 200000 || true)
  result "$1.crr${4}_per_s" "$(field per_s "$out")"
  result "$1.crr${4}_p99_us" "$(field p99_us "$out")"
  [ "$(field failed "$out")" = 0 ] || echo "   ($1 crr: $(field failed "$out") failed)"
}

for round in $(seq "$rounds"); do
  echo "== round $round: $(uptime)"
  # Bulk, the stack sending.
  result zcstack.send_mbit "$(curl_down "$tag-zc" "http://192.168.69.1/bytes/$bytes")"
  if [ "$smol_bulk" = 1 ]; then result smoltcp.send_mbit "$(smol_bulk reader)"; fi
  result kernel.send_mbit "$(iperf -R)"
  result kernel_curl.send_mbit "$(curl_down "$tag-ka" "http://10.66.0.2:8080/bytes/$bytes")"
  # Bulk, the stack receiving.
  result zcstack.recv_mbit "$(curl_up "$tag-zc" http://192.168.69.1/sink "$bytes")"
  if [ "$smol_bulk" = 1 ]; then result smoltcp.recv_mbit "$(smol_bulk writer)"; fi
  result kernel.recv_mbit "$(iperf)"
  out=$(ip netns exec "$tag-ka" "$load" send 10.66.0.2:9090 "$mb")
  result kernel_load.recv_mbit "$(field mbit_s "$out")"
  if [ "$offload" = 1 ]; then
    result zcstack_offload.send_mbit "$(curl_down "$tag-zf" "http://192.168.69.1/bytes/$bytes")"
    result zcstack_offload.recv_mbit "$(curl_up "$tag-zf" http://192.168.69.1/sink "$bytes")"
  fi
  # zcstack as the active opener (fetch downloads: the stack receives).
  s=$(timed ip netns exec "$tag-zo" "$zcstack" fetch --tap zctap0 --addr 192.168.69.1/24 \
    "${extra[@]}" -o /dev/null "http://192.168.69.100:8080/bytes/$bytes")
  result zcstack_fetch.recv_mbit "$(python3 -c "print(f'{$bytes * 8 / $s / 1e6:.1f}')")"
  s=$(timed bash -c "head -c $bytes /dev/zero | ip netns exec $tag-zo $zcstack send \
    --tap zctap0 --addr 192.168.69.1/24 ${extra[*]} 192.168.69.100:9090 >/dev/null")
  result zcstack_send.send_mbit "$(python3 -c "print(f'{$bytes * 8 / $s / 1e6:.1f}')")"
  # 1 % drop.
  result zcstack_drop1.send_mbit "$(curl_down "$tag-zd" "http://192.168.69.1/bytes/$drop_bytes")"
  result zcstack_drop1.recv_mbit "$(curl_up "$tag-zd" http://192.168.69.1/sink "$drop_bytes")"
  if [ "$smol_drop" = 1 ]; then
    v=$(smol_bulk reader --drop-chance 1)
    result smoltcp_drop1.send_mbit "${v:-0}"
    [ -n "$v" ] || echo "   (smoltcp reader at 1 % drop: 1 GB not done in 90 s: < 89 Mbit/s)"
  fi
  # Request/response and connections.
  rr zcstack "$tag-zc" 192.168.69.1:7 1
  if [ "$offload" = 1 ]; then rr zcstack_offload "$tag-zf" 192.168.69.1:7 1; fi
  rr smoltcp "$tag-ss" 192.168.69.1:6970 2
  rr kernel "$tag-ka" 10.66.0.2:7 1
  crr zcstack "$tag-zc" 192.168.69.1:7 1 1
  crr zcstack "$tag-zc" 192.168.69.1:7 4 1
  crr smoltcp "$tag-ss" 192.168.69.1:6969 1 6
  crr kernel "$tag-ka" 10.66.0.2:7 1 1
  crr kernel "$tag-ka" 10.66.0.2:7 4 1
done

echo "== done $(date -u) uptime: $(uptime)"
python3 "$here/summarize.py" "$results" \
  zcstack.send_mbit/smoltcp.send_mbit zcstack.send_mbit/kernel.send_mbit \
  zcstack.send_mbit/kernel_curl.send_mbit \
  zcstack.recv_mbit/smoltcp.recv_mbit zcstack.recv_mbit/kernel.recv_mbit \
  zcstack.recv_mbit/kernel_load.recv_mbit \
  zcstack_drop1.send_mbit/smoltcp_drop1.send_mbit \
  zcstack.rr_p50_us/smoltcp.rr_p50_us zcstack.rr_p50_us/kernel.rr_p50_us \
  zcstack.crr1_per_s/smoltcp.crr1_per_s zcstack.crr1_per_s/kernel.crr1_per_s \
  zcstack.crr4_per_s/kernel.crr4_per_s \
  zcstack_offload.send_mbit/zcstack.send_mbit zcstack_offload.recv_mbit/zcstack.recv_mbit \
  zcstack_offload.send_mbit/kernel.send_mbit zcstack_offload.recv_mbit/kernel.recv_mbit
