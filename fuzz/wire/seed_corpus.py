#!/usr/bin/env python3
"""Seeds fuzz/wire/corpus/<target>/ from the frames of samples/*.pcap.

The `partial` target gets one header per input, after a byte naming its protocol
(0 IPv4, 1 IPv6, 2 UDP, 3 TCP, 4 ICMPv4, 5 ICMPv6, 6 IGMP; see fuzz_partial).

Each target gets the bytes its body expects: whole frames, or one layer, with the IPv4 or
IPv6 pseudo-header addresses in front where the body splits them off (see src/bodies.rs).
Distinct inputs only, at most 60 per target, named by content hash.
"""
import hashlib, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
samples = os.path.join(here, "..", "..", "samples")

def frames(path):
    d = open(path, "rb").read()
    le = struct.unpack("<I", d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d)
    fmt = "<IIII" if le else ">IIII"
    off = 24
    while off + 16 <= len(d):
        _, _, cl, _ = struct.unpack(fmt, d[off:off + 16])
        yield d[off + 16:off + 16 + cl]
        off += 16 + cl

out = {}
def add(target, data):
    out.setdefault(target, {})[hashlib.sha1(data).hexdigest()[:16]] = data

for name in sorted(os.listdir(samples)):
    if not name.endswith(".pcap"):
        continue
    for f in frames(os.path.join(samples, name)):
        add("frame", f)
        add("ethernet", f)
        off, et = 14, struct.unpack(">H", f[12:14])[0] if len(f) >= 14 else 0
        while et in (0x8100, 0x88a8) and len(f) >= off + 4:
            et = struct.unpack(">H", f[off + 2:off + 4])[0]
            off += 4
        l3 = f[off:]
        if et == 0x0806:
            add("arp", l3)
        elif et == 0x0800 and len(l3) >= 20:
            add("ipv4", l3)
            hl = (l3[0] & 15) * 4
            proto, addrs, l4 = l3[9], l3[12:20], l3[hl:]
            target = {1: "icmpv4", 2: "igmp", 6: "tcp", 17: "udp"}.get(proto)
            if target in ("tcp", "udp"):
                add(target, addrs + l4)
            elif target:
                add(target, l4)
            add("partial", b"\x00" + l3[:64])
            sel = {17: 2, 6: 3, 1: 4, 2: 6}.get(proto)
            if sel is not None:
                add("partial", bytes([sel]) + l4[:64])
        elif et == 0x86dd and len(l3) >= 40:
            add("ipv6", l3)
            nxt, addrs, l4 = l3[6], l3[8:40], l3[40:]
            if nxt == 58:
                add("icmpv6", addrs + l4)
            add("partial", b"\x01" + l3[:64])
            sel = {17: 2, 6: 3, 58: 5}.get(nxt)
            if sel is not None:
                add("partial", bytes([sel]) + l4[:64])

for target, files in out.items():
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for i, (h, data) in enumerate(sorted(files.items())):
        if i >= 60:
            break
        open(os.path.join(d, h), "wb").write(data)
    print(target, min(len(files), 60), file=sys.stderr)
