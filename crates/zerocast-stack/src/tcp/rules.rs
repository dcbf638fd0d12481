//! The RFC rules a connection applies to each segment, as small pure functions.

use super::{SeqNum, TcpState};
use crate::time::{Duration, Instant};

/// RFC 9293 3.10.7.4 first step: the acceptability test of a segment of `seg_len` sequence
/// numbers starting at `seq` against the receive window `rcv_nxt .. rcv_nxt + rcv_wnd`.
///
/// | SEG.LEN | RCV.WND | test |
/// |---|---|---|
/// | 0 | 0 | SEG.SEQ = RCV.NXT |
/// | 0 | >0 | RCV.NXT ≤ SEG.SEQ < RCV.NXT+RCV.WND |
/// | >0 | 0 | not acceptable |
/// | >0 | >0 | the first or the last byte in the window |
pub(crate) fn segment_acceptable(seq: SeqNum, seg_len: u32, rcv_nxt: SeqNum, rcv_wnd: u32) -> bool {
    let end = rcv_nxt + rcv_wnd;
    match (seg_len, rcv_wnd) {
        (0, 0) => seq == rcv_nxt,
        (0, _) => seq.in_range(rcv_nxt, end),
        (_, 0) => false,
        (len, _) => seq.in_range(rcv_nxt, end) || (seq + (len - 1)).in_range(rcv_nxt, end),
    }
}

/// RFC 5961 section 5.2: an ACK is acceptable when
/// `SND.UNA − MAX.SND.WND ≤ SEG.ACK ≤ SND.NXT` (SND.NXT being the highest sequence sent).
pub(crate) fn ack_acceptable(
    ack: SeqNum,
    snd_una: SeqNum,
    snd_max: SeqNum,
    max_snd_wnd: u32,
) -> bool {
    let oldest = SeqNum::new(snd_una.get().wrapping_sub(max_snd_wnd));
    ack >= oldest && ack <= snd_max
}

/// How a RST in a synchronized state is treated (RFC 5961 section 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RstAction {
    /// Exactly at RCV.NXT: reset the connection.
    Reset,
    /// In the window but not at RCV.NXT: send a challenge ACK.
    Challenge,
    /// Outside the window: drop silently.
    Ignore,
}

/// RFC 5961 3.2: a RST resets only when its sequence number is exactly RCV.NXT.
pub(crate) fn rst_action(seq: SeqNum, rcv_nxt: SeqNum, rcv_wnd: u32) -> RstAction {
    if seq == rcv_nxt {
        RstAction::Reset
    } else if seq.in_range(rcv_nxt, rcv_nxt + rcv_wnd.max(1)) {
        RstAction::Challenge
    } else {
        RstAction::Ignore
    }
}

/// RFC 1337 section 3 (remedy R1): a RST that reaches a connection in TIME-WAIT is ignored,
/// so an old duplicate RST cannot end the wait early ("TIME-WAIT assassination") and let
/// a new incarnation of the connection receive the old one's delayed segments. Linux does
/// the same with `net.ipv4.tcp_rfc1337 = 1`.
pub(crate) fn rfc1337_ignores_rst(state: TcpState) -> bool {
    state == TcpState::TimeWait
}

/// RFC 7323 5.5: a TS.Recent older than 24 days no longer protects against wrapped
/// sequence numbers (the peer's timestamp clock may have wrapped meanwhile).
pub(crate) const PAWS_IDLE_LIMIT: Duration = Duration::from_secs(24 * 24 * 3600);

/// RFC 7323 5.3 R1: PAWS rejects a non-RST segment whose TSval is older than TS.Recent,
/// unless TS.Recent has been idle for more than 24 days.
pub(crate) fn paws_rejects(tsval: u32, ts_recent: u32, recent_at: Instant, now: Instant) -> bool {
    let older = SeqNum::new(tsval) < SeqNum::new(ts_recent);
    older && now.saturating_duration_since(recent_at) <= PAWS_IDLE_LIMIT
}

/// RFC 7323 2.3: our window scale shift: the smallest that lets the 16-bit field express
/// `max_buffer`, at most 14.
pub(crate) fn window_scale_for(max_buffer: usize) -> u8 {
    let mut shift = 0u8;
    while shift < 14 && (max_buffer >> shift) > usize::from(u16::MAX) {
        shift += 1;
    }
    shift
}

/// RFC 9293 3.8.6.2.2 receiver SWS avoidance: the right edge of the window moves only when
/// it can move by at least min(buffer/2, MSS). Returns the window to advertise given the
/// free buffer space and the window currently promised (`current`, never shrunk).
pub(crate) fn receive_window(free: u32, current: u32, buffer: u32, mss: u32) -> u32 {
    let step = (buffer / 2).min(mss).max(1);
    if free >= current.saturating_add(step) {
        free
    } else {
        current
    }
}

/// RFC 9293 3.8.6.2.1 sender SWS avoidance and RFC 896 Nagle: whether `len` bytes (of
/// `queued` sendable bytes) may go now. Full segments always go; a short one goes when it
/// empties the queue and nothing is in flight (or Nagle is off), or when it is at least
/// half the largest window the peer offered.
pub(crate) fn sender_may_send(
    len: u32,
    queued: u32,
    mss: u32,
    nothing_in_flight: bool,
    nodelay: bool,
    max_snd_wnd: u32,
) -> bool {
    len >= mss
        || (len == queued && (nothing_in_flight || nodelay))
        || (len > 0 && len >= max_snd_wnd / 2)
}

