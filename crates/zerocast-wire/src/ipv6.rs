//! IPv6 (RFC 8200): the fixed header and the walk through its extension headers.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version| Traffic Class |              Flow Label               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Payload Length        |  Next Header  |   Hop Limit   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                  Source Address (128 bits)                    |
//! |               Destination Address (128 bits)                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Parsing walks Hop-by-Hop, Routing, Fragment, Destination Options (and skips AH) so the view
//! splits into fixed header | extension headers | upper-layer payload | trailer.

use core::fmt;

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::Ipv6Addr;
use crate::error::{ErrorKind, IcmpReply, Layer, ParseError};
use crate::ip::{IpProto, PseudoHeader};
use crate::ipv6_ext::{ExtensionHeaders, FragmentHeader};
use crate::parse::{split_at, split_at_most, take_header, Lenient, ParseOptions};
pub use crate::partial::Ipv6Partial;

/// Length of the fixed header.
pub const HEADER_LEN: usize = 40;

/// The fixed IPv6 header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::ipv6::Ipv6Header::ref_from_bytes(&[0x60u8; 40][..])?;
/// assert_eq!(h.vtcfl.get() >> 28, 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct Ipv6Header {
    /// Version (4 bits), traffic class (8 bits), flow label (20 bits).
    pub vtcfl: U32,
    /// Length of everything after the fixed header.
    pub payload_len: U16,
    /// Type of the first extension header or of the upper-layer payload.
    pub next_header: u8,
    /// Hop limit.
    pub hop_limit: u8,
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
}

/// A parsed IPv6 packet.
///
/// ```
/// use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
/// let mut b = [0u8; 44];
/// b[0] = 0x60;
/// b[5] = 4;      // payload length
/// b[6] = 59;     // no next header
/// b[7] = 255;
/// b[23] = 1;     // src ::1
/// let ip = Ipv6Packet::parse(&b[..])?;
/// assert_eq!(ip.src().to_string(), "::1");
/// assert_eq!((ip.upper_protocol(), ip.payload().len()), (IpProto::NO_NEXT_HEADER, 4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Ipv6Packet<B> {
    header: Ref<B, Ipv6Header>,
    extensions: B,
    payload: B,
    trailer: B,
    upper: IpProto,
    fragment: Option<FragmentHeader>,
    /// The Jumbo Payload Length when this is a jumbogram (RFC 2675).
    jumbo: Option<u32>,
    truncated: bool,
}

