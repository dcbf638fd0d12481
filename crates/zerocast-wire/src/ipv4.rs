//! IPv4 (RFC 791): header, options, fragments, in-place edits with incremental checksums.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Identification        |Flags|      Fragment Offset    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Time to Live |    Protocol   |         Header Checksum       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Source Address                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination Address                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options (IHL > 5)                          ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The payload ends where Total Length says; bytes after it (Ethernet padding) are kept as the
//! packet's trailer, so neither the payload nor checksums above ever see them.

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::Ipv4Addr;
use crate::checksum;
use crate::error::{ErrorKind, IcmpReply, Layer, ParseError};
use crate::ip::{IpProto, PseudoHeader};
use crate::ipv4_options::Ipv4Options;
use crate::parse::{
    lenient, split_at, split_at_most, take_header, ChecksumPolicy, ChecksumStatus, Lenient,
    ParseOptions,
};
pub use crate::partial::Ipv4Partial;

/// Length of the fixed header.
pub const HEADER_LEN: usize = 20;
/// Longest header (IHL 15).
pub const MAX_HEADER_LEN: usize = 60;
/// Flag bit: reserved ("evil bit").
pub const FLAG_RESERVED: u8 = 0b100;
/// Flag bit: don't fragment.
pub const FLAG_DF: u8 = 0b010;
/// Flag bit: more fragments.
pub const FLAG_MF: u8 = 0b001;

/// The fixed IPv4 header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::ipv4::Ipv4Header::ref_from_bytes(&[0x45u8; 20][..])?;
/// assert_eq!(h.version_ihl, 0x45);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct Ipv4Header {
    /// Version (high nibble) and header length in 32-bit words (low nibble).
    pub version_ihl: u8,
    /// DSCP (high 6 bits) and ECN (low 2 bits).
    pub dscp_ecn: u8,
    /// Header plus payload length.
    pub total_len: U16,
    /// Identification.
    pub ident: U16,
    /// Flags (high 3 bits) and fragment offset in 8-byte units (low 13 bits).
    pub flags_frag: U16,
    /// Time to live.
    pub ttl: u8,
    /// Payload protocol.
    pub protocol: u8,
    /// Header checksum.
    pub checksum: U16,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
}

/// A parsed IPv4 packet: header, options, payload and trailing bytes, over `&[u8]` or
/// `&mut [u8]`.
///
/// ```
/// use zerocast_wire::{ipv4::Ipv4Packet, IpProto, ChecksumStatus};
/// let bytes = [0x45, 0, 0, 21, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe5,
///              10, 77, 0, 2, 10, 77, 0, 1, 0xaa];
/// let ip = Ipv4Packet::parse(&bytes[..])?;
/// assert_eq!(ip.protocol(), IpProto::ICMP);
/// assert_eq!(ip.src().to_string(), "10.77.0.2");
/// assert_eq!(ip.checksum_status(), ChecksumStatus::Good);
/// assert_eq!(ip.payload(), &[0xaa]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Ipv4Packet<B> {
    header: Ref<B, Ipv4Header>,
    options: B,
    payload: B,
    trailer: B,
    truncated: bool,
    checksum_status: ChecksumStatus,
}

