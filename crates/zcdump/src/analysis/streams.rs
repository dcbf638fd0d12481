//! `tcp.stream` and `udp.stream`: conversation indices numbered as tshark numbers them.
//!
//! tshark gives each TCP or UDP conversation (the two addresses and two ports, in either
//! direction) an index in order of first appearance, counting TCP and UDP separately from
//! 0. A TCP conversation is replaced by a new one, with the next index, when a SYN without
//! ACK arrives whose sequence number differs from the one the conversation started with in
//! that direction: the ports were reused for a new connection. Indices depend on every
//! earlier frame, so the table sees every frame in file order, whatever a filter selects.
//! Memory grows with the number of distinct conversations (one small entry each), as
//! tshark's own conversation table does.

use std::collections::HashMap;

use super::tcp::{analyse, Direction, Flag, Segment, SegmentAnalysis};
use super::timeline::{FrameTimes, Timeline};
use crate::fields::{Field, FieldMask, FrameFields, Proto, Value};

/// The dissector fields the table reads.
pub const STREAM_FIELDS: [Field; 16] = [
    Field::FrameNumber,
    Field::TcpOptionsWscaleShift,
    Field::TcpAckRaw,
    Field::TcpWindowSizeValue,
    Field::IpSrc,
    Field::IpDst,
    Field::Ipv6Src,
    Field::Ipv6Dst,
    Field::TcpSrcport,
    Field::TcpDstport,
    Field::TcpSeqRaw,
    Field::TcpFlags,
    Field::UdpSrcport,
    Field::UdpDstport,
    Field::UdpChecksumStatus,
    Field::TcpUrgentPointer,
];

/// One endpoint: an address (IPv4 mapped into 128 bits, tagged) and a port.
type Endpoint = (u8, u128, u64);

/// A conversation key with its endpoints in a fixed order, so both directions agree.
type Key = (Endpoint, Endpoint);

#[derive(Debug, Clone)]
struct TcpConversation {
    index: u32,
    /// The first sequence number seen from each side (the lower endpoint first).
    base_seq: [Option<u64>; 2],
    /// Sequence analysis state of each side.
    dirs: [Direction; 2],
    /// What relative sequence numbers count from, per side: the SYN's number, or one
    /// before the first number seen when the capture missed the SYN.
    rel_base: [Option<u32>; 2],
    /// Each side's window scale as its SYN announced it (`Some(None)`: a SYN without the
    /// option, so no scaling in either direction).
    wscale: [Option<Option<u8>>; 2],
}

/// tshark's relative numbers of one TCP header: `tcp.seq`, `tcp.ack`, `tcp.nxtseq` and
/// `tcp.window_size` (the window scaled by the sender's announced shift when both SYNs
/// carried the option).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TcpNumbers {
    /// `tcp.seq`
    pub seq: u32,
    /// `tcp.ack`
    pub ack: u32,
    /// `tcp.nxtseq`
    pub nxtseq: u32,
    /// `tcp.window_size`
    pub window_size: u64,
}

/// What the conversation table says about one frame: the stream indices and analysis of
/// its TCP and UDP headers, in header order (an ICMP error quoting a segment has two), and
/// its times.
///
/// ```
/// use zcdump::analysis::FrameStreams;
/// let ids = FrameStreams::default();
/// assert!(ids.tcp.is_empty() && ids.udp.is_empty() && ids.tcp_analysis.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameStreams {
    /// `tcp.stream` of each TCP header.
    pub tcp: Vec<u32>,
    /// `udp.stream` of each UDP header.
    pub udp: Vec<u32>,
    /// `tcp.analysis.*` of each TCP header.
    pub tcp_analysis: Vec<SegmentAnalysis>,
    /// Relative numbers of each TCP header (only headers with sequence number and flags).
    pub tcp_numbers: Vec<TcpNumbers>,
    /// `frame.time_*`.
    pub times: FrameTimes,
}

