//! The sender's loss recovery: which outstanding data is lost, what to send next and how
//! much, and when the congestion window shrinks or is restored.
//!
//! [`LossRecovery`] owns the congestion controller and combines:
//! - the scoreboard of RFC 6675 (`scoreboard.rs`): SACKed, lost and retransmitted ranges,
//!   `pipe`, NextSeg;
//! - RACK-TLP of RFC 8985 (`rack.rs` and the probe timer here): time-based loss detection,
//!   a reordering window adapted by D-SACK, and tail loss probes;
//! - PRR of RFC 6937 (`prr.rs`) pacing fast recovery;
//! - without SACK, RFC 5681/6582 NewReno: three duplicate ACKs, the recover point, one
//!   retransmission per partial ACK, and RFC 3042 limited transmit;
//! - undo of spurious retransmissions detected by D-SACK (RFC 2883/3708) or by timestamps
//!   (Eifel, RFC 3522).
//!
//! The connection calls [`LossRecovery::on_transmit`] for every segment it sends (data,
//! SYN or FIN; retransmissions included), [`LossRecovery::on_ack`] for every acceptable ACK,
//! [`LossRecovery::on_rto`] when its retransmission timer fires, and the timer entry point
//! for the two timers this module asks for. It sends what [`LossRecovery::send_quota`]
//! allows: first [`LossRecovery::next_retransmission`], then new data.
//!
//! The retransmission timer itself (RFC 6298 5.x: arming, backoff, the user timeout) is the
//! connection's; [`RttEstimator`] supplies its value. The probe timeout is capped at the
//! RTO, so both can fall due at the same instant: the connection should then fire the probe
//! first (Linux's probe timer replaces its RTO timer) and restart the RTO after sending the
//! probe (RFC 8985 7.3).

// Not every entry point has a caller until the connection (issue 12) is wired to it all.
#![allow(dead_code)]

mod prr;
mod rack;
mod scoreboard;

use crate::tcp::cc::{CongestionAlgorithm, CongestionControl};
use crate::tcp::deadline::Deadline;
use crate::tcp::rtt::{nanos, RttEstimator};
use crate::tcp::seq::SeqNum;
use crate::time::{Duration, Instant};

use prr::Prr;
use rack::Rack;
pub(crate) use scoreboard::NextSeg;
use scoreboard::{Scoreboard, DUP_THRESH};

/// RFC 8985 7.2 WCDelAckT: the worst-case delayed-ACK time added to the probe timeout when
/// only one segment is in flight (the peer may hold its ACK that long).
pub(crate) const MAX_ACK_DELAY: Duration = Duration::from_millis(200);

/// The resolution of the RTTs measured through timestamps (RFC 7323 TSval ticks of 1 ms).
pub(crate) const TS_GRANULARITY: Duration = Duration::from_millis(1);

/// The PTO before any RTT sample (RFC 8985 7.2).
pub(crate) const INITIAL_PTO: Duration = Duration::from_secs(1);

/// One acceptable ACK as the connection parsed it.
#[derive(Copy, Clone, Debug)]
pub(crate) struct AckInfo<'a> {
    /// SEG.ACK.
    pub ack: SeqNum,
    /// The SACK blocks in the order they appeared (the first may be a D-SACK).
    pub sack: &'a [SackBlock],
    /// SND.NXT after any processing of this segment.
    pub snd_nxt: SeqNum,
    /// The arrival time.
    pub now: Instant,
    /// With timestamps (RFC 7323): now minus the time the echoed TSval was sent, i.e. an
    /// RTT measured through TSecr. `None` without timestamps or when TSecr is 0.
    pub ts_rtt: Option<Duration>,
    /// The segment carried data or changed the window, so it is not a duplicate ACK
    /// (RFC 5681 section 2's definition).
    pub window_update_only: bool,
}

/// What an ACK did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AckOutcome {
    /// Bytes newly cumulatively acknowledged (SND.UNA advanced by this much).
    pub newly_acked: u32,
    /// An RTT sample the connection should give to its [`RttEstimator`]: from timestamps
    /// if present, else from a never-retransmitted segment (Karn's rule, RFC 6298 3).
    pub rtt_sample: Option<Duration>,
    /// The last loss episode proved spurious and the window was restored; the connection
    /// should stop retransmitting and may reset its RTO backoff.
    pub spurious_undo: bool,
    /// The ACK carried a D-SACK block (RFC 2883).
    pub dsack: bool,
    /// Losses were detected (new retransmissions are due, see `next_retransmission`).
    pub lost_detected: bool,
}

