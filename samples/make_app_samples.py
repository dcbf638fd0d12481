#!/usr/bin/env python3
"""Writes zcdump's application-protocol sample captures (DNS, mDNS, ...), deterministic:
fixed times, addresses, ids.

usage: make_app_samples.py [OUT_DIR]   (default: the directory of this script)

Built with scapy (see make_samples.py; the QUIC Initial's protection with the cryptography
package) where no local server was at hand to make the
traffic: the DNS messages cover every record type zcdump decodes, name compression, and the
names tshark cannot show (pointer loops, names too long, bad label types), plus cut copies
of each frame. tests-data/tshark/ holds tshark's decode of each file
(tests-data/tshark/tshark-fields.sh), which the differential test compares with zcdump.
"""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scapy.all import (  # noqa: F401  (scapy's star-module layout)
    Ether, IP, IPv6, UDP, TCP, Raw, DNS, DNSQR, DNSRR, DNSRRMX, DNSRRSOA, DNSRRSRV, DNSRROPT,
    EDNS0TLV, wrpcap, BOOTP, DHCP, NTPHeader,
    DHCP6_Solicit, DHCP6_Advertise, DHCP6_Request, DHCP6_Reply, DHCP6_RelayForward,
    DHCP6OptClientId, DHCP6OptServerId, DHCP6OptIA_NA, DHCP6OptIAAddress,
    DHCP6OptElapsedTime, DHCP6OptOptReq, DHCP6OptRelayMsg, DUID_LLT, DUID_LL,
)

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
T0 = 1_700_000_000
MAC_C, MAC_S = "02:00:00:00:00:0c", "02:00:00:00:00:05"
CLIENT, SERVER = "192.0.2.1", "192.0.2.53"
CLIENT6, SERVER6 = "2001:db8::1", "2001:db8::53"


def write(name, packets, snaplen=None):
    """Writes `packets` as a classic Ethernet pcap, 1 ms apart; with `snaplen`, each record
    keeps only its first `snaplen` bytes (orig_len stays the wire length)."""
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen or 65535, 1))
        for i, p in enumerate(packets):
            data = bytes(p)
            kept = data[:snaplen] if snaplen else data
            f.write(struct.pack("<IIII", T0, i * 1000, len(kept), len(data)))
            f.write(kept)
    print(path)


def to_server(dns, sport=40000):
    return Ether(src=MAC_C, dst=MAC_S) / IP(src=CLIENT, dst=SERVER) / UDP(sport=sport, dport=53) / dns


def to_client(dns, dport=40000):
    return Ether(src=MAC_S, dst=MAC_C) / IP(src=SERVER, dst=CLIENT) / UDP(sport=53, dport=dport) / dns


def raw_message(ident, flags, questions, body, answers=0):
    """A DNS message from raw bytes: header counts plus `body` (questions then records)."""
    return Raw(struct.pack(">HHHHHH", ident, flags, questions, answers, 0, 0) + body)


def question(raw_name, qtype=1, qclass=1):
    return raw_name + struct.pack(">HH", qtype, qclass)


def labels(*parts):
    return b"".join(bytes([len(p)]) + p for p in parts) + b"\0"


