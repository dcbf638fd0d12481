#!/usr/bin/env python3
"""Writes samples/tcp-analysis-mix.pcap: TCP conversations with the events tshark's TCP
analysis names (retransmissions, fast retransmissions, duplicate ACKs, out-of-order and
lost segments, zero windows and probes, window updates, keep-alives) and ports reused for
a new connection after a close, plus UDP flows, so that -Y on tcp.stream, udp.stream and
tcp.analysis.* can be compared with tshark frame for frame.

usage: make_tcp_analysis.py [OUTPUT]   (needs scapy 2.8.0)
Deterministic: fixed addresses, sequence numbers and timestamps.
"""
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, wrpcap

CLIENT, SERVER = "10.9.0.1", "10.9.0.2"
CMAC, SMAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
frames = []
clock = [1_700_000_000.0]


def send(src, dst, sport, dport, seq, ack, flags, payload=b"", window=64240, gap=0.010):
    """Appends one segment `gap` seconds after the previous frame."""
    clock[0] += gap
    smac, dmac = (CMAC, SMAC) if src == CLIENT else (SMAC, CMAC)
    pkt = Ether(src=smac, dst=dmac) / IP(src=src, dst=dst) / TCP(
        sport=sport, dport=dport, seq=seq, ack=ack, flags=flags, window=window
    )
    if payload:
        pkt = pkt / Raw(payload)
    pkt.time = clock[0]
    frames.append(pkt)


def conversation(sport, cisn, sisn, events):
    """A handshake from CLIENT:sport to SERVER:80, then `events`, then a close."""
    c, s = cisn, sisn
    up = lambda *a, **k: send(CLIENT, SERVER, sport, 80, *a, **k)
    down = lambda *a, **k: send(SERVER, CLIENT, 80, sport, *a, **k)
    up(c, 0, "S")
    down(s, c + 1, "SA")
    c, s = c + 1, s + 1
    up(c, s, "A")
    c, s = events(up, down, c, s)
    up(c, s, "FA")
    down(s, c + 1, "FA")
    up(c + 1, s + 1, "A")


def data_events(up, down, c, s):
    seg = b"x" * 100
    up(c, s, "PA", seg)                   # normal data
    down(s, c + 100, "A")
    up(c + 100, s, "PA", seg)             # lost on the way: the next one shows a gap
    up(c + 200, s, "PA", seg)             # previous segment not captured: lost_segment
    down(s, c + 100, "A")                 # ACK for the hole
    down(s, c + 100, "A")                 # duplicate ACK 1
    down(s, c + 100, "A")                 # duplicate ACK 2
    down(s, c + 100, "A")                 # duplicate ACK 3
    up(c + 100, s, "PA", seg)             # fast retransmission of the hole
    down(s, c + 300, "A")
    up(c + 300, s, "PA", seg)             # normal data
    up(c + 300, s, "PA", seg, gap=0.300)  # timeout retransmission
    down(s, c + 400, "A")
    up(c + 500, s, "PA", seg)             # sent before the next: seen first
    up(c + 400, s, "PA", seg, gap=0.0005) # out-of-order, arrives 0.5 ms later
    down(s, c + 600, "A")
    up(c + 500, s, "PA", seg, gap=0.200)  # spurious retransmission: already ACKed
    return c + 600, s


def window_events(up, down, c, s):
    seg = b"y" * 200
    up(c, s, "PA", seg)
    down(s, c + 200, "A", window=0)       # zero window
    up(c + 200, s, "A", b"z")             # zero-window probe
    down(s, c + 200, "A", window=0)       # still zero
    down(s, c + 200, "A", window=8192)    # window update
    up(c + 200, s, "PA", seg)
    down(s, c + 400, "A")
    up(c + 399, s, "A", gap=1.0)          # keep-alive
    down(s, c + 400, "A")                 # keep-alive ACK
    down(s + 0, c + 900, "A")             # ACKs data never seen: ack_lost_segment
    return c + 400, s


conversation(40000, 1000, 5000, data_events)
conversation(40001, 2000, 6000, window_events)
conversation(40000, 90000, 70000, lambda up, down, c, s: (c, s))  # ports reused

for i, port in enumerate([41000, 42000, 43000, 42000]):
    clock[0] += 0.01
    pkt = Ether(src=CMAC, dst=SMAC) / IP(src=CLIENT, dst=SERVER) / UDP(
        sport=30000 + (i % 2), dport=port
    ) / Raw(b"q" * (10 + i))
    pkt.time = clock[0]
    frames.append(pkt)

wrpcap(sys.argv[1] if len(sys.argv) > 1 else "samples/tcp-analysis-mix.pcap", frames)
