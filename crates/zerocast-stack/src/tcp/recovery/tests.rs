//! Named scenarios for the whole of loss recovery: a sender's transmissions and the ACKs
//! that come back, with exact sequence numbers, windows and timer values.

use super::*;
use alloc::vec::Vec;

const MSS: u32 = 1000;

fn s(n: u32) -> SeqNum {
    SeqNum::new(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn at(n: u64) -> Instant {
    Instant::from_nanos(n * 1_000_000)
}

/// A sender with its RTT estimator, as a connection would hold them.
struct Sender {
    lr: LossRecovery,
    rtt: RttEstimator,
}

impl Sender {
    fn new(alg: CongestionAlgorithm, sack: bool) -> Self {
        Sender {
            lr: LossRecovery::new(alg, MSS, sack, Instant::ZERO),
            rtt: RttEstimator::with_defaults(),
        }
    }

    /// With a known RTT of `rtt_ms` (SRTT = min RTT = that).
    fn with_rtt(alg: CongestionAlgorithm, sack: bool, rtt_ms: u64) -> Self {
        let mut me = Self::new(alg, sack);
        me.rtt.on_sample(ms(rtt_ms), Instant::ZERO);
        me
    }

    /// Sends segments `first..first+n` (of MSS bytes from 0) at `now`.
    fn send(&mut self, first: u32, n: u32, now: Instant) {
        for i in first..first + n {
            self.lr.on_transmit(s(i * MSS), MSS, now, false);
        }
    }

    fn ack(&mut self, ack: u32, sack: &[(u32, u32)], now: Instant) -> AckOutcome {
        self.ack_full(ack, sack, now, None, false)
    }

    fn ack_full(
        &mut self,
        ack: u32,
        sack: &[(u32, u32)],
        now: Instant,
        ts_rtt: Option<Duration>,
        window_update_only: bool,
    ) -> AckOutcome {
        let blocks: Vec<(SeqNum, SeqNum)> = sack.iter().map(|&(a, b)| (s(a), s(b))).collect();
        let info = AckInfo {
            ack: s(ack),
            sack: &blocks,
            snd_nxt: self.lr.board.high_data(),
            now,
            ts_rtt,
            window_update_only,
        };
        let out = self.lr.on_ack(&info, &self.rtt);
        if let Some(sample) = out.rtt_sample {
            self.rtt.on_sample(sample, now);
        }
        self.lr.board.check_invariants();
        out
    }
}

#[test]
fn rfc6928_iw10_limits_the_first_flight() {
    let mut tx = Sender::new(CongestionAlgorithm::Cubic, true);
    assert_eq!(tx.lr.send_quota(), 10_000);
    tx.send(0, 10, at(0));
    assert_eq!(tx.lr.send_quota(), 0);
    assert_eq!(tx.lr.pipe(), 10_000);
    assert_eq!(tx.lr.outstanding(), 10_000);
}

#[test]
fn rfc5681_slow_start_grows_with_abc_per_ack() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, true);
    tx.send(0, 10, at(0));
    let out = tx.ack(2000, &[], at(100));
    assert_eq!(out.newly_acked, 2000);
    assert_eq!(out.rtt_sample, Some(ms(100)));
    assert_eq!(tx.lr.cwnd(), 12_000);
    // 12 000 cwnd - 8 000 in flight
    assert_eq!(tx.lr.send_quota(), 4_000);
}

#[test]
fn rfc6298_3_karn_no_sample_from_a_retransmitted_segment() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 1, at(0));
    tx.lr.on_rto(at(1000));
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    let out = tx.ack(1000, &[], at(1100));
    assert_eq!(out.newly_acked, 1000);
    assert_eq!(
        out.rtt_sample, None,
        "ambiguous: original or retransmission?"
    );
}