/// The timers loss recovery asks the connection to run (besides its RTO).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum RecoveryTimer {
    /// RFC 8985 6.2 step 6: re-run RACK when a segment's reordering window has passed.
    RackReorder,
    /// RFC 8985 7.2: the probe timeout.
    TailLossProbe,
}

/// What the connection should do after a recovery timer fired.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum TimerAction {
    /// Nothing to send.
    Nothing,
    /// RFC 8985 7.3: send one probe — a new MSS-sized segment if the receive window and
    /// the application allow (ignoring cwnd), else [`LossRecovery::probe_retransmission`].
    ProbeNewDataOrRetransmitLast,
    /// Segments were marked lost; send what `send_quota`/`next_retransmission` allow.
    LossesMarked,
}

/// Where the sender is (RFC 8985's and Linux's recovery states).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Phase {
    Open,
    /// Fast recovery until `recover` (RFC 6582's recover / RFC 6675's RecoveryPoint) is
    /// cumulatively acknowledged.
    Fast {
        recover: SeqNum,
    },
    /// After an RTO, until the data outstanding then is acknowledged.
    Rto {
        recover: SeqNum,
    },
}

/// State for undoing a spurious episode.
#[derive(Clone, Debug, Default)]
struct Undo {
    /// SND.UNA when the episode started; D-SACKs below it are about older episodes.
    marker: Option<SeqNum>,
    /// Retransmitted bytes of the episode not yet reported by D-SACK as duplicates.
    retrans_bytes: u32,
    /// Whether any retransmission happened in the episode.
    retransmitted: bool,
    /// When the episode's first retransmission was sent (Eifel compares the echo with it).
    first_retrans: Option<Instant>,
    /// The first retransmitted sequence number (Eifel looks at the ACK covering it).
    first_retrans_seq: Option<SeqNum>,
}

/// The TLP episode (RFC 8985 7.4).
#[derive(Copy, Clone, Debug)]
struct TlpEpisode {
    /// TLP.end_seq: SND.NXT when the probe was sent.
    end_seq: SeqNum,
    /// TLP.is_retrans: the probe retransmitted old data.
    is_retrans: bool,
}

/// Loss recovery and congestion control for one connection's send side.
#[derive(Clone, Debug)]
pub(crate) struct LossRecovery {
    cc: CongestionControl,
    board: Scoreboard,
    rack: Rack,
    prr: Option<Prr>,
    phase: Phase,
    sack: bool,
    mss: u32,
    /// Consecutive duplicate ACKs (RFC 5681).
    dupacks: u32,
    /// Without SACK: the bytes duplicate ACKs say have left the network (one MSS each, as
    /// Linux's "reno SACKs"), so pipe falls as with SACK (this gives RFC 3042 limited
    /// transmit and PRR's DeliveredData estimate).
    reno_sacked: u32,
    /// RFC 6582's `recover` kept after the episode, so three dupACKs for data sent before
    /// an earlier episode do not start another one (section 3.2 step 1).
    last_recover: Option<SeqNum>,
    undo: Undo,
    tlp: Option<TlpEpisode>,
    /// A probe was requested; the next transmission is it.
    tlp_requested: bool,
    reorder_deadline: Deadline,
    pto_deadline: Deadline,
    /// A deadline above moved since the connection last asked (see `tcp/deadline.rs`).
    timers_changed: bool,
    /// SRTT, min RTT and RTO as of the last ACK or timer (for decisions between ACKs).
    /// SRTT and the RTO in nanoseconds: the probe timeout is computed from them on every
    /// ACK and transmission, and `Duration` arithmetic cost several times as much.
    srtt: Option<u64>,
    min_rtt: Option<Duration>,
    rto: u64,
    /// Whether scoreboard has been anchored at the first transmitted sequence number.
    anchored: bool,
    /// SND.UNA at the last RTO, to recognise a repeated timeout of the same segment.
    rto_snd_una: Option<SeqNum>,
    /// Bytes marked lost in the current fast-recovery episode (RFC 7661's R).
    episode_lost: u32,
}

impl LossRecovery {
    /// Recovery state for a connection that has sent nothing yet.
    #[must_use]
    pub(crate) fn new(alg: CongestionAlgorithm, mss: u32, sack: bool, now: Instant) -> Self {
        let mss = mss.max(1);
        LossRecovery {
            cc: CongestionControl::new(alg, mss, now),
            board: Scoreboard::new(SeqNum::new(0)),
            rack: Rack::default(),
            prr: None,
            phase: Phase::Open,
            sack,
            mss,
            dupacks: 0,
            reno_sacked: 0,
            last_recover: None,
            undo: Undo::default(),
            tlp: None,
            tlp_requested: false,
            reorder_deadline: Deadline::default(),
            pto_deadline: Deadline::default(),
            timers_changed: false,
            srtt: None,
            min_rtt: None,
            rto: nanos(crate::tcp::rtt::DEFAULT_INITIAL_RTO),
            anchored: false,
            rto_snd_una: None,
            episode_lost: 0,
        }
    }

