//! The retransmission timeout (RFC 6298): smoothed RTT, RTT variance and the RTO they give.
//!
//! This module only turns RTT samples into an RTO. Which samples are valid (Karn's rule,
//! RFC 6298 section 3) is decided by the loss-recovery bookkeeping, and exponential backoff
//! of a running timer (section 5.5) belongs to the connection, which doubles the value it
//! arms and resets the multiplier when a new sample arrives.

// Not every entry point has a caller until the connection (issue 12) is wired to it all.
#![allow(dead_code)]

use super::minmax::{WindowedMin, DEFAULT_MIN_RTT_WINDOW};
use crate::time::{Duration, Instant};

/// The lowest RTO by default: 200 ms, as Linux (`TCP_RTO_MIN`). RFC 6298 2.4 asks for 1 s;
/// issue 12 asks for Linux's figure, configurable per stack.
pub(crate) const DEFAULT_MIN_RTO: Duration = Duration::from_millis(200);
/// The highest RTO by default: 120 s, as Linux (`TCP_RTO_MAX`); RFC 6298 2.5 allows any
/// maximum of at least 60 s.
pub(crate) const DEFAULT_MAX_RTO: Duration = Duration::from_secs(120);
/// The RTO before any sample (RFC 6298 2.1).
pub(crate) const DEFAULT_INITIAL_RTO: Duration = Duration::from_secs(1);
/// The clock granularity G of RFC 6298 2.2/2.3. The core's clock is in nanoseconds, but
/// timestamps-based samples are in milliseconds, so 1 ms is the honest granularity.
pub(crate) const CLOCK_GRANULARITY: Duration = Duration::from_millis(1);

/// RFC 6298 state of one connection: SRTT, RTTVAR, the RTO, and the lowest RTT seen.
#[derive(Clone, Debug)]
pub(crate) struct RttEstimator {
    srtt: Option<Duration>,
    rttvar: Duration,
    /// The RTO from the last sample (or the initial RTO), before clamping.
    unclamped_rto: Duration,
    min_rto: Duration,
    max_rto: Duration,
    /// The lowest sample of the last five minutes (RACK's and HyStart++'s `min_RTT`,
    /// RFC 8985 section 6.2), as Linux's windowed filter: a path whose base RTT grew
    /// (a route change) is not judged by the old path's minimum forever.
    min_rtt: WindowedMin,
    latest: Option<Duration>,
}

impl RttEstimator {
    /// An estimator with no samples yet: RTO = `initial_rto` (RFC 6298 2.1), clamped to
    /// `[min_rto, max_rto]`.
    #[must_use]
    pub(crate) fn new(min_rto: Duration, max_rto: Duration, initial_rto: Duration) -> Self {
        RttEstimator {
            srtt: None,
            rttvar: Duration::ZERO,
            unclamped_rto: initial_rto,
            min_rto,
            max_rto: max_rto.max(min_rto),
            min_rtt: WindowedMin::new(DEFAULT_MIN_RTT_WINDOW),
            latest: None,
        }
    }

    /// The defaults: 200 ms minimum, 120 s maximum, 1 s initial.
    #[must_use]
    pub(crate) fn with_defaults() -> Self {
        Self::new(DEFAULT_MIN_RTO, DEFAULT_MAX_RTO, DEFAULT_INITIAL_RTO)
    }

    /// Takes one RTT measurement made at `now`: RFC 6298 2.2 for the first, 2.3 for later
    /// ones.
    pub(crate) fn on_sample(&mut self, rtt: Duration, now: Instant) {
        self.latest = Some(rtt);
        self.min_rtt.update(rtt, now);
        match self.srtt {
            None => self.first_sample(rtt),
            Some(srtt) => self.later_sample(srtt, rtt),
        }
    }

    /// RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max(G, K*RTTVAR) with K = 4.
    fn first_sample(&mut self, rtt: Duration) {
        self.srtt = Some(rtt);
        self.rttvar = rtt / 2;
        self.unclamped_rto = Self::rto_from(rtt, self.rttvar);
    }

    /// RFC 6298 2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'| (with the old SRTT), then
    /// SRTT <- 7/8 SRTT + 1/8 R', then the RTO as in 2.2.
    fn later_sample(&mut self, srtt: Duration, rtt: Duration) {
        let deviation = srtt.abs_diff(rtt);
        self.rttvar = (self.rttvar * 3 + deviation) / 4;
        let srtt = (srtt * 7 + rtt) / 8;
        self.srtt = Some(srtt);
        self.unclamped_rto = Self::rto_from(srtt, self.rttvar);
    }

    fn rto_from(srtt: Duration, rttvar: Duration) -> Duration {
        srtt.saturating_add(CLOCK_GRANULARITY.max(rttvar.saturating_mul(4)))
    }

    /// The RTO to arm: the estimate clamped to `[min_rto, max_rto]` (RFC 6298 2.4, 2.5).
    #[must_use]
    pub(crate) fn rto(&self) -> Duration {
        self.unclamped_rto.clamp(self.min_rto, self.max_rto)
    }