#[test]
fn rfc7323_timestamps_give_a_sample_even_for_retransmissions() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 1, at(0));
    tx.lr.on_rto(at(1000));
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    // TSecr echoes the retransmission (sent 1000 ms): 100 ms.
    let out = tx.ack_full(1000, &[], at(1100), Some(ms(100)), false);
    assert_eq!(out.rtt_sample, Some(ms(100)));
    assert!(!out.spurious_undo);
}

#[test]
fn rfc3042_limited_transmit_sends_one_new_segment_per_first_two_dupacks() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 10, at(0)); // segment 0 will be lost
    assert_eq!(tx.lr.send_quota(), 0);
    tx.ack(0, &[], at(100));
    assert_eq!(tx.lr.send_quota(), 1000, "first dupACK");
    tx.send(10, 1, at(100));
    assert_eq!(tx.lr.send_quota(), 0);
    tx.ack(0, &[], at(101));
    assert_eq!(tx.lr.send_quota(), 1000, "second dupACK");
    tx.send(11, 1, at(101));
    assert_eq!(tx.lr.send_quota(), 0);
    assert!(!tx.lr.in_recovery());
}

#[test]
fn a_window_update_is_not_a_duplicate_ack() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 10, at(0));
    for i in 0..5 {
        tx.ack_full(0, &[], at(100 + i), None, true);
    }
    assert!(!tx.lr.in_recovery());
    assert_eq!(tx.lr.send_quota(), 0);
}

/// NewReno without SACK: 10 segments, segment 0 lost, two limited-transmit segments.
fn newreno_after_three_dupacks() -> Sender {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 10, at(0));
    tx.ack(0, &[], at(100));
    tx.send(10, 1, at(100));
    tx.ack(0, &[], at(101));
    tx.send(11, 1, at(101));
    let out = tx.ack(0, &[], at(102));
    assert!(out.lost_detected);
    tx
}

#[test]
fn rfc5681_3_2_third_dupack_starts_fast_retransmit_with_half_the_flight() {
    let mut tx = newreno_after_three_dupacks();
    assert!(tx.lr.in_recovery());
    // FlightSize 12 000 with the two limited-transmit segments, capped at cwnd 10 000:
    // ssthresh 5 000 (the limited-transmit segments do not raise it).
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000);
    assert_eq!(tx.lr.next_retransmission(), Some((s(0), 1000)));
    // PRR lets the fast retransmit go at once.
    assert_eq!(tx.lr.send_quota(), 1000);
    tx.lr.on_transmit(s(0), MSS, at(102), true);
    assert_eq!(tx.lr.next_retransmission(), None);
    assert_eq!(tx.lr.send_quota(), 0);
}

#[test]
fn rfc6937_prr_drains_the_flight_to_ssthresh_then_sends_one_segment_per_ack() {
    let mut tx = newreno_after_three_dupacks();
    tx.lr.on_transmit(s(0), MSS, at(102), true);
    // RecoverFS 12 000, ssthresh 5 000, pipe 8 000 after the fast retransmit. The
    // proportional part allows 5/12 of what is delivered minus the retransmission: nothing
    // for the next three dupACKs (834, 1 250 and 1 667 bytes less 1 000), while pipe falls
    // to 5 000. From there PRR-SSRB holds pipe at ssthresh: one segment per dupACK.
    let mut sent = Vec::new();
    let mut next = 12;
    for i in 0..6 {
        tx.ack(0, &[], at(103 + i));
        let mut n = 0;
        while tx.lr.send_quota() >= MSS {
            tx.send(next, 1, at(103 + i));
            next += 1;
            n += 1;
        }
        sent.push(n);
    }
    assert_eq!(sent, [0, 0, 0, 0, 1, 1]);
    assert_eq!(tx.lr.pipe(), 5_000);
}

