//! Congestion control: how large the congestion window may grow and how it shrinks on loss.
//!
//! Two algorithms behind one type, chosen per socket: NewReno (RFC 5681 with RFC 6582's
//! recovery and RFC 3465's byte counting) and CUBIC (RFC 9438, the default, as on Linux).
//! Both share [`Window`]: the window, the slow-start threshold, the initial window (RFC 6928)
//! and the saved values that let a spurious loss be undone. This module knows nothing about
//! segments or the scoreboard; the loss-recovery code tells it when an episode starts and
//! ends, and PRR (RFC 6937) paces sending inside recovery.
//!
//! Around both: HyStart++ (RFC 9406, `hystart.rs`) ends the first slow start on a rising
//! RTT instead of a loss, and New CWV (RFC 7661, `cwv.rs`) stops a rate-limited sender's
//! window from growing on ACKs that never tested it.

// Not every entry point has a caller until the connection (issue 12) is wired to it all.
#![allow(dead_code)]

mod cubic;
mod cwv;
mod hystart;
mod newreno;

use crate::tcp::SeqNum;
use crate::time::{Duration, Instant};

use cubic::Cubic;
use cwv::{Cwv, Validity};
use hystart::{HyStart, Step};
#[cfg(test)]
pub(crate) use hystart::{Phase as HyStartPhase, CSS_GROWTH_DIVISOR, CSS_ROUNDS};

/// The congestion-control algorithm of a TCP socket.
///
/// ```
/// use zerocast_stack::tcp::CongestionAlgorithm;
/// assert_eq!(CongestionAlgorithm::default(), CongestionAlgorithm::Cubic);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum CongestionAlgorithm {
    /// RFC 5681 slow start and congestion avoidance with RFC 6582 NewReno recovery.
    NewReno,
    /// RFC 9438 CUBIC: window growth as a cubic function of the time since the last loss,
    /// with a Reno-friendly floor. Linux's default, and ours.
    #[default]
    Cubic,
}

/// RFC 3465 byte counting limit L: slow start grows by at most 2 MSS per ACK.
const ABC_LIMIT_SEGMENTS: u32 = 2;

/// The initial window of RFC 6928: `min(10*MSS, max(2*MSS, 14600))` bytes.
#[must_use]
pub(crate) fn initial_window(mss: u32) -> u32 {
    let mss = mss.max(1);
    mss.saturating_mul(10)
        .min(mss.saturating_mul(2).max(14_600))
}

/// The state every algorithm shares, in bytes.
#[derive(Clone, Debug)]
pub(crate) struct Window {
    pub(crate) cwnd: u32,
    pub(crate) ssthresh: u32,
    pub(crate) mss: u32,
    /// RFC 3465 congestion avoidance: bytes acknowledged since cwnd last grew.
    pub(crate) bytes_acked: u32,
    /// `(cwnd, ssthresh)` before the last reduction, for [`CongestionControl::undo`].
    pub(crate) prior: Option<(u32, u32)>,
}

impl Window {
    fn new(mss: u32) -> Self {
        let mss = mss.max(1);
        Window {
            cwnd: initial_window(mss),
            // RFC 5681 3.1: "arbitrarily high" initially.
            ssthresh: u32::MAX,
            mss,
            bytes_acked: 0,
            prior: None,
        }
    }

    pub(crate) fn in_slow_start(&self) -> bool {
        self.cwnd < self.ssthresh
    }

    /// RFC 5681 3.1 with RFC 3465 2.2 (L = 2): slow start adds `min(N, L*SMSS)` per ACK.
    pub(crate) fn slow_start(&mut self, newly_acked: u32) {
        let step = newly_acked.min(ABC_LIMIT_SEGMENTS.saturating_mul(self.mss));
        self.cwnd = self.cwnd.saturating_add(step);
    }

    /// RFC 3465 2.1 / RFC 5681 3.1 equation 3's byte-counting form: one SMSS per window of
    /// acknowledged bytes.
    pub(crate) fn congestion_avoidance(&mut self, newly_acked: u32) {
        self.bytes_acked = self.bytes_acked.saturating_add(newly_acked);
        if self.bytes_acked >= self.cwnd {
            self.bytes_acked -= self.cwnd;
            self.cwnd = self.cwnd.saturating_add(self.mss);
        }
    }

