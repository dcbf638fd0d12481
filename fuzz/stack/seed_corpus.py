#!/usr/bin/env python3
"""Writes the seed corpus of the `frames` target: one file per scenario, each a sequence of
operations in the harness's encoding (crates/zerocast-stack/src/testutil/fuzz.rs):
  op 0: Ethernet frame  [0][len u16][bytes]     op 2: pure-IP packet [2][len u16][bytes]
  op 4: clock jump      [4][ms u16]             op 5: UDP send [5][sock][fam][a][b][port u16][len u16]
  op 6: applications read                       op 7: ping [7][fam][len u16]
Valid frames addressed to the rig's addresses start the fuzzer deep inside the stack.
Run with a Python that has scapy 2.8 (scripts/setup.sh makes .ci/venv)."""
import os, struct, sys
from scapy.all import (ARP, Ether, Dot1Q, IP, IPv6, ICMP, UDP, Raw, fragment, IPv6ExtHdrFragment,
                       ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptMTU, ICMPv6MLQuery2, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrDestOpt, RouterAlert)
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mq

US_MAC, PEER_MAC = "02:00:00:00:00:02", "02:00:00:00:00:01"

def eth(pkt, dst=US_MAC):
    return bytes(Ether(src=PEER_MAC, dst=dst) / pkt)

def op_eth(frame): return bytes([0]) + struct.pack(">H", len(frame)) + frame
def op_ip(packet): return bytes([2]) + struct.pack(">H", len(packet)) + packet
def op_time(ms): return bytes([4]) + struct.pack(">H", ms)
def op_send(sock, fam, a, b, port, n): return bytes([5, sock, fam, a, b]) + struct.pack(">HH", port, n)
def op_read(): return bytes([6])
def op_ping(fam, n): return bytes([7, fam]) + struct.pack(">H", n)

arp_req = eth(ARP(op=1, hwsrc=PEER_MAC, psrc="10.0.0.1", pdst="10.0.0.2"), dst="ff:ff:ff:ff:ff:ff")
seeds = {
    "arp_then_ping": [op_eth(arp_req), op_eth(eth(IP(src="10.0.0.1", dst="10.0.0.2") / ICMP() / Raw(b"x" * 56)))],
    "udp_echo_port": [op_eth(arp_req), op_eth(eth(IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1234, dport=7) / b"hello")), op_read()],
    "udp_closed_port": [op_eth(eth(IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=9) / b"x"))],
    "ipv4_fragments": [op_eth(eth(f)) for f in fragment(IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=5, dport=7) / (b"f" * 3000), fragsize=1000)] + [op_read(), op_time(31000)],
    "ipv4_forward_ttl1": [op_eth(arp_req), op_eth(eth(IP(src="10.0.0.1", dst="10.1.0.9", ttl=1) / UDP(sport=5, dport=9)))],
    "vlan_ping": [op_eth(bytes(Ether(src=PEER_MAC, dst=US_MAC) / Dot1Q(vlan=5) / ARP(op=1, hwsrc=PEER_MAC, psrc="10.5.0.1", pdst="10.5.0.2"))),
                  op_eth(bytes(Ether(src=PEER_MAC, dst=US_MAC) / Dot1Q(vlan=5) / IP(src="10.5.0.1", dst="10.5.0.2") / ICMP()))],
    "ipv6_ns_then_ping": [op_eth(eth(IPv6(src="2001:db8::1", dst="ff02::1:ff00:2", hlim=255) / ICMPv6ND_NS(tgt="2001:db8::2") / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC), dst="33:33:ff:00:00:02")),
                          op_eth(eth(IPv6(src="2001:db8::1", dst="2001:db8::2") / ICMPv6EchoRequest(id=1, seq=1, data=b"p" * 40)))],
    "ipv6_udp_dns_port": [op_eth(eth(IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=5, dport=53) / b"q")), op_read()],
    "ipv6_fragments": [op_eth(eth(f)) for f in __import__("scapy.all", fromlist=["fragment6"]).fragment6(IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment() / UDP(sport=5, dport=53) / (b"g" * 3000), 1000)] + [op_read(), op_time(61000)],
    "ipv6_unknown_ext": [op_eth(eth(IPv6(src="2001:db8::1", dst="2001:db8::2", nh=200) / Raw(b"\x11\x00" + b"\x00" * 6)))],
    "router_advert": [op_eth(eth(IPv6(src="fe80::1", dst="ff02::1", hlim=255) / ICMPv6ND_RA(routerlifetime=1800) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC) / ICMPv6NDOptMTU(mtu=1400) / ICMPv6NDOptPrefixInfo(prefix="2001:db8:77::", prefixlen=64, L=1, A=1, validlifetime=3600, preferredlifetime=1800), dst="33:33:00:00:00:01")), op_time(5000), op_time(5000)],
    "mld_query": [op_eth(eth(IPv6(src="fe80::1", dst="ff02::1", hlim=1) / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLQuery2(), dst="33:33:00:00:00:01")), op_time(10000)],
    "igmp_query": [op_eth(eth(IP(src="10.0.0.1", dst="224.0.0.1", ttl=1, options=[b"\x94\x04\x00\x00"]) / IGMPv3(type=0x11, mrcode=100) / IGMPv3mq(), dst="01:00:5e:00:00:01")), op_time(10000)],
    "tun_ping_and_udp": [op_ip(bytes(IP(src="10.1.0.1", dst="10.1.0.2") / ICMP())), op_ip(bytes(IPv6(src="2001:db8:1::1", dst="2001:db8:1::2") / UDP(sport=9, dport=53) / b"t")), op_read()],
    "sockets_send_and_ping": [op_send(1, 0, 0, 1, 9, 100), op_send(1, 1, 1, 1, 9, 3000), op_ping(0, 56), op_ping(1, 2000), op_time(3000), op_read()],
    "timers_run_out": [op_eth(arp_req), op_send(0, 0, 0, 9, 9, 10), op_time(1000), op_time(1000), op_time(1000), op_time(60000)],
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "frames")
os.makedirs(out, exist_ok=True)
for name, ops in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"".join(ops))
print(f"wrote {len(seeds)} seeds to {out}", file=sys.stderr)
