//! Named tests, with exact sequence numbers and timer values, of RFC 1337, ICMP errors on
//! connections (RFC 1122 4.2.3.9, RFC 5461, RFC 5927) and lingering close, on one
//! [`Conn`] driven by hand. Whole-stack versions (ICMP frames, readiness events, ports)
//! are in `crate::tests::tcp_features`.

use alloc::vec::Vec;

use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN};

use super::config::TcpConfig;
use super::conn::{Conn, ConnCtx, ConnParams};
use super::icmp_error::Verdict;
use super::linger::LingerOutcome;
use super::rules::ChallengeAckLimiter;
use super::segment::{OutSegment, SegOptions, Segment};
use super::socket_options::TcpSocketOptions;
use super::{SeqNum, TcpState};
use crate::socket::SocketError;
use crate::time::{Duration, Instant};

const ISS: u32 = 1000;
const IRS: u32 = 5000;

fn s(n: u32) -> SeqNum {
    SeqNum::new(n)
}

struct Rig {
    conn: Conn,
    now: Instant,
    config: TcpConfig,
    challenge: ChallengeAckLimiter,
}

fn seg(seq: u32, ack: u32, flags: u16, payload: &[u8]) -> Segment<'_> {
    Segment {
        seq: s(seq),
        ack: s(ack),
        flags,
        window: 8192,
        options: SegOptions::default(),
        payload,
    }
}

impl Rig {
    /// Our SYN sent at t = 1 s with `options`.
    fn syn_sent(options: TcpSocketOptions) -> Rig {
        let config = TcpConfig {
            recv_buffer: 65535,
            recv_buffer_max: 65535,
            max_retransmissions: 3,
            syn_retries: 2,
            ..TcpConfig::default()
        };
        let now = Instant::ZERO + Duration::from_secs(1);
        let mut challenge = ChallengeAckLimiter::default();
        let mut out = Vec::new();
        let params = ConnParams {
            local: "10.0.0.1:1000".parse().unwrap(),
            remote: "10.0.0.2:2000".parse().unwrap(),
            iss: s(ISS),
            our_mss: 1460,
            ts_offset: 0,
            options,
        };
        let conn = Conn::connect(
            &params,
            &mut ConnCtx {
                now,
                config: &config,
                challenge: &mut challenge,
                out: &mut out,
            },
        );
        Rig {
            conn,
            now,
            config,
            challenge,
        }
    }

    /// Established by an active open (the SYN-ACK came at once: RTT 0, RTO 200 ms).
    fn established(options: TcpSocketOptions) -> Rig {
        let mut rig = Rig::syn_sent(options);
        rig.input(seg(IRS, ISS + 1, FLAG_SYN | FLAG_ACK, &[]));
        assert_eq!(rig.conn.state, TcpState::Established);
        rig
    }

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

    /// Moves the clock to the next deadline and fires it; returns when (ms since t = 1 s).
    fn fire(&mut self) -> (u64, Vec<OutSegment>) {
        let at = self.conn.next_deadline().expect("a timer is armed");
        self.now = self.now.max(at);
        let out = self.with(|c, ctx| c.on_timer(ctx)).1;
        let since = at.saturating_duration_since(Instant::ZERO + Duration::from_secs(1));
        (since.as_millis() as u64, out)
    }
}

// ---- RFC 1337 ----

/// RFC 1337 section 3: a RST, even exactly at RCV.NXT, does not end TIME-WAIT early;
/// nothing is sent, and the 60 s wait keeps its deadline.
#[test]
fn rfc1337_time_wait_ignores_a_rst_at_rcv_nxt() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| c.shutdown_write(ctx));
    rig.input(seg(IRS + 1, ISS + 2, FLAG_ACK | FLAG_FIN, &[]));
    assert_eq!(rig.conn.state, TcpState::TimeWait);
    let end = rig.now + Duration::from_secs(60);
    assert_eq!(rig.conn.next_deadline(), Some(end));
    rig.now += Duration::from_secs(5);
    assert!(rig.input(seg(IRS + 2, 0, FLAG_RST, &[])).is_empty());
    assert!(rig.input(seg(IRS + 3, 0, FLAG_RST, &[])).is_empty());
    assert_eq!(rig.conn.state, TcpState::TimeWait);
    assert_eq!(rig.conn.next_deadline(), Some(end));
    assert_eq!(rig.conn.error, None);
}

// ---- ICMP errors ----

/// RFC 5927 4.1: only a quote of a sequence number in SND.UNA..SND.NXT is believed.
#[test]
fn rfc5927_4_1_icmp_quote_must_be_in_flight() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| c.send(b"data", ctx)).0.unwrap();
    // In flight: 1001..1005.
    let unreachable = SocketError::HostUnreachable;
    assert_eq!(
        rig.conn.on_icmp_error(unreachable, s(ISS)),
        Verdict::OutOfWindow
    );
    assert_eq!(
        rig.conn.on_icmp_error(unreachable, s(ISS + 5)),
        Verdict::OutOfWindow
    );
    assert_eq!(rig.conn.soft_error, None);
    assert_eq!(
        rig.conn.on_icmp_error(unreachable, s(ISS + 4)),
        Verdict::Soft
    );
    assert_eq!(rig.conn.soft_error, Some((unreachable, s(ISS + 1))));
}

