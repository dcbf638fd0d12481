//! The seam between a connection and its retransmission timing and congestion control.
//!
//! Placeholder until the `rtt`/`cc`/`recovery` modules are wired in: an RFC 6298 RTT
//! estimator (one timed segment at a time, Karn's rule: retransmitted segments are never
//! timed), slow start and congestion avoidance (RFC 5681) with IW10 (RFC 6928), a loss
//! window of one segment after an RTO, and fast retransmit on three duplicate ACKs.
//! The connection talks to it only through these methods, so replacing it changes this file.

use crate::tcp::SeqNum;
use crate::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub(crate) struct LossControl {
    srtt: Option<Duration>,
    rttvar: Duration,
    rto: Duration,
    min_rto: Duration,
    max_rto: Duration,
    mss: u32,
    cwnd: u32,
    ssthresh: u32,
    /// The segment being timed: the sequence number that acknowledges it, and when it left.
    timing: Option<(SeqNum, Instant)>,
    dup_acks: u32,
    /// The highest sequence sent when fast retransmit last started (RFC 6582's `recover`).
    recover: Option<SeqNum>,
}

/// What an ACK means for the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AckVerdict {
    /// Nothing to do beyond sending new data.
    Normal,
    /// Retransmit the first unacknowledged segment now (fast retransmit / partial ACK).
    RetransmitFirst,
}

impl LossControl {
    pub(crate) fn new(
        mss: u32,
        initial_rto: Duration,
        min_rto: Duration,
        max_rto: Duration,
    ) -> Self {
        let mss = mss.max(1);
        LossControl {
            srtt: None,
            rttvar: Duration::ZERO,
            rto: initial_rto,
            min_rto,
            max_rto,
            mss,
            cwnd: initial_window(mss),
            ssthresh: u32::MAX,
            timing: None,
            dup_acks: 0,
            recover: None,
        }
    }

    pub(crate) fn set_mss(&mut self, mss: u32) {
        let mss = mss.max(1);
        if self.srtt.is_none() && self.cwnd == initial_window(self.mss) {
            self.cwnd = initial_window(mss);
        }
        self.mss = mss;
    }

    /// The current RTO (before the connection's backoff).
    pub(crate) fn rto(&self) -> Duration {
        self.rto
    }

    pub(crate) fn srtt(&self) -> Option<Duration> {
        self.srtt
    }

    pub(crate) fn cwnd(&self) -> u32 {
        self.cwnd
    }

    /// `len` sequence numbers from `start` were sent.
    pub(crate) fn on_transmit(
        &mut self,
        start: SeqNum,
        len: u32,
        now: Instant,
        retransmission: bool,
    ) {
        if retransmission {
            // Karn: a retransmitted range gives no sample; time a later segment instead.
            if self.timing.is_some_and(|(end, _)| start < end) {
                self.timing = None;
            }
        } else if self.timing.is_none() && len > 0 {
            self.timing = Some((start + len, now));
        }
    }

    /// An RTT measurement (from timestamps, RFC 7323 section 4, or the timed segment).
    pub(crate) fn on_rtt_sample(&mut self, rtt: Duration) {
        // RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4, K = 4, G folded into min_rto).
        match self.srtt {
            None => {
                self.srtt = Some(rtt);
                self.rttvar = rtt / 2;
            }
            Some(srtt) => {
                let diff = srtt.abs_diff(rtt);
                self.rttvar = (self.rttvar * 3 + diff) / 4;
                self.srtt = Some((srtt * 7 + rtt) / 8);
            }
        }
        let srtt = self.srtt.unwrap_or(rtt);
        self.rto = (srtt + self.rttvar * 4).clamp(self.min_rto, self.max_rto);
    }

