#!/usr/bin/env python3
"""Writes zcdump's generated sample captures (deterministic: fixed times, addresses, ids).

usage: make_samples.py [OUT_DIR]   (default: the directory of this script)

Each sample exercises protocols or link types that the real-traffic samples
(kernel-mix*.pcap) lack; tests-data/tshark/ holds tshark's decode of each one
(tests-data/tshark/tshark-fields.sh), which the differential test compares with zcdump.
Requires scapy 2.8.0 (see DEVELOPERS.md: ZC_SCAPY_PYTHON).
"""
import os
import sys

from scapy.all import (  # noqa: F401  (scapy's star-module layout)
    Ether, Dot1Q, LLC, IP, IPv6, UDP, TCP, ICMP, Raw,
    IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, PadN,
    wrpcap,
)

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
T0 = 1_700_000_000


def write(name, packets, linktype=None):
    """Writes `packets` with times 1 ms apart from a fixed epoch."""
    for i, p in enumerate(packets):
        p.time = T0 + i / 1000
    path = os.path.join(OUT, name)
    if linktype is None:
        wrpcap(path, packets)
    else:
        wrpcap(path, packets, linktype=linktype)
    print(path)


def write_cut(name, packets, snaplen):
    """Writes `packets` as a classic pcap whose records keep only their first `snaplen`
    bytes (a capture cut by its snapshot length: orig_len stays the wire length)."""
    import struct
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        for i, p in enumerate(packets):
            data = bytes(p)
            f.write(struct.pack("<IIII", T0, i * 1000, min(len(data), snaplen), len(data)))
            f.write(data[:snaplen])
    print(path)


MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
V6_A, V6_B = "2001:db8::a", "2001:db8::b"


def ipv6_options():
    """IPv6 extension headers: hop-by-hop and destination options before UDP, and a
    destination options header before a fragment header (tshark's `ipv6.*opts.len_oct`)."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    return [
        eth / IPv6(src=V6_A, dst=V6_B) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")])
        / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]) / UDP(sport=40000, dport=9) / Raw(b"x" * 8),
        eth / IPv6(src=V6_A, dst=V6_B) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
        / IPv6ExtHdrFragment(id=0x1234, m=1, offset=0) / UDP(sport=40001, dport=9) / Raw(b"y" * 16),
        eth / IPv6(src=V6_B, dst=V6_A) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
        / TCP(sport=80, dport=40002, flags="SA", seq=1000, ack=1, window=512),
    ]


V4_A, V4_B = "192.0.2.1", "192.0.2.2"


def with_checksum(data, at):
    """`data` with the Internet checksum of all of it written at byte `at`."""
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return data[:at] + (0xffff - total).to_bytes(2, "big") + data[at + 2:]


def fix(p):
    """The packet as bytes with every length and checksum filled in, re-read as Ether."""
    return Ether(bytes(p))


def claimed_layer_edges():
    """Frames where tshark's rules about checksums and lengths decide a field: a zero UDP
    checksum (IPv4: not present; IPv6: illegal), IP, UDP and TCP lengths that disagree
    with the bytes, an 802.3 length frame inside a VLAN tag, and IGMP's DVMRP and PIMv1
    types, which tshark hands to their own dissectors."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    ip = IP(src=V4_A, dst=V4_B, id=7)
    out = [
        # Zero UDP checksums.
        eth / ip / UDP(sport=1000, dport=2000, chksum=0) / Raw(b"zero"),
        eth / IPv6(src=V6_A, dst=V6_B) / UDP(sport=1000, dport=2000, chksum=0) / Raw(b"zero"),
    ]
    # IP total length beyond the captured bytes (not a snapshot cut), UDP and TCP inside.
    for l4 in (UDP(sport=1001, dport=2001) / Raw(b"a" * 12),
               TCP(sport=1002, dport=2002, flags="PA", seq=1, ack=1) / Raw(b"b" * 12),
               ICMP(id=1, seq=1) / Raw(b"c" * 12)):
        good = fix(eth / ip / l4)
        good[IP].len += 20
        del good[IP].chksum
        out.append(Ether(bytes(good)))
    # IP total length shorter than the payload (trailing bytes), checksums over ip.len.
    for l4 in (UDP(sport=1003, dport=2003) / Raw(b"d" * 12),
               TCP(sport=1004, dport=2004, flags="A", seq=1, ack=1) / Raw(b"e" * 12)):
        p = fix(eth / ip / l4)
        p[IP].len -= 4
        del p[IP].chksum
        out.append(Ether(bytes(p)))
    # UDP length longer than the IP payload, and below the header's 8 bytes.
    for udp_len in (40, 4):
        p = fix(eth / ip / UDP(sport=1005, dport=2005) / Raw(b"f" * 12))
        p[UDP].len = udp_len
        out.append(Ether(bytes(p)))
    # IPv6 payload length beyond the captured bytes.
    p = fix(eth / IPv6(src=V6_A, dst=V6_B) / UDP(sport=1006, dport=2006) / Raw(b"g" * 12))
    p[IPv6].plen += 16
    out.append(Ether(bytes(p)))
    # 802.3 length frame (LLC) inside an 802.1Q tag.
    out.append(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=5, prio=3, type=38) / LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(b"\0" * 35))
    # IGMP types 0x13 (DVMRP) and 0x14 (PIMv1), and a plain IGMPv2 report to compare.
    for igmp in (bytes([0x13, 0, 0, 0, 0, 0, 0, 0]), bytes([0x14, 0, 0, 0, 0, 0, 0, 0]),
                 bytes([0x16, 0, 0, 0, 0xef, 0, 0, 1])):
        # Built as raw bytes (scapy's IGMP layer would add a router alert option).
        out.append(eth / IP(src=V4_A, dst="224.0.0.4", ttl=1, proto=2) / Raw(with_checksum(igmp, 2)))
    return out


if __name__ == "__main__":
    write("ipv6-options.pcap", ipv6_options())
    write("claimed-layer-edges.pcap", claimed_layer_edges())
    # The same frames cut inside their transport headers and inside their payloads.
    write_cut("claimed-layer-edges-snap40.pcap", claimed_layer_edges(), 40)
    write_cut("claimed-layer-edges-snap50.pcap", claimed_layer_edges(), 50)
