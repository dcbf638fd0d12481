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


def write_raw(name, linktype, frames):
    """Writes byte strings `frames` as a classic pcap of `linktype`, 1 ms apart."""
    import struct
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, data in enumerate(frames):
            f.write(struct.pack("<IIII", T0, i * 1000, len(data), len(data)))
            f.write(data)
    print(path)


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


def ip_payloads():
    """What every link type below carries: IPv4/UDP, IPv6/UDP and IPv4/TCP."""
    return [
        bytes(IP(src=V4_A, dst=V4_B, id=9) / UDP(sport=5353, dport=5353) / Raw(b"link")),
        bytes(IPv6(src=V6_A, dst=V6_B) / UDP(sport=546, dport=547) / Raw(b"link6")),
        bytes(IP(src=V4_B, dst=V4_A, id=10) / TCP(sport=22, dport=50000, flags="A", seq=5, ack=6)),
    ]


def link_types():
    """One small capture per link type, each carrying `ip_payloads()`: name, LINKTYPE_*
    number, frames."""
    import struct
    v4, v6, tcp4 = ip_payloads()
    mac = bytes.fromhex("02000000000a")
    def sll1(pkttype, proto, payload):
        return struct.pack(">HHH8sH", pkttype, 1, 6, mac + b"\0\0", proto) + payload
    def sll2(proto, ifindex, pkttype, payload):
        return struct.pack(">HHIHBB8s", proto, 0, ifindex, 1, pkttype, 6, mac + b"\0\0") + payload
    def llc_snap(ethertype, payload, oui=b"\0\0\0"):
        body = bytes([0xaa, 0xaa, 0x03]) + oui + struct.pack(">H", ethertype) + payload
        return bytes.fromhex("02000000000b") + mac + struct.pack(">H", len(body)) + body
    return [
        # BSD loopback: the address family in host byte order (little-endian here; 24,
        # 28 and 30 are the BSDs' AF_INET6), and OpenBSD's LOOP with it in network order.
        ("link-null.pcap", 0, [struct.pack("<I", 2) + v4, struct.pack("<I", 30) + v6,
                               struct.pack("<I", 24) + v6, struct.pack("<I", 2) + tcp4]),
        ("link-loop.pcap", 108, [struct.pack(">I", 2) + v4, struct.pack(">I", 24) + v6,
                                 struct.pack(">I", 2) + tcp4]),
        # PPP with and without the HDLC address/control bytes, and PPP in HDLC framing.
        ("link-ppp.pcap", 9, [b"\xff\x03\x00\x21" + v4, b"\x00\x57" + v6, b"\xff\x03\x00\x21" + tcp4]),
        ("link-ppp-hdlc.pcap", 50, [b"\xff\x03\x00\x21" + v4, b"\xff\x03\x00\x57" + v6,
                                    b"\xff\x03\x00\x21" + tcp4]),
        # Cisco HDLC: unicast and broadcast address bytes, EtherType protocol.
        ("link-chdlc.pcap", 104, [b"\x0f\x00\x08\x00" + v4, b"\x8f\x00\x86\xdd" + v6,
                                  b"\x0f\x00\x08\x00" + tcp4]),
        # Linux cooked v1 and v2: packet types 0 (to us), 4 (outgoing), 1 (broadcast).
        # Protocol 0x0004 is Linux's number for 802.2 LLC (here spanning tree's SAP).
        ("link-sll.pcap", 113, [sll1(0, 0x0800, v4), sll1(4, 0x86dd, v6), sll1(1, 0x0800, tcp4),
                                sll1(0, 0x0004, bytes([0x42, 0x42, 0x03]) + bytes(35))]),
        ("link-sll2.pcap", 276, [sll2(0x0800, 3, 0, v4), sll2(0x86dd, 7, 4, v6), sll2(0x0800, 3, 1, tcp4)]),
        # Raw IPv4 and IPv6 link types.
        ("link-ipv4.pcap", 228, [v4, tcp4]),
        ("link-ipv6.pcap", 229, [v6]),
        # IEEE 802.3 with LLC/SNAP carrying IP.
        # The last one has Cisco's OUI (protocol 0x2000 is CDP, not decoded).
        ("link-8023-snap.pcap", 1, [llc_snap(0x0800, v4), llc_snap(0x86dd, v6),
                                    llc_snap(0x2000, bytes(8), oui=b"\x00\x00\x0c")]),
    ]


