//! Ethernet II frames (IEEE 802.3 with an EtherType), without the FCS.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination MAC address                    |
//! +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                               |                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//! |                      Source MAC address                       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           EtherType           |   Payload (46..1500 bytes)    ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! A frame on the wire carries at least 46 payload bytes; frames captured on the sending host
//! are often shorter, so parsing accepts them and building pads them (see
//! [`EthernetRepr::emit`]).

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::MacAddr;
use crate::error::{Layer, ParseError};
use crate::parse::take_header;

/// Length of the Ethernet II header.
pub const HEADER_LEN: usize = 14;
/// Minimum payload length on the wire (frames are padded with zeros up to it).
pub const MIN_PAYLOAD_LEN: usize = 46;

/// An EtherType (or, below 0x0600, an IEEE 802.3 length).
///
/// ```
/// use zerocast_wire::ethernet::EtherType;
/// assert_eq!(EtherType::IPV6.to_string(), "0x86dd");
/// assert!(EtherType(0x0040).is_length());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct EtherType(pub u16);

impl EtherType {
    /// IPv4.
    pub const IPV4: EtherType = EtherType(0x0800);
    /// ARP.
    pub const ARP: EtherType = EtherType(0x0806);
    /// 802.1Q customer VLAN tag.
    pub const VLAN: EtherType = EtherType(0x8100);
    /// 802.1ad service VLAN tag (QinQ outer tag).
    pub const QINQ: EtherType = EtherType(0x88a8);
    /// IPv6.
    pub const IPV6: EtherType = EtherType(0x86dd);

    /// Values below 0x0600 are an 802.3 payload length, not a protocol.
    ///
    /// ```
    /// assert!(!zerocast_wire::ethernet::EtherType::IPV4.is_length());
    /// ```
    #[must_use]
    pub const fn is_length(self) -> bool {
        self.0 < 0x0600
    }

    /// Whether this EtherType introduces a VLAN tag (802.1Q or 802.1ad).
    ///
    /// ```
    /// assert!(zerocast_wire::ethernet::EtherType::QINQ.is_vlan_tag());
    /// ```
    #[must_use]
    pub const fn is_vlan_tag(self) -> bool {
        self.0 == 0x8100 || self.0 == 0x88a8
    }
}

impl fmt::Display for EtherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04x}", self.0)
    }
}

/// The Ethernet II header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// use zerocast_wire::ethernet::EthernetHeader;
/// let h = EthernetHeader::ref_from_bytes(&[0xffu8; 14][..])?;
/// assert!(h.dst.is_broadcast());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct EthernetHeader {
    /// Destination address.
    pub dst: MacAddr,
    /// Source address.
    pub src: MacAddr,
    /// EtherType of the payload (or the first VLAN tag).
    pub ethertype: U16,
}

/// A parsed Ethernet II frame over `&[u8]` (read) or `&mut [u8]` (edit in place).
///
/// ```
/// use zerocast_wire::ethernet::{EtherType, EthernetFrame};
/// let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06, 0xaa];
/// let frame = EthernetFrame::parse(&bytes[..])?;
/// assert_eq!(frame.ethertype(), EtherType::ARP);
/// assert_eq!(frame.src().to_string(), "02:00:00:00:00:01");
/// assert_eq!(frame.payload(), &[0xaa]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EthernetFrame<B> {
    header: Ref<B, EthernetHeader>,
    payload: B,
}

