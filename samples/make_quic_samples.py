#!/usr/bin/env python3
"""Writes samples/app-quic.pcap (and cut copies): QUIC Initials whose protection anyone can
remove, built from the test vectors of RFC 9001 Appendix A, so that tshark and zcdump both
decrypt them and dissect the TLS handshake their CRYPTO frames carry.

usage: make_quic_samples.py [OUT_DIR]   (default: the directory of this script)

Frames from 192.0.2.1 to 192.0.2.44 port 443, 1 ms apart:
1. the client's Initial of RFC 9001 A.2 (a ClientHello with SNI example.com, ALPN "alpn",
   supported versions, padded to 1200 bytes), protected here with the client's keys from
   its DCID (the result is checked against the RFC's protected bytes);
2. a second client Initial on another flow whose ClientHello is split over two CRYPTO
   frames (offsets 0 and 40), the second frame first;
3. a third whose CRYPTO frame holds only the ClientHello's first 100 bytes;
4. RFC 9369 A.2's client Initial: frame 1's in QUIC version 2 (the generator is checked
   against the RFC's bytes; in the capture the DCID's last byte differs, see frames()).

Not here: RFC 9001 A.3's server Initial. tshark decrypts it with keys from the client's
DCID, which it remembers from the connection's first packet; zcdump reads each frame alone
and cannot (see crates/zcdump/src/dissect/quic.rs).

Only the Python standard library and the `cryptography` package are used (no scapy): the
Ethernet, IPv4 and UDP headers are written here, checksums included.
tests-data/tshark/ holds tshark's decode of each file (tests-data/tshark/tshark-fields.sh).
"""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
T0 = 1_700_000_000
MAC_C, MAC_S = bytes.fromhex("02000000000c"), bytes.fromhex("020000000005")
CLIENT, SERVER = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 44])

SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")
# RFC 9369 3.1, 3.3.1: version 2's number and salt.
VERSION_2 = 0x6b3343cf
SALT_V2 = bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9")
# RFC 9001 A.2: the CRYPTO frame carrying the client's ClientHello.
A2_CRYPTO = bytes.fromhex(
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
    "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
    "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
    "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
    "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
    "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
    "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
    "75300901100f088394c8f03e51570806048000ffff")
A2_DCID = bytes.fromhex("8394c8f03e515708")
# The first and last bytes of RFC 9001 A.2's protected packet.
A2_PREFIX = bytes.fromhex("c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11")
A2_SUFFIX = bytes.fromhex("e221af44860018ab0856972e194cd934")
# The first bytes of RFC 9369 A.2's protected packet (the same Initial in version 2).
V2_A2_PREFIX = bytes.fromhex("d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485")


def hkdf_expand_label(secret, label, length):
    """TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 7.1), for length <= 32."""
    full = b"tls13 " + label
    info = struct.pack(">HB", length, len(full)) + full + b"\x00"
    return hmac.new(secret, info + b"\x01", hashlib.sha256).digest()[:length]


def protected_initial(dcid, scid, pn, pn_len, plaintext, version=1):
    """A client's QUIC Initial with packet and header protection applied as RFC 9001
    5.2-5.4 describe (keys from `dcid`, the client's first DCID); for version 2 with RFC
    9369's salt, labels and Initial type bits (01)."""
    v2 = version == VERSION_2
    initial_secret = hmac.new(SALT_V2 if v2 else SALT_V1, dcid, hashlib.sha256).digest()
    secret = hkdf_expand_label(initial_secret, b"client in", 32)
    prefix = b"quicv2 " if v2 else b"quic "
    key = hkdf_expand_label(secret, prefix + b"key", 16)
    iv = hkdf_expand_label(secret, prefix + b"iv", 12)
    hp = hkdf_expand_label(secret, prefix + b"hp", 16)
    length = pn_len + len(plaintext) + 16
    first = (0xd0 if v2 else 0xc0) | (pn_len - 1)
    header = (bytes([first]) + struct.pack(">I", version) + bytes([len(dcid)]) + dcid
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


def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def udp_frame(src, dst, sport, dport, payload, ident):
    """Ethernet / IPv4 / UDP around `payload`, checksums filled in."""
    udp_len = 8 + len(payload)
    pseudo = src + dst + struct.pack(">BBH", 0, 17, udp_len)
    udp = struct.pack(">HHHH", sport, dport, udp_len, 0) + payload
    udp = udp[:6] + struct.pack(">H", checksum(pseudo + udp) or 0xffff) + udp[8:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, ident, 0x4000, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack(">H", checksum(ip)) + ip[12:]
    macs = (MAC_S + MAC_C) if src == CLIENT else (MAC_C + MAC_S)
    return macs + b"\x08\x00" + ip + udp


def frames():
    a2 = protected_initial(A2_DCID, b"", 2, 4, A2_CRYPTO + bytes(1162 - len(A2_CRYPTO)))
    assert len(a2) == 1200 and a2.startswith(A2_PREFIX) and a2.endswith(A2_SUFFIX), "RFC A.2"
    # The same ClientHello split in two CRYPTO frames, the later part first.
    hello = A2_CRYPTO[4:]
    split = (b"\x06\x28" + b"\x40" + bytes([len(hello) - 40]) + hello[40:]
             + b"\x06\x00\x28" + hello[:40])
    dcid2 = bytes.fromhex("1122334455667788")
    second = protected_initial(dcid2, b"\xaa\xbb", 0, 1, split + bytes(1000))
    # Only the ClientHello's first 100 bytes: the rest would come in a later Initial.
    part = b"\x06\x00\x40\x64" + hello[:100]
    third = protected_initial(bytes.fromhex("0102030405"), b"", 7, 2, part + bytes(1100))
    payload = A2_CRYPTO + bytes(1162 - len(A2_CRYPTO))
    assert protected_initial(A2_DCID, b"", 2, 4, payload, VERSION_2).startswith(V2_A2_PREFIX)
    # In the capture another DCID: tshark would take frame 1's connection (same DCID) and
    # its version 1 keys.
    v2 = protected_initial(bytes.fromhex("8394c8f03e515709"), b"", 2, 4, payload, VERSION_2)
    return [
        udp_frame(CLIENT, SERVER, 50445, 443, a2, 1),
        udp_frame(CLIENT, SERVER, 50446, 443, second, 2),
        udp_frame(CLIENT, SERVER, 50447, 443, third, 3),
        udp_frame(CLIENT, SERVER, 50448, 443, v2, 4),
    ]


def write(name, packets, snaplen=None):
    """A classic Ethernet pcap, 1 ms apart; with `snaplen` each record is cut to it."""
    snap = snaplen or 65535
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snap, 1)]
    for i, p in enumerate(packets):
        kept = p[:snap]
        out.append(struct.pack("<IIII", T0, 1000 * i, len(kept), len(p)) + kept)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(b"".join(out))
    print(path)


def main():
    packets = frames()
    write("app-quic.pcap", packets)
    # Cuts inside the ClientHello's extensions and before the header-protection sample.
    for snaplen in (60, 200, 400):
        write("app-quic-snap%d.pcap" % snaplen, packets, snaplen)


if __name__ == "__main__":
    main()
