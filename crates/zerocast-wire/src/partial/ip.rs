//! Partial views of IPv4 and IPv6 headers cut inside their fixed part.

use core::fmt;
use core::mem::offset_of;

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::SplitByteSlice;

use super::Captured;
use crate::addr::{Ipv4Addr, Ipv6Addr};
use crate::error::{Layer, ParseError};
use crate::ip::IpProto;
use crate::ipv4::{self, Ipv4Header};
use crate::ipv6::{self, Ipv6Header};

/// The first bytes of an IPv4 header that a capture (or an ICMP error's quote) cut short:
/// every field whose bytes are all present, read in place, and `None` for the others.
///
/// A cut header has no verifiable checksum and no payload. On a complete header every
/// accessor returns `Some`, which makes this view a uniform way to show header fields; but
/// [`Ipv4Packet`](crate::ipv4::Ipv4Packet) is the one that checks lengths, options and the
/// checksum.
///
/// ```
/// use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
/// let cut = [0x45, 0, 0, 84, 0xd5, 0x66, 0x40, 0, 64, 1, 0x90, 0xa6, 10, 77, 0, 2, 10, 77];
/// let ip = Ipv4Partial::parse(&cut[..])?;
/// assert_eq!(ip.captured_len(), 18);
/// assert_eq!(ip.protocol(), Some(IpProto::ICMP));
/// assert_eq!(ip.flags(), Some(zerocast_wire::ipv4::FLAG_DF));
/// assert_eq!(ip.src(), Some(Ipv4Addr([10, 77, 0, 2])));
/// assert_eq!(ip.dst(), None);
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct Ipv4Partial<B> {
    captured: Captured<B, { ipv4::HEADER_LEN }>,
}

impl<B: SplitByteSlice> Ipv4Partial<B> {
    /// Views the captured start of a header (bytes past the fixed 20 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all; and, as
    /// [`Ipv4Packet::parse_with`](crate::ipv4::Ipv4Packet::parse_with) would, for the fields
    /// that were captured: `BadVersion`, `BadHeaderLength` (IHL below 5),
    /// `BadLength` (Total Length below the header length).
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Partial, ErrorKind};
    /// assert!(matches!(Ipv4Partial::parse(&[0x65u8][..]).unwrap_err().kind(), ErrorKind::BadVersion(6)));
    /// assert!(Ipv4Partial::parse(&[][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let captured = Captured::new(bytes, Layer::Ipv4)?;
        let view = Ipv4Partial { captured };
        if let Some(version_ihl) = view.captured.byte(0) {
            let header_len = ipv4::check_version_ihl(version_ihl)?;
            if let Some(total_len) = view.total_len() {
                ipv4::check_total_len(usize::from(total_len), header_len)?;
            }
        }
        Ok(view)
    }

    /// How many header bytes were captured (1 to 20).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.captured_len(), 16);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// let bytes: &[u8] = ip.into_bytes();
    /// assert_eq!(bytes.len(), 16);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Version (`ip.version`; always 4: the parse checked it).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.version(), Some(4));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> Option<u8> {
        self.captured.byte(0).map(|b| b >> 4)
    }
    /// Header length in bytes (`ip.hdr_len`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.header_len(), Some(20));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header_len(&self) -> Option<usize> {
        self.captured.byte(0).map(|b| usize::from(b & 0x0f) * 4)
    }
    /// The DS field byte (`ip.dsfield`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.dsfield(), Some(0xba));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dsfield(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Ipv4Header, dscp_ecn))
    }
    /// Total Length (`ip.len`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.total_len(), Some(28));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn total_len(&self) -> Option<u16> {
        self.u16_field(offset_of!(Ipv4Header, total_len))
    }
    /// Identification (`ip.id`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.ident(), Some(0x1234));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ident(&self) -> Option<u16> {
        self.u16_field(offset_of!(Ipv4Header, ident))
    }
    /// The three flag bits (`ip.flags`): they sit in the first byte of the flags/offset word.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.flags(), Some(zerocast_wire::ipv4::FLAG_DF));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flags(&self) -> Option<u8> {
        self.captured
            .byte(offset_of!(Ipv4Header, flags_frag))
            .map(|b| b >> 5)
    }
    /// Fragment offset in 8-byte units (`ip.frag_offset`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.fragment_offset(), Some(0));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn fragment_offset(&self) -> Option<u16> {
        self.u16_field(offset_of!(Ipv4Header, flags_frag))
            .map(|w| w & 0x1fff)
    }
    /// Time to live (`ip.ttl`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.ttl(), Some(64));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ttl(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Ipv4Header, ttl))
    }
    /// Payload protocol (`ip.proto`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.protocol(), Some(IpProto::UDP));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn protocol(&self) -> Option<IpProto> {
        self.captured
            .byte(offset_of!(Ipv4Header, protocol))
            .map(IpProto)
    }
    /// Header checksum as carried (`ip.checksum`); never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.checksum(), Some(0x3ba7));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        self.u16_field(offset_of!(Ipv4Header, checksum))
    }
    /// Source address (`ip.src`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.src(), Some(Ipv4Addr([192, 0, 2, 1])));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src(&self) -> Option<Ipv4Addr> {
        self.captured
            .field::<Ipv4Addr>(offset_of!(Ipv4Header, src))
            .copied()
    }
    /// Destination address (`ip.dst`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Partial, IpProto, Ipv4Addr};
    /// # // The first 16 of 20 header bytes (the source address is the last whole field).
    /// # let cut = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #            192, 0, 2, 1];
    /// let ip = Ipv4Partial::parse(&cut[..])?;
    /// assert_eq!(ip.dst(), None); // not captured
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst(&self) -> Option<Ipv4Addr> {
        self.captured
            .field::<Ipv4Addr>(offset_of!(Ipv4Header, dst))
            .copied()
    }
    fn u16_field(&self, offset: usize) -> Option<u16> {
        self.captured.field::<U16>(offset).map(|v| v.get())
    }
}