def tunnels():
    """Encapsulations whose inner layers tshark shows as further occurrences: IP-in-IP,
    IPv6-in-IPv4, GRE (plain, with checksum, key and sequence number, bridging Ethernet,
    carrying MPLS), VXLAN on both ports, MPLS stacks over Ethernet and in UDP."""
    import struct
    v4, v6, tcp4 = ip_payloads()
    mac_a, mac_b = bytes.fromhex("02000000000a"), bytes.fromhex("02000000000b")
    inner_eth = mac_b + mac_a + b"\x08\x00" + v4
    def outer(proto, payload, src=V4_A, dst=V4_B):
        return bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=src, dst=dst, proto=proto, id=3) / Raw(payload))
    def outer_udp(dport, payload):
        return bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B, id=4)
                     / UDP(sport=49152, dport=dport) / Raw(payload))
    def gre(flags, proto, payload, words=b""):
        return struct.pack(">HH", flags, proto) + words + payload
    def label(value, bottom, ttl=64, exp=0):
        return struct.pack(">I", value << 12 | exp << 9 | bottom << 8 | ttl)
    return [
        outer(4, v4),
        outer(41, v6),
        outer(47, gre(0, 0x0800, tcp4)),
        outer(47, gre(0x3000, 0x0800, v4, struct.pack(">II", 0x01020304, 7))),
        outer(47, gre(0x8000, 0x86dd, v6, struct.pack(">HH", 0, 0))),
        outer(47, gre(0x2000, 0x6558, inner_eth, struct.pack(">I", 0x00abcd00))),
        outer(47, gre(0, 0x8847, label(100, 1) + v4)),
        outer_udp(4789, struct.pack(">BBBBI", 0x08, 0, 0, 0, 5001 << 8) + inner_eth),
        outer_udp(8472, struct.pack(">BBBBI", 0x08, 0, 0, 0, 42 << 8) + inner_eth),
        outer_udp(6635, label(16, 0, 63, 5) + label(200, 1, 62) + v6),
        mac_b + mac_a + b"\x88\x47" + label(1000, 0) + label(2000, 0) + label(3000, 1) + tcp4,
    ]


def erspan():
    """ERSPAN mirrored frames in GRE: type I (0x88BE without a GRE sequence number, no
    ERSPAN header), type II (0x88BE with one), type III (0x22EB), with and without its
    platform-specific subheader."""
    import struct
    v4, v6, tcp4 = ip_payloads()
    mac_a, mac_b = bytes.fromhex("02000000000a"), bytes.fromhex("02000000000b")
    inner_eth = mac_b + mac_a + b"\x08\x00" + v4
    def outer(payload):
        return bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B, proto=47, id=5) / Raw(payload))
    def gre(flags, proto, payload, words=b""):
        return struct.pack(">HH", flags, proto) + words + payload
    seq = struct.pack(">I", 9)
    type2 = struct.pack(">HHI", 1 << 12 | 100, 5 << 13 | 3 << 11 | 1 << 10 | 0x155, 0x12345)
    type3 = struct.pack(">HHIHH", 2 << 12 | 200, 3 << 13 | 1 << 11 | 0x2aa, 0xdeadbeef,
                        0x1234, 1 << 15 | 0x15 << 4 | 1 << 3 | 2 << 1)
    type3_o = struct.pack(">HHIHH", 2 << 12 | 7, 0x3ff, 1, 0, 3 << 1 | 1)
    platform = struct.pack(">II", 3 << 26 | 0x1234, 0x55667788)
    return [
        outer(gre(0, 0x88BE, inner_eth)),
        outer(gre(0x1000, 0x88BE, type2 + inner_eth, seq)),
        outer(gre(0x1000, 0x22EB, type3 + inner_eth, seq)),
        outer(gre(0x1000, 0x22EB, type3_o + platform + inner_eth, seq)),
    ]


