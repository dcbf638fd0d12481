//! ICMPv6 (RFC 4443): errors with the packet they quote, echo, and the NDP and MLD messages
//! whose bodies live in [`ndp`](crate::ndp) and [`mld`](crate::mld).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         Message Body                          ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The checksum covers the IPv6 pseudo-header and the whole message.

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::Ipv6Addr;
use crate::error::{ErrorKind, Layer, ParseError};
use crate::ip::{IpProto, PseudoHeader};
use crate::ipv6::{Ipv6Packet, Ipv6Partial};
use crate::mld::{MldV1, MldV2QueryTail, MldV2Records, MldV2Report};
use crate::ndp::{
    NdpOptions, NeighborAdvertisement, NeighborSolicitation, Redirect, RouterAdvertisement,
    RouterSolicitation,
};
use crate::parse::{lenient, take_header, ChecksumPolicy, ChecksumStatus, Lenient, ParseOptions};
pub use crate::partial::Icmpv6Partial;

/// Length of the type/code/checksum header.
pub const HEADER_LEN: usize = 4;

/// Destination unreachable.
pub const TYPE_DEST_UNREACHABLE: u8 = 1;
/// Packet too big.
pub const TYPE_PACKET_TOO_BIG: u8 = 2;
/// Time exceeded.
pub const TYPE_TIME_EXCEEDED: u8 = 3;
/// Parameter problem.
pub const TYPE_PARAMETER_PROBLEM: u8 = 4;
/// Echo request.
pub const TYPE_ECHO_REQUEST: u8 = 128;
/// Echo reply.
pub const TYPE_ECHO_REPLY: u8 = 129;
/// Multicast listener query.
pub const TYPE_MLD_QUERY: u8 = 130;
/// MLDv1 report.
pub const TYPE_MLD_REPORT: u8 = 131;
/// MLDv1 done.
pub const TYPE_MLD_DONE: u8 = 132;
/// Router solicitation.
pub const TYPE_ROUTER_SOLICITATION: u8 = 133;
/// Router advertisement.
pub const TYPE_ROUTER_ADVERTISEMENT: u8 = 134;
/// Neighbor solicitation.
pub const TYPE_NEIGHBOR_SOLICITATION: u8 = 135;
/// Neighbor advertisement.
pub const TYPE_NEIGHBOR_ADVERTISEMENT: u8 = 136;
/// Redirect.
pub const TYPE_REDIRECT: u8 = 137;
/// MLDv2 report.
pub const TYPE_MLDV2_REPORT: u8 = 143;

/// The ICMPv6 header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::icmpv6::Icmpv6Header::ref_from_bytes(&[135u8, 0, 0, 0][..])?;
/// assert_eq!(h.msg_type, 135);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct Icmpv6Header {
    /// Message type.
    pub msg_type: u8,
    /// Message code.
    pub code: u8,
    /// Checksum.
    pub checksum: U16,
}

