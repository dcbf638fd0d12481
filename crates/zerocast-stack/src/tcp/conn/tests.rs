//! The state machine on its own, with exact sequence numbers and timer values. Each test
//! names the rule it checks. The rig's peer sends no options unless a test says so, so
//! windows are unscaled and segments carry no timestamps.

use alloc::vec::Vec;

use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN};

use super::{Conn, ConnCtx, ConnParams};
use crate::socket::SocketError;
use crate::tcp::config::TcpConfig;
use crate::tcp::rules::ChallengeAckLimiter;
use crate::tcp::segment::{OutSegment, SegOptions, Segment};
use crate::tcp::socket_options::{Keepalive, TcpSocketOptions};
use crate::tcp::{SeqNum, TcpState};
use crate::time::{Duration, Instant};

const ISS: u32 = 1000;
const IRS: u32 = 5000;

fn s(n: u32) -> SeqNum {
    SeqNum::new(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

struct Rig {
    conn: Conn,
    now: Instant,
    config: TcpConfig,
    challenge: ChallengeAckLimiter,
}

fn params(options: TcpSocketOptions) -> ConnParams {
    ConnParams {
        local: "10.0.0.1:1000".parse().unwrap(),
        remote: "10.0.0.2:2000".parse().unwrap(),
        iss: s(ISS),
        our_mss: 1460,
        ts_offset: 0,
        options,
    }
}

/// A segment from the peer.
fn seg(seq: u32, ack: u32, flags: u16, window: u16, payload: &[u8]) -> Segment<'_> {
    Segment {
        seq: s(seq),
        ack: s(ack),
        flags,
        window,
        options: SegOptions::default(),
        payload,
    }
}

impl Rig {
    fn with<R>(
        &mut self,
        f: impl FnOnce(&mut Conn, &mut ConnCtx<'_>) -> R,
    ) -> (R, Vec<OutSegment>) {
        let mut out = Vec::new();
        let mut ctx = ConnCtx {
            now: self.now,
            config: &self.config,
            challenge: &mut self.challenge,
            out: &mut out,
        };
        let r = f(&mut self.conn, &mut ctx);
        (r, out)
    }

    fn input(&mut self, s: Segment<'_>) -> Vec<OutSegment> {
        self.with(|c, ctx| c.on_segment(&s, ctx)).1
    }

    fn send(&mut self, data: &[u8]) -> (Result<usize, SocketError>, Vec<OutSegment>) {
        self.with(|c, ctx| c.send(data, ctx))
    }

    /// Moves the clock to the connection's next deadline and fires it.
    fn fire(&mut self) -> (Instant, Vec<OutSegment>) {
        let at = self.conn.next_deadline().expect("a timer is armed");
        self.now = self.now.max(at);
        let out = self.with(|c, ctx| c.on_timer(ctx)).1;
        (at, out)
    }

    fn at(&self, after: Duration) -> Instant {
        self.now + after
    }
}

fn config() -> TcpConfig {
    TcpConfig {
        recv_buffer: 65535,
        recv_buffer_max: 65535,
        ..TcpConfig::default()
    }
}

/// A connection in SYN-SENT (our SYN out at t = 1 s).
fn syn_sent(options: TcpSocketOptions) -> (Rig, Vec<OutSegment>) {
    let config = config();
    let now = Instant::ZERO + Duration::from_secs(1);
    let mut out = Vec::new();
    let mut challenge = ChallengeAckLimiter::default();
    let conn = {
        let mut ctx = ConnCtx {
            now,
            config: &config,
            challenge: &mut challenge,
            out: &mut out,
        };
        Conn::connect(&params(options), &mut ctx)
    };
    (
        Rig {
            conn,
            now,
            config,
            challenge,
        },
        out,
    )
}

/// Established by an active open; the peer offered window 8192 and no options.
fn established() -> Rig {
    established_with(TcpSocketOptions::default())
}

fn established_with(options: TcpSocketOptions) -> Rig {
    let (mut rig, _) = syn_sent(options);
    let out = rig.input(seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::Established);
    assert_eq!(out.len(), 1);
    rig
}

fn one(out: &[OutSegment]) -> OutSegment {
    assert_eq!(out.len(), 1, "{out:?}");
    out[0]
}

// ---- Handshakes (RFC 9293 3.5, figure 6, 7, 8) ----

#[test]
fn rfc9293_3_5_active_open_syn_then_ack_of_syn_ack() {
    let (mut rig, out) = syn_sent(TcpSocketOptions::default());
    let syn = one(&out);
    assert_eq!((syn.seq, syn.flags), (s(ISS), FLAG_SYN));
    assert_eq!(syn.mss, Some(1460));
    assert_eq!(syn.window_scale, Some(0), "65535-byte buffer max: shift 0");
    assert!(syn.sack_permitted);
    assert_eq!(
        syn.timestamp,
        Some((1000, 0)),
        "TSval: milliseconds of the clock"
    );
    assert_eq!(
        rig.conn.rto_at.get(),
        Some(rig.at(Duration::from_secs(1))),
        "RFC 6298 2.1: 1 s"
    );
    let ack = one(&rig.input(seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[])));
    assert_eq!(
        (ack.seq, ack.ack, ack.flags),
        (s(ISS + 1), s(IRS + 1), FLAG_ACK)
    );
    assert_eq!(ack.window, 65535);
    assert_eq!(rig.conn.snd_wnd, 8192);
    assert_eq!(
        rig.conn.rto_at.get(),
        None,
        "all acknowledged: the timer stops"
    );
    assert_eq!(
        rig.conn.snd_mss, 536,
        "RFC 9293 3.7.1: no MSS option means 536"
    );
}

#[test]
fn rfc9293_3_10_7_2_passive_open_syn_ack_echoes_only_offered_options() {
    let config = config();
    let mut challenge = ChallengeAckLimiter::default();
    let mut out = Vec::new();
    let mut syn = seg(IRS, 0, FLAG_SYN, 29200, &[]);
    syn.options.mss = Some(1400);
    syn.options.timestamp = Some((777, 0));
    let now = Instant::ZERO + Duration::from_secs(2);
    let conn = {
        let mut ctx = ConnCtx {
            now,
            config: &config,
            challenge: &mut challenge,
            out: &mut out,
        };
        Conn::accept_syn(&params(TcpSocketOptions::default()), &syn, &mut ctx)
    };
    let sa = one(&out);
    assert_eq!(
        (sa.seq, sa.ack, sa.flags),
        (s(ISS), s(IRS + 1), FLAG_SYN | FLAG_ACK)
    );
    assert_eq!(sa.window_scale, None, "the SYN offered no window scale");
    assert!(!sa.sack_permitted, "the SYN offered no SACK");
    assert_eq!(
        sa.timestamp,
        Some((2000, 777)),
        "TSecr echoes the SYN's TSval"
    );
    assert_eq!(conn.snd_mss, 1400);
    assert_eq!(
        conn.max_payload(),
        1388,
        "12 bytes of timestamps per segment"
    );
    let mut rig = Rig {
        conn,
        now,
        config,
        challenge,
    };
    let mut ack = seg(IRS + 1, ISS + 1, FLAG_ACK, 29200, &[]);
    ack.options.timestamp = Some((778, 2000));
    assert!(rig.input(ack).is_empty());
    assert_eq!(rig.conn.state, TcpState::Established);
}

#[test]
fn rfc9293_figure_8_simultaneous_open() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let sa = one(&rig.input(seg(IRS, 0, FLAG_SYN, 4096, &[])));
    assert_eq!(rig.conn.state, TcpState::SynReceived);
    assert_eq!(
        (sa.seq, sa.ack, sa.flags),
        (s(ISS), s(IRS + 1), FLAG_SYN | FLAG_ACK)
    );
    // The peer's SYN-ACK completes it.
    let out = rig.input(seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 4096, &[]));
    assert_eq!(
        rig.conn.state,
        TcpState::SynReceived,
        "a SYN in SYN-RECEIVED is not an ACK"
    );
    assert_eq!(out.len(), 1, "challenge ACK (RFC 5961 4.2)");
    assert!(rig
        .input(seg(IRS + 1, ISS + 1, FLAG_ACK, 4096, &[]))
        .is_empty());
    assert_eq!(rig.conn.state, TcpState::Established);
}

