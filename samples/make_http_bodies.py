#!/usr/bin/env python3
"""Writes samples/app-http-bodies.pcap and its copy cut at 120 bytes a frame: HTTP messages
whose body is in the segment that holds their header lines, one TCP conversation each, so
that tshark 4.0 hands each body on by its media type (data, data-text-lines, xml, json,
mime_multipart, png, urlencoded-form, media), reads chunked bodies, and reads the bytes
after a body as a further message or as data.

usage: make_http_bodies.py [OUT_DIR]   (default: the directory of this script)
Deterministic: fixed addresses, sequence numbers and timestamps. Needs scapy 2.8.0.
"""
import os
import sys

from tcp_capture import Capture

CLIENT, SERVER = "10.12.0.1", "10.12.0.2"
CMAC, SMAC = "02:00:00:00:0c:01", "02:00:00:00:0c:02"
capture = Capture(CLIENT, SERVER, CMAC, SMAC, t0=1_700_200_000)
conversation = capture.conversation


GET = b"GET /item HTTP/1.1\r\nHost: bodies.example\r\n\r\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
       b"\x00\x00\x00\x90wS\xde")


def response(content_type, body, length=True, extra=b"", status=b"200 OK"):
    head = b"HTTP/1.1 " + status + b"\r\n"
    if content_type is not None:
        head += b"Content-Type: " + content_type + b"\r\n"
    if length:
        head += b"Content-Length: %d\r\n" % len(body)
    return head + extra + b"\r\n" + body


port = 42000


def exchange(reply, request=GET):
    global port
    port += 1
    conversation(port, [("c", request), ("s", reply)])


# Bodies by media type.
exchange(response(None, b"untyped body bytes"))
exchange(response(b"application/octet-stream", b"\x00\x01\x02binary"))
exchange(response(b"text/plain", b"line one\nline two\n"))
exchange(response(b"text/html; charset=utf-8", b"<html><body>hi</body></html>\n"))
exchange(response(b"Text/CSS", b"a { color: red }\n"))
exchange(response(b"text/csv", b"a,b\n1,2\n"))
exchange(response(b"application/javascript", b"var x = 1;\n"))
exchange(response(b"application/xml", b"<?xml version=\"1.0\"?><a b=\"c\">t</a>"))
exchange(response(b"image/svg+xml", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"))
exchange(response(b"application/json", b"{\"a\": [1, true, null], \"b\": \"x\"}"))
exchange(response(b"application/problem+json", b"{\"title\": \"t\"}  {}\r\n"))
exchange(response(b"application/json", b"{not json"))
exchange(response(b"application/json", b"[1 2]"))
exchange(response(b"application/json", b"   "))
exchange(response(b"application/ld+json", b"{}"))
exchange(response(b"multipart/form-data; boundary=XyZ",
                  b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n"
                  b"--XyZ--\r\n"))
exchange(response(b"multipart/mixed; boundary=\"XyZ\"",
                  b"--XyZ\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--XyZ--\r\n"))
exchange(response(b"multipart/mixed", b"--XyZ\r\n\r\nno boundary parameter\r\n--XyZ--\r\n"))
exchange(response(b"image/png", PNG))
exchange(response(b"image/png", b"not a png"))
exchange(response(b"image/jpeg", b"not a jpeg"))
exchange(response(b"application/vnd.unknown", b"zzz"))
exchange(response(b"application/x-www-form-urlencoded", b"a=1&b=2"))
# Request bodies go the same way.
exchange(response(None, b"", length=True),
         request=b"POST /api HTTP/1.1\r\nHost: bodies.example\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 9\r\n\r\n{\"k\": 1}\n")
# Where the body ends: Content-Length, chunks, no body.
exchange(response(b"text/plain", b"abc\n", extra=b"") + b"EXTRA after the body\r\n")
exchange(response(b"text/plain", b"abc\n") + b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n\r\nshorter\n")
exchange(b"HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n\r\nstray\n")
exchange(b"HTTP/1.1 304 Not Modified\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"4\r\nabc\n\r\n3;x=y\r\ndef\r\n0\r\nTrailer: v\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"4\r\nabc\n3\r\ndef\r\n0\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"4\r\nabc\n\r\n3\r\nde")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"zz\r\nabc\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
         b"Content-Length: 4\r\n\r\nabc\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n")
exchange(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\n\r\n{}")
# A body on a port tshark finds HTTP on by content.
conversation(43999, [("c", GET), ("s", response(b"text/plain", b"heuristic port\n"))], sport=5000)


out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
capture.write(os.path.join(out, "app-http-bodies.pcap"))
capture.write(os.path.join(out, "app-http-bodies-snap120.pcap"), 120)
