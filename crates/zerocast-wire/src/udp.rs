//! UDP (RFC 768; IPv6 rules from RFC 8200 section 8.1).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |            Length             |           Checksum            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! A zero checksum means "none" over IPv4 and is invalid over IPv6; a computed checksum of
//! zero is sent as 0xffff.

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::error::{ErrorKind, Layer, ParseError};
use crate::ip::{IpProto, PseudoHeader};
use crate::parse::{
    lenient, split_at, split_at_most, take_header, ChecksumPolicy, ChecksumStatus, Lenient,
    ParseOptions,
};
pub use crate::partial::UdpPartial;

/// Length of the UDP header.
pub const HEADER_LEN: usize = 8;

/// The UDP header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::udp::UdpHeader::ref_from_bytes(&[0, 53, 0, 53, 0, 8, 0, 0][..])?;
/// assert_eq!(h.src_port.get(), 53);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct UdpHeader {
    /// Source port.
    pub src_port: U16,
    /// Destination port.
    pub dst_port: U16,
    /// Header plus payload length.
    pub length: U16,
    /// Checksum over pseudo-header, header and payload.
    pub checksum: U16,
}

/// A parsed UDP datagram.
///
/// ```
/// use zerocast_wire::{udp::UdpPacket, ChecksumStatus};
/// let d = UdpPacket::parse(&[0x9c, 0x40, 0, 7, 0, 9, 0, 0, b'x'][..], None)?;
/// assert_eq!((d.src_port(), d.dst_port(), d.length()), (40000, 7, 9));
/// assert_eq!(d.payload(), b"x");
/// assert_eq!(d.checksum_status(), ChecksumStatus::Unverified); // zero = none (and no pseudo-header)
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct UdpPacket<B> {
    header: Ref<B, UdpHeader>,
    payload: B,
    trailer: B,
    truncated: bool,
    checksum_status: ChecksumStatus,
}