#[test]
fn rfc9293_3_10_7_3_syn_sent_bad_ack_gets_rst_with_its_ack_as_seq() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let rst = one(&rig.input(seg(IRS, 999, FLAG_ACK, 100, &[])));
    assert_eq!((rst.seq, rst.flags), (s(999), FLAG_RST));
    assert_eq!(rig.conn.state, TcpState::SynSent);
}

#[test]
fn rfc9293_3_10_7_3_syn_sent_rst_with_good_ack_refuses() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    assert!(
        rig.input(seg(0, ISS + 1, FLAG_RST, 0, &[])).is_empty(),
        "no ACK bit: ignored"
    );
    assert_eq!(rig.conn.state, TcpState::SynSent);
    rig.input(seg(0, ISS + 1, FLAG_RST | FLAG_ACK, 0, &[]));
    assert_eq!(rig.conn.state, TcpState::Closed);
    assert_eq!(rig.conn.error, Some(SocketError::ConnectionRefused));
}

#[test]
fn rfc6298_5_5_syn_retransmitted_with_doubling_rto_then_timed_out() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let start = rig.now;
    let mut fired = Vec::new();
    for _ in 0..6 {
        let (at, out) = rig.fire();
        assert_eq!(one(&out).flags, FLAG_SYN);
        fired.push(at.saturating_duration_since(start).as_secs());
    }
    assert_eq!(fired, [1, 3, 7, 15, 31, 63], "1 s doubling: 1+2+4+8+16+32");
    let (at, out) = rig.fire();
    assert_eq!(at.saturating_duration_since(start).as_secs(), 127);
    assert!(out.is_empty(), "no RST for an unsynchronized connection");
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
}

