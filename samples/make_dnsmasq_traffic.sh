#!/usr/bin/env bash
# Captures real DHCPv4, DHCPv6 and DNS traffic from dnsmasq for zcdump's samples: dnsmasq
# serves one end of a veth pair, ISC dhclient and dig use the other, each end in a network
# namespace of its own made here (torn down on exit). Nothing leaves the two namespaces:
# dnsmasq answers from its own records (--no-resolv), and every address is a documentation
# prefix inside them.
#
#   real-dhcp.pcap  DHCPv4 DORA, a renewal and a release; DHCPv6 solicit/advertise/request/
#                   reply and a release
#   real-dns.pcap   A, AAAA, MX, TXT, SRV, CNAME, PTR, NXDOMAIN and a refused query, over
#                   UDP on IPv4 and IPv6 and over TCP
#
# usage: sudo make_dnsmasq_traffic.sh [OUT_DIR]   (default: this script's directory)
# Needs ip(8), tcpdump, dnsmasq, dhclient (isc-dhcp-client), dig (dnsutils). Run by hand,
# not in CI: times, transaction ids and DUIDs differ on every run, so after re-running,
# regenerate tests-data/tshark/ (tshark-fields.sh) for the two files.
set -euo pipefail
out=$(cd "${1:-$(dirname "$0")}" && pwd)
srv=zcdm-srv-$$
cli=zcdm-cli-$$
work=$(mktemp -d)
cleanup() {
  for ns in "$cli" "$srv"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  sleep 0.2
  for ns in "$cli" "$srv"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$srv"
ip netns add "$cli"
in_srv() { ip netns exec "$srv" "$@"; }
in_cli() { ip netns exec "$cli" "$@"; }
# Both ends are created inside the namespaces, so no interface ever exists on the host.
in_srv ip link add zcdms type veth peer name zcdmc netns "$cli"
for ns in "$srv" "$cli"; do
  # No duplicate address detection: link-local addresses are usable at once.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip netns exec "$ns" ip link set lo up
done
in_srv ip addr add 192.0.2.1/24 dev zcdms
in_srv ip addr add 2001:db8:1::1/64 dev zcdms nodad
in_srv ip link set zcdms up
in_cli ip link set zcdmc up
sleep 1

in_srv dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv \
  --interface=zcdms --bind-interfaces --pid-file="$work/dnsmasq.pid" \
  --dhcp-leasefile="$work/leases" --dhcp-authoritative \
  --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h \
  --dhcp-range=2001:db8:1::100,2001:db8:1::1ff,64,1h \
  --dhcp-option=option:router,192.0.2.1 --dhcp-option=option:domain-name,zcdump.test \
  --dhcp-option=option6:dns-server,[2001:db8:1::1] --domain=zcdump.test \
  --address=/www.zcdump.test/192.0.2.80 --address=/www.zcdump.test/2001:db8:1::80 \
  --mx-host=zcdump.test,mail.zcdump.test,10 --host-record=mail.zcdump.test,192.0.2.25 \
  --txt-record=zcdump.test,"v=spf1 -all" --srv-host=_sip._udp.zcdump.test,sip.zcdump.test,5060,0,5 \
  --cname=alias.zcdump.test,mail.zcdump.test --ptr-record=80.2.0.192.in-addr.arpa,www.zcdump.test \
  --local=/zcdump.test/ --log-facility="$work/dnsmasq.log" &
sleep 1

# Captures on the client's end of the link, only the protocols the sample is for.
capture() {
  in_cli tcpdump -i zcdmc -U -s 0 -w "$1" "$2" >/dev/null 2>&1 &
  cap_pid=$!
  sleep 0.5
}
stop_capture() {
  # tcpdump writes what it has read when told to stop; give it time to read the last.
  sleep 1
  kill "$cap_pid"
  wait "$cap_pid" 2>/dev/null || true
}

# dhclient's own script would rewrite the host's /etc/resolv.conf: /bin/true instead, and
# lease and pid files kept in the work directory.
dhc() {
  local n=$1
  shift
  in_cli timeout 20 dhclient -sf /bin/true -lf "$work/lease$n" -pf "$work/pid$n" "$@" zcdmc
}

capture "$out/real-dhcp.pcap" "udp port 67 or udp port 68 or udp port 546 or udp port 547"
dhc 4 -4 -1
in_cli ip addr add 192.0.2.100/24 dev zcdmc 2>/dev/null || true
dhc 4 -4 -1 # renewal of the lease just taken (a REQUEST from the bound client)
dhc 4 -4 -r
dhc 6 -6 -1
dhc 6 -6 -r
stop_capture

in_cli ip addr add 2001:db8:1::100/64 dev zcdmc nodad
capture "$out/real-dns.pcap" "port 53"
q() { in_cli timeout 5 dig +tries=1 +time=2 "$@" >/dev/null || true; }
q @192.0.2.1 www.zcdump.test A
q @192.0.2.1 www.zcdump.test AAAA
q @192.0.2.1 zcdump.test MX
q @192.0.2.1 zcdump.test TXT
q @192.0.2.1 _sip._udp.zcdump.test SRV
q @192.0.2.1 alias.zcdump.test A
q @192.0.2.1 -x 192.0.2.80
q @192.0.2.1 missing.zcdump.test A
q @192.0.2.1 example.org A # no upstream: refused
q @2001:db8:1::1 www.zcdump.test AAAA
q @192.0.2.1 +tcp mail.zcdump.test A
stop_capture
ls -l "$out/real-dhcp.pcap" "$out/real-dns.pcap"
