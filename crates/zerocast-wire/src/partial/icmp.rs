//! Partial views of ICMPv4, ICMPv6 and IGMP headers cut inside their fixed part.

use core::fmt;
use core::mem::offset_of;

use zerocast::byteorder::network_endian::U16;
use zerocast::SplitByteSlice;

use super::Captured;
use crate::addr::Ipv4Addr;
use crate::error::{Layer, ParseError};
use crate::icmpv4::{self, Icmpv4Header};
use crate::icmpv6::{self, Icmpv6Header};
use crate::igmp::{self, IgmpHeader};

/// The first bytes of an ICMPv4 header that a capture cut short: every field whose bytes
/// are all present, read in place, and `None` for the others.
///
/// ```
/// use zerocast_wire::icmpv4::Icmpv4Partial;
/// let icmp = Icmpv4Partial::parse(&[0u8, 0, 0x12, 0x34, 0, 9, 0][..])?;
/// assert_eq!((icmp.msg_type(), icmp.checksum()), (Some(0), Some(0x1234)));
/// assert_eq!((icmp.ident(), icmp.seq()), (Some(9), None));
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct Icmpv4Partial<B> {
    captured: Captured<B, { icmpv4::HEADER_LEN }>,
}

impl<B: SplitByteSlice> Icmpv4Partial<B> {
    /// Views the captured start of a header (bytes past the first 8 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all.
    ///
    /// ```
    /// assert!(zerocast_wire::icmpv4::Icmpv4Partial::parse(&[][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Ok(Icmpv4Partial {
            captured: Captured::new(bytes, Layer::Icmpv4)?,
        })
    }

    /// How many header bytes were captured (1 to 8).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.captured_len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// let bytes: &[u8] = icmp.into_bytes();
    /// assert_eq!(bytes.len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Type (`icmp.type`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.msg_type(), Some(8));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Icmpv4Header, msg_type))
    }
    /// Code (`icmp.code`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.code(), Some(0));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn code(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Icmpv4Header, code))
    }
    /// Checksum as carried; never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.checksum(), Some(0x2104));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        let field = self
            .captured
            .field::<U16>(offset_of!(Icmpv4Header, checksum))?;
        Some(field.get())
    }
    /// The type-specific word, if all four bytes were captured.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.rest_of_header(), None); // 2 of its 4 bytes are here
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn rest_of_header(&self) -> Option<[u8; 4]> {
        self.captured
            .field::<[u8; 4]>(offset_of!(Icmpv4Header, rest))
            .copied()
    }
    /// Identifier (`icmp.ident`) of the types that carry one (see
    /// [`Icmpv4Packet::ident_seq`](crate::icmpv4::Icmpv4Packet::ident_seq)).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.ident(), Some(0x1234));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ident(&self) -> Option<u16> {
        self.ident_seq_word(0)
    }
    /// Sequence number (`icmp.seq`) of the types that carry one.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Partial;
    /// # // The first 6 bytes of an echo request: the sequence number was not captured.
    /// # let cut = [8, 0, 0x21, 0x04, 0x12, 0x34];
    /// let icmp = Icmpv4Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.seq(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn seq(&self) -> Option<u16> {
        self.ident_seq_word(2)
    }
    /// The 16-bit word at `at` within the type-specific word, for types with ident/seq.
    fn ident_seq_word(&self, at: usize) -> Option<u16> {
        if !icmpv4::carries_ident_seq(self.msg_type()?) {
            return None;
        }
        let word = self
            .captured
            .field::<U16>(offset_of!(Icmpv4Header, rest) + at)?;
        Some(word.get())
    }
}

impl<B: SplitByteSlice> fmt::Debug for Icmpv4Partial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Icmpv4Partial")
            .field("captured", &self.bytes())
            .finish()
    }
}

/// The first bytes of an ICMPv6 header that a capture cut short: every field whose bytes
/// are all present, read in place, and `None` for the others.
///
/// ```
/// use zerocast_wire::icmpv6::Icmpv6Partial;
/// let icmp = Icmpv6Partial::parse(&[128u8, 0, 0x7f][..])?;
/// assert_eq!((icmp.msg_type(), icmp.code(), icmp.checksum()), (Some(128), Some(0), None));
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct Icmpv6Partial<B> {
    captured: Captured<B, { icmpv6::HEADER_LEN }>,
}