def dns_frames():
    """Queries and answers over UDP (IPv4 and IPv6), TCP and mDNS."""
    q_a = DNS(id=0x1234, rd=1, qd=[DNSQR(qname="example.com", qtype="A")])
    frames = [
        to_server(q_a),
        to_client(DNS(
            id=0x1234, qr=1, aa=1, rd=1, ra=1, qd=[DNSQR(qname="example.com", qtype="A")],
            an=[DNSRR(rrname="example.com", type="CNAME", ttl=300, rdata="www.example.com"),
                DNSRR(rrname="www.example.com", type="A", ttl=60, rdata="192.0.2.80"),
                DNSRR(rrname="www.example.com", type="A", ttl=60, rdata="192.0.2.81")],
            ns=[DNSRR(rrname="example.com", type="NS", ttl=3600, rdata="ns1.example.com")],
            ar=[DNSRR(rrname="ns1.example.com", type="AAAA", ttl=3600, rdata="2001:db8::53")])),
        # EDNS with DO, AD and CD set in a query; a cookie option.
        to_server(DNS(id=2, rd=1, ad=1, cd=1, qd=[DNSQR(qname="example.com", qtype="MX")],
                      ar=[DNSRROPT(rclass=1232, z=0x8000,
                                   rdata=[EDNS0TLV(optcode=10, optdata=b"\x01" * 8)])])),
        to_client(DNS(
            id=2, qr=1, rd=1, ra=1, z=1, qd=[DNSQR(qname="example.com", qtype="MX")],
            an=[DNSRRMX(rrname="example.com", ttl=300, preference=10, exchange="mail.example.com"),
                DNSRR(rrname="example.com", type="TXT", ttl=300, rdata=[b"v=spf1 -all", b"hello\tworld"]),
                DNSRRSOA(rrname="example.com", ttl=300, mname="ns1.example.com",
                         rname="hostmaster.example.com", serial=2024010101, refresh=7200,
                         retry=900, expire=1209600, minimum=300),
                DNSRRSRV(rrname="_sip._tcp.example.com", ttl=300, priority=10, weight=60,
                         port=5060, target="sip.example.com"),
                DNSRR(rrname="1.2.0.192.in-addr.arpa", type="PTR", ttl=300, rdata="host.example.com")],
            ar=[DNSRROPT(rclass=4096, extrcode=1, version=0, z=0)])),
        # NXDOMAIN with the truncated bit, over IPv6.
        Ether(src=MAC_C, dst=MAC_S) / IPv6(src=CLIENT6, dst=SERVER6) / UDP(sport=40001, dport=53)
        / DNS(id=3, qd=[DNSQR(qname="nonexistent.example", qtype="AAAA")]),
        Ether(src=MAC_S, dst=MAC_C) / IPv6(src=SERVER6, dst=CLIENT6) / UDP(sport=53, dport=40001)
        / DNS(id=3, qr=1, tc=1, rcode=3, qd=[DNSQR(qname="nonexistent.example", qtype="AAAA")]),
    ]
    # Name compression written by hand: "www.example.com" then "mail" + pointer to it.
    body = question(labels(b"www", b"example", b"com"))
    body += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 7])
    body += b"\xc0\x10" + struct.pack(">HHIH", 15, 1, 60, 9) + b"\x00\x05\x04mail\xc0\x10"
    frames.append(to_client(raw_message(7, 0x8180, 1, body, answers=2), dport=40002))
    # Names tshark cannot show: a pointer to itself, a pointer to the root, a name of 254
    # characters, one of 253, control characters and invalid UTF-8, a bad label type.
    weird = [
        b"\xc0\x0c",
        labels(),
        labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 62),
        labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 61),
        labels(b"a\tb", b"\x01\x7f\"x\\y", b"\xe9x", "é".encode()),
        labels(b"a") ,
        b"\x41abc\x00",
    ]
    for i, name in enumerate(weird):
        frames.append(to_server(raw_message(0x100 + i, 0x0100, 1, question(name)), sport=41000 + i))
    # A pointer in an answer that loops back onto itself, after a good question.
    body = question(labels(b"loop", b"example")) + b"\xc0\x23\xc0\x21" + struct.pack(">HHIH", 5, 1, 9, 2)
    frames.append(to_client(raw_message(0x200, 0x8180, 1, body, answers=1), dport=41100))
    # Counts larger than the message: the header alone.
    frames.append(to_client(raw_message(0x201, 0x8180, 5, b"", answers=9), dport=41101))
    # DNS over TCP: two messages in one segment behind their lengths.
    m1 = bytes(DNS(id=0x4444, rd=1, qd=[DNSQR(qname="tcp.example", qtype="SOA")]))
    m2 = bytes(DNS(id=0x4445, rd=1, qd=[DNSQR(qname="tcp.example", qtype="NS")]))
    frames.append(Ether(src=MAC_C, dst=MAC_S) / IP(src=CLIENT, dst=SERVER)
                  / TCP(sport=40100, dport=53, flags="PA", seq=1000, ack=2000)
                  / Raw(struct.pack(">H", len(m1)) + m1 + struct.pack(">H", len(m2)) + m2))
    # mDNS: a question with the unicast-response bit, an answer with cache-flush.
    mdns = Ether(src=MAC_C, dst="01:00:5e:00:00:fb") / IP(src=CLIENT, dst="224.0.0.251", ttl=255)
    frames.append(mdns / UDP(sport=5353, dport=5353) / DNS(id=0, rd=0, qd=[
        DNSQR(qname="printer.local", qtype="A", unicastresponse=1),
        DNSQR(qname="_ipp._tcp.local", qtype="PTR")]))
    frames.append(mdns / UDP(sport=5353, dport=5353) / DNS(id=0, qr=1, aa=1, rd=0, qd=[], an=[
        DNSRR(rrname="printer.local", type="A", rclass=0x8001, ttl=120, rdata="192.0.2.9"),
        DNSRR(rrname="_ipp._tcp.local", type="PTR", ttl=4500, rdata="printer._ipp._tcp.local"),
        DNSRRSRV(rrname="printer._ipp._tcp.local", rclass=0x8001, ttl=120, port=631,
                 target="printer.local")]))
    return frames