impl<B: SplitByteSlice> Ipv4Packet<B> {
    /// Parses strictly: lengths consistent, options well formed, checksum correct.
    ///
    /// # Errors
    /// See [`Ipv4Packet::parse_with`].
    ///
    /// ```
    /// let mut bytes = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    /// assert!(zerocast_wire::ipv4::Ipv4Packet::parse(&bytes[..]).is_err()); // checksum 0
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Self::parse_with(bytes, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// - `Truncated` when the bytes end inside the fixed header (see
    ///   [`Ipv4Packet::parse_lenient`] for a view of what was captured), or, unless
    ///   `allow_truncated`, inside the options or before Total Length;
    /// - `BadVersion` (discard silently), `BadHeaderLength` / `BadLength` (Parameter Problem
    ///   pointing at the field), `BadOption` (strict only; Parameter Problem at the option),
    ///   `BadChecksum` (with [`ChecksumPolicy::Reject`]; discard silently).
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// // Total Length says 84, only 24 bytes were captured.
    /// let bytes = [0x45, 0, 0, 84, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xa6,
    ///              10, 77, 0, 2, 10, 77, 0, 1, 0, 0, 0, 0];
    /// assert!(Ipv4Packet::parse(&bytes[..]).is_err());
    /// let ip = Ipv4Packet::parse_with(&bytes[..], ParseOptions::LENIENT)?;
    /// assert!(ip.is_truncated());
    /// assert_eq!(ip.payload().len(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_with(bytes: B, opts: ParseOptions) -> Result<Self, ParseError> {
        let available = bytes.len();
        let (header, rest) = take_header::<B, Ipv4Header>(bytes, Layer::Ipv4)?;
        let header_len = check_version_ihl(header.version_ihl)?;
        let total_len = usize::from(header.total_len.get());
        check_total_len(total_len, header_len)?;
        let options_len = header_len - HEADER_LEN;
        let (options, rest, options_cut) = if opts.allow_truncated {
            // A capture cut inside the options still shows the fixed fields (tshark does);
            // the header checksum then cannot be verified.
            split_at_most(rest, options_len)
        } else {
            let (o, r) = split_at(rest, options_len, Layer::Ipv4, HEADER_LEN)?;
            (o, r, false)
        };
        let payload_len = total_len - header_len;
        let (payload, trailer, truncated) = if opts.allow_truncated {
            let (p, t, cut) = split_at_most(rest, payload_len);
            (p, t, cut || options_cut)
        } else {
            if available < total_len {
                return Err(ParseError::new(
                    Layer::Ipv4,
                    ErrorKind::Truncated {
                        needed: total_len,
                        available,
                    },
                    available,
                ));
            }
            let (p, t) = split_at(rest, payload_len, Layer::Ipv4, header_len)?;
            (p, t, false)
        };
        let checksum_status = match opts.checksum {
            ChecksumPolicy::Skip => ChecksumStatus::Unverified,
            _ if options_cut => ChecksumStatus::Unverified,
            policy => {
                let mut c = checksum::Checksum::new();
                c.add_bytes(Ref::bytes(&header));
                if !options.is_empty() {
                    c.add_bytes(&options);
                }
                if c.checksum() == 0 {
                    ChecksumStatus::Good
                } else if policy == ChecksumPolicy::Reject {
                    let found = header.checksum.get();
                    // The sum with the field included differs from the sum without it by
                    // exactly the field, so the expected value follows by RFC 1624.
                    let expected = checksum::update(c.checksum(), found, 0);
                    return Err(ParseError::new(
                        Layer::Ipv4,
                        ErrorKind::BadChecksum { found, expected },
                        10,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        if !opts.allow_truncated {
            Ipv4Options::new(&options).validate()?;
        }
        Ok(Ipv4Packet {
            header,
            options,
            payload,
            trailer,
            truncated,
            checksum_status,
        })
    }

    /// The fixed header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.header().ident.get(), 0x1234);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &Ipv4Header {
        &self.header
    }
    /// Version field (always 4 after a successful parse).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.version(), 4);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> u8 {
        self.header.version_ihl >> 4
    }
    /// Header length in bytes (`ip.hdr_len`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.header_len(), 20); // IHL 5, no options
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header_len(&self) -> usize {
        usize::from(self.header.version_ihl & 0x0f) * 4
    }
    /// The DS field byte, DSCP and ECN together (`ip.dsfield`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.dsfield(), 0xba);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dsfield(&self) -> u8 {
        self.header.dscp_ecn
    }
    /// Differentiated services code point.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.dscp(), 46); // Expedited Forwarding
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dscp(&self) -> u8 {
        self.header.dscp_ecn >> 2
    }
    /// Explicit congestion notification bits.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.ecn(), 2); // ECT(0)
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ecn(&self) -> u8 {
        self.header.dscp_ecn & 3
    }
    /// Total Length field (`ip.len`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.total_len(), 28); // the 2 padding bytes are not counted
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn total_len(&self) -> u16 {
        self.header.total_len.get()
    }
    /// Identification (`ip.id`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.ident(), 0x1234);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ident(&self) -> u16 {
        self.header.ident.get()
    }
    /// The three flag bits, reserved/DF/MF (`ip.flags`, as tshark prints it: 0x02 = DF).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.flags(), zerocast_wire::ipv4::FLAG_DF);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flags(&self) -> u8 {
        (self.header.flags_frag.get() >> 13) as u8
    }
    /// Don't Fragment.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert!(ip.dont_fragment());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dont_fragment(&self) -> bool {
        self.flags() & FLAG_DF != 0
    }
    /// More Fragments.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// # // The second fragment of a datagram: MF set, offset 185 units (1480 bytes).
    /// # let bytes = [0x45, 0x00, 0x00, 0x1c, 0x00, 0x07, 0x20, 0xb9, 0x40, 0x11, 0x6d, 0xd5,
    /// #              192, 0, 2, 1, 198, 51, 100, 7, 1, 2, 3, 4, 5, 6, 7, 8];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert!(ip.more_fragments());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn more_fragments(&self) -> bool {
        self.flags() & FLAG_MF != 0
    }
    /// Fragment offset in 8-byte units (`ip.frag_offset`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// # // The second fragment of a datagram: MF set, offset 185 units (1480 bytes).
    /// # let bytes = [0x45, 0x00, 0x00, 0x1c, 0x00, 0x07, 0x20, 0xb9, 0x40, 0x11, 0x6d, 0xd5,
    /// #              192, 0, 2, 1, 198, 51, 100, 7, 1, 2, 3, 4, 5, 6, 7, 8];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.fragment_offset(), 185);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn fragment_offset(&self) -> u16 {
        self.header.flags_frag.get() & 0x1fff
    }
    /// Fragment offset in bytes.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// # // The second fragment of a datagram: MF set, offset 185 units (1480 bytes).
    /// # let bytes = [0x45, 0x00, 0x00, 0x1c, 0x00, 0x07, 0x20, 0xb9, 0x40, 0x11, 0x6d, 0xd5,
    /// #              192, 0, 2, 1, 198, 51, 100, 7, 1, 2, 3, 4, 5, 6, 7, 8];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.fragment_offset_bytes(), 1480);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn fragment_offset_bytes(&self) -> usize {
        usize::from(self.fragment_offset()) * 8
    }
    /// Whether this is a fragment (offset non-zero or MF set).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// # // The second fragment of a datagram: MF set, offset 185 units (1480 bytes).
    /// # let bytes = [0x45, 0x00, 0x00, 0x1c, 0x00, 0x07, 0x20, 0xb9, 0x40, 0x11, 0x6d, 0xd5,
    /// #              192, 0, 2, 1, 198, 51, 100, 7, 1, 2, 3, 4, 5, 6, 7, 8];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert!(ip.is_fragment());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_fragment(&self) -> bool {
        self.fragment_offset() != 0 || self.more_fragments()
    }
    /// Time to live (`ip.ttl`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.ttl(), 64);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ttl(&self) -> u8 {
        self.header.ttl
    }
    /// Payload protocol (`ip.proto`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.protocol(), IpProto::UDP);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn protocol(&self) -> IpProto {
        IpProto(self.header.protocol)
    }
    /// Header checksum as carried (`ip.checksum`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.checksum(), 0x3ba7);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the header checksum check (`ip.checksum.status`).
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Packet, ChecksumPolicy, ChecksumStatus, ParseOptions};
    /// let mut bytes = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0x8e, 0x9d,
    ///                  192, 0, 2, 1, 198, 51, 100, 7];
    /// assert_eq!(Ipv4Packet::parse(&bytes[..])?.checksum_status(), ChecksumStatus::Good);
    /// bytes[8] = 1; // TTL changed without fixing the checksum
    /// let report = ParseOptions { checksum: ChecksumPolicy::Report, ..ParseOptions::STRICT };
    /// let ip = Ipv4Packet::parse_with(&bytes[..], report)?;
    /// assert_eq!(ip.checksum_status(), ChecksumStatus::Bad);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// Source address (`ip.src`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.src(), Ipv4Addr([192, 0, 2, 1]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src(&self) -> Ipv4Addr {
        self.header.src
    }
    /// Destination address (`ip.dst`).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.dst(), Ipv4Addr([198, 51, 100, 7]));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst(&self) -> Ipv4Addr {
        self.header.dst
    }
    /// The raw options area (header bytes after the fixed 20).
    ///
    /// ```
    /// use zerocast_wire::ipv4::Ipv4Packet;
    /// // IHL 6: a router alert option follows the fixed header.
    /// let bytes = [0x46, 0, 0, 24, 0, 0, 0, 0, 1, 2, 0x3a, 0xc9, 10, 0, 0, 1, 224, 0, 0, 22,
    ///              0x94, 4, 0, 0];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.options_bytes(), &[0x94, 4, 0, 0]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn options_bytes(&self) -> &[u8] {
        &self.options
    }
    /// The options, one record at a time.
    ///
    /// ```
    /// # let mut b = [0x46, 0, 0, 24, 0, 0, 0, 0, 1, 2, 0, 0, 10, 0, 0, 1, 224, 0, 0, 22, 0x94, 4, 0, 0];
    /// # let c = zerocast_wire::checksum::checksum(&b);
    /// # b[10..12].copy_from_slice(&c.to_be_bytes());
    /// let ip = zerocast_wire::ipv4::Ipv4Packet::parse(&b[..]).unwrap();
    /// assert_eq!(ip.options().next().unwrap().unwrap().kind, 148);
    /// ```
    #[must_use]
    pub fn options(&self) -> Ipv4Options<'_> {
        Ipv4Options::new(&self.options)
    }
    /// The payload (up to Total Length, or what was captured of it).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.payload(), &[0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// Bytes after Total Length (link-layer padding).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// assert_eq!(ip.trailer(), &[0, 0]); // Ethernet padding after Total Length
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn trailer(&self) -> &[u8] {
        &self.trailer
    }
    /// Whether fewer bytes than Total Length were present (lenient parse only).
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Packet, ParseOptions};
    /// // Total Length says 28, but the capture stopped after 24 bytes.
    /// let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    ///              192, 0, 2, 1, 198, 51, 100, 7, 0x04, 0xd2, 0x00, 0x35];
    /// let ip = Ipv4Packet::parse_with(&bytes[..], ParseOptions::LENIENT)?;
    /// assert!(ip.is_truncated());
    /// assert!(Ipv4Packet::parse(&bytes[..]).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
    /// The pseudo-header for UDP/TCP checksums.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// use zerocast_wire::PseudoHeader;
    /// assert_eq!(ip.pseudo_header(), PseudoHeader::V4 { src: ip.src(), dst: ip.dst() });
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn pseudo_header(&self) -> PseudoHeader {
        PseudoHeader::V4 {
            src: self.src(),
            dst: self.dst(),
        }
    }
    /// The options to parse the payload with: `opts`, except that checksums over a truncated
    /// payload or a fragment cannot be verified, so they are skipped (reported unverified).
    ///
    /// ```
    /// use zerocast_wire::{ChecksumPolicy, ParseOptions};
    /// # let mut b = [0u8; 60];
    /// # b[..20].copy_from_slice(&[0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    /// # let c = zerocast_wire::checksum::checksum(&b[..20]);
    /// # b[10..12].copy_from_slice(&c.to_be_bytes());
    /// let ip = zerocast_wire::ipv4::Ipv4Packet::parse_with(&b[..30], ParseOptions::LENIENT)?;
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
    /// Returns the payload, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let ip = Ipv4Packet::parse(&bytes[..])?;
    /// let udp: &[u8] = ip.into_payload();
    /// assert_eq!(udp.len(), 8);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }

    /// The header's field values (options borrowed).
    ///
    /// ```
    /// # let bytes = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let ip = zerocast_wire::ipv4::Ipv4Packet::parse(&bytes[..])?;
    /// let mut out = [0u8; 20];
    /// ip.repr().emit(&mut out, 0)?;
    /// assert_eq!(out, bytes);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> Ipv4Repr<'_> {
        Ipv4Repr {
            dsfield: self.dsfield(),
            ident: self.ident(),
            flags: self.flags(),
            fragment_offset: self.fragment_offset(),
            ttl: self.ttl(),
            protocol: self.protocol(),
            src: self.src(),
            dst: self.dst(),
            options: &self.options,
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> Ipv4Packet<B> {
    /// Sets the TTL, patching the checksum incrementally (RFC 1624).
    ///
    /// ```
    /// # let mut b = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let mut ip = zerocast_wire::ipv4::Ipv4Packet::parse(&mut b[..])?;
    /// ip.set_ttl(1);
    /// assert_eq!(zerocast_wire::checksum::checksum(&b), 0);
    /// assert_eq!(b[8], 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_ttl(&mut self, ttl: u8) {
        let old = u16::from_be_bytes([self.header.ttl, self.header.protocol]);
        let new = u16::from_be_bytes([ttl, self.header.protocol]);
        self.header.ttl = ttl;
        let c = checksum::update(self.header.checksum.get(), old, new);
        self.header.checksum.set(c);
    }

    /// Decrements the TTL for forwarding; returns the new TTL, or `None` (packet unchanged)
    /// when it is already 0 or 1 and the packet must be dropped with Time Exceeded.
    ///
    /// ```
    /// # let mut b = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let mut ip = zerocast_wire::ipv4::Ipv4Packet::parse(&mut b[..])?;
    /// assert_eq!(ip.decrement_ttl(), Some(63));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decrement_ttl(&mut self) -> Option<u8> {
        let ttl = self.header.ttl;
        if ttl <= 1 {
            return None;
        }
        self.set_ttl(ttl - 1);
        Some(ttl - 1)
    }

    /// Rewrites the source address, patching the checksum incrementally (NAT).
    ///
    /// ```
    /// # let mut b = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let mut ip = zerocast_wire::ipv4::Ipv4Packet::parse(&mut b[..])?;
    /// ip.set_src(zerocast_wire::Ipv4Addr([192, 0, 2, 1]));
    /// assert_eq!(zerocast_wire::checksum::checksum(&b), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_src(&mut self, src: Ipv4Addr) {
        let c = checksum::update_bytes(self.header.checksum.get(), &self.header.src.0, &src.0);
        self.header.src = src;
        self.header.checksum.set(c);
    }

    /// Rewrites the destination address, patching the checksum incrementally.
    ///
    /// ```
    /// # let mut b = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let mut ip = zerocast_wire::ipv4::Ipv4Packet::parse(&mut b[..])?;
    /// ip.set_dst(zerocast_wire::Ipv4Addr([192, 0, 2, 9]));
    /// assert_eq!(zerocast_wire::checksum::checksum(&b), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_dst(&mut self, dst: Ipv4Addr) {
        let c = checksum::update_bytes(self.header.checksum.get(), &self.header.dst.0, &dst.0);
        self.header.dst = dst;
        self.header.checksum.set(c);
    }

    /// Recomputes the header checksum from scratch.
    ///
    /// ```
    /// # let mut b = [0x45, 0, 0, 20, 0xd5, 0x66, 0, 0, 64, 1, 0x90, 0xe6, 10, 77, 0, 2, 10, 77, 0, 1];
    /// let mut ip = zerocast_wire::ipv4::Ipv4Packet::parse(&mut b[..])?;
    /// ip.header_mut().ident.set(7);
    /// ip.update_checksum();
    /// assert_eq!(zerocast_wire::checksum::checksum(&b), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_checksum(&mut self) {
        self.header.checksum.set(0);
        let mut c = checksum::Checksum::new();
        c.add_bytes(Ref::bytes(&self.header));
        c.add_bytes(&self.options);
        self.header.checksum.set(c.checksum());
    }

    /// The fixed header, writable (call [`Ipv4Packet::update_checksum`] afterwards).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let mut bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let mut ip = Ipv4Packet::parse(&mut bytes[..])?;
    /// ip.header_mut().ident.set(0x4321);
    /// ip.update_checksum();
    /// assert_eq!(bytes[4..6], [0x43, 0x21]);
    /// assert_eq!(zerocast_wire::checksum::checksum(&bytes[..20]), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut Ipv4Header {
        &mut self.header
    }

    /// The payload, writable.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, IpProto, Ipv4Addr};
    /// # // DSCP 46 (EF) with ECN 2, id 0x1234, DF, TTL 64, UDP 192.0.2.1 > 198.51.100.7,
    /// # // an 8-byte UDP header, then 2 bytes of Ethernet padding.
    /// # let mut bytes = [0x45, 0xba, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3b, 0xa7,
    /// #              192, 0, 2, 1, 198, 51, 100, 7,
    /// #              0x04, 0xd2, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00];
    /// let mut ip = Ipv4Packet::parse(&mut bytes[..])?;
    /// ip.payload_mut()[2..4].copy_from_slice(&[0x14, 0xe9]); // UDP destination port 5353
    /// assert_eq!(bytes[22..24], [0x14, 0xe9]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.payload
    }
}