    /// Whether SACK is in use (both sides sent SACK-permitted).
    pub(crate) fn set_sack(&mut self, sack: bool) {
        self.sack = sack;
    }

    /// The congestion controller (read-only: window, ssthresh, algorithm).
    pub(crate) fn congestion(&self) -> &CongestionControl {
        &self.cc
    }

    /// Records a transmission of `len` sequence numbers from `start` (SYN and FIN count
    /// one each) at `now`. `retransmission` is informational: whatever lies below the
    /// highest sequence number sent so far is treated as a retransmission.
    pub(crate) fn on_transmit(
        &mut self,
        start: SeqNum,
        len: u32,
        now: Instant,
        retransmission: bool,
    ) {
        let _ = retransmission;
        if len == 0 {
            return;
        }
        if !self.anchored {
            self.board = Scoreboard::new(start);
            self.anchored = true;
        } else if self.board.outstanding() == 0 && self.phase == Phase::Open {
            // Sending resumes with nothing in flight: the window RFC 7661 kept through
            // the pause may have outlived the non-validated phase.
            self.cc.on_send_resume(now);
        }
        let new_bytes = self.board.on_transmit(start, len, now);
        let retransmitted = len.saturating_sub(new_bytes);
        if retransmitted > 0 {
            self.note_retransmission(start, retransmitted, now);
        }
        if let Some(prr) = &mut self.prr {
            prr.on_transmit(len);
        }
        if self.tlp_requested {
            self.tlp_requested = false;
            self.tlp = Some(TlpEpisode {
                end_seq: self.board.high_data(),
                is_retrans: new_bytes == 0,
            });
            self.pto_deadline.set(None, &mut self.timers_changed);
        } else if new_bytes > 0 {
            // RFC 8985 7.2: (re)arm the PTO after sending new data that is not a probe.
            self.arm_pto(now);
        }
    }

    fn note_retransmission(&mut self, start: SeqNum, len: u32, now: Instant) {
        if self.undo.marker.is_none() {
            // A retransmission outside any episode (a probe): an episode of its own for
            // undo purposes, so a D-SACK for it is recognised.
            self.undo.marker = Some(self.board.snd_una());
        }
        self.undo.retransmitted = true;
        self.undo.retrans_bytes = self.undo.retrans_bytes.saturating_add(len);
        if self.undo.first_retrans.is_none() {
            self.undo.first_retrans = Some(now);
            self.undo.first_retrans_seq = Some(start);
        }
    }