    /// Saves the values a reduction is about to overwrite (the first of an episode wins, so
    /// an RTO inside fast recovery still undoes to the pre-episode window).
    pub(crate) fn save_prior(&mut self) {
        if self.prior.is_none() {
            self.prior = Some((self.cwnd, self.ssthresh));
        }
    }

    /// RFC 5681 equation 4: `ssthresh = max(FlightSize / 2, 2*SMSS)`.
    pub(crate) fn half_flight(&self, in_flight: u32) -> u32 {
        (in_flight / 2).max(self.mss.saturating_mul(2))
    }
}

/// A connection's congestion controller (enum dispatch over the algorithms).
///
/// All sizes are bytes. The caller reports ACKs outside recovery ([`Self::on_ack`]),
/// the start and end of a loss episode, RTOs, spurious-loss undos and idle restarts.
#[derive(Clone, Debug)]
pub(crate) struct CongestionControl {
    window: Window,
    algorithm: Algorithm,
    /// The time of the last event, so an idle restart knows how long it was idle.
    last_event: Instant,
    hystart: HyStart,
    /// HyStart++'s verdict on the ACK being processed (set by [`Self::on_ack_sample`]).
    step: Step,
    cwv: Cwv,
    /// RFC 7661: `max(pipeACK, LossFlightSize)` of a loss detected in the non-validated
    /// phase, for the window at the end of its recovery.
    nvp_loss: Option<u32>,
    /// SRTT as of the last ACK (pipeACK's sampling period between ACKs).
    srtt: Option<Duration>,
}

#[derive(Clone, Debug)]
enum Algorithm {
    NewReno,
    Cubic(Cubic),
}

impl CongestionControl {
    /// A controller in slow start with the RFC 6928 initial window.
    #[must_use]
    pub(crate) fn new(alg: CongestionAlgorithm, mss: u32, now: Instant) -> Self {
        CongestionControl {
            window: Window::new(mss),
            algorithm: Self::algorithm(alg),
            last_event: now,
            hystart: HyStart::default(),
            step: Step::Off,
            cwv: Cwv::default(),
            nvp_loss: None,
            srtt: None,
        }
    }

    fn algorithm(alg: CongestionAlgorithm) -> Algorithm {
        match alg {
            CongestionAlgorithm::NewReno => Algorithm::NewReno,
            CongestionAlgorithm::Cubic => Algorithm::Cubic(Cubic::default()),
        }
    }

    /// Which algorithm runs.
    #[must_use]
    pub(crate) fn algorithm_kind(&self) -> CongestionAlgorithm {
        match self.algorithm {
            Algorithm::NewReno => CongestionAlgorithm::NewReno,
            Algorithm::Cubic(_) => CongestionAlgorithm::Cubic,
        }
    }

    /// Switches algorithm, keeping the window and threshold (as Linux's `TCP_CONGESTION`).
    pub(crate) fn set_algorithm(&mut self, alg: CongestionAlgorithm) {
        if alg != self.algorithm_kind() {
            self.algorithm = Self::algorithm(alg);
        }
    }

    /// The congestion window in bytes.
    #[must_use]
    pub(crate) fn cwnd(&self) -> u32 {
        self.window.cwnd
    }

    /// The slow-start threshold in bytes (`u32::MAX` until the first loss).
    #[must_use]
    pub(crate) fn ssthresh(&self) -> u32 {
        self.window.ssthresh
    }

    /// The sender MSS the controller counts in.
    #[must_use]
    pub(crate) fn mss(&self) -> u32 {
        self.window.mss
    }

    /// Overrides the window (PRR sets it in recovery; tests set it up).
    pub(crate) fn set_cwnd(&mut self, cwnd: u32) {
        self.window.cwnd = cwnd.max(self.window.mss);
    }

