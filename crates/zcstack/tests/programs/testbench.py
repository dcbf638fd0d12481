#!/usr/bin/env python3
"""A packet-level testbench: raw frames injected at one end of a link, the device under test
(DUT) at the other, its replies checked field by field against the RFCs.

    testbench.py IFACE DUT_MAC [--suite=ip|tcp|mcast|all] [SCENARIO...]

The bench is 02:00:00:00:96:01 / 10.96.0.1 / fd96::1 and answers ARP and Neighbor
Solicitations for those addresses itself; the DUT is DUT_MAC / 10.96.0.2 / fd96::2. Every
scenario runs unchanged against Linux (a namespace on a veth pair: the oracle, proving each
check holds for a real stack) and against zcstack on a TAP. It prints one line per scenario
and exits 1 if any failed. Frames are built and decoded with scapy (ZC_SCAPY_PYTHON).
"""
import select
import socket
import sys
import time

from scapy.layers.inet import ICMP, IP, UDP, IPerror
from scapy.layers.inet6 import (
    ICMPv6DestUnreach,
    ICMPv6EchoReply,
    ICMPv6EchoRequest,
    ICMPv6ND_NA,
    ICMPv6ND_NS,
    ICMPv6NDOptDstLLAddr,
    ICMPv6NDOptSrcLLAddr,
    ICMPv6ParamProblem,
    IPv6,
    IPv6ExtHdrHopByHop,
    HBHOptUnknown,
)
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw
from scapy.utils import checksum

BENCH_MAC = "02:00:00:00:96:01"
BENCH_IP4, DUT_IP4 = "10.96.0.1", "10.96.0.2"
BENCH_IP6, DUT_IP6 = "fd96::1", "fd96::2"
ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def receive_time(ancillary):
    """The SCM_TIMESTAMPNS time (seconds, CLOCK_REALTIME) in recvmsg's ancillary data; the
    current time if there is none."""
    for level, kind, value in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
            return int.from_bytes(value[:8], "little") + int.from_bytes(value[8:16], "little") / 1e9
    return time.time()


