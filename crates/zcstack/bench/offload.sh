#!/usr/bin/env bash
# Offload (issue 13 item 3): one TCP flow through zcstack over a TUN and over a TAP, with
# `--offload` and without, against the kernel over a veth pair, in the same run, round after
# round. As root; run by hand (not in CI).
#
#   crates/zcstack/bench/offload.sh ZCSTACK
#
# Each zcstack case: a namespace holding a fresh TUN or TAP (kernel end 10.77.0.1/24), the
# stack at 10.77.0.2 serving `--http 80`; curl in the namespace downloads GET /bytes/N (the
# stack sending) and uploads POST /sink (the stack receiving). The kernel anchor: two
# namespaces joined by a veth, tcp_load's bytes-server on one end, curl on the other.
# Environment: ROUNDS (3), MB (500: MiB per transfer). Prints RESULT lines and a summary of
# medians with ratios.
set -euo pipefail
if [ $# -lt 1 ]; then sed -n 2,14p "$0"; exit 2; fi
zcstack=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3} mb=${MB:-500}
bytes=$((mb * 1048576))
tag=zcob$$
scratch=$(mktemp -d "/tmp/$tag.XXXX")
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

new_ns() { ip netns add "$1"; namespaces+=("$1"); ip netns exec "$1" ip link set lo up; }
bg() { local ns=$1; shift; ip netns exec "$ns" "$@" >"$scratch/bg.${#pids[@]}.log" 2>&1 & pids+=($!); }
wait_port() { # ns ip port
  for _ in $(seq 100); do
    ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no answer from $2:$3 in $1" >&2; return 1
}
mbit() { python3 -c "print(round(float('$1') * 8 / 1e6))"; }
down() { mbit "$(ip netns exec "$1" curl -sS --max-time 300 -o /dev/null -w '%{speed_download}' "$2")"; }
up() {
  mbit "$(head -c "$bytes" /dev/zero | ip netns exec "$1" curl -sS --max-time 300 -X POST -T - \
    -o /dev/null -w '%{speed_upload}' "$2")"
}

# zcstack cases: name, mode (tun|tap), extra flags.
cases=("tun_plain tun" "tun_offload tun --offload" "tap_plain tap" "tap_offload tap --offload")
for c in "${cases[@]}"; do
  set -- $c
  name=$1 mode=$2; shift 2
  ns=$tag-$name
  new_ns "$ns"
  ip netns exec "$ns" ip tuntap add zcof0 mode "$mode"
  ip netns exec "$ns" ip addr add 10.77.0.1/24 dev zcof0
  flag=(); [ "$mode" = tun ] && flag=(--tun)
  bg "$ns" "$zcstack" serve --tap zcof0 "${flag[@]}" --addr 10.77.0.2/24 --http 80 "$@"
  ip netns exec "$ns" ip link set zcof0 up
  wait_port "$ns" 10.77.0.2 80
done
new_ns "$tag-ka"; new_ns "$tag-kb"
ip link add "$tag-a" netns "$tag-ka" type veth peer name "$tag-b" netns "$tag-kb"
ip netns exec "$tag-ka" ip addr add 10.66.0.1/24 dev "$tag-a"
ip netns exec "$tag-kb" ip addr add 10.66.0.2/24 dev "$tag-b"
ip netns exec "$tag-ka" ip link set "$tag-a" up
ip netns exec "$tag-kb" ip link set "$tag-b" up
bg "$tag-kb" "$scratch/tcp_load" bytes-server 10.66.0.2:8080
wait_port "$tag-ka" 10.66.0.2 8080

results=$scratch/results
for r in $(seq "$rounds"); do
  echo "round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  for c in "${cases[@]}"; do
    set -- $c
    echo "RESULT $1.send_mbit $(down "$tag-$1" "http://10.77.0.2/bytes/$bytes")" | tee -a "$results"
    echo "RESULT $1.recv_mbit $(up "$tag-$1" http://10.77.0.2/sink)" | tee -a "$results"
  done
  echo "RESULT kernel.send_mbit $(down "$tag-ka" "http://10.66.0.2:8080/bytes/$bytes")" | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
vals = {}
for line in open(sys.argv[1]):
    _, key, v = line.split()
    vals.setdefault(key, []).append(float(v))
med = {k: statistics.median(v) for k, v in vals.items()}
print("medians (Mbit/s):", {k: int(v) for k, v in med.items()})
for link in ("tun", "tap"):
    for d in ("send", "recv"):
        on, off = med.get(f"{link}_offload.{d}_mbit"), med.get(f"{link}_plain.{d}_mbit")
        k = med.get("kernel.send_mbit")
        if on and off and k:
            print(f"{link} {d}: offload/plain {on / off:.2f}x, offload/kernel {on / k:.2f}x")
PY