    /// Processes one acceptable ACK (SEG.ACK not beyond SND.NXT; the connection checks).
    pub(crate) fn on_ack(&mut self, ack: &AckInfo<'_>, rtt: &RttEstimator) -> AckOutcome {
        self.srtt = rtt.srtt_nanos();
        self.min_rtt = rtt.min_rtt();
        self.rto = rtt.rto_nanos();
        let now = ack.now;
        // The ACK that ends fast recovery belongs to it: no growth for it (RFC 6582 3.2
        // step 3 sets cwnd to ssthresh and stops there).
        let was_in_fast_recovery = matches!(self.phase, Phase::Fast { .. });
        let mut outcome = AckOutcome::default();
        let snd_una_before = self.board.snd_una();
        let outstanding_before = self.board.outstanding();
        let echo_time = ack.ts_rtt.map(|d| instant_before(now, d));

        let (dsack, blocks) = split_dsack(ack.ack, ack.sack);
        outcome.dsack = dsack.is_some();

        // Cumulative ACK, then SACK blocks, feeding RACK with every delivered range.
        let mut newest_acked_clean: Option<(Instant, bool)> = None;
        let rack = &mut self.rack;
        let min_rtt = self.min_rtt;
        let newly_acked = self.board.on_cumulative_ack(ack.ack, |seg| {
            rack.on_delivered(seg, now, echo_time, min_rtt);
            newest_acked_clean = Some((seg.xmit_ts, seg.ever_retransmitted));
        });
        let mut newly_sacked = 0;
        if self.sack {
            for &(start, end) in blocks {
                newly_sacked += self.board.on_sack_block(start, end, |seg| {
                    rack.on_delivered(seg, now, echo_time, min_rtt);
                });
            }
        }
        outcome.newly_acked = newly_acked;
        outcome.rtt_sample = Self::rtt_sample(newly_acked, ack.ts_rtt, newest_acked_clean, now);

        // Duplicate ACK counting (RFC 5681 section 2) and the non-SACK delivery estimate.
        let reno_sacked_before = self.reno_sacked;
        if newly_acked > 0 {
            self.dupacks = 0;
            // One of the acknowledged segments filled the hole the dupACKs were about.
            self.reno_sacked = self
                .reno_sacked
                .saturating_sub(newly_acked.saturating_sub(self.mss));
        } else if outstanding_before > 0 && !ack.window_update_only && ack.ack == snd_una_before {
            self.dupacks = self.dupacks.saturating_add(1);
            if !self.sack {
                // The hole itself has not left the network.
                let cap = self.board.outstanding().saturating_sub(self.mss);
                self.reno_sacked = self.reno_sacked.saturating_add(self.mss).min(cap);
            }
        }
        let delivered =
            (newly_acked + newly_sacked + self.reno_sacked).saturating_sub(reno_sacked_before);

        // D-SACK: RACK's reordering window, and undo accounting.
        self.rack
            .on_ack_dsack(self.board.snd_una(), ack.snd_nxt, dsack.is_some());
        if let Some((start, end)) = dsack {
            self.on_dsack(start, end, &mut outcome);
        }
        if !outcome.spurious_undo && newly_acked > 0 {
            self.check_eifel(snd_una_before, ack.ack, echo_time, &mut outcome);
        }

        self.on_tlp_ack(ack.ack, dsack, now);

        // Leaving recovery when the recovery point is acknowledged.
        self.maybe_exit_recovery(now);

        // Loss detection.
        let lost = self.detect_losses(now, newly_acked);
        if lost > 0 {
            outcome.lost_detected = true;
            if self.phase == Phase::Open && self.may_start_episode() {
                self.enter_fast_recovery(now);
            }
            if matches!(self.phase, Phase::Fast { .. }) {
                self.episode_lost = self.episode_lost.saturating_add(lost);
            }
        }

        // Window: PRR inside fast recovery, growth elsewhere.
        let pipe = self.pipe_now();
        match (&mut self.prr, self.phase) {
            (Some(prr), Phase::Fast { .. }) => {
                prr.on_ack(delivered, pipe, self.mss);
            }
            _ => {
                if newly_acked > 0 && !was_in_fast_recovery {
                    self.cc
                        .on_ack_sample(ack.ack, ack.snd_nxt, outcome.rtt_sample);
                    self.cc
                        .on_ack(newly_acked, outstanding_before, now, self.srtt());
                }
            }
        }

        self.rearm_pto_on_ack(now, newly_acked);
        outcome
    }

    /// Karn-safe RTT sample: timestamps if present (RFC 7323 4.1), else the newest newly
    /// acknowledged segment if it was never retransmitted (RFC 6298 3).
    fn rtt_sample(
        newly_acked: u32,
        ts_rtt: Option<Duration>,
        newest: Option<(Instant, bool)>,
        now: Instant,
    ) -> Option<Duration> {
        if newly_acked == 0 {
            return None;
        }
        if ts_rtt.is_some() {
            return ts_rtt;
        }
        match newest {
            Some((xmit, false)) => Some(now.saturating_duration_since(xmit)),
            _ => None,
        }
    }

    /// RFC 2883/3708: a D-SACK for a retransmission of this episode shows the original
    /// arrived too; when every retransmitted byte has been reported so, the episode was
    /// spurious and is undone.
    fn on_dsack(&mut self, start: SeqNum, end: SeqNum, outcome: &mut AckOutcome) {
        let Some(marker) = self.undo.marker else {
            return;
        };
        if end <= marker || !self.undo.retransmitted {
            return;
        }
        // The TLP episode ends without loss if its retransmission is the duplicate.
        if let Some(tlp) = self.tlp {
            if tlp.is_retrans && end >= tlp.end_seq && start < tlp.end_seq {
                self.tlp = None;
            }
        }
        let len = end.saturating_since(start.max(marker));
        self.undo.retrans_bytes = self.undo.retrans_bytes.saturating_sub(len);
        if self.undo.retrans_bytes == 0 {
            self.undo_episode(outcome);
        }
    }