/// IPv4 header values, for building; `emit` computes Total Length and the checksum.
///
/// ```
/// use zerocast_wire::{ipv4::{Ipv4Packet, Ipv4Repr}, IpProto, Ipv4Addr};
/// let repr = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]), IpProto::UDP, 64);
/// let mut buf = [0u8; 28];
/// repr.emit(&mut buf, 8)?;
/// let ip = Ipv4Packet::parse(&buf[..])?;
/// assert_eq!(ip.repr(), repr);
/// assert_eq!(ip.total_len(), 28);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Repr<'a> {
    /// DSCP and ECN byte.
    pub dsfield: u8,
    /// Identification.
    pub ident: u16,
    /// Flag bits (reserved, DF, MF).
    pub flags: u8,
    /// Fragment offset in 8-byte units.
    pub fragment_offset: u16,
    /// Time to live.
    pub ttl: u8,
    /// Payload protocol.
    pub protocol: IpProto,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Raw options, a multiple of 4 bytes and at most 40.
    pub options: &'a [u8],
}

impl<'a> Ipv4Repr<'a> {
    /// A header with no options, DF clear, ident 0.
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Repr, IpProto, Ipv4Addr};
    /// let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// let repr = Ipv4Repr::new(src, dst, IpProto::TCP, 64);
    /// assert_eq!((repr.ttl, repr.ident, repr.flags, repr.options), (64, 0, 0, &[][..]));
    /// ```
    #[must_use]
    pub const fn new(src: Ipv4Addr, dst: Ipv4Addr, protocol: IpProto, ttl: u8) -> Self {
        Ipv4Repr {
            dsfield: 0,
            ident: 0,
            flags: 0,
            fragment_offset: 0,
            ttl,
            protocol,
            src,
            dst,
            options: &[],
        }
    }

    /// Header length in bytes.
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Repr, IpProto, Ipv4Addr};
    /// let (src, dst) = (Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([224, 0, 0, 22]));
    /// let plain = Ipv4Repr::new(src, dst, IpProto::IGMP, 1);
    /// let with_alert = Ipv4Repr { options: &[0x94, 4, 0, 0], ..plain };
    /// assert_eq!((plain.header_len(), with_alert.header_len()), (20, 24));
    /// ```
    #[must_use]
    #[inline]
    pub fn header_len(&self) -> usize {
        HEADER_LEN + self.options.len()
    }

    /// Writes the header into the front of `buf` for a payload of `payload_len` bytes.
    ///
    /// # Errors
    /// `BadHeaderLength` if the options are not a multiple of 4 or longer than 40,
    /// `BadLength` if the total exceeds 65535, `BadField` for flags/offset out of range,
    /// `Truncated` if `buf` is too short for the header.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Repr, IpProto, Ipv4Addr};
    /// let r = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]), IpProto::UDP, 64);
    /// assert!(r.emit(&mut [0u8; 20], 70_000).is_err());
    /// ```
    #[inline]
    pub fn emit(&self, buf: &mut [u8], payload_len: usize) -> Result<(), ParseError> {
        let header_len = self.header_len();
        if !self.options.len().is_multiple_of(4) || header_len > MAX_HEADER_LEN {
            return Err(ParseError::new(
                Layer::Ipv4,
                ErrorKind::BadHeaderLength(header_len),
                0,
            ));
        }
        let total = header_len + payload_len;
        let total16 = u16::try_from(total)
            .map_err(|_| ParseError::new(Layer::Ipv4, ErrorKind::BadLength(total), 2))?;
        if self.flags > 7 || self.fragment_offset > 0x1fff {
            return Err(ParseError::new(Layer::Ipv4, ErrorKind::BadField, 6));
        }
        let available = buf.len();
        let (header, rest) = Ref::<_, Ipv4Header>::from_prefix(buf)
            .map_err(|_| ParseError::truncated(Layer::Ipv4, header_len, available))?;
        let options = rest
            .get_mut(..self.options.len())
            .ok_or(ParseError::truncated(Layer::Ipv4, header_len, available))?;
        // Most headers have no options: skip the zero-length copy (a `memcpy` call).
        if !options.is_empty() {
            options.copy_from_slice(self.options);
        }
        let h = Ref::into_mut(header);
        // `header_len <= 60`, so the word count fits the nibble.
        let version_ihl = 0x40 | (header_len / 4) as u8;
        let flags_frag = (u16::from(self.flags) << 13) | self.fragment_offset;
        h.version_ihl = version_ihl;
        h.dscp_ecn = self.dsfield;
        h.total_len.set(total16);
        h.ident.set(self.ident);
        h.flags_frag.set(flags_frag);
        h.ttl = self.ttl;
        h.protocol = self.protocol.0;
        h.checksum.set(0);
        h.src = self.src;
        h.dst = self.dst;
        // Summed from the values just written, not read back from `h` (see
        // `Checksum::add_u32` on store forwarding); the options from their source.
        let mut c = checksum::Checksum::new();
        c.add_u16(u16::from_be_bytes([version_ihl, self.dsfield]));
        c.add_u16(total16);
        c.add_u16(self.ident);
        c.add_u16(flags_frag);
        c.add_u16(u16::from_be_bytes([self.ttl, self.protocol.0]));
        c.add_bytes(&self.src.0);
        c.add_bytes(&self.dst.0);
        if !self.options.is_empty() {
            c.add_bytes(self.options);
        }
        h.checksum.set(c.checksum());
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Display for Ipv4Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IP {} > {}: proto {} ttl {} id {} len {}",
            self.src(),
            self.dst(),
            self.protocol(),
            self.ttl(),
            self.ident(),
            self.total_len()
        )?;
        if self.is_fragment() {
            write!(
                f,
                " frag {}{}",
                self.fragment_offset_bytes(),
                if self.more_fragments() { "+" } else { "" }
            )?;
        }
        Ok(())
    }
}

