#!/usr/bin/env python3
"""Writes samples/app-http-continuations.pcap and its copy cut at 60 bytes a frame: TCP
conversations on HTTP ports whose segments start no HTTP message, before and after a
request, where tshark 4.0's answer depends on what the conversation showed earlier
(`http` and `data` only after a request; a SYN on reused ports starts afresh).

usage: make_http_continuations.py [OUT_DIR]   (default: the directory of this script)
Deterministic: fixed addresses, sequence numbers and timestamps. Needs scapy 2.8.0.
"""
import os
import struct
import sys

from scapy.all import IP, TCP, Ether, Raw

CLIENT, SERVER = "10.11.0.1", "10.11.0.2"
CMAC, SMAC = "02:00:00:00:0b:01", "02:00:00:00:0b:02"
T0 = 1_700_100_000
frames = []


def conversation(cport, steps, sport=80, isn=1000):
    """A handshake, then each (side, payload) step in order, with the numbers that follow."""

    def segment(from_client, seq, ack, flags, payload=b""):
        src, dst, smac, dmac, a, b = (
            (CLIENT, SERVER, CMAC, SMAC, cport, sport)
            if from_client
            else (SERVER, CLIENT, SMAC, CMAC, sport, cport)
        )
        pkt = Ether(src=smac, dst=dmac) / IP(src=src, dst=dst) / TCP(
            sport=a, dport=b, seq=seq, ack=ack, flags=flags, window=64240
        )
        frames.append(bytes(pkt / Raw(payload) if payload else pkt))

    cseq, sseq = isn + 1, 5001
    segment(True, isn, 0, "S")
    segment(False, 5000, cseq, "SA")
    segment(True, cseq, sseq, "A")
    for side, payload in steps:
        if side == "c":
            segment(True, cseq, sseq, "PA", payload)
            cseq += len(payload)
        else:
            segment(False, sseq, cseq, "PA", payload)
            sseq += len(payload)


GET = b"GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n"
# No request first: text lines, a binary segment and a leading CRLF are plain TCP; lines
# that look like headers are HTTP either way.
conversation(41001, [("c", b"hello, not http\r\nsecond line\r\n"), ("s", b"\x01\x02binary reply"),
                     ("c", b"\r\nafter a blank line\r\n"), ("c", b"X-Looks: like a header\r\n")])
# A response alone is not a request: the text after it is plain TCP.
conversation(41002, [("s", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), ("c", b"text after a response\r\n")])
# After a request: continuations of every kind, also a body without an end of line.
conversation(41003, [("c", GET), ("s", b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n"),
                     ("s", b"body without an end of line"), ("s", b"\x00\x01binary body"),
                     ("c", b"X-Late: header\r\nthen a body line\r\n")], sport=8080)
# The same ports again after a SYN with another number: a new conversation, no request.
conversation(41003, [("c", b"text on reused ports\r\n")], sport=8080, isn=900_000)
# A request from the client makes the server's text HTTP too.
conversation(41004, [("c", GET), ("s", b"plain text reply\r\n")])


def write(path, snaplen=None):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen or 65535, 1))
        for i, data in enumerate(frames):
            kept = data[:snaplen] if snaplen else data
            f.write(struct.pack("<IIII", T0, i * 1000, len(kept), len(data)))
            f.write(kept)


out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
write(os.path.join(out, "app-http-continuations.pcap"))
write(os.path.join(out, "app-http-continuations-snap60.pcap"), 60)
