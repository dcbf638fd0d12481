#!/usr/bin/env python3
"""Writes zcdump's IEEE 802.11, Geneve and PPPoE samples (deterministic: fixed times,
addresses, ids).

usage: make_link_samples.py [OUT_DIR]   (default: the directory of this script)

link-wlan.pcap        LINKTYPE_IEEE802_11 (105): data frames to and from an access point
                      (QoS too) through LLC/SNAP into IPv4 and IPv6, a four-address (WDS)
                      frame, a beacon, ACK and RTS, a WEP-protected data frame.
link-radiotap.pcap    LINKTYPE_IEEE802_11_RADIOTAP (127): the same frames behind a radiotap
                      header (flags, rate, channel, dBm signal, antenna), and one with MAC
                      time and an FCS at the end.
link-radiotap.pcapng  the radiotap frames in pcapng.
link-radiotap-snap40.pcap  the radiotap frames cut by a 40-byte snapshot length.
tunnels-geneve-pppoe.pcap  Geneve (RFC 8926) carrying Ethernet and, with an option and the
                      critical flag, IPv4; PPPoE discovery (PADI, PADT) and session frames
                      carrying PPP with IPv4.
tunnels-geneve-pppoe-snap50.pcap  the same cut by a 50-byte snapshot length.
link-raw.pcap         LINKTYPE_RAW (101): bare IPv4 and IPv6 packets, which tshark shows
                      under its `raw` protocol (unlike LINKTYPE_IPV4/IPV6, 228/229).
link-raw12.pcap       the same packets with DLT_RAW's number 12, which some systems write.

tests-data/tshark/ holds tshark's decode of each (tshark-fields.sh), which the differential
test compares with zcdump. Requires scapy 2.8.0 (.ci/venv, see scripts/setup.sh).
"""
import os
import struct
import sys

from scapy.all import (  # noqa: F401  (scapy's star-module layout)
    RadioTap, Dot11, Dot11QoS, Dot11Beacon, Dot11Elt, LLC, SNAP, IP, IPv6, UDP, ICMP, Raw,
    Ether, PPPoED, PPPoE, PPP, wrpcap, wrpcapng,
)
from scapy.contrib.geneve import GENEVE

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
T0 = 1_700_000_000
A, B, C, D = ("02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c",
              "02:00:00:00:00:0d")
BROADCAST = "ff:ff:ff:ff:ff:ff"
# Frame control flag bits (IEEE 802.11-2020 9.2.4.1.1).
TO_DS, FROM_DS, PROTECTED = 0x01, 0x02, 0x40


def snap(ethertype):
    return LLC(dsap=0xAA, ssap=0xAA, ctrl=3) / SNAP(OUI=0, code=ethertype)


def frames():
    """The 802.11 frames, as bytes."""
    out = [
        # Station to access point: BSSID, source, destination.
        Dot11(type=2, subtype=0, FCfield=TO_DS, addr1=C, addr2=A, addr3=B, SC=0x123)
        / snap(0x0800) / IP(src="192.0.2.1", dst="192.0.2.2", id=1)
        / UDP(sport=1000, dport=2000) / Raw(b"hi"),
        # Access point to station, QoS data (TID 5).
        Dot11(type=2, subtype=8, FCfield=FROM_DS, addr1=A, addr2=C, addr3=B, SC=0x450)
        / Dot11QoS(TID=5) / snap(0x86DD) / IPv6(src="2001:db8::1", dst="2001:db8::2")
        / UDP(sport=1, dport=2),
        Dot11(type=0, subtype=8, addr1=BROADCAST, addr2=C, addr3=C, SC=0x10)
        / Dot11Beacon(timestamp=1, beacon_interval=100) / Dot11Elt(ID=0, info=b"net"),
        Dot11(type=1, subtype=13, addr1=A),
        Dot11(type=1, subtype=11, addr1=A, addr2=C, ID=0x1234),
        # Four addresses (a wireless bridge).
        Dot11(type=2, subtype=0, FCfield=TO_DS | FROM_DS, addr1=A, addr2=B, addr3=C, addr4=D)
        / snap(0x0800) / IP(src="192.0.2.3", dst="192.0.2.4", id=2) / ICMP(id=1, seq=1),
        # WEP: IV (key id byte without the extended IV bit), 8 bytes, ICV.
        Dot11(type=2, subtype=0, FCfield=TO_DS | PROTECTED, addr1=C, addr2=A, addr3=B)
        / Raw(b"\x01\x02\x03\x00" + b"\x55" * 8 + b"\xaa\xbb\xcc\xdd"),
        # Null data: no body.
        Dot11(type=2, subtype=4, FCfield=TO_DS, addr1=C, addr2=A, addr3=C, SC=0x20),
    ]
    return [bytes(f) for f in out]


