//! ARP for IPv4 over Ethernet (RFC 826).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Hardware type         |         Protocol type         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  HW addr len  | Proto addr len|           Operation           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Sender hardware address (6)  | Sender IPv4 (4)       |
//! |          Target hardware address (6)  | Target IPv4 (4)       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Only the Ethernet/IPv4 combination (hardware type 1, protocol 0x0800, lengths 6 and 4) is
//! decoded; other combinations are reported as [`ErrorKind::Unsupported`].

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::{Ipv4Addr, MacAddr};
use crate::error::{ErrorKind, Layer, ParseError};
use crate::parse::take_header;

/// Length of an Ethernet/IPv4 ARP packet.
pub const PACKET_LEN: usize = 28;

/// ARP request.
pub const OP_REQUEST: u16 = 1;
/// ARP reply.
pub const OP_REPLY: u16 = 2;

/// The Ethernet/IPv4 ARP packet as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::arp::ArpHeader::ref_from_bytes(&[0u8; 28][..])?;
/// assert_eq!(h.oper.get(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct ArpHeader {
    /// Hardware type (1 = Ethernet).
    pub htype: U16,
    /// Protocol type (0x0800 = IPv4).
    pub ptype: U16,
    /// Hardware address length (6).
    pub hlen: u8,
    /// Protocol address length (4).
    pub plen: u8,
    /// Operation (1 request, 2 reply).
    pub oper: U16,
    /// Sender hardware address.
    pub sha: MacAddr,
    /// Sender protocol address.
    pub spa: Ipv4Addr,
    /// Target hardware address.
    pub tha: MacAddr,
    /// Target protocol address.
    pub tpa: Ipv4Addr,
}

/// A parsed Ethernet/IPv4 ARP packet.
///
/// ```
/// use zerocast_wire::arp::{ArpPacket, OP_REQUEST};
/// let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 77, 0, 1,
///              0, 0, 0, 0, 0, 0, 10, 77, 0, 2];
/// let arp = ArpPacket::parse(&bytes[..])?;
/// assert_eq!(arp.operation(), OP_REQUEST);
/// assert_eq!(arp.target_protocol_addr().to_string(), "10.77.0.2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ArpPacket<B> {
    header: Ref<B, ArpHeader>,
    trailer: B,
}