def pim():
    """PIMv2 (RFC 7761 4.9): a hello with holdtime, DR priority and generation ID options,
    a register carrying an IPv4 packet, a null register, a register-stop, one with a bad
    checksum."""
    import struct
    v4, v6, tcp4 = ip_payloads()
    def internet_checksum(data):
        data += b"\0" * (len(data) % 2)
        total = sum(struct.unpack(">%dH" % (len(data) // 2), data))
        while total >> 16:
            total = (total & 0xffff) + (total >> 16)
        return ~total & 0xffff
    def msg(kind, body, fix=0):
        head = struct.pack(">BBH", 2 << 4 | kind, 0, 0)
        covered = head + (body if kind != 1 else body[:4])
        c = (internet_checksum(covered) + fix) & 0xffff
        return struct.pack(">BBH", 2 << 4 | kind, 0, c) + body
    def outer(payload, dst="224.0.0.13"):
        return bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=dst, proto=103, id=6, ttl=1) / Raw(payload))
    hello = struct.pack(">HHH", 1, 2, 105) + struct.pack(">HHI", 19, 4, 1) + struct.pack(">HHI", 20, 4, 0x11223344)
    null_inner = bytes(IP(src="198.51.100.7", dst="232.1.1.1", proto=0))[:20]
    return [
        outer(msg(0, hello)),
        outer(msg(1, struct.pack(">I", 0) + v4), dst=V4_B),
        outer(msg(1, struct.pack(">I", 0x40000000) + null_inner), dst=V4_B),
        outer(msg(0, hello, fix=1)),
    ]


def isl():
    """Cisco ISL: Ethernet frames tagged with VLAN 10 and 4094 (the latter a BPDU), each
    with its FCS and ISL's CRC after it."""
    import struct
    v4, v6, tcp4 = ip_payloads()
    mac_a, mac_b = bytes.fromhex("02000000000a"), bytes.fromhex("02000000000b")
    def frame(vlan, bpdu, inner):
        payload = inner + b"\xde\xad\xbe\xef"
        return (bytes.fromhex("01000c000000") + bytes.fromhex("00000c123456")
                + struct.pack(">H", len(payload) + 12) + bytes.fromhex("aaaa0300000c")
                + struct.pack(">HHH", vlan << 1 | bpdu, 0, 0) + payload + b"\x11\x22\x33\x44")
    return [frame(10, 0, mac_b + mac_a + b"\x08\x00" + v4),
            frame(4094, 1, mac_b + mac_a + b"\x86\xdd" + v6)]


def write_raw_cut(name, linktype, frames, snaplen):
    """As write_raw, each record keeping its first `snaplen` bytes."""
    import struct
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for i, data in enumerate(frames):
            f.write(struct.pack("<IIII", T0, i * 1000, min(len(data), snaplen), len(data)))
            f.write(data[:snaplen])
    print(path)


if __name__ == "__main__":
    write_raw("tunnels.pcap", 1, tunnels())
    write_raw("tunnels-erspan.pcap", 1, erspan())
    for snaplen in (48, 60):
        write_raw_cut("tunnels-erspan-snap%d.pcap" % snaplen, 1, erspan(), snaplen)
    write_raw("tunnels-pim.pcap", 1, pim())
    write_raw("tunnels-isl.pcap", 1, isl())
    write_raw_cut("tunnels-isl-snap40.pcap", 1, isl(), 40)
    write_raw_cut("tunnels-pim-snap50.pcap", 1, pim(), 50)
    for name, linktype, frames in link_types():
        write_raw(name, linktype, frames)
    write("ipv6-options.pcap", ipv6_options())
    write("claimed-layer-edges.pcap", claimed_layer_edges())
    # The same frames cut inside their transport headers and inside their payloads.
    write_cut("claimed-layer-edges-snap40.pcap", claimed_layer_edges(), 40)
    write_cut("claimed-layer-edges-snap50.pcap", claimed_layer_edges(), 50)
