#!/usr/bin/env python3
"""Writes samples/app-http-continuations.pcap and its copy cut at 60 bytes a frame: TCP
conversations on HTTP ports whose segments start no HTTP message, before and after a
request, where tshark 4.0's answer depends on what the conversation showed earlier
(`http` and `data` only after a request; a SYN on reused ports starts afresh).

usage: make_http_continuations.py [OUT_DIR]   (default: the directory of this script)
Deterministic: fixed addresses, sequence numbers and timestamps. Needs scapy 2.8.0.
"""
import os
import sys

from tcp_capture import Capture

CLIENT, SERVER = "10.11.0.1", "10.11.0.2"
CMAC, SMAC = "02:00:00:00:0b:01", "02:00:00:00:0b:02"
capture = Capture(CLIENT, SERVER, CMAC, SMAC, t0=1_700_100_000)
conversation = capture.conversation


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


out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
capture.write(os.path.join(out, "app-http-continuations.pcap"))
capture.write(os.path.join(out, "app-http-continuations-snap60.pcap"), 60)