impl<B: SplitByteSlice> ArpPacket<B> {
    /// Parses an Ethernet/IPv4 ARP packet; bytes after it (Ethernet padding) are kept apart.
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`] under 28 bytes; [`ErrorKind::Unsupported`] (with the hardware
    /// type) for another hardware/protocol combination.
    ///
    /// ```
    /// let mut b = [0u8; 28];
    /// b[..6].copy_from_slice(&[0, 6, 8, 0, 6, 4]);
    /// assert!(zerocast_wire::arp::ArpPacket::parse(&b[..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let (header, trailer) = take_header::<B, ArpHeader>(bytes, Layer::Arp)?;
        if header.htype.get() != 1 {
            return Err(ParseError::new(
                Layer::Arp,
                ErrorKind::Unsupported(header.htype.get()),
                0,
            ));
        }
        if header.ptype.get() != 0x0800 {
            return Err(ParseError::new(
                Layer::Arp,
                ErrorKind::Unsupported(header.ptype.get()),
                2,
            ));
        }
        if header.hlen != 6 {
            return Err(ParseError::new(Layer::Arp, ErrorKind::BadField, 4));
        }
        if header.plen != 4 {
            return Err(ParseError::new(Layer::Arp, ErrorKind::BadField, 5));
        }
        Ok(ArpPacket { header, trailer })
    }

    /// The packet, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!((arp.header().htype.get(), arp.header().ptype.get()), (1, 0x0800));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &ArpHeader {
        &self.header
    }
    /// Operation code (`arp.opcode`).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.operation(), zerocast_wire::arp::OP_REQUEST);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn operation(&self) -> u16 {
        self.header.oper.get()
    }
    /// Sender MAC (`arp.src.hw_mac`).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.sender_hardware_addr(), MacAddr([0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn sender_hardware_addr(&self) -> MacAddr {
        self.header.sha
    }
    /// Sender IPv4 (`arp.src.proto_ipv4`).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.sender_protocol_addr(), Ipv4Addr([10, 77, 0, 1]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn sender_protocol_addr(&self) -> Ipv4Addr {
        self.header.spa
    }
    /// Target MAC (`arp.dst.hw_mac`).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.target_hardware_addr(), MacAddr::UNSPECIFIED); // unknown: it is asked for
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn target_hardware_addr(&self) -> MacAddr {
        self.header.tha
    }
    /// Target IPv4 (`arp.dst.proto_ipv4`).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.target_protocol_addr(), Ipv4Addr([10, 77, 0, 2]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn target_protocol_addr(&self) -> Ipv4Addr {
        self.header.tpa
    }
    /// Bytes after the ARP packet (link-layer padding).
    ///
    /// ```
    /// # use zerocast_wire::arp::ArpPacket;
    /// # use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # // who-has 10.77.0.2 tell 10.77.0.1, with 2 bytes of Ethernet padding
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1,
    /// #              0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0];
    /// # let arp = ArpPacket::parse(&bytes[..])?;
    /// assert_eq!(arp.trailer(), &[0, 0]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn trailer(&self) -> &[u8] {
        &self.trailer
    }

    /// The packet's field values.
    ///
    /// ```
    /// # let bytes = [0, 1, 8, 0, 6, 4, 0, 2, 2, 0, 0, 0, 0, 1, 10, 77, 0, 1, 2, 0, 0, 0, 0, 2, 10, 77, 0, 2];
    /// let repr = zerocast_wire::arp::ArpPacket::parse(&bytes[..])?.repr();
    /// assert_eq!(repr.operation, zerocast_wire::arp::OP_REPLY);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> ArpRepr {
        ArpRepr {
            operation: self.operation(),
            sender_hardware_addr: self.sender_hardware_addr(),
            sender_protocol_addr: self.sender_protocol_addr(),
            target_hardware_addr: self.target_hardware_addr(),
            target_protocol_addr: self.target_protocol_addr(),
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> ArpPacket<B> {
    /// The packet, writable in place (for example to turn a request into a reply).
    ///
    /// ```
    /// # let mut bytes = [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 77, 0, 1, 0, 0, 0, 0, 0, 0, 10, 77, 0, 2];
    /// let mut arp = zerocast_wire::arp::ArpPacket::parse(&mut bytes[..])?;
    /// arp.header_mut().oper.set(zerocast_wire::arp::OP_REPLY);
    /// assert_eq!(bytes[7], 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut ArpHeader {
        &mut self.header
    }
}

/// ARP field values, for building.
///
/// ```
/// use zerocast_wire::{arp::{ArpPacket, ArpRepr, OP_REQUEST}, Ipv4Addr, MacAddr};
/// let repr = ArpRepr {
///     operation: OP_REQUEST,
///     sender_hardware_addr: MacAddr([2, 0, 0, 0, 0, 1]),
///     sender_protocol_addr: Ipv4Addr([10, 0, 0, 1]),
///     target_hardware_addr: MacAddr::UNSPECIFIED,
///     target_protocol_addr: Ipv4Addr([10, 0, 0, 2]),
/// };
/// let mut buf = [0u8; 28];
/// repr.emit(&mut buf)?;
/// assert_eq!(ArpPacket::parse(&buf[..])?.repr(), repr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArpRepr {
    /// Operation code.
    pub operation: u16,
    /// Sender MAC.
    pub sender_hardware_addr: MacAddr,
    /// Sender IPv4.
    pub sender_protocol_addr: Ipv4Addr,
    /// Target MAC.
    pub target_hardware_addr: MacAddr,
    /// Target IPv4.
    pub target_protocol_addr: Ipv4Addr,
}

