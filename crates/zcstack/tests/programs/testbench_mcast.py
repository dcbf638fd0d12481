"""Multicast-listener scenarios of the packet-level testbench (imported by testbench.py).

The DUT is a source-specific listener: it joined SSM_GROUP4 from SOURCES4 (IGMPv3) and
SSM_GROUP6 from SOURCES6 (MLDv2), both in INCLUDE mode (Linux: ssm_join.py; zcstack:
--join-source). The bench plays the querier and sends Group-and-Source-Specific Queries;
RFC 3376 section 5.2 and RFC 3810 section 6.3 say the answer is a Current-State Record
IS_IN of the queried sources the filter includes, and nothing when it includes none. The
reports are decoded from raw bytes here, so each field checked is the one on the wire.
"""
import socket

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.utils import checksum

import testbench as tb

SSM_GROUP4 = "232.96.0.1"
SOURCES4 = ["10.96.0.51", "10.96.0.52"]
SSM_GROUP6 = "ff3e::9601"
SOURCES6 = ["fd96::51", "fd96::52"]
OTHER4, OTHER6 = "10.96.0.53", "fd96::53"
BENCH_LL6 = "fe80::96:1"
MODE_IS_INCLUDE = 1
ROUTER_ALERT4 = b"\x94\x04\x00\x00"
# Hop-by-Hop: next header ICMPv6, length 0, Router Alert (value 0: MLD), PadN of 2.
ROUTER_ALERT_HBH = bytes([58, 0, 5, 2, 0, 0, 1, 0])


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def igmpv3_query(group, sources, max_resp_code=10):
    """An IGMPv3 Group-and-Source-Specific Query (RFC 3376 4.1): to the group, TTL 1, the
    Router Alert, QRV 2, QQIC 125."""
    body = bytearray(bytes([0x11, max_resp_code, 0, 0]) + a4(group) + bytes([2, 125])
                     + len(sources).to_bytes(2, "big") + b"".join(a4(s) for s in sources))
    body[2:4] = checksum(bytes(body)).to_bytes(2, "big")
    mac = "01:00:5e:%02x:%02x:%02x" % tuple(a4(group)[1:])
    ip = IP(src=tb.BENCH_IP4, dst=group, ttl=1, tos=0xC0, proto=2, options=Raw(ROUTER_ALERT4))
    return Ether(dst=mac, src=tb.BENCH_MAC) / ip / Raw(bytes(body))


def mldv2_query(group, sources, max_resp_ms=1000):
    """An MLDv2 Multicast Address and Source Specific Query (RFC 3810 5.1): from a
    link-local address (section 5.1.14), to the group, hop limit 1, the Router Alert."""
    body = bytearray(bytes([130, 0, 0, 0]) + max_resp_ms.to_bytes(2, "big") + b"\x00\x00"
                     + a6(group) + bytes([2, 125]) + len(sources).to_bytes(2, "big")
                     + b"".join(a6(s) for s in sources))
    pseudo = a6(BENCH_LL6) + a6(group) + len(body).to_bytes(4, "big") + bytes([0, 0, 0, 58])
    body[2:4] = checksum(pseudo + bytes(body)).to_bytes(2, "big")
    mac = "33:33:" + ":".join("%02x" % b for b in a6(group)[12:])
    ip = IPv6(src=BENCH_LL6, dst=group, hlim=1, nh=0)
    return Ether(dst=mac, src=tb.BENCH_MAC) / ip / Raw(ROUTER_ALERT_HBH + bytes(body))


def igmpv3_records(pkt):
    """(record type, group, sources) of an IGMPv3 report in pkt, or None if it is not one."""
    if IP not in pkt or pkt[IP].proto != 2:
        return None
    raw = bytes(pkt[IP])
    msg = raw[pkt[IP].ihl * 4:pkt[IP].len]
    if len(msg) < 8 or msg[0] != 0x22:
        return None
    return parse_records(msg, 4)