    /// HyStart++ (RFC 9406) sees the ACK about to be given to [`Self::on_ack`]: SEG.ACK,
    /// SND.NXT and the ACK's RTT sample. Only the first slow start is watched.
    pub(crate) fn on_ack_sample(&mut self, ack: SeqNum, snd_nxt: SeqNum, rtt: Option<Duration>) {
        self.step = Step::Off;
        if !self.window.in_slow_start() || self.window.ssthresh != u32::MAX {
            return;
        }
        self.step = self.hystart.on_ack(ack, snd_nxt, rtt);
        if self.step == Step::EndSlowStart {
            // RFC 9406 4.2: CSS ran its rounds: congestion avoidance from here.
            self.window.ssthresh = self.window.cwnd;
        }
    }

    /// HyStart++'s phase (tests).
    #[cfg(test)]
    pub(crate) fn hystart_phase(&self) -> hystart::Phase {
        self.hystart.phase()
    }

    /// Whether the window is non-validated (RFC 7661: the sender is rate-limited).
    #[must_use]
    pub(crate) fn non_validated(&self) -> bool {
        self.cwv.non_validated()
    }

    /// Window growth for `newly_acked` bytes cumulatively acknowledged outside recovery.
    /// `in_flight` is the data outstanding before this ACK; `rtt` is SRTT (CUBIC uses it to
    /// aim one RTT ahead).
    pub(crate) fn on_ack(
        &mut self,
        newly_acked: u32,
        in_flight: u32,
        now: Instant,
        rtt: Option<Duration>,
    ) {
        self.last_event = now;
        if rtt.is_some() {
            self.srtt = rtt;
        }
        if newly_acked == 0 {
            return;
        }
        let _ = in_flight;
        let step = core::mem::replace(&mut self.step, Step::Off);
        match self.cwv.on_ack(newly_acked, self.window.cwnd, now, rtt) {
            Validity::Validated => {}
            Validity::NonValidated => return,
            Validity::Expired => {
                self.end_of_nvp();
                return;
            }
        }
        if step == Step::Conservative && self.window.in_slow_start() {
            // RFC 9406 4.2 CSS: a quarter of slow start's growth.
            let w = &mut self.window;
            let grow = newly_acked.min(ABC_LIMIT_SEGMENTS.saturating_mul(w.mss));
            w.cwnd = w.cwnd.saturating_add(grow / hystart::CSS_GROWTH_DIVISOR);
            return;
        }
        match &mut self.algorithm {
            Algorithm::NewReno => newreno::on_ack(&mut self.window, newly_acked),
            Algorithm::Cubic(c) => c.on_ack(&mut self.window, newly_acked, now, rtt),
        }
    }

    /// RFC 7661's actions at the end of the non-validated phase: give back the window the
    /// sender never used (`ssthresh = max(ssthresh, 3/4 cwnd)`, `cwnd = max(cwnd/2, IW)`).
    fn end_of_nvp(&mut self) {
        let w = &mut self.window;
        w.ssthresh = w.ssthresh.max(w.cwnd / 4 * 3);
        w.cwnd = (w.cwnd / 2).max(initial_window(w.mss));
        w.bytes_acked = 0;
    }

    /// Sending resumes with nothing in flight (the loss-recovery code calls this before
    /// the first segment after a pause). RFC 7661 keeps the window through the pause, but
    /// each [`cwv::NVP_DURATION`] it spent non-validated (the pause included) gives half
    /// of it back, down to IW, before it is used. After any pause longer than the pipeACK
    /// sampling period CUBIC also starts a new epoch, so the pause does not count as
    /// growth time (RFC 9438 5.8).
    pub(crate) fn on_send_resume(&mut self, now: Instant) {
        let Some(srtt) = self.srtt else {
            return;
        };
        let Some(periods) = self.cwv.on_send_resume(now, self.last_event, srtt) else {
            return;
        };
        // Past a few halvings the window is IW whatever the count.
        for _ in 0..periods.min(32) {
            self.end_of_nvp();
        }
        if let Algorithm::Cubic(c) = &mut self.algorithm {
            c.reset_epoch();
        }
    }

