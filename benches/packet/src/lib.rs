//! Minimal Ethernet II / IPv4 / UDP builders and parsers on top of zerocast-packet, doing
//! the same work as the anchor crates' (header checksum on IPv4, pseudo-header checksum on
//! UDP, both computed on build and verified on parse). They exercise zerocast-packet's
//! `ParsablePacket`/`Buf` parse path, which zerocast-wire's own parse functions bypass.

#![forbid(unsafe_code)]

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned};
use zerocast_packet::{
    BufferView, PacketBuilder, PacketConstraints, ParsablePacket, ParseMetadata, SerializeTarget,
};
use zerocast_wire::checksum::Checksum;

/// RFC 1071 checksum of `parts` in order (zerocast-wire's implementation, so this
/// contender measures zerocast-packet's plumbing rather than a checksum loop).
fn csum(parts: &[&[u8]]) -> u16 {
    let mut c = Checksum::new();
    for part in parts {
        c.add_bytes(part);
    }
    c.checksum()
}

/// The UDP checksum over the IPv4 pseudo-header, the UDP header and the body.
#[inline]
fn udp_csum(src: &[u8; 4], dst: &[u8; 4], len: u16, header: &[u8], body: &[u8]) -> u16 {
    let mut c = Checksum::new();
    c.add_bytes(src);
    c.add_bytes(dst);
    c.add_u16(17);
    c.add_u16(len);
    c.add_bytes(header);
    c.add_bytes(body);
    c.checksum()
}

/// [`udp_csum`] for a header about to be written: its words are summed from the field
/// values (`ports` holds the two ports), not read back from bytes just stored.
#[inline]
fn udp_csum_of_fields(src: &[u8; 4], dst: &[u8; 4], len: u16, ports: Checksum, body: &[u8]) -> u16 {
    let mut c = ports;
    c.add_bytes(src);
    c.add_bytes(dst);
    c.add_u16(17);
    // Once for the pseudo-header, once for the UDP header's length field.
    c.add_u16(len);
    c.add_u16(len);
    c.add_bytes(body);
    c.checksum()
}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct EthHeader {
    pub dst: [u8; 6],
    pub src: [u8; 6],
    pub ethertype: U16,
}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct Ipv4Header {
    pub version_ihl: u8,
    pub dscp_ecn: u8,
    pub total_len: U16,
    pub id: U16,
    pub flags_frag: U16,
    pub ttl: u8,
    pub proto: u8,
    pub checksum: [u8; 2],
    pub src: [u8; 4],
    pub dst: [u8; 4],
}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct UdpHeader {
    pub src_port: U16,
    pub dst_port: U16,
    pub length: U16,
    pub checksum: [u8; 2],
}

#[derive(Debug)]
pub struct EthBuilder {
    pub src: [u8; 6],
    pub dst: [u8; 6],
    pub ethertype: u16,
}

// The builders' methods are `#[inline]`, as zerocast-wire's are (see its `UdpBuilder`):
// called out of line from the bench crate, they cost 308 instead of 216 instructions and
// 27 instead of 16 ns a packet.
impl PacketBuilder for EthBuilder {
    #[inline]
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(14, 0, 46, usize::MAX).unwrap()
    }
    #[inline]
    fn serialize(&self, target: &mut SerializeTarget<'_>, _: &[u8]) {
        let h = EthHeader {
            dst: self.dst,
            src: self.src,
            ethertype: U16::new(self.ethertype),
        };
        target.header.copy_from_slice(h.as_bytes());
    }
}

#[derive(Debug)]
pub struct Ipv4Builder {
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ttl: u8,
    pub proto: u8,
}

impl PacketBuilder for Ipv4Builder {
    #[inline]
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(20, 0, 0, 65535 - 20).unwrap()
    }
    #[inline]
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        let mut h = Ipv4Header {
            version_ihl: 0x45,
            dscp_ecn: 0,
            // `constraints` caps the body so the total fits in 16 bits.
            total_len: U16::new((20 + body.len()) as u16),
            id: U16::new(0),
            flags_frag: U16::new(0x4000),
            ttl: self.ttl,
            proto: self.proto,
            checksum: [0; 2],
            src: self.src,
            dst: self.dst,
        };
        // Summed from the field values, not from `h`'s bytes: reading back wide words from a
        // header just written byte by byte stalls on store forwarding.
        let mut c = Checksum::new();
        c.add_u16(0x4500);
        c.add_u16(h.total_len.get());
        c.add_u16(h.id.get());
        c.add_u16(h.flags_frag.get());
        c.add_u16(u16::from_be_bytes([self.ttl, self.proto]));
        c.add_bytes(&self.src);
        c.add_bytes(&self.dst);
        h.checksum = c.checksum().to_be_bytes();
        target.header.copy_from_slice(h.as_bytes());
    }
}