// ---- Data, ACKs, windows ----

#[test]
fn rfc9293_3_8_6_2_1_nagle_holds_small_segments_while_data_is_in_flight() {
    let mut rig = established();
    let (r, out) = rig.send(b"a");
    assert_eq!(r, Ok(1));
    let first = one(&out);
    assert_eq!((first.seq, first.payload_len), (s(ISS + 1), 1));
    let (_, out) = rig.send(b"b");
    assert!(
        out.is_empty(),
        "Nagle: one small segment in flight at a time"
    );
    let out = rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, &[]));
    let second = one(&out);
    assert_eq!((second.seq, second.payload_len), (s(ISS + 2), 1));
}

#[test]
fn rfc896_nodelay_sends_small_segments_at_once() {
    let mut rig = established_with(TcpSocketOptions {
        nodelay: true,
        ..TcpSocketOptions::default()
    });
    assert_eq!(rig.send(b"a").1.len(), 1);
    assert_eq!(rig.send(b"b").1.len(), 1);
}

#[test]
fn mss_sized_segments_up_to_the_peer_window() {
    let mut rig = established();
    let data = [7u8; 10_000];
    let (r, out) = rig.send(&data);
    assert_eq!(r, Ok(10_000));
    // RFC 6928 IW10 with MSS 536: 10 segments (5360 bytes) before the first ACK.
    let lens: Vec<usize> = out.iter().map(|o| o.payload_len).collect();
    assert_eq!(lens, [536; 10]);
    assert_eq!(out[9].seq, s(ISS + 1 + 9 * 536));
    // Their ACK grows cwnd to 6432 (slow start, RFC 3465 L = 2 MSS): room for 12, but only
    // 8 full segments are queued; Nagle holds the 352-byte rest while they are in flight.
    let out = rig.input(seg(IRS + 1, ISS + 1 + 5360, FLAG_ACK, 8192, &[]));
    assert_eq!(out.len(), 8);
    assert!(out.iter().all(|o| o.payload_len == 536));
    assert_eq!(rig.conn.snd_nxt, s(ISS + 1 + 5360 + 8 * 536));
}

#[test]
fn rfc5961_5_2_ack_of_unsent_data_is_dropped_and_acked() {
    let mut rig = established();
    let _ = rig.send(b"hello");
    let ack = one(&rig.input(seg(IRS + 1, ISS + 100, FLAG_ACK, 8192, &[])));
    assert_eq!((ack.seq, ack.ack), (s(ISS + 6), s(IRS + 1)));
    assert_eq!(rig.conn.snd_una, s(ISS + 1), "nothing acknowledged");
}