impl<B: SplitByteSlice> UdpPacket<B> {
    /// Parses strictly; the checksum is verified when `pseudo` is given.
    ///
    /// # Errors
    /// See [`UdpPacket::parse_with`].
    ///
    /// ```
    /// assert!(zerocast_wire::udp::UdpPacket::parse(&[0, 1, 0, 2, 0, 7, 0, 0][..], None).is_err());
    /// ```
    pub fn parse(bytes: B, pseudo: Option<PseudoHeader>) -> Result<Self, ParseError> {
        Self::parse_with(bytes, pseudo, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// `Truncated` (see [`UdpPacket::parse_lenient`] for a view of a cut header); `BadLength`
    /// when Length is below 8 or (strict) beyond the bytes;
    /// `BadChecksum` with [`ChecksumPolicy::Reject`] (including a zero checksum over IPv6).
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, ParseOptions, ChecksumStatus};
    /// let d = UdpPacket::parse_with(&[0, 1, 0, 2, 0, 20, 0x12, 0x34][..], None, ParseOptions::LENIENT)?;
    /// assert!(d.is_truncated());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_with(
        bytes: B,
        pseudo: Option<PseudoHeader>,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let available = bytes.len();
        let (header, rest) = take_header::<B, UdpHeader>(bytes, Layer::Udp)?;
        let field = usize::from(header.length.get());
        // RFC 2675 section 4: over IPv6, Length 0 marks a datagram of more than 65535 bytes
        // in a jumbogram; its length is then that of the whole IP payload.
        let jumbo = field == 0 && pseudo.is_some_and(|ph| ph.is_v6());
        let length = if jumbo { available } else { field };
        let short_jumbo = jumbo && available <= usize::from(u16::MAX);
        if length < HEADER_LEN || (short_jumbo && !opts.allow_truncated) {
            return Err(ParseError::new(Layer::Udp, ErrorKind::BadLength(field), 4));
        }
        let (payload, trailer, truncated) = if opts.allow_truncated {
            // A jumbo datagram of 65535 bytes or fewer can only be a cut one.
            let (p, t, cut) = split_at_most(rest, length - HEADER_LEN);
            (p, t, cut || short_jumbo)
        } else {
            if length > available {
                return Err(ParseError::new(Layer::Udp, ErrorKind::BadLength(length), 4));
            }
            let (p, t) = split_at(rest, length - HEADER_LEN, Layer::Udp, HEADER_LEN)?;
            (p, t, false)
        };
        let found = header.checksum.get();
        let checksum_status = match (opts.checksum, pseudo) {
            (ChecksumPolicy::Skip, _) | (_, None) => ChecksumStatus::Unverified,
            _ if truncated => ChecksumStatus::Unverified,
            (_, Some(ph)) if found == 0 && !ph.is_v6() => ChecksumStatus::Unverified,
            (policy, Some(ph)) => {
                let mut c = ph.checksum_start(IpProto::UDP, length);
                c.add_bytes(Ref::bytes(&header));
                c.add_bytes(&payload);
                if found != 0 && c.checksum() == 0 {
                    ChecksumStatus::Good
                } else if policy == ChecksumPolicy::Reject {
                    let expected = match crate::checksum::update(c.checksum(), found, 0) {
                        0 => 0xffff,
                        x => x,
                    };
                    return Err(ParseError::new(
                        Layer::Udp,
                        ErrorKind::BadChecksum { found, expected },
                        6,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        Ok(UdpPacket {
            header,
            payload,
            trailer,
            truncated,
            checksum_status,
        })
    }

    /// The header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.header().length.get(), 13);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &UdpHeader {
        &self.header
    }
    /// Source port (`udp.srcport`).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.src_port(), 54321);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src_port(&self) -> u16 {
        self.header.src_port.get()
    }
    /// Destination port (`udp.dstport`).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.dst_port(), 53);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst_port(&self) -> u16 {
        self.header.dst_port.get()
    }
    /// Length field (`udp.length`).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.length(), 13); // 8 header + 5 payload bytes
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn length(&self) -> u16 {
        self.header.length.get()
    }
    /// Checksum as carried.
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.checksum(), 0xef48);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the checksum check (`udp.checksum.status`).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// use zerocast_wire::ChecksumStatus;
    /// assert_eq!(udp.checksum_status(), ChecksumStatus::Good);
    /// // Over IPv4 a zero checksum means "none": nothing to verify.
    /// let unsummed = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00];
    /// let status = UdpPacket::parse(&unsummed[..], Some(ph))?.checksum_status();
    /// assert_eq!(status, ChecksumStatus::Unverified);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// The payload (up to Length, or what was captured).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(udp.payload(), b"query");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// Bytes after Length within the IP payload.
    ///
    /// ```
    /// use zerocast_wire::udp::UdpPacket;
    /// // Length 9, but the IP payload had 2 more bytes.
    /// let udp = UdpPacket::parse(&[0x9c, 0x40, 0, 7, 0, 9, 0, 0, b'x', 0xee, 0xee][..], None)?;
    /// assert_eq!((udp.payload(), udp.trailer()), (&b"x"[..], &[0xee, 0xee][..]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn trailer(&self) -> &[u8] {
        &self.trailer
    }
    /// Whether Length promised more bytes than were present (lenient only).
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, ParseOptions};
    /// // Length says 13, the capture kept 10 bytes.
    /// let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u'];
    /// let udp = UdpPacket::parse_with(&bytes[..], None, ParseOptions::LENIENT)?;
    /// assert!(udp.is_truncated());
    /// assert_eq!(udp.payload(), b"qu");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
    /// Whether this is a jumbo datagram (RFC 2675 section 4): Length 0 over IPv6, the
    /// datagram being the whole IP payload of a jumbogram.
    ///
    /// ```
    /// use zerocast_wire::{udp::{UdpPacket, UdpRepr}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let mut d = vec![0u8; 70_000];
    /// UdpRepr { src_port: 9, dst_port: 9 }.emit(&mut d, Some(ph))?;
    /// let udp = UdpPacket::parse(&d[..], Some(ph))?;
    /// assert!(udp.is_jumbogram() && udp.length() == 0);
    /// assert_eq!(udp.payload().len(), 70_000 - 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_jumbogram(&self) -> bool {
        self.header.length.get() == 0
    }
    /// Returns the payload, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// let payload: &[u8] = udp.into_payload();
    /// assert_eq!(payload, b"query");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }
    /// The header's field values.
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #              b'y'];
    /// let udp = UdpPacket::parse(&bytes[..], Some(ph))?;
    /// use zerocast_wire::udp::UdpRepr;
    /// assert_eq!(udp.repr(), UdpRepr { src_port: 54321, dst_port: 53 });
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> UdpRepr {
        UdpRepr {
            src_port: self.src_port(),
            dst_port: self.dst_port(),
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> UdpPacket<B> {
    /// Rewrites the source port, patching a non-zero checksum incrementally.
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
    /// let mut b = [0u8; 9];
    /// zerocast_wire::udp::UdpRepr { src_port: 1, dst_port: 2 }.emit(&mut b, Some(ph))?;
    /// UdpPacket::parse(&mut b[..], Some(ph))?.set_src_port(5353);
    /// assert!(UdpPacket::parse(&b[..], Some(ph)).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_src_port(&mut self, port: u16) {
        let old = self.header.src_port.get();
        self.header.src_port.set(port);
        self.patch_checksum(old, port);
    }
    /// Rewrites the destination port, patching a non-zero checksum incrementally.
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let mut bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #                  b'y'];
    /// let mut udp = UdpPacket::parse(&mut bytes[..], Some(ph))?;
    /// udp.set_dst_port(5353);
    /// assert_eq!(bytes[2..4], [0x14, 0xe9]);
    /// assert!(UdpPacket::parse(&bytes[..], Some(ph)).is_ok()); // the checksum still verifies
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn set_dst_port(&mut self, port: u16) {
        let old = self.header.dst_port.get();
        self.header.dst_port.set(port);
        self.patch_checksum(old, port);
    }
    fn patch_checksum(&mut self, old: u16, new: u16) {
        let c = self.header.checksum.get();
        if c != 0 {
            let n = crate::checksum::update(c, old, new);
            self.header.checksum.set(if n == 0 { 0xffff } else { n });
        }
    }
    /// Patches the checksum after the IP layer rewrote an address the pseudo-header covers
    /// (NAT): `old` and `new` are the address bytes (4 or 16), RFC 1624.
    ///
    /// ```
    /// use zerocast_wire::{Ipv4Addr, PseudoHeader};
    /// # let src = Ipv4Addr([10, 0, 0, 1]);
    /// # let dst = Ipv4Addr([10, 0, 0, 2]);
    /// # let nat = Ipv4Addr([192, 0, 2, 7]);
    /// # let mut b = [0u8; 24];
    /// # zerocast_wire::udp::UdpRepr { src_port: 1, dst_port: 2 }.emit(&mut b, Some(PseudoHeader::V4 { src, dst }))?;
    /// let mut p = zerocast_wire::udp::UdpPacket::parse(&mut b[..], Some(PseudoHeader::V4 { src, dst }))?;
    /// p.update_checksum_for_address(&src.0, &nat.0);
    /// assert!(zerocast_wire::udp::UdpPacket::parse(&b[..], Some(PseudoHeader::V4 { src: nat, dst })).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_checksum_for_address(&mut self, old: &[u8], new: &[u8]) {
        let c = self.header.checksum.get();
        if c == 0 {
            // IPv4 "no checksum": stays none.
            return;
        }
        let n = crate::checksum::update_bytes(c, old, new);
        self.header.checksum.set(if n == 0 { 0xffff } else { n });
    }
    /// The payload, writable (recompute the checksum with [`UdpRepr::emit`] afterwards).
    ///
    /// ```
    /// # use zerocast_wire::{udp::UdpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // 54321 > 53, Length 13, checksum 0xef48, payload "query"
    /// # let mut bytes = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d, 0xef, 0x48, b'q', b'u', b'e', b'r',
    /// #                  b'y'];
    /// let mut udp = UdpPacket::parse(&mut bytes[..], Some(ph))?;
    /// udp.payload_mut().copy_from_slice(b"QUERY");
    /// assert_eq!(&bytes[8..], b"QUERY"); // the checksum now needs recomputing
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.payload
    }
}