    /// RFC 3522 (Eifel detection): the first ACK covering the episode's first
    /// retransmission echoes a timestamp from before that retransmission, so it was
    /// triggered by the original: the retransmission was spurious.
    fn check_eifel(
        &mut self,
        snd_una_before: SeqNum,
        ack: SeqNum,
        echo_time: Option<Instant>,
        outcome: &mut AckOutcome,
    ) {
        let (Some(first_ts), Some(first_seq), Some(echo)) = (
            self.undo.first_retrans,
            self.undo.first_retrans_seq,
            echo_time,
        ) else {
            return;
        };
        let covers_first = snd_una_before <= first_seq && first_seq < ack;
        if !covers_first {
            return;
        }
        // Timestamps tick in milliseconds, so `echo` (now minus a whole number of ticks) is
        // within one tick of the echoed segment's real send time either way: only a gap of
        // more than a tick proves the echo predates the retransmission.
        if echo + TS_GRANULARITY < first_ts {
            self.undo_episode(outcome);
        } else {
            // The retransmission was needed; Eifel has said all it can for this episode.
            self.undo.first_retrans = None;
        }
    }

    fn undo_episode(&mut self, outcome: &mut AckOutcome) {
        self.cc.undo();
        self.board.clear_unretransmitted_losses();
        if self.phase != Phase::Open {
            self.rack.on_recovery_exit();
        }
        self.phase = Phase::Open;
        self.prr = None;
        self.undo = Undo::default();
        self.reno_sacked = 0;
        self.tlp = None;
        outcome.spurious_undo = true;
    }

    /// RFC 8985 7.4.2: a retransmitted probe acknowledged without a D-SACK repaired a
    /// real loss, which calls for a congestion response as fast recovery would make.
    fn on_tlp_ack(&mut self, ack: SeqNum, dsack: Option<(SeqNum, SeqNum)>, now: Instant) {
        let Some(tlp) = self.tlp else {
            return;
        };
        if ack < tlp.end_seq {
            return;
        }
        self.tlp = None;
        let probe_was_duplicate = dsack.is_some_and(|(s, e)| s < tlp.end_seq && e >= tlp.end_seq);
        if tlp.is_retrans && !probe_was_duplicate && self.phase == Phase::Open {
            // RFC 7661 (a rate-limited sender) needs the real flight; otherwise the
            // reduction starts from cwnd, as Linux's.
            let flight = if self.cc.non_validated() {
                self.reduction_base()
            } else {
                self.cc.cwnd()
            };
            self.cc.commit_reduction();
            self.cc.on_congestion_event(flight, now);
            // The probe repaired one segment's loss: RFC 7661's R.
            self.cc.on_recovery_end(now, self.mss);
        }
    }

    /// RFC 6582 3.2 step 1: a new episode starts only once the cumulative ACK covers the
    /// previous episode's `recover` (the highest sequence number sent then; ours is one
    /// past it, so "covers more than recover" is SND.UNA >= ours).
    fn may_start_episode(&self) -> bool {
        self.last_recover
            .is_none_or(|recover| self.board.snd_una() >= recover)
    }

    fn maybe_exit_recovery(&mut self, now: Instant) {
        let recover = match self.phase {
            Phase::Open => return,
            Phase::Fast { recover } | Phase::Rto { recover } => recover,
        };
        if self.board.snd_una() < recover {
            return;
        }
        if matches!(self.phase, Phase::Fast { .. }) {
            self.cc.on_recovery_end(now, self.episode_lost);
        }
        self.phase = Phase::Open;
        self.prr = None;
        self.reno_sacked = 0;
        self.dupacks = 0;
        self.rack.on_recovery_exit();
    }

    /// Marks losses: RACK with SACK (plus RFC 6675 IsLost while no reordering was seen),
    /// the dupACK threshold and NewReno partial ACKs without. Returns the bytes marked.
    fn detect_losses(&mut self, now: Instant, newly_acked: u32) -> u32 {
        let mut marked = 0;
        // Nothing SACKed and no retransmission outstanding: every delivered segment was
        // acknowledged cumulatively, so nothing unacknowledged was sent before it and
        // neither RACK nor IsLost can find a loss. The common case of a clean bulk
        // transfer skips both walks over the scoreboard.
        let nothing_to_find =
            self.board.sacked_bytes() == 0 && self.board.high_rxt() <= self.board.snd_una();
        if self.sack && !nothing_to_find {
            let reo_wnd = self.reo_wnd();
            let (n, timeout) = self.rack.detect_loss(&mut self.board, now, reo_wnd);
            marked += n;
            self.reorder_deadline
                .set(timeout.map(|t| now + t), &mut self.timers_changed);
            if !self.rack.reordering_seen {
                marked += self.board.mark_lost_by_sack(self.mss);
            }
        } else if nothing_to_find {
            self.reorder_deadline.set(None, &mut self.timers_changed);
        }
        match self.phase {
            Phase::Open if self.dupacks >= DUP_THRESH && self.may_start_episode() => {
                // RFC 5681 3.2 step 2 / RFC 6675 5(a): the first unacknowledged segment.
                marked += self.mark_first_lost();
            }
            Phase::Fast { .. } if !self.sack && newly_acked > 0 => {
                // RFC 6582 3.2 step 4: each partial ACK (still in recovery after the exit
                // check) retransmits the first unacknowledged segment.
                marked += self.mark_first_lost();
            }
            _ => {}
        }
        marked
    }