impl<B: SplitByteSlice> Ipv6Packet<B> {
    /// Parses strictly.
    ///
    /// # Errors
    /// See [`Ipv6Packet::parse_with`].
    ///
    /// ```
    /// assert!(zerocast_wire::ipv6::Ipv6Packet::parse(&[0x60u8; 39][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Self::parse_with(bytes, ParseOptions::STRICT)
    }

    /// Parses with the given strictness. There is no IPv6 header checksum; the checksum policy
    /// only matters to the layers above.
    ///
    /// # Errors
    /// `Truncated` (fixed header: see [`Ipv6Packet::parse_lenient`] for a view of what was
    /// captured; payload unless `allow_truncated`; or an extension header);
    /// `BadVersion`; for a malformed extension header chain or an unrecognized option whose
    /// action bits say so, the error carries the ICMPv6 Parameter Problem to send.
    ///
    /// ```
    /// use zerocast_wire::{ipv6::Ipv6Packet, ParseOptions};
    /// let mut b = [0u8; 40];
    /// b[0] = 0x60;
    /// b[5] = 8; // promises 8 bytes that are not there
    /// b[6] = 59;
    /// assert!(Ipv6Packet::parse(&b[..]).is_err());
    /// assert!(Ipv6Packet::parse_with(&b[..], ParseOptions::LENIENT)?.is_truncated());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_with(bytes: B, opts: ParseOptions) -> Result<Self, ParseError> {
        let available = bytes.len();
        let (header, rest) = take_header::<B, Ipv6Header>(bytes, Layer::Ipv6)?;
        check_version(header.vtcfl.get().to_be_bytes()[0])?;
        let jumbo = hop_by_hop_jumbo(&header, &rest);
        let payload_len = payload_length(&header, jumbo, !opts.allow_truncated)?;
        let jumbo = jumbo.flatten().map(|(len, _)| len);
        let (payload, trailer, truncated) = if opts.allow_truncated {
            split_at_most(rest, payload_len)
        } else {
            let total = HEADER_LEN + payload_len;
            if available < total {
                return Err(ParseError::new(
                    Layer::Ipv6,
                    ErrorKind::Truncated {
                        needed: total,
                        available,
                    },
                    available,
                ));
            }
            let (p, t) = split_at(rest, payload_len, Layer::Ipv6, HEADER_LEN)?;
            (p, t, false)
        };
        let dst_multicast = header.dst.is_multicast();
        let mut walk = ExtensionHeaders::new(IpProto(header.next_header), &payload);
        let mut fragment = None;
        let mut ext_len = 0;
        let mut upper = IpProto(header.next_header);
        let mut failed = None;
        for ext in walk.by_ref() {
            match ext {
                Ok(ext) => {
                    if let Some(f) = ext.fragment() {
                        if jumbo.is_some() && !opts.allow_truncated {
                            // RFC 2675 section 3: a jumbogram cannot be fragmented.
                            let at = HEADER_LEN + ext.offset();
                            return Err(parameter_problem(ErrorKind::BadField, at));
                        }
                        fragment = Some(f);
                    }
                    if !opts.allow_truncated {
                        check_options(&ext, dst_multicast)?;
                    }
                    ext_len = ext.offset() + ext.bytes().len();
                    upper = ext.next_header();
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            let truncated_chain = matches!(e.kind(), ErrorKind::Truncated { .. });
            if !(opts.allow_truncated && truncated_chain) {
                return Err(e);
            }
            // Lenient: keep the complete headers; the cut one is reported as the upper layer.
            upper = walk.upper_layer().0;
        }
        let (extensions, payload) = split_at(payload, ext_len, Layer::Ipv6Ext, 0)?;
        Ok(Ipv6Packet {
            header,
            extensions,
            payload,
            trailer,
            upper,
            fragment,
            jumbo,
            truncated,
        })
    }

    /// The fixed header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.header().hop_limit, 64);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &Ipv6Header {
        &self.header
    }
    /// Version (always 6 after a successful parse).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.version(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> u8 {
        (self.header.vtcfl.get() >> 28) as u8
    }
    /// Traffic class (`ipv6.tclass`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.traffic_class(), 0xb8); // DSCP 46 (EF), ECN 0
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn traffic_class(&self) -> u8 {
        (self.header.vtcfl.get() >> 20) as u8
    }
    /// Flow label (`ipv6.flow`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.flow_label(), 0x12345);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flow_label(&self) -> u32 {
        self.header.vtcfl.get() & 0x000f_ffff
    }
    /// Payload Length field (`ipv6.plen`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.payload_len(), 8);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload_len(&self) -> u16 {
        self.header.payload_len.get()
    }
    /// The Jumbo Payload Length of a jumbogram (RFC 2675): the length of everything after
    /// the fixed header, which then replaces Payload Length (0 in a jumbogram).
    ///
    /// ```
    /// use zerocast_wire::{ipv6::{Ipv6Packet, Ipv6Repr}, ipv6_ext::write_jumbo_hop_by_hop};
    /// use zerocast_wire::{IpProto, Ipv6Addr};
    /// let mut hbh = [0u8; 8];
    /// write_jumbo_hop_by_hop(&mut hbh, IpProto::NO_NEXT_HEADER, 0)?;
    /// let unspec = Ipv6Addr::UNSPECIFIED;
    /// let repr = Ipv6Repr { extensions: &hbh, ..Ipv6Repr::new(unspec, unspec, IpProto::HOP_BY_HOP, 64) };
    /// let mut b = vec![0u8; 40 + 8 + 70_000];
    /// repr.emit(&mut b, 70_000)?;
    /// let ip = Ipv6Packet::parse(&b[..])?;
    /// assert_eq!((ip.payload_len(), ip.jumbo_payload_len()), (0, Some(70_008)));
    /// assert_eq!(ip.payload().len(), 70_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn jumbo_payload_len(&self) -> Option<u32> {
        self.jumbo
    }
    /// The fixed header's Next Header field (`ipv6.nxt`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.next_header(), IpProto::FRAGMENT); // the first extension header
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn next_header(&self) -> IpProto {
        IpProto(self.header.next_header)
    }
    /// Hop limit (`ipv6.hlim`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.hop_limit(), 64);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn hop_limit(&self) -> u8 {
        self.header.hop_limit
    }
    /// Source address (`ipv6.src`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.src().to_string(), "2001:db8::1");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src(&self) -> Ipv6Addr {
        self.header.src
    }
    /// Destination address (`ipv6.dst`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.dst(), Ipv6Addr(dst));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst(&self) -> Ipv6Addr {
        self.header.dst
    }
    /// The protocol of [`Ipv6Packet::payload`], after the extension headers.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.upper_protocol(), IpProto::UDP); // after the Fragment header
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn upper_protocol(&self) -> IpProto {
        self.upper
    }
    /// The extension headers, one at a time.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// let kinds: Vec<IpProto> =
    ///     ip.extension_headers().map(|h| h.map(|h| h.kind())).collect::<Result<_, _>>()?;
    /// assert_eq!(kinds, [IpProto::FRAGMENT]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn extension_headers(&self) -> ExtensionHeaders<'_> {
        ExtensionHeaders::new(self.next_header(), &self.extensions)
    }
    /// The raw bytes of all extension headers.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.extensions_bytes(), &[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn extensions_bytes(&self) -> &[u8] {
        &self.extensions
    }
    /// The Fragment header, if there is one.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// use zerocast_wire::ipv6_ext::FragmentHeader;
    /// assert_eq!(ip.fragment(), Some(FragmentHeader { offset: 0, more: true, ident: 0xabcd }));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn fragment(&self) -> Option<FragmentHeader> {
        self.fragment
    }
    /// Whether this packet carries a fragment of a larger packet (it has a Fragment header
    /// with a non-zero offset or the More Fragments flag), so its payload is not a complete
    /// upper-layer message.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert!(ip.is_fragment()); // more fragments follow
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_fragment(&self) -> bool {
        self.fragment.is_some_and(|f| f.offset != 0 || f.more)
    }
    /// The upper-layer payload (after all extension headers).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto};
    /// # // ::1 > ::2, a Fragment header (first fragment, more follow, id 0xabcd), 8 bytes of UDP.
    /// # let mut bytes = [0u8; 56];
    /// # bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x10, 44, 64]);
    /// # bytes[23] = 1;
    /// # bytes[39] = 2;
    /// # bytes[40..48].copy_from_slice(&[17, 0, 0x00, 0x01, 0, 0, 0xab, 0xcd]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.payload().len(), 8); // after the extension headers
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// Bytes after Payload Length (link-layer padding).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.trailer(), &[0, 0]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn trailer(&self) -> &[u8] {
        &self.trailer
    }
    /// Whether fewer bytes than Payload Length were present (lenient parse only).
    ///
    /// ```
    /// use zerocast_wire::{ipv6::Ipv6Packet, ParseOptions};
    /// let mut bytes = [0u8; 44];
    /// bytes[..8].copy_from_slice(&[0x60, 0, 0, 0, 0x00, 0x08, 17, 64]); // promises 8 bytes, has 4
    /// assert!(Ipv6Packet::parse_with(&bytes[..], ParseOptions::LENIENT)?.is_truncated());
    /// assert!(Ipv6Packet::parse(&bytes[..]).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
    /// The pseudo-header for UDP/TCP/ICMPv6 checksums. Its destination is the final one
    /// (RFC 8200 section 8.1): with a Routing header that still has segments left, the last
    /// address of the route (types 0 and 2) or Segment List\[0\] (type 4, RFC 8754).
    ///
    /// ```
    /// use zerocast_wire::{ipv6::{Ipv6Packet, Ipv6Repr}, ipv6_ext::write_routing_header};
    /// use zerocast_wire::{IpProto, Ipv6Addr, PseudoHeader};
    /// let final_dst: Ipv6Addr = "fd77::9".parse::<core::net::Ipv6Addr>()?.into();
    /// let mut rh = [0u8; 24];
    /// let mut data = [0u8; 20];
    /// data[4..].copy_from_slice(&final_dst.0);
    /// write_routing_header(&mut rh, IpProto::UDP, 2, 1, &data)?;
    /// let unspec = Ipv6Addr::UNSPECIFIED;
    /// let repr = Ipv6Repr { extensions: &rh, ..Ipv6Repr::new(unspec, unspec, IpProto::ROUTING, 64) };
    /// let mut b = [0u8; 64];
    /// repr.emit(&mut b, 0)?;
    /// let ip = Ipv6Packet::parse(&b[..])?;
    /// assert_eq!(ip.pseudo_header(), PseudoHeader::V6 { src: unspec, dst: final_dst });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pseudo_header(&self) -> PseudoHeader {
        let mut dst = self.dst();
        for ext in self.extension_headers().flatten() {
            let Some((routing_type, left)) = ext.routing() else {
                continue;
            };
            let bytes = ext.bytes();
            let addr = match routing_type {
                _ if left == 0 => None,
                0 => bytes.len().checked_sub(16).and_then(|at| bytes.get(at..)),
                2 | 4 => bytes.get(8..24),
                _ => None,
            };
            if let Some(a) = addr.and_then(|a| <[u8; 16]>::try_from(a).ok()) {
                dst = Ipv6Addr(a);
            }
        }
        PseudoHeader::V6 {
            src: self.src(),
            dst,
        }
    }
    /// The options to parse the payload with: `opts`, except that checksums over a truncated
    /// payload or a fragment cannot be verified, so they are skipped (reported unverified).
    ///
    /// ```
    /// use zerocast_wire::{ChecksumPolicy, ParseOptions};
    /// # let mut b = [0u8; 48];
    /// # b[0] = 0x60; b[5] = 20; b[6] = 6;
    /// let ip = zerocast_wire::ipv6::Ipv6Packet::parse_with(&b[..], ParseOptions::LENIENT)?;
    /// assert_eq!(ip.payload_parse_options(ParseOptions::LENIENT).checksum, ChecksumPolicy::Skip);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn payload_parse_options(&self, opts: ParseOptions) -> ParseOptions {
        if self.truncated || self.is_fragment() {
            ParseOptions {
                checksum: crate::ChecksumPolicy::Skip,
                ..opts
            }
        } else {
            opts
        }
    }
    /// Returns the upper-layer payload, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let ip = Ipv6Packet::parse(&bytes[..])?;
    /// let udp: &[u8] = ip.into_payload();
    /// assert_eq!(udp.len(), 8);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }

    /// The header's field values (extension headers borrowed raw).
    ///
    /// ```
    /// # let mut b = [0u8; 40];
    /// # b[0] = 0x60; b[6] = 59; b[7] = 64;
    /// let ip = zerocast_wire::ipv6::Ipv6Packet::parse(&b[..])?;
    /// let mut out = [0u8; 40];
    /// ip.repr().emit(&mut out, 0)?;
    /// assert_eq!(out, b);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> Ipv6Repr<'_> {
        Ipv6Repr {
            traffic_class: self.traffic_class(),
            flow_label: self.flow_label(),
            next_header: self.next_header(),
            hop_limit: self.hop_limit(),
            src: self.src(),
            dst: self.dst(),
            extensions: &self.extensions,
        }
    }
}