def udp_app_frames():
    """DHCPv4 (a DORA exchange, a relayed request, a NAK), DHCPv6 (solicit to reply and a
    relayed solicit), NTP (client, server, a kiss-o'-death) and QUIC long headers (an
    Initial that tshark and zcdump unprotect, a Handshake, a version negotiation)."""
    mac = "02:00:00:00:00:0c"
    cookie = b"\x63\x82\x53\x63"
    chaddr = bytes.fromhex("02000000000c")
    bcast = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
    srv = Ether(src=MAC_S, dst=mac) / IP(src="192.0.2.67", dst="192.0.2.100")
    frames = [
        bcast / UDP(sport=68, dport=67) / BOOTP(op=1, xid=0x3903F326, secs=3, flags=0x8000, chaddr=chaddr)
        / DHCP(options=[("message-type", "discover"), ("client_id", b"\x01" + chaddr),
                        ("requested_addr", "192.0.2.100"), ("hostname", b"laptop"),
                        ("param_req_list", [1, 3, 6, 15, 51]), "end"]),
        srv / UDP(sport=67, dport=68) / BOOTP(op=2, xid=0x3903F326, yiaddr="192.0.2.100",
                                               siaddr="192.0.2.67", chaddr=chaddr)
        / DHCP(options=[("message-type", "offer"), ("server_id", "192.0.2.67"),
                        ("lease_time", 3600), ("subnet_mask", "255.255.255.0"),
                        ("router", "192.0.2.1"), ("name_server", "192.0.2.53"), "end", "pad", "pad"]),
        bcast / UDP(sport=68, dport=67) / BOOTP(op=1, xid=0x3903F326, secs=4, chaddr=chaddr)
        / DHCP(options=[("message-type", "request"), ("requested_addr", "192.0.2.100"),
                        ("server_id", "192.0.2.67"), ("hostname", b"laptop"), "pad", "end"]),
        srv / UDP(sport=67, dport=68) / BOOTP(op=2, xid=0x3903F326, yiaddr="192.0.2.100",
                                               chaddr=chaddr, sname=b"boot.example", file=b"pxelinux.0")
        / DHCP(options=[("message-type", "ack"), ("server_id", "192.0.2.67"),
                        ("lease_time", 3600), "end"]),
        # Relayed by an agent (giaddr, hops), client already configured (ciaddr).
        Ether(src=MAC_C, dst=MAC_S) / IP(src="198.51.100.1", dst="192.0.2.67")
        / UDP(sport=67, dport=67) / BOOTP(op=1, hops=1, xid=7, ciaddr="198.51.100.20",
                                         giaddr="198.51.100.1", chaddr=chaddr)
        / DHCP(options=[("message-type", "inform"), "end"]),
        srv / UDP(sport=67, dport=68) / BOOTP(op=2, xid=8, chaddr=chaddr)
        / DHCP(options=[("message-type", "nak"), ("server_id", "192.0.2.67"),
                        ("error_message", b"wrong network"), "end"]),
    ]
    # A BOOTP reply without the DHCP cookie, and one whose options run off the end.
    frames.append(srv / UDP(sport=67, dport=68) / BOOTP(op=2, xid=9, chaddr=chaddr, options=b""))
    frames.append(srv / UDP(sport=67, dport=68) / BOOTP(op=2, xid=10, chaddr=chaddr,
                                                        options=cookie + b"\x35\x01\x05\x0c\x09ab"))
    c6, s6 = "fe80::c", "fe80::5"
    duid = DUID_LLT(lladdr=mac, timeval=700000000)
    to6 = Ether(src=mac, dst="33:33:00:01:00:02") / IPv6(src=c6, dst="ff02::1:2") / UDP(sport=546, dport=547)
    from6 = Ether(src=MAC_S, dst=mac) / IPv6(src=s6, dst=c6) / UDP(sport=547, dport=546)
    ia = DHCP6OptIA_NA(iaid=0x0c, T1=1800, T2=2880)
    ia_addr = DHCP6OptIA_NA(iaid=0x0c, T1=1800, T2=2880, ianaopts=[
        DHCP6OptIAAddress(addr="2001:db8::100", preflft=3600, validlft=7200)])
    server_id = DHCP6OptServerId(duid=DUID_LL(lladdr=MAC_S))
    frames += [
        to6 / DHCP6_Solicit(trid=0x10203) / DHCP6OptClientId(duid=duid) / DHCP6OptElapsedTime()
        / DHCP6OptOptReq(reqopts=[23, 24]) / ia,
        from6 / DHCP6_Advertise(trid=0x10203) / ia_addr / DHCP6OptClientId(duid=duid) / server_id,
        to6 / DHCP6_Request(trid=0xabcdef) / DHCP6OptClientId(duid=duid) / server_id / ia_addr,
        from6 / DHCP6_Reply(trid=0xabcdef) / ia_addr / DHCP6OptClientId(duid=duid) / server_id,
        Ether(src=MAC_C, dst=MAC_S) / IPv6(src="2001:db8::1", dst="2001:db8::547") / UDP(sport=547, dport=547)
        / DHCP6_RelayForward(hopcount=1, linkaddr="2001:db8::1", peeraddr=c6)
        / DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=0x55) / DHCP6OptClientId(duid=duid)),
    ]
    ntp_c = Ether(src=MAC_C, dst=MAC_S) / IP(src=CLIENT, dst="192.0.2.123") / UDP(sport=50123, dport=123)
    ntp_s = Ether(src=MAC_S, dst=MAC_C) / IP(src="192.0.2.123", dst=CLIENT) / UDP(sport=123, dport=50123)
    frames += [
        ntp_c / NTPHeader(leap=3, version=4, mode=3, stratum=0, poll=6, precision=-20,
                          delay=0, dispersion=0, id="0.0.0.0", ref=0, orig=0, recv=0,
                          sent=3908785600.25),
        ntp_s / NTPHeader(leap=0, version=4, mode=4, stratum=2, poll=6, precision=-23,
                          delay=0.015625, dispersion=0.0302, id="192.0.2.1",
                          ref=3908785500.5, orig=3908785600.25, recv=3908785600.2625,
                          sent=3908785600.2627),
        # Kiss-o'-death: stratum 0 with an ASCII code, NTPv3 symmetric active.
        ntp_s / NTPHeader(leap=3, version=4, mode=4, stratum=0, poll=10, precision=-6,
                          id="82.65.84.69", ref=0, orig=3908785600.25, recv=0, sent=0),
        ntp_c / NTPHeader(leap=0, version=3, mode=1, stratum=3, poll=10, precision=-18,
                          id="10.1.2.3", ref=3908785000, orig=0, recv=0, sent=3908785601),
    ]
    quic_c = Ether(src=MAC_C, dst=MAC_S) / IP(src=CLIENT, dst="192.0.2.44") / UDP(sport=50444, dport=443)
    quic_s = Ether(src=MAC_S, dst=MAC_C) / IP(src="192.0.2.44", dst=CLIENT) / UDP(sport=443, dport=50444)
    dcid, scid = bytes(range(0x10, 0x18)), bytes.fromhex("c0ffee01")
    # Initial: form 1, fixed 1, type 0, then version, CIDs, token length 0, length 2 bytes,
    # protected with the client's Initial keys (RFC 9001 5) so that tshark and zcdump both
    # remove its header protection and verify it: a PING and PADDING to 1200 bytes, packet
    # number 0x010203 in 3 bytes.
    initial = protected_initial(dcid, scid, 0x010203, 3, b"\x01" + bytes(1200 - 22 - 3 - 16 - 1))
    handshake = (b"\xe1" + struct.pack(">I", 1) + bytes([len(scid)]) + scid + bytes([len(dcid)]) + dcid
                 + struct.pack(">H", 0x4000 | 40) + bytes(range(40)))
    vneg = (b"\x80" + struct.pack(">I", 0) + bytes([len(scid)]) + scid + bytes([len(dcid)]) + dcid
            + struct.pack(">II", 1, 0x6b3343cf))
    # No short header (1-RTT) packet: its DCID length is known only from the connection's
    # long headers, which tshark remembers and zcdump (one frame at a time) does not.
    frames += [quic_c / Raw(initial), quic_s / Raw(handshake), quic_s / Raw(vneg)]
    return frames