    fn mark_first_lost(&mut self) -> u32 {
        let una = self.board.snd_una();
        let end = una + self.mss.min(self.board.outstanding());
        self.board.mark_lost(una, end)
    }

    fn reo_wnd(&self) -> Duration {
        self.rack.reo_wnd(
            self.phase != Phase::Open,
            self.board.sacked_bytes(),
            self.mss,
            self.min_rtt,
            self.srtt(),
        )
    }

    /// RFC 5681 3.2 / RFC 6675 5 / RFC 6937: the start of fast recovery.
    fn enter_fast_recovery(&mut self, now: Instant) {
        let flight = self.board.outstanding();
        self.episode_lost = 0;
        self.cc.commit_reduction();
        self.undo = Undo {
            marker: Some(self.board.snd_una()),
            ..Undo::default()
        };
        self.cc.on_congestion_event(self.reduction_base(), now);
        let recover = self.board.high_data();
        self.phase = Phase::Fast { recover };
        self.last_recover = Some(recover);
        self.prr = Some(Prr::new(flight, self.cc.ssthresh()));
        self.board.begin_episode();
        self.tlp = None;
        self.pto_deadline.set(None, &mut self.timers_changed);
    }

    /// The FlightSize the window reductions start from (RFC 5681 equation 4, RFC 9438
    /// 4.6), capped at cwnd: the data outstanding includes SACKed bytes and segments sent
    /// by limited transmit or PRR, and an uncapped base let a loss during recovery raise
    /// ssthresh above the window (CUBIC's 0.7 of an inflated flight). Linux reduces from
    /// cwnd outright.
    fn reduction_base(&self) -> u32 {
        self.board.outstanding().min(self.cc.cwnd())
    }

    /// The retransmission timer fired: everything outstanding is lost (RFC 6298 5.4-5.6
    /// retransmit the earliest segment; RFC 5681 3.1 the loss window; RFC 6582 4 the
    /// recover point).
    pub(crate) fn on_rto(&mut self, now: Instant) {
        let flight = self.reduction_base();
        if self.phase == Phase::Open {
            self.cc.commit_reduction();
            self.undo = Undo {
                marker: Some(self.board.snd_una()),
                ..Undo::default()
            };
        }
        // Inside an episode the undo state stays: Eifel keeps comparing with the episode's
        // first retransmission (an echo from before it proves every retransmission since
        // unneeded), as Linux keeps its retrans_stamp. Comparing with the RTO's own
        // retransmission instead undid real losses whenever the timeout itself was spurious
        // (the retransmission had arrived, its ACK was lost).
        // RFC 5681 3.1 (after equation 4): when the same segment times out again, ssthresh
        // is held; only the window drops back to one segment.
        let repeated = matches!(self.phase, Phase::Rto { .. })
            && self.rto_snd_una == Some(self.board.snd_una());
        if repeated {
            self.cc.on_repeated_rto(now);
        } else {
            self.cc.on_rto(flight, now);
        }
        self.rto_snd_una = Some(self.board.snd_una());
        self.board.mark_all_lost(now);
        let recover = self.board.high_data();
        self.phase = Phase::Rto { recover };
        self.last_recover = Some(recover);
        self.prr = None;
        self.dupacks = 0;
        self.reno_sacked = 0;
        self.tlp = None;
        self.tlp_requested = false;
        self.reorder_deadline.set(None, &mut self.timers_changed);
        self.pto_deadline.set(None, &mut self.timers_changed);
    }

    /// Bytes that may enter the network now: PRR's allowance in fast recovery, else
    /// `cwnd - pipe`. Without SACK each duplicate ACK lowers pipe by one MSS, which is RFC
    /// 3042 limited transmit, bounded as that RFC says to `cwnd + 2 MSS` outstanding while
    /// not in recovery. The connection should send a segment only when the quota covers
    /// all of it (retransmissions included), so PRR's fractions accumulate over ACKs.
    #[must_use]
    pub(crate) fn send_quota(&self) -> u32 {
        let pipe = self.pipe();
        match (&self.prr, self.phase) {
            (Some(prr), Phase::Fast { .. }) => prr.quota(pipe),
            (_, Phase::Open) if !self.sack => {
                let limited_transmit_bound = self
                    .cc
                    .cwnd()
                    .saturating_add(2 * self.mss)
                    .saturating_sub(self.board.pipe());
                self.cc
                    .cwnd()
                    .saturating_sub(pipe)
                    .min(limited_transmit_bound)
            }
            _ => self.cc.cwnd().saturating_sub(pipe),
        }
    }