/// UDP header values, for building.
///
/// ```
/// use zerocast_wire::{udp::{UdpPacket, UdpRepr}, Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// let mut buf = *b"\0\0\0\0\0\0\0\0ping";
/// UdpRepr { src_port: 40000, dst_port: 7 }.emit(&mut buf, Some(ph))?;
/// let d = UdpPacket::parse(&buf[..], Some(ph))?;
/// assert_eq!(d.payload(), b"ping");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UdpRepr {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
}

impl UdpRepr {
    /// Writes the header into the front of `datagram`, whose remaining bytes are the payload
    /// already in place; fills Length and, with a pseudo-header, the checksum (else 0).
    ///
    /// # Errors
    /// `Truncated` under 8 bytes, `BadLength` over 65535 (over 2^32 - 1 with an IPv6
    /// pseudo-header, where a longer datagram is a jumbo one with Length 0).
    ///
    /// ```
    /// assert!(zerocast_wire::udp::UdpRepr { src_port: 1, dst_port: 2 }.emit(&mut [0u8; 7], None).is_err());
    /// ```
    #[inline]
    pub fn emit(
        &self,
        datagram: &mut [u8],
        pseudo: Option<PseudoHeader>,
    ) -> Result<(), ParseError> {
        let len = datagram.len();
        let (header, payload) = datagram
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(ParseError::truncated(Layer::Udp, HEADER_LEN, len))?;
        self.emit_parts(header, payload, pseudo)
    }

