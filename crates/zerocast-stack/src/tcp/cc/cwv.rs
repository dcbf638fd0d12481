//! Congestion window validation for rate-limited senders (RFC 7661, "New CWV").
//!
//! A sender that does not fill its window (an application writing a little every round
//! trip, a request/response protocol) still receives ACKs, and plain slow start or
//! congestion avoidance would keep growing cwnd on them: a window that was never tested
//! against the path, which the next bulk write then sends as one burst. RFC 7661 measures
//! what the path actually carried, *pipeACK*: the bytes acknowledged over one RTT, the
//! largest such sample of the last `max(3 SRTT, 1 s)` (the pipeACK sampling period).
//! - pipeACK ≥ cwnd / 2 (or no sample yet): the window is *validated*, growth as usual;
//! - pipeACK < cwnd / 2: the *non-validated phase* (NVP). The window is kept, so a
//!   rate-limited sender can resume quickly (unlike RFC 2861's decay), but it does not
//!   grow on ACKs that did not test it;
//! - after [`NVP_DURATION`] (five minutes) spent in the NVP, the unused window is given
//!   back: `ssthresh = max(ssthresh, 3/4 cwnd)`, `cwnd = max(cwnd / 2, IW)` (RFC 7661's
//!   actions at the end of the NVP); the phase restarts from there;
//! - a loss detected in the NVP is recovered as usual, but the window it ends with is
//!   `(max(pipeACK, LossFlightSize) - R) / 2` (RFC 7661's response to losses during the
//!   NVP: R is what the episode found lost), and the sender leaves the NVP
//!   (`CongestionControl::on_recovery_end`).
//!
//! Idle time counts as non-validated time (RFC 7661 replaces RFC 5681 4.1's restart from
//! IW after an idle RTO: the window is kept through a pause, and only a pause as long as
//! the NVP gives half of it back). A sender that resumes with nothing in flight asks
//! [`Cwv::on_send_resume`]: a pause longer than the pipeACK sampling period makes a
//! validated window non-validated from the last ACK on, and each [`NVP_DURATION`] spent
//! non-validated by then is one end-of-NVP reduction, applied before the window is used.
//!
//! pipeACK's maximum over the sampling period is kept as one sample and its time (a newer,
//! larger sample replaces it; an expired one is replaced by the next), which is exact for a
//! steady sender and errs towards the newer sample otherwise, in constant space.

use crate::tcp::rtt::nanos;
use crate::time::{Duration, Instant};

/// RFC 7661 section 5: how long a window may stay non-validated before it is reduced.
pub(crate) const NVP_DURATION: Duration = Duration::from_secs(300);
/// The shortest pipeACK sampling period (RFC 7661 4.2: `max(3 * SRTT, 1 s)`).
const MIN_SAMPLING_PERIOD: Duration = Duration::from_secs(1);

/// RFC 7661 state of one connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cwv {
    /// The current sample: bytes acknowledged since `sample_start`, and cwnd then.
    acked: u32,
    sample_start: Option<Instant>,
    cwnd_at_start: u32,
    /// The largest completed sample in the sampling period, and when it completed.
    pipe_ack: Option<(u32, Instant)>,
    /// When the window became non-validated (`None`: validated).
    nvp_since: Option<Instant>,
}

/// What the window should do after an ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validity {
    /// Validated: grow as the algorithm says.
    Validated,
    /// Non-validated: keep cwnd as it is.
    NonValidated,
    /// The NVP lasted [`NVP_DURATION`]: reduce (see the module doc), then carry on.
    Expired,
}

impl Cwv {
    /// pipeACK, once a sample completed within the sampling period.
    pub(crate) fn pipe_ack(&self, now: Instant, srtt: Duration) -> Option<u32> {
        let period = srtt.saturating_mul(3).max(MIN_SAMPLING_PERIOD);
        self.pipe_ack
            .filter(|(_, at)| now.saturating_duration_since(*at) <= period)
            .map(|(v, _)| v)
    }

    /// `newly_acked` bytes were acknowledged at `now`; `cwnd` is the current window.
    pub(crate) fn on_ack(
        &mut self,
        newly_acked: u32,
        cwnd: u32,
        now: Instant,
        srtt: Option<Duration>,
    ) -> Validity {
        let Some(srtt) = srtt else {
            return Validity::Validated;
        };
        let start = match self.sample_start {
            Some(t) => t,
            None => {
                self.sample_start = Some(now);
                self.cwnd_at_start = cwnd;
                now
            }
        };
        self.acked = self.acked.saturating_add(newly_acked);
        if now.saturating_duration_since(start) < srtt {
            // Between samples the last decision stands.
            return if self.nvp_since.is_some() {
                Validity::NonValidated
            } else {
                Validity::Validated
            };
        }
        // One RTT's worth of acknowledgements: a pipeACK sample. It is compared with the
        // window of the RTT it measured (in slow start cwnd doubles during that RTT, and
        // the path carried exactly the window it was given).
        let sample = self.acked;
        if self.pipe_ack(now, srtt).is_none_or(|v| sample >= v) {
            self.pipe_ack = Some((sample, now));
        }
        let window = self.cwnd_at_start;
        self.acked = 0;
        self.sample_start = Some(now);
        self.cwnd_at_start = cwnd;
        match self.pipe_ack(now, srtt) {
            Some(p) if p < window / 2 => {
                let since = *self.nvp_since.get_or_insert(now);
                if now.saturating_duration_since(since) >= NVP_DURATION {
                    self.nvp_since = Some(now);
                    Validity::Expired
                } else {
                    Validity::NonValidated
                }
            }
            _ => {
                self.nvp_since = None;
                Validity::Validated
            }
        }
    }