#[test]
fn rfc6582_partial_ack_retransmits_the_next_hole_and_full_ack_ends_recovery() {
    let mut tx = newreno_after_three_dupacks();
    tx.lr.on_transmit(s(0), MSS, at(102), true);
    // Segments 0..3 arrive, segment 3 was lost too: a partial ACK (recover = 12 000).
    let out = tx.ack(3000, &[], at(200));
    assert_eq!(out.newly_acked, 3000);
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.next_retransmission(), Some((s(3000), 1000)));
    tx.lr.on_transmit(s(3000), MSS, at(200), true);
    // The full ACK covers the recovery point.
    tx.ack(12_000, &[], at(300));
    assert!(!tx.lr.in_recovery());
    assert_eq!(tx.lr.cwnd(), 5_000, "RFC 6582 3.2 step 3: cwnd = ssthresh");
}

#[test]
fn rfc6582_no_second_fast_retransmit_before_recover_is_acked() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 10, at(0));
    tx.lr.on_rto(at(1000));
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    tx.ack(1000, &[], at(1100));
    tx.lr.on_transmit(s(1000), MSS, at(1100), true);
    tx.lr.on_transmit(s(2000), MSS, at(1100), true);
    // Duplicates of segments the receiver already had trigger dupACKs at 3000.
    tx.ack(3000, &[], at(1200));
    for i in 0..4 {
        tx.ack(3000, &[], at(1201 + i));
    }
    assert!(tx.lr.in_recovery(), "still the RTO episode");
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000, "no second reduction");
}

#[test]
fn rfc8985_rack_marks_a_hole_after_a_quarter_min_rtt_of_reordering_window() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::Cubic, true, 100);
    tx.send(0, 10, at(0));
    // Segment 0 is missing; segment 1 SACKed at 100 ms.
    let out = tx.ack(0, &[(1000, 2000)], at(100));
    assert!(!out.lost_detected);
    // reo_wnd = min_RTT / 4 = 25 ms after RACK.rtt = 100 ms from the send at 0.
    assert_eq!(tx.lr.timer(), Some((at(125), RecoveryTimer::RackReorder)));
    assert_eq!(
        tx.lr.on_timer(RecoveryTimer::RackReorder, at(125), &tx.rtt),
        TimerAction::LossesMarked
    );
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.next_retransmission(), Some((s(0), 1000)));
    assert_eq!(
        tx.lr.congestion().ssthresh(),
        7_000,
        "CUBIC beta 0.7 of 10 000"
    );
}

#[test]
fn rfc8985_three_sacked_segments_mark_the_hole_at_once() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::Cubic, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(0, &[(1000, 2000)], at(100));
    tx.ack(0, &[(1000, 3000)], at(100));
    let out = tx.ack(0, &[(1000, 4000)], at(100));
    assert!(out.lost_detected, "DupThresh SACKed segments: reo_wnd 0");
    assert_eq!(tx.lr.next_retransmission(), Some((s(0), 1000)));
    assert_eq!(
        tx.lr.next_segment(true),
        Some(NextSeg::Retransmit(s(0), 1000))
    );
}

#[test]
fn rfc6675_sack_recovery_retransmits_every_hole_then_exits() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.send(0, 10, at(0));
    // Segments 0 and 4 lost.
    tx.ack(0, &[(1000, 4000)], at(100));
    let out = tx.ack(0, &[(5000, 10_000), (1000, 4000)], at(100));
    assert!(out.lost_detected);
    assert_eq!(tx.lr.pipe(), 0, "8 SACKed, 2 lost");
    let mut retransmitted = Vec::new();
    while let Some((seq, len)) = tx.lr.next_retransmission() {
        assert!(tx.lr.send_quota() >= len);
        tx.lr.on_transmit(seq, len, at(100), true);
        retransmitted.push(seq.get());
    }
    assert_eq!(retransmitted, [0, 4000]);
    tx.ack(4000, &[(5000, 10_000)], at(200));
    assert!(tx.lr.in_recovery());
    tx.ack(10_000, &[], at(200));
    assert!(!tx.lr.in_recovery());
    assert_eq!(tx.lr.cwnd(), 5_000);
}