#[test]
fn rfc9293_3_10_7_4_out_of_window_data_gets_a_duplicate_ack() {
    let mut rig = established();
    let ack = one(&rig.input(seg(IRS + 70_000, ISS + 1, FLAG_ACK, 8192, b"far")));
    assert_eq!((ack.seq, ack.ack), (s(ISS + 1), s(IRS + 1)));
    assert_eq!(rig.conn.recv_buf.ready(), 0);
}

#[test]
fn rfc9293_3_8_6_3_delayed_ack_40ms_and_every_second_full_segment() {
    let mut rig = established();
    let full = [1u8; 1420];
    assert!(rig
        .input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &full))
        .is_empty());
    assert_eq!(rig.conn.delack_at.get(), Some(rig.at(ms(40))));
    let ack = one(&rig.input(seg(IRS + 1421, ISS + 1, FLAG_ACK, 8192, &full)));
    assert_eq!(
        ack.ack,
        s(IRS + 1 + 2840),
        "second full segment: ACK at once"
    );
    assert_eq!(rig.conn.delack_at.get(), None);
    // A lone small segment waits exactly 40 ms.
    assert!(rig
        .input(seg(IRS + 2841, ISS + 1, FLAG_ACK, 8192, b"x"))
        .is_empty());
    let before = rig.now;
    let (at, out) = rig.fire();
    assert_eq!(at.saturating_duration_since(before), ms(40));
    assert_eq!(one(&out).ack, s(IRS + 2842));
}

#[test]
fn rfc5681_4_2_out_of_order_acked_at_once_with_sack_and_hole_fill_too() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let mut sa = seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[]);
    sa.options.sack_permitted = true;
    rig.input(sa);
    assert!(rig.conn.sack_ok);
    let ack = one(&rig.input(seg(IRS + 101, ISS + 1, FLAG_ACK, 8192, &[2u8; 100])));
    assert_eq!(ack.ack, s(IRS + 1));
    assert_eq!(ack.sack_blocks(), [(s(IRS + 101), s(IRS + 201))]);
    let ack = one(&rig.input(seg(IRS + 301, ISS + 1, FLAG_ACK, 8192, &[3u8; 100])));
    assert_eq!(
        ack.sack_blocks(),
        [(s(IRS + 301), s(IRS + 401)), (s(IRS + 101), s(IRS + 201))],
        "RFC 2018 4: the newest block first"
    );
    let ack = one(&rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[1u8; 100])));
    assert_eq!(ack.ack, s(IRS + 201), "filling the hole: ACK at once");
    assert_eq!(ack.sack_blocks(), [(s(IRS + 301), s(IRS + 401))]);
}

#[test]
fn rfc2883_duplicate_segment_reported_as_dsack_first() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let mut sa = seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[]);
    sa.options.sack_permitted = true;
    rig.input(sa);
    rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[1u8; 100]));
    let ack = one(&rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[1u8; 100])));
    assert_eq!(ack.ack, s(IRS + 101));
    assert_eq!(
        ack.sack_blocks(),
        [(s(IRS + 1), s(IRS + 101))],
        "D-SACK below the ACK"
    );
}

#[test]
fn rfc9293_3_8_6_2_2_receiver_window_never_shrinks_and_reopens_with_an_update() {
    let mut rig = established();
    // Fill the 65535-byte buffer with 45 segments of 1456 bytes (65520): window 15.
    let chunk = [9u8; 1456];
    for i in 0..45u32 {
        rig.input(seg(IRS + 1 + i * 1456, ISS + 1, FLAG_ACK, 8192, &chunk));
    }
    let ack = one(&rig.with(|c, ctx| c.send_ack(ctx)).1);
    assert_eq!(ack.ack, s(IRS + 1 + 65520));
    assert_eq!(
        ack.window, 15,
        "what is left; the right edge stays at IRS+1+65535"
    );
    // Reading 100 bytes would move the edge by 100 < MSS: no update (SWS avoidance).
    let mut buf = [0u8; 100];
    let (_, out) = rig.with(|c, ctx| c.recv(&mut buf, ctx));
    assert!(out.is_empty());
    let mut big = [0u8; 40_000];
    let (_, out) = rig.with(|c, ctx| c.recv(&mut big, ctx));
    let update = one(&out);
    assert_eq!(update.window, 40_115, "reopened: a window update at once");
}