/// Applies RFC 8200 section 4.2's action bits to unrecognized options.
fn check_options(
    ext: &crate::ipv6_ext::ExtensionHeader<'_>,
    dst_multicast: bool,
) -> Result<(), ParseError> {
    for opt in ext.options() {
        let opt = opt?;
        if opt.is_known() {
            continue;
        }
        let at = ext.offset() + 2;
        let pointer = u32::try_from(HEADER_LEN + at).unwrap_or(u32::MAX);
        let err = ParseError::new(Layer::Ipv6Ext, ErrorKind::BadOption { kind: opt.kind }, at);
        match opt.action() {
            0 => {}
            1 => return Err(err),
            2 => return Err(err.with_icmp(IcmpReply::Ipv6ParameterProblem { code: 2, pointer })),
            _ if dst_multicast => return Err(err),
            _ => return Err(err.with_icmp(IcmpReply::Ipv6ParameterProblem { code: 2, pointer })),
        }
    }
    Ok(())
}

impl<B: SplitByteSlice + ByteSliceMut> Ipv6Packet<B> {
    /// Sets the hop limit (IPv6 has no header checksum to patch).
    ///
    /// ```
    /// # let mut b = [0u8; 40];
    /// # b[0] = 0x60; b[6] = 59; b[7] = 64;
    /// zerocast_wire::ipv6::Ipv6Packet::parse(&mut b[..])?.set_hop_limit(1);
    /// assert_eq!(b[7], 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_hop_limit(&mut self, hop_limit: u8) {
        self.header.hop_limit = hop_limit;
    }
    /// Rewrites the source address (upper-layer checksums must be patched by the caller).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let mut ip = Ipv6Packet::parse(&mut bytes[..])?;
    /// let new_src = Ipv6Addr([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    /// ip.set_src(new_src);
    /// assert_eq!(ip.src().to_string(), "fd00::9");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn set_src(&mut self, src: Ipv6Addr) {
        self.header.src = src;
    }
    /// Rewrites the destination address (upper-layer checksums must be patched by the caller).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let mut ip = Ipv6Packet::parse(&mut bytes[..])?;
    /// ip.set_dst(Ipv6Addr(src)); // send it back where it came from
    /// assert_eq!(bytes[24..40], src);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn set_dst(&mut self, dst: Ipv6Addr) {
        self.header.dst = dst;
    }
    /// The fixed header, writable.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let mut ip = Ipv6Packet::parse(&mut bytes[..])?;
    /// ip.header_mut().hop_limit = 255;
    /// assert_eq!(bytes[7], 255);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut Ipv6Header {
        &mut self.header
    }
    /// The upper-layer payload, writable.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Ipv6Addr};
    /// # let src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
    /// # let dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]; // 2001:db8::2
    /// # // Traffic class 0xb8, flow label 0x12345, Payload Length 8, UDP, hop limit 64;
    /// # // an 8-byte UDP header; then 2 bytes of link-layer padding.
    /// # let mut bytes = [0u8; 50];
    /// # bytes[..8].copy_from_slice(&[0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 17, 64]);
    /// # bytes[8..24].copy_from_slice(&src);
    /// # bytes[24..40].copy_from_slice(&dst);
    /// # bytes[40..48].copy_from_slice(&[0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x12, 0x34]);
    /// let mut ip = Ipv6Packet::parse(&mut bytes[..])?;
    /// ip.payload_mut()[2..4].copy_from_slice(&[0x14, 0xe9]); // UDP destination port 5353
    /// assert_eq!(bytes[42..44], [0x14, 0xe9]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.payload
    }
}