#[test]
fn rfc2883_dsack_of_the_retransmission_undoes_the_reduction() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(0, &[(1000, 4000)], at(100));
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.congestion().cwnd(), 5_000);
    tx.lr.on_transmit(s(0), MSS, at(100), true);
    // The original was only delayed: everything is acked, then the retransmission comes
    // back as a D-SACK below the cumulative ACK.
    let out = tx.ack(10_000, &[(0, 1000)], at(150));
    assert!(out.dsack);
    assert!(out.spurious_undo);
    assert!(!tx.lr.in_recovery());
    assert_eq!(tx.lr.congestion().ssthresh(), u32::MAX);
    // cwnd back to 10 000; the ACK that ended fast recovery adds no growth.
    assert_eq!(tx.lr.cwnd(), 10_000);
}

#[test]
fn rfc2883_dsack_inside_the_second_block_is_recognised() {
    let blocks = [(s(3000), s(4000)), (s(2000), s(6000))];
    assert_eq!(
        split_dsack(s(1000), &blocks),
        (Some((s(3000), s(4000))), &blocks[1..])
    );
    let normal = [(s(3000), s(4000)), (s(6000), s(7000))];
    assert_eq!(split_dsack(s(1000), &normal), (None, &normal[..]));
    let below = [(s(0), s(500))];
    assert_eq!(
        split_dsack(s(1000), &below),
        (Some((s(0), s(500))), &below[1..])
    );
    assert_eq!(split_dsack(s(1000), &[]), (None, &[][..]));
}

#[test]
fn rfc8985_dsack_widens_the_reordering_window() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(10_000, &[(0, 1000)], at(100));
    assert_eq!(tx.lr.rack.reo_wnd_mult, 2);
}

#[test]
fn rfc3522_eifel_undoes_a_spurious_rto() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, false, 100);
    tx.send(0, 10, at(0));
    tx.lr.on_rto(at(1000));
    assert_eq!(tx.lr.cwnd(), 1000);
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    // The ACK echoes the original's timestamp (sent at 0 ms, 1050 ms ago): spurious.
    let out = tx.ack_full(10_000, &[], at(1050), Some(ms(1050)), false);
    assert!(out.spurious_undo);
    assert!(!tx.lr.in_recovery());
    // 10 000 restored, + 2 MSS slow start for the ACK.
    assert_eq!(tx.lr.cwnd(), 12_000);
    assert_eq!(tx.lr.next_retransmission(), None);
}

#[test]
fn rfc3522_eifel_keeps_the_reduction_when_the_retransmission_was_needed() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, false, 100);
    tx.send(0, 10, at(0));
    tx.lr.on_rto(at(1000));
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    // The echo is of the retransmission (sent at 1000 ms).
    let out = tx.ack_full(1000, &[], at(1100), Some(ms(100)), false);
    assert!(!out.spurious_undo);
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000);
}

#[test]
fn rfc6298_5_rto_marks_everything_lost_with_a_one_segment_window() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::Cubic, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(0, &[(5000, 6000)], at(100));
    tx.lr.on_rto(at(300));
    assert_eq!(tx.lr.cwnd(), 1000);
    assert_eq!(tx.lr.congestion().ssthresh(), 7_000);
    assert_eq!(tx.lr.pipe(), 0);
    assert_eq!(tx.lr.send_quota(), 1000);
    assert_eq!(tx.lr.next_retransmission(), Some((s(0), 1000)));
    tx.lr.on_transmit(s(0), MSS, at(300), true);
    assert_eq!(tx.lr.send_quota(), 0);
    // Slow start from the loss window as ACKs return.
    tx.ack(1000, &[(5000, 6000)], at(400));
    assert_eq!(tx.lr.cwnd(), 2000);
    assert_eq!(tx.lr.next_retransmission(), Some((s(1000), 1000)));
}

