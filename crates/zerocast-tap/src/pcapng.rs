//! A pcapng writer for `--pcap FILE`: every frame the stack receives or sends, with its
//! direction, at nanosecond resolution.
//!
//! The file is one section (Section Header Block), one Interface Description Block per
//! device (link type Ethernet for a TAP, raw IP for a TUN, `if_tsresol` = 10^-9), and one
//! Enhanced Packet Block per frame carrying an `epb_flags` option with the direction
//! (inbound/outbound), so Wireshark and zcdump can tell what the kernel sent from what the
//! stack answered. Blocks are written little-endian (the byte-order magic tells readers).
//! Layout per the pcapng specification (draft-ietf-opsawg-pcapng, sections 4.1-4.3).

use std::io::{self, Write};

/// `LINKTYPE_ETHERNET`.
pub const LINKTYPE_ETHERNET: u16 = 1;
/// `LINKTYPE_RAW`: a bare IPv4 or IPv6 packet.
pub const LINKTYPE_RAW: u16 = 101;

const SECTION_HEADER: u32 = 0x0A0D_0D0A;
const INTERFACE_DESCRIPTION: u32 = 0x0000_0001;
const ENHANCED_PACKET: u32 = 0x0000_0006;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

const OPT_END: u16 = 0;
const OPT_SHB_USERAPPL: u16 = 4;
const OPT_IF_NAME: u16 = 2;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_EPB_FLAGS: u16 = 2;

/// Which way a frame went, from the stack's point of view.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Received by the stack (sent by the kernel or the network).
    Inbound,
    /// Sent by the stack.
    Outbound,
}

impl Direction {
    /// The `epb_flags` direction bits (bits 0-1: 01 inbound, 10 outbound).
    const fn flag_bits(self) -> u32 {
        match self {
            Direction::Inbound => 0b01,
            Direction::Outbound => 0b10,
        }
    }
}

/// Writes a pcapng capture to `W`.
///
/// ```
/// use zerocast_tap::pcapng::{Direction, PcapngWriter, LINKTYPE_ETHERNET};
/// let mut out = Vec::new();
/// let mut pcap = PcapngWriter::new(&mut out, "doc example").unwrap();
/// let tap = pcap.add_interface(LINKTYPE_ETHERNET, "tap0").unwrap();
/// pcap.write_packet(tap, 1_700_000_000_000_000_000, Direction::Inbound, &[0xff; 60]).unwrap();
/// assert_eq!(&out[..4], &[0x0A, 0x0D, 0x0D, 0x0A]);
/// ```
#[derive(Debug)]
pub struct PcapngWriter<W: Write> {
    out: W,
    interfaces: u32,
    scratch: Vec<u8>,
}

impl<W: Write> PcapngWriter<W> {
    /// Starts a capture: writes the Section Header Block naming `application`.
    ///
    /// # Errors
    /// The writer's error.
    pub fn new(out: W, application: &str) -> io::Result<Self> {
        let mut writer = PcapngWriter {
            out,
            interfaces: 0,
            scratch: Vec::with_capacity(2048),
        };
        let mut body = Vec::new();
        put_u32(&mut body, BYTE_ORDER_MAGIC);
        put_u16(&mut body, 1); // major version
        put_u16(&mut body, 0); // minor version
        body.extend_from_slice(&(-1i64).to_le_bytes()); // section length: not given
        put_option(&mut body, OPT_SHB_USERAPPL, application.as_bytes());
        put_option(&mut body, OPT_END, &[]);
        writer.write_block(SECTION_HEADER, &body)?;
        Ok(writer)
    }

    /// Describes an interface; the returned number identifies it in
    /// [`PcapngWriter::write_packet`]. Timestamps are in nanoseconds.
    ///
    /// # Errors
    /// The writer's error.
    pub fn add_interface(&mut self, link_type: u16, name: &str) -> io::Result<u32> {
        let mut body = Vec::new();
        put_u16(&mut body, link_type);
        put_u16(&mut body, 0); // reserved
        put_u32(&mut body, 0); // snaplen: no limit
        put_option(&mut body, OPT_IF_NAME, name.as_bytes());
        put_option(&mut body, OPT_IF_TSRESOL, &[9]); // 10^-9 s
        put_option(&mut body, OPT_END, &[]);
        self.write_block(INTERFACE_DESCRIPTION, &body)?;
        let id = self.interfaces;
        self.interfaces += 1;
        Ok(id)
    }