/// IPv6 header values, for building; `emit` computes Payload Length.
///
/// ```
/// use zerocast_wire::{ipv6::{Ipv6Packet, Ipv6Repr}, IpProto, Ipv6Addr};
/// let repr = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED, IpProto::UDP, 64);
/// let mut buf = [0u8; 48];
/// repr.emit(&mut buf, 8)?;
/// assert_eq!(Ipv6Packet::parse(&buf[..])?.repr(), repr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Repr<'a> {
    /// Traffic class.
    pub traffic_class: u8,
    /// Flow label (20 bits).
    pub flow_label: u32,
    /// The fixed header's Next Header (the first extension header, if any).
    pub next_header: IpProto,
    /// Hop limit.
    pub hop_limit: u8,
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
    /// Raw extension headers, written right after the fixed header.
    pub extensions: &'a [u8],
}

impl<'a> Ipv6Repr<'a> {
    /// A header without extension headers.
    ///
    /// ```
    /// use zerocast_wire::{ipv6::Ipv6Repr, IpProto, Ipv6Addr};
    /// let dst = Ipv6Addr([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    /// let repr = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, dst, IpProto::TCP, 64);
    /// assert_eq!((repr.traffic_class, repr.flow_label, repr.extensions), (0, 0, &[][..]));
    /// ```
    #[must_use]
    pub const fn new(src: Ipv6Addr, dst: Ipv6Addr, next_header: IpProto, hop_limit: u8) -> Self {
        Ipv6Repr {
            traffic_class: 0,
            flow_label: 0,
            next_header,
            hop_limit,
            src,
            dst,
            extensions: &[],
        }
    }