#[test]
fn rfc8985_7_2_pto_is_two_srtt() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.ack(0, &[], at(0)); // caches SRTT
    tx.send(0, 10, at(0));
    assert_eq!(tx.lr.timer(), Some((at(200), RecoveryTimer::TailLossProbe)));
}

#[test]
fn rfc8985_7_2_pto_adds_the_delayed_ack_time_for_one_segment() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, true);
    // A 1 s minimum RTO, so the RTO does not cap the PTO.
    tx.rtt = RttEstimator::new(ms(1000), ms(60_000), ms(1000));
    tx.rtt.on_sample(ms(100), Instant::ZERO);
    tx.ack(0, &[], at(0));
    tx.send(0, 1, at(0));
    assert_eq!(tx.lr.timer(), Some((at(400), RecoveryTimer::TailLossProbe)));
}

#[test]
fn rfc8985_7_2_pto_is_one_second_without_rtt_and_never_beyond_the_rto() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, true);
    tx.send(0, 10, at(0));
    assert_eq!(
        tx.lr.timer(),
        Some((at(1000), RecoveryTimer::TailLossProbe))
    );
    // SRTT 400 ms: 2 SRTT = 800 ms, but the RTO is 400 + 4 * 200 = 1200 ms: 800 ms.
    let mut slow = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 400);
    slow.rtt = RttEstimator::new(ms(200), ms(600), ms(1000));
    slow.rtt.on_sample(ms(400), Instant::ZERO);
    slow.ack(0, &[], at(0));
    slow.send(0, 10, at(0));
    assert_eq!(
        slow.lr.timer(),
        Some((at(600), RecoveryTimer::TailLossProbe)),
        "capped at max RTO 600"
    );
}

#[test]
fn rfc8985_7_no_probe_without_sack() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, false, 100);
    tx.ack(0, &[], at(0));
    tx.send(0, 10, at(0));
    assert_eq!(tx.lr.timer(), None);
}

/// Ten segments sent at 0 ms, the first five acknowledged at 100 ms, the tail lost.
fn tail_loss() -> Sender {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(5000, &[], at(100));
    assert_eq!(tx.lr.cwnd(), 12_000);
    // PTO re-armed from the ACK: 100 + 2 * SRTT (100 ms).
    assert_eq!(tx.lr.timer(), Some((at(300), RecoveryTimer::TailLossProbe)));
    assert_eq!(
        tx.lr
            .on_timer(RecoveryTimer::TailLossProbe, at(300), &tx.rtt),
        TimerAction::ProbeNewDataOrRetransmitLast
    );
    assert_eq!(tx.lr.probe_retransmission(), Some((s(9000), 1000)));
    tx.lr.on_transmit(s(9000), MSS, at(300), true);
    assert_eq!(tx.lr.timer(), None, "one probe per episode");
    tx
}

#[test]
fn rfc8985_7_4_a_probe_that_repaired_a_loss_reduces_the_window() {
    let mut tx = tail_loss();
    // The probe's ACK covers everything without D-SACK: the tail was really lost.
    tx.ack(10_000, &[], at(400));
    assert_eq!(tx.lr.congestion().ssthresh(), 6_000, "half of cwnd 12 000");
    assert_eq!(tx.lr.cwnd(), 6_000);
    assert!(!tx.lr.in_recovery());
}

#[test]
fn rfc8985_7_4_a_probe_reported_by_dsack_changes_nothing() {
    let mut tx = tail_loss();
    let out = tx.ack(10_000, &[(9000, 10_000)], at(400));
    assert!(out.dsack);
    assert_eq!(tx.lr.congestion().ssthresh(), u32::MAX);
    assert!(tx.lr.cwnd() >= 12_000);
}

#[test]
fn rfc8985_7_3_a_probe_of_new_data_is_not_a_retransmission() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    tx.send(0, 10, at(0));
    tx.ack(5000, &[], at(100));
    tx.lr
        .on_timer(RecoveryTimer::TailLossProbe, at(300), &tx.rtt);
    tx.send(10, 1, at(300));
    // Its ACK without D-SACK is no evidence of loss.
    tx.ack(11_000, &[], at(400));
    assert_eq!(tx.lr.congestion().ssthresh(), u32::MAX);
}

