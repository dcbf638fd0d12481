//! The sender's scoreboard (RFC 6675 section 2/4): what is outstanding, what the peer has
//! SACKed, what is deemed lost and what has been retransmitted, with per-range transmit
//! times for RACK (RFC 8985).
//!
//! Outstanding data `snd_una..high_data` is covered by contiguous ranges in sequence order.
//! A range is what one transmit call sent, merged with its predecessor when both were sent
//! at the same instant and carry the same marks, so a burst costs one entry. SACK blocks and
//! retransmissions split ranges at their edges.
//!
//! # Memory bound
//! At most [`MAX_RANGES`] ranges are kept. When an operation leaves more, the oldest pair
//! of neighbours with equal marks is merged (the later transmit time kept, which can only
//! delay a RACK loss decision, never cause a spurious one); if no such pair exists, the two
//! oldest ranges are merged with the conservative union of their marks: SACKed only if both
//! were, lost if either was, a retransmission in flight only if both had one. Forgetting a
//! SACK or a retransmission is safe — SACK information is advisory (RFC 2018 section 8 lets
//! receivers renege) — and costs at most an unneeded retransmission.

use alloc::collections::VecDeque;

use crate::tcp::seq::SeqNum;
use crate::time::Instant;

/// The most ranges one scoreboard holds (about 48 KiB at 48 bytes a range).
pub(crate) const MAX_RANGES: usize = 1024;

/// RFC 6675's DupThresh (and RFC 5681's three duplicate ACKs).
pub(crate) const DUP_THRESH: u32 = 3;

/// `seq - len` on the circle.
fn before(seq: SeqNum, len: u32) -> SeqNum {
    SeqNum::new(seq.get().wrapping_sub(len))
}

/// One contiguous range of outstanding sequence space with its marks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub(crate) start: SeqNum,
    pub(crate) end: SeqNum,
    /// When it was last (re)transmitted: RACK's `Segment.xmit_ts`.
    pub(crate) xmit_ts: Instant,
    /// The ordinal of that transmission among all of this connection's transmissions:
    /// breaks ties between equal `xmit_ts` (one burst, one clock tick) by the order things
    /// were really sent.
    pub(crate) xmit_order: u64,
    /// The peer SACKed it.
    pub(crate) sacked: bool,
    /// Deemed lost (RFC 6675 IsLost, RACK, dupacks or RTO) since its last transmission was
    /// sent.
    pub(crate) lost: bool,
    /// A retransmission of it is in flight (sent after it was last marked lost, or by
    /// NextSeg rules 3/4 without being lost).
    pub(crate) retransmitted: bool,
    /// Ever retransmitted: Karn's rule (RFC 6298 3) and RACK's ambiguity check.
    pub(crate) ever_retransmitted: bool,
}

impl Range {
    /// Its length in sequence numbers.
    pub(crate) fn len(&self) -> u32 {
        self.end.saturating_since(self.start)
    }

    /// When it was last sent, for RACK.
    pub(crate) fn sent_at(&self) -> super::rack::SentAt {
        (self.xmit_ts, self.xmit_order, self.end)
    }

    fn same_marks(&self, other: &Range) -> bool {
        self.sacked == other.sacked
            && self.lost == other.lost
            && self.retransmitted == other.retransmitted
            && self.ever_retransmitted == other.ever_retransmitted
    }

    /// Bytes this range adds to RFC 6675's `pipe`: one count if not lost, one more if a
    /// retransmission is in flight (section 4, SetPipe); nothing once SACKed.
    fn pipe(&self) -> u32 {
        if self.sacked {
            return 0;
        }
        let copies = u32::from(!self.lost) + u32::from(self.retransmitted);
        self.len().saturating_mul(copies)
    }
}

/// What [`Scoreboard::next_seg`] picked (RFC 6675 section 4, NextSeg).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum NextSeg {
    /// Retransmit `len` bytes from `start`.
    Retransmit(SeqNum, u32),
    /// Send new data (rule 2).
    NewData,
}