    /// An acceptable ACK arrived: `newly_acked` bytes (0 for a duplicate), `flight` still
    /// outstanding after it, `snd_max` the highest sequence sent.
    pub(crate) fn on_ack(
        &mut self,
        ack: SeqNum,
        newly_acked: u32,
        duplicate: bool,
        snd_max: SeqNum,
        now: Instant,
        ts_sample: Option<Duration>,
    ) -> AckVerdict {
        if newly_acked > 0 {
            let timed = self.timing.filter(|(end, _)| ack >= *end);
            if let Some(sample) = ts_sample {
                self.on_rtt_sample(sample);
                self.timing = None;
            } else if let Some((_, sent)) = timed {
                self.on_rtt_sample(now.saturating_duration_since(sent));
                self.timing = None;
            }
            self.dup_acks = 0;
            if let Some(recover) = self.recover {
                if ack < recover {
                    // RFC 6582 3.2 step 5: a partial ACK retransmits the next hole.
                    return AckVerdict::RetransmitFirst;
                }
                self.recover = None;
                self.cwnd = self.ssthresh;
                return AckVerdict::Normal;
            }
            if self.cwnd < self.ssthresh {
                // Slow start, RFC 3465 with L = 2 segments.
                self.cwnd = self.cwnd.saturating_add(newly_acked.min(2 * self.mss));
            } else {
                let inc = (u64::from(self.mss) * u64::from(self.mss) / u64::from(self.cwnd.max(1)))
                    .max(1);
                self.cwnd = self.cwnd.saturating_add(inc as u32);
            }
            return AckVerdict::Normal;
        }
        if duplicate && self.recover.is_none() {
            self.dup_acks += 1;
            if self.dup_acks == 3 {
                // RFC 5681 3.2: fast retransmit, halve the window.
                self.ssthresh = (self.cwnd / 2).max(2 * self.mss);
                self.cwnd = self.ssthresh;
                self.recover = Some(snd_max);
                self.timing = None;
                return AckVerdict::RetransmitFirst;
            }
        }
        AckVerdict::Normal
    }

    /// The retransmission timer expired (RFC 5681 3.1 equation 4, loss window 1 MSS).
    pub(crate) fn on_rto(&mut self, flight: u32) {
        self.ssthresh = (flight / 2).max(2 * self.mss);
        self.cwnd = self.mss;
        self.timing = None;
        self.dup_acks = 0;
        self.recover = None;
    }
}

/// RFC 6928: min(10·MSS, max(2·MSS, 14600)).
fn initial_window(mss: u32) -> u32 {
    (10 * mss).min((2 * mss).max(14600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6298_2_2_first_sample_sets_rto_to_3_rtt() {
        let mut l = LossControl::new(
            1000,
            Duration::from_secs(1),
            Duration::from_millis(200),
            Duration::from_secs(60),
        );
        assert_eq!(l.rto(), Duration::from_secs(1));
        l.on_rtt_sample(Duration::from_millis(100));
        // SRTT 100, RTTVAR 50 -> 100 + 4*50 = 300 ms.
        assert_eq!(l.rto(), Duration::from_millis(300));
        l.on_rtt_sample(Duration::from_millis(100));
        // RTTVAR = 3/4*50 + 1/4*0 = 37.5; RTO = 100 + 150 = 250 ms.
        assert_eq!(l.rto(), Duration::from_micros(250_000));
    }

    #[test]
    fn rfc6298_3_karn_retransmitted_segment_gives_no_sample() {
        let mut l = LossControl::new(
            1000,
            Duration::from_secs(1),
            Duration::from_millis(200),
            Duration::from_secs(60),
        );
        let t0 = Instant::ZERO;
        l.on_transmit(SeqNum::new(0), 1000, t0, false);
        l.on_transmit(SeqNum::new(0), 1000, t0 + Duration::from_secs(1), true);
        l.on_ack(
            SeqNum::new(1000),
            1000,
            false,
            SeqNum::new(1000),
            t0 + Duration::from_millis(1100),
            None,
        );
        assert_eq!(l.srtt(), None);
    }

    #[test]
    fn rfc6928_initial_window() {
        assert_eq!(initial_window(1460), 14600);
        assert_eq!(initial_window(536), 5360);
        assert_eq!(initial_window(9000), 18000);
    }
}
