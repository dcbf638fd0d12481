//! HyStart++ (RFC 9406): leaving slow start on a rising RTT instead of on the first loss.
//!
//! Classic slow start doubles the window every round trip until something is lost, and
//! the last doubling typically overshoots the path by a whole window: a burst of losses
//! and a long recovery. HyStart++ watches the minimum RTT of each round (a round ends when
//! the data that was the last sent at its start is acknowledged). When a round's minimum
//! is clearly above the previous round's (by `clamp(lastRoundMinRTT / 8, 4 ms, 16 ms)`, after
//! at least 8 samples), the queue at the bottleneck has started to grow: it moves to
//! Conservative Slow Start (CSS), growing a quarter as fast. If the RTT falls back below
//! the CSS baseline the increase was a fluke and slow start resumes; after 5 CSS rounds
//! slow start ends for good (`ssthresh = cwnd`, congestion avoidance follows).
//!
//! Choices within the RFC:
//! - it runs only in the first slow start (while ssthresh is still "infinite"): after a
//!   loss, ssthresh already bounds slow start (RFC 9406 section 4.3 leaves later slow
//!   starts to the implementation);
//! - the per-ACK growth cap L is RFC 3465's 2 MSS (this stack does not pace), not the
//!   RFC's 8, so CSS grows by at most half a segment per ACK.
//!
//! RTT samples are the connection's Karn-safe ones (timestamps or never-retransmitted
//! data), one per acknowledging ACK.

use crate::tcp::SeqNum;
use crate::time::Duration;

/// RFC 9406 section 4.3 constants.
pub(crate) const MIN_RTT_THRESH: Duration = Duration::from_millis(4);
pub(crate) const MAX_RTT_THRESH: Duration = Duration::from_millis(16);
pub(crate) const MIN_RTT_DIVISOR: u32 = 8;
pub(crate) const N_RTT_SAMPLE: u32 = 8;
pub(crate) const CSS_GROWTH_DIVISOR: u32 = 4;
pub(crate) const CSS_ROUNDS: u32 = 5;

/// Where slow start stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Standard slow start, watching the RTT.
    SlowStart,
    /// Conservative slow start: growth divided by [`CSS_GROWTH_DIVISOR`].
    Css { baseline: Duration, rounds: u32 },
    /// Slow start is over (CSS ran its rounds, or a loss ended it): no more checks.
    Done,
}

/// HyStart++ state of one connection.
#[derive(Debug, Clone)]
pub(crate) struct HyStart {
    phase: Phase,
    /// The round ends when this is acknowledged (SND.NXT when the round started).
    window_end: Option<SeqNum>,
    last_round_min: Option<Duration>,
    current_round_min: Option<Duration>,
    samples: u32,
}

impl Default for HyStart {
    fn default() -> Self {
        HyStart {
            phase: Phase::SlowStart,
            window_end: None,
            last_round_min: None,
            current_round_min: None,
            samples: 0,
        }
    }
}

/// What an ACK means for the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Grow as slow start does.
    SlowStart,
    /// Grow a quarter as fast (CSS).
    Conservative,
    /// End slow start now: `ssthresh = cwnd`.
    EndSlowStart,
    /// HyStart++ is not running: the algorithm's own rules apply.
    Off,
}

impl HyStart {
    /// The current phase.
    pub(crate) fn phase(&self) -> Phase {
        self.phase
    }

    /// One ACK of new data while in slow start: `ack` is SEG.ACK, `snd_nxt` SND.NXT, `rtt`
    /// its RTT sample. Returns how the window should grow for it.
    pub(crate) fn on_ack(&mut self, ack: SeqNum, snd_nxt: SeqNum, rtt: Option<Duration>) -> Step {
        if self.phase == Phase::Done {
            return Step::Off;
        }
        // RFC 9406 4.2: a new round starts when the previous one's data is acknowledged.
        if self.window_end.is_none_or(|end| ack >= end) {
            if self.window_end.is_some() {
                self.end_round();
                if self.phase == Phase::Done {
                    return Step::EndSlowStart;
                }
            }
            self.window_end = Some(snd_nxt);
        }
        if let Some(rtt) = rtt {
            self.current_round_min = Some(self.current_round_min.map_or(rtt, |m| m.min(rtt)));
            self.samples += 1;
        }
        self.check_delay();
        match self.phase {
            Phase::SlowStart => Step::SlowStart,
            Phase::Css { .. } => Step::Conservative,
            Phase::Done => Step::EndSlowStart,
        }
    }

    /// A loss (or RTO) ended slow start the classic way: HyStart++ stops.
    pub(crate) fn on_congestion(&mut self) {
        self.phase = Phase::Done;
    }

