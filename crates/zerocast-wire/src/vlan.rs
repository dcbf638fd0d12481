//! IEEE 802.1Q (C-tag) and 802.1ad (S-tag) VLAN tags, stackable (QinQ).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | PCP |D|       VLAN ID         |     Encapsulated EtherType    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The TPID (0x8100 or 0x88a8) is the EtherType field *before* the tag, so a tag parsed here
//! starts at the TCI. Which kind of tag it is comes from the EtherType that led to it.

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::error::{ErrorKind, Layer, ParseError};
use crate::ethernet::EtherType;
use crate::parse::take_header;

/// Length of one tag after its TPID.
pub const TAG_LEN: usize = 4;

/// The tag control information and inner EtherType.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let tag = zerocast_wire::vlan::VlanHeader::ref_from_bytes(&[0x20, 0x64, 0x08, 0x00][..])?;
/// assert_eq!(tag.tci.get() & 0x0fff, 100);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct VlanHeader {
    /// Priority code point (3 bits), drop eligible (1 bit), VLAN identifier (12 bits).
    pub tci: U16,
    /// EtherType of what follows the tag.
    pub ethertype: U16,
}

/// A parsed VLAN tag and the bytes after it.
///
/// ```
/// use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
/// let tag = VlanTag::parse(&[0xa0, 0x0a, 0x08, 0x00, 0x45][..])?;
/// assert_eq!((tag.pcp(), tag.dei(), tag.vid()), (5, false, 10));
/// assert_eq!(tag.ethertype(), EtherType::IPV4);
/// assert_eq!(tag.payload(), &[0x45]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct VlanTag<B> {
    header: Ref<B, VlanHeader>,
    payload: B,
}

impl<B: SplitByteSlice> VlanTag<B> {
    /// Parses a 4-byte tag (the bytes after a 0x8100/0x88a8 EtherType).
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`] when fewer than 4 bytes are present.
    ///
    /// ```
    /// assert!(zerocast_wire::vlan::VlanTag::parse(&[0u8; 3][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let (header, payload) = take_header::<B, VlanHeader>(bytes, Layer::Vlan)?;
        Ok(VlanTag { header, payload })
    }

    /// The tag, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.header().tci.get(), 0xb064);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &VlanHeader {
        &self.header
    }

    /// The raw tag control information (tshark's `vlan.tci`).
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.tci(), 0xb064);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn tci(&self) -> u16 {
        self.header.tci.get()
    }

    /// Priority code point, 0..=7 (`vlan.priority`).
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.pcp(), 5);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn pcp(&self) -> u8 {
        (self.tci() >> 13) as u8
    }

    /// Drop eligible indicator (formerly CFI).
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert!(tag.dei());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dei(&self) -> bool {
        self.tci() & 0x1000 != 0
    }

    /// VLAN identifier, 0..=4095 (`vlan.id`, `ieee8021ad.id`).
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.vid(), 100);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn vid(&self) -> u16 {
        self.tci() & 0x0fff
    }

    /// EtherType of the encapsulated payload (`vlan.etype`).
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.ethertype(), EtherType::IPV4);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ethertype(&self) -> EtherType {
        EtherType(self.header.ethertype.get())
    }

    /// Bytes after the tag.
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// assert_eq!(tag.payload(), &[0x45, 0x00]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Returns the bytes after the tag, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// # // PCP 5, DEI set, VID 100, then IPv4
    /// # let tag = VlanTag::parse(&[0xb0, 0x64, 0x08, 0x00, 0x45, 0x00][..])?;
    /// let payload: &[u8] = tag.into_payload();
    /// assert_eq!(payload, &[0x45, 0x00]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }

    /// The tag's field values.
    ///
    /// ```
    /// let tag = zerocast_wire::vlan::VlanTag::parse(&[0x30, 0x05, 0x86, 0xdd][..])?;
    /// assert_eq!(tag.repr().vid, 5);
    /// assert!(tag.repr().dei);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> VlanRepr {
        VlanRepr {
            pcp: self.pcp(),
            dei: self.dei(),
            vid: self.vid(),
            ethertype: self.ethertype(),
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> VlanTag<B> {
    /// Rewrites the VLAN identifier in place (only the low 12 bits of `vid` are used).
    ///
    /// ```
    /// let mut b = [0xa0, 0x0a, 0x08, 0x00];
    /// zerocast_wire::vlan::VlanTag::parse(&mut b[..])?.set_vid(0xfff);
    /// assert_eq!(b, [0xaf, 0xff, 0x08, 0x00]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_vid(&mut self, vid: u16) {
        let tci = (self.tci() & 0xf000) | (vid & 0x0fff);
        self.header.tci.set(tci);
    }

    /// Rewrites the priority code point in place (low 3 bits of `pcp`).
    ///
    /// ```
    /// let mut b = [0x00, 0x0a, 0x08, 0x00];
    /// zerocast_wire::vlan::VlanTag::parse(&mut b[..])?.set_pcp(7);
    /// assert_eq!(b[0], 0xe0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_pcp(&mut self, pcp: u8) {
        let tci = (self.tci() & 0x1fff) | (u16::from(pcp & 7) << 13);
        self.header.tci.set(tci);
    }

    /// Rewrites the inner EtherType in place.
    ///
    /// ```
    /// use zerocast_wire::{ethernet::EtherType, vlan::VlanTag};
    /// let mut b = [0, 1, 0x08, 0x00];
    /// VlanTag::parse(&mut b[..])?.set_ethertype(EtherType::IPV6);
    /// assert_eq!(b[2..], [0x86, 0xdd]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_ethertype(&mut self, ethertype: EtherType) {
        self.header.ethertype.set(ethertype.0);
    }
}