#[test]
fn rfc7323_2_window_scale_applies_to_windows_after_the_syn() {
    let (mut rig, out) = syn_sent(TcpSocketOptions::default());
    assert_eq!(one(&out).window_scale, Some(0));
    let mut sa = seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 1000, &[]);
    sa.options.window_scale = Some(3);
    rig.input(sa);
    assert_eq!(
        rig.conn.snd_wnd, 1000,
        "the SYN-ACK's window is never scaled"
    );
    rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 1000, &[]));
    assert_eq!(rig.conn.snd_wnd, 8000, "later windows are shifted by 3");
}

#[test]
fn rfc7323_5_3_paws_drops_old_timestamp_and_acks() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    let mut sa = seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[]);
    sa.options.timestamp = Some((500, 1000));
    rig.input(sa);
    let mut fresh = seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, b"new");
    fresh.options.timestamp = Some((600, 1000));
    rig.input(fresh);
    assert_eq!(rig.conn.ts.map(|t| t.recent), Some(600));
    let mut old = seg(IRS + 4, ISS + 1, FLAG_ACK, 8192, b"old");
    old.options.timestamp = Some((599, 1000));
    let ack = one(&rig.input(old));
    assert_eq!(ack.ack, s(IRS + 4), "dropped, acknowledged");
    assert_eq!(rig.conn.recv_buf.ready(), 3);
}

// ---- RFC 5961 ----

#[test]
fn rfc5961_3_2_rst_exactly_at_rcv_nxt_resets() {
    let mut rig = established();
    assert!(rig.input(seg(IRS + 1, 0, FLAG_RST, 0, &[])).is_empty());
    assert_eq!(rig.conn.state, TcpState::Closed);
    assert_eq!(rig.conn.error, Some(SocketError::ConnectionReset));
}

#[test]
fn rfc5961_3_2_in_window_rst_gets_challenge_ack() {
    let mut rig = established();
    let ack = one(&rig.input(seg(IRS + 2, 0, FLAG_RST, 0, &[])));
    assert_eq!(
        (ack.seq, ack.ack, ack.flags),
        (s(ISS + 1), s(IRS + 1), FLAG_ACK)
    );
    assert_eq!(rig.conn.state, TcpState::Established);
    assert!(
        rig.input(seg(IRS + 100_000, 0, FLAG_RST, 0, &[]))
            .is_empty(),
        "outside: silent"
    );
}

#[test]
fn rfc5961_4_2_syn_in_established_gets_challenge_ack() {
    let mut rig = established();
    let ack = one(&rig.input(seg(IRS + 10, 0, FLAG_SYN, 1000, &[])));
    assert_eq!(
        (ack.seq, ack.ack, ack.flags),
        (s(ISS + 1), s(IRS + 1), FLAG_ACK)
    );
    assert_eq!(rig.conn.state, TcpState::Established);
}

#[test]
fn rfc5961_7_challenge_acks_limited_per_second() {
    let mut rig = established();
    rig.config.challenge_ack_limit = 2;
    assert_eq!(rig.input(seg(IRS + 2, 0, FLAG_RST, 0, &[])).len(), 1);
    assert_eq!(rig.input(seg(IRS + 3, 0, FLAG_RST, 0, &[])).len(), 1);
    assert!(rig.input(seg(IRS + 4, 0, FLAG_RST, 0, &[])).is_empty());
    rig.now += Duration::from_secs(1);
    assert_eq!(rig.input(seg(IRS + 5, 0, FLAG_RST, 0, &[])).len(), 1);
}

// ---- Close ----

