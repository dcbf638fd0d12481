"""TCP scenarios of the packet-level testbench (imported by testbench.py).

The DUT listens on TCP_ECHO_PORT (echoes what it gets) and TCP_SINK_PORT (reads and
discards: Linux runs socat there, zcstack its HTTP server, which reads a POST /sink body
without answering until the body ends); TCP_CLOSED_PORT has no listener. The bench plays
the peer from raw frames: it owns every sequence number, option and timestamp, so each
check is about one rule. Every scenario runs first against Linux (the oracle) and then,
unchanged, against zcstack; a difference between the two must be a documented choice, not
a relaxed check.
"""
import random
import time

from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw

import testbench as tb

TCP_ECHO_PORT = 7
TCP_SINK_PORT = 80
TCP_CLOSED_PORT = 9
BENCH_MSS = 1460
SINK_HEAD = b"POST /sink HTTP/1.1\r\nHost: bench\r\nContent-Length: 100000000\r\n\r\n"


def opt(pkt, name):
    """The value of TCP option `name` in pkt, or None."""
    for key, value in pkt[TCP].options:
        if key == name:
            return value
    return None


def seg_len(pkt):
    """Sequence space a segment occupies (payload, SYN, FIN)."""
    t = pkt[TCP]
    return len(bytes(t.payload)) + (1 if t.flags.S else 0) + (1 if t.flags.F else 0)


class Conn:
    """The bench's end of one connection to the DUT."""

    def __init__(self, b, dport, v6=False, options=None, window=65535):
        self.b = b
        self.dport = dport
        self.sport = random.randint(20000, 60000)
        self.v6 = v6
        self.snd_nxt = random.randint(0, 2**32 - 1)
        self.rcv_nxt = None
        self.window = window
        self.options = options
        self.ts_clock = random.randint(1, 2**31)
        self.ts_recent = None
        self.syn_ack = None

    def ts(self):
        return (self.ts_clock + int(time.monotonic() * 1000)) & 0xFFFFFFFF

    def ip(self):
        eth = Ether(dst=self.b.dut_mac, src=tb.BENCH_MAC)
        if self.v6:
            return eth / IPv6(src=tb.BENCH_IP6, dst=tb.DUT_IP6)
        return eth / IP(src=tb.BENCH_IP4, dst=tb.DUT_IP4)

    def segment(self, flags, data=b"", seq=None, ack=None, window=None, options=None, tsval=None):
        opts = options
        if opts is None and self.ts_recent is not None:
            opts = [("NOP", None), ("NOP", None),
                    ("Timestamp", (tsval if tsval is not None else self.ts(), self.ts_recent))]
        t = TCP(sport=self.sport, dport=self.dport, flags=flags,
                seq=self.snd_nxt if seq is None else seq,
                ack=(self.rcv_nxt or 0) if ack is None else ack,
                window=self.window if window is None else window, options=opts or [])
        return self.ip() / t / Raw(data) if data else self.ip() / t

    def send(self, flags, data=b"", **kw):
        self.b.send(self.segment(flags, data, **kw))

    def from_dut(self, pkt):
        return (TCP in pkt and pkt[TCP].sport == self.dport and pkt[TCP].dport == self.sport
                and (IPv6 in pkt) == self.v6)

    def expect(self, matches=lambda p: True, timeout=2.0):
        return self.b.expect(lambda p: self.from_dut(p) and matches(p), timeout)

    def syn(self, options=None):
        """Sends a SYN (default options: MSS, SACK-permitted, timestamps, window scale 7)."""
        if options is None:
            options = [("MSS", BENCH_MSS), ("SAckOK", b""), ("Timestamp", (self.ts(), 0)),
                       ("NOP", None), ("WScale", 7)]
        self.send("S", seq=self.snd_nxt, ack=0, options=options)
        self.snd_nxt = (self.snd_nxt + 1) & 0xFFFFFFFF

    def open(self, options=None):
        """The three-way handshake; returns the SYN-ACK."""
        self.syn(options)
        r = self.expect(lambda p: p[TCP].flags.S and p[TCP].flags.A)
        tb.check(r is not None, "no SYN-ACK")
        self.syn_ack = r
        self.rcv_nxt = (r[TCP].seq + 1) & 0xFFFFFFFF
        ts = opt(r, "Timestamp")
        if ts is not None:
            self.ts_recent = ts[0]
        self.send("A")
        return r

    def note(self, pkt):
        """Tracks the DUT's timestamp after a segment it sent."""
        ts = opt(pkt, "Timestamp")
        if ts is not None:
            self.ts_recent = ts[0]

    def send_data(self, data, **kw):
        self.send("PA", data, **kw)
        self.snd_nxt = (self.snd_nxt + len(data)) & 0xFFFFFFFF

    def abort(self):
        self.send("R", ack=0, options=[])


