//! TCP sequence analysis with tshark's rules and names (`tcp.analysis.*`).
//!
//! Each direction of a conversation keeps what tshark's "SEQ/ACK analysis" keeps: the next
//! expected sequence number, the last acknowledgement and when it was seen, the last
//! window, how many duplicate ACKs followed the last ordinary one, and whether the last
//! segment was a keep-alive or a zero-window probe. A segment is judged against its own
//! direction and the reverse one, in the order the Wireshark user's guide gives (section
//! "TCP Analysis"), and then updates its direction. Sequence numbers compare modulo 2^32.
//! Memory: a fixed-size record per direction of each conversation.

/// One analysis flag; the names are tshark's field names without `tcp.analysis.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Flag {
    /// `tcp.analysis.retransmission`
    Retransmission = 1,
    /// `tcp.analysis.fast_retransmission`
    FastRetransmission = 1 << 1,
    /// `tcp.analysis.spurious_retransmission`
    SpuriousRetransmission = 1 << 2,
    /// `tcp.analysis.out_of_order`
    OutOfOrder = 1 << 3,
    /// `tcp.analysis.lost_segment`
    LostSegment = 1 << 4,
    /// `tcp.analysis.ack_lost_segment`
    AckLostSegment = 1 << 5,
    /// `tcp.analysis.duplicate_ack`
    DuplicateAck = 1 << 6,
    /// `tcp.analysis.zero_window`
    ZeroWindow = 1 << 7,
    /// `tcp.analysis.zero_window_probe`
    ZeroWindowProbe = 1 << 8,
    /// `tcp.analysis.zero_window_probe_ack`
    ZeroWindowProbeAck = 1 << 9,
    /// `tcp.analysis.window_update`
    WindowUpdate = 1 << 10,
    /// `tcp.analysis.keep_alive`
    KeepAlive = 1 << 11,
    /// `tcp.analysis.keep_alive_ack`
    KeepAliveAck = 1 << 12,
    /// `tcp.analysis.reused_ports`
    ReusedPorts = 1 << 13,
    /// `tcp.analysis.window_full`
    WindowFull = 1 << 14,
}

impl Flag {
    /// Every flag with its tshark field name.
    pub const NAMED: [(&'static str, Flag); 15] = [
        ("tcp.analysis.retransmission", Flag::Retransmission),
        ("tcp.analysis.fast_retransmission", Flag::FastRetransmission),
        (
            "tcp.analysis.spurious_retransmission",
            Flag::SpuriousRetransmission,
        ),
        ("tcp.analysis.out_of_order", Flag::OutOfOrder),
        ("tcp.analysis.lost_segment", Flag::LostSegment),
        ("tcp.analysis.ack_lost_segment", Flag::AckLostSegment),
        ("tcp.analysis.duplicate_ack", Flag::DuplicateAck),
        ("tcp.analysis.zero_window", Flag::ZeroWindow),
        ("tcp.analysis.zero_window_probe", Flag::ZeroWindowProbe),
        (
            "tcp.analysis.zero_window_probe_ack",
            Flag::ZeroWindowProbeAck,
        ),
        ("tcp.analysis.window_update", Flag::WindowUpdate),
        ("tcp.analysis.keep_alive", Flag::KeepAlive),
        ("tcp.analysis.keep_alive_ack", Flag::KeepAliveAck),
        ("tcp.analysis.reused_ports", Flag::ReusedPorts),
        ("tcp.analysis.window_full", Flag::WindowFull),
    ];
}

/// What the analysis says about one TCP header.
///
/// ```
/// use zcdump::analysis::{Flag, SegmentAnalysis};
/// let a = SegmentAnalysis {
///     flags: Flag::DuplicateAck as u32,
///     dup_ack_num: 1,
///     dup_ack_frame: 7,
///     ..SegmentAnalysis::default()
/// };
/// assert!(a.has(Flag::DuplicateAck) && !a.has(Flag::Retransmission));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SegmentAnalysis {
    /// The [`Flag`]s set, as a bit set.
    pub flags: u32,
    /// `tcp.analysis.duplicate_ack_num` (0 when not a duplicate ACK).
    pub dup_ack_num: u32,
    /// `tcp.analysis.duplicate_ack_frame`: the frame this ACK duplicates.
    pub dup_ack_frame: u64,
    /// `tcp.analysis.acks_frame`: the frame whose segment this ACK acknowledges (0: none).
    pub acks_frame: u64,
    /// `tcp.analysis.ack_rtt` in nanoseconds: the time since that frame (0: not shown).
    pub ack_rtt_ns: u128,
    /// `tcp.analysis.bytes_in_flight` (0: not shown).
    pub bytes_in_flight: u32,
    /// `tcp.analysis.push_bytes_sent`, shown with `bytes_in_flight`.
    pub push_bytes_sent: u32,
}