#[test]
fn rfc9293_figure_6_active_close_fin_wait_to_time_wait_60s() {
    let mut rig = established();
    let (_, out) = rig.with(|c, ctx| c.shutdown_write(ctx));
    let fin = one(&out);
    assert_eq!((fin.seq, fin.flags), (s(ISS + 1), FLAG_ACK | FLAG_FIN));
    assert_eq!(rig.conn.state, TcpState::FinWait1);
    rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::FinWait2);
    let ack = one(&rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK | FLAG_FIN, 8192, &[])));
    assert_eq!(ack.ack, s(IRS + 2));
    assert_eq!(rig.conn.state, TcpState::TimeWait);
    assert_eq!(
        rig.conn.next_deadline(),
        Some(rig.at(Duration::from_secs(60)))
    );
    // A retransmitted FIN is acknowledged again and restarts the wait.
    rig.now += Duration::from_secs(30);
    let again = one(&rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK | FLAG_FIN, 8192, &[])));
    assert_eq!(again.ack, s(IRS + 2));
    assert_eq!(
        rig.conn.next_deadline(),
        Some(rig.at(Duration::from_secs(60)))
    );
    rig.fire();
    assert_eq!(rig.conn.state, TcpState::Closed);
}

#[test]
fn rfc9293_figure_6_passive_close_close_wait_last_ack() {
    let mut rig = established();
    let ack = one(&rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK | FLAG_FIN, 8192, &[])));
    assert_eq!(ack.ack, s(IRS + 2));
    assert_eq!(rig.conn.state, TcpState::CloseWait);
    let mut buf = [0u8; 4];
    assert_eq!(
        rig.with(|c, ctx| c.recv(&mut buf, ctx)).0,
        Ok(0),
        "end of stream"
    );
    // Half-close: we can still send.
    let (r, out) = rig.send(b"late");
    assert_eq!((r, one(&out).payload_len), (Ok(4), 4));
    let (_, out) = rig.with(|c, ctx| c.shutdown_write(ctx));
    assert_eq!(rig.conn.state, TcpState::LastAck);
    assert!(one(&out).has(FLAG_FIN), "FIN alone after the data");
    rig.input(seg(IRS + 2, ISS + 6, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::Closed);
    assert_eq!(rig.conn.error, None);
}

#[test]
fn rfc9293_figure_13_simultaneous_close_closing_then_time_wait() {
    let mut rig = established();
    rig.with(|c, ctx| c.shutdown_write(ctx));
    let ack = one(&rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK | FLAG_FIN, 8192, &[])));
    assert_eq!(ack.ack, s(IRS + 2));
    assert_eq!(rig.conn.state, TcpState::Closing);
    rig.input(seg(IRS + 2, ISS + 2, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::TimeWait);
}

#[test]
fn half_close_from_our_side_still_receives() {
    let mut rig = established();
    rig.with(|c, ctx| c.shutdown_write(ctx));
    rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::FinWait2);
    rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, b"more"));
    let mut buf = [0u8; 8];
    assert_eq!(rig.with(|c, ctx| c.recv(&mut buf, ctx)).0, Ok(4));
    assert_eq!(rig.send(b"x").0, Err(SocketError::BrokenPipe));
}

#[test]
fn rfc2525_2_17_close_with_unread_data_resets() {
    let mut rig = established();
    rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, b"unread"));
    let (_, out) = rig.with(|c, ctx| c.close(ctx));
    let rst = one(&out);
    assert_eq!((rst.seq, rst.flags), (s(ISS + 1), FLAG_RST));
    assert_eq!(rig.conn.state, TcpState::Closed);
}

#[test]
fn linger_zero_close_resets() {
    let mut rig = established_with(TcpSocketOptions {
        linger: Some(Duration::ZERO),
        ..TcpSocketOptions::default()
    });
    assert!(one(&rig.with(|c, ctx| c.close(ctx)).1).has(FLAG_RST));
}

// ---- Retransmission and probes ----

#[test]
fn rfc6298_5_retransmission_backoff_and_retry_limit() {
    let mut rig = established();
    rig.config.max_retransmissions = 3;
    let _ = rig.send(b"data");
    let start = rig.now;
    let mut times = Vec::new();
    for _ in 0..3 {
        let (at, out) = rig.fire();
        let r = one(&out);
        assert_eq!((r.seq, r.payload_len), (s(ISS + 1), 4));
        times.push(at.saturating_duration_since(start).as_millis());
    }
    // The handshake gave an RTT sample of 0 (SYN-ACK at once), so RTO = 200 ms (the
    // minimum), doubling: 200, +400, +800.
    assert_eq!(times, [200, 600, 1400]);
    let (_, out) = rig.fire();
    assert!(one(&out).has(FLAG_RST));
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
}

