//! CUBIC (RFC 9438): the window as a cubic function of the time since the last reduction,
//! flat around the window where the last loss happened (`W_max`), with a Reno-friendly
//! floor so CUBIC is never slower than Reno on short-RTT paths.
//!
//! The RFC counts windows in segments and time in seconds, so this module does too (as
//! `f64`), converting to and from the byte counts of [`Window`] at the edges. Floating point
//! is deterministic here (only `+ - * /`, and a cube root written below with a fixed number
//! of Newton steps), so runs reproduce exactly.

use crate::time::{Duration, Instant};

use super::Window;

/// RFC 9438 4.1: the scaling constant C, in segments per second cubed.
pub(crate) const C: f64 = 0.4;
/// RFC 9438 4.6: the multiplicative decrease factor beta_cubic.
pub(crate) const BETA: f64 = 0.7;
/// RFC 9438 4.3: the Reno-friendly additive increase alpha_cubic = 3(1 - beta)/(1 + beta),
/// which makes the Reno estimate match Reno's average rate with CUBIC's beta.
pub(crate) const ALPHA: f64 = 3.0 * (1.0 - BETA) / (1.0 + BETA);

/// CUBIC's state beyond the shared window. Windows in segments, times in seconds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cubic {
    /// W_max: the window just before the last reduction (after fast convergence).
    pub(crate) w_max: f64,
    /// K: the time the cubic function takes to climb back to `w_max` (RFC 9438 eq. 2).
    pub(crate) k: f64,
    /// The start of the current congestion-avoidance epoch (`None`: starts at next ACK).
    epoch_start: Option<Instant>,
    /// W_est: the Reno-friendly estimate (RFC 9438 4.3).
    pub(crate) w_est: f64,
    /// cwnd_prior: the window before the last reduction (switches alpha to 1, RFC 9438 4.3).
    cwnd_prior: f64,
    /// Fractional bytes of increase not yet added to the integer window.
    carry: f64,
    /// `(w_max, cwnd_prior)` before the first reduction of an episode, for undo (4.9).
    saved: Option<(f64, f64)>,
}

/// The cube root of a non-negative `x` (0 for anything else), by Newton's method from an
/// upper bound: each step is monotone towards the root, and 200 steps are far more than the
/// windows here need (they converge in under 60 for `x` up to 2^64).
pub(crate) fn cube_root(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let mut y = if x > 1.0 { x } else { 1.0 };
    for _ in 0..200 {
        let next = (2.0 * y + x / (y * y)) / 3.0;
        if next >= y {
            break;
        }
        y = next;
    }
    y
}

impl Cubic {
    /// RFC 9438 eq. 1: `W_cubic(t) = C (t - K)^3 + W_max`, in segments.
    pub(crate) fn w_cubic(&self, t: f64) -> f64 {
        let d = t - self.k;
        C * d * d * d + self.w_max
    }

    /// Forgets the current epoch; the next ACK in congestion avoidance starts a new one.
    pub(crate) fn reset_epoch(&mut self) {
        self.epoch_start = None;
    }

    /// RFC 9438 4.2: at the start of an epoch, K from `W_max` and the current window; when
    /// the window is already at or above `W_max` (after an RTO, or growth past the old
    /// maximum), the curve starts at its plateau: K = 0, W_max = cwnd.
    fn start_epoch(&mut self, now: Instant, cwnd_seg: f64) {
        self.epoch_start = Some(now);
        if cwnd_seg < self.w_max {
            self.k = cube_root((self.w_max - cwnd_seg) / C);
        } else {
            self.k = 0.0;
            self.w_max = cwnd_seg;
        }
        self.w_est = cwnd_seg;
        self.carry = 0.0;
    }