impl SegmentAnalysis {
    /// Whether `flag` is set.
    #[must_use]
    pub fn has(&self, flag: Flag) -> bool {
        self.flags & flag as u32 != 0
    }
}

/// A segment as the analysis reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub frame: u64,
    /// Capture time in nanoseconds.
    pub time: u128,
    pub seq: u32,
    pub ack: u32,
    pub flags: u16,
    pub window: u32,
    /// The window scaled by the sender's announced shift (`tcp.window_size`).
    pub scaled_window: u64,
    pub len: u32,
}

const FIN: u16 = 0x01;
const SYN: u16 = 0x02;
const RST: u16 = 0x04;
const PSH: u16 = 0x08;
const ACK: u16 = 0x10;

/// tshark's default out-of-order window when no RTT is known: 3 ms.
const OUT_OF_ORDER_NS: u128 = 3_000_000;
/// A fast retransmission follows the duplicate ACKs within 20 ms.
const FAST_RETRANSMISSION_NS: u128 = 20_000_000;

fn gt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

fn lt(a: u32, b: u32) -> bool {
    gt(b, a)
}

/// tshark keeps at most this many unacknowledged segments per direction (its
/// `TCP_MAX_UNACKED_SEGMENTS`), so a huge capture that is never acknowledged costs bounded
/// memory; later segments are then not tracked for `acks_frame` and `bytes_in_flight`.
pub(crate) const MAX_UNACKED: usize = 10_000;

/// A segment sent and not yet acknowledged in full.
#[derive(Debug, Clone, Copy)]
struct Unacked {
    frame: u64,
    time: u128,
    seq: u32,
    /// The sequence number after it (SYN and FIN count one).
    end: u32,
}

/// One direction's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Direction {
    /// Next expected sequence number (`None` before the first segment).
    next_seq: Option<u32>,
    /// Highest sequence number this side sent that the other may acknowledge.
    max_seq_to_be_acked: Option<u32>,
    last_ack: Option<u32>,
    last_ack_time: u128,
    last_segment_time: u128,
    window: Option<u32>,
    dup_ack_num: u32,
    last_non_dup_ack: u64,
    last_was_keep_alive: bool,
    last_was_zero_window_probe: bool,
    /// The window as `tcp.window_size` shows it (scaled), for `window_full`.
    scaled_window: Option<u64>,
    /// Whether the other side may read this side's window as scaled: its SYN was seen.
    pub(crate) scale_known: bool,
    /// Segments not yet acknowledged, newest last.
    unacked: std::collections::VecDeque<Unacked>,
    /// A lost segment makes `bytes_in_flight` unknowable for the rest of the direction.
    in_flight_unknown: bool,
    push_bytes: u32,
    push_set_last: bool,
}

/// Judges `seg` sent by `fwd` to `rev`, then updates `fwd` (and removes from `rev` the
/// segments this one acknowledges).
pub(crate) fn analyse(fwd: &mut Direction, rev: &mut Direction, seg: &Segment) -> SegmentAnalysis {
    let mut out = flags(fwd, rev, seg);
    if seg.flags & ACK != 0 {
        acknowledge(rev, seg, &mut out);
    }
    in_flight(fwd, seg, &mut out);
    out
}