def acks(conn, value):
    return lambda p: p[TCP].flags.A and p[TCP].ack == value


# --- scenarios -----------------------------------------------------------------------------

def tcp_syn_ack_carries_mss_sack_timestamps_and_window_scale(b):
    """RFC 9293 3.5 (handshake), 3.7.1 (MSS: MTU 1500 - 40 = 1460), RFC 2018 (SACK-permitted
    answered), RFC 7323 2.2 and 3.2 (window scale answered; TSecr echoes our TSval; the SYN's
    window field is not scaled)."""
    c = Conn(b, TCP_ECHO_PORT)
    our_ts = c.ts()
    c.send("S", seq=c.snd_nxt, ack=0, options=[
        ("MSS", BENCH_MSS), ("SAckOK", b""), ("Timestamp", (our_ts, 0)), ("NOP", None), ("WScale", 7)])
    r = c.expect(lambda p: p[TCP].flags.S)
    tb.check(r is not None, "no SYN-ACK")
    field = tb.field
    field("flags", str(r[TCP].flags), "SA")
    field("ack", r[TCP].ack, (c.snd_nxt + 1) & 0xFFFFFFFF)
    field("mss", opt(r, "MSS"), 1460)
    tb.check(opt(r, "SAckOK") is not None, "no SACK-permitted option")
    ts = opt(r, "Timestamp")
    tb.check(ts is not None, "no timestamp option")
    field("tsecr", ts[1], our_ts)
    ws = opt(r, "WScale")
    tb.check(ws is not None and 0 <= ws <= 14, f"window scale {ws!r}, want 0..=14")
    tb.check(r[TCP].window > 0, "zero window in the SYN-ACK")
    c.send("R", seq=(c.snd_nxt + 1) & 0xFFFFFFFF, ack=0, options=[])


def tcp_syn_ack_over_ipv6_has_mss_1440(b):
    """RFC 9293 3.7.1 over IPv6: MSS = MTU 1500 - 40 (IPv6) - 20 (TCP) = 1440."""
    c = Conn(b, TCP_ECHO_PORT, v6=True)
    c.syn()
    r = c.expect(lambda p: p[TCP].flags.S)
    tb.check(r is not None, "no SYN-ACK over IPv6")
    tb.field("flags", str(r[TCP].flags), "SA")
    tb.field("mss", opt(r, "MSS"), 1440)
    c.send("R", ack=0, options=[])


def tcp_syn_to_a_closed_port_gets_rst_ack(b):
    """RFC 9293 3.10.7.1 (CLOSED): a segment without ACK gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
    <CTL=RST,ACK>; the SYN counts one."""
    c = Conn(b, TCP_CLOSED_PORT)
    isn = c.snd_nxt
    c.syn()
    r = c.expect()
    tb.check(r is not None, "no reset")
    tb.field("flags", str(r[TCP].flags), "RA")
    tb.field("seq", r[TCP].seq, 0)
    tb.field("ack", r[TCP].ack, (isn + 1) & 0xFFFFFFFF)


def tcp_ack_to_a_closed_port_gets_rst_from_its_ack(b):
    """RFC 9293 3.10.7.1: a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>."""
    c = Conn(b, TCP_CLOSED_PORT)
    c.send("A", b"stray", seq=1000, ack=123456789, options=[])
    r = c.expect()
    tb.check(r is not None, "no reset")
    tb.field("flags", str(r[TCP].flags), "R")
    tb.field("seq", r[TCP].seq, 123456789)