    fn end_round(&mut self) {
        self.last_round_min = self.current_round_min;
        self.current_round_min = None;
        self.samples = 0;
        if let Phase::Css { baseline, rounds } = self.phase {
            self.phase = if rounds + 1 >= CSS_ROUNDS {
                Phase::Done
            } else {
                Phase::Css {
                    baseline,
                    rounds: rounds + 1,
                }
            };
        }
    }

    /// The per-ACK delay checks, once the round has [`N_RTT_SAMPLE`] samples.
    fn check_delay(&mut self) {
        if self.samples < N_RTT_SAMPLE {
            return;
        }
        let Some(current) = self.current_round_min else {
            return;
        };
        match self.phase {
            Phase::SlowStart => {
                let Some(last) = self.last_round_min else {
                    return;
                };
                let thresh = (last / MIN_RTT_DIVISOR).clamp(MIN_RTT_THRESH, MAX_RTT_THRESH);
                if current >= last.saturating_add(thresh) {
                    self.phase = Phase::Css {
                        baseline: current,
                        rounds: 0,
                    };
                }
            }
            Phase::Css { baseline, .. } if current < baseline => {
                // The RTT came back down: the increase was spurious; resume slow start.
                self.phase = Phase::SlowStart;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn s(n: u32) -> SeqNum {
        SeqNum::new(n)
    }

    /// Feeds one round: `acks` ACKs of 1000 bytes from `start` with RTT `rtt`, while the
    /// sender keeps SND.NXT `ahead` bytes beyond; returns the last step and the next ACK.
    fn round(h: &mut HyStart, start: u32, acks: u32, ahead: u32, rtt: u64) -> (Step, u32) {
        let mut step = Step::Off;
        let mut ack = start;
        for _ in 0..acks {
            ack += 1000;
            step = h.on_ack(s(ack), s(ack + ahead), Some(ms(rtt)));
        }
        (step, ack)
    }

    /// RFC 9406 4.2: rounds with a 100 ms minimum, then one whose minimum is 113 ms
    /// (at least 100 + clamp(100/8) = 112.5 ms): after its 8th sample, CSS with a 113 ms
    /// baseline; five CSS rounds later slow start ends.
    #[test]
    fn rfc9406_4_2_rtt_increase_enters_css_then_ends_after_five_rounds() {
        let mut h = HyStart::default();
        let (step, ack) = round(&mut h, 0, 10, 10_000, 100);
        assert_eq!(step, Step::SlowStart);
        // Each round ends when the ACK reaches the SND.NXT of its start.
        let (step, ack) = round(&mut h, ack, 10, 10_000, 100);
        assert_eq!(step, Step::SlowStart);
        let mut ack_no = ack;
        let mut steps = alloc::vec::Vec::new();
        for _ in 0..10 {
            ack_no += 1000;
            steps.push(h.on_ack(s(ack_no), s(ack_no + 10_000), Some(ms(113))));
        }
        assert_eq!(steps[..7], [Step::SlowStart; 7], "fewer than 8 samples");
        assert_eq!(steps[7..], [Step::Conservative; 3]);
        assert_eq!(
            h.phase(),
            Phase::Css {
                baseline: ms(113),
                rounds: 0
            }
        );
        let mut ack = ack_no;
        for _ in 0..4 {
            let step;
            (step, ack) = round(&mut h, ack, 10, 10_000, 113);
            assert_eq!(step, Step::Conservative);
        }
        // The first ACK of the fifth round ends the fifth CSS round.
        let end = h.on_ack(s(ack + 1000), s(ack + 11_000), Some(ms(113)));
        assert_eq!(end, Step::EndSlowStart);
        assert_eq!(h.phase(), Phase::Done);
        assert_eq!(
            h.on_ack(s(ack + 2000), s(ack + 12_000), Some(ms(113))),
            Step::Off
        );
    }

    /// An increase of 12 ms on a 100 ms path is below the 12.5 ms threshold: no CSS.
    #[test]
    fn rfc9406_4_2_an_increase_below_the_threshold_keeps_slow_start() {
        let mut h = HyStart::default();
        let (_, ack) = round(&mut h, 0, 10, 10_000, 100);
        let (_, ack) = round(&mut h, ack, 10, 10_000, 100);
        let (step, _) = round(&mut h, ack, 10, 10_000, 112);
        assert_eq!(step, Step::SlowStart);
    }

    /// RFC 9406 4.2: in CSS, a round whose minimum falls below the baseline resumes slow
    /// start.
    #[test]
    fn rfc9406_4_2_rtt_back_below_the_baseline_resumes_slow_start() {
        let mut h = HyStart::default();
        let (_, ack) = round(&mut h, 0, 10, 10_000, 100);
        let (_, ack) = round(&mut h, ack, 10, 10_000, 100);
        let (step, ack) = round(&mut h, ack, 10, 10_000, 120);
        assert_eq!(step, Step::Conservative);
        let (step, _) = round(&mut h, ack, 10, 10_000, 101);
        assert_eq!(step, Step::SlowStart);
    }
}