impl<B: SplitByteSlice> fmt::Debug for Ipv4Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ipv4Packet")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

impl<'a> Ipv4Repr<'a> {
    /// Checks the options once and returns a [`PacketBuilder`](zerocast_packet::PacketBuilder)
    /// that fills Total Length and the checksum from the body it is wrapped around.
    ///
    /// # Errors
    /// `BadHeaderLength` for options that are not a multiple of 4 or longer than 40 bytes,
    /// `BadField` for flags or fragment offset out of range.
    ///
    /// ```
    /// use zerocast_packet::{InnerPacketBuilder, Serializer};
    /// use zerocast_wire::{ipv4::{Ipv4Packet, Ipv4Repr}, IpProto, Ipv4Addr};
    /// let ip = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]), IpProto::UDP, 64);
    /// let pkt = [0u8; 8].into_serializer().wrap_in(ip.builder().unwrap()).serialize_vec_outer().unwrap();
    /// assert_eq!(Ipv4Packet::parse(pkt.as_ref()).unwrap().total_len(), 28);
    /// ```
    pub fn builder(self) -> Result<Ipv4Builder<'a>, ParseError> {
        let header_len = self.header_len();
        if !self.options.len().is_multiple_of(4) || header_len > MAX_HEADER_LEN {
            return Err(ParseError::new(
                Layer::Ipv4,
                ErrorKind::BadHeaderLength(header_len),
                0,
            ));
        }
        if self.flags > 7 || self.fragment_offset > 0x1fff {
            return Err(ParseError::new(Layer::Ipv4, ErrorKind::BadField, 6));
        }
        Ok(Ipv4Builder { repr: self })
    }
}