    /// The next lost range to retransmit (lowest first, at most one MSS), if any.
    pub(crate) fn next_retransmission(&mut self) -> Option<(SeqNum, u32)> {
        self.board.next_lost(self.mss)
    }

    /// RFC 6675 NextSeg (rules 1-4) in fast recovery; outside it only rule 1 and new data.
    /// `new_data` says whether new data could be sent (application data and receive window).
    pub(crate) fn next_segment(&mut self, new_data: bool) -> Option<NextSeg> {
        match self.phase {
            Phase::Fast { recover } if self.sack => {
                self.board.next_seg(self.mss, new_data, recover)
            }
            _ => match self.board.next_lost(self.mss) {
                Some((start, len)) => Some(NextSeg::Retransmit(start, len)),
                None if new_data => Some(NextSeg::NewData),
                None => None,
            },
        }
    }

    /// What a tail loss probe retransmits when no new data can be sent: the last segment
    /// (RFC 8985 7.3).
    pub(crate) fn probe_retransmission(&self) -> Option<(SeqNum, u32)> {
        self.board.last_segment(self.mss)
    }

    /// Whether a recovery deadline moved since the last call (clears the flag).
    pub(crate) fn take_timers_changed(&mut self) -> bool {
        core::mem::take(&mut self.timers_changed)
    }

    /// The earliest recovery timer, if one is armed.
    #[must_use]
    pub(crate) fn timer(&self) -> Option<(Instant, RecoveryTimer)> {
        match (self.reorder_deadline.get(), self.pto_deadline.get()) {
            (Some(r), Some(p)) if p < r => Some((p, RecoveryTimer::TailLossProbe)),
            (Some(r), _) => Some((r, RecoveryTimer::RackReorder)),
            (None, Some(p)) => Some((p, RecoveryTimer::TailLossProbe)),
            (None, None) => None,
        }
    }

    /// A recovery timer fired.
    pub(crate) fn on_timer(
        &mut self,
        kind: RecoveryTimer,
        now: Instant,
        rtt: &RttEstimator,
    ) -> TimerAction {
        self.srtt = rtt.srtt_nanos();
        self.min_rtt = rtt.min_rtt();
        self.rto = rtt.rto_nanos();
        match kind {
            RecoveryTimer::RackReorder => {
                self.reorder_deadline.set(None, &mut self.timers_changed);
                let reo_wnd = self.reo_wnd();
                let (marked, timeout) = self.rack.detect_loss(&mut self.board, now, reo_wnd);
                self.reorder_deadline
                    .set(timeout.map(|t| now + t), &mut self.timers_changed);
                if marked == 0 {
                    return TimerAction::Nothing;
                }
                if self.phase == Phase::Open {
                    self.enter_fast_recovery(now);
                    // The timer is an ACK-less event: PRR starts with nothing delivered.
                    let pipe = self.pipe_now();
                    if let Some(prr) = &mut self.prr {
                        prr.on_ack(0, pipe, self.mss);
                    }
                }
                TimerAction::LossesMarked
            }
            RecoveryTimer::TailLossProbe => {
                self.pto_deadline.set(None, &mut self.timers_changed);
                if self.phase != Phase::Open || self.board.outstanding() == 0 || self.tlp.is_some()
                {
                    return TimerAction::Nothing;
                }
                self.tlp_requested = true;
                TimerAction::ProbeNewDataOrRetransmitLast
            }
        }
    }

    /// RFC 8985 7.2: PTO = 2 SRTT, plus the worst-case delayed ACK when one segment is in
    /// flight, 1 s without an RTT sample; never beyond the RTO.
    #[must_use]
    pub(crate) fn probe_timeout(&self) -> Duration {
        Duration::from_nanos(self.probe_timeout_nanos())
    }

    /// [`LossRecovery::probe_timeout`] in nanoseconds.
    fn probe_timeout_nanos(&self) -> u64 {
        let pto = match self.srtt {
            Some(srtt) => {
                let base = srtt.saturating_mul(2);
                if self.board.outstanding() <= self.mss {
                    base.saturating_add(nanos(MAX_ACK_DELAY))
                } else {
                    base
                }
            }
            None => nanos(INITIAL_PTO),
        };
        pto.min(self.rto)
    }

    /// SRTT as of the last ACK or timer.
    fn srtt(&self) -> Option<Duration> {
        self.srtt.map(Duration::from_nanos)
    }