/// Rate limit of RFC 5961 section 7: at most `limit` challenge ACKs per second, stack-wide.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChallengeAckLimiter {
    window_start: Option<Instant>,
    sent: u32,
}

impl ChallengeAckLimiter {
    /// Whether one more challenge ACK may go at `now`.
    pub(crate) fn allow(&mut self, now: Instant, limit: u32) -> bool {
        let fresh = self
            .window_start
            .is_none_or(|s| now.saturating_duration_since(s) >= Duration::from_secs(1));
        if fresh {
            self.window_start = Some(now);
            self.sent = 0;
        }
        if self.sent >= limit {
            return false;
        }
        self.sent += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u32) -> SeqNum {
        SeqNum::new(n)
    }

    #[test]
    fn rfc9293_3_10_7_4_acceptability_four_cases() {
        assert!(segment_acceptable(s(100), 0, s(100), 0));
        assert!(!segment_acceptable(s(101), 0, s(100), 0));
        assert!(segment_acceptable(s(150), 0, s(100), 100));
        assert!(!segment_acceptable(s(200), 0, s(100), 100));
        assert!(!segment_acceptable(s(100), 10, s(100), 0));
        assert!(
            segment_acceptable(s(95), 10, s(100), 100),
            "last byte in window"
        );
        assert!(
            segment_acceptable(s(199), 10, s(100), 100),
            "first byte in window"
        );
        assert!(!segment_acceptable(s(200), 10, s(100), 100));
        assert!(!segment_acceptable(s(80), 10, s(100), 100), "old duplicate");
        assert!(
            segment_acceptable(s(u32::MAX - 4), 10, s(0), 100),
            "across the wrap"
        );
    }

    #[test]
    fn rfc5961_5_2_ack_acceptability() {
        let (una, max, wnd) = (s(10_000), s(12_000), 5000);
        assert!(ack_acceptable(s(12_000), una, max, wnd));
        assert!(
            !ack_acceptable(s(12_001), una, max, wnd),
            "acks unsent data"
        );
        assert!(
            ack_acceptable(s(5000), una, max, wnd),
            "old but within MAX.SND.WND"
        );
        assert!(
            !ack_acceptable(s(4999), una, max, wnd),
            "older than MAX.SND.WND"
        );
    }

    #[test]
    fn rfc5961_3_2_rst_exact_resets_in_window_challenges() {
        assert_eq!(rst_action(s(1000), s(1000), 500), RstAction::Reset);
        assert_eq!(rst_action(s(1001), s(1000), 500), RstAction::Challenge);
        assert_eq!(rst_action(s(1499), s(1000), 500), RstAction::Challenge);
        assert_eq!(rst_action(s(1500), s(1000), 500), RstAction::Ignore);
        assert_eq!(rst_action(s(999), s(1000), 500), RstAction::Ignore);
    }

    #[test]
    fn rfc7323_5_3_paws_rejects_older_tsval_until_24_days_idle() {
        let t0 = Instant::ZERO;
        assert!(paws_rejects(99, 100, t0, t0));
        assert!(!paws_rejects(100, 100, t0, t0));
        assert!(
            !paws_rejects(5, u32::MAX - 5, t0, t0),
            "TSval wrapped forward"
        );
        assert!(!paws_rejects(
            99,
            100,
            t0,
            t0 + PAWS_IDLE_LIMIT + Duration::from_secs(1)
        ));
    }

    #[test]
    fn rfc7323_2_3_window_scale_from_buffer_max() {
        assert_eq!(window_scale_for(65535), 0);
        assert_eq!(window_scale_for(65536), 1);
        assert_eq!(window_scale_for(4 << 20), 7);
        assert_eq!(window_scale_for(usize::MAX), 14);
    }

    #[test]
    fn rfc9293_3_8_6_2_2_receiver_sws_moves_edge_by_at_least_min_half_buffer_mss() {
        // Buffer 64 KiB, MSS 1460: the edge moves only by >= 1460.
        assert_eq!(receive_window(1000, 0, 65536, 1460), 0);
        assert_eq!(receive_window(1460, 0, 65536, 1460), 1460);
        // A tiny buffer: half the buffer is the step.
        assert_eq!(receive_window(500, 0, 1000, 1460), 500);
        assert_eq!(receive_window(499, 0, 1000, 1460), 0);
    }

    #[test]
    fn rfc896_nagle_and_rfc9293_sender_sws() {
        assert!(sender_may_send(1460, 5000, 1460, false, false, 65535));
        assert!(
            !sender_may_send(100, 100, 1460, false, false, 65535),
            "Nagle holds it"
        );
        assert!(
            sender_may_send(100, 100, 1460, true, false, 65535),
            "nothing in flight"
        );
        assert!(
            sender_may_send(100, 100, 1460, false, true, 65535),
            "nodelay"
        );
        assert!(
            !sender_may_send(100, 3000, 1460, true, true, 65535),
            "more queued: wait for a full one"
        );
        assert!(
            sender_may_send(600, 3000, 1460, false, false, 1000),
            "half the max window"
        );
    }

    #[test]
    fn rfc5961_7_challenge_acks_rate_limited_per_second() {
        let mut l = ChallengeAckLimiter::default();
        let t0 = Instant::from_nanos(5);
        assert!(l.allow(t0, 2));
        assert!(l.allow(t0, 2));
        assert!(!l.allow(t0 + Duration::from_millis(999), 2));
        assert!(l.allow(t0 + Duration::from_secs(1), 2));
    }
}