/// A validated IPv4 header builder (see [`Ipv4Repr::builder`]).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{ipv4::{Ipv4Packet, Ipv4Repr}, IpProto, Ipv4Addr};
/// let repr = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]), IpProto::UDP, 64);
/// let builder = repr.builder()?;
/// let packet = [0u8; 8].into_serializer().wrap_in(builder).serialize_vec_outer()
///     .map_err(|_| "serialize failed")?;
/// assert_eq!(Ipv4Packet::parse(packet.as_ref())?.total_len(), 28);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Builder<'a> {
    repr: Ipv4Repr<'a>,
}

impl Ipv4Builder<'_> {
    /// The header values.
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Repr, IpProto, Ipv4Addr};
    /// let (src, dst) = (Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]));
    /// let repr = Ipv4Repr::new(src, dst, IpProto::UDP, 64);
    /// assert_eq!(repr.builder()?.repr(), &repr);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> &Ipv4Repr<'_> {
        &self.repr
    }
}

impl zerocast_packet::PacketBuilder for Ipv4Builder<'_> {
    // `#[inline]` for the reason given on `UdpBuilder`'s impl (crate::udp).
    #[inline]
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        let header_len = self.repr.header_len();
        crate::parse::layer_constraints(header_len, 0, usize::from(u16::MAX) - header_len)
    }

    #[inline]
    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        // Options and flags were validated by `builder`, the body fits Total Length by the
        // constraints, and `target.header` is exactly the header length.
        let emitted = self.repr.emit(target.header, body.len());
        debug_assert!(
            emitted.is_ok(),
            "IPv4 header validated by builder: {emitted:?}"
        );
    }
}