def tcp_mss_defaults_to_536_without_the_option(b):
    """RFC 9293 3.7.1 (and RFC 1122 4.2.2.6): without an MSS option the sender assumes 536;
    an echo of 2000 bytes comes back in segments of at most 536 bytes."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open(options=[])
    base = c.rcv_nxt
    payload = bytes(i % 251 for i in range(2000))
    for i in range(0, 2000, 500):
        c.send_data(payload[i:i + 500])
    got = bytearray()
    deadline = time.monotonic() + 3
    while len(got) < 2000 and time.monotonic() < deadline:
        r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0, timeout=1)
        if r is None:
            break
        data = bytes(r[TCP].payload)
        tb.check(len(data) <= 536, f"a {len(data)}-byte segment without an MSS option")
        offset = (r[TCP].seq - base) & 0xFFFFFFFF
        if offset == len(got):
            got.extend(data)
            c.rcv_nxt = (r[TCP].seq + len(data)) & 0xFFFFFFFF
            c.send("A")
    tb.field("echoed bytes", bytes(got), payload)
    c.abort()


def tcp_in_window_rst_not_at_rcv_nxt_gets_a_challenge_ack(b):
    """RFC 5961 3.2: a RST in the window but not exactly at RCV.NXT gets a challenge ACK
    (<SEQ=SND.NXT><ACK=RCV.NXT>) and the connection stays; one at RCV.NXT closes it (data
    after it gets a RST)."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    dut_nxt = c.rcv_nxt
    c.send("R", seq=(c.snd_nxt + 10) & 0xFFFFFFFF, ack=0, options=[])
    r = c.expect()
    tb.check(r is not None, "no challenge ACK")
    tb.field("flags", str(r[TCP].flags), "A")
    tb.field("ack", r[TCP].ack, c.snd_nxt)
    tb.field("seq", r[TCP].seq, dut_nxt)
    c.note(r)
    c.send("R", seq=c.snd_nxt, ack=0, options=[])
    time.sleep(0.05)
    c.send_data(b"after reset")
    r = c.expect()
    tb.check(r is not None and r[TCP].flags.R, f"want a RST for data after the reset, got {r!r}")


def tcp_syn_in_established_gets_a_challenge_ack(b):
    """RFC 5961 4.2 (updating RFC 9293 3.10.7.4): a SYN on a synchronized connection, in
    window or not, gets a challenge ACK and changes nothing."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("S", seq=(c.snd_nxt + 100) & 0xFFFFFFFF, ack=0, options=[])
    r = c.expect()
    tb.check(r is not None, "no challenge ACK")
    tb.field("flags", str(r[TCP].flags), "A")
    tb.field("ack", r[TCP].ack, c.snd_nxt)
    c.note(r)
    # Still open: data is echoed.
    c.send_data(b"still here")
    r = c.expect(lambda p: bytes(p[TCP].payload) == b"still here")
    tb.check(r is not None, "no echo after the SYN")
    c.abort()


def tcp_out_of_window_data_gets_a_duplicate_ack(b):
    """RFC 9293 3.10.7.4 (first check): an unacceptable segment is answered with
    <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("PA", b"far away", seq=(c.snd_nxt + 10_000_000) & 0xFFFFFFFF)
    r = c.expect()
    tb.check(r is not None, "no duplicate ACK")
    tb.field("flags", str(r[TCP].flags), "A")
    tb.field("ack", r[TCP].ack, c.snd_nxt)
    tb.field("payload", bytes(r[TCP].payload), b"")
    c.abort()


def tcp_ack_of_unsent_data_is_dropped(b):
    """RFC 9293 3.10.7.4 (fifth check, ESTABLISHED): SEG.ACK > SND.NXT means send an ACK and
    drop the segment. The data it carries is not delivered (no echo of it). Linux drops it
    without the ACK (tcp_ack's ACK_UNSENT_DATA; RFC 5961 5.2 leaves the ACK optional as a
    rate-limited challenge), so the check is that the data is not delivered and the
    connection still works."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("PA", b"bogus ack", ack=(c.rcv_nxt + 100000) & 0xFFFFFFFF)
    r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0, timeout=0.5)
    tb.check(r is None, f"data with an ACK of unsent data was delivered: {r!r}")
    c.send_data(b"good")
    r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0)
    tb.check(r is not None, "no echo after the bad ACK")
    tb.field("echo", bytes(r[TCP].payload), b"good")
    c.abort()


def tcp_zero_window_is_probed_with_backoff(b):
    """RFC 9293 3.8.6.1: with the peer's window at zero the sender probes (a zero-length
    segment at SND.UNA-1, as Linux sends, or one byte of new data), and the probe interval
    backs off exponentially (RFC 1122 4.2.2.17); opening the window resumes the data."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.window = 0
    c.send_data(b"echo me")
    probes = []
    start = time.monotonic()
    while len(probes) < 3 and time.monotonic() - start < 5:
        r = c.expect(timeout=5 - (time.monotonic() - start))
        if r is None:
            break
        c.note(r)
        data = bytes(r[TCP].payload)
        una = c.rcv_nxt
        if (len(data) == 0 and r[TCP].seq == (una - 1) & 0xFFFFFFFF) or (
                len(data) == 1 and r[TCP].seq == una):
            probes.append(r.time)
            c.send("A")  # still window 0
        elif len(data) == 0 and r[TCP].seq == una:
            continue  # a plain ACK of our data
        else:
            tb.check(False, f"data sent into a zero window: {r!r}")
    tb.check(len(probes) >= 3, f"{len(probes)} window probes within 5 s, want 3")
    first, second = probes[1] - probes[0], probes[2] - probes[1]
    tb.check(second >= 1.5 * first, f"probe intervals {first:.3f} s then {second:.3f} s: no backoff")
    c.window = 65535
    c.send("A")
    got = b""
    deadline = time.monotonic() + 3
    while got != b"echo me" and time.monotonic() < deadline:
        r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0, timeout=1)
        if r is None:
            break
        if r[TCP].seq == (c.rcv_nxt - len(got)) & 0xFFFFFFFF or r[TCP].seq == c.rcv_nxt:
            off = (r[TCP].seq - (c.rcv_nxt - len(got))) & 0xFFFFFFFF
            got = got[:off] + bytes(r[TCP].payload)
    tb.field("data after the window opened", got, b"echo me")
    c.abort()


