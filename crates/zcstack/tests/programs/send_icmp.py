#!/usr/bin/env python3
"""Test-owned sender of ICMP messages the kernel would not send on its own, through raw
sockets (run inside the test's namespace by the kernel-interop tests):

  send_icmp.py ra IFNAME PREFIX          a Router Advertisement (RFC 4861 section 4.2) to
                                          ff02::1 with a Prefix Information option (L and A
                                          set, RFC 4862 section 5.5.3) and an MTU option
  send_icmp.py ptb6 IFNAME SRC DST MTU    a Packet Too Big (RFC 4443 section 3.2) to DST
                                          quoting an echo reply DST -> SRC of 1400 bytes
  send_icmp.py fragneeded SRC DST MTU     an ICMPv4 Fragmentation Needed (RFC 1191 section 4)
                                          to DST quoting an echo reply DST -> SRC
  send_icmp.py mldq IFNAME GROUP SRC...   an MLDv2 Multicast Address and Source Specific
                                          Query (RFC 9777 section 5.1) for GROUP naming the
                                          SRCs, Maximum Response Code 100 ms, to ff02::1
                                          with hop limit 1 from the link-local address

The kernel computes ICMPv6 checksums on raw ICMPv6 sockets; the ICMPv4 one is computed here.
"""
import socket
import struct
import sys


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def icmpv6_socket(ifname: str) -> socket.socket:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    return s


def router_advertisement(ifname: str, prefix: str) -> None:
    # Type 134, code 0, checksum (kernel), cur hop limit 64, flags 0, router lifetime 1800 s,
    # reachable time 0, retrans timer 0.
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
    # Prefix Information: type 3, length 4 (32 bytes), /64, L|A, valid 86400 s, preferred
    # 14400 s, reserved, prefix.
    pio = struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0)
    pio += socket.inet_pton(socket.AF_INET6, prefix)
    mtu = struct.pack("!BBHI", 5, 1, 0, 1500)
    s = icmpv6_socket(ifname)
    s.sendto(ra + pio + mtu, ("ff02::1", 0, 0, socket.if_nametoindex(ifname)))


def packet_too_big(ifname: str, src: str, dst: str, mtu: int) -> None:
    # The quoted packet: IPv6 header dst -> src, ICMPv6 echo reply, 1400 bytes in all.
    payload_len = 1400 - 40
    quoted = struct.pack("!IHBB", 6 << 28, payload_len, 58, 64)
    quoted += socket.inet_pton(socket.AF_INET6, dst) + socket.inet_pton(socket.AF_INET6, src)
    quoted += struct.pack("!BBHHH", 129, 0, 0, 0x1234, 1) + bytes(payload_len - 8)
    # The error may not exceed the IPv6 minimum MTU: 1280 - 40 - 8 bytes of quote.
    message = struct.pack("!BBHI", 2, 0, 0, mtu) + quoted[: 1280 - 48]
    s = icmpv6_socket(ifname)
    s.sendto(message, (dst, 0, 0, socket.if_nametoindex(ifname)))


def fragmentation_needed(src: str, dst: str, mtu: int) -> None:
    # The quoted header: IPv4 dst -> src, DF, protocol ICMP, total length 1428, then the
    # first 8 bytes of an echo reply.
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1428, 0x4321, 0x4000, 64, 1, 0,
                         socket.inet_aton(dst), socket.inet_aton(src))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    quoted = header + struct.pack("!BBHHH", 0, 0, 0, 0x1234, 1)
    message = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
    message = message[:2] + struct.pack("!H", checksum(message)) + message[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.sendto(message, (dst, 0))


def mld_source_query(ifname: str, group: str, sources: list) -> None:
    # Type 130, code 0, checksum (kernel), Maximum Response Code 100 ms, reserved, group,
    # S/QRV 2, QQIC 125, number of sources, sources.
    query = struct.pack("!BBHHH", 130, 0, 0, 100, 0) + socket.inet_pton(socket.AF_INET6, group)
    query += struct.pack("!BBH", 2, 125, len(sources))
    for src in sources:
        query += socket.inet_pton(socket.AF_INET6, src)
    s = icmpv6_socket(ifname)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
    s.sendto(query, ("ff02::1", 0, 0, socket.if_nametoindex(ifname)))


def main() -> None:
    kind = sys.argv[1]
    if kind == "ra":
        router_advertisement(sys.argv[2], sys.argv[3])
    elif kind == "ptb6":
        packet_too_big(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif kind == "mldq":
        mld_source_query(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif kind == "fragneeded":
        fragmentation_needed(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown message kind {kind}")


if __name__ == "__main__":
    main()
