#!/usr/bin/env python3
"""Builds the frames of scapy_oracle.rs with scapy and prints `name hex` per line.

The field values here and in scapy_oracle.rs are the same; the Rust test builds its own
frames with zerocast-wire and requires identical bytes. Frames are padded with zeros to the
60-byte Ethernet minimum, as the Ethernet builder does.
"""
import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (ARP, ICMP, IP, UDP, TCP, Dot1Q, Dot1AD, Ether, IPv6, Raw,
                       ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPOption_Router_Alert)
from scapy.contrib.igmp import IGMP

A, B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
cases = {
    "ipv4_udp": Ether(dst=A, src=B) / IP(src="10.0.0.1", dst="10.0.0.2", ttl=64, id=0x1234, flags="DF", tos=0x10)
        / UDP(sport=40000, dport=7) / Raw(b"hello"),
    "vlan_ipv4_tcp_syn": Ether(dst=A, src=B) / Dot1Q(prio=3, vlan=42) / IP(src="10.77.42.1", dst="10.77.42.2", ttl=64, id=1)
        / TCP(sport=40042, dport=80, seq=1000, flags="S", window=8192,
              options=[("MSS", 1400), ("NOP", None), ("WScale", 7), ("SAckOK", b""), ("Timestamp", (1, 0))]),
    "qinq_ipv4_udp": Ether(dst=A, src=B, type=0x88a8) / Dot1AD(vlan=300) / Dot1Q(vlan=30)
        / IP(src="10.77.30.1", dst="10.77.30.2", ttl=64, id=1) / UDP(sport=40300, dport=40030) / Raw(b"qinq"),
    "ipv6_udp": Ether(dst=A, src=B) / IPv6(src="fd77::1", dst="fd77::2", hlim=64, tc=0x20, fl=0x12345)
        / UDP(sport=5353, dport=5353) / Raw(b"v6 datagram"),
    "ipv6_echo": Ether(dst=A, src=B) / IPv6(src="fd77::1", dst="fd77::2", hlim=64)
        / ICMPv6EchoRequest(id=0x77, seq=3, data=b"ping6"),
    "ipv6_ns": Ether(dst="33:33:ff:00:00:02", src=B) / IPv6(src="fd77::1", dst="ff02::1:ff00:2", hlim=255)
        / ICMPv6ND_NS(tgt="fd77::2") / ICMPv6NDOptSrcLLAddr(lladdr=B),
    "arp_request": Ether(dst="ff:ff:ff:ff:ff:ff", src=B) / ARP(op=1, hwsrc=B, psrc="10.0.0.1", hwdst="00:00:00:00:00:00", pdst="10.0.0.2"),
    "icmp_echo": Ether(dst=A, src=B) / IP(src="10.0.0.1", dst="10.0.0.2", ttl=64, id=7) / ICMP(type=8, id=0x4242, seq=9) / Raw(b"abcdefgh"),
    "igmpv2_report_router_alert": Ether(dst="01:00:5e:00:00:fb", src=B)
        / IP(src="10.0.0.1", dst="224.0.0.251", ttl=1, id=0, options=[IPOption_Router_Alert()])
        / IGMP(type=0x16, mrcode=0, gaddr="224.0.0.251"),
}
for name, pkt in cases.items():
    print(name, bytes(pkt).ljust(60, b"\0").hex())