class Bench:
    def __init__(self, iface, dut_mac):
        self.dut_mac = dut_mac.lower()
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((iface, 0))
        # The kernel's receive time of each frame (pkt.time), so timer checks measure the
        # DUT, not how long this process took to wake up and decode.
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)

    def send(self, frame):
        self.sock.send(bytes(frame))

    def _answer_resolution(self, pkt):
        """Answers the DUT's ARP requests and Neighbor Solicitations for the bench."""
        if ARP in pkt and pkt[ARP].op == 1 and pkt[ARP].pdst == BENCH_IP4:
            self.send(Ether(dst=pkt[ARP].hwsrc, src=BENCH_MAC)
                      / ARP(op=2, hwsrc=BENCH_MAC, psrc=BENCH_IP4,
                            hwdst=pkt[ARP].hwsrc, pdst=pkt[ARP].psrc))
        if ICMPv6ND_NS in pkt and pkt[ICMPv6ND_NS].tgt == BENCH_IP6 and pkt[IPv6].src != "::":
            self.send(Ether(dst=pkt[Ether].src, src=BENCH_MAC)
                      / IPv6(src=BENCH_IP6, dst=pkt[IPv6].src, hlim=255)
                      / ICMPv6ND_NA(tgt=BENCH_IP6, R=0, S=1, O=1)
                      / ICMPv6NDOptDstLLAddr(lladdr=BENCH_MAC))

    def expect(self, matches, timeout=2.0):
        """The first frame from the DUT for which matches(pkt) holds, or None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return None
            data, ancillary, _, addr = self.sock.recvmsg(65535, 64)
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            pkt = Ether(data)
            pkt.time = receive_time(ancillary)
            if pkt.src.lower() != self.dut_mac:
                continue
            self._answer_resolution(pkt)
            if matches(pkt):
                return pkt

    def quiet(self, matches, timeout=1.0):
        """Asserts that no frame from the DUT matches within timeout."""
        pkt = self.expect(matches, timeout)
        check(pkt is None, f"expected silence, got {pkt!r}")

    def to_dut4(self, dut_mac=None):
        return Ether(dst=dut_mac or self.dut_mac, src=BENCH_MAC) / IP(src=BENCH_IP4, dst=DUT_IP4)

    def to_dut6(self):
        return Ether(dst=self.dut_mac, src=BENCH_MAC) / IPv6(src=BENCH_IP6, dst=DUT_IP6)


class Failed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failed(message)


def field(name, got, want):
    check(got == want, f"{name}: got {got!r}, want {want!r}")


def ipv4_checksum_ok(pkt):
    header = bytes(pkt[IP])[: pkt[IP].ihl * 4]
    return checksum(header) == 0


def icmpv4_checksum_ok(pkt):
    return checksum(bytes(pkt[ICMP])) == 0


def icmpv6_checksum_ok(pkt, layer):
    """Verifies an ICMPv6 checksum over the pseudo-header (RFC 8200 section 8.1, RFC 4443
    section 2.3); the packets checked carry no extension headers."""
    ip6 = pkt[IPv6]
    body = bytes(pkt[layer])
    pseudo = (socket.inet_pton(socket.AF_INET6, ip6.src) + socket.inet_pton(socket.AF_INET6, ip6.dst)
              + len(body).to_bytes(4, "big") + bytes([0, 0, 0, 58]))
    return checksum(pseudo + body) == 0


# --- scenarios -----------------------------------------------------------------------------

def arp_request_gets_a_reply(b):
    """RFC 826 ("Packet Reception"): a request for our address is answered with op 2, the
    fields swapped, our hardware address as sender, to the requester's hardware address."""
    b.send(Ether(dst="ff:ff:ff:ff:ff:ff", src=BENCH_MAC)
           / ARP(op=1, hwsrc=BENCH_MAC, psrc=BENCH_IP4, hwdst="00:00:00:00:00:00", pdst=DUT_IP4))
    r = b.expect(lambda p: ARP in p and p[ARP].op == 2 and p[ARP].psrc == DUT_IP4)
    check(r is not None, "no ARP reply")
    field("eth.dst", r[Ether].dst, BENCH_MAC)
    field("arp.hwtype/ptype/hwlen/plen", (r[ARP].hwtype, r[ARP].ptype, r[ARP].hwlen, r[ARP].plen),
          (1, 0x0800, 6, 4))
    field("arp.hwsrc", r[ARP].hwsrc, b.dut_mac)
    field("arp.hwdst", r[ARP].hwdst, BENCH_MAC)
    field("arp.pdst", r[ARP].pdst, BENCH_IP4)


def arp_request_for_another_address_is_ignored(b):
    """RFC 826: a request whose target protocol address is not ours gets no reply."""
    b.send(Ether(dst="ff:ff:ff:ff:ff:ff", src=BENCH_MAC)
           / ARP(op=1, hwsrc=BENCH_MAC, psrc=BENCH_IP4, pdst="10.96.0.77"))
    b.quiet(lambda p: ARP in p and p[ARP].op == 2)


def icmp_echo_reply_mirrors_the_request(b):
    """RFC 792 (Echo): type 0, same identifier, sequence number and data; addresses swapped;
    valid IPv4 and ICMP checksums (RFC 1122 3.2.2.6)."""
    payload = bytes(range(256)) * 2
    b.send(b.to_dut4() / ICMP(type=8, id=0x4242, seq=7) / Raw(payload))
    r = b.expect(lambda p: ICMP in p and p[ICMP].type == 0 and p[ICMP].id == 0x4242)
    check(r is not None, "no echo reply")
    field("ip.src", r[IP].src, DUT_IP4)
    field("ip.dst", r[IP].dst, BENCH_IP4)
    field("icmp.code", r[ICMP].code, 0)
    field("icmp.seq", r[ICMP].seq, 7)
    field("icmp.data", bytes(r[ICMP].payload), payload)
    check(r[IP].ttl > 0, "ttl 0")
    check(ipv4_checksum_ok(r), "bad IPv4 header checksum")
    check(icmpv4_checksum_ok(r), "bad ICMP checksum")


