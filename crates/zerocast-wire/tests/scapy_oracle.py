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
from scapy.all import (ICMPv6ND_RS, ICMPv6ND_RA, ICMPv6ND_NA, ICMPv6ND_Redirect, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptMTU, ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS, ICMPv6NDOptRedirectedHdr,
                       ICMPv6MLQuery, ICMPv6MLReport, ICMPv6MLDone, ICMPv6MLQuery2, ICMPv6MLReport2,
                       ICMPv6MLDMultAddrRec)
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3mq, IGMPv3mr, IGMPv3gr

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

# Single messages (ICMPv6 after a link-local IPv6 header that supplies the checksum's
# pseudo-header, or IGMPv3 alone), printed without padding.
ND = IPv6(src="fe80::1", dst="ff02::1", hlim=255)
redirected = IPv6(src="fd77::1", dst="fd77::99") / UDP(sport=1, dport=2)  # 48 bytes: no padding
icmpv6_messages = {
    "msg_ndp_rs": ND / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=B),
    "msg_ndp_ra": ND / ICMPv6ND_RA(chlim=64, M=0, O=1, prf=1, routerlifetime=1800, reachabletime=30000,
                                   retranstimer=1000)
        / ICMPv6NDOptSrcLLAddr(lladdr=B) / ICMPv6NDOptMTU(mtu=1500)
        / ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400, preferredlifetime=14400, prefix="fd77::")
        / ICMPv6NDOptRDNSS(lifetime=600, dns=["fd77::53", "fd77::54"]),
    "msg_ndp_ns": ND / ICMPv6ND_NS(tgt="fd77::2") / ICMPv6NDOptSrcLLAddr(lladdr=B),
    "msg_ndp_na": ND / ICMPv6ND_NA(R=1, S=1, O=0, tgt="fd77::2") / ICMPv6NDOptDstLLAddr(lladdr=B),
    "msg_ndp_redirect": ND / ICMPv6ND_Redirect(tgt="fe80::9", dst="fd77::99") / ICMPv6NDOptDstLLAddr(lladdr=B)
        / ICMPv6NDOptRedirectedHdr(pkt=bytes(redirected)),
    "msg_mldv1_query": ND / ICMPv6MLQuery(mrd=10000, mladdr="::"),
    "msg_mldv1_report": ND / ICMPv6MLReport(mladdr="ff02::fb"),
    "msg_mldv1_done": ND / ICMPv6MLDone(mladdr="ff02::fb"),
    "msg_mldv2_query": ND / ICMPv6MLQuery2(mrd=10000, mladdr="ff02::fb", S=1, QRV=2, QQIC=125,
                                           sources=["fd77::1", "fd77::2"]),
    "msg_mldv2_report": ND / ICMPv6MLReport2(records=[
        ICMPv6MLDMultAddrRec(rtype=4, dst="ff02::fb"),
        ICMPv6MLDMultAddrRec(rtype=1, dst="ff05::1:3", sources=["fd77::1"])]),
}
for name, pkt in icmpv6_messages.items():
    print(name, bytes(pkt)[40:].hex())
igmp_messages = {
    "msg_igmpv3_query": IGMPv3mq(mrcode=100, gaddr="232.1.1.1", s=1, qrv=2, qqic=125, srcaddrs=["10.0.0.1"]),
    "msg_igmpv3_report": IGMPv3mr(records=[
        IGMPv3gr(rtype=4, maddr="239.7.7.7"),
        IGMPv3gr(rtype=1, maddr="232.1.1.1", srcaddrs=["10.0.0.1", "10.0.0.2"])]),
}
for name, pkt in igmp_messages.items():
    print(name, bytes(pkt).hex())