/// Checks the version nibble and returns the header length that IHL gives.
pub(crate) fn check_version_ihl(version_ihl: u8) -> Result<usize, ParseError> {
    let version = version_ihl >> 4;
    if version != 4 {
        return Err(ParseError::new(
            Layer::Ipv4,
            ErrorKind::BadVersion(version),
            0,
        ));
    }
    let header_len = usize::from(version_ihl & 0x0f) * 4;
    if header_len < HEADER_LEN {
        return Err(
            ParseError::new(Layer::Ipv4, ErrorKind::BadHeaderLength(header_len), 0)
                .with_icmp(IcmpReply::Ipv4ParameterProblem { pointer: 0 }),
        );
    }
    Ok(header_len)
}

/// Checks that Total Length covers at least the header.
pub(crate) fn check_total_len(total_len: usize, header_len: usize) -> Result<(), ParseError> {
    if total_len < header_len {
        return Err(
            ParseError::new(Layer::Ipv4, ErrorKind::BadLength(total_len), 2)
                .with_icmp(IcmpReply::Ipv4ParameterProblem { pointer: 2 }),
        );
    }
    Ok(())
}

impl<B: SplitByteSlice> Ipv4Packet<B> {
    /// Parses what a capture kept: like [`Ipv4Packet::parse_with`] with `allow_truncated`,
    /// and when the bytes end inside the 20-byte fixed header, a [`Ipv4Partial`] of the
    /// fields that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`Ipv4Packet::parse_with`] (and [`Ipv4Partial::parse`] for a cut header).
    ///
    /// ```
    /// use zerocast_wire::{ipv4::Ipv4Packet, ChecksumPolicy, Lenient};
    /// let cut = [0x45, 0, 0, 84, 0xd5, 0x66, 0, 0, 64, 1]; // 10 of 20 header bytes
    /// let Lenient::Cut(ip) = Ipv4Packet::parse_lenient(&cut[..], ChecksumPolicy::Report)? else {
    ///     unreachable!()
    /// };
    /// assert_eq!((ip.ttl(), ip.total_len(), ip.src()), (Some(64), Some(84), None));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, Ipv4Partial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            Ipv4Partial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

/// ```
/// use zerocast_packet::{Buf, ParseBuffer};
/// use zerocast_wire::{ethernet::EthernetFrame, ipv4::Ipv4Packet, ParseOptions};
/// let mut buf = Buf::new(zerocast_wire::__example_udp_frame(), ..);
/// buf.parse::<EthernetFrame<_>>()?;
/// let ip = buf.parse_with::<_, Ipv4Packet<_>>(ParseOptions::STRICT)?;
/// assert_eq!(ip.ttl(), 64);
/// assert_eq!(buf.as_ref().len(), 12); // the UDP datagram
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ParseOptions> for Ipv4Packet<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let (header_len, body, truncated, checksum_status) = {
            let p = Ipv4Packet::parse_with(buffer.as_ref(), opts)?;
            (
                // Options cut short (lenient) end the buffer: take what is there.
                HEADER_LEN + p.options.len(),
                p.payload().len(),
                p.truncated,
                p.checksum_status,
            )
        };
        let (h, payload, trailer) =
            crate::parse::take_parts(buffer, header_len, body, Layer::Ipv4)?;
        let (header, options) =
            Ref::from_prefix(h).map_err(|_| ParseError::truncated(Layer::Ipv4, HEADER_LEN, 0))?;
        Ok(Ipv4Packet {
            header,
            options,
            payload,
            trailer,
            truncated,
            checksum_status,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(
            HEADER_LEN + self.options.len(),
            self.payload.len(),
            self.trailer.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::checksum;
    use crate::ipv4_options::{Ipv4Option, KIND_RECORD_ROUTE};

    // Frame 18 of the samples' echo exchange: 10.77.0.2 -> 10.77.0.1, ICMP, 84 bytes.
    const ECHO_REPLY_HEADER: [u8; 20] = [
        0x45, 0x00, 0x00, 0x54, 0xd5, 0x66, 0x00, 0x00, 0x40, 0x01, 0x90, 0xa6, 10, 77, 0, 2, 10,
        77, 0, 1,
    ];

    fn with_payload(header: &[u8]) -> [u8; 128] {
        let mut b = [0u8; 128];
        b[..header.len()].copy_from_slice(header);
        b
    }

    #[test]
    fn parses_literal_header_fields() {
        let b = with_payload(&ECHO_REPLY_HEADER);
        let ip = Ipv4Packet::parse(&b[..84]).unwrap();
        assert_eq!((ip.version(), ip.header_len(), ip.total_len()), (4, 20, 84));
        assert_eq!(
            (ip.ident(), ip.flags(), ip.fragment_offset(), ip.ttl()),
            (0xd566, 0, 0, 64)
        );
        assert_eq!(ip.checksum(), 0x90a6);
        assert_eq!(ip.checksum_status(), ChecksumStatus::Good);
        assert_eq!(ip.payload().len(), 64);
        assert!(ip.trailer().is_empty());
    }

    #[test]
    fn bytes_beyond_total_length_become_trailer() {
        let b = with_payload(&ECHO_REPLY_HEADER);
        let ip = Ipv4Packet::parse(&b[..90]).unwrap();
        assert_eq!(ip.trailer().len(), 6);
    }

    #[test]
    fn strict_rejects_bad_checksum_lenient_reports_it() {
        let mut b = with_payload(&ECHO_REPLY_HEADER);
        b[11] ^= 1;
        let e = Ipv4Packet::parse(&b[..84]).err().unwrap();
        assert_eq!(
            e.kind(),
            ErrorKind::BadChecksum {
                found: 0x90a7,
                expected: 0x90a6
            }
        );
        assert_eq!(e.offset(), 10);
        let ip = Ipv4Packet::parse_with(&b[..84], ParseOptions::LENIENT).unwrap();
        assert_eq!(ip.checksum_status(), ChecksumStatus::Bad);
        let ip = Ipv4Packet::parse_with(&b[..84], ParseOptions::OFFLOAD).unwrap();
        assert_eq!(ip.checksum_status(), ChecksumStatus::Unverified);
    }

    #[test]
    fn short_ihl_asks_for_parameter_problem_at_zero() {
        let mut b = ECHO_REPLY_HEADER;
        b[0] = 0x44;
        let e = Ipv4Packet::parse(&b[..]).err().unwrap();
        assert_eq!(
            e.icmp_reply(),
            Some(IcmpReply::Ipv4ParameterProblem { pointer: 0 })
        );
    }

    #[test]
    fn total_length_below_header_points_at_length_field() {
        let mut b = ECHO_REPLY_HEADER;
        b[3] = 19;
        let e = Ipv4Packet::parse_with(&b[..], ParseOptions::OFFLOAD)
            .err()
            .unwrap();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::BadLength(19), 2));
    }

    #[test]
    fn record_route_option_is_decoded() {
        let mut h = [0u8; 28];
        h[..20].copy_from_slice(&ECHO_REPLY_HEADER);
        h[0] = 0x47;
        h[3] = 28;
        h[20..28].copy_from_slice(&[KIND_RECORD_ROUTE, 7, 4, 10, 77, 0, 2, 0]);
        h[10] = 0;
        h[11] = 0;
        let c = checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        let ip = Ipv4Packet::parse(&h[..]).unwrap();
        let opt = ip.options().next().unwrap().unwrap();
        match opt.decode() {
            Ipv4Option::RecordRoute { pointer: 4, route } => {
                assert_eq!(route.iter().next().unwrap().to_string(), "10.77.0.2");
            }
            other => panic!("{other:?}"),
        }
        let mut out = [0u8; 28];
        ip.repr().emit(&mut out, 0).unwrap();
        assert_eq!(out, h);
    }

    #[test]
    fn lenient_parse_shows_fixed_fields_of_a_header_cut_inside_its_options() {
        let mut h = with_payload(&ECHO_REPLY_HEADER);
        h[0] = 0x47; // 8 bytes of options, of which the cut keeps 3
        let cut = &h[..23];
        assert!(matches!(
            Ipv4Packet::parse(cut).unwrap_err().kind(),
            ErrorKind::Truncated { .. }
        ));
        let ip = Ipv4Packet::parse_with(cut, ParseOptions::LENIENT).unwrap();
        assert_eq!(
            (ip.ttl(), ip.header_len(), ip.options_bytes().len()),
            (64, 28, 3)
        );
        assert!(ip.is_truncated() && ip.payload().is_empty());
        assert_eq!(ip.checksum_status(), ChecksumStatus::Unverified);
        let mut buf = zerocast_packet::Buf::new(cut, ..);
        let ip = zerocast_packet::ParseBuffer::parse_with::<_, Ipv4Packet<_>>(
            &mut buf,
            ParseOptions::LENIENT,
        )
        .unwrap();
        assert_eq!(ip.options_bytes().len(), 3);
    }

    #[test]
    fn parse_lenient_switches_to_the_partial_view_inside_the_fixed_header() {
        let b = ECHO_REPLY_HEADER;
        for n in 1..HEADER_LEN {
            let part = Ipv4Packet::parse_lenient(&b[..n], ChecksumPolicy::Report)
                .unwrap()
                .cut()
                .unwrap();
            assert_eq!(part.captured_len(), n);
            assert_eq!(part.dst().is_some(), n >= 20);
        }
        let whole = Ipv4Packet::parse_lenient(&b[..], ChecksumPolicy::Report).unwrap();
        assert_eq!(
            whole.whole().unwrap().checksum_status(),
            ChecksumStatus::Good
        );
    }

    #[test]
    fn partial_view_rejects_what_the_full_parse_rejects() {
        let mut b = ECHO_REPLY_HEADER;
        b[3] = 19; // Total Length below the header
        let e = Ipv4Partial::parse(&b[..4]).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::BadLength(19), 2));
        assert!(Ipv4Partial::parse(&b[..3]).is_ok());
        assert!(Ipv4Partial::parse(&[0x44u8][..]).is_err());
    }

    #[test]
    fn in_place_edits_keep_checksum_valid() {
        let mut b = with_payload(&ECHO_REPLY_HEADER);
        let mut ip = Ipv4Packet::parse(&mut b[..84]).unwrap();
        ip.set_src(Ipv4Addr([192, 168, 1, 1]));
        ip.set_dst(Ipv4Addr([8, 8, 4, 4]));
        assert_eq!(ip.decrement_ttl(), Some(63));
        assert_eq!(checksum(&b[..20]), 0);
    }
}