    pub(super) fn on_ack(
        &mut self,
        window: &mut Window,
        newly_acked: u32,
        now: Instant,
        srtt: Option<Duration>,
    ) {
        if window.in_slow_start() {
            window.slow_start(newly_acked);
            return;
        }
        let mss = f64::from(window.mss);
        let cwnd_seg = f64::from(window.cwnd) / mss;
        let epoch_start = match self.epoch_start {
            Some(t) => t,
            None => {
                self.start_epoch(now, cwnd_seg);
                now
            }
        };
        let t = now.saturating_duration_since(epoch_start).as_secs_f64();
        let rtt = srtt.map_or(0.0, |d| d.as_secs_f64());
        let acked_seg = f64::from(newly_acked) / mss;
        self.update_reno_estimate(acked_seg, cwnd_seg);
        let new_cwnd_seg = if self.w_cubic(t) < self.w_est {
            self.reno_friendly_window(cwnd_seg)
        } else {
            self.cubic_window(t + rtt, cwnd_seg, acked_seg)
        };
        let bytes = new_cwnd_seg * mss + self.carry;
        let whole = bytes.min(f64::from(u32::MAX)).max(f64::from(window.cwnd));
        let grown = whole as u32;
        self.carry = whole - f64::from(grown);
        window.cwnd = grown;
    }

    /// RFC 9438 4.3: `W_est += alpha * segments_acked / cwnd`, alpha switching to 1 once
    /// `W_est` has reached the window before the last reduction.
    fn update_reno_estimate(&mut self, acked_seg: f64, cwnd_seg: f64) {
        let alpha = if self.w_est >= self.cwnd_prior {
            1.0
        } else {
            ALPHA
        };
        self.w_est += alpha * acked_seg / cwnd_seg;
    }

    /// RFC 9438 4.3: in the Reno-friendly region the window follows `W_est` (never shrinks).
    fn reno_friendly_window(&self, cwnd_seg: f64) -> f64 {
        self.w_est.max(cwnd_seg)
    }

    /// RFC 9438 4.4/4.5: aim at `W_cubic(t + RTT)` clamped to `[cwnd, 1.5 cwnd]`, closing
    /// `(target - cwnd)/cwnd` of the gap per acknowledged segment.
    fn cubic_window(&self, t_ahead: f64, cwnd_seg: f64, acked_seg: f64) -> f64 {
        let target = self.w_cubic(t_ahead).clamp(cwnd_seg, 1.5 * cwnd_seg);
        cwnd_seg + (target - cwnd_seg) / cwnd_seg * acked_seg
    }

    /// RFC 9438 4.6 and 4.7: `ssthresh = max(flight_size * beta, 2 MSS)`, `cwnd = ssthresh`;
    /// `W_max` is the window before the reduction, lowered to `cwnd (1 + beta) / 2` by fast
    /// convergence when the flow did not get back to its previous maximum.
    pub(super) fn on_congestion_event(&mut self, window: &mut Window, in_flight: u32) {
        self.save();
        let cwnd_seg = f64::from(window.cwnd) / f64::from(window.mss);
        self.w_max = if cwnd_seg < self.w_max {
            cwnd_seg * (1.0 + BETA) / 2.0
        } else {
            cwnd_seg
        };
        self.cwnd_prior = cwnd_seg;
        self.epoch_start = None;
        window.ssthresh = Self::reduced(window, in_flight);
        window.cwnd = window.ssthresh;
        window.bytes_acked = 0;
    }

    /// RFC 9438 4.8: ssthresh as in 4.6; the first congestion avoidance after the timeout
    /// starts with K = 0 and W_max = the window at its start (`w_max = 0` makes
    /// [`Self::start_epoch`] do that). The caller sets cwnd to one MSS.
    pub(super) fn on_rto(&mut self, window: &mut Window, in_flight: u32) {
        self.save();
        self.cwnd_prior = f64::from(window.cwnd) / f64::from(window.mss);
        self.w_max = 0.0;
        self.epoch_start = None;
        window.ssthresh = Self::reduced(window, in_flight);
    }