/// The conversation table, fed every frame in file order.
///
/// ```
/// use zcdump::analysis::Streams;
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// let mut streams = Streams::default();
/// let mut frame = |src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16| {
///     let mut f = FrameFields::default();
///     f.enter(Proto::Ip);
///     f.push(Field::IpSrc, Value::Ipv4(src));
///     f.push(Field::IpDst, Value::Ipv4(dst));
///     f.enter(Proto::Udp);
///     f.push_uint(Field::UdpSrcport, sport);
///     f.push_uint(Field::UdpDstport, dport);
///     f.push_uint(Field::UdpChecksumStatus, 2u8); // the whole header was captured
///     f
/// };
/// let a = [10, 0, 0, 1];
/// let b = [10, 0, 0, 2];
/// assert_eq!(streams.observe(&frame(a, b, 5000, 53), 0).udp, [0]);
/// assert_eq!(streams.observe(&frame(b, a, 53, 5000), 1).udp, [0]); // the reply
/// assert_eq!(streams.observe(&frame(a, b, 5001, 53), 2).udp, [1]);
/// ```
#[derive(Debug, Default)]
pub struct Streams {
    tcp: HashMap<Key, TcpConversation>,
    udp: HashMap<Key, u32>,
    next_tcp: u32,
    next_udp: u32,
    timeline: Timeline,
}

/// One TCP or UDP header as the walk over a frame's occurrences collects it.
#[derive(Debug, Default)]
struct Header {
    tcp: bool,
    src: Option<(u8, u128)>,
    dst: Option<(u8, u128)>,
    ports: [Option<u64>; 2],
    seq: Option<u64>,
    ack: Option<u64>,
    window: Option<u64>,
    flags: Option<u64>,
    wscale: Option<u64>,
    /// The fixed header was captured whole (tshark numbers streams only then: its
    /// dissector stops at a cut header before it looks the conversation up).
    complete: bool,
    /// TCP: the whole fixed header (20 bytes) was captured.
    whole: bool,
}

fn address(value: Value) -> Option<(u8, u128)> {
    match value {
        Value::Ipv4(a) => Some((4, u128::from(u32::from_be_bytes(a)))),
        Value::Ipv6(a) => Some((6, u128::from_be_bytes(a))),
        _ => None,
    }
}

/// The frame's TCP and UDP headers with the addresses of the IP header around each.
fn headers(fields: &FrameFields) -> Vec<Header> {
    let mut found: Vec<Header> = Vec::new();
    let (mut src, mut dst) = (None, None);
    for &(field, value) in fields.entries() {
        match field {
            Field::Proto(p) if p == Proto::Tcp || p == Proto::Udp => found.push(Header {
                tcp: p == Proto::Tcp,
                src,
                dst,
                ..Header::default()
            }),
            Field::IpSrc | Field::Ipv6Src => src = address(value),
            Field::IpDst | Field::Ipv6Dst => dst = address(value),
            _ => {
                let Some(header) = found.last_mut() else {
                    continue;
                };
                let Value::Uint(v) = value else { continue };
                match field {
                    Field::TcpSrcport | Field::UdpSrcport => header.ports[0] = Some(v),
                    Field::TcpDstport | Field::UdpDstport => header.ports[1] = Some(v),
                    Field::TcpSeqRaw => header.seq = Some(v),
                    Field::TcpAckRaw => header.ack = Some(v),
                    Field::TcpWindowSizeValue => {
                        header.window = Some(v);
                        header.complete = true;
                    }
                    Field::TcpOptionsWscaleShift => header.wscale = Some(v),
                    Field::TcpFlags => header.flags = Some(v),
                    // TCP: the first 16 bytes (through the window, above); UDP: all 8.
                    Field::UdpChecksumStatus => header.complete = true,
                    Field::TcpUrgentPointer => header.whole = true,
                    _ => {}
                }
            }
        }
    }
    found
}

impl Streams {
    /// The fields [`observe`](Self::observe) reads, added to `mask`.
    ///
    /// ```
    /// use zcdump::analysis::Streams;
    /// use zcdump::fields::{Field, FieldMask};
    /// assert!(Streams::fields_read(FieldMask::NONE).contains(Field::TcpSeqRaw));
    /// ```
    #[must_use]
    pub fn fields_read(mask: FieldMask) -> FieldMask {
        let mask =
            crate::filter::Filter::parse("tcp.len").map_or(mask, |f| mask.union(f.fields_read()));
        STREAM_FIELDS.iter().fold(mask, |m, f| m.with(*f))
    }