def tcp_syn_ack_is_retransmitted_after_one_second(b):
    """RFC 6298 2.1 and RFC 9293 3.8.1: the initial RTO is 1 s; an unanswered SYN-ACK is
    sent again after about that long, with the same sequence number."""
    c = Conn(b, TCP_ECHO_PORT)
    c.syn()
    first = c.expect(lambda p: p[TCP].flags.S)
    tb.check(first is not None, "no SYN-ACK")
    again = c.expect(lambda p: p[TCP].flags.S, timeout=2.5)
    tb.check(again is not None, "no SYN-ACK retransmission within 2.5 s")
    elapsed = again.time - first.time
    tb.check(0.8 <= elapsed <= 1.5, f"SYN-ACK retransmitted after {elapsed:.3f} s, want about 1 s")
    tb.field("seq", again[TCP].seq, first[TCP].seq)
    c.abort()


def tcp_data_retransmission_waits_the_200ms_minimum_rto(b):
    """RFC 6298 2.4 allows a minimum RTO below its 1 s; Linux uses 200 ms and so does
    zcstack (issue 12). On a link with a sub-millisecond RTT an unacknowledged segment is
    retransmitted after 200-600 ms, not at once and not after 1 s."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send_data(b"rto?")
    first = c.expect(lambda p: bytes(p[TCP].payload) == b"rto?")
    tb.check(first is not None, "no echo")
    again = c.expect(lambda p: bytes(p[TCP].payload) == b"rto?" and p[TCP].seq == first[TCP].seq,
                     timeout=1.5)
    tb.check(again is not None, "no retransmission within 1.5 s")
    elapsed = again.time - first.time
    tb.check(0.18 <= elapsed <= 0.6, f"retransmitted after {elapsed:.3f} s, want 0.2-0.6 s")
    c.abort()


def tcp_paws_drops_a_segment_with_an_old_timestamp(b):
    """RFC 7323 5.3 (R1): a segment whose TSval is older than TS.Recent is dropped and
    acknowledged (<ACK=RCV.NXT>); the same data with a current TSval is then accepted."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send_data(b"one")
    r = c.expect(lambda p: bytes(p[TCP].payload) == b"one")
    tb.check(r is not None, "no echo")
    c.note(r)
    c.rcv_nxt = (c.rcv_nxt + 3) & 0xFFFFFFFF
    c.send("A")
    stale = (c.ts() - 100000) & 0xFFFFFFFF
    c.send("PA", b"old", tsval=stale)
    r = c.expect()
    tb.check(r is not None, "no ACK for the segment PAWS dropped")
    tb.field("ack", r[TCP].ack, c.snd_nxt)
    tb.field("payload", bytes(r[TCP].payload), b"")
    c.note(r)
    c.send_data(b"new")
    r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0)
    tb.check(r is not None, "no echo with a current timestamp")
    tb.field("echo", bytes(r[TCP].payload), b"new")
    c.abort()