/// VLAN tag values, for building.
///
/// ```
/// use zerocast_wire::{ethernet::EtherType, vlan::{VlanRepr, VlanTag}};
/// let repr = VlanRepr { pcp: 3, dei: false, vid: 42, ethertype: EtherType::IPV4 };
/// let mut buf = [0u8; 4];
/// repr.emit(&mut buf)?;
/// assert_eq!(VlanTag::parse(&buf[..])?.repr(), repr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VlanRepr {
    /// Priority code point (0..=7).
    pub pcp: u8,
    /// Drop eligible indicator.
    pub dei: bool,
    /// VLAN identifier (0..=4095).
    pub vid: u16,
    /// Encapsulated EtherType.
    pub ethertype: EtherType,
}

impl VlanRepr {
    /// Writes the tag into the first 4 bytes of `buf`.
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`] when `buf` is too short; [`ErrorKind::BadField`] when `pcp` or
    /// `vid` do not fit their bits.
    ///
    /// ```
    /// use zerocast_wire::{ethernet::EtherType, vlan::VlanRepr};
    /// let bad = VlanRepr { pcp: 8, dei: false, vid: 1, ethertype: EtherType::IPV4 };
    /// assert!(bad.emit(&mut [0u8; 4]).is_err());
    /// ```
    pub fn emit(&self, buf: &mut [u8]) -> Result<(), ParseError> {
        if self.pcp > 7 || self.vid > 0x0fff {
            return Err(ParseError::new(Layer::Vlan, ErrorKind::BadField, 0));
        }
        let available = buf.len();
        let (header, _) = Ref::<_, VlanHeader>::from_prefix(buf)
            .map_err(|_| ParseError::truncated(Layer::Vlan, TAG_LEN, available))?;
        let header = Ref::into_mut(header);
        header
            .tci
            .set((u16::from(self.pcp) << 13) | (u16::from(self.dei) << 12) | self.vid);
        header.ethertype.set(self.ethertype.0);
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for VlanTag<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VLAN {} pcp {}, type {}",
            self.vid(),
            self.pcp(),
            self.ethertype()
        )
    }
}

impl<B: SplitByteSlice> fmt::Debug for VlanTag<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VlanTag")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

/// As a [`PacketBuilder`](zerocast_packet::PacketBuilder), a tag goes between the Ethernet
/// header (whose EtherType must be 0x8100 or 0x88a8) and the payload; stack two for QinQ.
/// Out-of-range `pcp`/`vid` bits are masked off here (`emit` rejects them instead).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{ethernet::{EtherType, EthernetRepr}, vlan::VlanRepr, MacAddr};
/// let eth = EthernetRepr { dst: MacAddr::BROADCAST, src: MacAddr::BROADCAST, ethertype: EtherType::QINQ };
/// let s_tag = VlanRepr { pcp: 0, dei: false, vid: 100, ethertype: EtherType::VLAN };
/// let c_tag = VlanRepr { pcp: 0, dei: false, vid: 200, ethertype: EtherType::IPV4 };
/// let frame = [0x45u8].into_serializer().wrap_in(c_tag).wrap_in(s_tag).wrap_in(eth)
///     .serialize_vec_outer().unwrap();
/// assert_eq!(frame.as_ref()[12..22], [0x88, 0xa8, 0, 100, 0x81, 0, 0, 200, 8, 0]);
/// ```
impl zerocast_packet::PacketBuilder for VlanRepr {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(TAG_LEN, 0, usize::MAX)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, _body: &[u8]) {
        let masked = VlanRepr {
            pcp: self.pcp & 7,
            vid: self.vid & 0x0fff,
            ..*self
        };
        // In range after masking, and `target.header` is exactly TAG_LEN bytes.
        let emitted = masked.emit(target.header);
        debug_assert!(
            emitted.is_ok(),
            "masked VLAN tag in a TAG_LEN header: {emitted:?}"
        );
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ()> for VlanTag<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(buffer: BV, _: ()) -> Result<Self, ParseError> {
        let body = VlanTag::parse(buffer.as_ref())?.payload().len();
        let (h, payload, _) = crate::parse::take_parts(buffer, TAG_LEN, body, Layer::Vlan)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Vlan, TAG_LEN, 0))?;
        Ok(VlanTag { header, payload })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(TAG_LEN, self.payload.len(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ethernet::EthernetFrame;

    // 802.1ad S-tag 100 around 802.1Q C-tag 200 around IPv4 (scapy-built shape in the samples).
    const QINQ: [u8; 23] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xa8, //
        0x00, 0x64, 0x81, 0x00, //
        0x20, 0xc8, 0x08, 0x00, 0x45,
    ];

    #[test]
    fn parses_stacked_qinq_tags_in_order() {
        let eth = EthernetFrame::parse(&QINQ[..]).unwrap();
        assert_eq!(eth.ethertype(), EtherType::QINQ);
        let outer = VlanTag::parse(eth.into_payload()).unwrap();
        assert_eq!((outer.vid(), outer.ethertype()), (100, EtherType::VLAN));
        let inner = VlanTag::parse(outer.into_payload()).unwrap();
        assert_eq!(
            (inner.vid(), inner.pcp(), inner.ethertype()),
            (200, 1, EtherType::IPV4)
        );
        assert_eq!(inner.payload(), &[0x45]);
    }

    #[test]
    fn emit_reproduces_tag_bytes() {
        let tag = VlanTag::parse(&QINQ[18..22]).unwrap();
        let mut out = [0u8; 4];
        tag.repr().emit(&mut out).unwrap();
        assert_eq!(out, QINQ[18..22]);
    }
}