#[test]
fn rfc5482_user_timeout_aborts_after_the_set_time() {
    let mut rig = established_with(TcpSocketOptions {
        user_timeout: Some(Duration::from_secs(5)),
        ..TcpSocketOptions::default()
    });
    let _ = rig.send(b"data");
    let start = rig.now;
    let mut fired = Vec::new();
    loop {
        let (at, out) = rig.fire();
        fired.push(at.saturating_duration_since(start).as_millis());
        if rig.conn.state == TcpState::Closed {
            assert!(one(&out).has(FLAG_RST));
            break;
        }
        assert_eq!(one(&out).payload_len, 4, "a retransmission");
    }
    // RTO 200 ms doubling; the first expiry 5 s or more after the data left aborts.
    assert_eq!(fired, [200, 600, 1400, 3000, 6200]);
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
}

#[test]
fn rfc6298_5_3_ack_of_new_data_restarts_the_timer_from_now() {
    let mut rig = established_with(TcpSocketOptions {
        nodelay: true,
        ..TcpSocketOptions::default()
    });
    let _ = rig.send(b"ab");
    let _ = rig.send(b"cd");
    rig.now += ms(300);
    rig.input(seg(IRS + 1, ISS + 3, FLAG_ACK, 8192, &[]));
    // Samples 0 (handshake) and 300 ms: SRTT 37.5, RTTVAR 75, RTO 337.5 ms from the ACK.
    assert_eq!(
        rig.conn.rto_at.get(),
        Some(rig.at(Duration::from_micros(337_500)))
    );
    rig.input(seg(IRS + 1, ISS + 5, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.rto_at.get(), None, "all acknowledged: stopped");
}

#[test]
fn rfc9293_3_8_6_1_zero_window_probes_back_off() {
    let mut rig = established();
    rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 0, &[]));
    let (r, out) = rig.send(b"stuck");
    assert_eq!(r, Ok(5));
    assert!(out.is_empty(), "zero window: nothing goes");
    let start = rig.now;
    let mut times = Vec::new();
    for _ in 0..4 {
        let (at, out) = rig.fire();
        let probe = one(&out);
        assert_eq!(
            (probe.seq, probe.payload_len),
            (s(ISS), 0),
            "SND.UNA - 1, no data"
        );
        times.push(at.saturating_duration_since(start).as_millis());
    }
    assert_eq!(
        times,
        [200, 600, 1400, 3000],
        "the interval doubles from the RTO"
    );
    assert_eq!(
        rig.conn.state,
        TcpState::Established,
        "probing never gives up by itself"
    );
    // The window opens: everything goes.
    let out = rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 100, &[]));
    assert_eq!(one(&out).payload_len, 5);
}

#[test]
fn rfc9293_3_8_4_keepalive_probes_then_timeout() {
    let ka = Keepalive {
        idle: Duration::from_secs(10),
        interval: Duration::from_secs(2),
        count: 3,
    };
    let mut rig = established_with(TcpSocketOptions {
        keepalive: Some(ka),
        ..TcpSocketOptions::default()
    });
    let start = rig.now;
    let (at, out) = rig.fire();
    assert_eq!(at.saturating_duration_since(start).as_secs(), 10);
    let probe = one(&out);
    assert_eq!(
        (probe.seq, probe.payload_len),
        (s(ISS), 0),
        "SEG.SEQ = SND.NXT - 1"
    );
    // An answer resets the count and the idle time.
    rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[]));
    let (at, _) = rig.fire();
    assert_eq!(at.saturating_duration_since(start).as_secs(), 20);
    for expect in [22, 24] {
        let (at, out) = rig.fire();
        assert_eq!(at.saturating_duration_since(start).as_secs(), expect);
        assert_eq!(one(&out).payload_len, 0);
    }
    let (at, out) = rig.fire();
    assert_eq!(at.saturating_duration_since(start).as_secs(), 26);
    assert!(one(&out).has(FLAG_RST));
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
}

#[test]
fn rfc5681_3_2_three_duplicate_acks_retransmit_at_once() {
    let mut rig = established();
    let _ = rig.send(&[5u8; 2144]); // 4 segments of 536
    for _ in 0..2 {
        assert!(rig
            .input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[]))
            .is_empty());
    }
    let out = rig.input(seg(IRS + 1, ISS + 1, FLAG_ACK, 8192, &[]));
    let r = one(&out);
    assert_eq!((r.seq, r.payload_len), (s(ISS + 1), 536));
}