impl<B: SplitByteSlice> Icmpv6Partial<B> {
    /// Views the captured start of a header (bytes past the first 4 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all.
    ///
    /// ```
    /// assert!(zerocast_wire::icmpv6::Icmpv6Partial::parse(&[][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Ok(Icmpv6Partial {
            captured: Captured::new(bytes, Layer::Icmpv6)?,
        })
    }

    /// How many header bytes were captured (1 to 4).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.captured_len(), 3);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.bytes(), &[128, 0, 0x7f]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// let bytes: &[u8] = icmp.into_bytes();
    /// assert_eq!(bytes.len(), 3);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Type (`icmpv6.type`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.msg_type(), Some(128)); // echo request
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Icmpv6Header, msg_type))
    }
    /// Code (`icmpv6.code`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.code(), Some(0));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn code(&self) -> Option<u8> {
        self.captured.byte(offset_of!(Icmpv6Header, code))
    }
    /// Checksum as carried; never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Partial;
    /// # // The first 3 bytes of an echo request: the checksum was cut.
    /// # let cut = [128, 0, 0x7f];
    /// let icmp = Icmpv6Partial::parse(&cut[..])?;
    /// assert_eq!(icmp.checksum(), None); // one of its two bytes is here
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        let field = self
            .captured
            .field::<U16>(offset_of!(Icmpv6Header, checksum))?;
        Some(field.get())
    }
}

impl<B: SplitByteSlice> fmt::Debug for Icmpv6Partial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Icmpv6Partial")
            .field("captured", &self.bytes())
            .finish()
    }
}

/// The first bytes of an IGMP header that a capture cut short: every field whose bytes are
/// all present, read in place, and `None` for the others.
///
/// ```
/// use zerocast_wire::igmp::IgmpPartial;
/// let igmp = IgmpPartial::parse(&[0x16u8, 0, 0xfa, 0x04, 239][..])?;
/// assert_eq!((igmp.msg_type(), igmp.version(), igmp.checksum()), (Some(0x16), Some(2), Some(0xfa04)));
/// assert_eq!(igmp.group(), None);
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct IgmpPartial<B> {
    captured: Captured<B, { igmp::HEADER_LEN }>,
}

impl<B: SplitByteSlice> IgmpPartial<B> {
    /// Views the captured start of a header (bytes past the first 8 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all.
    ///
    /// ```
    /// assert!(zerocast_wire::igmp::IgmpPartial::parse(&[][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Ok(IgmpPartial {
            captured: Captured::new(bytes, Layer::Igmp)?,
        })
    }

    /// How many header bytes were captured (1 to 8).
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.captured_len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// let bytes: &[u8] = igmp.into_bytes();
    /// assert_eq!(bytes.len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Type (`igmp.type`).
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.msg_type(), Some(0x16));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> Option<u8> {
        self.captured.byte(offset_of!(IgmpHeader, msg_type))
    }
    /// Max response code.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.max_resp(), Some(0));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn max_resp(&self) -> Option<u8> {
        self.captured.byte(offset_of!(IgmpHeader, max_resp))
    }
    /// Checksum as carried; never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.checksum(), Some(0xf8fa));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        let field = self
            .captured
            .field::<U16>(offset_of!(IgmpHeader, checksum))?;
        Some(field.get())
    }
    /// IGMP version (`igmp.version`) where the captured bytes decide it, which is by type
    /// alone: a v1/v2/v3 report or a v2 leave. Always `None` for a membership query, since
    /// only a query's length (12 bytes or more for v3) tells the versions apart and a cut
    /// header does not show it.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.version(), Some(2));
    /// // A query's version depends on its length, which a cut header does not show:
    /// assert_eq!(IgmpPartial::parse(&[0x11, 100][..])?.version(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> Option<u8> {
        match self.msg_type()? {
            igmp::TYPE_QUERY => None,
            igmp::TYPE_V2_REPORT | igmp::TYPE_LEAVE => Some(2),
            igmp::TYPE_V1_REPORT => Some(1),
            igmp::TYPE_V3_REPORT => Some(3),
            _ => Some(0),
        }
    }
    /// The group address of a query, v1/v2 report or leave, if all of it was captured.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPartial, Ipv4Addr};
    /// # // The first 6 bytes of an IGMPv2 report: the group address was cut.
    /// # let cut = [0x16, 0, 0xf8, 0xfa, 239, 1];
    /// let igmp = IgmpPartial::parse(&cut[..])?;
    /// assert_eq!(igmp.group(), None); // 2 of its 4 bytes are here
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn group(&self) -> Option<Ipv4Addr> {
        if self.msg_type()? == igmp::TYPE_V3_REPORT {
            return None;
        }
        self.captured
            .field::<[u8; 4]>(offset_of!(IgmpHeader, word))
            .map(|w| Ipv4Addr(*w))
    }
}

impl<B: SplitByteSlice> fmt::Debug for IgmpPartial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IgmpPartial")
            .field("captured", &self.bytes())
            .finish()
    }
}
