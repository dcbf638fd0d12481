//! Segments as the state machine sees them: [`Segment`] (arrived, parsed from a
//! `zerocast_wire::tcp::TcpPacket`) and [`OutSegment`] (to send, turned into bytes by
//! [`OutSegment::emit`]).
//!
//! The state machine never touches wire bytes: it gets sequence numbers, flags, the window
//! and decoded options, and answers with header values plus a reference into its send
//! buffer, so every rule is testable with exact numbers.

use zerocast_wire::tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_FIN, FLAG_PSH, FLAG_RST, FLAG_SYN};
use zerocast_wire::tcp_options::{self, TcpOption, TcpOptionRecord, TcpOptions};
use zerocast_wire::zerocast::SplitByteSlice;
use zerocast_wire::PseudoHeader;

use super::SeqNum;

/// Most SACK blocks a segment carries (RFC 2018: 4, or 3 with timestamps).
pub(crate) const MAX_SACK_BLOCKS: usize = 4;

/// The TCP options the state machine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SegOptions {
    pub(crate) mss: Option<u16>,
    pub(crate) window_scale: Option<u8>,
    pub(crate) sack_permitted: bool,
    /// (TSval, TSecr).
    pub(crate) timestamp: Option<(u32, u32)>,
    pub(crate) sack: [(SeqNum, SeqNum); MAX_SACK_BLOCKS],
    pub(crate) sack_len: u8,
}