/// The scoreboard of one connection's send side.
#[derive(Clone, Debug)]
pub(crate) struct Scoreboard {
    ranges: VecDeque<Range>,
    /// SND.UNA: the lowest unacknowledged sequence number.
    snd_una: SeqNum,
    /// RFC 6675 HighData: one past the highest sequence number sent.
    high_data: SeqNum,
    /// RFC 6675 HighRxt: one past the highest sequence number retransmitted.
    high_rxt: SeqNum,
    /// RFC 6675 RescueRxt (`None`: undefined).
    rescue_rxt: Option<SeqNum>,
    /// One past the highest SACKed sequence number (RFC 6675's HighACK counterpart for the
    /// SACK blocks, RACK's `fack`).
    high_sacked: SeqNum,
    /// Sum of the SACKed ranges' lengths.
    sacked_bytes: u32,
    /// Sum of `Range::pipe` over all ranges, kept up to date by every mark change.
    pipe: u32,
    /// The ordinal the next transmission gets.
    next_order: u64,
}

impl Scoreboard {
    /// An empty scoreboard with nothing sent from `iss` on.
    pub(crate) fn new(iss: SeqNum) -> Self {
        Scoreboard {
            ranges: VecDeque::new(),
            snd_una: iss,
            high_data: iss,
            high_rxt: iss,
            rescue_rxt: None,
            high_sacked: iss,
            sacked_bytes: 0,
            pipe: 0,
            next_order: 0,
        }
    }

    pub(crate) fn snd_una(&self) -> SeqNum {
        self.snd_una
    }

    pub(crate) fn high_data(&self) -> SeqNum {
        self.high_data
    }

    pub(crate) fn high_rxt(&self) -> SeqNum {
        self.high_rxt
    }

    pub(crate) fn high_sacked(&self) -> SeqNum {
        self.high_sacked
    }

    /// Bytes sent and not cumulatively acknowledged (FlightSize of RFC 5681).
    pub(crate) fn outstanding(&self) -> u32 {
        self.high_data.saturating_since(self.snd_una)
    }

    pub(crate) fn sacked_bytes(&self) -> u32 {
        self.sacked_bytes
    }

    /// RFC 6675 `pipe`: bytes the sender believes are in the network.
    pub(crate) fn pipe(&self) -> u32 {
        self.pipe
    }

    /// The ranges, lowest first.
    pub(crate) fn ranges(&self) -> impl Iterator<Item = &Range> {
        self.ranges.iter()
    }

    pub(crate) fn range_count(&self) -> usize {
        self.ranges.len()
    }

    /// Whether anything outstanding is marked lost and not yet retransmitted.
    pub(crate) fn has_unretransmitted_loss(&self) -> bool {
        self.ranges
            .iter()
            .any(|r| r.lost && !r.retransmitted && !r.sacked)
    }

    /// Records a transmission of `start..start+len` at `now`. The part below HighData is a
    /// retransmission, the rest new data. Returns how many bytes were new.
    pub(crate) fn on_transmit(&mut self, start: SeqNum, len: u32, now: Instant) -> u32 {
        let end = start + len;
        if self.ranges.is_empty() && self.snd_una == self.high_data && start > self.high_data {
            // Nothing outstanding: sending may start anywhere forward (e.g. after the
            // connection moved SND.UNA without telling us).
            self.snd_una = start;
            self.high_data = start;
            self.high_rxt = start;
            self.high_sacked = start;
        }
        let old_start = start.max(self.snd_una);
        let old_end = end.min(self.high_data);
        if old_start < old_end {
            self.mark_retransmitted(old_start, old_end, now, self.next_order);
        }
        let new_start = start.max(self.high_data);
        let new_bytes = if new_start < end && new_start == self.high_data {
            self.append(new_start, end, now);
            end.saturating_since(new_start)
        } else {
            0
        };
        self.next_order = self.next_order.wrapping_add(1);
        new_bytes
    }