def tcp_out_of_order_data_is_acked_at_once_with_a_sack_block(b):
    """RFC 9293 3.10.7.4 and RFC 5681 4.2: out-of-order data is acknowledged immediately
    (a duplicate ACK); RFC 2018 4: that ACK carries a SACK block for the segment received."""
    c = Conn(b, TCP_SINK_PORT)
    c.open()
    c.send_data(SINK_HEAD)
    r = c.expect(acks(c, c.snd_nxt))
    tb.check(r is not None, "no ACK of the request head")
    c.note(r)
    hole = c.snd_nxt
    left = (hole + 100) & 0xFFFFFFFF
    c.send("PA", b"x" * 100, seq=left)
    r = c.expect(lambda p: p[TCP].flags.A, timeout=0.5)
    tb.check(r is not None, "no immediate ACK of out-of-order data")
    tb.field("ack", r[TCP].ack, hole)
    sack = opt(r, "SAck")
    tb.check(sack is not None, "no SACK option")
    tb.field("first SACK block", tuple(sack[:2]), (left, (left + 100) & 0xFFFFFFFF))
    c.abort()


def tcp_second_full_segment_is_acked_at_once(b):
    """RFC 9293 3.8.6.3 / RFC 5681 4.2 / RFC 1122 4.2.3.2: an ACK is sent for at least every
    second full-sized segment; two back-to-back full segments are acknowledged together
    within 30 ms, before a delayed-ACK timer (40 ms on Linux and zcstack) could fire. Up to
    five pairs are tried: a timer-driven ACK is never that early, so a retry only filters
    out a DUT that was not scheduled in time on a loaded machine."""
    c = Conn(b, TCP_SINK_PORT)
    c.open()
    c.send_data(SINK_HEAD)
    r = c.expect(acks(c, c.snd_nxt))
    tb.check(r is not None, "no ACK of the request head")
    c.note(r)
    mss = opt(c.syn_ack, "MSS") - 12  # the timestamp option takes 12 bytes of each segment
    delays = []
    for _ in range(5):
        t0 = time.time()
        c.send("A", b"a" * mss)
        c.snd_nxt = (c.snd_nxt + mss) & 0xFFFFFFFF
        c.send("A", b"b" * mss)
        c.snd_nxt = (c.snd_nxt + mss) & 0xFFFFFFFF
        r = c.expect(acks(c, c.snd_nxt), timeout=0.5)
        tb.check(r is not None, "two full segments were not acknowledged within 500 ms")
        c.note(r)
        delays.append(r.time - t0)
        if delays[-1] <= 0.03:
            break
        time.sleep(0.05)
    tb.check(min(delays) <= 0.03,
             f"acknowledged after {[round(d * 1000) for d in delays]} ms, want at once")
    c.abort()


def tcp_window_is_scaled_after_the_handshake(b):
    """RFC 7323 2.2-2.3: once both SYNs carried the option, window fields are shifted by
    the announced scale; the DUT advertises (window << shift) of at least 1000 bytes, and our
    scaled window (field 2 << 7 = 256 bytes, from the handshake's ACK on: a later shrink
    would be ignored, RFC 9293 3.8.6.2.1) limits what it sends."""
    c = Conn(b, TCP_ECHO_PORT, window=2)
    r = c.open()
    shift = opt(r, "WScale")
    tb.check(shift is not None, "no window scale option")
    c.send_data(bytes(1000))
    got = 0
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        p = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0, timeout=0.3)
        if p is None:
            break
        got = max(got, (p[TCP].seq + len(bytes(p[TCP].payload)) - c.rcv_nxt) & 0xFFFFFFFF)
        tb.check(p[TCP].window << shift >= 1000, f"window {p[TCP].window} << {shift}")
    tb.check(0 < got <= 256, f"{got} bytes sent into a 256-byte scaled window")
    c.abort()


def tcp_rst_outside_the_window_is_ignored(b):
    """RFC 5961 3.2 (and RFC 9293 3.10.7.4): a RST whose sequence number is outside the
    receive window is discarded silently; the connection carries on."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("R", seq=(c.snd_nxt + 2**30) & 0xFFFFFFFF, ack=0, options=[])
    r = c.expect(timeout=0.3)
    tb.check(r is None, f"answered an out-of-window RST: {r!r}")
    c.send_data(b"alive")
    r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0)
    tb.check(r is not None, "no echo after the out-of-window RST")
    tb.field("echo", bytes(r[TCP].payload), b"alive")
    c.abort()


def tcp_ack_below_the_window_gets_a_challenge_ack(b):
    """RFC 5961 5.2: an ACK older than SND.UNA - MAX.SND.WND is unacceptable; the segment is
    dropped (its data not delivered) and a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT> sent."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("PA", b"old ack", ack=(c.rcv_nxt - 2**30) & 0xFFFFFFFF)
    r = c.expect(timeout=0.5)
    tb.check(r is not None, "no challenge ACK")
    tb.field("flags", str(r[TCP].flags), "A")
    tb.field("ack", r[TCP].ack, c.snd_nxt)
    tb.field("payload", bytes(r[TCP].payload), b"")
    r = c.expect(lambda p: len(bytes(p[TCP].payload)) > 0, timeout=0.3)
    tb.check(r is None, f"data with an unacceptable ACK was delivered: {r!r}")
    c.abort()