/// `window_full`: a segment with data that reaches exactly the right edge of the window the
/// other side last announced (tshark: only once that side's SYN, and so its scaling, was
/// seen; never on SYN, FIN or RST).
fn window_full(rev: &Direction, seg: &Segment) -> bool {
    let (Some(ack), Some(window)) = (rev.last_ack, rev.scaled_window) else {
        return false;
    };
    seg.len > 0
        && rev.scale_known
        && seg.flags & (SYN | FIN | RST) == 0
        && seg.seq.wrapping_add(seg.len) == ack.wrapping_add(window as u32)
}

/// `acks_frame` and `ack_rtt`: the ACK removes every segment of `rev` it covers, trims one
/// it covers in part, and names the frame of the segment it ends exactly (the oldest such).
fn acknowledge(rev: &mut Direction, seg: &Segment, out: &mut SegmentAnalysis) {
    let ack = seg.ack;
    rev.unacked.retain_mut(|u| {
        if u.end == ack {
            if out.acks_frame == 0 {
                out.acks_frame = u.frame;
                out.ack_rtt_ns = seg.time.saturating_sub(u.time);
            }
            return false;
        }
        if gt(ack, u.seq) && lt(ack, u.end) {
            u.seq = ack;
            return true;
        }
        gt(u.end, ack)
    });
    // Once everything sent is acknowledged the span is known again, even after a loss.
    if rev.unacked.is_empty() {
        rev.in_flight_unknown = false;
    }
}

/// `bytes_in_flight` and `push_bytes_sent` of a segment with data: the span of this
/// direction's unacknowledged segments, once it is known.
fn in_flight(fwd: &mut Direction, seg: &Segment, out: &mut SegmentAnalysis) {
    if seg.len == 0 || fwd.in_flight_unknown {
        return;
    }
    let Some(first) = fwd.unacked.front() else {
        return;
    };
    let base = first.seq;
    let (low, high) = fwd.unacked.iter().fold((u32::MAX, 0u32), |(lo, hi), u| {
        (
            lo.min(u.seq.wrapping_sub(base)),
            hi.max(u.end.wrapping_sub(base)),
        )
    });
    let span = high.wrapping_sub(low);
    if span == 0 || span >= 2_000_000_000 {
        return;
    }
    out.bytes_in_flight = span;
    fwd.push_bytes = if fwd.push_set_last {
        seg.len
    } else {
        fwd.push_bytes.saturating_add(seg.len)
    };
    fwd.push_set_last = seg.flags & PSH != 0;
    out.push_bytes_sent = fwd.push_bytes;
}