    /// Fixed header plus extension headers.
    ///
    /// ```
    /// use zerocast_wire::{ipv6::Ipv6Repr, IpProto, Ipv6Addr};
    /// let dst = Ipv6Addr([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16]); // ff02::16
    /// let base = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, dst, IpProto::HOP_BY_HOP, 1);
    /// let with_hbh = Ipv6Repr { extensions: &[58, 0, 5, 2, 0, 0, 1, 0], ..base };
    /// assert_eq!((base.header_len(), with_hbh.header_len()), (40, 48));
    /// ```
    #[must_use]
    pub fn header_len(&self) -> usize {
        HEADER_LEN + self.extensions.len()
    }

    /// Where in `extensions` the Jumbo Payload Length goes, if they start with a Hop-by-Hop
    /// header holding a Jumbo Payload option (see
    /// [`write_jumbo_hop_by_hop`](crate::ipv6_ext::write_jumbo_hop_by_hop)).
    fn jumbo_value_offset(&self) -> Option<usize> {
        if self.next_header != IpProto::HOP_BY_HOP {
            return None;
        }
        let hbh = ExtensionHeaders::new(IpProto::HOP_BY_HOP, self.extensions)
            .next()?
            .ok()?;
        hbh.jumbo_payload().map(|(_, at)| at + 2)
    }

