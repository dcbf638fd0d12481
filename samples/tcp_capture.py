"""Builds deterministic pcap files of whole TCP conversations between one client and one
server, for the sample generators (make_http_continuations.py, make_http_bodies.py).
Needs scapy 2.8.0.
"""
import struct

from scapy.all import IP, TCP, Ether, Raw


class Capture:
    """Frames of TCP conversations between `client` and `server` (addresses and MACs), with
    timestamps one millisecond apart from `t0` seconds."""

    def __init__(self, client, server, cmac, smac, t0):
        self.client, self.server, self.cmac, self.smac, self.t0 = client, server, cmac, smac, t0
        self.frames = []

    def conversation(self, cport, steps, sport=80, isn=1000):
        """A handshake, then each (side, payload) step in order ("c" the client, else the
        server), with the sequence and acknowledgement numbers that follow."""

        def segment(from_client, seq, ack, flags, payload=b""):
            src, dst, smac, dmac, a, b = (
                (self.client, self.server, self.cmac, self.smac, cport, sport)
                if from_client
                else (self.server, self.client, self.smac, self.cmac, sport, cport)
            )
            pkt = Ether(src=smac, dst=dmac) / IP(src=src, dst=dst) / TCP(
                sport=a, dport=b, seq=seq, ack=ack, flags=flags, window=64240
            )
            self.frames.append(bytes(pkt / Raw(payload) if payload else pkt))

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

    def write(self, path, snaplen=None):
        """Writes the frames as a little-endian microsecond pcap (Ethernet), each cut to
        `snaplen` bytes when given."""
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen or 65535, 1))
            for i, data in enumerate(self.frames):
                kept = data[:snaplen] if snaplen else data
                f.write(struct.pack("<IIII", self.t0, i * 1000, len(kept), len(data)))
                f.write(kept)
