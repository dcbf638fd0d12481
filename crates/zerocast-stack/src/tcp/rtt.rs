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
///
/// The estimate is kept in integer nanoseconds: `Duration` arithmetic (seconds and
/// nanoseconds apart, with carries, and overflow checks) cost several times as many
/// instructions per ACK. Divisions truncate as `Duration`'s did, so the values are the
/// same to the nanosecond; products saturate instead of overflowing.
#[derive(Clone, Debug)]
pub(crate) struct RttEstimator {
    /// SRTT in nanoseconds, once there has been a sample.
    srtt: Option<u64>,
    rttvar: u64,
    /// The RTO from the last sample (or the initial RTO), before clamping.
    unclamped_rto: u64,
    min_rto: u64,
    max_rto: u64,
    /// The lowest sample of the last five minutes (RACK's and HyStart++'s `min_RTT`,
    /// RFC 8985 section 6.2), as Linux's windowed filter: a path whose base RTT grew
    /// (a route change) is not judged by the old path's minimum forever.
    min_rtt: WindowedMin,
    latest: Option<Duration>,
}

/// `d` in nanoseconds, saturating (584 years).
#[inline]
pub(crate) const fn nanos(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(1_000_000_000)
        .saturating_add(d.subsec_nanos() as u64)
}

const G: u64 = nanos(CLOCK_GRANULARITY);

impl RttEstimator {
    /// An estimator with no samples yet: RTO = `initial_rto` (RFC 6298 2.1), clamped to
    /// `[min_rto, max_rto]`.
    #[must_use]
    pub(crate) fn new(min_rto: Duration, max_rto: Duration, initial_rto: Duration) -> Self {
        RttEstimator {
            srtt: None,
            rttvar: 0,
            unclamped_rto: nanos(initial_rto),
            min_rto: nanos(min_rto),
            max_rto: nanos(max_rto.max(min_rto)),
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
        let rtt = nanos(rtt);
        match self.srtt {
            None => self.first_sample(rtt),
            Some(srtt) => self.later_sample(srtt, rtt),
        }
    }

    /// RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max(G, K*RTTVAR) with K = 4.
    fn first_sample(&mut self, rtt: u64) {
        self.srtt = Some(rtt);
        self.rttvar = rtt / 2;
        self.unclamped_rto = Self::rto_from(rtt, self.rttvar);
    }

    /// RFC 6298 2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'| (with the old SRTT), then
    /// SRTT <- 7/8 SRTT + 1/8 R', then the RTO as in 2.2.
    fn later_sample(&mut self, srtt: u64, rtt: u64) {
        let deviation = srtt.abs_diff(rtt);
        self.rttvar = self.rttvar.saturating_mul(3).saturating_add(deviation) / 4;
        let srtt = srtt.saturating_mul(7).saturating_add(rtt) / 8;
        self.srtt = Some(srtt);
        self.unclamped_rto = Self::rto_from(srtt, self.rttvar);
    }

    fn rto_from(srtt: u64, rttvar: u64) -> u64 {
        srtt.saturating_add(G.max(rttvar.saturating_mul(4)))
    }

    /// The RTO to arm: the estimate clamped to `[min_rto, max_rto]` (RFC 6298 2.4, 2.5).
    #[must_use]
    pub(crate) fn rto(&self) -> Duration {
        Duration::from_nanos(self.rto_nanos())
    }

    /// [`RttEstimator::rto`] in nanoseconds.
    #[must_use]
    pub(crate) fn rto_nanos(&self) -> u64 {
        self.unclamped_rto.clamp(self.min_rto, self.max_rto)
    }

    /// [`RttEstimator::srtt`] in nanoseconds.
    #[must_use]
    pub(crate) fn srtt_nanos(&self) -> Option<u64> {
        self.srtt
    }

    /// The largest RTO the connection may back off to (RFC 6298 2.5).
    #[must_use]
    pub(crate) fn max_rto(&self) -> Duration {
        Duration::from_nanos(self.max_rto)
    }

    /// SRTT, once there has been a sample.
    #[must_use]
    pub(crate) fn srtt(&self) -> Option<Duration> {
        self.srtt.map(Duration::from_nanos)
    }

    /// RTTVAR (zero before the first sample).
    #[must_use]
    pub(crate) fn rttvar(&self) -> Duration {
        Duration::from_nanos(self.rttvar)
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

    /// Nanosecond-exact RFC 6298 arithmetic, truncating each division: values chosen so
    /// that every division by 2, 4 and 8 has a remainder, across a second boundary.
    #[test]
    fn rfc6298_arithmetic_is_exact_to_the_nanosecond() {
        let ns = Duration::from_nanos;
        let mut est = RttEstimator::new(Duration::ZERO, ms(60_000), ms(1000));
        est.on_sample(ns(1_000_000_003), Instant::ZERO);
        // RTTVAR = floor(1_000_000_003 / 2); RTO = SRTT + 4 RTTVAR.
        assert_eq!(est.rttvar(), ns(500_000_001));
        assert_eq!(est.rto(), ns(1_000_000_003 + 4 * 500_000_001));
        est.on_sample(ns(7), Instant::ZERO);
        // RTTVAR = floor((3 * 500_000_001 + |1_000_000_003 - 7|) / 4)
        //        = floor(2_499_999_999 / 4) = 624_999_999;
        // SRTT = floor((7 * 1_000_000_003 + 7) / 8) = floor(7_000_000_028 / 8) = 875_000_003.
        assert_eq!(est.rttvar(), ns(624_999_999));
        assert_eq!(est.srtt(), Some(ns(875_000_003)));
        assert_eq!(est.rto(), ns(875_000_003 + 4 * 624_999_999));
        // A sample above SRTT: the deviation is taken the other way.
        est.on_sample(ns(1_875_000_005), Instant::ZERO);
        // RTTVAR = floor((3 * 624_999_999 + 1_000_000_002) / 4) = floor(2_874_999_999 / 4);
        // SRTT = floor((7 * 875_000_003 + 1_875_000_005) / 8) = floor(8_000_000_026 / 8).
        assert_eq!(est.rttvar(), ns(718_749_999));
        assert_eq!(est.srtt(), Some(ns(1_000_000_003)));
        assert_eq!(est.rto(), ns(1_000_000_003 + 4 * 718_749_999));
        assert_eq!(est.min_rtt(), Some(ns(7)));
        assert_eq!(est.latest_rtt(), Some(ns(1_875_000_005)));
    }

    /// Absurd samples (a timestamp echo years old) saturate instead of overflowing, and
    /// the RTO stays at its maximum.
    #[test]
    fn huge_samples_saturate_at_the_maximum_rto() {
        let mut est = RttEstimator::with_defaults();
        est.on_sample(Duration::from_secs(u64::MAX / 4), Instant::ZERO);
        est.on_sample(ms(1), Instant::ZERO);
        est.on_sample(Duration::MAX, Instant::ZERO);
        assert_eq!(est.rto(), DEFAULT_MAX_RTO);
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
