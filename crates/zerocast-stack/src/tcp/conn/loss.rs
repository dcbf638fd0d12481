//! The seam between a connection and its retransmission timing, loss recovery and
//! congestion control: [`RttEstimator`] (RFC 6298) and [`LossRecovery`] (RFC 6675 SACK
//! scoreboard, RFC 8985 RACK-TLP, RFC 6937 PRR, NewReno without SACK, undo, and CUBIC or
//! NewReno congestion control). The connection talks to them only through this type.

use crate::tcp::cc::CongestionAlgorithm;
use crate::tcp::config::TcpConfig;
use crate::tcp::recovery::{AckInfo, AckOutcome, LossRecovery, RecoveryTimer, TimerAction};
use crate::tcp::rtt::RttEstimator;
use crate::tcp::SeqNum;
use crate::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub(crate) struct LossControl {
    rtt: RttEstimator,
    recovery: LossRecovery,
}

impl LossControl {
    pub(crate) fn new(
        alg: CongestionAlgorithm,
        mss: u32,
        config: &TcpConfig,
        now: Instant,
    ) -> Self {
        LossControl {
            rtt: RttEstimator::new(config.min_rto, config.max_rto, config.initial_rto),
            recovery: LossRecovery::new(alg, mss, false, now),
        }
    }

    /// The handshake settled the MSS and whether SACK is used.
    pub(crate) fn configure(&mut self, mss: u32, sack: bool) {
        self.recovery.set_mss(mss);
        self.recovery.set_sack(sack);
    }

    pub(crate) fn set_mss(&mut self, mss: u32) {
        self.recovery.set_mss(mss);
    }

    pub(crate) fn set_algorithm(&mut self, alg: CongestionAlgorithm) {
        self.recovery.set_algorithm(alg);
    }

    /// Loss recovery and congestion control (scenario tests read the window).
    #[cfg(test)]
    pub(crate) fn recovery(&self) -> &LossRecovery {
        &self.recovery
    }

    /// The current RTO (before the connection's backoff).
    pub(crate) fn rto(&self) -> Duration {
        self.rtt.rto()
    }

    /// [`LossControl::rto`] in nanoseconds.
    pub(crate) fn rto_nanos(&self) -> u64 {
        self.rtt.rto_nanos()
    }

    /// SRTT in nanoseconds, once there has been a sample.
    pub(crate) fn srtt_nanos(&self) -> Option<u64> {
        self.rtt.srtt_nanos()
    }

    /// Bytes that may enter the network now.
    pub(crate) fn send_quota(&self) -> u32 {
        self.recovery.send_quota()
    }

    /// The next lost range to resend, lowest first.
    pub(crate) fn next_retransmission(&mut self) -> Option<(SeqNum, u32)> {
        self.recovery.next_retransmission()
    }

    /// What a tail loss probe resends when no new data can go.
    pub(crate) fn probe_retransmission(&self) -> Option<(SeqNum, u32)> {
        self.recovery.probe_retransmission()
    }

    /// `len` sequence numbers from `start` were sent (SYN and FIN count one).
    pub(crate) fn on_transmit(
        &mut self,
        start: SeqNum,
        len: u32,
        now: Instant,
        retransmission: bool,
    ) {
        self.recovery.on_transmit(start, len, now, retransmission);
    }

    /// An RTT measured outside an ACK of data (the handshake's timestamps), at `now`.
    pub(crate) fn on_rtt_sample(&mut self, rtt: Duration, now: Instant) {
        self.rtt.on_sample(rtt, now);
    }

    /// An acceptable ACK; its RTT sample (Karn-safe, or from timestamps) feeds the RTO.
    pub(crate) fn on_ack(&mut self, info: &AckInfo<'_>) -> AckOutcome {
        let outcome = self.recovery.on_ack(info, &self.rtt);
        if let Some(sample) = outcome.rtt_sample {
            self.rtt.on_sample(sample, info.now);
        }
        outcome
    }

    /// `start..end` was dropped for its size (the path MTU fell): lost, to be resent at
    /// the new MSS, with no congestion response. Returns the bytes newly marked.
    pub(crate) fn mark_lost(&mut self, start: SeqNum, end: SeqNum) -> u32 {
        self.recovery.mark_lost_for_mtu(start, end)
    }

    /// The retransmission timer fired: everything outstanding counts as lost.
    pub(crate) fn on_rto(&mut self, now: Instant) {
        self.recovery.on_rto(now);
    }

    /// The earliest recovery timer (RACK reordering, tail loss probe).
    pub(crate) fn timer(&self) -> Option<(Instant, RecoveryTimer)> {
        self.recovery.timer()
    }

    /// Whether a recovery timer moved since the last call (clears the flag).
    pub(crate) fn take_timers_changed(&mut self) -> bool {
        self.recovery.take_timers_changed()
    }

    pub(crate) fn on_timer(&mut self, kind: RecoveryTimer, now: Instant) -> TimerAction {
        self.recovery.on_timer(kind, now, &self.rtt)
    }
}