def hkdf_expand_label(secret, label, length):
    """TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 7.1), for length <= 32."""
    full = b"tls13 " + label
    info = struct.pack(">HB", length, len(full)) + full + b"\x00"
    return hmac.new(secret, info + b"\x01", hashlib.sha256).digest()[:length]


def protected_initial(dcid, scid, pn, pn_len, plaintext):
    """A QUIC version 1 Initial from the client, with packet and header protection applied
    as RFC 9001 5.2-5.4 describe (keys from the DCID)."""
    salt = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")
    initial_secret = hmac.new(salt, dcid, hashlib.sha256).digest()
    secret = hkdf_expand_label(initial_secret, b"client in", 32)
    key = hkdf_expand_label(secret, b"quic key", 16)
    iv = hkdf_expand_label(secret, b"quic iv", 12)
    hp = hkdf_expand_label(secret, b"quic hp", 16)
    length = pn_len + len(plaintext) + 16
    header = (bytes([0xc0 | (pn_len - 1)]) + struct.pack(">I", 1) + bytes([len(dcid)]) + dcid
              + bytes([len(scid)]) + scid + b"\x00" + struct.pack(">H", 0x4000 | length)
              + pn.to_bytes(pn_len, "big"))
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    sealed = AESGCM(key).encrypt(nonce, plaintext, header)
    packet = bytearray(header + sealed)
    pn_offset = len(header) - pn_len
    sample = bytes(packet[pn_offset + 4:pn_offset + 20])
    encryptor = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = encryptor.update(sample) + encryptor.finalize()
    packet[0] ^= mask[0] & 0x0f
    for i in range(pn_len):
        packet[pn_offset + i] ^= mask[1 + i]
    return bytes(packet)


