#!/usr/bin/env python3
"""Sequential UDP round trips: send a 64-byte datagram, wait for the reply, repeat.

    udp_rtt.py HOST PORT COUNT

Prints round trips per second and losses (1 s timeout each). Bounded by COUNT."""
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
sock = socket.socket(family, socket.SOCK_DGRAM)
sock.settimeout(1.0)
payload = b"x" * 64
for _ in range(50):  # warm-up: neighbour resolution, DAD
    try:
        sock.sendto(payload, (host, port))
        sock.recvfrom(2048)
        break
    except (socket.timeout, OSError):
        time.sleep(0.1)
lost = 0
start = time.perf_counter()
for _ in range(count):
    sock.sendto(payload, (host, port))
    try:
        sock.recvfrom(2048)
    except socket.timeout:
        lost += 1
elapsed = time.perf_counter() - start
print(f"{count} round trips in {elapsed:.2f} s: {count / elapsed:.0f}/s, lost {lost}")