    fn append(&mut self, start: SeqNum, end: SeqNum, now: Instant) {
        let fresh = Range {
            start,
            end,
            xmit_ts: now,
            xmit_order: self.next_order,
            sacked: false,
            lost: false,
            retransmitted: false,
            ever_retransmitted: false,
        };
        self.high_data = end;
        self.pipe = self.pipe.saturating_add(fresh.len());
        if let Some(last) = self.ranges.back_mut() {
            // Only a continuation of the very last transmission merges, so no other
            // transmission's order falls inside a range.
            let previous_order = fresh.xmit_order.wrapping_sub(1);
            if last.end == start
                && last.xmit_ts == now
                && last.xmit_order == previous_order
                && last.same_marks(&fresh)
            {
                last.end = end;
                last.xmit_order = fresh.xmit_order;
                return;
            }
        }
        self.ranges.push_back(fresh);
        self.enforce_bound();
    }

    /// Merges ranges until at most [`MAX_RANGES`] remain (see the module docs for the rule).
    /// Inlined: it runs after every transmission and ACK and almost never merges; the
    /// merging (`shrink`) stays out of line so the check pays no function prologue.
    #[inline]
    fn enforce_bound(&mut self) {
        while self.ranges.len() > MAX_RANGES {
            self.shrink();
        }
    }

    /// Frees one slot: merges the oldest pair of neighbours with equal marks, or else the
    /// two oldest ranges with the conservative union of their marks.
    #[inline(never)]
    fn shrink(&mut self) {
        let pair = (1..self.ranges.len()).find(|&i| self.ranges[i - 1].same_marks(&self.ranges[i]));
        let i = pair.unwrap_or(1);
        let (Some(&a), Some(&b)) = (self.ranges.get(i - 1), self.ranges.get(i)) else {
            return;
        };
        let sacked = a.sacked && b.sacked;
        let lost = !sacked && (a.lost || b.lost);
        let merged = Range {
            start: a.start,
            end: b.end,
            xmit_ts: a.xmit_ts.max(b.xmit_ts),
            xmit_order: a.xmit_order.max(b.xmit_order),
            sacked,
            lost,
            // Keep an in-flight retransmission only if it covers the whole; otherwise the
            // merged range is lost and not retransmitted, so it is sent again: safe.
            retransmitted: !sacked && a.retransmitted && b.retransmitted,
            ever_retransmitted: a.ever_retransmitted || b.ever_retransmitted,
        };
        let sacked_before = [a, b]
            .iter()
            .filter(|r| r.sacked)
            .map(Range::len)
            .sum::<u32>();
        let sacked_after = if sacked { merged.len() } else { 0 };
        self.sacked_bytes = self
            .sacked_bytes
            .saturating_sub(sacked_before)
            .saturating_add(sacked_after);
        self.pipe = self
            .pipe
            .saturating_sub(a.pipe().saturating_add(b.pipe()))
            .saturating_add(merged.pipe());
        self.ranges[i - 1] = merged;
        self.ranges.remove(i);
    }

    /// Index of the first range whose end is after `seq`.
    fn index_after(&self, seq: SeqNum) -> usize {
        self.ranges.partition_point(|r| r.end <= seq)
    }

    /// Splits the range containing `seq` strictly inside it, so a range starts at `seq`.
    fn split_at(&mut self, seq: SeqNum) {
        let i = self.index_after(seq);
        let Some(&r) = self.ranges.get(i) else {
            return;
        };
        if r.start < seq && seq < r.end {
            self.ranges[i].end = seq;
            // The bound is enforced once the caller has changed the marks, so the two halves
            // are never merged back before they differ.
            self.ranges.insert(i + 1, Range { start: seq, ..r });
        }
    }

    /// Indices of the ranges exactly covering `start..end` after splitting at both edges.
    fn isolate(&mut self, start: SeqNum, end: SeqNum) -> core::ops::Range<usize> {
        self.split_at(start);
        self.split_at(end);
        self.index_after(start)..self.index_after(end)
    }

    fn update<F: FnOnce(&mut Range)>(&mut self, i: usize, change: F) {
        let Some(r) = self.ranges.get_mut(i) else {
            return;
        };
        let before_pipe = r.pipe();
        let was_sacked = r.sacked;
        change(r);
        let after_pipe = r.pipe();
        let len = r.len();
        let now_sacked = r.sacked;
        self.pipe = self
            .pipe
            .saturating_sub(before_pipe)
            .saturating_add(after_pipe);
        if now_sacked && !was_sacked {
            self.sacked_bytes = self.sacked_bytes.saturating_add(len);
        } else if was_sacked && !now_sacked {
            self.sacked_bytes = self.sacked_bytes.saturating_sub(len);
        }
    }