/// What an ICMPv6 message says, with bodies cast in place.
///
/// ```
/// use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
/// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
/// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
/// match icmp.message() {
///     Icmpv6Message::NeighborSolicitation(ns, options) => {
///         assert_eq!(ns.target.to_string(), "fe80::2812:9aff:fe5d:1aad");
///         assert_eq!(options.count(), 1); // a Nonce
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Icmpv6Message<'a> {
    /// Destination unreachable.
    DestUnreachable {
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Packet too big.
    PacketTooBig {
        /// Next-hop MTU.
        mtu: u32,
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Time exceeded.
    TimeExceeded {
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Parameter problem.
    ParameterProblem {
        /// Offset of the offending octet.
        pointer: u32,
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Echo request.
    EchoRequest {
        /// Identifier.
        ident: u16,
        /// Sequence number.
        seq: u16,
        /// Payload.
        data: &'a [u8],
    },
    /// Echo reply.
    EchoReply {
        /// Identifier.
        ident: u16,
        /// Sequence number.
        seq: u16,
        /// Payload.
        data: &'a [u8],
    },
    /// Router solicitation and its options.
    RouterSolicitation(&'a RouterSolicitation, NdpOptions<'a>),
    /// Router advertisement and its options.
    RouterAdvertisement(&'a RouterAdvertisement, NdpOptions<'a>),
    /// Neighbor solicitation and its options.
    NeighborSolicitation(&'a NeighborSolicitation, NdpOptions<'a>),
    /// Neighbor advertisement and its options.
    NeighborAdvertisement(&'a NeighborAdvertisement, NdpOptions<'a>),
    /// Redirect and its options.
    Redirect(&'a Redirect, NdpOptions<'a>),
    /// MLDv1 query (message shorter than 28 bytes).
    MldV1Query(&'a MldV1),
    /// MLDv2 query and its source addresses (16 bytes each).
    MldV2Query(&'a MldV1, &'a MldV2QueryTail, &'a [u8]),
    /// MLDv1 report.
    MldV1Report(&'a MldV1),
    /// MLDv1 done.
    MldDone(&'a MldV1),
    /// MLDv2 report and its records.
    MldV2Report(&'a MldV2Report, MldV2Records<'a>),
    /// Any other type, or a known type whose body is too short.
    Other {
        /// The body after the 4-byte header.
        data: &'a [u8],
    },
}

/// The packet an ICMPv6 error quotes, parsed leniently: whole, or cut inside its header.
///
/// ```
/// use zerocast_wire::{icmpv6::{Icmpv6Packet, QuotedIpv6}, Lenient};
/// # let (ph, b) = zerocast_wire::icmpv6::__port_unreachable_example();
/// let icmp = Icmpv6Packet::parse(&b[..], ph).unwrap();
/// let quoted: QuotedIpv6<'_> = icmp.quoted_packet().unwrap();
/// assert!(matches!(quoted, Ok(Lenient::Whole(_))));
/// ```
pub type QuotedIpv6<'a> = Result<Lenient<Ipv6Packet<&'a [u8]>, Ipv6Partial<&'a [u8]>>, ParseError>;

/// A parsed ICMPv6 message.
///
/// ```
/// use zerocast_wire::{icmpv6::{Icmpv6Message, Icmpv6Packet}, ChecksumStatus};
/// # let (ph, b) = zerocast_wire::icmpv6::__ns_example();
/// let icmp = Icmpv6Packet::parse(&b[..], ph).unwrap();
/// assert_eq!(icmp.msg_type(), 135);
/// assert_eq!(icmp.nd_target().unwrap().to_string(), "fe80::2812:9aff:fe5d:1aad");
/// assert_eq!(icmp.ndp_options().map(|o| o.unwrap().kind).collect::<Vec<_>>(), [14]);
/// ```
pub struct Icmpv6Packet<B> {
    header: Ref<B, Icmpv6Header>,
    body: B,
    checksum_status: ChecksumStatus,
}

impl<B: SplitByteSlice> Icmpv6Packet<B> {
    /// Parses strictly: checksum verified against `pseudo`, NDP options well formed.
    ///
    /// # Errors
    /// See [`Icmpv6Packet::parse_with`].
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::Icmpv6Packet, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// assert!(Icmpv6Packet::parse(&[128u8, 0, 0, 0, 0, 0, 0, 0][..], ph).is_err());
    /// ```
    pub fn parse(bytes: B, pseudo: PseudoHeader) -> Result<Self, ParseError> {
        Self::parse_with(bytes, pseudo, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// `Truncated` under 4 bytes (see [`Icmpv6Packet::parse_lenient`] for a view of a cut
    /// header); `BadChecksum` with [`ChecksumPolicy::Reject`]; strict
    /// only: `BadOption` for malformed NDP options.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::Icmpv6Packet, ChecksumStatus, ParseOptions};
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let mut damaged = bytes;
    /// damaged[31] ^= 0xff; // flip the last byte of the Nonce
    /// assert!(Icmpv6Packet::parse(&damaged[..], ph).is_err());
    /// let icmp = Icmpv6Packet::parse_with(&damaged[..], ph, ParseOptions::LENIENT)?;
    /// assert_eq!(icmp.checksum_status(), ChecksumStatus::Bad);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_with(
        bytes: B,
        pseudo: PseudoHeader,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let len = bytes.len();
        let (header, body) = take_header::<B, Icmpv6Header>(bytes, Layer::Icmpv6)?;
        let checksum_status = match opts.checksum {
            ChecksumPolicy::Skip => ChecksumStatus::Unverified,
            policy => {
                let mut c = pseudo.checksum_start(IpProto::ICMPV6, len);
                c.add_bytes(Ref::bytes(&header));
                c.add_bytes(&body);
                if c.checksum() == 0 {
                    ChecksumStatus::Good
                } else if policy == ChecksumPolicy::Reject {
                    let found = header.checksum.get();
                    let expected = crate::checksum::update(c.checksum(), found, 0);
                    return Err(ParseError::new(
                        Layer::Icmpv6,
                        ErrorKind::BadChecksum { found, expected },
                        2,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        let packet = Icmpv6Packet {
            header,
            body,
            checksum_status,
        };
        if !opts.allow_truncated {
            packet.ndp_options().validate().map_err(|e| {
                ParseError::new(
                    Layer::Icmpv6,
                    e.kind(),
                    len - packet.ndp_options_len() + e.offset(),
                )
            })?;
        }
        Ok(packet)
    }

    /// The header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.header().msg_type, 135);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &Icmpv6Header {
        &self.header
    }
    /// Type (`icmpv6.type`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.msg_type(), zerocast_wire::icmpv6::TYPE_NEIGHBOR_SOLICITATION);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        self.header.msg_type
    }
    /// Code (`icmpv6.code`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.code(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn code(&self) -> u8 {
        self.header.code
    }
    /// Checksum as carried.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.checksum(), 0xdd2a);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the checksum check (`icmpv6.checksum.status`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.checksum_status(), zerocast_wire::ChecksumStatus::Good);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// The message body after type, code and checksum.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert_eq!(icmp.body().len(), 28); // reserved, target, one 8-byte option
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// Whether this is an error message (types 0..=127).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// assert!(!icmp.is_error()); // informational: type 135 >= 128
    /// # let (ph, unreachable) = zerocast_wire::icmpv6::__port_unreachable_example();
    /// assert!(Icmpv6Packet::parse(&unreachable[..], ph)?.is_error());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.msg_type() < 128
    }

    /// Decodes the message by type.
    ///
    /// ```
    /// use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
    /// # let (ph, b) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&b[..], ph)?;
    /// assert!(matches!(icmp.message(), Icmpv6Message::NeighborSolicitation(..)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn message(&self) -> Icmpv6Message<'_> {
        let body: &[u8] = &self.body;
        let other = Icmpv6Message::Other { data: body };
        let word = |b: &[u8]| match b {
            [a, b, c, d, ..] => Some(u32::from_be_bytes([*a, *b, *c, *d])),
            _ => None,
        };
        let quoted = body.get(4..).unwrap_or(&[]);
        match self.msg_type() {
            TYPE_DEST_UNREACHABLE if body.len() >= 4 => Icmpv6Message::DestUnreachable { quoted },
            TYPE_PACKET_TOO_BIG => {
                word(body).map_or(other, |mtu| Icmpv6Message::PacketTooBig { mtu, quoted })
            }
            TYPE_TIME_EXCEEDED if body.len() >= 4 => Icmpv6Message::TimeExceeded { quoted },
            TYPE_PARAMETER_PROBLEM => word(body).map_or(other, |pointer| {
                Icmpv6Message::ParameterProblem { pointer, quoted }
            }),
            t @ (TYPE_ECHO_REQUEST | TYPE_ECHO_REPLY) => match body {
                [a, b, c, d, data @ ..] => {
                    let ident = u16::from_be_bytes([*a, *b]);
                    let seq = u16::from_be_bytes([*c, *d]);
                    if t == TYPE_ECHO_REQUEST {
                        Icmpv6Message::EchoRequest { ident, seq, data }
                    } else {
                        Icmpv6Message::EchoReply { ident, seq, data }
                    }
                }
                _ => other,
            },
            TYPE_ROUTER_SOLICITATION => RouterSolicitation::ref_from_prefix(body)
                .map_or(other, |(m, o)| {
                    Icmpv6Message::RouterSolicitation(m, NdpOptions::new(o))
                }),
            TYPE_ROUTER_ADVERTISEMENT => RouterAdvertisement::ref_from_prefix(body)
                .map_or(other, |(m, o)| {
                    Icmpv6Message::RouterAdvertisement(m, NdpOptions::new(o))
                }),
            TYPE_NEIGHBOR_SOLICITATION => NeighborSolicitation::ref_from_prefix(body)
                .map_or(other, |(m, o)| {
                    Icmpv6Message::NeighborSolicitation(m, NdpOptions::new(o))
                }),
            TYPE_NEIGHBOR_ADVERTISEMENT => NeighborAdvertisement::ref_from_prefix(body)
                .map_or(other, |(m, o)| {
                    Icmpv6Message::NeighborAdvertisement(m, NdpOptions::new(o))
                }),
            TYPE_REDIRECT => Redirect::ref_from_prefix(body).map_or(other, |(m, o)| {
                Icmpv6Message::Redirect(m, NdpOptions::new(o))
            }),
            TYPE_MLD_QUERY => match MldV1::ref_from_prefix(body) {
                Ok((v1, [])) => Icmpv6Message::MldV1Query(v1),
                Ok((v1, rest)) => match MldV2QueryTail::ref_from_prefix(rest) {
                    Ok((tail, sources)) => Icmpv6Message::MldV2Query(v1, tail, sources),
                    Err(_) => Icmpv6Message::MldV1Query(v1),
                },
                Err(_) => other,
            },
            TYPE_MLD_REPORT => {
                MldV1::ref_from_prefix(body).map_or(other, |(m, _)| Icmpv6Message::MldV1Report(m))
            }
            TYPE_MLD_DONE => {
                MldV1::ref_from_prefix(body).map_or(other, |(m, _)| Icmpv6Message::MldDone(m))
            }
            TYPE_MLDV2_REPORT => MldV2Report::ref_from_prefix(body).map_or(other, |(r, recs)| {
                Icmpv6Message::MldV2Report(r, MldV2Records::new(recs, r.num_records.get()))
            }),
            _ => other,
        }
    }

    /// Length of the NDP options area (0 for non-NDP messages).
    fn ndp_options_len(&self) -> usize {
        let fixed = match self.msg_type() {
            TYPE_ROUTER_SOLICITATION => 4,
            TYPE_ROUTER_ADVERTISEMENT => 12,
            TYPE_NEIGHBOR_SOLICITATION | TYPE_NEIGHBOR_ADVERTISEMENT => 20,
            TYPE_REDIRECT => 36,
            _ => return 0,
        };
        self.body.len().saturating_sub(fixed)
    }

    /// The NDP options of an NDP message (empty otherwise): `icmpv6.opt.type` for each.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// use zerocast_wire::ndp::NdpOption;
    /// let nonce = icmp.ndp_options().next().ok_or("no option")??;
    /// assert_eq!(nonce.decode(), NdpOption::Nonce(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ndp_options(&self) -> NdpOptions<'_> {
        let len = self.ndp_options_len();
        NdpOptions::new(self.body.get(self.body.len() - len..).unwrap_or(&[]))
    }

    /// The target address of a Neighbor Solicitation/Advertisement or Redirect
    /// (`icmpv6.nd.ns.target_address` / `icmpv6.nd.na.target_address`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// let target = icmp.nd_target().map(|t| t.to_string());
    /// assert_eq!(target.as_deref(), Some("fe80::2812:9aff:fe5d:1aad"));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn nd_target(&self) -> Option<Ipv6Addr> {
        match self.message() {
            Icmpv6Message::NeighborSolicitation(m, _) => Some(m.target),
            Icmpv6Message::NeighborAdvertisement(m, _) => Some(m.target),
            Icmpv6Message::Redirect(m, _) => Some(m.target),
            _ => None,
        }
    }

    /// For error messages, the quoted IPv6 packet (after the 4-byte unused/MTU/pointer
    /// word), parsed leniently: a [`Lenient::Cut`] when the quote (or the capture) ends
    /// inside its fixed header.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::Icmpv6Packet, IpProto, ParseOptions};
    /// # let (ph, b) = zerocast_wire::icmpv6::__port_unreachable_example();
    /// let icmp = Icmpv6Packet::parse(&b[..], ph).unwrap();
    /// let quoted = icmp.quoted_packet().unwrap().unwrap().whole().unwrap();
    /// assert_eq!(quoted.upper_protocol(), IpProto::UDP);
    ///
    /// let cut = Icmpv6Packet::parse_with(&b[..16], ph, ParseOptions::LENIENT).unwrap();
    /// let quoted = cut.quoted_packet().unwrap().unwrap().cut().unwrap();
    /// assert_eq!(quoted.next_header(), Some(IpProto::UDP));
    /// ```
    #[must_use]
    pub fn quoted_packet(&self) -> Option<QuotedIpv6<'_>> {
        if !self.is_error() {
            return None;
        }
        let quoted = self.body.get(4..).unwrap_or(&[]);
        Some(Ipv6Packet::parse_lenient(quoted))
    }

    /// The header's values (body is re-used as is by the builder).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let icmp = Icmpv6Packet::parse(&bytes[..], ph)?;
    /// use zerocast_wire::icmpv6::Icmpv6Repr;
    /// assert_eq!(icmp.repr(), Icmpv6Repr { msg_type: 135, code: 0 });
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> Icmpv6Repr {
        Icmpv6Repr {
            msg_type: self.msg_type(),
            code: self.code(),
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> Icmpv6Packet<B> {
    /// The body, writable (call [`Icmpv6Packet::update_checksum`] afterwards).
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, mut bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let mut icmp = Icmpv6Packet::parse(&mut bytes[..], ph)?;
    /// icmp.body_mut()[22..28].copy_from_slice(&[6, 5, 4, 3, 2, 1]); // a new nonce
    /// icmp.update_checksum(ph);
    /// assert!(Icmpv6Packet::parse(&bytes[..], ph).is_ok());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn body_mut(&mut self) -> &mut [u8] {
        &mut self.body
    }
    /// The header, writable.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, mut bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let mut icmp = Icmpv6Packet::parse(&mut bytes[..], ph)?;
    /// icmp.header_mut().code = 1; // any code other than 0 is invalid for NS
    /// icmp.update_checksum(ph);
    /// assert_eq!(Icmpv6Packet::parse(&bytes[..], ph)?.code(), 1);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut Icmpv6Header {
        &mut self.header
    }
    /// Recomputes the checksum with `pseudo`.
    ///
    /// ```
    /// # use zerocast_wire::icmpv6::Icmpv6Packet;
    /// # // A Neighbor Solicitation for fe80::2812:9aff:fe5d:1aad (duplicate address detection,
    /// # // from ::) with a Nonce option, and its pseudo-header.
    /// # let (ph, mut bytes) = zerocast_wire::icmpv6::__ns_example();
    /// let mut icmp = Icmpv6Packet::parse(&mut bytes[..], ph)?;
    /// use zerocast_wire::{Ipv6Addr, PseudoHeader};
    /// // Re-address the solicitation to all-nodes; the checksum covers the new pseudo-header.
    /// let mut all_nodes = [0u8; 16];
    /// all_nodes[..2].copy_from_slice(&[0xff, 0x02]);
    /// all_nodes[15] = 1;
    /// let new_ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr(all_nodes) };
    /// icmp.update_checksum(new_ph);
    /// assert!(Icmpv6Packet::parse(&bytes[..], new_ph).is_ok());
    /// assert!(Icmpv6Packet::parse(&bytes[..], ph).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn update_checksum(&mut self, pseudo: PseudoHeader) {
        self.header.checksum.set(0);
        let len = HEADER_LEN + self.body.len();
        let mut c = pseudo.checksum_start(IpProto::ICMPV6, len);
        c.add_bytes(Ref::bytes(&self.header));
        c.add_bytes(&self.body);
        self.header.checksum.set(c.checksum());
    }
}

/// ICMPv6 type and code, for building; the body is written by the caller first.
///
/// ```
/// use zerocast_wire::{icmpv6::{Icmpv6Packet, Icmpv6Repr}, Ipv6Addr, PseudoHeader};
/// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
/// let mut b = [0u8, 0, 0, 0, 0, 1, 0, 1];
/// Icmpv6Repr { msg_type: 128, code: 0 }.emit(&mut b, ph)?;
/// assert!(Icmpv6Packet::parse(&b[..], ph).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Icmpv6Repr {
    /// Type.
    pub msg_type: u8,
    /// Code.
    pub code: u8,
}

impl Icmpv6Repr {
    /// Writes type, code and checksum into the front of `message`.
    ///
    /// # Errors
    /// `Truncated` under 4 bytes.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::{Icmpv6Packet, Icmpv6Repr}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// // Echo request: 4 header bytes to fill, then identifier 1, sequence 1.
    /// let mut message = [0, 0, 0, 0, 0, 1, 0, 1];
    /// Icmpv6Repr { msg_type: 128, code: 0 }.emit(&mut message, ph)?;
    /// assert_eq!(Icmpv6Packet::parse(&message[..], ph)?.msg_type(), 128);
    /// assert!(Icmpv6Repr { msg_type: 128, code: 0 }.emit(&mut [0u8; 3], ph).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn emit(&self, message: &mut [u8], pseudo: PseudoHeader) -> Result<(), ParseError> {
        let len = message.len();
        let (header, body) = message
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(ParseError::truncated(Layer::Icmpv6, HEADER_LEN, len))?;
        self.emit_parts(header, body, pseudo);
        Ok(())
    }

    /// Writes the 4-byte `header` with the checksum over pseudo-header, it and `body`.
    pub(crate) fn emit_parts(&self, header: &mut [u8], body: &[u8], pseudo: PseudoHeader) {
        let Ok(h) = Icmpv6Header::mut_from_bytes(header) else {
            return;
        };
        h.msg_type = self.msg_type;
        h.code = self.code;
        h.checksum.set(0);
        let mut c = pseudo.checksum_start(IpProto::ICMPV6, HEADER_LEN + body.len());
        c.add_bytes(h.as_bytes());
        c.add_bytes(body);
        h.checksum.set(c.checksum());
    }
}

impl<B: SplitByteSlice> fmt::Display for Icmpv6Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.msg_type() {
            TYPE_DEST_UNREACHABLE => "destination unreachable",
            TYPE_PACKET_TOO_BIG => "packet too big",
            TYPE_TIME_EXCEEDED => "time exceeded",
            TYPE_PARAMETER_PROBLEM => "parameter problem",
            TYPE_ECHO_REQUEST => "echo request",
            TYPE_ECHO_REPLY => "echo reply",
            TYPE_MLD_QUERY => "multicast listener query",
            TYPE_MLD_REPORT => "multicast listener report",
            TYPE_MLD_DONE => "multicast listener done",
            TYPE_ROUTER_SOLICITATION => "router solicitation",
            TYPE_ROUTER_ADVERTISEMENT => "router advertisement",
            TYPE_NEIGHBOR_SOLICITATION => "neighbor solicitation",
            TYPE_NEIGHBOR_ADVERTISEMENT => "neighbor advertisement",
            TYPE_REDIRECT => "redirect",
            TYPE_MLDV2_REPORT => "multicast listener report v2",
            _ => "type",
        };
        write!(
            f,
            "ICMP6, {name} ({}), code {}",
            self.msg_type(),
            self.code()
        )?;
        if let Some(t) = self.nd_target() {
            write!(f, ", target {t}")?;
        }
        Ok(())
    }
}

fn v6(bytes: [u8; 16]) -> Ipv6Addr {
    Ipv6Addr(bytes)
}

/// Neighbor solicitation of frame 1 of the samples (pseudo-header and ICMPv6 bytes).
#[doc(hidden)]
#[must_use]
pub fn __ns_example() -> (PseudoHeader, [u8; 32]) {
    let src = Ipv6Addr::UNSPECIFIED;
    let dst = v6([
        0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0x5d, 0x1a, 0xad,
    ]);
    let mut m = [0u8; 32];
    m[0] = TYPE_NEIGHBOR_SOLICITATION;
    m[8..24].copy_from_slice(&[
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x28, 0x12, 0x9a, 0xff, 0xfe, 0x5d, 0x1a, 0xad,
    ]);
    m[24] = crate::ndp::OPT_NONCE;
    m[25] = 1;
    m[26..32].copy_from_slice(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
    let ph = PseudoHeader::V6 { src, dst };
    let mut c = ph.checksum_start(IpProto::ICMPV6, m.len());
    c.add_bytes(&m);
    m[2..4].copy_from_slice(&c.checksum().to_be_bytes());
    (ph, m)
}

/// Port unreachable of frame 62 of the samples (pseudo-header and ICMPv6 bytes).
#[doc(hidden)]
#[must_use]
pub fn __port_unreachable_example() -> (PseudoHeader, [u8; 64]) {
    let a = |last: u8| v6([0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last]);
    let ph = PseudoHeader::V6 {
        src: a(2),
        dst: a(1),
    };
    let mut m = [0u8; 64];
    m[..8].copy_from_slice(&[0x01, 0x04, 0x43, 0xc0, 0, 0, 0, 0]);
    m[8..16].copy_from_slice(&[0x60, 0x0a, 0x4e, 0x95, 0x00, 0x10, 0x11, 0x40]);
    m[16..32].copy_from_slice(&a(1).0);
    m[32..48].copy_from_slice(&a(2).0);
    m[48..64].copy_from_slice(&[
        0x98, 0x62, 0x9c, 0x49, 0x00, 0x10, 0x61, 0xe1, b'c', b'l', b'o', b's', b'e', b'd', b'6',
        b'\n',
    ]);
    (ph, m)
}

impl<B: SplitByteSlice> fmt::Debug for Icmpv6Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Icmpv6Packet")
            .field("header", self.header())
            .field("body_len", &self.body().len())
            .finish_non_exhaustive()
    }
}