    /// Writes the 8-byte `header` for `payload` (which follows it on the wire).
    #[inline]
    fn emit_parts(
        &self,
        header: &mut [u8],
        payload: &[u8],
        pseudo: Option<PseudoHeader>,
    ) -> Result<(), ParseError> {
        let len = HEADER_LEN + payload.len();
        let too_long = ParseError::new(Layer::Udp, ErrorKind::BadLength(len), 4);
        let len16 = match u16::try_from(len) {
            Ok(len16) => len16,
            // RFC 2675 section 4: Length 0 for a jumbo datagram over IPv6.
            Err(_) if pseudo.is_some_and(|ph| ph.is_v6()) && u32::try_from(len).is_ok() => 0,
            Err(_) => return Err(too_long),
        };
        let available = header.len();
        let h = UdpHeader::mut_from_bytes(header)
            .map_err(|_| ParseError::truncated(Layer::Udp, HEADER_LEN, available))?;
        h.src_port.set(self.src_port);
        h.dst_port.set(self.dst_port);
        h.length.set(len16);
        h.checksum.set(0);
        if let Some(ph) = pseudo {
            let mut c = ph.checksum_start(IpProto::UDP, len);
            // The header from the values just written, not read back (see
            // `Checksum::add_u32` on store forwarding); its checksum field is zero.
            c.add_u16(self.src_port);
            c.add_u16(self.dst_port);
            c.add_u16(len16);
            c.add_bytes(payload);
            let sum = c.checksum();
            h.checksum.set(if sum == 0 { 0xffff } else { sum });
        }
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for UdpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UDP {} > {}, length {}",
            self.src_port(),
            self.dst_port(),
            self.length()
        )
    }
}

impl<B: SplitByteSlice> fmt::Debug for UdpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpPacket")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

/// A UDP header builder: the header values and the pseudo-header its checksum covers
/// (`None` sends a zero checksum, allowed over IPv4 only).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{udp::{UdpBuilder, UdpPacket, UdpRepr}, Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// let udp = UdpBuilder { repr: UdpRepr { src_port: 5353, dst_port: 53 }, pseudo: Some(ph) };
/// let d = b"query".into_serializer().wrap_in(udp).serialize_vec_outer().unwrap();
/// assert_eq!(UdpPacket::parse(d.as_ref(), Some(ph)).unwrap().payload(), b"query");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpBuilder {
    /// Header values.
    pub repr: UdpRepr,
    /// Addresses for the checksum.
    pub pseudo: Option<PseudoHeader>,
}

impl zerocast_packet::PacketBuilder for UdpBuilder {
    // `#[inline]` here and on `emit`: these are called from another crate's generic
    // serializer, and out of line the builder went through memory field by field and was
    // read back in wider loads that stall store forwarding; inlined, it stays in registers
    // and the re-checks fold away (benches/packet: Eth/IPv4/UDP serialize 394 -> 238
    // instructions, 32 -> 16 ns a packet).
    #[inline]
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        let max = if self.pseudo.is_some_and(|ph| ph.is_v6()) {
            // A jumbo datagram (RFC 2675 section 4), inside an IPv6 jumbogram.
            usize::try_from(u32::MAX).unwrap_or(usize::MAX)
        } else {
            usize::from(u16::MAX)
        };
        crate::parse::layer_constraints(HEADER_LEN, 0, max - HEADER_LEN)
    }

    #[inline]
    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        // The header is exactly 8 bytes and the body fits Length, by the constraints.
        let emitted = self.repr.emit_parts(target.header, body, self.pseudo);
        debug_assert!(
            emitted.is_ok(),
            "UDP header within its constraints: {emitted:?}"
        );
    }
}

impl<B: SplitByteSlice> UdpPacket<B> {
    /// Parses what a capture kept: like [`UdpPacket::parse_with`] with `allow_truncated`,
    /// and when the bytes end inside the 8-byte header, a [`UdpPartial`] of the fields that
    /// were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`UdpPacket::parse_with`] (and [`UdpPartial::parse`] for a cut header).
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, ChecksumPolicy, Lenient};
    /// let Lenient::Cut(d) = UdpPacket::parse_lenient(&[0x9c, 0x40, 0, 7, 0][..], None, ChecksumPolicy::Report)?
    /// else { unreachable!() };
    /// assert_eq!((d.src_port(), d.dst_port(), d.length()), (Some(40000), Some(7), None));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        pseudo: Option<PseudoHeader>,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, UdpPartial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            UdpPartial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, pseudo, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

