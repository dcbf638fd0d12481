//! Segments as the state machine sees them: [`Segment`] (arrived, parsed from a
//! `zerocast_wire::tcp::TcpPacket`) and [`OutSegment`] (to send, turned into bytes by
//! [`OutSegment::emit`]).
//!
//! The state machine never touches wire bytes: it gets sequence numbers, flags, the window
//! and decoded options, and answers with header values plus a reference into its send
//! buffer, so every rule is testable with exact numbers.

use zerocast_wire::tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_FIN, FLAG_PSH, FLAG_RST, FLAG_SYN};
use zerocast_wire::tcp_options::{self, TcpOption, TcpOptions};
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
        // Nearly every segment of an established connection carries only NOP NOP
        // Timestamps (RFC 7323 appendix A's layout, Linux's and ours): read it directly.
        if let [1, 1, 8, 10, v0, v1, v2, v3, e0, e1, e2, e3] = *bytes {
            o.timestamp = Some((
                u32::from_be_bytes([v0, v1, v2, v3]),
                u32::from_be_bytes([e0, e1, e2, e3]),
            ));
            return o;
        }
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

    /// How many SACK blocks go out: 4 fit alone, 3 next to timestamps (RFC 2018 section 3).
    fn sack_count(&self) -> usize {
        let max = if self.timestamp.is_some() { 3 } else { 4 };
        usize::from(self.sack_len).min(max)
    }

    /// The options area's length, padded to 4 bytes, without writing it (what
    /// [`OutSegment::write_options`] returns).
    pub(crate) fn options_len(&self) -> usize {
        let mut n = 0;
        if self.mss.is_some() {
            n += 4;
        }
        if self.sack_permitted || self.timestamp.is_some() {
            n += 2; // SACK-permitted, or the two NOPs aligning the timestamps.
        }
        if self.timestamp.is_some() {
            n += 10;
        }
        if self.window_scale.is_some() {
            n += 4;
        }
        let sacks = self.sack_count();
        if sacks > 0 {
            n += 4 + 8 * sacks;
        }
        // More than fits (never built: SYNs carry no SACK blocks) is sent without options,
        // as the writer would fail on it.
        let total = n.div_ceil(4) * 4;
        if total > 40 {
            0
        } else {
            total
        }
    }

    /// Writes the options area (padded to 4 bytes with End of List) into `out`; returns
    /// its length.
    ///
    /// Layout as Linux's: MSS, SACK-permitted, timestamps, NOP + window scale, then NOP NOP
    /// and the SACK blocks (4 fit alone, 3 next to timestamps: RFC 2018 section 3).
    ///
    /// Written byte by byte rather than through a generic option list: this runs for every
    /// segment, and the bulk path (NOP NOP and timestamps, RFC 7323 appendix A) is 12 fixed
    /// bytes.
    pub(crate) fn write_options(&self, out: &mut [u8; 40]) -> usize {
        use tcp_options::{
            KIND_MSS, KIND_NOP, KIND_SACK, KIND_SACK_PERMITTED, KIND_TIMESTAMP, KIND_WINDOW_SCALE,
        };
        let total = self.options_len();
        let Some(area) = out.get_mut(..total) else {
            return 0;
        };
        let mut w = OptionWriter { area, at: 0 };
        if let Some(mss) = self.mss {
            w.put(&[KIND_MSS, 4]);
            w.put(&mss.to_be_bytes());
        }
        if self.sack_permitted {
            w.put(&[KIND_SACK_PERMITTED, 2]);
        } else if self.timestamp.is_some() {
            w.put(&[KIND_NOP, KIND_NOP]);
        }
        if let Some((val, ecr)) = self.timestamp {
            w.put(&[KIND_TIMESTAMP, 10]);
            w.put(&val.to_be_bytes());
            w.put(&ecr.to_be_bytes());
        }
        if let Some(shift) = self.window_scale {
            w.put(&[KIND_NOP, KIND_WINDOW_SCALE, 3, shift]);
        }
        let sacks = self.sack_count();
        if sacks > 0 {
            // At most 4 blocks: 2 + 32 fits a byte.
            w.put(&[KIND_NOP, KIND_NOP, KIND_SACK, (2 + 8 * sacks) as u8]);
            for (l, r) in self.sack_blocks().iter().take(sacks) {
                w.put(&l.get().to_be_bytes());
                w.put(&r.get().to_be_bytes());
            }
        }
        w.pad();
        total
    }

    /// Writes the whole segment (header, options, `payload`) into `out`, which must be
    /// exactly [`OutSegment::wire_len`] long, with the checksum over `pseudo`; without a
    /// pseudo-header the checksum field is left 0 and the payload is not summed (a GSO
    /// frame, whose checksum field the caller fills with the pseudo-header's partial sum
    /// for the device to finish per segment).
    pub(crate) fn emit(
        &self,
        ports: (u16, u16),
        payload: (&[u8], &[u8]),
        out: &mut [u8],
        pseudo: Option<PseudoHeader>,
    ) -> bool {
        #[cfg(test)]
        if pseudo.is_some() {
            FULL_CHECKSUMS.with(|c| c.set(c.get() + 1));
        }
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
        let ack = if self.has(FLAG_ACK) {
            self.ack.get()
        } else {
            0
        };
        let repr = TcpRepr {
            seq: self.seq.get(),
            ack,
            flags,
            window: self.window,
            options: &options[..opt_len],
            ..TcpRepr::new(ports.0, ports.1)
        };
        // The header goes out with a zero checksum field; the sum is ours: the header from
        // the values just written (reading back bytes just stored one or two at a time would
        // stall on store forwarding) and the payload with `add_bytes`'s 128-bit block sum.
        if repr.emit(out, None).is_err() {
            return false;
        }
        let Some(ph) = pseudo else {
            return true;
        };
        let mut c = ph.checksum_start(zerocast_wire::IpProto::TCP, out.len());
        c.add_u16(ports.0);
        c.add_u16(ports.1);
        c.add_u32(self.seq.get());
        c.add_u32(ack);
        // `header_len <= 60`, so the word count fits the 4-bit data offset.
        c.add_u16(((header_len / 4) as u16) << 12 | flags);
        c.add_u16(self.window);
        c.add_bytes(&options[..opt_len]);
        if let Some(data) = out.get(header_len..) {
            c.add_bytes(data);
        }
        if let Some(field) = out.get_mut(16..18) {
            field.copy_from_slice(&c.checksum().to_be_bytes());
        }
        true
    }

    /// Header plus options plus payload length in bytes.
    pub(crate) fn wire_len(&self) -> usize {
        20 + self.options_len() + self.payload_len
    }
}