impl ArpRepr {
    /// Writes the 28-byte packet into the front of `buf`.
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`] when `buf` is shorter than 28 bytes.
    ///
    /// ```
    /// # use zerocast_wire::{arp::ArpRepr, Ipv4Addr, MacAddr};
    /// # let repr = ArpRepr { operation: 1, sender_hardware_addr: MacAddr::UNSPECIFIED,
    /// #   sender_protocol_addr: Ipv4Addr::UNSPECIFIED, target_hardware_addr: MacAddr::UNSPECIFIED,
    /// #   target_protocol_addr: Ipv4Addr::UNSPECIFIED };
    /// assert!(repr.emit(&mut [0u8; 27]).is_err());
    /// ```
    pub fn emit(&self, buf: &mut [u8]) -> Result<(), ParseError> {
        let available = buf.len();
        let (header, _) = Ref::<_, ArpHeader>::from_prefix(buf)
            .map_err(|_| ParseError::truncated(Layer::Arp, PACKET_LEN, available))?;
        let h = Ref::into_mut(header);
        h.htype.set(1);
        h.ptype.set(0x0800);
        h.hlen = 6;
        h.plen = 4;
        h.oper.set(self.operation);
        h.sha = self.sender_hardware_addr;
        h.spa = self.sender_protocol_addr;
        h.tha = self.target_hardware_addr;
        h.tpa = self.target_protocol_addr;
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for ArpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation() {
            OP_REQUEST => write!(
                f,
                "ARP, Request who-has {} tell {}",
                self.target_protocol_addr(),
                self.sender_protocol_addr()
            ),
            OP_REPLY => write!(
                f,
                "ARP, Reply {} is-at {}",
                self.sender_protocol_addr(),
                self.sender_hardware_addr()
            ),
            op => write!(f, "ARP, opcode {op}"),
        }
    }
}

impl<B: SplitByteSlice> fmt::Debug for ArpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArpPacket")
            .field("header", self.header())
            .field("trailer_len", &self.trailer().len())
            .finish_non_exhaustive()
    }
}

/// An ARP packet is the innermost payload of its frame.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{arp::{ArpRepr, OP_REQUEST}, ethernet::{EtherType, EthernetRepr}, Ipv4Addr, MacAddr};
/// let arp = ArpRepr { operation: OP_REQUEST, sender_hardware_addr: MacAddr([2, 0, 0, 0, 0, 1]),
///     sender_protocol_addr: Ipv4Addr([10, 0, 0, 1]), target_hardware_addr: MacAddr::UNSPECIFIED,
///     target_protocol_addr: Ipv4Addr([10, 0, 0, 2]) };
/// let eth = EthernetRepr { dst: MacAddr::BROADCAST, src: arp.sender_hardware_addr, ethertype: EtherType::ARP };
/// let frame = arp.into_serializer().wrap_in(eth).serialize_vec_outer().unwrap();
/// assert_eq!(frame.as_ref().len(), 60); // 14 + 28 + 18 bytes of padding
/// ```
impl zerocast_packet::InnerPacketBuilder for ArpRepr {
    fn bytes_len(&self) -> usize {
        PACKET_LEN
    }

    fn serialize(&self, buffer: &mut [u8]) {
        // `buffer` is exactly PACKET_LEN bytes long.
        let emitted = self.emit(buffer);
        debug_assert!(
            emitted.is_ok(),
            "ARP packet in PACKET_LEN bytes: {emitted:?}"
        );
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ()> for ArpPacket<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(buffer: BV, _: ()) -> Result<Self, ParseError> {
        ArpPacket::parse(buffer.as_ref())?;
        let (h, _, trailer) = crate::parse::take_parts(buffer, PACKET_LEN, 0, Layer::Arp)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Arp, PACKET_LEN, 0))?;
        Ok(ArpPacket { header, trailer })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(PACKET_LEN, 0, self.trailer.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: [u8; 30] = [
        0, 1, 8, 0, 6, 4, 0, 1, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 10, 77, 0, 1, //
        0, 0, 0, 0, 0, 0, 10, 77, 0, 2, 0, 0,
    ];

    #[test]
    fn parses_request_and_keeps_padding_apart() {
        let arp = ArpPacket::parse(&REQUEST[..]).unwrap();
        assert_eq!(arp.operation(), OP_REQUEST);
        assert_eq!(arp.sender_hardware_addr().to_string(), "2a:12:9a:5d:1a:ad");
        assert_eq!(arp.trailer().len(), 2);
        assert_eq!(
            arp.to_string(),
            "ARP, Request who-has 10.77.0.2 tell 10.77.0.1"
        );
    }

    #[test]
    fn rejects_wrong_address_lengths_with_offset() {
        let mut b = REQUEST;
        b[4] = 8;
        assert_eq!(ArpPacket::parse(&b[..]).err().unwrap().offset(), 4);
    }

    #[test]
    fn emit_reproduces_bytes() {
        let mut out = [0u8; 28];
        ArpPacket::parse(&REQUEST[..])
            .unwrap()
            .repr()
            .emit(&mut out)
            .unwrap();
        assert_eq!(out, REQUEST[..28]);
    }
}