#[test]
fn switching_mss_and_algorithm() {
    let mut tx = Sender::new(CongestionAlgorithm::Cubic, true);
    tx.lr.set_mss(500);
    assert_eq!(tx.lr.cwnd(), 5_000);
    tx.lr.set_algorithm(CongestionAlgorithm::NewReno);
    assert_eq!(
        tx.lr.congestion().algorithm_kind(),
        CongestionAlgorithm::NewReno
    );
}

#[test]
fn syn_and_fin_count_as_one_sequence_number() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, true);
    tx.lr.on_transmit(s(999), 1, at(0), false); // SYN at ISS 999
    let out = tx.ack(1000, &[], at(50));
    assert_eq!(out.newly_acked, 1);
    assert_eq!(out.rtt_sample, Some(ms(50)));
    tx.send(1, 2, at(50)); // data 1000..3000
    tx.lr.on_transmit(s(3000), 1, at(50), false); // FIN
    assert_eq!(tx.lr.outstanding(), 2001);
}

#[test]
fn rfc5681_3_1_a_repeated_timeout_of_one_segment_keeps_ssthresh() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 10, at(0));
    tx.lr.on_rto(at(1000));
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000);
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    // The retransmission is lost too: flight is now 1 MSS by RFC 5681's equation, but
    // ssthresh stays.
    tx.lr.on_rto(at(3000));
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000);
    assert_eq!(tx.lr.cwnd(), 1_000);
    // After progress, a new timeout computes ssthresh afresh: FlightSize 9 000 capped at
    // cwnd 2 000 (slow start from the loss window), halved, at least 2 MSS.
    tx.lr.on_transmit(s(0), MSS, at(3000), true);
    tx.ack(1000, &[], at(3100));
    tx.lr.on_rto(at(4000));
    assert_eq!(tx.lr.congestion().ssthresh(), 2_000);
}

#[test]
fn an_rto_in_the_same_instant_as_a_retransmission_spares_it() {
    let mut tx = Sender::new(CongestionAlgorithm::NewReno, false);
    tx.send(0, 3, at(0));
    tx.lr.on_rto(at(1000));
    tx.lr.on_transmit(s(0), MSS, at(1000), true);
    // The timer fires again in the same call (the clock stands still): the
    // retransmission just sent is not lost, the rest is.
    tx.lr.on_rto(at(1000));
    assert_eq!(tx.lr.next_retransmission(), Some((s(1000), 1000)));
    assert_eq!(tx.lr.pipe(), 1000);
}

#[test]
fn rfc3522_eifel_allows_for_the_timestamp_tick() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, false, 20);
    tx.send(0, 10, at(0));
    tx.lr.on_rto(Instant::from_nanos(100_700_000));
    tx.lr
        .on_transmit(s(0), MSS, Instant::from_nanos(100_700_000), true);
    // The ACK echoes the retransmission's TSval (tick 100) at 120.2 ms, tick 120: 20 ms
    // by timestamps, so "sent at 100.2 ms", before the retransmission's 100.7 ms. That is
    // rounding, not proof: no undo.
    let out = tx.ack_full(
        10_000,
        &[],
        Instant::from_nanos(120_200_000),
        Some(ms(20)),
        false,
    );
    assert!(!out.spurious_undo);
    assert_eq!(tx.lr.congestion().ssthresh(), 5_000);
}