def radiotap(frame, **fields):
    return bytes(RadioTap(**fields)) + frame


def radiotap_frames():
    common = dict(present="Flags+Rate+Channel+dBm_AntSignal+Antenna", Flags=0, Rate=11,
                  ChannelFrequency=2437, ChannelFlags=0xA0, dBm_AntSignal=-42, Antenna=1)
    out = [radiotap(f, **common) for f in frames()]
    # MAC time (8-byte aligned after the present word) and an FCS after the frame.
    out.append(radiotap(frames()[0] + b"\x11\x22\x33\x44", present="TSFT+Flags+Channel",
                        mac_timestamp=123456789, Flags="FCS", ChannelFrequency=5180,
                        ChannelFlags=0x140))
    out.append(radiotap(frames()[3], present="Rate+dBm_AntSignal", Rate=108,
                        dBm_AntSignal=7))
    return out


def tunnels():
    inner = Ether(src=A, dst=B) / IP(src="10.0.0.1", dst="10.0.0.2", id=5) / ICMP(id=1, seq=1)
    outer = Ether(src=A, dst=B)
    out = [
        outer / IP(src="192.0.2.1", dst="192.0.2.2", id=1) / UDP(sport=50000, dport=6081)
        / GENEVE(vni=42, proto=0x6558) / inner,
        # An 8-byte option (class 0x0102, type 3, one data word) and the critical flag.
        outer / IP(src="192.0.2.1", dst="192.0.2.2", id=2) / UDP(sport=50000, dport=6081)
        / GENEVE(vni=0x123456, proto=0x0800, critical=1, optionlen=2,
                 options=b"\x01\x02\x03\x01\xaa\xbb\xcc\xdd")
        / IP(src="10.0.0.3", dst="10.0.0.4", id=6) / UDP(sport=1, dport=2),
        # PADI with a service-name and a host-uniq tag, PADT.
        Ether(src=A, dst=BROADCAST) / PPPoED(code=0x09, sessionid=0)
        / Raw(bytes.fromhex("010100000103000412345678")),
        Ether(src=B, dst=A) / PPPoED(code=0xA7, sessionid=0x1234),
        outer / PPPoE(sessionid=0x1234) / PPP(proto=0x0021)
        / IP(src="192.0.2.5", dst="192.0.2.6", id=3) / UDP(sport=3, dport=4) / Raw(b"abc"),
        outer / PPPoE(sessionid=0x1234) / PPP(proto=0x0057)
        / IPv6(src="2001:db8::5", dst="2001:db8::6") / UDP(sport=5, dport=6),
    ]
    return [bytes(p) for p in out]


def raw_ip():
    """Bare IP packets: UDP over IPv4, ICMPv6 echo over IPv6, a TCP SYN over IPv4."""
    from scapy.all import TCP, ICMPv6EchoRequest
    return [
        bytes(IP(src="192.0.2.1", dst="192.0.2.2", id=1) / UDP(sport=4000, dport=4001)
              / Raw(b"raw link")),
        bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / ICMPv6EchoRequest(id=7, seq=1)),
        bytes(IP(src="192.0.2.1", dst="192.0.2.2", id=2)
              / TCP(sport=40000, dport=80, flags="S", seq=1000, window=64240)),
    ]


def write_raw(name, linktype, datas, snaplen=65535):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for i, data in enumerate(datas):
            kept = data[:snaplen]
            f.write(struct.pack("<IIII", T0, i * 1000, len(kept), len(data)))
            f.write(kept)
    print(path)


def write_ng(name, linktype, datas):
    path = os.path.join(OUT, name)
    packets = [RadioTap(d) for d in datas]
    for i, p in enumerate(packets):
        p.time = T0 + i / 1000
    del linktype  # scapy takes it from the packets (RadioTap: 127)
    wrpcapng(path, packets)
    print(path)


if __name__ == "__main__":
    write_raw("link-wlan.pcap", 105, frames())
    write_raw("link-radiotap.pcap", 127, radiotap_frames())
    write_ng("link-radiotap.pcapng", 127, radiotap_frames())
    write_raw("link-radiotap-snap40.pcap", 127, radiotap_frames(), snaplen=40)
    write_raw("tunnels-geneve-pppoe.pcap", 1, tunnels())
    write_raw("tunnels-geneve-pppoe-snap50.pcap", 1, tunnels(), snaplen=50)
    write_raw("link-raw.pcap", 101, raw_ip())
    write_raw("link-raw12.pcap", 12, raw_ip())
