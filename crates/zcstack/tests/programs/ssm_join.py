#!/usr/bin/env python3
"""Joins multicast groups source-specifically on Linux and holds the joins until killed:
the testbench's oracle side of testbench_mcast.py (MCAST_JOIN_SOURCE_GROUP, RFC 3678).

    ssm_join.py IFACE GROUP=SOURCE[,SOURCE...] ...
"""
import socket
import struct
import sys
import time

MCAST_JOIN_SOURCE_GROUP = 46  # linux/in.h, for IPPROTO_IP and IPPROTO_IPV6 alike


def sockaddr_storage(family, addr):
    """A struct sockaddr_in / sockaddr_in6 padded to sizeof(struct sockaddr_storage)."""
    packed = socket.inet_pton(family, addr)
    if family == socket.AF_INET:
        raw = struct.pack("=HH", family, 0) + packed
    else:
        raw = struct.pack("=HHI", family, 0, 0) + packed + struct.pack("=I", 0)
    return raw.ljust(128, b"\0")


def main():
    iface = sys.argv[1]
    index = socket.if_nametoindex(iface)
    sockets = []
    for spec in sys.argv[2:]:
        group, sources = spec.split("=", 1)
        family = socket.AF_INET6 if ":" in group else socket.AF_INET
        level = socket.IPPROTO_IPV6 if family == socket.AF_INET6 else socket.IPPROTO_IP
        s = socket.socket(family, socket.SOCK_DGRAM)
        for source in sources.split(","):
            # struct group_source_req: the interface index, padding to 8, group, source.
            req = (struct.pack("=I4x", index) + sockaddr_storage(family, group)
                   + sockaddr_storage(family, source))
            s.setsockopt(level, MCAST_JOIN_SOURCE_GROUP, req)
        sockets.append(s)
    sys.stderr.write("ssm_join: joined\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main()