    /// Records that the frame last observed passed the display filter (for
    /// `frame.time_delta_displayed`).
    pub fn mark_displayed(&mut self) {
        self.timeline.mark_displayed();
    }

    /// Records the frame (captured at `time_ns` nanoseconds) and returns the stream index
    /// and analysis of each of its TCP and UDP headers. Call it for every frame, in file
    /// order.
    pub fn observe(&mut self, fields: &FrameFields, time_ns: u128) -> FrameStreams {
        let mut ids = FrameStreams {
            times: self
                .timeline
                .observe(i128::try_from(time_ns).unwrap_or(i128::MAX)),
            ..FrameStreams::default()
        };
        let frame = fields.uint(Field::FrameNumber).unwrap_or(0);
        let mut lengths = crate::filter::segment_lengths(fields).into_iter();
        // tshark analyses a segment whose header the capture cut (the state moves on) but
        // stops at the cut before it shows the analysis, so such a frame has no
        // `tcp.analysis.*` fields (the outer TCP header is the one a snapshot length cuts).
        let mut header_cut = fields.layer(Proto::Tcp).is_some_and(|l| l.header_cut);
        for header in headers(fields) {
            let len = if header.tcp { lengths.next() } else { None };
            if !header.complete {
                continue;
            }
            let shown = header.whole && !(header.tcp && std::mem::take(&mut header_cut));
            let (Some((sf, sa)), Some((df, da)), [Some(sp), Some(dp)]) =
                (header.src, header.dst, header.ports)
            else {
                continue;
            };
            let here = (sf, sa, sp);
            let there = (df, da, dp);
            let (key, side) = if here <= there {
                ((here, there), 0)
            } else {
                ((there, here), 1)
            };
            if header.tcp {
                let (index, reused) = self.tcp_index(key, side, header.seq, header.flags);
                ids.tcp.push(index);
                let mut segment = Segment {
                    frame,
                    time: time_ns,
                    seq: header.seq.unwrap_or(0) as u32,
                    ack: header.ack.unwrap_or(0) as u32,
                    flags: header.flags.unwrap_or(0) as u16,
                    window: header.window.unwrap_or(0) as u32,
                    scaled_window: 0,
                    len: len.unwrap_or(0) as u32,
                };
                let mut analysis = SegmentAnalysis::default();
                if let (Some(c), Some(_), Some(_)) =
                    (self.tcp.get_mut(&key), header.seq, header.flags)
                {
                    let relative = numbers(c, side, &segment, header.wscale);
                    segment.scaled_window = relative.window_size;
                    ids.tcp_numbers.push(relative);
                    let [a, b] = &mut c.dirs;
                    let (fwd, rev) = if side == 0 { (a, b) } else { (b, a) };
                    if segment.flags & 0x02 != 0 {
                        fwd.scale_known = true;
                    }
                    analysis = analyse(fwd, rev, &segment);
                    if !shown {
                        analysis = SegmentAnalysis::default();
                    }
                }
                if reused {
                    analysis.flags |= Flag::ReusedPorts as u32;
                }
                ids.tcp_analysis.push(analysis);
            } else {
                let next = &mut self.next_udp;
                let index = *self.udp.entry(key).or_insert_with(|| {
                    *next += 1;
                    *next - 1
                });
                ids.udp.push(index);
            }
        }
        ids
    }

    /// The conversation's index, and whether this SYN started it on reused ports.
    fn tcp_index(
        &mut self,
        key: Key,
        side: usize,
        seq: Option<u64>,
        flags: Option<u64>,
    ) -> (u32, bool) {
        let pure_syn = flags.is_some_and(|f| f & 0x12 == 0x02);
        let mut reused = false;
        if let Some(conversation) = self.tcp.get_mut(&key) {
            let base = conversation.base_seq[side];
            reused = pure_syn && base.is_some() && seq.is_some() && base != seq;
            if !reused {
                if base.is_none() {
                    conversation.base_seq[side] = seq;
                }
                return (conversation.index, false);
            }
        }
        let mut base_seq = [None; 2];
        base_seq[side] = seq;
        let index = self.next_tcp;
        self.next_tcp += 1;
        let dirs = [Direction::default(), Direction::default()];
        self.tcp.insert(
            key,
            TcpConversation {
                index,
                base_seq,
                dirs,
                rel_base: [None; 2],
                wscale: [None; 2],
            },
        );
        (index, reused)
    }
}