    /// RFC 8985 7.2: arm the PTO in the open state with SACK, with no probe outstanding
    /// and nothing SACKed out of order.
    fn arm_pto(&mut self, now: Instant) {
        self.pto_deadline.set(
            if self.pto_eligible() {
                Some(Instant::from_nanos(
                    now.as_nanos().saturating_add(self.probe_timeout_nanos()),
                ))
            } else {
                None
            },
            &mut self.timers_changed,
        );
    }

    /// RFC 8985 7.2: restart the PTO on an ACK of new data; drop it once not eligible.
    fn rearm_pto_on_ack(&mut self, now: Instant, newly_acked: u32) {
        if newly_acked > 0 || !self.pto_eligible() {
            self.arm_pto(now);
        }
    }

    fn pto_eligible(&self) -> bool {
        self.sack
            && self.phase == Phase::Open
            && self.tlp.is_none()
            && self.board.sacked_bytes() == 0
            && self.board.outstanding() > 0
    }

    /// Whether fast recovery or RTO recovery is running.
    #[must_use]
    pub(crate) fn in_recovery(&self) -> bool {
        self.phase != Phase::Open
    }

    /// The congestion window; in fast recovery, the window PRR currently allows.
    #[must_use]
    pub(crate) fn cwnd(&self) -> u32 {
        match (&self.prr, self.phase) {
            (Some(prr), Phase::Fast { .. }) => prr.window(),
            _ => self.cc.cwnd(),
        }
    }

    /// RFC 6675 `pipe` (without SACK: outstanding minus one MSS per duplicate ACK).
    #[must_use]
    pub(crate) fn pipe(&self) -> u32 {
        self.pipe_now()
    }

    fn pipe_now(&self) -> u32 {
        self.board.pipe().saturating_sub(self.reno_sacked)
    }

    /// The congestion controller (scenario tests read its window and HyStart++ phase).
    #[cfg(test)]
    pub(crate) fn cc(&self) -> &CongestionControl {
        &self.cc
    }

    /// Bytes sent and not cumulatively acknowledged.
    #[must_use]
    pub(crate) fn outstanding(&self) -> u32 {
        self.board.outstanding()
    }

    /// `start..end` was dropped because the path MTU fell (an ICMP error quoted it): it is
    /// lost, but not to congestion, so the window stays (as Linux's `tcp_simple_retransmit`);
    /// the connection resends it in segments of the new MSS. Returns the bytes marked.
    pub(crate) fn mark_lost_for_mtu(&mut self, start: SeqNum, end: SeqNum) -> u32 {
        self.board.mark_lost(start, end)
    }

    /// The sender MSS changed (PMTU, or the peer's MSS option).
    pub(crate) fn set_mss(&mut self, mss: u32) {
        let mss = mss.max(1);
        self.mss = mss;
        self.cc.set_mss(mss);
    }

    /// Switches the congestion-control algorithm (socket option).
    pub(crate) fn set_algorithm(&mut self, alg: CongestionAlgorithm) {
        self.cc.set_algorithm(alg);
    }

    /// Sending resumes after an idle period (the connection decides: RFC 5681 4.1 says
    /// after more than one RTO without sending).
    pub(crate) fn on_idle_restart(&mut self, now: Instant) {
        self.cc.on_idle_restart(now);
    }
}

/// `now - d`, saturating at the origin.
fn instant_before(now: Instant, d: Duration) -> Instant {
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    Instant::from_nanos(now.as_nanos().saturating_sub(nanos))
}

/// One SACK block: `start..end` in sequence space.
pub(crate) type SackBlock = (SeqNum, SeqNum);

/// RFC 2883 section 4: the first SACK block is a D-SACK if it lies below the cumulative ACK
/// or inside the second block. Returns the D-SACK (if any) and the remaining blocks.
pub(crate) fn split_dsack(ack: SeqNum, blocks: &[SackBlock]) -> (Option<SackBlock>, &[SackBlock]) {
    let Some((&first, rest)) = blocks.split_first() else {
        return (None, blocks);
    };
    let (start, end) = first;
    if start >= end {
        return (None, blocks);
    }
    let below_ack = end <= ack;
    let inside_second = rest
        .first()
        .is_some_and(|&(s2, e2)| s2 <= start && end <= e2);
    if below_ack || inside_second {
        (Some(first), rest)
    } else {
        (None, blocks)
    }
}

// The closed-loop simulations move megabytes through thousands of simulated round trips:
// seconds natively, hours under Miri, and they touch no packet bytes (this crate has no
// unsafe code; Miri's work here is the packet crates under the stack's other tests).
#[cfg(all(test, not(miri)))]
mod sim_tests;
#[cfg(test)]
mod tests;
