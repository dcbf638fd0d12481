//! Minimal Ethernet II / IPv4 / UDP builders and parsers on top of zerocast-packet, doing
//! the same work as the anchor crates' (header checksum on IPv4, pseudo-header checksum on
//! UDP, both computed on build and verified on parse). Bench-local: zerocast-wire has its
//! own emitters and does not yet build on zerocast-packet's traits.

#![forbid(unsafe_code)]

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned};
use zerocast_packet::{
    BufferView, PacketBuilder, PacketConstraints, ParsablePacket, ParseMetadata, SerializeTarget,
};

/// RFC 1071 sum of `bytes` added to `acc` (not yet folded or inverted).
fn sum(mut acc: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Adding the two 32-bit halves keeps the accumulator from overflowing.
        acc += (w >> 32) + (w & 0xFFFF_FFFF);
    }
    let mut rest = chunks.remainder().chunks_exact(2);
    for c in &mut rest {
        acc += u64::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [b] = rest.remainder() {
        acc += u64::from(*b) << 8;
    }
    acc
}

fn fold(mut acc: u64) -> u16 {
    while acc >> 16 != 0 {
        acc = (acc & 0xFFFF) + (acc >> 16);
    }
    !(acc as u16)
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

impl PacketBuilder for EthBuilder {
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(14, 0, 46, usize::MAX).unwrap()
    }
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
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(20, 0, 0, 65535 - 20).unwrap()
    }
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
        h.checksum = fold(sum(0, h.as_bytes())).to_be_bytes();
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

fn pseudo_sum(src: &[u8; 4], dst: &[u8; 4], len: u16) -> u64 {
    let acc = sum(sum(0, src), dst);
    acc + 17 + u64::from(len)
}

impl PacketBuilder for UdpBuilder {
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(8, 0, 0, 65535 - 8).unwrap()
    }
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        let len = (8 + body.len()) as u16;
        let mut h = UdpHeader {
            src_port: U16::new(self.src_port),
            dst_port: U16::new(self.dst_port),
            length: U16::new(len),
            checksum: [0; 2],
        };
        let acc = sum(
            sum(pseudo_sum(&self.src_ip, &self.dst_ip, len), h.as_bytes()),
            body,
        );
        let c = match fold(acc) {
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
        if fold(sum(sum(0, Ref::bytes(&header)), &options)) != 0 {
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
        if header.checksum != [0, 0] {
            let acc = sum(sum(pseudo_sum(&src, &dst, len), Ref::bytes(&header)), &body);
            if fold(acc) != 0 {
                return Err(Invalid);
            }
        }
        Ok(UdpPacket { header, body })
    }
    fn parse_metadata(&self) -> ParseMetadata {
        ParseMetadata::from_packet(8, self.body.len(), 0)
    }
}