    fn reduced(window: &Window, in_flight: u32) -> u32 {
        // beta = 7/10 in integers: 0.7 has no exact f64, and 90 000 * 0.7 would truncate
        // to 62 999.
        let beta_flight = u32::try_from(u64::from(in_flight) * 7 / 10).unwrap_or(u32::MAX);
        beta_flight.max(window.mss.saturating_mul(2))
    }

    fn save(&mut self) {
        if self.saved.is_none() {
            self.saved = Some((self.w_max, self.cwnd_prior));
        }
    }

    /// RFC 9438 4.9: a spurious reduction restores W_max and cwnd_prior too.
    pub(super) fn undo(&mut self) {
        if let Some((w_max, cwnd_prior)) = self.saved.take() {
            self.w_max = w_max;
            self.cwnd_prior = cwnd_prior;
        }
        self.epoch_start = None;
    }

    pub(super) fn commit(&mut self) {
        self.saved = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcp::cc::{CongestionAlgorithm, CongestionControl};

    const MSS: u32 = 1000;

    fn secs(s: f64) -> Instant {
        Instant::from_nanos((s * 1e9) as u64)
    }

    /// A CUBIC controller that lost at 100 segments and is now in congestion avoidance at
    /// 70 segments.
    fn after_loss_at_100() -> CongestionControl {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, MSS, Instant::ZERO);
        cc.set_cwnd(100 * MSS);
        cc.on_congestion_event(100 * MSS, Instant::ZERO);
        cc.on_recovery_end(Instant::ZERO, 0);
        cc
    }

    #[test]
    fn cube_root_is_exact_enough() {
        assert!((cube_root(75.0) - 4.217_163_326_508_746).abs() < 1e-12);
        assert!((cube_root(27.0) - 3.0).abs() < 1e-12);
        assert!((cube_root(0.001) - 0.1).abs() < 1e-12);
        assert_eq!(cube_root(0.0), 0.0);
        assert_eq!(cube_root(-5.0), 0.0);
        assert!((cube_root(1.8e19) - 2_620_741.394_208_894).abs() < 1e-3);
    }

    #[test]
    fn rfc9438_4_6_beta_0_7_reduction() {
        let cc = after_loss_at_100();
        assert_eq!(cc.ssthresh(), 70_000);
        assert_eq!(cc.cwnd(), 70_000);
        assert_eq!(cc.cubic_state().unwrap().w_max, 100.0);
    }

    #[test]
    fn rfc9438_4_2_k_is_the_time_back_to_w_max() {
        let mut cc = after_loss_at_100();
        cc.on_ack(MSS, 70_000, secs(1.0), None);
        let cubic = cc.cubic_state().unwrap();
        // K = cbrt((100 - 70) / 0.4) = cbrt(75)
        assert!((cubic.k - 4.217_163_326_508_746).abs() < 1e-12);
        assert!((cubic.w_cubic(cubic.k) - 100.0).abs() < 1e-9);
        assert!((cubic.w_cubic(0.0) - 70.0).abs() < 1e-9);
    }

    #[test]
    fn rfc9438_4_4_concave_region_closes_the_gap_per_ack() {
        let mut cc = after_loss_at_100();
        cc.on_ack(MSS, 70_000, secs(1.0), None); // epoch starts at t = 1 s
        let grown_at_start = cc.cwnd();
        let k = cc.cubic_state().unwrap().k;
        cc.on_ack(MSS, 70_000, secs(1.0 + k), None);
        // target = W_cubic(K) = 100; increase (100 - cwnd)/cwnd segments for one segment.
        let cwnd_seg = f64::from(grown_at_start) / 1000.0;
        let expected = (cwnd_seg + (100.0 - cwnd_seg) / cwnd_seg) * 1000.0;
        assert!(
            (f64::from(cc.cwnd()) - expected).abs() <= 1.0,
            "{} vs {expected}",
            cc.cwnd()
        );
        assert!(cc.cwnd() > 70_420 && cc.cwnd() < 70_450, "{}", cc.cwnd());
    }