impl<B: SplitByteSlice> EthernetFrame<B> {
    /// Parses the 14-byte header; everything after it is the payload (including any padding,
    /// which only the next layer's length field can tell apart).
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`](crate::ErrorKind::Truncated) when fewer than 14 bytes are present.
    ///
    /// ```
    /// use zerocast_wire::ethernet::EthernetFrame;
    /// assert!(EthernetFrame::parse(&[0u8; 13][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let (header, payload) = take_header::<B, EthernetHeader>(bytes, Layer::Ethernet)?;
        Ok(EthernetFrame { header, payload })
    }

    /// The header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// let f = EthernetFrame::parse(&[0u8; 14][..])?;
    /// assert_eq!(f.header().ethertype.get(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &EthernetHeader {
        &self.header
    }

    /// Destination address.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// assert!(EthernetFrame::parse(&[0xffu8; 14][..])?.dst().is_broadcast());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn dst(&self) -> MacAddr {
        self.header.dst
    }

    /// Source address.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// assert!(EthernetFrame::parse(&[0u8; 14][..])?.src().is_unicast());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn src(&self) -> MacAddr {
        self.header.src
    }

    /// EtherType field.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::{EtherType, EthernetFrame};
    /// let mut b = [0u8; 14];
    /// b[12] = 0x86;
    /// b[13] = 0xdd;
    /// assert_eq!(EthernetFrame::parse(&b[..])?.ethertype(), EtherType::IPV6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ethertype(&self) -> EtherType {
        EtherType(self.header.ethertype.get())
    }

    /// Bytes after the header.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// assert!(EthernetFrame::parse(&[0u8; 14][..])?.payload().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Gives up the header and returns the payload with the original lifetime/mutability.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// let b = [0u8; 16];
    /// let payload: &[u8] = EthernetFrame::parse(&b[..])?.into_payload();
    /// assert_eq!(payload.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }

    /// The header's field values.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// let repr = EthernetFrame::parse(&[0u8; 14][..])?.repr();
    /// assert_eq!(repr.ethertype.0, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> EthernetRepr {
        EthernetRepr {
            dst: self.dst(),
            src: self.src(),
            ethertype: self.ethertype(),
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> EthernetFrame<B> {
    /// Rewrites the destination address in place.
    ///
    /// ```
    /// use zerocast_wire::{ethernet::EthernetFrame, MacAddr};
    /// let mut b = [0u8; 14];
    /// let mut f = EthernetFrame::parse(&mut b[..])?;
    /// f.set_dst(MacAddr::BROADCAST);
    /// assert_eq!(b[..6], [0xff; 6]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_dst(&mut self, dst: MacAddr) {
        self.header.dst = dst;
    }

    /// Rewrites the source address in place.
    ///
    /// ```
    /// use zerocast_wire::{ethernet::EthernetFrame, MacAddr};
    /// let mut b = [0u8; 14];
    /// EthernetFrame::parse(&mut b[..])?.set_src(MacAddr([1, 2, 3, 4, 5, 6]));
    /// assert_eq!(b[6..12], [1, 2, 3, 4, 5, 6]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_src(&mut self, src: MacAddr) {
        self.header.src = src;
    }

    /// Rewrites the EtherType in place.
    ///
    /// ```
    /// use zerocast_wire::ethernet::{EtherType, EthernetFrame};
    /// let mut b = [0u8; 14];
    /// EthernetFrame::parse(&mut b[..])?.set_ethertype(EtherType::IPV4);
    /// assert_eq!(b[12..], [8, 0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_ethertype(&mut self, ethertype: EtherType) {
        self.header.ethertype.set(ethertype.0);
    }

    /// The payload, writable.
    ///
    /// ```
    /// # use zerocast_wire::ethernet::EthernetFrame;
    /// let mut b = [0u8; 15];
    /// EthernetFrame::parse(&mut b[..])?.payload_mut()[0] = 7;
    /// assert_eq!(b[14], 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.payload
    }
}

/// Ethernet II header values, for building.
///
/// ```
/// use zerocast_wire::{ethernet::{EtherType, EthernetRepr}, MacAddr};
/// let repr = EthernetRepr { dst: MacAddr::BROADCAST, src: MacAddr([2, 0, 0, 0, 0, 1]),
///                           ethertype: EtherType::ARP };
/// let mut buf = [0u8; 14];
/// repr.emit(&mut buf)?;
/// assert_eq!(zerocast_wire::ethernet::EthernetFrame::parse(&buf[..])?.repr(), repr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EthernetRepr {
    /// Destination address.
    pub dst: MacAddr,
    /// Source address.
    pub src: MacAddr,
    /// EtherType.
    pub ethertype: EtherType,
}

impl EthernetRepr {
    /// Writes the header into the first 14 bytes of `buf`.
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`](crate::ErrorKind::Truncated) when `buf` is shorter than the header.
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::{EtherType, EthernetRepr}, MacAddr};
    /// let r = EthernetRepr { dst: MacAddr::BROADCAST, src: MacAddr::BROADCAST, ethertype: EtherType::IPV4 };
    /// assert!(r.emit(&mut [0u8; 3]).is_err());
    /// ```
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<(), ParseError> {
        let available = buf.len();
        let (header, _) = Ref::<_, EthernetHeader>::from_prefix(buf)
            .map_err(|_| ParseError::truncated(Layer::Ethernet, HEADER_LEN, available))?;
        let header = Ref::into_mut(header);
        header.dst = self.dst;
        header.src = self.src;
        header.ethertype.set(self.ethertype.0);
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for EthernetFrame<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Ethernet {} > {}, type {}",
            self.src(),
            self.dst(),
            self.ethertype()
        )
    }
}