/// Parse arguments: the pseudo-header to verify the checksum against, and the strictness.
impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, (Option<PseudoHeader>, ParseOptions)>
    for UdpPacket<B>
{
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        (pseudo, opts): (Option<PseudoHeader>, ParseOptions),
    ) -> Result<Self, ParseError> {
        let (body, truncated, checksum_status) = {
            let p = UdpPacket::parse_with(buffer.as_ref(), pseudo, opts)?;
            (p.payload.len(), p.truncated, p.checksum_status)
        };
        let (h, payload, trailer) = crate::parse::take_parts(buffer, HEADER_LEN, body, Layer::Udp)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Udp, HEADER_LEN, 0))?;
        Ok(UdpPacket {
            header,
            payload,
            trailer,
            truncated,
            checksum_status,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(
            HEADER_LEN,
            self.payload.len(),
            self.trailer.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::{Ipv4Addr, Ipv6Addr};

    const PH4: PseudoHeader = PseudoHeader::V4 {
        src: Ipv4Addr([10, 77, 0, 1]),
        dst: Ipv4Addr([10, 77, 0, 2]),
    };

    fn datagram() -> [u8; 12] {
        let mut b = *b"\0\0\0\0\0\0\0\0echo";
        UdpRepr {
            src_port: 40000,
            dst_port: 7,
        }
        .emit(&mut b, Some(PH4))
        .unwrap();
        b
    }

    #[test]
    fn verifies_checksum_against_pseudo_header() {
        let b = datagram();
        assert_eq!(
            UdpPacket::parse(&b[..], Some(PH4))
                .unwrap()
                .checksum_status(),
            ChecksumStatus::Good
        );
        let other = PseudoHeader::V4 {
            src: Ipv4Addr([10, 77, 0, 9]),
            dst: Ipv4Addr([10, 77, 0, 2]),
        };
        let e = UdpPacket::parse(&b[..], Some(other)).err().unwrap();
        assert!(matches!(e.kind(), ErrorKind::BadChecksum { .. }));
        let d = UdpPacket::parse_with(&b[..], Some(other), ParseOptions::LENIENT).unwrap();
        assert_eq!(d.checksum_status(), ChecksumStatus::Bad);
    }

    #[test]
    fn zero_checksum_is_none_over_ipv4_and_bad_over_ipv6() {
        let mut b = datagram();
        b[6] = 0;
        b[7] = 0;
        let d = UdpPacket::parse(&b[..], Some(PH4)).unwrap();
        assert_eq!(d.checksum_status(), ChecksumStatus::Unverified);
        let ph6 = PseudoHeader::V6 {
            src: Ipv6Addr::UNSPECIFIED,
            dst: Ipv6Addr::UNSPECIFIED,
        };
        assert!(UdpPacket::parse(&b[..], Some(ph6)).is_err());
    }

    #[test]
    fn incorrect_expected_checksum_is_reported() {
        let mut b = datagram();
        let good = u16::from_be_bytes([b[6], b[7]]);
        b[7] ^= 0x10;
        let e = UdpPacket::parse(&b[..], Some(PH4)).err().unwrap();
        assert_eq!(
            e.kind(),
            ErrorKind::BadChecksum {
                found: good ^ 0x10,
                expected: good
            }
        );
    }

    #[test]
    fn every_truncation_is_error_strict_and_view_lenient() {
        let b = datagram();
        for n in 0..b.len() {
            assert!(UdpPacket::parse(&b[..n], Some(PH4)).is_err());
            if n >= HEADER_LEN {
                let d = UdpPacket::parse_with(&b[..n], Some(PH4), ParseOptions::LENIENT).unwrap();
                assert_eq!(d.checksum_status(), ChecksumStatus::Unverified);
            }
        }
    }

    #[test]
    fn port_rewrite_keeps_checksum_valid() {
        let mut b = datagram();
        let mut d = UdpPacket::parse(&mut b[..], Some(PH4)).unwrap();
        d.set_dst_port(53);
        d.set_src_port(0xffff);
        assert!(UdpPacket::parse(&b[..], Some(PH4)).is_ok());
    }
}