    /// Writes one frame seen on `interface` at `unix_nanos` (nanoseconds since 1970).
    ///
    /// # Errors
    /// The writer's error; `InvalidInput` for an interface that was never added or a frame
    /// over 4 GiB.
    pub fn write_packet(
        &mut self,
        interface: u32,
        unix_nanos: u64,
        direction: Direction,
        frame: &[u8],
    ) -> io::Result<()> {
        if interface >= self.interfaces {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "pcapng: packet for an interface that was not described",
            ));
        }
        let len = u32::try_from(frame.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "pcapng: frame too long"))?;
        let mut body = core::mem::take(&mut self.scratch);
        body.clear();
        put_u32(&mut body, interface);
        put_u32(&mut body, (unix_nanos >> 32) as u32);
        put_u32(&mut body, unix_nanos as u32);
        put_u32(&mut body, len); // captured length
        put_u32(&mut body, len); // original length
        body.extend_from_slice(frame);
        pad_to_4(&mut body);
        put_option(
            &mut body,
            OPT_EPB_FLAGS,
            &direction.flag_bits().to_le_bytes(),
        );
        put_option(&mut body, OPT_END, &[]);
        let result = self.write_block(ENHANCED_PACKET, &body);
        self.scratch = body;
        result
    }

    /// Flushes the underlying writer.
    ///
    /// # Errors
    /// The writer's error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Returns the underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Writes type, total length, body (already padded), total length.
    fn write_block(&mut self, block_type: u32, body: &[u8]) -> io::Result<()> {
        debug_assert!(body.len().is_multiple_of(4));
        let total = u32::try_from(body.len() + 12)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "pcapng: block too long"))?;
        self.out.write_all(&block_type.to_le_bytes())?;
        self.out.write_all(&total.to_le_bytes())?;
        self.out.write_all(body)?;
        self.out.write_all(&total.to_le_bytes())
    }
}

fn put_u16(buf: &mut Vec<u8>, v: u16) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn put_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn pad_to_4(buf: &mut Vec<u8>) {
    while !buf.len().is_multiple_of(4) {
        buf.push(0);
    }
}

/// An option: code, length, value padded to 32 bits. Values here are short (names,
/// flags); a longer one is cut at 65535 bytes, the field's limit.
fn put_option(buf: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(usize::from(u16::MAX))];
    put_u16(buf, code);
    put_u16(buf, value.len() as u16);
    buf.extend_from_slice(value);
    pad_to_4(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    /// Walks the blocks by their length fields, checking that the leading and trailing
    /// lengths agree (pcapng section 3.1), and returns (type, body) pairs.
    fn blocks(bytes: &[u8]) -> Vec<(u32, &[u8])> {
        let mut at = 0;
        let mut out = Vec::new();
        while at < bytes.len() {
            let block_type = u32_at(bytes, at);
            let total = u32_at(bytes, at + 4) as usize;
            assert_eq!(total % 4, 0, "block at {at} not 32-bit aligned");
            assert_eq!(u32_at(bytes, at + total - 4) as usize, total);
            out.push((block_type, &bytes[at + 8..at + total - 4]));
            at += total;
        }
        out
    }

    #[test]
    fn blocks_are_framed_by_matching_lengths_and_padded() {
        let mut out = Vec::new();
        let mut pcap = PcapngWriter::new(&mut out, "test").unwrap();
        let id = pcap.add_interface(LINKTYPE_ETHERNET, "tap0").unwrap();
        pcap.write_packet(id, 5, Direction::Outbound, &[1, 2, 3, 4, 5])
            .unwrap();
        let blocks = blocks(&out);
        let types: Vec<u32> = blocks.iter().map(|b| b.0).collect();
        assert_eq!(
            types,
            [SECTION_HEADER, INTERFACE_DESCRIPTION, ENHANCED_PACKET]
        );
        assert_eq!(u32_at(blocks[0].1, 0), BYTE_ORDER_MAGIC);
        let epb = blocks[2].1;
        assert_eq!(u32_at(epb, 12), 5, "captured length");
        assert_eq!(u32_at(epb, 16), 5, "original length");
        assert_eq!(&epb[20..25], &[1, 2, 3, 4, 5]);
        assert_eq!(&epb[25..28], &[0, 0, 0], "packet data padded to 32 bits");
        // epb_flags option: code 2, length 4, outbound = 0b10.
        assert_eq!(&epb[28..32], &[2, 0, 4, 0]);
        assert_eq!(u32_at(epb, 32), 0b10);
    }

    #[test]
    fn timestamps_split_into_high_and_low_words() {
        let mut out = Vec::new();
        let mut pcap = PcapngWriter::new(&mut out, "t").unwrap();
        pcap.add_interface(LINKTYPE_RAW, "tun0").unwrap();
        let nanos = 0x0123_4567_89ab_cdef;
        pcap.write_packet(0, nanos, Direction::Inbound, &[0x45])
            .unwrap();
        let epb = blocks(&out)[2].1;
        assert_eq!(u32_at(epb, 4), 0x0123_4567);
        assert_eq!(u32_at(epb, 8), 0x89ab_cdef);
    }

    #[test]
    fn packets_for_undescribed_interfaces_are_refused() {
        let mut pcap = PcapngWriter::new(Vec::new(), "t").unwrap();
        let err = pcap
            .write_packet(0, 0, Direction::Inbound, &[0])
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