    fn mark_retransmitted(&mut self, start: SeqNum, end: SeqNum, now: Instant, order: u64) {
        for i in self.isolate(start, end) {
            if self.ranges[i].sacked {
                continue;
            }
            self.update(i, |r| {
                r.xmit_ts = now;
                r.xmit_order = order;
                r.retransmitted = true;
                r.ever_retransmitted = true;
            });
        }
        self.high_rxt = self.high_rxt.max(end);
        self.enforce_bound();
    }

    /// Marks `start..end` lost where it is neither SACKed, nor already lost, nor covered
    /// by a retransmission in flight (the dupACK rules retransmit a segment once; a lost
    /// retransmission is RACK's or the RTO's to find).
    pub(crate) fn mark_lost(&mut self, start: SeqNum, end: SeqNum) -> u32 {
        let mut marked = 0;
        for i in self.isolate(start, end) {
            let r = self.ranges[i];
            if r.sacked || r.lost || r.retransmitted {
                continue;
            }
            marked += r.len();
            self.update(i, |r| {
                r.lost = true;
                r.retransmitted = false;
            });
        }
        self.enforce_bound();
        marked
    }

    /// Marks the range at index `i` lost (RACK walks ranges by index).
    pub(crate) fn mark_lost_at(&mut self, i: usize) {
        self.update(i, |r| {
            r.lost = true;
            r.retransmitted = false;
        });
    }

    pub(crate) fn get(&self, i: usize) -> Option<&Range> {
        self.ranges.get(i)
    }

    /// After an RTO at `now`: everything unSACKed is lost and no retransmission is in
    /// flight — except what was sent at `now` itself, which cannot have timed out (the
    /// core's clock stands still within one call, so a retransmission and the timer can
    /// share an instant).
    pub(crate) fn mark_all_lost(&mut self, now: Instant) {
        for i in 0..self.ranges.len() {
            let r = self.ranges[i];
            if !r.sacked && r.xmit_ts < now {
                self.mark_lost_at(i);
            }
        }
        self.high_rxt = self.snd_una;
        self.rescue_rxt = None;
    }

    /// A spurious episode was undone: ranges marked lost and not retransmitted are in flight
    /// after all.
    pub(crate) fn clear_unretransmitted_losses(&mut self) {
        for i in 0..self.ranges.len() {
            let r = self.ranges[i];
            if r.lost && !r.retransmitted {
                self.update(i, |r| r.lost = false);
            }
        }
    }

    /// A new recovery episode starts: RescueRxt becomes undefined again (RFC 6675 section 5).
    pub(crate) fn begin_episode(&mut self) {
        self.rescue_rxt = None;
        self.high_rxt = self.high_rxt.max(self.snd_una);
    }

    /// Moves SND.UNA to `ack`, dropping what it covers, and calls `delivered` for each
    /// range (or part) newly acknowledged that had not been SACKed. Returns the bytes
    /// newly acknowledged (0 for an old or out-of-range ACK).
    pub(crate) fn on_cumulative_ack(
        &mut self,
        ack: SeqNum,
        mut delivered: impl FnMut(&Range),
    ) -> u32 {
        if ack <= self.snd_una || ack > self.high_data {
            return 0;
        }
        let newly = ack.saturating_since(self.snd_una);
        self.split_at(ack);
        while let Some(&front) = self.ranges.front() {
            if front.end > ack {
                break;
            }
            if !front.sacked {
                delivered(&front);
            }
            self.pipe = self.pipe.saturating_sub(front.pipe());
            if front.sacked {
                self.sacked_bytes = self.sacked_bytes.saturating_sub(front.len());
            }
            self.ranges.pop_front();
        }
        self.snd_una = ack;
        self.enforce_bound();
        self.high_rxt = self.high_rxt.max(ack);
        self.high_sacked = self.high_sacked.max(ack);
        newly
    }