    /// The largest RTO the connection may back off to (RFC 6298 2.5).
    #[must_use]
    pub(crate) fn max_rto(&self) -> Duration {
        self.max_rto
    }

    /// SRTT, once there has been a sample.
    #[must_use]
    pub(crate) fn srtt(&self) -> Option<Duration> {
        self.srtt
    }

    /// RTTVAR (zero before the first sample).
    #[must_use]
    pub(crate) fn rttvar(&self) -> Duration {
        self.rttvar
    }

    /// The lowest sample of the last five minutes.
    #[must_use]
    pub(crate) fn min_rtt(&self) -> Option<Duration> {
        self.min_rtt.get()
    }

    /// The most recent sample.
    #[must_use]
    pub(crate) fn latest_rtt(&self) -> Option<Duration> {
        self.latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn rfc6298_2_1_initial_rto_is_one_second() {
        let est = RttEstimator::with_defaults();
        assert_eq!(est.rto(), ms(1000));
        assert_eq!(est.srtt(), None);
        assert_eq!(est.rttvar(), Duration::ZERO);
        assert_eq!(est.min_rtt(), None);
    }

    #[test]
    fn rfc6298_2_2_first_sample_sets_srtt_and_half_rttvar() {
        let mut est = RttEstimator::new(ms(1), ms(60_000), ms(1000));
        est.on_sample(ms(100), Instant::ZERO);
        assert_eq!(est.srtt(), Some(ms(100)));
        assert_eq!(est.rttvar(), ms(50));
        // 100 + 4 * 50
        assert_eq!(est.rto(), ms(300));
    }

    #[test]
    fn rfc6298_2_3_later_samples_smooth_with_alpha_and_beta() {
        let mut est = RttEstimator::new(ms(1), ms(60_000), ms(1000));
        est.on_sample(ms(100), Instant::ZERO);
        est.on_sample(ms(200), Instant::ZERO);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 37.5 + 25 = 62.5 ms
        assert_eq!(est.rttvar(), Duration::from_micros(62_500));
        // SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 ms
        assert_eq!(est.srtt(), Some(Duration::from_micros(112_500)));
        // RTO = 112.5 + 4 * 62.5 = 362.5 ms
        assert_eq!(est.rto(), Duration::from_micros(362_500));
        assert_eq!(est.min_rtt(), Some(ms(100)));
        assert_eq!(est.latest_rtt(), Some(ms(200)));
    }

    #[test]
    fn rfc6298_2_2_clock_granularity_bounds_the_variance_term() {
        let mut est = RttEstimator::new(Duration::ZERO, ms(60_000), ms(1000));
        est.on_sample(ms(10), Instant::ZERO);
        for _ in 0..100 {
            est.on_sample(ms(10), Instant::ZERO);
        }
        // RTTVAR decays towards 0, so K*RTTVAR < G and the RTO is SRTT + G.
        assert_eq!(est.srtt(), Some(ms(10)));
        assert!(est.rttvar() < Duration::from_micros(250));
        assert_eq!(est.rto(), ms(11));
    }

    #[test]
    fn rfc6298_2_4_rto_is_raised_to_the_minimum() {
        let mut est = RttEstimator::with_defaults();
        est.on_sample(ms(2), Instant::ZERO);
        // 2 + 4 * 1 = 6 ms, raised to Linux's 200 ms.
        assert_eq!(est.rto(), ms(200));
    }

    #[test]
    fn rfc6298_2_5_rto_is_capped_at_the_maximum() {
        let mut est = RttEstimator::new(ms(200), ms(60_000), ms(1000));
        est.on_sample(ms(50_000), Instant::ZERO);
        // 50 s + 4 * 25 s = 150 s, capped at 60 s.
        assert_eq!(est.rto(), ms(60_000));
        assert_eq!(est.max_rto(), ms(60_000));
    }

    #[test]
    fn min_rtt_tracks_the_lowest_sample() {
        let mut est = RttEstimator::with_defaults();
        for r in [30, 20, 50, 25] {
            est.on_sample(ms(r), Instant::ZERO);
        }
        assert_eq!(est.min_rtt(), Some(ms(20)));
    }

    /// RFC 8985 6.2 with Linux's five-minute window: a 20 ms minimum from t = 0 no longer
    /// counts once it is over 300 s old; the later 60 ms samples do.
    #[test]
    fn min_rtt_is_windowed_to_five_minutes() {
        let mut est = RttEstimator::with_defaults();
        let at = |s: u64| Instant::ZERO + Duration::from_secs(s);
        est.on_sample(ms(20), at(0));
        for s in (10..=300).step_by(10) {
            est.on_sample(ms(60), at(s));
        }
        assert_eq!(est.min_rtt(), Some(ms(20)), "at 300 s, still in the window");
        est.on_sample(ms(60), at(310));
        assert_eq!(est.min_rtt(), Some(ms(60)));
    }
}