#[test]
fn rfc3522_eifel_does_not_undo_a_real_loss_when_only_the_later_rto_was_spurious() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 20);
    tx.send(0, 10, at(0));
    // Segment 0 lost: SACKs of 1..4 start fast recovery, 0 is retransmitted at 20 ms.
    tx.ack_full(0, &[(1000, 4000)], at(20), Some(ms(20)), false);
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.next_retransmission(), Some((s(0), 1000)));
    tx.lr.on_transmit(s(0), MSS, at(20), true);
    // Its ACK is lost; the RTO fires and retransmits 0 again at 300 ms.
    tx.lr.on_rto(at(300));
    tx.lr.on_transmit(s(0), MSS, at(300), true);
    // The ACK for the first retransmission's arrival echoes 20 ms (280 ms ago): before the
    // RTO's retransmission, but not before the episode's first one. The loss was real.
    let out = tx.ack_full(10_000, &[], at(300), Some(ms(280)), false);
    assert!(!out.spurious_undo);
    // Fast recovery's 5 000, halved again by the RTO (from cwnd, as Linux): not undone.
    assert_eq!(tx.lr.congestion().ssthresh(), 2_500);
}

#[test]
fn a_loss_during_recovery_never_raises_ssthresh() {
    // Reductions start from min(FlightSize, cwnd): SACKed bytes in flight do not count.
    let mut tx = Sender::with_rtt(CongestionAlgorithm::Cubic, true, 20);
    tx.send(0, 10, at(0));
    tx.ack(0, &[(1000, 4000)], at(20));
    let first = tx.lr.congestion().ssthresh();
    assert_eq!(first, 7_000);
    // Everything but segment 0 is acknowledged out of order, then the retransmission and
    // a new segment are lost: the RTO's reduction starts from cwnd, not the 10 000 bytes
    // outstanding.
    tx.lr.on_transmit(s(0), MSS, at(20), true);
    tx.ack(0, &[(1000, 10_000)], at(40));
    tx.lr.on_rto(at(400));
    assert!(
        tx.lr.congestion().ssthresh() <= first,
        "{}",
        tx.lr.congestion().ssthresh()
    );
}

/// RFC 7661 through loss recovery: a NewReno sender with SACK that sends one segment per
/// 50 ms (100 ms RTT) is rate-limited (pipeACK 3,000 under half its 12,000 window), then
/// sends four segments at once and loses the first. Recovery repairs it as usual, but
/// ends at `(max(pipeACK, LossFlightSize) - R) / 2 = (4,000 - 1,000) / 2` instead of
/// NewReno's half of the flight (2,000), and the window is validated afresh.
#[test]
fn rfc7661_a_loss_in_the_non_validated_phase_ends_recovery_from_the_flight_less_the_lost() {
    let mut tx = Sender::with_rtt(CongestionAlgorithm::NewReno, true, 100);
    for i in 0..12u32 {
        let now = at(50 * u64::from(i));
        if i >= 2 {
            tx.ack((i - 1) * MSS, &[], now);
        }
        tx.send(i, 1, now);
    }
    tx.ack(11 * MSS, &[], at(600));
    tx.ack(12 * MSS, &[], at(650));
    assert!(tx.lr.cc.non_validated());
    assert_eq!(tx.lr.cwnd(), 12_000, "no growth once non-validated");
    assert_eq!(tx.lr.cc.ssthresh(), u32::MAX);
    tx.send(12, 4, at(650));
    tx.ack(12 * MSS, &[(13 * MSS, 14 * MSS)], at(750));
    tx.ack(12 * MSS, &[(13 * MSS, 15 * MSS)], at(750));
    tx.ack(12 * MSS, &[(13 * MSS, 16 * MSS)], at(750));
    assert!(tx.lr.in_recovery());
    assert_eq!(tx.lr.next_retransmission(), Some((s(12 * MSS), MSS)));
    tx.lr.on_transmit(s(12 * MSS), MSS, at(750), true);
    tx.ack(16 * MSS, &[], at(850));
    assert!(!tx.lr.in_recovery());
    assert_eq!((tx.lr.cwnd(), tx.lr.cc.ssthresh()), (1_500, 1_500));
    assert!(!tx.lr.cc.non_validated());
}