    /// Writes the header and extension headers for an upper-layer payload of `payload_len`.
    /// With a Jumbo Payload option in a leading Hop-by-Hop header (a jumbogram, RFC 2675),
    /// Payload Length is 0 and the option gets the length instead (beyond 2^32 - 1 bytes,
    /// or at most 65535 bytes, is then `BadLength`).
    ///
    /// # Errors
    /// `BadLength` beyond 65535 payload bytes, `BadField` for a flow label over 20 bits,
    /// `Truncated` if `buf` is too short for the headers.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Repr, IpProto, Ipv6Addr};
    /// let r = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED, IpProto::UDP, 1);
    /// assert!(r.emit(&mut [0u8; 39], 0).is_err());
    /// ```
    pub fn emit(&self, buf: &mut [u8], payload_len: usize) -> Result<(), ParseError> {
        let plen = self.extensions.len() + payload_len;
        let too_long = ParseError::new(Layer::Ipv6, ErrorKind::BadLength(plen), 4);
        // RFC 2675: Payload Length 0 and the length in the Jumbo Payload option, which only
        // a payload over 65535 bytes may carry.
        let (plen16, jumbo) = match (u16::try_from(plen), self.jumbo_value_offset()) {
            (Ok(len), None) => (len, None),
            (Err(_), Some(at)) => (0, Some((at, u32::try_from(plen).map_err(|_| too_long)?))),
            _ => return Err(too_long),
        };
        if self.flow_label > 0x000f_ffff {
            return Err(ParseError::new(Layer::Ipv6, ErrorKind::BadField, 1));
        }
        let available = buf.len();
        let needed = self.header_len();
        let (header, rest) = Ref::<_, Ipv6Header>::from_prefix(buf)
            .map_err(|_| ParseError::truncated(Layer::Ipv6, needed, available))?;
        let extensions = rest
            .get_mut(..self.extensions.len())
            .ok_or(ParseError::truncated(Layer::Ipv6, needed, available))?;
        extensions.copy_from_slice(self.extensions);
        if let Some((at, len)) = jumbo {
            if let Some(value) = extensions.get_mut(at..at + 4) {
                value.copy_from_slice(&len.to_be_bytes());
            }
        }
        let h = Ref::into_mut(header);
        h.vtcfl
            .set((6 << 28) | (u32::from(self.traffic_class) << 20) | self.flow_label);
        h.payload_len.set(plen16);
        h.next_header = self.next_header.0;
        h.hop_limit = self.hop_limit;
        h.src = self.src;
        h.dst = self.dst;
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for Ipv6Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IP6 {} > {}: next {} hlim {} plen {}",
            self.src(),
            self.dst(),
            self.upper_protocol(),
            self.hop_limit(),
            self.payload_len()
        )?;
        if let Some(frag) = self.fragment {
            write!(
                f,
                " frag id 0x{:x} off {}{}",
                frag.ident,
                frag.offset_bytes(),
                if frag.more { "+" } else { "" }
            )?;
        }
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Debug for Ipv6Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ipv6Packet")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

impl<'a> Ipv6Repr<'a> {
    /// Checks the fields once and returns a [`PacketBuilder`](zerocast_packet::PacketBuilder)
    /// that fills Payload Length from the body it is wrapped around.
    ///
    /// # Errors
    /// `BadField` for a flow label over 20 bits; `BadLength` for extension headers that are
    /// not a multiple of 8 bytes.
    ///
    /// ```
    /// use zerocast_packet::{InnerPacketBuilder, Serializer};
    /// use zerocast_wire::{ipv6::{Ipv6Packet, Ipv6Repr}, IpProto, Ipv6Addr};
    /// let ip = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED, IpProto::UDP, 64);
    /// let pkt = [0u8; 8].into_serializer().wrap_in(ip.builder().unwrap()).serialize_vec_outer().unwrap();
    /// assert_eq!(Ipv6Packet::parse(pkt.as_ref()).unwrap().payload_len(), 8);
    /// ```
    pub fn builder(self) -> Result<Ipv6Builder<'a>, ParseError> {
        if self.flow_label > 0x000f_ffff {
            return Err(ParseError::new(Layer::Ipv6, ErrorKind::BadField, 1));
        }
        if !self.extensions.len().is_multiple_of(8) || self.extensions.len() > usize::from(u16::MAX)
        {
            return Err(ParseError::new(
                Layer::Ipv6Ext,
                ErrorKind::BadLength(self.extensions.len()),
                0,
            ));
        }
        Ok(Ipv6Builder { repr: self })
    }
}