def mldv2_records(pkt):
    """(record type, group, sources) of an MLDv2 report in pkt, or None if it is not one."""
    if IPv6 not in pkt:
        return None
    raw = bytes(pkt[IPv6])
    nh, off = raw[6], 40
    while nh in (0, 60) and off + 2 <= len(raw):  # Hop-by-Hop / Destination Options
        nh, off = raw[off], off + (raw[off + 1] + 1) * 8
    msg = raw[off:40 + int.from_bytes(raw[4:6], "big")]
    if nh != 58 or len(msg) < 8 or msg[0] != 143:
        return None
    return parse_records(msg, 16)


def parse_records(msg, alen):
    """The group records after a report's 8-byte header (RFC 3376 4.2, RFC 3810 5.2)."""
    family = socket.AF_INET if alen == 4 else socket.AF_INET6
    records, off = [], 8
    for _ in range(int.from_bytes(msg[6:8], "big")):
        kind, aux, n = msg[off], msg[off + 1], int.from_bytes(msg[off + 2:off + 4], "big")
        group = socket.inet_ntop(family, msg[off + 4:off + 4 + alen])
        start = off + 4 + alen
        sources = [socket.inet_ntop(family, msg[start + i * alen:start + (i + 1) * alen])
                   for i in range(n)]
        records.append((kind, group, sources))
        off = start + n * alen + aux * 4
    return records


def answer_to(b, records_of, group, timeout=3.0):
    """The first report from the DUT carrying a Current-State IS_IN record for group."""
    def is_answer(p):
        records = records_of(p) or []
        return any(r[0] == MODE_IS_INCLUDE and r[1] == group for r in records)
    return b.expect(is_answer, timeout)


def igmpv3_group_and_source_query_gets_is_in_of_the_included_sources(b):
    """RFC 3376 5.2: INCLUDE({S1, S2}) queried for {S2, S3} answers IS_IN({S2}) within the
    Max Resp Time, in a Version 3 report to 224.0.0.22 with TTL 1 and the Router Alert
    (section 4); queried for {S3} alone, it sends nothing."""
    b.send(igmpv3_query(SSM_GROUP4, [SOURCES4[1], OTHER4]))
    r = answer_to(b, igmpv3_records, SSM_GROUP4)
    tb.check(r is not None, "no IS_IN record for the group")
    tb.field("ip.dst", r[IP].dst, "224.0.0.22")
    tb.field("ip.ttl", r[IP].ttl, 1)
    tb.check(ROUTER_ALERT4 in bytes(r[IP])[20:r[IP].ihl * 4], "no Router Alert option")
    records = [x for x in igmpv3_records(r) if x[1] == SSM_GROUP4]
    tb.field("records", records, [(MODE_IS_INCLUDE, SSM_GROUP4, [SOURCES4[1]])])
    b.send(igmpv3_query(SSM_GROUP4, [OTHER4]))
    b.quiet(lambda p: bool([x for x in igmpv3_records(p) or [] if x[1] == SSM_GROUP4]), 1.5)


def mldv2_group_and_source_query_gets_is_in_of_the_included_sources(b):
    """RFC 3810 6.3: INCLUDE({S1, S2}) queried for {S1, S3} answers IS_IN({S1}), in a
    Version 2 report to ff02::16 with hop limit 1 (section 5); queried for {S3} alone,
    nothing."""
    b.send(mldv2_query(SSM_GROUP6, [OTHER6, SOURCES6[0]]))
    r = answer_to(b, mldv2_records, SSM_GROUP6)
    tb.check(r is not None, "no IS_IN record for the group")
    tb.field("ipv6.dst", r[IPv6].dst, "ff02::16")
    tb.field("ipv6.hlim", r[IPv6].hlim, 1)
    records = [x for x in mldv2_records(r) if x[1] == SSM_GROUP6]
    tb.field("records", records, [(MODE_IS_INCLUDE, SSM_GROUP6, [SOURCES6[0]])])
    b.send(mldv2_query(SSM_GROUP6, [OTHER6]))
    b.quiet(lambda p: bool([x for x in mldv2_records(p) or [] if x[1] == SSM_GROUP6]), 1.5)


SCENARIOS = [
    igmpv3_group_and_source_query_gets_is_in_of_the_included_sources,
    mldv2_group_and_source_query_gets_is_in_of_the_included_sources,
]
