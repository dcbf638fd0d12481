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
    Ether, IP, IPv6, UDP, TCP, Raw,
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


if __name__ == "__main__":
    write("ipv6-options.pcap", ipv6_options())