    /// A loss detected by fast retransmit, SACK or RACK: the start of fast recovery.
    /// `in_flight` is the FlightSize the reduction starts from.
    pub(crate) fn on_congestion_event(&mut self, in_flight: u32, now: Instant) {
        self.last_event = now;
        // RFC 7661: a loss in the non-validated phase ends it with its own window, set
        // when recovery ends (LossFlightSize is the flight when the loss was detected).
        self.nvp_loss = if self.cwv.non_validated() {
            let pipe_ack = self
                .srtt
                .and_then(|srtt| self.cwv.pipe_ack(now, srtt))
                .unwrap_or(0);
            Some(pipe_ack.max(in_flight))
        } else {
            None
        };
        self.hystart.on_congestion();
        self.window.save_prior();
        match &mut self.algorithm {
            Algorithm::NewReno => newreno::on_congestion_event(&mut self.window, in_flight),
            Algorithm::Cubic(c) => c.on_congestion_event(&mut self.window, in_flight),
        }
    }

    /// Fast recovery is over (the recovery point was acknowledged): the window settles at
    /// ssthresh (RFC 6582 3.2 step 3, first option; RFC 6937's exit). `lost` is the bytes
    /// the episode marked lost (RFC 7661's R).
    ///
    /// If the loss was detected in the non-validated phase, RFC 7661 sets instead
    /// `cwnd = (max(pipeACK, LossFlightSize) - R) / 2` (at least one segment), with
    /// ssthresh there too so congestion avoidance follows, and the window is validated
    /// afresh: the rate-limited sender's unused window is not kept through a loss.
    pub(crate) fn on_recovery_end(&mut self, now: Instant, lost: u32) {
        self.last_event = now;
        let w = &mut self.window;
        if let Some(base) = self.nvp_loss.take() {
            w.cwnd = (base.saturating_sub(lost) / 2).max(w.mss);
            w.ssthresh = w.cwnd;
            self.cwv.exit_nvp();
        } else {
            w.cwnd = w.ssthresh.max(w.mss);
        }
        w.bytes_acked = 0;
    }

    /// A retransmission timeout: ssthresh from the flight, cwnd = loss window = 1 MSS
    /// (RFC 5681 3.1 equation 4 and the paragraph after it; RFC 9438 4.8).
    ///
    /// RFC 7661 leaves the timeout's response as it is, and the slow start that follows
    /// from one segment is validated: the non-validated state is dropped (as the RFC
    /// authors' newcwv module does on a loss event), or its stale pipeACK sample, taken
    /// against the old window, would hold back the first round of slow start.
    pub(crate) fn on_rto(&mut self, in_flight: u32, now: Instant) {
        self.last_event = now;
        self.nvp_loss = None;
        self.cwv.exit_nvp();
        self.hystart.on_congestion();
        self.window.save_prior();
        match &mut self.algorithm {
            Algorithm::NewReno => newreno::on_congestion_event(&mut self.window, in_flight),
            Algorithm::Cubic(c) => c.on_rto(&mut self.window, in_flight),
        }
        self.window.cwnd = self.window.mss;
        self.window.bytes_acked = 0;
    }

    /// The same segment timed out again (RFC 5681 3.1, after equation 4): ssthresh is held,
    /// the window stays at one segment.
    pub(crate) fn on_repeated_rto(&mut self, now: Instant) {
        self.last_event = now;
        self.window.cwnd = self.window.mss;
        self.window.bytes_acked = 0;
    }

    /// The loss episode was spurious (D-SACK or timestamps showed the original arrived):
    /// restore the window and threshold saved before the reduction, keeping any larger
    /// current value (RFC 3522's and Linux's undo).
    pub(crate) fn undo(&mut self) {
        self.nvp_loss = None;
        if let Some((cwnd, ssthresh)) = self.window.prior.take() {
            self.window.cwnd = self.window.cwnd.max(cwnd);
            self.window.ssthresh = self.window.ssthresh.max(ssthresh);
            if let Algorithm::Cubic(c) = &mut self.algorithm {
                c.undo();
            }
        }
    }

    /// The episode's reduction is final; a later undo has nothing to restore.
    pub(crate) fn commit_reduction(&mut self) {
        self.window.prior = None;
        if let Algorithm::Cubic(c) = &mut self.algorithm {
            c.commit();
        }
    }

