//! NewReno window rules: RFC 5681 slow start and congestion avoidance (with RFC 3465 byte
//! counting) and the RFC 5681 / RFC 6582 reduction on loss.
//!
//! RFC 6582's recover point, partial ACKs and the "one retransmission per partial ACK" rule
//! are sender bookkeeping and live in the loss-recovery module; RFC 5681's window inflation
//! by one MSS per duplicate ACK is replaced by PRR (RFC 6937), which paces recovery the same
//! way for every algorithm.

use super::Window;

/// Growth outside recovery: slow start below ssthresh, congestion avoidance at or above it
/// (RFC 5681 3.1: either may be used when equal; we use congestion avoidance, as Linux).
pub(super) fn on_ack(window: &mut Window, newly_acked: u32) {
    if window.in_slow_start() {
        window.slow_start(newly_acked);
    } else {
        window.congestion_avoidance(newly_acked);
    }
}

/// RFC 5681 3.2 step 2 (equation 4) and RFC 6582 3.2 step 2: `ssthresh = max(FlightSize/2,
/// 2*SMSS)`, then cwnd = ssthresh (PRR brings the flight down to it gradually).
pub(super) fn on_congestion_event(window: &mut Window, in_flight: u32) {
    window.ssthresh = window.half_flight(in_flight);
    window.cwnd = window.ssthresh;
    window.bytes_acked = 0;
}

#[cfg(test)]
mod tests {
    use crate::tcp::cc::{CongestionAlgorithm, CongestionControl};
    use crate::time::Instant;

    fn reno(mss: u32) -> CongestionControl {
        CongestionControl::new(CongestionAlgorithm::NewReno, mss, Instant::ZERO)
    }

    #[test]
    fn rfc5681_3_1_slow_start_adds_the_acked_bytes() {
        let mut cc = reno(1000);
        assert_eq!(cc.cwnd(), 10_000);
        cc.on_ack(1_000, 10_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 11_000);
        cc.on_ack(500, 10_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 11_500);
    }

    #[test]
    fn rfc3465_abc_limits_slow_start_to_two_segments_per_ack() {
        let mut cc = reno(1000);
        // A stretch ACK of 5 segments grows cwnd by L = 2 segments only.
        cc.on_ack(5_000, 10_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 12_000);
    }

    #[test]
    fn rfc3465_congestion_avoidance_adds_one_mss_per_window_acked() {
        let mut cc = reno(1000);
        cc.on_congestion_event(20_000, Instant::ZERO);
        cc.on_recovery_end(Instant::ZERO, 0);
        assert_eq!(cc.cwnd(), 10_000);
        assert_eq!(cc.ssthresh(), 10_000);
        for _ in 0..9 {
            cc.on_ack(1_000, 10_000, Instant::ZERO, None);
        }
        assert_eq!(
            cc.cwnd(),
            10_000,
            "9 000 of 10 000 bytes acked: no growth yet"
        );
        cc.on_ack(1_000, 10_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 11_000);
        // The next increment needs a full 11 000 bytes.
        for _ in 0..10 {
            cc.on_ack(1_000, 11_000, Instant::ZERO, None);
        }
        assert_eq!(cc.cwnd(), 11_000);
        cc.on_ack(1_000, 11_000, Instant::ZERO, None);
        assert_eq!(cc.cwnd(), 12_000);
    }

    #[test]
    fn rfc5681_equation_4_halves_the_flight_with_a_two_segment_floor() {
        let mut cc = reno(1000);
        cc.on_congestion_event(15_000, Instant::ZERO);
        assert_eq!(cc.ssthresh(), 7_500);
        assert_eq!(cc.cwnd(), 7_500);
        let mut small = reno(1000);
        small.on_congestion_event(3_000, Instant::ZERO);
        assert_eq!(small.ssthresh(), 2_000);
    }

    #[test]
    fn rfc6582_recovery_end_sets_cwnd_to_ssthresh() {
        let mut cc = reno(1000);
        cc.on_congestion_event(30_000, Instant::ZERO);
        cc.set_cwnd(4_000); // PRR drained the window below ssthresh
        cc.on_recovery_end(Instant::ZERO, 0);
        assert_eq!(cc.cwnd(), 15_000);
    }
}