impl SegOptions {
    /// Decodes an options area. Malformed or unknown options are skipped (RFC 9293 3.2:
    /// unknown options must be ignored); a malformed option ends the list.
    pub(crate) fn decode(bytes: &[u8]) -> SegOptions {
        let mut o = SegOptions::default();
        for record in TcpOptions::new(bytes) {
            let Ok(record) = record else { break };
            match record.decode() {
                TcpOption::Mss(m) => o.mss = Some(m),
                TcpOption::WindowScale(s) => o.window_scale = Some(s),
                TcpOption::SackPermitted => o.sack_permitted = true,
                TcpOption::Timestamp { tsval, tsecr } => o.timestamp = Some((tsval, tsecr)),
                TcpOption::Sack(blocks) => {
                    for (l, r) in blocks.iter() {
                        if usize::from(o.sack_len) < MAX_SACK_BLOCKS {
                            o.sack[usize::from(o.sack_len)] = (SeqNum::new(l), SeqNum::new(r));
                            o.sack_len += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        o
    }

    /// The SACK blocks received, in their order.
    pub(crate) fn sack_blocks(&self) -> &[(SeqNum, SeqNum)] {
        &self.sack[..usize::from(self.sack_len).min(MAX_SACK_BLOCKS)]
    }
}

/// A segment that arrived.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    pub(crate) seq: SeqNum,
    pub(crate) ack: SeqNum,
    pub(crate) flags: u16,
    /// The window field as received (not yet scaled).
    pub(crate) window: u16,
    pub(crate) options: SegOptions,
    pub(crate) payload: &'a [u8],
}

impl<'a> Segment<'a> {
    /// The view of a parsed packet.
    pub(crate) fn from_packet<B: SplitByteSlice>(p: &'a TcpPacket<B>) -> Segment<'a> {
        Segment {
            seq: SeqNum::new(p.seq()),
            ack: SeqNum::new(p.ack()),
            flags: p.flags(),
            window: p.window(),
            options: SegOptions::decode(p.options_bytes()),
            payload: p.payload(),
        }
    }

    pub(crate) fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// SEG.LEN: payload bytes plus one for SYN and one for FIN (RFC 9293 3.4).
    pub(crate) fn len(&self) -> u32 {
        // A payload fits a 64 KiB IP packet (or a jumbogram we never reassemble).
        let data = u32::try_from(self.payload.len()).unwrap_or(u32::MAX - 2);
        data + u32::from(self.has(FLAG_SYN)) + u32::from(self.has(FLAG_FIN))
    }
}

/// A segment the state machine wants sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct OutSegment {
    pub(crate) seq: SeqNum,
    pub(crate) ack: SeqNum,
    pub(crate) flags: u16,
    pub(crate) window: u16,
    /// SYN options: our MSS, window scale, SACK-permitted.
    pub(crate) mss: Option<u16>,
    pub(crate) window_scale: Option<u8>,
    pub(crate) sack_permitted: bool,
    pub(crate) timestamp: Option<(u32, u32)>,
    pub(crate) sack: [(SeqNum, SeqNum); MAX_SACK_BLOCKS],
    pub(crate) sack_len: u8,
    /// Payload bytes: the send buffer's bytes from `seq` on (looked up when the segment is
    /// written, so the state machine never copies data).
    pub(crate) payload_len: usize,
}

impl OutSegment {
    /// A bare RST with `seq` (and ACK of `ack` when given), as RFC 9293 3.10.7.1 builds them.
    pub(crate) fn rst(seq: SeqNum, ack: Option<SeqNum>) -> OutSegment {
        OutSegment {
            seq,
            ack: ack.unwrap_or_default(),
            flags: FLAG_RST | if ack.is_some() { FLAG_ACK } else { 0 },
            ..OutSegment::default()
        }
    }

    pub(crate) fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// SEG.LEN of this segment.
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.payload_len).unwrap_or(u32::MAX)
            + u32::from(self.has(FLAG_SYN))
            + u32::from(self.has(FLAG_FIN))
    }

    pub(crate) fn sack_blocks(&self) -> &[(SeqNum, SeqNum)] {
        &self.sack[..usize::from(self.sack_len).min(MAX_SACK_BLOCKS)]
    }

    /// Writes the options area (padded to 4 bytes) into `out`; returns its length.
    ///
    /// Layout as Linux's: MSS, SACK-permitted, timestamps, NOP + window scale, then NOP NOP
    /// + SACK blocks (4 fit alone, 3 next to timestamps: RFC 2018 section 3).
    pub(crate) fn write_options(&self, out: &mut [u8; 40]) -> usize {
        const NOP: TcpOptionRecord<'static> = TcpOptionRecord {
            kind: tcp_options::KIND_NOP,
            data: &[],
        };
        let mss = self.mss.map(u16::to_be_bytes).unwrap_or_default();
        let ws = [self.window_scale.unwrap_or(0)];
        let mut ts = [0u8; 8];
        if let Some((val, ecr)) = self.timestamp {
            ts[..4].copy_from_slice(&val.to_be_bytes());
            ts[4..].copy_from_slice(&ecr.to_be_bytes());
        }
        let blocks = self.sack_blocks();
        let count = blocks
            .len()
            .min(if self.timestamp.is_some() { 3 } else { 4 });
        let mut sack = [0u8; 8 * MAX_SACK_BLOCKS];
        for (chunk, (l, r)) in sack.chunks_exact_mut(8).zip(blocks.iter().take(count)) {
            chunk[..4].copy_from_slice(&l.get().to_be_bytes());
            chunk[4..].copy_from_slice(&r.get().to_be_bytes());
        }
        let mut list: [TcpOptionRecord<'_>; 12] = [NOP; 12];
        let mut n = 0;
        // At most 10 records are pushed below, so the list never overflows.
        macro_rules! push {
            ($r:expr) => {
                if let Some(slot) = list.get_mut(n) {
                    *slot = $r;
                    n += 1;
                }
            };
        }
        if self.mss.is_some() {
            push!(TcpOptionRecord {
                kind: tcp_options::KIND_MSS,
                data: &mss,
            });
        }
        if self.sack_permitted {
            push!(TcpOptionRecord {
                kind: tcp_options::KIND_SACK_PERMITTED,
                data: &[],
            });
        } else if self.timestamp.is_some() {
            push!(NOP);
            push!(NOP);
        }
        if self.timestamp.is_some() {
            push!(TcpOptionRecord {
                kind: tcp_options::KIND_TIMESTAMP,
                data: &ts,
            });
        }
        if self.window_scale.is_some() {
            push!(NOP);
            push!(TcpOptionRecord {
                kind: tcp_options::KIND_WINDOW_SCALE,
                data: &ws,
            });
        }
        if count > 0 {
            push!(NOP);
            push!(NOP);
            push!(TcpOptionRecord {
                kind: tcp_options::KIND_SACK,
                data: &sack[..count * 8],
            });
        }
        tcp_options::write_options(out, &list[..n]).unwrap_or(0)
    }

    /// Writes the whole segment (header, options, `payload`) into `out`, which must be
    /// exactly [`OutSegment::wire_len`] long, with the checksum over `pseudo`.
    pub(crate) fn emit(
        &self,
        ports: (u16, u16),
        payload: (&[u8], &[u8]),
        out: &mut [u8],
        pseudo: PseudoHeader,
    ) -> bool {
        let mut options = [0u8; 40];
        let opt_len = self.write_options(&mut options);
        let header_len = 20 + opt_len;
        let Some(dst) = out.get_mut(header_len..) else {
            return false;
        };
        if dst.len() != payload.0.len() + payload.1.len() {
            return false;
        }
        let (first, second) = dst.split_at_mut(payload.0.len());
        first.copy_from_slice(payload.0);
        second.copy_from_slice(payload.1);
        let flags = if self.payload_len > 0 && !self.has(FLAG_SYN) {
            self.flags | FLAG_PSH
        } else {
            self.flags
        };
        let repr = TcpRepr {
            seq: self.seq.get(),
            ack: if self.has(FLAG_ACK) {
                self.ack.get()
            } else {
                0
            },
            flags,
            window: self.window,
            options: &options[..opt_len],
            ..TcpRepr::new(ports.0, ports.1)
        };
        repr.emit(out, Some(pseudo)).is_ok()
    }

    /// Header plus options plus payload length in bytes.
    pub(crate) fn wire_len(&self) -> usize {
        let mut options = [0u8; 40];
        20 + self.write_options(&mut options) + self.payload_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syn_options_round_trip_through_the_wire_parser() {
        let out = OutSegment {
            seq: SeqNum::new(1000),
            flags: FLAG_SYN,
            window: 65535,
            mss: Some(1460),
            window_scale: Some(7),
            sack_permitted: true,
            timestamp: Some((5, 0)),
            ..OutSegment::default()
        };
        let mut buf = alloc::vec![0u8; out.wire_len()];
        let ph = PseudoHeader::V4 {
            src: zerocast_wire::Ipv4Addr([10, 0, 0, 1]),
            dst: zerocast_wire::Ipv4Addr([10, 0, 0, 2]),
        };
        assert!(out.emit((1, 2), (&[], &[]), &mut buf, ph));
        let p = TcpPacket::parse(&buf[..], Some(ph)).unwrap();
        let seg = Segment::from_packet(&p);
        assert_eq!(seg.options.mss, Some(1460));
        assert_eq!(seg.options.window_scale, Some(7));
        assert!(seg.options.sack_permitted);
        assert_eq!(seg.options.timestamp, Some((5, 0)));
        assert_eq!(seg.len(), 1);
        assert_eq!(buf.len(), 40, "20 + MSS 4 + SACKOK/TS 12 + NOP WS 4");
    }

    #[test]
    fn rfc2018_3_three_sack_blocks_with_timestamps_four_without() {
        let mut out = OutSegment {
            flags: FLAG_ACK,
            sack_len: 4,
            ..OutSegment::default()
        };
        for i in 0..4u32 {
            out.sack[i as usize] = (SeqNum::new(i * 100), SeqNum::new(i * 100 + 50));
        }
        let mut o = [0u8; 40];
        assert_eq!(out.write_options(&mut o), 36);
        assert_eq!(SegOptions::decode(&o[..36]).sack_len, 4);
        out.timestamp = Some((1, 2));
        let n = out.write_options(&mut o);
        let d = SegOptions::decode(&o[..n]);
        assert_eq!((d.sack_len, d.timestamp), (3, Some((1, 2))));
        assert_eq!(d.sack[0], (SeqNum::new(0), SeqNum::new(50)));
    }
}