#[derive(Debug)]
pub struct UdpBuilder {
    pub src_ip: [u8; 4],
    pub dst_ip: [u8; 4],
    pub src_port: u16,
    pub dst_port: u16,
}

impl PacketBuilder for UdpBuilder {
    #[inline]
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(8, 0, 0, 65535 - 8).unwrap()
    }
    #[inline]
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        let len = (8 + body.len()) as u16;
        let mut h = UdpHeader {
            src_port: U16::new(self.src_port),
            dst_port: U16::new(self.dst_port),
            length: U16::new(len),
            checksum: [0; 2],
        };
        let mut ports = Checksum::new();
        ports.add_u16(self.src_port);
        ports.add_u16(self.dst_port);
        let c = match udp_csum_of_fields(&self.src_ip, &self.dst_ip, len, ports, body) {
            0 => 0xFFFF,
            c => c,
        };
        h.checksum = c.to_be_bytes();
        target.header.copy_from_slice(h.as_bytes());
    }
}

#[derive(Debug, PartialEq)]
pub struct Invalid;

pub struct EthFrame<B> {
    pub header: Ref<B, EthHeader>,
    pub body: B,
}

impl<B: SplitByteSlice> ParsablePacket<B, ()> for EthFrame<B> {
    type Error = Invalid;
    fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, Invalid> {
        if bv.len() < 60 {
            return Err(Invalid);
        }
        let header = bv.take_obj_front::<EthHeader>().ok_or(Invalid)?;
        Ok(EthFrame {
            header,
            body: bv.into_rest(),
        })
    }
    fn parse_metadata(&self) -> ParseMetadata {
        ParseMetadata::from_packet(14, self.body.len(), 0)
    }
}

pub struct Ipv4Packet<B> {
    pub header: Ref<B, Ipv4Header>,
    pub options: B,
    pub body: B,
    pub padding: usize,
}

impl<B: SplitByteSlice> ParsablePacket<B, ()> for Ipv4Packet<B> {
    type Error = Invalid;
    fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, Invalid> {
        let header = bv.take_obj_front::<Ipv4Header>().ok_or(Invalid)?;
        if header.version_ihl >> 4 != 4 {
            return Err(Invalid);
        }
        let header_len = usize::from(header.version_ihl & 0xF) * 4;
        let options = bv
            .take_front(header_len.checked_sub(20).ok_or(Invalid)?)
            .ok_or(Invalid)?;
        if csum(&[Ref::bytes(&header), &options]) != 0 {
            return Err(Invalid);
        }
        let body_len = usize::from(header.total_len.get())
            .checked_sub(header_len)
            .ok_or(Invalid)?;
        let padding = bv.len().checked_sub(body_len).ok_or(Invalid)?;
        bv.take_back(padding);
        Ok(Ipv4Packet {
            header,
            options,
            body: bv.into_rest(),
            padding,
        })
    }
    fn parse_metadata(&self) -> ParseMetadata {
        ParseMetadata::from_packet(20 + self.options.len(), self.body.len(), self.padding)
    }
}

pub struct UdpPacket<B> {
    pub header: Ref<B, UdpHeader>,
    pub body: B,
}

impl<B: SplitByteSlice> ParsablePacket<B, ([u8; 4], [u8; 4])> for UdpPacket<B> {
    type Error = Invalid;
    fn parse<BV: BufferView<B>>(
        mut bv: BV,
        (src, dst): ([u8; 4], [u8; 4]),
    ) -> Result<Self, Invalid> {
        let header = bv.take_obj_front::<UdpHeader>().ok_or(Invalid)?;
        let len = header.length.get();
        let body_len = usize::from(len).checked_sub(8).ok_or(Invalid)?;
        let extra = bv.len().checked_sub(body_len).ok_or(Invalid)?;
        bv.take_back(extra);
        let body = bv.into_rest();
        // A zero checksum means "not computed" over IPv4.
        if header.checksum != [0, 0] && udp_csum(&src, &dst, len, Ref::bytes(&header), &body) != 0 {
            return Err(Invalid);
        }
        Ok(UdpPacket { header, body })
    }
    fn parse_metadata(&self) -> ParseMetadata {
        ParseMetadata::from_packet(8, self.body.len(), 0)
    }
}