def fragmented_echo_request_is_reassembled(b):
    """RFC 791 (Fragmentation and Reassembly): an echo request in two fragments is
    reassembled and answered with the whole data (in one packet or in fragments)."""
    payload = bytes((i * 7) & 0xFF for i in range(1200))
    icmp = bytes(ICMP(type=8, id=0x5151, seq=1) / Raw(payload))
    eth = Ether(dst=b.dut_mac, src=BENCH_MAC)
    b.send(eth / IP(src=BENCH_IP4, dst=DUT_IP4, id=0x5151, flags="MF", frag=0, proto=1)
           / Raw(icmp[:600]))
    b.send(eth / IP(src=BENCH_IP4, dst=DUT_IP4, id=0x5151, frag=600 // 8, proto=1)
           / Raw(icmp[600:]))
    got = bytearray()
    reply_id = None
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        r = b.expect(lambda p: IP in p and p[IP].src == DUT_IP4 and p[IP].proto == 1
                     and (reply_id is None or p[IP].id == reply_id),
                     timeout=max(0.01, deadline - time.monotonic()))
        if r is None:
            break
        reply_id = r[IP].id
        offset = r[IP].frag * 8
        data = bytes(r[IP].payload)
        if len(got) < offset + len(data):
            got.extend(bytes(offset + len(data) - len(got)))
        got[offset: offset + len(data)] = data
        if not r[IP].flags.MF and len(got) >= len(icmp):
            break
    check(len(got) == len(icmp), f"reply has {len(got)} bytes of ICMP, want {len(icmp)}")
    field("icmp.type", got[0], 0)
    field("icmp.id", int.from_bytes(got[4:6], "big"), 0x5151)
    field("icmp.data", bytes(got[8:]), payload)
    field("icmp checksum", checksum(bytes(got)), 0)


def bad_ipv4_header_checksum_is_dropped_silently(b):
    """RFC 1122 3.2.1.2: a datagram whose header checksum fails is silently discarded."""
    pkt = b.to_dut4() / ICMP(type=8, id=0x6060, seq=1) / Raw(b"x" * 32)
    raw = bytearray(bytes(pkt))
    raw[14 + 10] ^= 0xFF  # corrupt the IPv4 header checksum
    b.send(bytes(raw))
    b.quiet(lambda p: ICMP in p and p[ICMP].id == 0x6060)


def udp_to_a_closed_port_gets_port_unreachable(b):
    """RFC 1122 4.1.3.1 / RFC 792: ICMP type 3 code 3, quoting the IP header and at least
    the first 8 bytes of the datagram (RFC 1812 4.3.2.3: as much as fits in 576)."""
    sent = b.to_dut4() / UDP(sport=40000, dport=9) / Raw(b"knock knock")
    b.send(sent)
    r = b.expect(lambda p: ICMP in p and p[ICMP].type == 3)
    check(r is not None, "no destination unreachable")
    field("icmp.code", r[ICMP].code, 3)
    field("ip.dst", r[IP].dst, BENCH_IP4)
    check(icmpv4_checksum_ok(r), "bad ICMP checksum")
    quoted = bytes(r[ICMP].payload)
    original = bytes(sent[IP])
    check(len(quoted) >= 28, f"quote of {len(quoted)} bytes, want >= 28")
    field("quoted datagram", quoted[: len(original)], original[: len(quoted)])


def unknown_ipv4_protocol_gets_protocol_unreachable(b):
    """RFC 1122 3.2.2.1: a datagram for a protocol we do not speak gets ICMP type 3 code 2."""
    sent = b.to_dut4() / Raw(b"\x00" * 16)
    sent[IP].proto = 253
    b.send(sent)
    r = b.expect(lambda p: ICMP in p and p[ICMP].type == 3)
    check(r is not None, "no destination unreachable")
    field("icmp.code", r[ICMP].code, 2)
    field("quoted protocol", IPerror(bytes(r[ICMP].payload)).proto, 253)


def neighbor_solicitation_gets_a_solicited_advertisement(b):
    """RFC 4861 7.2.4: a solicitation for our address is answered with a Neighbor
    Advertisement to the solicitor, S set, O set (not an anycast address), the target, and
    our link-layer address in a Target Link-Layer Address option; hop limit 255 (7.1.2)."""
    r = None
    for _ in range(6):  # the DUT's address may still be tentative for about a second
        b.send(Ether(dst="33:33:ff:00:00:02", src=BENCH_MAC)
               / IPv6(src=BENCH_IP6, dst="ff02::1:ff00:2", hlim=255)
               / ICMPv6ND_NS(tgt=DUT_IP6) / ICMPv6NDOptSrcLLAddr(lladdr=BENCH_MAC))
        r = b.expect(lambda p: ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == DUT_IP6, timeout=0.5)
        if r is not None:
            break
    check(r is not None, "no neighbor advertisement")
    field("ipv6.dst", r[IPv6].dst, BENCH_IP6)
    field("ipv6.hlim", r[IPv6].hlim, 255)
    field("na.S", r[ICMPv6ND_NA].S, 1)
    field("na.O", r[ICMPv6ND_NA].O, 1)
    field("na.R", r[ICMPv6ND_NA].R, 0)
    check(ICMPv6NDOptDstLLAddr in r, "no target link-layer address option")
    field("tlla", r[ICMPv6NDOptDstLLAddr].lladdr, b.dut_mac)
    check(icmpv6_checksum_ok(r, ICMPv6ND_NA), "bad ICMPv6 checksum")


def icmpv6_echo_reply_mirrors_the_request(b):
    """RFC 4443 4.2: type 129, the identifier, sequence number and data of the request."""
    payload = bytes(range(200))
    b.send(b.to_dut6() / ICMPv6EchoRequest(id=0x6262, seq=3, data=payload))
    r = b.expect(lambda p: ICMPv6EchoReply in p and p[ICMPv6EchoReply].id == 0x6262)
    check(r is not None, "no echo reply")
    field("ipv6.src", r[IPv6].src, DUT_IP6)
    field("ipv6.dst", r[IPv6].dst, BENCH_IP6)
    field("seq", r[ICMPv6EchoReply].seq, 3)
    field("data", bytes(r[ICMPv6EchoReply].data), payload)
    check(icmpv6_checksum_ok(r, ICMPv6EchoReply), "bad ICMPv6 checksum")


def udp6_to_a_closed_port_gets_port_unreachable(b):
    """RFC 4443 3.1: type 1 code 4, quoting as much of the packet as fits in 1280 bytes."""
    sent = b.to_dut6() / UDP(sport=40001, dport=9) / Raw(b"anyone there?")
    b.send(sent)
    r = b.expect(lambda p: ICMPv6DestUnreach in p)
    check(r is not None, "no destination unreachable")
    field("code", r[ICMPv6DestUnreach].code, 4)
    quoted = bytes(r[ICMPv6DestUnreach].payload)
    field("quoted packet", quoted, bytes(sent[IPv6]))


def unknown_next_header_gets_parameter_problem(b):
    """RFC 8200 section 4: an unrecognised Next Header value is answered with Parameter
    Problem code 1, pointer at the Next Header field (offset 6 of the IPv6 header)."""
    sent = b.to_dut6() / Raw(b"\x00" * 16)
    sent[IPv6].nh = 253
    b.send(sent)
    r = b.expect(lambda p: ICMPv6ParamProblem in p)
    check(r is not None, "no parameter problem")
    field("code", r[ICMPv6ParamProblem].code, 1)
    field("pointer", r[ICMPv6ParamProblem].ptr, 6)


def unknown_hop_by_hop_option_10_gets_parameter_problem(b):
    """RFC 8200 section 4.2: an unrecognised option whose type starts with binary 10 means
    discard and send Parameter Problem code 2 pointing at the option type."""
    sent = (b.to_dut6() / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x80, optdata=b"\x00" * 4)])
            / ICMPv6EchoRequest(id=0x6363, seq=1))
    b.send(sent)
    r = b.expect(lambda p: ICMPv6ParamProblem in p or ICMPv6EchoReply in p)
    check(r is not None and ICMPv6ParamProblem in r, f"want parameter problem, got {r!r}")
    field("code", r[ICMPv6ParamProblem].code, 2)
    field("pointer", r[ICMPv6ParamProblem].ptr, 40 + 2)