impl<B: SplitByteSlice> fmt::Debug for Ipv4Partial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ipv4Partial")
            .field("captured", &self.bytes())
            .finish()
    }
}

/// The first bytes of an IPv6 header that a capture (or an ICMPv6 error's quote) cut short:
/// every field whose bytes are all present, read in place, and `None` for the others.
///
/// On a complete header every accessor returns `Some`; [`Ipv6Packet`](crate::ipv6::Ipv6Packet)
/// is the view that also walks the extension headers and checks the payload length.
///
/// ```
/// use zerocast_wire::ipv6::Ipv6Partial;
/// let ip = Ipv6Partial::parse(&[0x6b, 0x80, 0][..])?;
/// assert_eq!((ip.version(), ip.traffic_class()), (Some(6), Some(0xb8)));
/// assert_eq!(ip.flow_label(), None); // its last byte is missing
/// assert_eq!(ip.captured_len(), 3);
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct Ipv6Partial<B> {
    captured: Captured<B, { ipv6::HEADER_LEN }>,
}

impl<B: SplitByteSlice> Ipv6Partial<B> {
    /// Views the captured start of a header (bytes past the fixed 40 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all, `BadVersion` when the version nibble is not 6.
    ///
    /// ```
    /// assert!(zerocast_wire::ipv6::Ipv6Partial::parse(&[0x45u8][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let captured = Captured::new(bytes, Layer::Ipv6)?;
        if let Some(first) = captured.byte(0) {
            ipv6::check_version(first)?;
        }
        Ok(Ipv6Partial { captured })
    }

    /// How many header bytes were captured (1 to 40).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.captured_len(), 24);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// let bytes: &[u8] = ip.into_bytes();
    /// assert_eq!(bytes.len(), 24);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Version (always 6: the parse checked it).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.version(), Some(6));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> Option<u8> {
        self.captured.byte(0).map(|b| b >> 4)
    }
    /// Traffic class (`ipv6.tclass`), which straddles the first two bytes.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.traffic_class(), Some(0xb8));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn traffic_class(&self) -> Option<u8> {
        let word = self.captured.field::<U16>(0)?.get();
        Some((word >> 4) as u8)
    }
    /// Flow label (`ipv6.flow`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.flow_label(), Some(0x12345));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flow_label(&self) -> Option<u32> {
        let word = self.captured.field::<U32>(offset_of!(Ipv6Header, vtcfl))?;
        Some(word.get() & 0x000f_ffff)
    }
    /// Payload Length (`ipv6.plen`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.payload_len(), Some(8));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload_len(&self) -> Option<u16> {
        let len = self
            .captured
            .field::<U16>(offset_of!(Ipv6Header, payload_len))?;
        Some(len.get())
    }
    /// The fixed header's Next Header (`ipv6.nxt`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.next_header(), Some(IpProto::UDP));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn next_header(&self) -> Option<IpProto> {
        self.captured
            .byte(offset_of!(Ipv6Header, next_header))
            .map(IpProto)
    }
    /// Hop limit (`ipv6.hlim`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.hop_limit(), Some(64));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn hop_limit(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Ipv6Header, hop_limit))
    }
    /// Source address (`ipv6.src`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.src().map(|a| a.to_string()).as_deref(), Some("2001:db8::1"));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src(&self) -> Option<Ipv6Addr> {
        self.captured
            .field::<Ipv6Addr>(offset_of!(Ipv6Header, src))
            .copied()
    }
    /// Destination address (`ipv6.dst`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Partial, IpProto, Ipv6Addr};
    /// # // The first 24 of 40 header bytes: the destination address was not captured.
    /// # let mut cut = [0u8; 24];
    /// # cut[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # cut[8..24].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let ip = Ipv6Partial::parse(&cut[..])?;
    /// assert_eq!(ip.dst(), None); // not captured
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst(&self) -> Option<Ipv6Addr> {
        self.captured
            .field::<Ipv6Addr>(offset_of!(Ipv6Header, dst))
            .copied()
    }
}

impl<B: SplitByteSlice> fmt::Debug for Ipv6Partial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ipv6Partial")
            .field("captured", &self.bytes())
            .finish()
    }
}