/// A validated IPv6 header builder (see [`Ipv6Repr::builder`]).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{ipv6::{Ipv6Packet, Ipv6Repr}, IpProto, Ipv6Addr};
/// let dst = Ipv6Addr([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
/// let repr = Ipv6Repr::new(Ipv6Addr::UNSPECIFIED, dst, IpProto::UDP, 64);
/// let packet = [0u8; 8].into_serializer().wrap_in(repr.builder()?).serialize_vec_outer()
///     .map_err(|_| "serialize failed")?;
/// assert_eq!(Ipv6Packet::parse(packet.as_ref())?.payload_len(), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Builder<'a> {
    repr: Ipv6Repr<'a>,
}

impl zerocast_packet::PacketBuilder for Ipv6Builder<'_> {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        let ext = self.repr.extensions.len();
        let (min, max) = if self.repr.jumbo_value_offset().is_some() {
            let max = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
            ((usize::from(u16::MAX) + 1).saturating_sub(ext), max - ext)
        } else {
            (0, usize::from(u16::MAX) - ext)
        };
        crate::parse::layer_constraints(self.repr.header_len(), min, max)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        // Validated by `builder`; the body fits Payload Length by the constraints.
        let emitted = self.repr.emit(target.header, body.len());
        debug_assert!(
            emitted.is_ok(),
            "IPv6 header validated by builder: {emitted:?}"
        );
    }
}

/// The Jumbo Payload option of a leading Hop-by-Hop header: `None` when there is no complete
/// Hop-by-Hop header to look in, else its (Jumbo Payload Length, offset of the option's
/// type byte from the start of the packet) if it has one.
fn hop_by_hop_jumbo(header: &Ipv6Header, after: &[u8]) -> Option<Option<(u32, usize)>> {
    if header.next_header != IpProto::HOP_BY_HOP.0 {
        return None;
    }
    let hbh = ExtensionHeaders::new(IpProto::HOP_BY_HOP, after)
        .next()?
        .ok()?;
    Some(hbh.jumbo_payload().map(|(len, at)| (len, HEADER_LEN + at)))
}

/// An RFC 2675 error: ICMPv6 Parameter Problem, code 0, pointing at `at`.
fn parameter_problem(kind: ErrorKind, at: usize) -> ParseError {
    let pointer = u32::try_from(at).unwrap_or(u32::MAX);
    ParseError::new(Layer::Ipv6, kind, at)
        .with_icmp(IcmpReply::Ipv6ParameterProblem { code: 0, pointer })
}

/// The length of everything after the fixed header: Payload Length, or in a jumbogram the
/// Jumbo Payload Length. `strict` applies RFC 2675 section 3's errors; leniently, a
/// non-zero Payload Length wins over a Jumbo Payload option.
fn payload_length(
    header: &Ipv6Header,
    jumbo: Option<Option<(u32, usize)>>,
    strict: bool,
) -> Result<usize, ParseError> {
    let field = usize::from(header.payload_len.get());
    match jumbo.flatten() {
        Some((len, at)) => {
            if strict && field != 0 {
                return Err(parameter_problem(ErrorKind::BadLength(field), at));
            }
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            if strict && len <= usize::from(u16::MAX) {
                return Err(parameter_problem(ErrorKind::BadLength(len), at + 2));
            }
            Ok(if field != 0 { field } else { len })
        }
        // A complete Hop-by-Hop header and Payload Length 0: a jumbogram without its option.
        None if strict && field == 0 && jumbo.is_some() => {
            Err(parameter_problem(ErrorKind::BadLength(0), 4))
        }
        None => Ok(field),
    }
}

/// Checks the version nibble of the header's first byte.
pub(crate) fn check_version(first: u8) -> Result<(), ParseError> {
    let version = first >> 4;
    if version != 6 {
        return Err(ParseError::new(
            Layer::Ipv6,
            ErrorKind::BadVersion(version),
            0,
        ));
    }
    Ok(())
}

