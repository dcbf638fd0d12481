#!/usr/bin/env python3
"""Writes the seed corpus of the `tcp_segments` target: one file per scenario in the
encoding of crates/zerocast-stack/src/testutil/fuzz_tcp.rs:
  op 0-2: segment to connection k   [0][k][seq_off i8 x64][ack_off i8 x64][flags][window u16][opt words][opts][len x8]
          (sequence relative to RCV.NXT, acknowledgment relative to SND.MAX)
  op 3:   segment to the listener   [3][port 0-15][flags][seq u16 <<8][ack u16 <<8][opt words][opts]
  op 4:   raw TCP bytes             [4][fix checksum][len-20][bytes]
  op 5:   clock jump                [5][ms u16]
  op 6:   application send          [6][socket][len u16]
  op 7:   read, accept, take errors [7]
  op 8:   shutdown/close/abort/opts [8][socket][0 wr,1 rd,2 close,3 abort,4 opts,5 both]
  op 9:   connect another           [9]
Needs only the standard library."""
import os, struct

SYN, FIN, RST, ACK = 0x02, 0x01, 0x04, 0x10

def seg(k, seq_off, ack_off, flags, window=8192, opts=b"", length=0):
    assert len(opts) % 4 == 0
    return bytes([0, k, seq_off & 0xff, ack_off & 0xff, flags]) + struct.pack(">H", window) + bytes([len(opts) // 4]) + opts + bytes([length])

def listener(port, flags, seq, ack=0, opts=b""):
    return bytes([3, port, flags]) + struct.pack(">HH", seq, ack) + bytes([len(opts) // 4]) + opts

def clock(ms): return bytes([5]) + struct.pack(">H", ms)
def send(sock, n): return bytes([6, sock]) + struct.pack(">H", n)
def read(): return bytes([7])
def close(sock, what): return bytes([8, sock, what])

MSS_TS = bytes([2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 2])
seeds = {
    # SYN to the listener; connection 1 is then the half-open one: ACK it, accept, talk.
    "listener_handshake_and_data": [listener(0, SYN, 1, opts=MSS_TS), seg(1, 0, 0, ACK), read(),
                                    send(1, 3000), seg(1, 0, 0, ACK, length=100), read()],
    "data_both_ways": [send(0, 5000), seg(0, 0, 0, ACK, length=200), read(), clock(50)],
    "out_of_order_then_fill": [seg(0, 1, 0, ACK, length=8), seg(0, 3, 0, ACK, length=8), seg(0, 0, 0, ACK, length=8), read()],
    "rst_in_window_then_exact": [seg(0, 1, 0, RST), seg(0, 0, 0, RST), read()],
    "syn_in_established": [seg(0, 2, 0, SYN)],
    "zero_window_probes": [seg(0, 0, 0, ACK, window=0), send(0, 2000), clock(1000), clock(3000), seg(0, 0, 0, ACK, window=4096)],
    "retransmissions_time_out": [send(0, 1000)] + [clock(65535)] * 20,
    "close_handshake": [close(0, 0), seg(0, 0, 0, ACK), seg(0, 0, 0, FIN | ACK), clock(6000)],
    "passive_close": [seg(0, 0, 0, FIN | ACK), read(), close(0, 2), seg(0, 0, 0, ACK)],
    "raw_garbage": [bytes([4, 1, 10]) + bytes(range(30))],
    "keepalive_and_user_timeout": [close(0, 4), clock(2000), clock(2000), send(0, 10), clock(5000)],
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "tcp_segments")
os.makedirs(out, exist_ok=True)
for name, ops in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"".join(ops))
print(f"{len(seeds)} seeds in {out}")