/// The flags of `seg`, and `fwd`'s sequence state after it.
fn flags(fwd: &mut Direction, rev: &Direction, seg: &Segment) -> SegmentAnalysis {
    let mut out = SegmentAnalysis::default();
    let mut set = |f: Flag| out.flags |= f as u32;
    let control = seg.flags & (SYN | FIN | RST) != 0;
    let syn_fin = u32::from(seg.flags & (SYN | FIN) != 0);
    let next = fwd.next_seq;
    let at_next = next == Some(seg.seq);

    let zero_window_probe = seg.len == 1 && at_next && rev.window == Some(0) && !control;
    if zero_window_probe {
        set(Flag::ZeroWindowProbe);
    }
    if seg.window == 0 && !control {
        set(Flag::ZeroWindow);
    }
    if !zero_window_probe {
        if let Some(n) = next {
            if gt(seg.seq, n) && seg.flags & RST == 0 {
                set(Flag::LostSegment);
                fwd.in_flight_unknown = true;
            }
        }
    }
    if !zero_window_probe && window_full(rev, seg) {
        set(Flag::WindowFull);
    }
    let keep_alive = !zero_window_probe
        && seg.len <= 1
        && !control
        && next.is_some_and(|n| n.wrapping_sub(1) == seg.seq);
    if keep_alive {
        set(Flag::KeepAlive);
    }
    let same_ack = fwd.last_ack == Some(seg.ack);
    let pure_ack = seg.len == 0 && !control && at_next && same_ack;
    let window_same = fwd.window == Some(seg.window);
    if pure_ack && !window_same && fwd.window.is_some() {
        set(Flag::WindowUpdate);
    }
    let mut dup_candidate = pure_ack && window_same && seg.window != 0;
    if dup_candidate && rev.last_was_keep_alive {
        set(Flag::KeepAliveAck);
        dup_candidate = false;
    }
    if pure_ack && window_same && rev.last_was_zero_window_probe {
        set(Flag::ZeroWindowProbeAck);
        dup_candidate = false;
    }
    if dup_candidate {
        fwd.dup_ack_num += 1;
        set(Flag::DuplicateAck);
        out.dup_ack_num = fwd.dup_ack_num;
        out.dup_ack_frame = fwd.last_non_dup_ack;
    } else if seg.len > 0 || !pure_ack {
        fwd.dup_ack_num = 0;
        fwd.last_non_dup_ack = seg.frame;
    }
    if seg.flags & ACK != 0 {
        if let Some(max) = rev.max_seq_to_be_acked {
            if gt(seg.ack, max) {
                set(Flag::AckLostSegment);
            }
        }
    }
    let mut retransmitted = false;
    if !keep_alive && !zero_window_probe && (seg.len > 0 || syn_fin == 1) {
        if let Some(n) = next {
            if lt(seg.seq, n) {
                retransmitted = true;
                let fast = rev.dup_ack_num >= 2
                    && rev.last_ack == Some(seg.seq)
                    && seg.time.saturating_sub(rev.last_ack_time) < FAST_RETRANSMISSION_NS;
                let end = seg.seq.wrapping_add(seg.len).wrapping_add(syn_fin);
                if fast {
                    set(Flag::FastRetransmission);
                    set(Flag::Retransmission);
                } else if seg.time.saturating_sub(fwd.last_segment_time) < OUT_OF_ORDER_NS
                    && n != end
                {
                    set(Flag::OutOfOrder);
                } else if seg.len > 0 && rev.last_ack.is_some_and(|a| !gt(end, a)) {
                    set(Flag::SpuriousRetransmission);
                    set(Flag::Retransmission);
                } else {
                    set(Flag::Retransmission);
                }
            }
        }
    }

    // Update this direction.
    let end = seg.seq.wrapping_add(seg.len).wrapping_add(syn_fin);
    // A zero-window probe's byte is sent again once the window opens, so it does not
    // advance the next expected sequence number.
    if !zero_window_probe && !retransmitted && !keep_alive && next.is_none_or(|n| gt(end, n)) {
        fwd.next_seq = Some(end);
    }
    if fwd.max_seq_to_be_acked.is_none_or(|m| gt(end, m)) && !keep_alive && !zero_window_probe {
        fwd.max_seq_to_be_acked = Some(end);
    }
    if seg.flags & ACK != 0 {
        fwd.last_ack = Some(seg.ack);
        fwd.last_ack_time = seg.time;
    }
    if seg.len > 0 || syn_fin == 1 {
        fwd.last_segment_time = seg.time;
    }
    if (seg.len > 0 || syn_fin == 1) && fwd.unacked.len() < MAX_UNACKED {
        fwd.unacked.push_back(Unacked {
            frame: seg.frame,
            time: seg.time,
            seq: seg.seq,
            end,
        });
    }
    fwd.window = Some(seg.window);
    fwd.scaled_window = Some(seg.scaled_window);
    fwd.last_was_keep_alive = keep_alive;
    fwd.last_was_zero_window_probe = zero_window_probe;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(frame: u64, ms: u128, seq: u32, ack: u32, flags: u16, len: u32) -> Segment {
        Segment {
            frame,
            time: ms * 1_000_000,
            seq,
            ack,
            flags,
            window: 1000,
            scaled_window: 1000,
            len,
        }
    }

    #[test]
    fn counts_duplicate_acks_and_names_the_fast_retransmission() {
        let (mut client, mut server) = (Direction::default(), Direction::default());
        let a = analyse(&mut client, &mut server, &seg(1, 0, 100, 1, ACK, 10));
        assert_eq!(a.flags, 0);
        let gap = analyse(&mut client, &mut server, &seg(2, 1, 120, 1, ACK, 10));
        assert!(gap.has(Flag::LostSegment));
        analyse(&mut server, &mut client, &seg(3, 2, 1, 110, ACK, 0));
        for n in 1..=2 {
            let dup = analyse(
                &mut server,
                &mut client,
                &seg(3 + u64::from(n), 3, 1, 110, ACK, 0),
            );
            assert!(dup.has(Flag::DuplicateAck));
            assert_eq!((dup.dup_ack_num, dup.dup_ack_frame), (n, 3));
        }
        let fast = analyse(&mut client, &mut server, &seg(6, 4, 110, 1, ACK, 10));
        assert!(fast.has(Flag::FastRetransmission) && fast.has(Flag::Retransmission));
        let late = analyse(&mut client, &mut server, &seg(7, 900, 110, 1, ACK, 10));
        assert!(late.has(Flag::Retransmission) && !late.has(Flag::FastRetransmission));
    }

    #[test]
    fn an_ack_names_the_segment_it_ends_and_in_flight_spans_the_unacknowledged() {
        let (mut client, mut server) = (Direction::default(), Direction::default());
        let first = analyse(&mut client, &mut server, &seg(1, 0, 100, 1, ACK | PSH, 10));
        assert_eq!((first.bytes_in_flight, first.push_bytes_sent), (10, 10));
        let second = analyse(&mut client, &mut server, &seg(2, 1, 110, 1, ACK, 10));
        assert_eq!((second.bytes_in_flight, second.push_bytes_sent), (20, 10));
        // A partial ACK trims frame 1's segment without naming it.
        let partial = analyse(&mut server, &mut client, &seg(3, 2, 1, 105, ACK, 0));
        assert_eq!(partial.acks_frame, 0);
        let ack = analyse(&mut server, &mut client, &seg(4, 5, 1, 120, ACK, 0));
        assert_eq!((ack.acks_frame, ack.ack_rtt_ns), (2, 4_000_000));
        let third = analyse(&mut client, &mut server, &seg(5, 6, 120, 1, ACK, 10));
        assert_eq!(
            third.bytes_in_flight, 10,
            "everything before was acknowledged"
        );
    }

    #[test]
    fn a_segment_reaching_the_edge_of_the_announced_window_fills_it() {
        let (mut client, mut server) = (Direction::default(), Direction::default());
        server.scale_known = true;
        // The server acknowledged up to 100 and announces 1000 bytes (seg() sets both).
        analyse(&mut server, &mut client, &seg(1, 0, 1, 100, ACK, 0));
        let short = analyse(&mut client, &mut server, &seg(2, 1, 100, 1, ACK, 500));
        assert!(!short.has(Flag::WindowFull));
        let edge = analyse(&mut client, &mut server, &seg(3, 2, 600, 1, ACK, 500));
        assert!(edge.has(Flag::WindowFull));
    }

    #[test]
    fn sequence_numbers_compare_across_the_wrap() {
        assert!(gt(5, u32::MAX - 5) && lt(u32::MAX - 5, 5));
        let (mut fwd, mut rev) = (Direction::default(), Direction::default());
        analyse(&mut fwd, &mut rev, &seg(1, 0, u32::MAX - 4, 0, ACK, 10));
        let next = analyse(&mut fwd, &mut rev, &seg(2, 1, 5, 0, ACK, 10));
        assert_eq!(next.flags, 0, "{next:?}");
    }
}