def no_parameter_problem_about_an_icmpv6_error(b):
    """RFC 4443 2.4 (e.1): no ICMPv6 error in response to an ICMPv6 error message, even for
    an unrecognised option of type 10 that would otherwise demand one (RFC 8200 4.2)."""
    quoted = bytes(IPv6(src=DUT_IP6, dst=BENCH_IP6) / UDP(sport=7, dport=40002))
    sent = (b.to_dut6() / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x80, optdata=b"\x00" * 4)])
            / ICMPv6DestUnreach(code=4) / Raw(quoted))
    b.send(sent)
    b.quiet(lambda p: ICMPv6ParamProblem in p)


SCENARIOS = [
    arp_request_gets_a_reply,
    arp_request_for_another_address_is_ignored,
    icmp_echo_reply_mirrors_the_request,
    fragmented_echo_request_is_reassembled,
    bad_ipv4_header_checksum_is_dropped_silently,
    udp_to_a_closed_port_gets_port_unreachable,
    unknown_ipv4_protocol_gets_protocol_unreachable,
    neighbor_solicitation_gets_a_solicited_advertisement,
    icmpv6_echo_reply_mirrors_the_request,
    udp6_to_a_closed_port_gets_port_unreachable,
    unknown_next_header_gets_parameter_problem,
    unknown_hop_by_hop_option_10_gets_parameter_problem,
    no_parameter_problem_about_an_icmpv6_error,
]