    /// Sending resumes at `now` with nothing in flight; the last ACK came at `last_ack`.
    /// `None` if the pause was shorter than the pipeACK sampling period; else how many
    /// whole [`NVP_DURATION`]s the window has spent non-validated (each one end-of-NVP
    /// reduction), counting the pause: such a pause (no pipeACK sample can cover it) makes
    /// the window non-validated from the last ACK if it was not already.
    pub(crate) fn on_send_resume(
        &mut self,
        now: Instant,
        last_ack: Instant,
        srtt: Duration,
    ) -> Option<u32> {
        // In nanoseconds: this runs whenever sending resumes with nothing in flight (every
        // request of a request-response exchange).
        let period = nanos(srtt)
            .saturating_mul(3)
            .max(nanos(MIN_SAMPLING_PERIOD));
        let paused = now.as_nanos().saturating_sub(last_ack.as_nanos());
        if paused < period {
            return None;
        }
        // The pause is not a pipeACK measurement: the next sample starts with new data.
        self.acked = 0;
        self.sample_start = None;
        let since = *self.nvp_since.get_or_insert(last_ack);
        let spent = now.saturating_duration_since(since);
        let periods = u32::try_from(spent.as_nanos() / NVP_DURATION.as_nanos()).unwrap_or(u32::MAX);
        if periods > 0 {
            let used = NVP_DURATION.checked_mul(periods).unwrap_or(spent);
            self.nvp_since = Some(since.saturating_add(used));
        }
        Some(periods)
    }

    /// A loss ended the non-validated phase (RFC 7661's response to losses in the NVP):
    /// validation starts afresh.
    pub(crate) fn exit_nvp(&mut self) {
        *self = Cwv::default();
    }

    /// Whether the window is in the non-validated phase.
    pub(crate) fn non_validated(&self) -> bool {
        self.nvp_since.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64) -> Instant {
        Instant::ZERO + Duration::from_millis(ms)
    }

    const RTT: Option<Duration> = Some(Duration::from_millis(100));

    /// A sender acknowledged 1,000 bytes per 100 ms RTT with cwnd 20,000: pipeACK 1,000
    /// (RFC 7661 4.2) is under cwnd / 2, so the window is non-validated.
    #[test]
    fn rfc7661_4_3_a_rate_limited_sender_is_non_validated() {
        let mut cwv = Cwv::default();
        assert_eq!(cwv.on_ack(1000, 20_000, at(0), RTT), Validity::Validated);
        assert_eq!(cwv.pipe_ack(at(0), Duration::from_millis(100)), None);
        assert_eq!(
            cwv.on_ack(1000, 20_000, at(100), RTT),
            Validity::NonValidated
        );
        assert_eq!(
            cwv.pipe_ack(at(100), Duration::from_millis(100)),
            Some(2000)
        );
        assert!(cwv.non_validated());
    }

    /// A sender that fills half its window per RTT is validated.
    #[test]
    fn rfc7661_4_3_half_a_window_per_rtt_is_validated() {
        let mut cwv = Cwv::default();
        for i in 0..=10 {
            let v = cwv.on_ack(1000, 20_000, at(i * 10), RTT);
            assert_eq!(v, Validity::Validated, "ACK {i}");
        }
        assert_eq!(
            cwv.pipe_ack(at(100), Duration::from_millis(100)),
            Some(11_000)
        );
    }

    /// RFC 7661 4.4.2: five minutes in the NVP, then one `Expired`, then the NVP again.
    #[test]
    fn rfc7661_4_4_the_nvp_expires_after_five_minutes() {
        let mut cwv = Cwv::default();
        cwv.on_ack(1000, 20_000, at(0), RTT);
        let mut t = 100;
        while t < 300_100 {
            assert_eq!(cwv.on_ack(1000, 20_000, at(t), RTT), Validity::NonValidated);
            t += 100;
        }
        assert_eq!(cwv.on_ack(1000, 20_000, at(t), RTT), Validity::Expired);
        assert_eq!(
            cwv.on_ack(1000, 20_000, at(t + 100), RTT),
            Validity::NonValidated
        );
    }
}