    #[test]
    fn rfc9438_4_4_target_is_capped_at_one_and_a_half_cwnd() {
        let mut cc = after_loss_at_100();
        cc.on_ack(MSS, 70_000, Instant::ZERO, None);
        let start = cc.cwnd();
        // W_cubic(10 s) = 177.35 segments, far above 1.5 * cwnd: the gap closes by half a
        // segment per acknowledged segment.
        cc.on_ack(MSS, 70_000, secs(10.0), None);
        let cwnd_seg = f64::from(start) / 1000.0;
        let expected = (cwnd_seg + 0.5) * 1000.0;
        assert!(
            (f64::from(cc.cwnd()) - expected).abs() <= 1.0,
            "{} vs {expected}",
            cc.cwnd()
        );
    }

    #[test]
    fn rfc9438_4_3_reno_friendly_region_follows_w_est() {
        let mut cc = after_loss_at_100();
        // 70 one-segment ACKs at t = 0: W_cubic(0) = 70, so only W_est can grow the window,
        // by alpha_cubic = 0.529 segments per window.
        for _ in 0..70 {
            cc.on_ack(MSS, 70_000, Instant::ZERO, None);
        }
        let w_est = cc.cubic_state().unwrap().w_est;
        assert!((w_est - (70.0 + ALPHA)).abs() < 0.01, "{w_est}");
        assert!(cc.cwnd() >= 70_520 && cc.cwnd() <= 70_530, "{}", cc.cwnd());
    }

    #[test]
    fn rfc9438_4_3_alpha_becomes_one_past_the_prior_window() {
        let mut cubic = Cubic {
            w_est: 100.0,
            cwnd_prior: 100.0,
            ..Cubic::default()
        };
        cubic.update_reno_estimate(1.0, 50.0);
        assert!((cubic.w_est - 100.02).abs() < 1e-12);
        cubic.w_est = 90.0;
        cubic.update_reno_estimate(1.0, 50.0);
        assert!((cubic.w_est - (90.0 + ALPHA / 50.0)).abs() < 1e-12);
    }

    #[test]
    fn rfc9438_4_7_fast_convergence_lowers_w_max() {
        let mut cc = after_loss_at_100();
        // Lose again at 90 segments, below the previous W_max of 100.
        cc.set_cwnd(90 * MSS);
        cc.on_congestion_event(90 * MSS, Instant::ZERO);
        let cubic = cc.cubic_state().unwrap();
        assert!((cubic.w_max - 76.5).abs() < 1e-9, "{}", cubic.w_max);
        assert_eq!(cc.ssthresh(), 63_000);
    }

    #[test]
    fn rfc9438_4_8_after_rto_the_epoch_starts_at_its_plateau() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, MSS, Instant::ZERO);
        cc.set_cwnd(50 * MSS);
        cc.on_rto(50 * MSS, Instant::ZERO);
        assert_eq!(cc.cwnd(), MSS);
        assert_eq!(cc.ssthresh(), 35_000);
        cc.set_cwnd(35 * MSS); // slow start reached ssthresh
        cc.on_ack(MSS, 35_000, secs(1.0), None);
        let cubic = cc.cubic_state().unwrap();
        assert_eq!(cubic.k, 0.0);
        assert_eq!(cubic.w_max, 35.0);
    }

    #[test]
    fn rfc9438_4_9_undo_restores_w_max() {
        let mut cc = after_loss_at_100();
        cc.commit_reduction();
        cc.set_cwnd(80 * MSS);
        cc.on_congestion_event(80 * MSS, Instant::ZERO);
        assert!((cc.cubic_state().unwrap().w_max - 68.0).abs() < 1e-9);
        cc.undo();
        assert_eq!(cc.cubic_state().unwrap().w_max, 100.0);
        assert_eq!(cc.cwnd(), 80_000);
    }

    #[test]
    fn slow_start_is_reno_s() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, MSS, Instant::ZERO);
        cc.on_ack(3 * MSS, 10_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 12_000);
    }
}