def suites():
    """The scenario lists by name: "ip" (above), "tcp" (testbench_tcp.py), "mcast"
    (testbench_mcast.py), "all"."""
    # testbench_tcp imports this module by name; when it runs as a script, that name must
    # be this very module (one Failed class, one Bench).
    sys.modules.setdefault("testbench", sys.modules[__name__])
    import testbench_mcast
    import testbench_tcp

    return {"ip": SCENARIOS, "tcp": testbench_tcp.SCENARIOS, "mcast": testbench_mcast.SCENARIOS,
            "all": SCENARIOS + testbench_tcp.SCENARIOS + testbench_mcast.SCENARIOS}


def main():
    """testbench.py IFACE DUT_MAC [--suite=ip|tcp|mcast|all] [SCENARIO...]"""
    iface, dut_mac = sys.argv[1], sys.argv[2]
    suite = "ip"
    only = set()
    for arg in sys.argv[3:]:
        if arg.startswith("--suite="):
            suite = arg.split("=", 1)[1]
        else:
            only.add(arg)
    scenarios = suites()[suite]
    bench = Bench(iface, dut_mac)
    failed = 0
    for scenario in scenarios:
        if only and scenario.__name__ not in only:
            continue
        started = time.monotonic()
        try:
            scenario(bench)
            print(f"PASS {scenario.__name__} ({time.monotonic() - started:.2f} s)", flush=True)
        except Failed as e:
            failed += 1
            print(f"FAIL {scenario.__name__}: {e}", flush=True)
        # Rate limits on ICMP errors (both Linux and zcstack have token buckets): pace.
        time.sleep(0.05)
    print(f"{len(scenarios) - failed if not only else '-'} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