/// Records what the segment tells about its side, then gives its relative numbers.
fn numbers(c: &mut TcpConversation, side: usize, seg: &Segment, wscale: Option<u64>) -> TcpNumbers {
    let syn = seg.flags & 0x02 != 0;
    let fin = seg.flags & 0x01 != 0;
    if syn {
        c.wscale[side] = Some(wscale.and_then(|w| u8::try_from(w.min(14)).ok()));
    }
    let base = *c.rel_base[side].get_or_insert(if syn {
        seg.seq
    } else {
        seg.seq.wrapping_sub(1)
    });
    let seq = seg.seq.wrapping_sub(base);
    // Before the other side was seen, its numbers count from one before this ACK.
    if seg.flags & 0x10 != 0 && c.rel_base[1 - side].is_none() {
        c.rel_base[1 - side] = Some(seg.ack.wrapping_sub(1));
    }
    let ack = match c.rel_base[1 - side] {
        Some(other) if seg.flags & 0x10 != 0 => seg.ack.wrapping_sub(other),
        _ => seg.ack,
    };
    let nxtseq = seq
        .wrapping_add(seg.len)
        .wrapping_add(u32::from(syn || fin));
    let shift = match c.wscale {
        [Some(Some(mine)), Some(Some(_))] if side == 0 && !syn => mine,
        [Some(Some(_)), Some(Some(mine))] if side == 1 && !syn => mine,
        _ => 0,
    };
    TcpNumbers {
        seq,
        ack,
        nxtseq,
        window_size: u64::from(seg.window) << shift,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(sport: u16, dport: u16, seq: u32, flags: u16) -> FrameFields {
        let mut f = FrameFields::default();
        f.enter(Proto::Ip);
        let (src, dst) = if sport < dport {
            ([10, 0, 0, 1], [10, 0, 0, 2])
        } else {
            ([10, 0, 0, 2], [10, 0, 0, 1])
        };
        f.push(Field::IpSrc, Value::Ipv4(src));
        f.push(Field::IpDst, Value::Ipv4(dst));
        f.enter(Proto::Tcp);
        f.push_uint(Field::TcpSrcport, sport);
        f.push_uint(Field::TcpDstport, dport);
        f.push_uint(Field::TcpSeqRaw, seq);
        f.push_uint(Field::TcpFlags, flags);
        f.push_uint(Field::TcpWindowSizeValue, 1000u16);
        f.push_uint(Field::TcpUrgentPointer, 0u16);
        f
    }

    #[test]
    fn a_header_cut_before_its_window_gets_no_stream() {
        let mut s = Streams::default();
        let mut cut = segment(1000, 80, 5, 0x02);
        cut.clear();
        cut.enter(Proto::Ip);
        cut.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
        cut.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
        cut.enter(Proto::Tcp);
        cut.push_uint(Field::TcpSrcport, 1000u16);
        cut.push_uint(Field::TcpDstport, 80u16);
        assert!(s.observe(&cut, 0).tcp.is_empty());
        assert_eq!(s.observe(&segment(1000, 80, 5, 0x02), 0).tcp, [0]);
    }

    #[test]
    fn a_new_syn_on_reused_ports_starts_a_new_stream() {
        let mut s = Streams::default();
        assert_eq!(s.observe(&segment(1000, 80, 5, 0x02), 0).tcp, [0]);
        assert_eq!(s.observe(&segment(80, 1000, 9, 0x12), 0).tcp, [0]);
        assert_eq!(s.observe(&segment(1000, 80, 5, 0x02), 0).tcp, [0]); // retransmitted SYN
        assert_eq!(s.observe(&segment(1000, 80, 6, 0x11), 0).tcp, [0]);
        assert_eq!(s.observe(&segment(1000, 80, 700, 0x02), 0).tcp, [1]); // reuse
        assert_eq!(s.observe(&segment(80, 1000, 50, 0x12), 0).tcp, [1]);
        assert_eq!(s.observe(&segment(2000, 80, 1, 0x02), 0).tcp, [2]);
    }
}