impl<B: SplitByteSlice> fmt::Debug for EthernetFrame<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EthernetFrame")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

/// As a [`PacketBuilder`](zerocast_packet::PacketBuilder), an Ethernet header pads its body
/// with zeros to the 46-byte minimum. The MTU is the caller's to enforce (wrap the body in a
/// size limit), so tagged and jumbo frames are possible.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{ethernet::{EtherType, EthernetRepr}, MacAddr};
/// let eth = EthernetRepr { dst: MacAddr::BROADCAST, src: MacAddr([2, 0, 0, 0, 0, 1]),
///                          ethertype: EtherType::ARP };
/// let frame = [1u8, 2, 3].into_serializer().wrap_in(eth).serialize_vec_outer().unwrap();
/// assert_eq!(frame.as_ref().len(), 60);
/// assert_eq!(frame.as_ref()[14..18], [1, 2, 3, 0]);
/// ```
impl zerocast_packet::PacketBuilder for EthernetRepr {
    // `#[inline]` for the reason given on `UdpBuilder`'s impl (crate::udp).
    #[inline]
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(HEADER_LEN, MIN_PAYLOAD_LEN, usize::MAX)
    }

    #[inline]
    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, _body: &[u8]) {
        // `target.header` is exactly HEADER_LEN bytes (the constraints above), so this
        // cannot fail.
        let emitted = self.emit(target.header);
        debug_assert!(
            emitted.is_ok(),
            "Ethernet header in HEADER_LEN bytes: {emitted:?}"
        );
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

/// ```
/// use zerocast_packet::{Buf, ParseBuffer};
/// use zerocast_wire::ethernet::{EtherType, EthernetFrame};
/// let mut buf = Buf::new(zerocast_wire::__example_udp_frame(), ..);
/// let eth = buf.parse::<EthernetFrame<_>>()?;
/// assert_eq!(eth.ethertype(), EtherType::IPV4);
/// assert_eq!(buf.as_ref().len(), 32); // the IPv4 packet stays in the buffer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ()> for EthernetFrame<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(buffer: BV, _: ()) -> Result<Self, ParseError> {
        let body = EthernetFrame::parse(buffer.as_ref())?.payload().len();
        let (h, payload, _) = crate::parse::take_parts(buffer, HEADER_LEN, body, Layer::Ethernet)?;
        let header = Ref::from_bytes(h)
            .map_err(|_| ParseError::truncated(Layer::Ethernet, HEADER_LEN, 0))?;
        Ok(EthernetFrame { header, payload })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(HEADER_LEN, self.payload.len(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const ARP_FRAME_HEAD: [u8; 16] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad, 0x08, 0x06, 0, 1,
    ];

    #[test]
    fn parses_addresses_and_ethertype_from_literal_frame() {
        let f = EthernetFrame::parse(&ARP_FRAME_HEAD[..]).unwrap();
        assert!(f.dst().is_broadcast());
        assert_eq!(f.src().to_string(), "2a:12:9a:5d:1a:ad");
        assert_eq!(f.ethertype(), EtherType::ARP);
        assert_eq!(f.payload(), &[0, 1]);
        assert_eq!(
            f.to_string(),
            "Ethernet 2a:12:9a:5d:1a:ad > ff:ff:ff:ff:ff:ff, type 0x0806"
        );
    }

    #[test]
    fn rejects_every_length_below_header() {
        for n in 0..HEADER_LEN {
            let e = EthernetFrame::parse(&ARP_FRAME_HEAD[..n]).err().unwrap();
            assert_eq!(
                e.kind(),
                ErrorKind::Truncated {
                    needed: 14,
                    available: n
                }
            );
        }
    }

    #[test]
    fn emit_then_parse_reproduces_header_bytes() {
        let f = EthernetFrame::parse(&ARP_FRAME_HEAD[..]).unwrap();
        let mut out = [0u8; 14];
        f.repr().emit(&mut out).unwrap();
        assert_eq!(out, ARP_FRAME_HEAD[..14]);
    }
}
