#!/usr/bin/env bash
# Captures real application traffic for zcdump's samples, inside a network namespace of its
# own (loopback only, torn down on exit): HTTP/1.x between curl and python's http.server
# (on 8080, a port tshark knows for HTTP, and on 8000, which tshark finds by content), and
# TLS 1.2 and 1.3 handshakes between openssl s_client and s_server on 443.
#
# usage: sudo make_app_traffic.sh [OUT_DIR]   (default: this script's directory)
# Needs ip(8), tcpdump, curl, openssl, python3. The traffic's times, ports and keys differ
# on every run, so after re-running, regenerate tests-data/tshark/ (tshark-fields.sh).
set -euo pipefail
out=$(cd "${1:-$(dirname "$0")}" && pwd)
ns=zcapp-samples-$$
work=$(mktemp -d)
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
run() { ip netns exec "$ns" "$@"; }
run ip link set lo up

# Waits (at most 5 s) until something listens on TCP port $1 in the namespace (without
# connecting: a server may accept a set number of connections).
wait_port() {
  for _ in $(seq 50); do
    [ -n "$(run ss -Hltn "sport = :$1")" ] && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  return 1
}

# Starts tcpdump on the namespace's loopback writing $1; stops it with stop_capture.
capture() {
  ip netns exec "$ns" tcpdump -i lo -U -s 0 -w "$1" >/dev/null 2>&1 &
  cap_pid=$!
  sleep 0.5
}
stop_capture() {
  sleep 0.3
  kill "$cap_pid"
  wait "$cap_pid" 2>/dev/null || true
}

http() {
  mkdir -p "$work/www"
  printf 'hello from zcdump samples\n' > "$work/www/index.html"
  (cd "$work/www" && run python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1) &
  (cd "$work/www" && run python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1) &
  wait_port 8080
  wait_port 8000
  capture "$out/app-http.pcap"
  run curl -s -o /dev/null -A "zcdump-sample/1.0" -H "Accept: text/html" \
    -H "Referer: http://127.0.0.1/" -H "Cookie: a=1; b=2" -H "Accept-Language: en" \
    -H "Cache-Control: no-cache" -H "X-Forwarded-For: 192.0.2.7" --compressed \
    http://127.0.0.1:8080/index.html
  # A directory without its slash: the server answers 301 with a Location.
  mkdir -p "$work/www/dir"
  run curl -s -o /dev/null -u user:secret -H "Connection: keep-alive" http://127.0.0.1:8080/dir
  run curl -s -o /dev/null http://127.0.0.1:8080/missing?x=1
  run curl -s -o /dev/null -X POST -H "Content-Type: application/x-www-form-urlencoded" \
    --data "name=zcdump&kind=sample" http://127.0.0.1:8080/form
  run curl -s -o /dev/null -H "Transfer-Encoding: chunked" -H "Upgrade: websocket" \
    --data "chunk" "http://127.0.0.1:8080/chunked?a=1&b=2"
  run curl -s -o /dev/null --http1.0 -I http://127.0.0.1:8000/index.html
  stop_capture
}

tls() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=zcdump.test -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  run openssl s_server -quiet -accept 443 -cert "$work/cert.pem" -key "$work/key.pem" \
    -alpn h2,http/1.1 -naccept 2 >/dev/null 2>&1 &
  wait_port 443
  capture "$out/app-tls.pcap"
  for version in -tls1_3 -tls1_2; do
    echo | run timeout 5 openssl s_client -connect 127.0.0.1:443 -servername zcdump.test \
      -alpn http/1.1 $version >/dev/null 2>&1 || true
  done
  stop_capture
}

http
tls
ls -l "$out"/app-http.pcap "$out"/app-tls.pcap