/// RFC 1122 4.2.3.9 / RFC 5461: a soft error keeps the connection; when it later times
/// out (RTOs at 200, 600, 1400 ms, abort at 3000 ms), the soft error is what it reports.
#[test]
fn rfc1122_4_2_3_9_soft_error_is_reported_when_the_connection_times_out() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| c.send(b"data", ctx)).0.unwrap();
    let err = SocketError::NetworkUnreachable;
    assert_eq!(rig.conn.on_icmp_error(err, s(ISS + 1)), Verdict::Soft);
    assert_eq!(rig.conn.state, TcpState::Established);
    let mut times = Vec::new();
    while rig.conn.state != TcpState::Closed {
        times.push(rig.fire().0);
    }
    assert_eq!(times, [200, 600, 1400, 3000]);
    assert_eq!(rig.conn.error, Some(err));
}

/// A soft error older than the last progress does not explain a later timeout.
#[test]
fn rfc1122_4_2_3_9_soft_error_is_forgotten_after_progress() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| c.send(b"data", ctx)).0.unwrap();
    rig.conn
        .on_icmp_error(SocketError::HostUnreachable, s(ISS + 1));
    rig.input(seg(IRS + 1, ISS + 5, FLAG_ACK, &[]));
    rig.with(|c, ctx| c.send(b"more", ctx)).0.unwrap();
    while rig.conn.state != TcpState::Closed {
        rig.fire();
    }
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
}

/// RFC 5461 section 4: a hard error (port unreachable) on an established connection is
/// only soft; in SYN-SENT it aborts the connect at once.
#[test]
fn rfc5461_hard_errors_abort_only_the_handshake() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| c.send(b"data", ctx)).0.unwrap();
    let refused = SocketError::ConnectionRefused;
    assert_eq!(rig.conn.on_icmp_error(refused, s(ISS + 1)), Verdict::Soft);
    assert_eq!(rig.conn.state, TcpState::Established);
    assert_eq!(rig.conn.error, None);

    let mut connecting = Rig::syn_sent(TcpSocketOptions::default());
    assert_eq!(
        connecting.conn.on_icmp_error(refused, s(ISS + 1)),
        Verdict::OutOfWindow
    );
    assert_eq!(
        connecting.conn.on_icmp_error(refused, s(ISS)),
        Verdict::Aborted
    );
    assert_eq!(connecting.conn.state, TcpState::Closed);
    assert_eq!(connecting.conn.error, Some(refused));
}

/// RFC 5461 section 4: a soft error in SYN-SENT lets the connect retry (SYNs at 1 s and
/// 3 s after the first); when the retries run out (7 s) the soft error is reported.
#[test]
fn rfc5461_soft_error_in_syn_sent_retries_then_reports_it() {
    let mut rig = Rig::syn_sent(TcpSocketOptions::default());
    let err = SocketError::HostUnreachable;
    assert_eq!(rig.conn.on_icmp_error(err, s(ISS)), Verdict::Soft);
    let (at, out) = rig.fire();
    assert_eq!((at, out[0].seq, out[0].flags), (1000, s(ISS), FLAG_SYN));
    assert_eq!(rig.fire().0, 3000);
    assert_eq!(rig.fire().0, 7000);
    assert_eq!(rig.conn.state, TcpState::Closed);
    assert_eq!(rig.conn.error, Some(err));
}

// ---- Linger ----

/// Linger 2 s, the peer acknowledges nothing: the data and FIN (1001..1005, FIN 1005) are
/// retransmitted at 200, 600 and 1400 ms, and at 2000 ms the connection is reset with
/// RST 1006 and fails with `TimedOut`.
#[test]
fn linger_timeout_resets_when_the_fin_is_not_acknowledged() {
    let mut rig = Rig::established(TcpSocketOptions {
        linger: Some(Duration::from_secs(2)),
        ..TcpSocketOptions::default()
    });
    let (_, out) = rig.with(|c, ctx| {
        c.send(b"data", ctx).unwrap();
        c.close_lingering(Duration::from_secs(2), ctx);
    });
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(
        (out[1].seq, out[1].flags),
        (s(ISS + 5), FLAG_ACK | FLAG_FIN)
    );
    assert_eq!(rig.conn.linger_outcome(), None);
    rig.config.max_retransmissions = 15;
    let mut times = Vec::new();
    let mut last = Vec::new();
    while rig.conn.state != TcpState::Closed {
        let (at, out) = rig.fire();
        times.push(at);
        last = out;
    }
    assert_eq!(times, [200, 600, 1400, 2000]);
    let rst = last.last().copied().unwrap();
    assert_eq!((rst.seq, rst.flags), (s(ISS + 6), FLAG_RST));
    assert_eq!(rig.conn.error, Some(SocketError::TimedOut));
    assert_eq!(rig.conn.linger_outcome(), Some(LingerOutcome::Reset));
}

/// Linger 2 s and the FIN is acknowledged at 100 ms: delivered, the deadline is not
/// used, and nothing is reset.
#[test]
fn linger_ends_well_when_the_fin_is_acknowledged_in_time() {
    let mut rig = Rig::established(TcpSocketOptions::default());
    rig.with(|c, ctx| {
        c.send(b"data", ctx).unwrap();
        c.close_lingering(Duration::from_secs(2), ctx);
    });
    assert_eq!(
        rig.conn.linger_at.get(),
        Some(rig.now + Duration::from_secs(2))
    );
    rig.now += Duration::from_millis(100);
    assert!(rig.input(seg(IRS + 1, ISS + 6, FLAG_ACK, &[])).is_empty());
    assert_eq!(rig.conn.state, TcpState::FinWait2);
    assert_eq!(rig.conn.linger_outcome(), Some(LingerOutcome::Delivered));
}