/// An ICMPv6 header builder: type, code and the pseudo-header the checksum covers. The body
/// (echo identifier and data, NDP fields and options, MLD records) is the wrapped payload.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{icmpv6::{Icmpv6Builder, Icmpv6Packet, Icmpv6Repr}, Ipv6Addr, PseudoHeader};
/// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
/// let echo = Icmpv6Builder { repr: Icmpv6Repr { msg_type: 128, code: 0 }, pseudo: ph };
/// let m = [0u8, 1, 0, 1].into_serializer().wrap_in(echo).serialize_vec_outer().unwrap();
/// assert!(Icmpv6Packet::parse(m.as_ref(), ph).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icmpv6Builder {
    /// Type and code.
    pub repr: Icmpv6Repr,
    /// Addresses for the checksum.
    pub pseudo: PseudoHeader,
}

impl zerocast_packet::PacketBuilder for Icmpv6Builder {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(HEADER_LEN, 0, usize::MAX)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        self.repr.emit_parts(target.header, body, self.pseudo);
    }
}

impl<B: SplitByteSlice> Icmpv6Packet<B> {
    /// Parses what a capture kept: like [`Icmpv6Packet::parse_with`] with
    /// `allow_truncated`, and when the bytes end inside the 4-byte header, an
    /// [`Icmpv6Partial`] of the fields that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`Icmpv6Packet::parse_with`]; `Truncated` for no bytes at all.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::Icmpv6Packet, ChecksumPolicy};
    /// # let (ph, b) = zerocast_wire::icmpv6::__ns_example();
    /// let cut = Icmpv6Packet::parse_lenient(&b[..2], ph, ChecksumPolicy::Report)?.cut().unwrap();
    /// assert_eq!((cut.msg_type(), cut.code(), cut.checksum()), (Some(135), Some(0), None));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        pseudo: PseudoHeader,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, Icmpv6Partial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            Icmpv6Partial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, pseudo, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, (PseudoHeader, ParseOptions)>
    for Icmpv6Packet<B>
{
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        (pseudo, opts): (PseudoHeader, ParseOptions),
    ) -> Result<Self, ParseError> {
        let (body, checksum_status) = {
            let p = Icmpv6Packet::parse_with(buffer.as_ref(), pseudo, opts)?;
            (p.body.len(), p.checksum_status)
        };
        let (h, body, _) = crate::parse::take_parts(buffer, HEADER_LEN, body, Layer::Icmpv6)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Icmpv6, HEADER_LEN, 0))?;
        Ok(Icmpv6Packet {
            header,
            body,
            checksum_status,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(HEADER_LEN, self.body.len(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ndp::NdpOption;
    use crate::udp::UdpPacket;

    #[test]
    fn sample_port_unreachable_checksums_verify_inside_and_out() {
        let (ph, b) = __port_unreachable_example();
        let icmp = Icmpv6Packet::parse(&b[..], ph).unwrap();
        assert_eq!((icmp.msg_type(), icmp.code()), (1, 4));
        let ip = icmp.quoted_packet().unwrap().unwrap().whole().unwrap();
        let udp = UdpPacket::parse(ip.payload(), Some(ip.pseudo_header())).unwrap();
        assert_eq!(
            (udp.dst_port(), udp.checksum_status()),
            (40009, ChecksumStatus::Good)
        );
    }

    #[test]
    fn neighbor_advertisement_from_samples_decodes_flags_and_tlla() {
        // Frame 41: NA from fd77::2, flags S|O, TLLA ba:16:b4:71:76:43.
        let a = |last: u8| v6([0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last]);
        let ph = PseudoHeader::V6 {
            src: a(2),
            dst: a(1),
        };
        let mut m = [0u8; 32];
        m[..8].copy_from_slice(&[0x88, 0x00, 0x38, 0x6b, 0x60, 0, 0, 0]);
        m[8..24].copy_from_slice(&a(2).0);
        m[24..32].copy_from_slice(&[2, 1, 0xba, 0x16, 0xb4, 0x71, 0x76, 0x43]);
        let icmp = Icmpv6Packet::parse(&m[..], ph).unwrap();
        match icmp.message() {
            Icmpv6Message::NeighborAdvertisement(na, mut opts) => {
                assert!(na.solicited() && na.override_flag() && !na.router());
                let tlla = opts.next().unwrap().unwrap().decode();
                assert_eq!(
                    tlla,
                    NdpOption::TargetLinkLayer(crate::MacAddr([
                        0xba, 0x16, 0xb4, 0x71, 0x76, 0x43
                    ]))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_ndp_option_rejected_strictly_only() {
        let (ph, mut b) = __ns_example();
        b[25] = 0;
        let e = Icmpv6Packet::parse_with(&b[..], ph, ParseOptions::OFFLOAD)
            .err()
            .unwrap();
        assert_eq!(e.offset(), 24);
        assert!(Icmpv6Packet::parse_with(&b[..], ph, ParseOptions::LENIENT).is_ok());
    }

    #[test]
    fn mldv2_report_records_iterate() {
        let mut m = [0u8; 28];
        m[0] = TYPE_MLDV2_REPORT;
        m[7] = 1;
        m[8] = 4;
        m[12] = 0xff;
        m[13] = 2;
        m[27] = 0x16;
        let ph = PseudoHeader::V6 {
            src: Ipv6Addr::UNSPECIFIED,
            dst: Ipv6Addr::UNSPECIFIED,
        };
        Icmpv6Repr {
            msg_type: TYPE_MLDV2_REPORT,
            code: 0,
        }
        .emit(&mut m, ph)
        .unwrap();
        let icmp = Icmpv6Packet::parse(&m[..], ph).unwrap();
        match icmp.message() {
            Icmpv6Message::MldV2Report(r, recs) => {
                assert_eq!(r.num_records.get(), 1);
                let groups: Vec<_> = recs.map(|r| r.unwrap().header.group.to_string()).collect();
                assert_eq!(groups, ["ff02::16"]);
            }
            other => panic!("{other:?}"),
        }
        // A record count that promises more than is there is an error, not a panic.
        let mut m2 = m;
        m2[7] = 2;
        Icmpv6Repr {
            msg_type: TYPE_MLDV2_REPORT,
            code: 0,
        }
        .emit(&mut m2, ph)
        .unwrap();
        if let Icmpv6Message::MldV2Report(_, recs) =
            Icmpv6Packet::parse(&m2[..], ph).unwrap().message()
        {
            assert!(recs.last().unwrap().is_err());
        }
    }
}