    /// Sending resumes after an idle period longer than an RTO: RFC 5681 4.1 restarts from
    /// `min(IW, cwnd)`; CUBIC also starts a new epoch so the idle time does not count as
    /// growth time (RFC 9438 5.8). The connection does not call it: RFC 7661, which keeps
    /// the window through a pause, replaces it ([`Self::on_send_resume`]).
    pub(crate) fn on_idle_restart(&mut self, now: Instant) {
        self.last_event = now;
        self.window.cwnd = self.window.cwnd.min(initial_window(self.window.mss));
        self.window.bytes_acked = 0;
        if let Algorithm::Cubic(c) = &mut self.algorithm {
            c.reset_epoch();
        }
    }

    /// The time of the last ACK, loss or restart the controller saw.
    #[must_use]
    pub(crate) fn last_event(&self) -> Instant {
        self.last_event
    }

    /// The sender MSS changed (PMTU): keep the window's size in segments.
    pub(crate) fn set_mss(&mut self, mss: u32) {
        let mss = mss.max(1);
        let old = self.window.mss;
        if mss == old {
            return;
        }
        if self.window.ssthresh == u32::MAX && self.window.cwnd == initial_window(old) {
            // Still the initial window (the handshake settled the MSS): RFC 6928's formula
            // for the new MSS, not a rescaling (they differ once 10 MSS exceeds 14600).
            self.window.cwnd = initial_window(mss);
            self.window.bytes_acked = 0;
            self.window.mss = mss;
            return;
        }
        let scale = |v: u32| -> u32 {
            if v == u32::MAX {
                v
            } else {
                u32::try_from(u64::from(v) * u64::from(mss) / u64::from(old)).unwrap_or(u32::MAX)
            }
        };
        self.window.cwnd = scale(self.window.cwnd).max(mss);
        self.window.ssthresh = scale(self.window.ssthresh);
        self.window.bytes_acked = 0;
        self.window.mss = mss;
        if let Algorithm::Cubic(c) = &mut self.algorithm {
            c.reset_epoch();
        }
    }

