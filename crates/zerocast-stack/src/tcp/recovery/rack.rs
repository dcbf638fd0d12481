//! RACK (RFC 8985 section 6): time-based loss detection. A segment is lost when a segment
//! sent sufficiently later (by at least the reordering window) has been delivered.
//!
//! This module keeps RACK's own variables and decides; the scoreboard supplies the
//! segments. Tail loss probes (section 7) are scheduled by the recovery module.

use crate::tcp::seq::SeqNum;
use crate::time::{Duration, Instant};

use super::scoreboard::{Range, Scoreboard, DUP_THRESH};

/// RFC 8985 6.2 step 4: DSACK-free recoveries after which the window multiplier resets.
pub(crate) const REO_WND_PERSIST: u32 = 16;

/// RACK's state (RFC 8985 6.1).
#[derive(Clone, Debug)]
pub(crate) struct Rack {
    /// RACK.xmit_ts and RACK.end_seq (with the transmission ordinal): the most recently
    /// sent segment delivered so far.
    pub(crate) newest: Option<SentAt>,
    /// RACK.rtt: the RTT of that segment's delivery.
    pub(crate) rtt: Duration,
    /// RACK.fack: one past the highest sequence number delivered (SACKed or acked).
    pub(crate) fack: Option<SeqNum>,
    /// RACK.reordering_seen.
    pub(crate) reordering_seen: bool,
    /// RACK.reo_wnd_mult.
    pub(crate) reo_wnd_mult: u32,
    /// RACK.reo_wnd_persist.
    pub(crate) reo_wnd_persist: u32,
    /// RACK.dsack_round.
    pub(crate) dsack_round: Option<SeqNum>,
}

impl Default for Rack {
    fn default() -> Self {
        Rack {
            newest: None,
            rtt: Duration::ZERO,
            fack: None,
            reordering_seen: false,
            reo_wnd_mult: 1,
            reo_wnd_persist: REO_WND_PERSIST,
            dsack_round: None,
        }
    }
}

/// When a transmission was sent, for RACK's ordering: the time, the transmission ordinal,
/// and the end sequence number.
pub(crate) type SentAt = (Instant, u64, SeqNum);

/// RFC 8985 6.2 `RACK_sent_after(t1, seq1, t2, seq2)`: was `a` sent after `b`? Equal times
/// are ordered by transmission ordinal first, then (within one transmission, e.g. a burst
/// recorded as one range) by end sequence number as the RFC does. The ordinal is our
/// addition: the core's clock stands still within one call, so a retransmission and new
/// data often share a timestamp, and the RFC's sequence tie-break would call a
/// retransmission of a low sequence number older than new data sent just before it (and
/// mark it lost when that new data is SACKed).
pub(crate) fn sent_after(a: SentAt, b: SentAt) -> bool {
    let (t1, o1, e1) = a;
    let (t2, o2, e2) = b;
    t1 > t2 || (t1 == t2 && (o1 > o2 || (o1 == o2 && e1 > e2)))
}

impl Rack {
    /// RFC 8985 6.2 steps 2 and 3 for one newly delivered (acked or SACKed) segment.
    /// `echo_time` is when the segment whose timestamp the ACK echoes was sent (if
    /// timestamps are on); `min_rtt` the connection's minimum RTT.
    pub(crate) fn on_delivered(
        &mut self,
        seg: &Range,
        now: Instant,
        echo_time: Option<Instant>,
        min_rtt: Option<Duration>,
    ) {
        let rtt = now.saturating_duration_since(seg.xmit_ts);
        self.detect_reordering(seg);
        if seg.ever_retransmitted {
            // Step 2: the ACK may be for the original; skip the ambiguous sample.
            if echo_time.is_some_and(|echo| echo < seg.xmit_ts) {
                return;
            }
            // Without a minimum RTT yet, any RTT could be the ambiguous one (Linux starts
            // its minimum at infinity, to the same effect).
            if min_rtt.is_none_or(|min| rtt < min) {
                return;
            }
        }
        self.rtt = rtt;
        let newer = match self.newest {
            None => true,
            Some(newest) => sent_after(seg.sent_at(), newest),
        };
        if newer {
            self.newest = Some(seg.sent_at());
        }
    }