    /// Applies one SACK block (RFC 2018; RFC 6675 section 5 "update the scoreboard"),
    /// calling `delivered` for each range newly SACKed. Parts outside `SND.UNA..HighData`
    /// are ignored (a block entirely outside is invalid, RFC 6675 section 5 bullet 1).
    /// Returns the bytes newly SACKed.
    pub(crate) fn on_sack_block(
        &mut self,
        start: SeqNum,
        end: SeqNum,
        mut delivered: impl FnMut(&Range),
    ) -> u32 {
        let start = start.max(self.snd_una);
        let end = end.min(self.high_data);
        if start >= end {
            return 0;
        }
        let mut newly = 0;
        for i in self.isolate(start, end) {
            let r = self.ranges[i];
            if r.sacked {
                continue;
            }
            delivered(&r);
            newly += r.len();
            self.update(i, |r| {
                r.sacked = true;
                r.lost = false;
                r.retransmitted = false;
            });
        }
        self.high_sacked = self.high_sacked.max(end);
        self.merge_sacked_neighbours();
        self.enforce_bound();
        newly
    }

    /// Joins adjacent SACKed ranges (their transmit times no longer matter to RACK, which
    /// only walks unSACKed ranges), so a run of SACKs costs one entry.
    fn merge_sacked_neighbours(&mut self) {
        let mut i = 1;
        while i < self.ranges.len() {
            let (a, b) = (self.ranges[i - 1], self.ranges[i]);
            if a.sacked && b.sacked && a.end == b.start {
                self.ranges[i - 1].end = b.end;
                self.ranges[i - 1].xmit_ts = a.xmit_ts.max(b.xmit_ts);
                self.ranges[i - 1].xmit_order = a.xmit_order.max(b.xmit_order);
                self.ranges[i - 1].ever_retransmitted |= b.ever_retransmitted;
                self.ranges.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// RFC 6675 section 4, IsLost(SeqNum): true when DupThresh discontiguous SACKed runs lie
    /// above `seq`, or more than (DupThresh - 1) * SMSS SACKed bytes do.
    pub(crate) fn is_lost(&self, seq: SeqNum, mss: u32) -> bool {
        let (runs, bytes) = self.sacked_above(seq);
        runs >= DUP_THRESH || bytes > DUP_THRESH.saturating_sub(1).saturating_mul(mss)
    }

    /// SACKed runs (maximal contiguous SACKed stretches) and bytes above `seq`.
    fn sacked_above(&self, seq: SeqNum) -> (u32, u32) {
        let mut runs = 0;
        let mut bytes = 0u32;
        let mut previous_sacked = false;
        for r in self.ranges.iter().rev() {
            if r.end <= seq {
                break;
            }
            if r.sacked {
                let counted = r.end.saturating_since(r.start.max(seq));
                bytes = bytes.saturating_add(counted);
                if !previous_sacked {
                    runs += 1;
                }
            }
            previous_sacked = r.sacked;
        }
        (runs, bytes)
    }

    /// RFC 6675 section 5 (the loss marking behind rule 4.(a)/NextSeg 1.c): marks every
    /// unSACKed range for which IsLost holds. Walks from the top once, so ranges below the
    /// point where the SACKed total first crosses the threshold are all lost. Returns bytes
    /// newly marked.
    pub(crate) fn mark_lost_by_sack(&mut self, mss: u32) -> u32 {
        let threshold = DUP_THRESH.saturating_sub(1).saturating_mul(mss);
        let mut runs = 0;
        let mut bytes = 0u32;
        let mut previous_sacked = false;
        let mut marked = 0;
        for i in (0..self.ranges.len()).rev() {
            let r = self.ranges[i];
            if r.sacked {
                bytes = bytes.saturating_add(r.len());
                if !previous_sacked {
                    runs += 1;
                }
            } else if (runs >= DUP_THRESH || bytes > threshold) && !r.lost {
                marked += r.len();
                self.mark_lost_at(i);
            }
            previous_sacked = r.sacked;
        }
        marked
    }

    /// The lowest range marked lost whose retransmission is not yet in flight, as up to
    /// `mss` bytes from its start (NextSeg rule 1).
    pub(crate) fn next_lost(&self, mss: u32) -> Option<(SeqNum, u32)> {
        self.ranges
            .iter()
            .find(|r| r.lost && !r.retransmitted && !r.sacked)
            .map(|r| (r.start, r.len().min(mss)))
    }

    /// RFC 6675 section 4, NextSeg(), rules 1 to 4, for a sender in loss recovery.
    /// `new_data` says whether rule 2 (new data within the receive window) is possible;
    /// `recovery_point` is RecoveryPoint. Rule 4 sets RescueRxt.
    pub(crate) fn next_seg(
        &mut self,
        mss: u32,
        new_data: bool,
        recovery_point: SeqNum,
    ) -> Option<NextSeg> {
        // Rule 1: the lowest lost, unSACKed sequence number above HighRxt (our `lost` mark
        // is IsLost; `retransmitted` ranges are above HighRxt's meaning already).
        if let Some((start, len)) = self.next_lost(mss) {
            return Some(NextSeg::Retransmit(start, len));
        }
        // Rule 2.
        if new_data {
            return Some(NextSeg::NewData);
        }
        // Rule 3: an unSACKed, never-retransmitted sequence number above HighRxt and below
        // the highest SACKed one (1.a and 1.b without IsLost).
        let rule3 = self.ranges.iter().find(|r| {
            !r.sacked
                && !r.retransmitted
                && !r.lost
                && r.end > self.high_rxt
                && r.start < self.high_sacked
        });
        if let Some(r) = rule3 {
            let start = r.start.max(self.high_rxt);
            return Some(NextSeg::Retransmit(
                start,
                r.end.saturating_since(start).min(mss),
            ));
        }
        // Rule 4: one rescue retransmission per episode, of the highest unSACKed data.
        let rescue_ok = self.rescue_rxt.is_none_or(|rescue| self.snd_una > rescue);
        if rescue_ok {
            if let Some(r) = self.ranges.iter().rev().find(|r| !r.sacked) {
                let len = r.len().min(mss);
                self.rescue_rxt = Some(recovery_point);
                return Some(NextSeg::Retransmit(before(r.end, len), len));
            }
        }
        None
    }

    /// The last up-to-`mss` bytes sent, unless SACKed: what a tail loss probe retransmits
    /// when no new data can go (RFC 8985 7.3).
    pub(crate) fn last_segment(&self, mss: u32) -> Option<(SeqNum, u32)> {
        let r = self.ranges.back()?;
        if r.sacked {
            return None;
        }
        let len = r.len().min(mss);
        Some((before(r.end, len), len))
    }

    /// Recomputes the cached totals from the ranges and checks the layout (tests).
    #[cfg(test)]
    pub(crate) fn check_invariants(&self) {
        let mut at = self.snd_una;
        let mut pipe = 0u32;
        let mut sacked = 0u32;
        for r in &self.ranges {
            assert_eq!(
                r.start, at,
                "ranges must be contiguous from SND.UNA: {:?}",
                self.ranges
            );
            assert!(r.start < r.end, "empty range {r:?}");
            at = r.end;
            pipe += r.pipe();
            if r.sacked {
                sacked += r.len();
                assert!(!r.lost && !r.retransmitted);
            }
        }
        assert_eq!(at, self.high_data);
        assert_eq!(pipe, self.pipe, "pipe");
        assert_eq!(sacked, self.sacked_bytes, "sacked bytes");
        assert!(self.ranges.len() <= MAX_RANGES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    const MSS: u32 = 1000;

    fn s(n: u32) -> SeqNum {
        SeqNum::new(n)
    }

    fn at(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    /// `n` segments of MSS bytes from 1000, each sent 1 ms after the previous.
    fn sent(n: u32) -> Scoreboard {
        let mut b = Scoreboard::new(s(1000));
        for i in 0..n {
            b.on_transmit(s(1000 + i * MSS), MSS, at(u64::from(i)));
        }
        b.check_invariants();
        b
    }

    fn sack(b: &mut Scoreboard, from: u32, to: u32) -> u32 {
        let n = b.on_sack_block(s(from), s(to), |_| {});
        b.check_invariants();
        n
    }

    #[test]
    fn a_burst_sent_at_one_instant_is_one_range() {
        let mut b = Scoreboard::new(s(0));
        for i in 0..10 {
            b.on_transmit(s(i * MSS), MSS, at(5));
        }
        assert_eq!(b.range_count(), 1);
        assert_eq!(b.outstanding(), 10_000);
        assert_eq!(b.pipe(), 10_000);
        b.check_invariants();
    }

    #[test]
    fn rfc6675_update_scoreboard_from_sack_blocks() {
        let mut b = sent(10); // 1000..11000
        assert_eq!(sack(&mut b, 3000, 5000), 2000);
        assert_eq!(sack(&mut b, 3000, 5000), 0, "a repeated block adds nothing");
        assert_eq!(
            sack(&mut b, 4500, 6500),
            1500,
            "an overlapping block adds its new part"
        );
        assert_eq!(b.sacked_bytes(), 3500);
        assert_eq!(b.high_sacked(), s(6500));
        assert_eq!(b.pipe(), 10_000 - 3500);
        // Blocks outside SND.UNA..HighData are ignored.
        assert_eq!(sack(&mut b, 20_000, 21_000), 0);
        assert_eq!(sack(&mut b, 0, 1000), 0);
    }

    #[test]
    fn rfc6675_is_lost_needs_three_sacked_segments_or_more_than_two_mss_of_bytes() {
        let mut b = sent(10);
        sack(&mut b, 3000, 4000);
        sack(&mut b, 5000, 6000);
        assert!(
            !b.is_lost(s(1000), MSS),
            "two discontiguous SACKs, 2000 bytes"
        );
        sack(&mut b, 7000, 8000);
        assert!(b.is_lost(s(1000), MSS), "three discontiguous runs");
        assert!(!b.is_lost(s(4000), MSS), "only two runs above 4000");

        let mut c = sent(10);
        sack(&mut c, 3000, 5000);
        assert!(
            !c.is_lost(s(1000), MSS),
            "2000 bytes = (DupThresh-1)*SMSS is not more"
        );
        sack(&mut c, 5000, 5001);
        assert!(c.is_lost(s(1000), MSS), "2001 bytes in one run");
    }

    #[test]
    fn rfc6675_pipe_counts_lost_and_retransmitted_segments() {
        let mut b = sent(6); // 1000..7000
        sack(&mut b, 4000, 7000);
        assert_eq!(
            b.mark_lost_by_sack(MSS),
            3000,
            "1000..4000 lie below 3 SACKed MSS"
        );
        assert_eq!(b.pipe(), 0);
        assert_eq!(b.next_lost(MSS), Some((s(1000), 1000)));
        b.on_transmit(s(1000), 1000, at(50));
        b.check_invariants();
        assert_eq!(b.pipe(), 1000, "lost + retransmitted counts once");
        assert_eq!(b.next_lost(MSS), Some((s(2000), 1000)));
        assert_eq!(b.high_rxt(), s(2000));
        // A retransmission of data not deemed lost counts twice (SetPipe).
        let mut c = sent(2);
        c.on_transmit(s(1000), 1000, at(9));
        c.check_invariants();
        assert_eq!(c.pipe(), 3000);
    }

    #[test]
    fn cumulative_ack_trims_and_reports_delivered_ranges() {
        let mut b = sent(4); // 1000..5000
        sack(&mut b, 3000, 4000);
        let mut delivered = Vec::new();
        let n = b.on_cumulative_ack(s(3500), |r| delivered.push((r.start.get(), r.end.get())));
        b.check_invariants();
        assert_eq!(n, 2500);
        // The SACKed range was delivered before; only 1000..3000 are new.
        assert_eq!(delivered, [(1000, 2000), (2000, 3000)]);
        assert_eq!(b.snd_una(), s(3500));
        assert_eq!(b.sacked_bytes(), 500);
        assert_eq!(b.on_cumulative_ack(s(3000), |_| {}), 0, "old ACK");
        assert_eq!(
            b.on_cumulative_ack(s(9000), |_| {}),
            0,
            "ACK beyond HighData"
        );
    }

    #[test]
    fn rfc6675_next_seg_rules_1_to_4() {
        let mut b = sent(8); // 1000..9000
        b.begin_episode();
        sack(&mut b, 5000, 8000);
        b.mark_lost_by_sack(MSS); // 1000..5000 lost
                                  // Rule 1: lowest lost segment first.
        assert_eq!(
            b.next_seg(MSS, true, s(9000)),
            Some(NextSeg::Retransmit(s(1000), 1000))
        );
        for seq in [1000, 2000, 3000, 4000] {
            b.on_transmit(s(seq), 1000, at(20));
        }
        // Rule 2: new data.
        assert_eq!(b.next_seg(MSS, true, s(9000)), Some(NextSeg::NewData));
        // Rule 3 has nothing below the highest SACK that was not retransmitted, so rule 4:
        // the highest unSACKed segment, once.
        assert_eq!(
            b.next_seg(MSS, false, s(9000)),
            Some(NextSeg::Retransmit(s(8000), 1000))
        );
        assert_eq!(
            b.next_seg(MSS, false, s(9000)),
            None,
            "one rescue per episode"
        );

        // Rule 3: an unSACKed, not-lost segment below the highest SACK.
        let mut c = sent(5); // 1000..6000
        c.begin_episode();
        sack(&mut c, 5000, 6000);
        assert_eq!(
            c.next_seg(MSS, false, s(6000)),
            Some(NextSeg::Retransmit(s(1000), 1000))
        );
    }

    #[test]
    fn rto_marks_everything_unsacked_lost() {
        let mut b = sent(4);
        sack(&mut b, 2000, 3000);
        b.on_transmit(s(1000), 1000, at(10));
        b.mark_all_lost(at(11));
        b.check_invariants();
        assert_eq!(b.pipe(), 0);
        assert_eq!(b.next_lost(MSS), Some((s(1000), 1000)));
        b.clear_unretransmitted_losses();
        b.check_invariants();
        assert_eq!(b.pipe(), 3000);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 3,072 sends with a range walk each: minutes under Miri
    fn the_range_count_is_bounded_and_pipe_stays_exact() {
        let mut b = Scoreboard::new(s(0));
        // Every other segment SACKed: the worst case for merging.
        for i in 0..(3 * MAX_RANGES as u32) {
            b.on_transmit(s(i * 100), 100, at(u64::from(i)));
            if i % 2 == 1 {
                b.on_sack_block(s(i * 100), s(i * 100 + 100), |_| {});
            }
            assert!(b.range_count() <= MAX_RANGES);
        }
        b.check_invariants();
        assert_eq!(b.outstanding(), 3 * MAX_RANGES as u32 * 100);
        // Forgotten SACKs count as in flight again, never the other way round.
        assert!(b.sacked_bytes() <= b.outstanding() / 2);
        assert_eq!(b.pipe() + b.sacked_bytes(), b.outstanding());
    }

    #[test]
    fn sequence_space_wraps() {
        let mut b = Scoreboard::new(s(u32::MAX - 1500));
        b.on_transmit(s(u32::MAX - 1500), 1000, at(0));
        b.on_transmit(s(u32::MAX - 500), 1000, at(1));
        b.on_transmit(s(499), 1000, at(2));
        b.check_invariants();
        assert_eq!(sack(&mut b, 499, 1499), 1000);
        assert_eq!(b.outstanding(), 3000);
        assert_eq!(b.on_cumulative_ack(s(499), |_| {}), 2000);
        b.check_invariants();
    }

    #[test]
    fn last_segment_is_the_tail() {
        let b = sent(3);
        assert_eq!(b.last_segment(MSS), Some((s(3000), 1000)));
        let mut c = Scoreboard::new(s(0));
        c.on_transmit(s(0), 5000, at(0));
        assert_eq!(c.last_segment(MSS), Some((s(4000), 1000)));
    }
}