    #[cfg(test)]
    pub(crate) fn cubic_state(&self) -> Option<&Cubic> {
        match &self.algorithm {
            Algorithm::Cubic(c) => Some(c),
            Algorithm::NewReno => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6928_initial_window_is_ten_segments_up_to_14600_bytes() {
        assert_eq!(initial_window(1460), 14_600);
        assert_eq!(initial_window(536), 5_360);
        // Jumbo MSS: max(2*MSS, 14600) wins over 10*MSS.
        assert_eq!(initial_window(8960), 17_920);
        assert_eq!(initial_window(4000), 14_600);
        let cc = CongestionControl::new(CongestionAlgorithm::Cubic, 1460, Instant::ZERO);
        assert_eq!(cc.cwnd(), 14_600);
        assert_eq!(cc.ssthresh(), u32::MAX);
    }

    #[test]
    fn rfc5681_4_1_idle_restart_drops_to_the_initial_window() {
        for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
            let mut cc = CongestionControl::new(alg, 1000, Instant::ZERO);
            cc.set_cwnd(50_000);
            cc.on_idle_restart(Instant::from_nanos(5_000_000_000));
            assert_eq!(cc.cwnd(), 10_000);
            cc.set_cwnd(3_000);
            cc.on_idle_restart(Instant::from_nanos(6_000_000_000));
            assert_eq!(cc.cwnd(), 3_000, "a window below IW is kept");
        }
    }

    #[test]
    fn rto_sets_the_loss_window_and_halves_ssthresh() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::NewReno, 1000, Instant::ZERO);
        cc.set_cwnd(40_000);
        cc.on_rto(40_000, Instant::ZERO);
        assert_eq!(cc.cwnd(), 1_000);
        assert_eq!(cc.ssthresh(), 20_000);
        let mut cubic = CongestionControl::new(CongestionAlgorithm::Cubic, 1000, Instant::ZERO);
        cubic.set_cwnd(40_000);
        cubic.on_rto(40_000, Instant::ZERO);
        assert_eq!(cubic.cwnd(), 1_000);
        // RFC 9438 4.8: ssthresh with beta_cubic = 0.7.
        assert_eq!(cubic.ssthresh(), 28_000);
    }

    #[test]
    fn undo_restores_the_pre_episode_window() {
        for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
            let mut cc = CongestionControl::new(alg, 1000, Instant::ZERO);
            cc.set_cwnd(30_000);
            cc.on_congestion_event(30_000, Instant::ZERO);
            assert!(cc.cwnd() < 30_000);
            cc.on_rto(20_000, Instant::ZERO);
            cc.undo();
            assert_eq!(cc.cwnd(), 30_000, "{alg:?}");
            assert_eq!(cc.ssthresh(), u32::MAX, "{alg:?}");
            // A second undo has nothing left to restore.
            cc.on_congestion_event(30_000, Instant::ZERO);
            cc.commit_reduction();
            let after = cc.cwnd();
            cc.undo();
            assert_eq!(cc.cwnd(), after);
        }
    }

    #[test]
    fn set_mss_keeps_the_window_in_segments() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::NewReno, 1460, Instant::ZERO);
        cc.on_ack(2920, 14_600, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 17_520);
        cc.set_mss(1200);
        assert_eq!(cc.cwnd(), 14_400);
        assert_eq!(cc.ssthresh(), u32::MAX);
        assert_eq!(cc.mss(), 1200);
    }

    #[test]
    fn rfc6928_the_handshake_mss_recomputes_the_initial_window() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, 536, Instant::ZERO);
        assert_eq!(cc.cwnd(), 5_360);
        cc.set_mss(1460);
        assert_eq!(cc.cwnd(), 14_600);
        cc.set_mss(8960);
        assert_eq!(cc.cwnd(), 17_920, "max(2 MSS, 14600), not 10 MSS");
    }

    #[test]
    fn switching_algorithm_keeps_the_window() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, 1000, Instant::ZERO);
        cc.set_cwnd(22_000);
        cc.set_algorithm(CongestionAlgorithm::NewReno);
        assert_eq!(cc.algorithm_kind(), CongestionAlgorithm::NewReno);
        assert_eq!(cc.cwnd(), 22_000);
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// An ACK-clocked sender with MSS 1000 that always keeps cwnd in flight: one 1000-byte
    /// ACK at a time, each `rtt / (cwnd in segments)` after the last, HyStart++ shown the
    /// ACK first. Returns the next ACK number and the time.
    fn ack_clock(
        cc: &mut CongestionControl,
        acks: u32,
        rtt: Duration,
        (mut ack, mut now): (u32, Instant),
    ) -> (u32, Instant) {
        for _ in 0..acks {
            now += rtt / (cc.cwnd() / 1000).max(1);
            ack += 1000;
            cc.on_ack_sample(SeqNum::new(ack), SeqNum::new(ack + cc.cwnd()), Some(rtt));
            cc.on_ack(1000, cc.cwnd(), now, Some(rtt));
        }
        (ack, now)
    }

    /// RFC 9406: with a steady 100 ms RTT, slow start doubles per round and never ends by
    /// itself; when the RTT rises to 120 ms it turns conservative (+250 bytes per ACK, a
    /// quarter of slow start's 1000) and then ends with `ssthresh = cwnd`, no loss needed.
    #[test]
    fn rfc9406_hystart_ends_slow_start_on_a_rising_rtt() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::Cubic, 1000, Instant::ZERO);
        let mut at = ack_clock(&mut cc, 30, ms(100), (0, Instant::ZERO));
        assert_eq!(cc.cwnd(), 40_000, "10 + 30 ACKs of slow start");
        assert_eq!(cc.hystart_phase(), hystart::Phase::SlowStart);
        let mut css_growth = None;
        let mut before = (0, hystart::Phase::SlowStart);
        for _ in 0..2000 {
            before = (cc.cwnd(), cc.hystart_phase());
            at = ack_clock(&mut cc, 1, ms(120), at);
            if matches!(before.1, hystart::Phase::Css { .. })
                && matches!(cc.hystart_phase(), hystart::Phase::Css { .. })
            {
                css_growth = Some(cc.cwnd() - before.0);
            }
            if cc.ssthresh() != u32::MAX {
                break;
            }
        }
        assert_eq!(css_growth, Some(250));
        assert_eq!(cc.hystart_phase(), hystart::Phase::Done);
        assert_eq!(
            cc.ssthresh(),
            before.0,
            "slow start ended without a loss at the window of that ACK"
        );
    }

    /// RFC 9406 4.2: a loss in CSS ends HyStart++ with the algorithm's own reduction, the
    /// same as for a controller at the same window that never saw the RTT rise; and the
    /// slow start after a timeout (below ssthresh) is plain slow start whatever the RTT.
    #[test]
    fn rfc9406_a_loss_in_css_gets_the_algorithms_own_reduction() {
        for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
            let mut css = CongestionControl::new(alg, 1000, Instant::ZERO);
            let at = ack_clock(&mut css, 30, ms(100), (0, Instant::ZERO));
            let mut at = ack_clock(&mut css, 12, ms(120), at);
            assert!(matches!(css.hystart_phase(), hystart::Phase::Css { .. }));
            let mut plain = CongestionControl::new(alg, 1000, Instant::ZERO);
            plain.set_cwnd(css.cwnd());
            let flight = css.cwnd();
            css.on_congestion_event(flight, at.1);
            plain.on_congestion_event(flight, at.1);
            assert_eq!(css.hystart_phase(), hystart::Phase::Done, "{alg:?}");
            assert_eq!(
                (css.cwnd(), css.ssthresh()),
                (plain.cwnd(), plain.ssthresh())
            );
            css.on_rto(css.cwnd(), at.1);
            plain.on_rto(plain.cwnd(), at.1);
            let mut plain_at = at;
            for _ in 0..5 {
                at = ack_clock(&mut css, 1, ms(150), at);
                plain_at = ack_clock(&mut plain, 1, ms(100), plain_at);
            }
            assert_eq!(
                css.cwnd(),
                6_000,
                "{alg:?}: five ACKs of slow start from 1 MSS"
            );
            assert_eq!(css.cwnd(), plain.cwnd());
        }
    }

    #[test]
    fn rfc9406_hystart_keeps_slow_start_while_the_rtt_is_steady() {
        let mut cc = CongestionControl::new(CongestionAlgorithm::NewReno, 1000, Instant::ZERO);
        ack_clock(&mut cc, 150, ms(100), (0, Instant::ZERO));
        assert_eq!(cc.cwnd(), 160_000);
        assert_eq!(cc.ssthresh(), u32::MAX);
    }

    /// RFC 7661: a sender that has one 1000-byte segment acknowledged per 100 ms RTT with a
    /// 10,000-byte window is rate-limited: after the first pipeACK sample (2000 bytes, under
    /// half the window) the window stops growing; plain slow start would reach 60,000.
    #[test]
    fn rfc7661_rate_limited_sender_window_does_not_grow() {
        for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
            let mut cc = CongestionControl::new(alg, 1000, Instant::ZERO);
            for i in 0..50u64 {
                let now = Instant::ZERO + ms(100 * i);
                cc.on_ack(1000, 1000, now, Some(ms(100)));
            }
            assert_eq!(
                cc.cwnd(),
                11_000,
                "{alg:?}: only the ACK before the first sample"
            );
            assert!(cc.non_validated());
        }
    }

    /// A NewReno sender with a 20,000-byte window that had `per_ack` bytes acknowledged
    /// at 0, 50 and 100 ms (SRTT 100 ms): pipeACK is 3 * `per_ack`.
    fn rate_limited(per_ack: u32) -> CongestionControl {
        let mut cc = CongestionControl::new(CongestionAlgorithm::NewReno, 1000, Instant::ZERO);
        cc.set_cwnd(20_000);
        for t in [0, 50, 100] {
            cc.on_ack(per_ack, per_ack, Instant::ZERO + ms(t), Some(ms(100)));
        }
        cc
    }

    /// RFC 7661, response to losses during the NVP: recovery ends at
    /// `(max(pipeACK, LossFlightSize) - R) / 2`, with ssthresh there, and the window is
    /// validated afresh. Outside the NVP the usual `cwnd = ssthresh` (half the flight).
    #[test]
    fn rfc7661_a_loss_in_the_nvp_ends_recovery_from_pipeack_or_the_flight_less_the_lost() {
        // pipeACK 3,000 < 10,000: non-validated. Flight 8,000 > pipeACK, R 2,000.
        let mut cc = rate_limited(1000);
        assert!(cc.non_validated());
        cc.on_congestion_event(8_000, Instant::ZERO + ms(150));
        cc.on_recovery_end(Instant::ZERO + ms(250), 2_000);
        assert_eq!((cc.cwnd(), cc.ssthresh()), (3_000, 3_000));
        assert!(!cc.non_validated());

        // pipeACK 6,000 above a flight of 4,000: pipeACK is the base. R 1,000.
        let mut cc = rate_limited(2000);
        assert!(cc.non_validated());
        cc.on_congestion_event(4_000, Instant::ZERO + ms(150));
        cc.on_recovery_end(Instant::ZERO + ms(250), 1_000);
        assert_eq!((cc.cwnd(), cc.ssthresh()), (2_500, 2_500));

        // Everything in flight lost: one segment, never an empty window.
        let mut cc = rate_limited(1000);
        cc.on_congestion_event(2_000, Instant::ZERO + ms(150));
        cc.on_recovery_end(Instant::ZERO + ms(250), 5_000);
        assert_eq!(cc.cwnd(), 1_000);

        // A validated sender (pipeACK 21,000 of 20,000) ends at NewReno's ssthresh.
        let mut cc = rate_limited(7000);
        assert!(!cc.non_validated());
        cc.on_congestion_event(8_000, Instant::ZERO + ms(150));
        cc.on_recovery_end(Instant::ZERO + ms(250), 2_000);
        assert_eq!((cc.cwnd(), cc.ssthresh()), (4_000, 4_000));
    }

    /// A timeout in the NVP: slow start from one segment grows on the very first ACK, as
    /// for a validated sender (the old NVP's pipeACK, far under half the old window, would
    /// otherwise call the first sample non-validated).
    #[test]
    fn rfc7661_a_timeout_in_the_nvp_is_followed_by_plain_slow_start() {
        let mut cc = rate_limited(1000);
        assert!(cc.non_validated());
        cc.on_rto(20_000, Instant::ZERO + ms(150));
        assert!(!cc.non_validated());
        assert_eq!(cc.cwnd(), 1_000);
        cc.on_ack(1000, 1000, Instant::ZERO + ms(250), Some(ms(100)));
        assert_eq!(cc.cwnd(), 2_000, "slow start from one segment");
        cc.on_ack(2000, 2000, Instant::ZERO + ms(350), Some(ms(100)));
        assert_eq!(cc.cwnd(), 4_000);
    }

    /// RFC 7661 keeps the window through a pause (RFC 5681 4.1 would restart from IW after
    /// an RTO of idleness); the pause counts as non-validated time, and each five minutes
    /// of it halve the window (down to IW) before sending resumes.
    #[test]
    fn rfc7661_a_pause_keeps_the_window_until_the_nvp_ends() {
        for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
            let mut cc = CongestionControl::new(alg, 1000, Instant::ZERO);
            // Validated, last ACK at 1 s.
            cc.on_ack(1000, 10_000, Instant::ZERO + ms(1000), Some(ms(100)));
            cc.set_cwnd(80_000);
            assert!(!cc.non_validated());
            let at = |s: u64| Instant::ZERO + ms(1000) + Duration::from_secs(s);
            cc.on_send_resume(at(2));
            assert_eq!(cc.cwnd(), 80_000, "{alg:?}: a short pause keeps the window");
            assert!(cc.non_validated(), "longer than the sampling period");
            cc.on_send_resume(at(299));
            assert_eq!(cc.cwnd(), 80_000);
            cc.on_send_resume(at(300));
            assert_eq!(cc.cwnd(), 40_000, "{alg:?}: one NVP since the last ACK");
            assert_eq!(cc.ssthresh(), u32::MAX, "max(ssthresh, 3/4 cwnd)");
            // Two more whole NVPs by 15 min: 20,000 then IW (10,000).
            cc.on_send_resume(at(900));
            assert_eq!(cc.cwnd(), 10_000);
        }
        // ssthresh below 3/4 cwnd rises to it.
        let mut cc = CongestionControl::new(CongestionAlgorithm::NewReno, 1000, Instant::ZERO);
        cc.on_ack(1000, 10_000, Instant::ZERO, Some(ms(100)));
        cc.set_cwnd(40_000);
        cc.window.ssthresh = 20_000;
        cc.on_send_resume(Instant::ZERO + Duration::from_secs(301));
        assert_eq!((cc.cwnd(), cc.ssthresh()), (20_000, 30_000));
    }
}