def tcp_unknown_syn_option_is_ignored(b):
    """RFC 9293 3.2 (and RFC 1122 4.2.2.5): an option of unknown kind is skipped by its
    length; the SYN is answered as usual."""
    c = Conn(b, TCP_ECHO_PORT)
    c.send("S", seq=c.snd_nxt, ack=0,
           options=[(253, b"\x12\x34\x56\x78"), ("MSS", BENCH_MSS), ("NOP", None), ("NOP", None)])
    r = c.expect(lambda p: p[TCP].flags.S)
    tb.check(r is not None, "no SYN-ACK")
    tb.field("flags", str(r[TCP].flags), "SA")
    tb.field("ack", r[TCP].ack, (c.snd_nxt + 1) & 0xFFFFFFFF)
    tb.field("mss", opt(r, "MSS"), 1460)
    c.send("R", seq=(c.snd_nxt + 1) & 0xFFFFFFFF, ack=0, options=[])


def tcp_fin_is_acked_and_the_peer_finishes_its_side(b):
    """RFC 9293 3.6 and 3.10.7.4 (eighth step): our FIN is acknowledged (it occupies one
    sequence number); the half-open side still delivers the echo of data sent with the FIN,
    then closes with its own FIN, which we acknowledge."""
    c = Conn(b, TCP_ECHO_PORT)
    c.open()
    c.send("FPA", b"bye")
    c.snd_nxt = (c.snd_nxt + 4) & 0xFFFFFFFF
    got = b""
    fin = None
    deadline = time.monotonic() + 3
    while fin is None and time.monotonic() < deadline:
        r = c.expect(timeout=max(0.01, deadline - time.monotonic()))
        if r is None:
            break
        c.note(r)
        tb.check(r[TCP].ack == c.snd_nxt, f"ack {r[TCP].ack}, want {c.snd_nxt} (data and FIN)")
        data = bytes(r[TCP].payload)
        if r[TCP].seq == c.rcv_nxt and data:
            got += data
            c.rcv_nxt = (c.rcv_nxt + len(data)) & 0xFFFFFFFF
        if r[TCP].flags.F and (r[TCP].seq + len(data)) & 0xFFFFFFFF == c.rcv_nxt:
            fin = r
            c.rcv_nxt = (c.rcv_nxt + 1) & 0xFFFFFFFF
        c.send("A")
    tb.field("echo before the FIN", got, b"bye")
    tb.check(fin is not None, "the peer did not close its side")


SCENARIOS = [
    tcp_syn_ack_carries_mss_sack_timestamps_and_window_scale,
    tcp_syn_ack_over_ipv6_has_mss_1440,
    tcp_syn_to_a_closed_port_gets_rst_ack,
    tcp_ack_to_a_closed_port_gets_rst_from_its_ack,
    tcp_mss_defaults_to_536_without_the_option,
    tcp_in_window_rst_not_at_rcv_nxt_gets_a_challenge_ack,
    tcp_syn_in_established_gets_a_challenge_ack,
    tcp_out_of_window_data_gets_a_duplicate_ack,
    tcp_ack_of_unsent_data_is_dropped,
    tcp_zero_window_is_probed_with_backoff,
    tcp_syn_ack_is_retransmitted_after_one_second,
    tcp_data_retransmission_waits_the_200ms_minimum_rto,
    tcp_paws_drops_a_segment_with_an_old_timestamp,
    tcp_out_of_order_data_is_acked_at_once_with_a_sack_block,
    tcp_second_full_segment_is_acked_at_once,
    tcp_window_is_scaled_after_the_handshake,
    tcp_rst_outside_the_window_is_ignored,
    tcp_ack_below_the_window_gets_a_challenge_ack,
    tcp_unknown_syn_option_is_ignored,
    tcp_fin_is_acked_and_the_peer_finishes_its_side,
]