impl<B: SplitByteSlice> Ipv6Packet<B> {
    /// Parses what a capture kept: like [`Ipv6Packet::parse_with`] with
    /// [`ParseOptions::LENIENT`], and when the bytes end inside the 40-byte fixed header, an
    /// [`Ipv6Partial`] of the fields that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`Ipv6Packet::parse_with`] (and [`Ipv6Partial::parse`] for a cut header).
    ///
    /// ```
    /// use zerocast_wire::{ipv6::Ipv6Packet, IpProto, Lenient};
    /// // The 8 bytes of an IPv6 header that an ICMPv6 error had room to quote.
    /// let quoted = [0x60, 0x0a, 0xbc, 0xde, 0, 32, 17, 64];
    /// let Lenient::Cut(ip) = Ipv6Packet::parse_lenient(&quoted[..])? else { unreachable!() };
    /// assert_eq!(ip.flow_label(), Some(0xabcde));
    /// assert_eq!((ip.next_header(), ip.hop_limit()), (Some(IpProto::UDP), Some(64)));
    /// assert_eq!(ip.src(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(bytes: B) -> Result<Lenient<Self, Ipv6Partial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            Ipv6Partial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, ParseOptions::LENIENT).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ParseOptions> for Ipv6Packet<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let (ext_len, body, upper, fragment, jumbo, truncated) = {
            let p = Ipv6Packet::parse_with(buffer.as_ref(), opts)?;
            (
                p.extensions.len(),
                p.payload.len(),
                p.upper,
                p.fragment,
                p.jumbo,
                p.truncated,
            )
        };
        let (h, payload, trailer) =
            crate::parse::take_parts(buffer, HEADER_LEN + ext_len, body, Layer::Ipv6)?;
        let (header, extensions) =
            Ref::from_prefix(h).map_err(|_| ParseError::truncated(Layer::Ipv6, HEADER_LEN, 0))?;
        Ok(Ipv6Packet {
            header,
            extensions,
            payload,
            trailer,
            upper,
            fragment,
            jumbo,
            truncated,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(
            HEADER_LEN + self.extensions.len(),
            self.payload.len(),
            self.trailer.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // MLDv2 report from the samples: ::/ff02::16 with a Hop-by-Hop Router Alert.
    fn mld_report() -> [u8; 76] {
        let mut b = [0u8; 76];
        b[0] = 0x60;
        b[4..6].copy_from_slice(&36u16.to_be_bytes());
        b[6] = 0; // Hop-by-Hop
        b[7] = 1;
        b[24] = 0xff;
        b[25] = 0x02;
        b[39] = 0x16;
        b[40..48].copy_from_slice(&[58, 0, 5, 2, 0, 0, 1, 0]);
        b[48] = 143;
        b
    }

    #[test]
    fn walks_hop_by_hop_to_icmpv6() {
        let b = mld_report();
        let ip = Ipv6Packet::parse(&b[..]).unwrap();
        assert_eq!(ip.next_header(), IpProto::HOP_BY_HOP);
        assert_eq!(ip.upper_protocol(), IpProto::ICMPV6);
        assert_eq!(ip.payload().len(), 28);
        assert_eq!(ip.payload()[0], 143);
        let hbh = ip.extension_headers().next().unwrap().unwrap();
        assert_eq!(
            hbh.options().next().unwrap().unwrap().router_alert(),
            Some(0)
        );
        assert_eq!(ip.dst().to_string(), "ff02::16");
    }

    #[test]
    fn unknown_option_with_discard_action_is_rejected_strictly() {
        let mut b = mld_report();
        b[42] = 0x85; // action 2, unknown
        let e = Ipv6Packet::parse(&b[..]).err().unwrap();
        assert_eq!(
            e.icmp_reply(),
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 2,
                pointer: 42
            })
        );
        assert!(Ipv6Packet::parse_with(&b[..], ParseOptions::LENIENT).is_ok());
    }

    #[test]
    fn every_truncation_is_an_error_or_lenient_view() {
        let b = mld_report();
        for n in 0..b.len() {
            assert!(Ipv6Packet::parse(&b[..n]).is_err());
            if n >= HEADER_LEN {
                let ip = Ipv6Packet::parse_with(&b[..n], ParseOptions::LENIENT).unwrap();
                assert!(ip.is_truncated());
            }
        }
    }

    #[test]
    fn repr_reemits_extension_headers() {
        let b = mld_report();
        let ip = Ipv6Packet::parse(&b[..]).unwrap();
        let mut out = [0u8; 76];
        out[48..].copy_from_slice(&b[48..]);
        ip.repr().emit(&mut out, ip.payload().len()).unwrap();
        assert_eq!(out, b);
    }
}