    /// RFC 8985 6.2 step 3: a never-retransmitted segment delivered below RACK.fack
    /// arrived out of order.
    fn detect_reordering(&mut self, seg: &Range) {
        match self.fack {
            Some(fack) if seg.end < fack => {
                if !seg.ever_retransmitted {
                    self.reordering_seen = true;
                }
            }
            _ => self.fack = Some(seg.end),
        }
    }

    /// The D-SACK part of RFC 8985 6.2 step 4, once per ACK: grow the multiplier once
    /// per round trip that sees a D-SACK.
    pub(crate) fn on_ack_dsack(&mut self, snd_una: SeqNum, snd_nxt: SeqNum, dsack: bool) {
        if self.dsack_round.is_some_and(|round| snd_una >= round) {
            self.dsack_round = None;
        }
        if self.dsack_round.is_none() && dsack {
            self.dsack_round = Some(snd_nxt);
            self.reo_wnd_mult = self.reo_wnd_mult.saturating_add(1);
            self.reo_wnd_persist = REO_WND_PERSIST;
        }
    }

    /// RFC 8985 6.2 step 4, on exiting fast or RTO recovery: after 16 recoveries without
    /// D-SACK the multiplier returns to 1.
    pub(crate) fn on_recovery_exit(&mut self) {
        self.reo_wnd_persist = self.reo_wnd_persist.saturating_sub(1);
        if self.reo_wnd_persist == 0 {
            self.reo_wnd_mult = 1;
        }
    }

    /// RFC 8985 6.2 step 4, `RACK_update_reo_wnd`: zero while no reordering was seen and
    /// either recovery runs or DupThresh segments are SACKed (RACK then behaves as
    /// DupThresh); otherwise `min(min_RTT / 4 * reo_wnd_mult, SRTT)`. SACKed segments are
    /// counted as SACKed bytes / MSS.
    pub(crate) fn reo_wnd(
        &self,
        in_recovery: bool,
        sacked_bytes: u32,
        mss: u32,
        min_rtt: Option<Duration>,
        srtt: Option<Duration>,
    ) -> Duration {
        if !self.reordering_seen && (in_recovery || sacked_bytes >= DUP_THRESH.saturating_mul(mss))
        {
            return Duration::ZERO;
        }
        let Some(min_rtt) = min_rtt else {
            return Duration::ZERO;
        };
        let wnd = (min_rtt / 4).saturating_mul(self.reo_wnd_mult);
        srtt.map_or(wnd, |s| wnd.min(s))
    }