// Segments emitted with a full checksum on this thread: lets the tests check that a GSO
// frame's checksum, which the device computes per segment, is not also summed here.
#[cfg(test)]
std::thread_local! {
    pub(crate) static FULL_CHECKSUMS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// A cursor over an options area sized by [`OutSegment::options_len`].
struct OptionWriter<'a> {
    area: &'a mut [u8],
    at: usize,
}

impl OptionWriter<'_> {
    fn put(&mut self, bytes: &[u8]) {
        // The area was sized for exactly these bytes; a miscount truncates, never panics.
        if let Some(dst) = self.area.get_mut(self.at..self.at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        self.at += bytes.len();
    }

    /// End of List up to the 4-byte boundary (RFC 9293 3.2).
    fn pad(&mut self) {
        if let Some(rest) = self.area.get_mut(self.at..) {
            rest.fill(tcp_options::KIND_EOL);
        }
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
        assert!(out.emit((1, 2), (&[], &[]), &mut buf, Some(ph)));
        let p = TcpPacket::parse(&buf[..], Some(ph)).unwrap();
        let seg = Segment::from_packet(&p);
        assert_eq!(seg.options.mss, Some(1460));
        assert_eq!(seg.options.window_scale, Some(7));
        assert!(seg.options.sack_permitted);
        assert_eq!(seg.options.timestamp, Some((5, 0)));
        assert_eq!(seg.len(), 1);
        assert_eq!(buf.len(), 40, "20 + MSS 4 + SACKOK/TS 12 + NOP WS 4");
    }

    /// The same area through zerocast-wire's generic option writer.
    fn generic_options(seg: &OutSegment) -> ([u8; 40], usize) {
        use zerocast_wire::tcp_options::{TcpOptionRecord as R, *};
        let nop = R {
            kind: KIND_NOP,
            data: &[],
        };
        let mss = seg.mss.unwrap_or(0).to_be_bytes();
        let ws = [seg.window_scale.unwrap_or(0)];
        let (val, ecr) = seg.timestamp.unwrap_or((0, 0));
        let mut ts = [0u8; 8];
        ts[..4].copy_from_slice(&val.to_be_bytes());
        ts[4..].copy_from_slice(&ecr.to_be_bytes());
        let mut sack = alloc::vec::Vec::new();
        for (l, r) in seg.sack_blocks().iter().take(seg.sack_count()) {
            sack.extend_from_slice(&l.get().to_be_bytes());
            sack.extend_from_slice(&r.get().to_be_bytes());
        }
        let mut list = alloc::vec::Vec::new();
        if seg.mss.is_some() {
            list.push(R {
                kind: KIND_MSS,
                data: &mss,
            });
        }
        if seg.sack_permitted {
            list.push(R {
                kind: KIND_SACK_PERMITTED,
                data: &[],
            });
        } else if seg.timestamp.is_some() {
            list.extend([nop, nop]);
        }
        if seg.timestamp.is_some() {
            list.push(R {
                kind: KIND_TIMESTAMP,
                data: &ts,
            });
        }
        if seg.window_scale.is_some() {
            list.extend([
                nop,
                R {
                    kind: KIND_WINDOW_SCALE,
                    data: &ws,
                },
            ]);
        }
        if !sack.is_empty() {
            list.extend([
                nop,
                nop,
                R {
                    kind: KIND_SACK,
                    data: &sack,
                },
            ]);
        }
        let mut out = [0u8; 40];
        let n = write_options(&mut out, &list).unwrap_or(0);
        (out, n)
    }

    #[test]
    fn direct_option_writer_matches_the_generic_one_in_every_combination() {
        for bits in 0..16u8 {
            for sacks in 0..=4u8 {
                let mut seg = OutSegment {
                    mss: (bits & 1 != 0).then_some(1460),
                    sack_permitted: bits & 2 != 0,
                    timestamp: (bits & 4 != 0).then_some((0x0102_0304, 0xa0b0_c0d0)),
                    window_scale: (bits & 8 != 0).then_some(7),
                    sack_len: sacks,
                    ..OutSegment::default()
                };
                for i in 0..usize::from(sacks) {
                    let l = SeqNum::new(1000 * i as u32 + 7);
                    seg.sack[i] = (l, l + 500);
                }
                let (want, want_len) = generic_options(&seg);
                let mut got = [0xffu8; 40];
                let len = seg.write_options(&mut got);
                assert_eq!(len, want_len, "bits {bits} sacks {sacks}");
                assert_eq!(seg.options_len(), len);
                assert_eq!(got[..len], want[..len], "bits {bits} sacks {sacks}");
                if len > 0 {
                    assert_eq!(SegOptions::decode(&got[..len]).timestamp, seg.timestamp);
                }
            }
        }
    }

    #[test]
    fn timestamp_fast_path_decodes_like_the_general_parser() {
        let bytes = [1, 1, 8, 10, 0, 0, 1, 0, 0xff, 0, 0, 2];
        let o = SegOptions::decode(&bytes);
        assert_eq!(o.timestamp, Some((256, 0xff00_0002)));
        // The same option behind a different layout goes through the general parser.
        let other = [8, 10, 0, 0, 1, 0, 0xff, 0, 0, 2, 1, 0];
        assert_eq!(SegOptions::decode(&other), o);
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