def snapped_copy(source, snaplen):
    """Writes a copy of capture `source` (a classic pcap made by make_app_traffic.sh) whose
    records keep only their first `snaplen` bytes."""
    path = os.path.join(OUT, source)
    with open(path, "rb") as f:
        data = f.read()
    header, records, at = data[:24], [], 24
    while at + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[at:at + 16])
        frame = data[at + 16:at + 16 + incl]
        at += 16 + incl
        records.append(struct.pack("<IIII", sec, usec, min(incl, snaplen), orig) + frame[:snaplen])
    # The snapshot length field sits at bytes 16..20 of the file header.
    header = header[:16] + struct.pack("<I", snaplen) + header[20:]
    out = os.path.join(OUT, source.replace(".pcap", "-snap%d.pcap" % snaplen))
    with open(out, "wb") as f:
        f.write(header + b"".join(records))
    print(out)


def main():
    # Cut copies of the real HTTP traffic: request and status lines and header lines cut
    # at different places.
    for snaplen in (100, 160):
        snapped_copy("app-http.pcap", snaplen)
    # And of the TLS handshakes: records and hellos cut. Not so short that a cut reaches
    # the ServerHello or TLS 1.2's encrypted Finished: tshark then decides from session
    # state that zcdump does not keep (see crates/zcdump/src/dissect/tls.rs).
    for snaplen in (200, 300):
        snapped_copy("app-tls.pcap", snaplen)
    frames = dns_frames()
    write("app-dns.pcap", frames)
    # Every frame cut by a short snapshot length, so that each field stops where tshark's do.
    for snaplen in (60, 75, 90):
        write("app-dns-snap%d.pcap" % snaplen, frames, snaplen)
    frames = udp_app_frames()
    write("app-udp.pcap", frames)
    for snaplen in (60, 75, 150, 300):
        write("app-udp-snap%d.pcap" % snaplen, frames, snaplen)


if __name__ == "__main__":
    main()