    /// RFC 8985 6.2 step 5, `RACK_detect_loss`: marks lost every unSACKed segment sent
    /// before RACK's newest delivered one whose `xmit_ts + RACK.rtt + reo_wnd` has passed.
    /// Returns the bytes marked and, if some segments are not yet due, the longest time until
    /// one is (the reordering timer, step 6).
    pub(crate) fn detect_loss(
        &self,
        board: &mut Scoreboard,
        now: Instant,
        reo_wnd: Duration,
    ) -> (u32, Option<Duration>) {
        let Some(newest) = self.newest else {
            return (0, None);
        };
        let mut marked = 0;
        let mut timeout: Option<Duration> = None;
        let mut i = 0;
        while let Some(&seg) = board.get(i) {
            i += 1;
            if seg.sacked || (seg.lost && !seg.retransmitted) {
                continue;
            }
            if !sent_after(newest, seg.sent_at()) {
                continue;
            }
            let deadline = seg.xmit_ts + self.rtt + reo_wnd;
            if deadline <= now {
                marked += seg.len();
                board.mark_lost_at(i - 1);
            } else {
                let remaining = deadline.saturating_duration_since(now);
                timeout = Some(timeout.map_or(remaining, |t| t.max(remaining)));
            }
        }
        (marked, timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn at(n: u64) -> Instant {
        Instant::from_nanos(n * 1_000_000)
    }

    fn s(n: u32) -> SeqNum {
        SeqNum::new(n)
    }

    /// Segments of 1000 bytes from 0, the i-th sent at i ms.
    fn board(n: u32) -> Scoreboard {
        let mut b = Scoreboard::new(s(0));
        for i in 0..n {
            b.on_transmit(s(i * 1000), 1000, at(u64::from(i)));
        }
        b
    }

    fn sack(b: &mut Scoreboard, rack: &mut Rack, from: u32, to: u32, now: Instant) {
        b.on_sack_block(s(from), s(to), |seg| {
            rack.on_delivered(seg, now, None, None)
        });
    }

    #[test]
    fn rfc8985_sent_after_orders_by_time_then_transmission_order() {
        assert!(sent_after((at(2), 0, s(0)), (at(1), 5, s(9))));
        assert!(!sent_after((at(1), 5, s(9)), (at(2), 0, s(0))));
        assert!(sent_after((at(1), 2, s(0)), (at(1), 1, s(9))));
        assert!(
            sent_after((at(1), 1, s(9)), (at(1), 1, s(8))),
            "one burst: by sequence"
        );
        assert!(!sent_after((at(1), 1, s(9)), (at(1), 1, s(9))));
    }

    #[test]
    fn a_retransmission_in_the_same_tick_as_new_data_counts_as_later() {
        let mut b = board(3); // 0..3000 at 0..2 ms
        let mut rack = Rack::default();
        sack(&mut b, &mut rack, 1000, 3000, at(12));
        assert_eq!(rack.detect_loss(&mut b, at(12), ms(0)).0, 1000);
        // At 20 ms: new data 3000..4000 first, then the retransmission of 0..1000.
        b.on_transmit(s(3000), 1000, at(20));
        b.on_transmit(s(0), 1000, at(20));
        // The new data's SACK arrives first; the retransmission is not older than it.
        sack(&mut b, &mut rack, 3000, 4000, at(30));
        assert_eq!(rack.detect_loss(&mut b, at(30), ms(0)).0, 0);
    }

    #[test]
    fn rfc8985_6_2_rack_xmit_ts_tracks_the_newest_delivered_segment() {
        let mut b = board(5);
        let mut rack = Rack::default();
        sack(&mut b, &mut rack, 3000, 4000, at(50));
        assert_eq!(rack.newest, Some((at(3), 3, s(4000))));
        assert_eq!(rack.rtt, ms(47));
        sack(&mut b, &mut rack, 1000, 2000, at(52));
        assert_eq!(
            rack.newest,
            Some((at(3), 3, s(4000))),
            "an older segment does not move it"
        );
        assert!(rack.reordering_seen, "1000..2000 arrived below fack 4000");
        assert_eq!(rack.rtt, ms(51));
    }

    #[test]
    fn rfc8985_6_2_retransmitted_segments_with_ambiguous_rtt_are_skipped() {
        let mut b = board(3);
        b.on_transmit(s(0), 1000, at(30)); // retransmission at 30 ms
        let mut rack = Rack::default();
        // The ACK echoes the original's timestamp (sent at 0 ms): skip.
        b.on_cumulative_ack(s(1000), |seg| {
            rack.on_delivered(seg, at(35), Some(at(0)), None)
        });
        assert_eq!(rack.newest, None);
        // RTT 5 ms below min_RTT 20 ms: skip too.
        let mut c = board(3);
        c.on_transmit(s(0), 1000, at(30));
        c.on_cumulative_ack(s(1000), |seg| {
            rack.on_delivered(seg, at(35), None, Some(ms(20)));
        });
        assert_eq!(rack.newest, None);
    }

    #[test]
    fn rfc8985_6_2_reo_wnd_is_a_quarter_min_rtt_once_reordering_was_seen() {
        let mut rack = Rack::default();
        let min = Some(ms(40));
        let srtt = Some(ms(50));
        assert_eq!(rack.reo_wnd(false, 0, 1000, min, srtt), ms(10));
        assert_eq!(rack.reo_wnd(true, 0, 1000, min, srtt), ms(0), "in recovery");
        assert_eq!(
            rack.reo_wnd(false, 3000, 1000, min, srtt),
            ms(0),
            "DupThresh SACKed"
        );
        assert_eq!(rack.reo_wnd(false, 2999, 1000, min, srtt), ms(10));
        rack.reordering_seen = true;
        assert_eq!(rack.reo_wnd(true, 9000, 1000, min, srtt), ms(10));
        rack.reo_wnd_mult = 8;
        assert_eq!(
            rack.reo_wnd(true, 9000, 1000, min, srtt),
            ms(50),
            "capped at SRTT"
        );
    }

    #[test]
    fn rfc8985_6_2_dsack_grows_the_window_once_per_round_and_persists_16_recoveries() {
        let mut rack = Rack::default();
        rack.on_ack_dsack(s(0), s(10_000), true);
        assert_eq!(rack.reo_wnd_mult, 2);
        rack.on_ack_dsack(s(5_000), s(12_000), true);
        assert_eq!(rack.reo_wnd_mult, 2, "same round (SND.UNA < 10000)");
        rack.on_ack_dsack(s(10_000), s(20_000), true);
        assert_eq!(rack.reo_wnd_mult, 3);
        for _ in 0..15 {
            rack.on_recovery_exit();
        }
        assert_eq!(rack.reo_wnd_mult, 3);
        rack.on_recovery_exit();
        assert_eq!(rack.reo_wnd_mult, 1);
    }

    #[test]
    fn rfc8985_6_2_detect_loss_marks_segments_sent_rtt_plus_reo_wnd_before() {
        let mut b = board(5); // 0..5000 sent at 0..4 ms
        let mut rack = Rack::default();
        sack(&mut b, &mut rack, 4000, 5000, at(44)); // RACK.rtt = 40 ms, xmit 4 ms
                                                     // At 44 ms with reo_wnd 2 ms: segment i is lost when i + 40 + 2 <= 44, i.e. i <= 2.
        let (marked, timeout) = rack.detect_loss(&mut b, at(44), ms(2));
        assert_eq!(marked, 3000);
        assert_eq!(timeout, Some(ms(1)), "segment 3 is due at 45 ms");
        assert_eq!(b.next_lost(1000), Some((s(0), 1000)));
        // At 45 ms segment 3 is lost too.
        let (marked, timeout) = rack.detect_loss(&mut b, at(45), ms(2));
        assert_eq!((marked, timeout), (1000, None));
    }

    #[test]
    fn rfc8985_a_lost_retransmission_is_detected_again() {
        let mut b = board(3);
        let mut rack = Rack::default();
        sack(&mut b, &mut rack, 2000, 3000, at(12)); // rtt 10 ms
        let (marked, _) = rack.detect_loss(&mut b, at(12), ms(0));
        assert_eq!(marked, 2000);
        b.on_transmit(s(0), 1000, at(13));
        b.on_transmit(s(1000), 1000, at(14));
        // The retransmission of 1000..2000 is delivered; the one of 0..1000 was sent
        // earlier, so once 13 + 10 ms pass it is lost again.
        b.on_sack_block(s(1000), s(2000), |seg| {
            rack.on_delivered(seg, at(24), None, Some(ms(5)));
        });
        let (marked, _) = rack.detect_loss(&mut b, at(24), ms(0));
        assert_eq!(marked, 1000);
        assert_eq!(b.next_lost(1000), Some((s(0), 1000)));
    }
}