#[test]
fn receive_autotuning_doubles_the_buffer_when_a_window_drains_within_an_rtt() {
    let (mut rig, _) = syn_sent(TcpSocketOptions::default());
    rig.config.recv_buffer_max = 262_144;
    rig.conn.recv_buffer_max = 262_144;
    let mut sa = seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, 8192, &[]);
    sa.options.window_scale = Some(0);
    rig.input(sa);
    let chunk = [4u8; 1456];
    for i in 0..45u32 {
        rig.input(seg(IRS + 1 + i * 1456, ISS + 1, FLAG_ACK, 8192, &chunk));
    }
    rig.input(seg(IRS + 1 + 65_520, ISS + 1, FLAG_ACK, 8192, &[4u8; 15]));
    assert_eq!(rig.conn.recv_buf.ready(), 65_535);
    let mut buf = alloc::vec![0u8; 70_000];
    let (n, out) = rig.with(|c, ctx| c.recv(&mut buf, ctx));
    assert_eq!(n, Ok(65_535));
    assert_eq!(
        rig.conn.recv_buf.capacity(),
        131_070,
        "a full window drained at once"
    );
    // The update advertises the grown buffer (shift 0 here: at most 65535 in the field).
    assert_eq!(one(&out).window, 65_535);
}

#[test]
fn orphaned_fin_wait_2_gives_up_after_the_time_wait_period() {
    let mut rig = established();
    rig.with(|c, ctx| c.close(ctx));
    rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, &[]));
    assert_eq!(rig.conn.state, TcpState::FinWait2);
    let start = rig.now;
    let (at, out) = rig.fire();
    assert!(out.is_empty());
    assert_eq!(at.saturating_duration_since(start).as_secs(), 60);
    assert_eq!(rig.conn.state, TcpState::Closed);
}

#[test]
fn rfc9293_3_10_7_4_data_after_close_resets_the_orphan() {
    let mut rig = established();
    rig.with(|c, ctx| c.close(ctx));
    let out = rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK, 8192, b"late data"));
    assert!(out.iter().any(|o| o.has(FLAG_RST)));
    assert_eq!(rig.conn.state, TcpState::Closed);
}

/// `next_deadline` is the least of the armed timers: every timer alone, each pair in both
/// orders, `Instant::MAX` (a saturated deadline is still armed) and none armed.
#[test]
fn next_deadline_is_the_least_armed_timer() {
    let mut rig = established();
    type Slot = fn(&mut Conn, Option<Instant>);
    let slots: [Slot; 5] = [
        |c, at| c.rto_at.set(at, &mut c.timers_changed),
        |c, at| c.delack_at.set(at, &mut c.timers_changed),
        |c, at| c.keepalive_at.set(at, &mut c.timers_changed),
        |c, at| c.close_at.set(at, &mut c.timers_changed),
        |c, at| c.linger_at.set(at, &mut c.timers_changed),
    ];
    let clear = |c: &mut Conn| slots.iter().for_each(|s| s(c, None));
    // The established rig may hold a recovery deadline; it must not be below these.
    let recovery = rig.conn.loss.timer().map(|(at, _)| at);
    let base = rig.now + Duration::from_secs(1);
    assert!(recovery.is_none_or(|r| r > base + ms(10)));
    clear(&mut rig.conn);
    assert_eq!(rig.conn.next_deadline(), recovery);
    for (i, a) in slots.iter().enumerate() {
        clear(&mut rig.conn);
        a(&mut rig.conn, Some(Instant::MAX));
        assert_eq!(
            rig.conn.next_deadline(),
            Some(recovery.unwrap_or(Instant::MAX))
        );
        for (j, b) in slots.iter().enumerate() {
            if i == j {
                continue;
            }
            clear(&mut rig.conn);
            a(&mut rig.conn, Some(base + ms(10)));
            b(&mut rig.conn, Some(base + ms(3)));
            assert_eq!(
                rig.conn.next_deadline(),
                Some(base + ms(3)),
                "timers {i} and {j}"
            );
        }
    }
}
