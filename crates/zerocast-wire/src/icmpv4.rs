//! ICMP for IPv4 (RFC 792): echo, destination unreachable, source quench, redirect, time
//! exceeded, parameter problem, timestamp; errors expose the packet they quote.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |        type-specific (identifier/sequence, MTU, gateway, ...) |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   data: echo payload, timestamps, or the quoted IP header + 8 ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The checksum covers the whole message. ICMP has no length field, so a message inside a
//! truncated or fragmented IP packet should be parsed with the options the IP view's
//! `payload_parse_options` returns.

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::Ipv4Addr;
use crate::checksum::Checksum;
use crate::error::{ErrorKind, Layer, ParseError};
use crate::ipv4::{Ipv4Packet, Ipv4Partial};
use crate::parse::{lenient, take_header, ChecksumPolicy, ChecksumStatus, Lenient, ParseOptions};
pub use crate::partial::Icmpv4Partial;

/// Length of the fixed part (type, code, checksum, 4 type-specific bytes).
pub const HEADER_LEN: usize = 8;

/// Echo reply.
pub const TYPE_ECHO_REPLY: u8 = 0;
/// Destination unreachable.
pub const TYPE_DEST_UNREACHABLE: u8 = 3;
/// Source quench (deprecated, RFC 6633).
pub const TYPE_SOURCE_QUENCH: u8 = 4;
/// Redirect.
pub const TYPE_REDIRECT: u8 = 5;
/// Echo request.
pub const TYPE_ECHO_REQUEST: u8 = 8;
/// Time exceeded.
pub const TYPE_TIME_EXCEEDED: u8 = 11;
/// Parameter problem.
pub const TYPE_PARAMETER_PROBLEM: u8 = 12;
/// Timestamp request.
pub const TYPE_TIMESTAMP: u8 = 13;
/// Timestamp reply.
pub const TYPE_TIMESTAMP_REPLY: u8 = 14;

/// The fixed ICMPv4 header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::icmpv4::Icmpv4Header::ref_from_bytes(&[8u8, 0, 0, 0, 0, 1, 0, 2][..])?;
/// assert_eq!(h.msg_type, 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct Icmpv4Header {
    /// Message type.
    pub msg_type: u8,
    /// Message code.
    pub code: u8,
    /// Checksum over the whole message.
    pub checksum: U16,
    /// Type-specific word (identifier/sequence, MTU, gateway, pointer, or unused).
    pub rest: [u8; 4],
}

/// What a message says, by type.
///
/// ```
/// use zerocast_wire::icmpv4::{Icmpv4Message, Icmpv4Packet};
/// # let b = zerocast_wire::icmpv4::__echo_example();
/// match Icmpv4Packet::parse(&b[..])?.message() {
///     Icmpv4Message::EchoRequest { ident, seq, data } => assert_eq!((ident, seq, data), (1, 2, &b"hi"[..])),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Icmpv4Message<'a> {
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
    /// Destination unreachable (code 4 carries the next-hop MTU, RFC 1191).
    DestUnreachable {
        /// Next-hop MTU (0 unless code 4).
        next_hop_mtu: u16,
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Source quench.
    SourceQuench {
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Redirect to `gateway`.
    Redirect {
        /// Better first hop.
        gateway: Ipv4Addr,
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Time exceeded (code 0 in transit, 1 reassembly).
    TimeExceeded {
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Parameter problem at `pointer`.
    ParameterProblem {
        /// Offset of the bad octet in the quoted header.
        pointer: u8,
        /// The quoted packet.
        quoted: &'a [u8],
    },
    /// Timestamp request or reply (`reply` tells which).
    Timestamp {
        /// Type 14 rather than 13.
        reply: bool,
        /// Identifier.
        ident: u16,
        /// Sequence number.
        seq: u16,
        /// Originate timestamp.
        originate: u32,
        /// Receive timestamp.
        receive: u32,
        /// Transmit timestamp.
        transmit: u32,
    },
    /// Any other type, or a known type whose body is too short.
    Other {
        /// The type-specific word.
        rest: [u8; 4],
        /// The data after it.
        data: &'a [u8],
    },
}

/// The packet an ICMPv4 error quotes, parsed leniently: whole, or cut inside its header.
///
/// ```
/// use zerocast_wire::{icmpv4::{Icmpv4Packet, QuotedIpv4}, Lenient};
/// # let b = zerocast_wire::icmpv4::__port_unreachable_example();
/// let icmp = Icmpv4Packet::parse(&b[..]).unwrap();
/// let quoted: QuotedIpv4<'_> = icmp.quoted_packet().unwrap();
/// assert!(matches!(quoted, Ok(Lenient::Whole(_))));
/// ```
pub type QuotedIpv4<'a> = Result<Lenient<Ipv4Packet<&'a [u8]>, Ipv4Partial<&'a [u8]>>, ParseError>;

/// Whether messages of this type carry an identifier and sequence number (echo, timestamp,
/// information and address-mask requests and replies).
pub(crate) fn carries_ident_seq(msg_type: u8) -> bool {
    matches!(msg_type, 0 | 8 | 13 | 14 | 15 | 16 | 17 | 18)
}

/// A parsed ICMPv4 message.
///
/// ```
/// use zerocast_wire::{icmpv4::Icmpv4Packet, ChecksumStatus};
/// # let b = zerocast_wire::icmpv4::__echo_example();
/// let icmp = Icmpv4Packet::parse(&b[..])?;
/// assert_eq!((icmp.msg_type(), icmp.code()), (8, 0));
/// assert_eq!(icmp.ident_seq(), Some((1, 2)));
/// assert_eq!(icmp.checksum_status(), ChecksumStatus::Good);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Icmpv4Packet<B> {
    header: Ref<B, Icmpv4Header>,
    body: B,
    checksum_status: ChecksumStatus,
}

/// An echo request (ident 1, seq 2, data "hi") for examples.
#[doc(hidden)]
#[must_use]
pub fn __echo_example() -> [u8; 10] {
    let mut b = [8, 0, 0, 0, 0, 1, 0, 2, b'h', b'i'];
    let c = crate::checksum::checksum(&b);
    b[2..4].copy_from_slice(&c.to_be_bytes());
    b
}

impl<B: SplitByteSlice> Icmpv4Packet<B> {
    /// Parses strictly (checksum must be right).
    ///
    /// # Errors
    /// See [`Icmpv4Packet::parse_with`].
    ///
    /// ```
    /// assert!(zerocast_wire::icmpv4::Icmpv4Packet::parse(&[8u8, 0, 0, 0, 0, 1, 0, 2][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Self::parse_with(bytes, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// `Truncated` under 8 bytes (see [`Icmpv4Packet::parse_lenient`] for a view of a cut
    /// header); `BadChecksum` with [`ChecksumPolicy::Reject`].
    ///
    /// ```
    /// use zerocast_wire::{icmpv4::Icmpv4Packet, ParseOptions, ChecksumStatus};
    /// let icmp = Icmpv4Packet::parse_with(&[8u8, 0, 0, 0, 0, 1, 0, 2][..], ParseOptions::LENIENT)?;
    /// assert_eq!(icmp.checksum_status(), ChecksumStatus::Bad);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_with(bytes: B, opts: ParseOptions) -> Result<Self, ParseError> {
        let (header, body) = take_header::<B, Icmpv4Header>(bytes, Layer::Icmpv4)?;
        let checksum_status = match opts.checksum {
            ChecksumPolicy::Skip => ChecksumStatus::Unverified,
            policy => {
                let mut c = Checksum::new();
                c.add_bytes(Ref::bytes(&header));
                c.add_bytes(&body);
                if c.checksum() == 0 {
                    ChecksumStatus::Good
                } else if policy == ChecksumPolicy::Reject {
                    let found = header.checksum.get();
                    let expected = crate::checksum::update(c.checksum(), found, 0);
                    return Err(ParseError::new(
                        Layer::Icmpv4,
                        ErrorKind::BadChecksum { found, expected },
                        2,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        Ok(Icmpv4Packet {
            header,
            body,
            checksum_status,
        })
    }

    /// The fixed header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.header().rest, [0x12, 0x34, 0x00, 0x01]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &Icmpv4Header {
        &self.header
    }
    /// Type (`icmp.type`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.msg_type(), zerocast_wire::icmpv4::TYPE_ECHO_REQUEST);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        self.header.msg_type
    }
    /// Code (`icmp.code`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
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
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.checksum(), 0x2104);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the checksum check (`icmp.checksum.status`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// use zerocast_wire::{ChecksumStatus, ParseOptions};
    /// assert_eq!(icmp.checksum_status(), ChecksumStatus::Good);
    /// let mut damaged = bytes;
    /// damaged[8] = b'X';
    /// let icmp = Icmpv4Packet::parse_with(&damaged[..], ParseOptions::LENIENT)?;
    /// assert_eq!(icmp.checksum_status(), ChecksumStatus::Bad);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// The type-specific word.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.rest_of_header(), [0x12, 0x34, 0x00, 0x01]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn rest_of_header(&self) -> [u8; 4] {
        self.header.rest
    }
    /// Everything after the 8-byte header.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.body(), b"abcd");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// Identifier and sequence number for the types that carry them (echo, timestamp,
    /// information and address-mask requests/replies: `icmp.ident`, `icmp.seq`).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert_eq!(icmp.ident_seq(), Some((0x1234, 1)));
    /// # let unreachable = zerocast_wire::icmpv4::__port_unreachable_example();
    /// // Errors carry no identifier:
    /// assert_eq!(Icmpv4Packet::parse(&unreachable[..])?.ident_seq(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ident_seq(&self) -> Option<(u16, u16)> {
        let [a, b, c, d] = self.header.rest;
        carries_ident_seq(self.msg_type())
            .then(|| (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])))
    }
    /// Whether this is an error message that quotes the offending packet.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// assert!(!icmp.is_error());
    /// # let unreachable = zerocast_wire::icmpv4::__port_unreachable_example();
    /// assert!(Icmpv4Packet::parse(&unreachable[..])?.is_error()); // port unreachable
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_error(&self) -> bool {
        matches!(self.msg_type(), 3 | 4 | 5 | 11 | 12)
    }

    /// Decodes the message by type.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// use zerocast_wire::icmpv4::Icmpv4Message;
    /// let expected = Icmpv4Message::EchoRequest { ident: 0x1234, seq: 1, data: b"abcd" };
    /// assert_eq!(icmp.message(), expected);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn message(&self) -> Icmpv4Message<'_> {
        let rest = self.header.rest;
        let [a, b, c, d] = rest;
        let hi = u16::from_be_bytes([a, b]);
        let lo = u16::from_be_bytes([c, d]);
        let data: &[u8] = &self.body;
        match self.msg_type() {
            TYPE_ECHO_REQUEST => Icmpv4Message::EchoRequest {
                ident: hi,
                seq: lo,
                data,
            },
            TYPE_ECHO_REPLY => Icmpv4Message::EchoReply {
                ident: hi,
                seq: lo,
                data,
            },
            TYPE_DEST_UNREACHABLE => Icmpv4Message::DestUnreachable {
                next_hop_mtu: if self.code() == 4 { lo } else { 0 },
                quoted: data,
            },
            TYPE_SOURCE_QUENCH => Icmpv4Message::SourceQuench { quoted: data },
            TYPE_REDIRECT => Icmpv4Message::Redirect {
                gateway: Ipv4Addr(rest),
                quoted: data,
            },
            TYPE_TIME_EXCEEDED => Icmpv4Message::TimeExceeded { quoted: data },
            TYPE_PARAMETER_PROBLEM => Icmpv4Message::ParameterProblem {
                pointer: a,
                quoted: data,
            },
            t @ (TYPE_TIMESTAMP | TYPE_TIMESTAMP_REPLY) => match data {
                [o0, o1, o2, o3, r0, r1, r2, r3, t0, t1, t2, t3, ..] => Icmpv4Message::Timestamp {
                    reply: t == TYPE_TIMESTAMP_REPLY,
                    ident: hi,
                    seq: lo,
                    originate: u32::from_be_bytes([*o0, *o1, *o2, *o3]),
                    receive: u32::from_be_bytes([*r0, *r1, *r2, *r3]),
                    transmit: u32::from_be_bytes([*t0, *t1, *t2, *t3]),
                },
                _ => Icmpv4Message::Other { rest, data },
            },
            _ => Icmpv4Message::Other { rest, data },
        }
    }

    /// For error messages, the quoted IP packet, parsed leniently (it is usually cut after
    /// 8 bytes of payload, and a capture may cut it inside its header: then it is a
    /// [`Lenient::Cut`]). `None` for non-error types.
    ///
    /// ```
    /// use zerocast_wire::{icmpv4::Icmpv4Packet, udp::UdpPacket, ParseOptions};
    /// # let b = zerocast_wire::icmpv4::__port_unreachable_example();
    /// let icmp = Icmpv4Packet::parse(&b[..]).unwrap();
    /// let quoted = icmp.quoted_packet().unwrap().unwrap().whole().unwrap();
    /// assert_eq!(quoted.dst().to_string(), "10.77.0.2");
    /// let udp = UdpPacket::parse_with(quoted.payload(), Some(quoted.pseudo_header()),
    ///                                 quoted.payload_parse_options(ParseOptions::LENIENT)).unwrap();
    /// assert_eq!(udp.dst_port(), 40009);
    ///
    /// // A capture that kept only 12 bytes of the quoted header still shows its first fields.
    /// let cut = Icmpv4Packet::parse_with(&b[..20], ParseOptions::LENIENT).unwrap();
    /// let quoted = cut.quoted_packet().unwrap().unwrap().cut().unwrap();
    /// assert_eq!((quoted.ttl(), quoted.src()), (Some(64), None));
    /// ```
    #[must_use]
    pub fn quoted_packet(&self) -> Option<QuotedIpv4<'_>> {
        self.is_error()
            .then(|| Ipv4Packet::parse_lenient(&self.body[..], ChecksumPolicy::Report))
    }
}

impl<B: SplitByteSlice + ByteSliceMut> Icmpv4Packet<B> {
    /// The body, writable (call [`Icmpv4Packet::update_checksum`] afterwards).
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let mut bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let mut icmp = Icmpv4Packet::parse(&mut bytes[..])?;
    /// icmp.body_mut().copy_from_slice(b"wxyz");
    /// icmp.update_checksum();
    /// assert!(Icmpv4Packet::parse(&bytes[..]).is_ok());
    /// assert_eq!(&bytes[8..], b"wxyz");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn body_mut(&mut self) -> &mut [u8] {
        &mut self.body
    }
    /// The fixed header, writable.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let mut bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let mut icmp = Icmpv4Packet::parse(&mut bytes[..])?;
    /// icmp.header_mut().msg_type = zerocast_wire::icmpv4::TYPE_ECHO_REPLY;
    /// icmp.update_checksum();
    /// assert_eq!(Icmpv4Packet::parse(&bytes[..])?.msg_type(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut Icmpv4Header {
        &mut self.header
    }
    /// Recomputes the checksum over the whole message.
    ///
    /// ```
    /// # let mut b = zerocast_wire::icmpv4::__echo_example();
    /// let mut icmp = zerocast_wire::icmpv4::Icmpv4Packet::parse(&mut b[..])?;
    /// icmp.header_mut().msg_type = 0; // turn the request into a reply
    /// icmp.update_checksum();
    /// assert!(zerocast_wire::icmpv4::Icmpv4Packet::parse(&b[..]).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_checksum(&mut self) {
        self.header.checksum.set(0);
        let mut c = Checksum::new();
        c.add_bytes(Ref::bytes(&self.header));
        c.add_bytes(&self.body);
        self.header.checksum.set(c.checksum());
    }
}

/// An ICMPv4 header's values, for building (the body is written by the caller first).
///
/// ```
/// use zerocast_wire::icmpv4::{Icmpv4Packet, Icmpv4Repr};
/// let mut b = *b"\0\0\0\0\0\0\0\0hi";
/// Icmpv4Repr::echo_request(1, 2).emit(&mut b)?;
/// assert_eq!(Icmpv4Packet::parse(&b[..])?.ident_seq(), Some((1, 2)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Icmpv4Repr {
    /// Type.
    pub msg_type: u8,
    /// Code.
    pub code: u8,
    /// Type-specific word.
    pub rest: [u8; 4],
}

impl Icmpv4Repr {
    /// An echo request header.
    ///
    /// ```
    /// use zerocast_wire::icmpv4::Icmpv4Repr;
    /// let mut message = *b"\0\0\0\0\0\0\0\0abcd"; // header room, then the data
    /// Icmpv4Repr::echo_request(0x1234, 1).emit(&mut message)?;
    /// assert_eq!(message[..8], [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub const fn echo_request(ident: u16, seq: u16) -> Self {
        let i = ident.to_be_bytes();
        let s = seq.to_be_bytes();
        Icmpv4Repr {
            msg_type: TYPE_ECHO_REQUEST,
            code: 0,
            rest: [i[0], i[1], s[0], s[1]],
        }
    }

    /// An echo reply header.
    ///
    /// ```
    /// use zerocast_wire::icmpv4::Icmpv4Repr;
    /// let reply = Icmpv4Repr::echo_reply(0x1234, 1);
    /// assert_eq!((reply.msg_type, reply.code, reply.rest), (0, 0, [0x12, 0x34, 0x00, 0x01]));
    /// ```
    #[must_use]
    pub const fn echo_reply(ident: u16, seq: u16) -> Self {
        let r = Icmpv4Repr::echo_request(ident, seq);
        Icmpv4Repr {
            msg_type: TYPE_ECHO_REPLY,
            ..r
        }
    }

    /// A Destination Unreachable header (`next_hop_mtu` is used by code 4, RFC 1191). Wrap it
    /// around the offending packet, truncated so the error fits 576 bytes (RFC 1812 4.3.2.3):
    ///
    /// ```
    /// use zerocast_packet::{Buf, Serializer, TruncateDirection, TruncatingSerializer};
    /// use zerocast_wire::{icmpv4::{Icmpv4Packet, Icmpv4Repr}, ipv4::{Ipv4Packet, Ipv4Repr}, IpProto, Ipv4Addr};
    /// let offending = vec![0u8; 1400]; // the datagram being refused, header first
    /// let ip = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 2]), Ipv4Addr([10, 0, 0, 1]), IpProto::ICMP, 64);
    /// let error = TruncatingSerializer::new(Buf::new(offending, ..), TruncateDirection::DiscardBack)
    ///     .with_size_limit(576 - 20 - 8)
    ///     .wrap_in(Icmpv4Repr::dest_unreachable(3, 0))
    ///     .wrap_in(ip.builder().unwrap())
    ///     .serialize_vec_outer()
    ///     .unwrap();
    /// assert_eq!(error.as_ref().len(), 576);
    /// let ip = Ipv4Packet::parse(error.as_ref()).unwrap();
    /// let icmp = Icmpv4Packet::parse(ip.payload()).unwrap();
    /// assert_eq!((icmp.msg_type(), icmp.code()), (3, 3));
    /// ```
    #[must_use]
    pub const fn dest_unreachable(code: u8, next_hop_mtu: u16) -> Self {
        let m = next_hop_mtu.to_be_bytes();
        Icmpv4Repr {
            msg_type: TYPE_DEST_UNREACHABLE,
            code,
            rest: [0, 0, m[0], m[1]],
        }
    }

    /// A Time Exceeded header (code 0 in transit, 1 reassembly).
    ///
    /// ```
    /// use zerocast_wire::icmpv4::{Icmpv4Repr, TYPE_TIME_EXCEEDED};
    /// let in_transit = Icmpv4Repr::time_exceeded(0); // TTL reached 0 at a router
    /// assert_eq!((in_transit.msg_type, in_transit.code), (TYPE_TIME_EXCEEDED, 0));
    /// ```
    #[must_use]
    pub const fn time_exceeded(code: u8) -> Self {
        Icmpv4Repr {
            msg_type: TYPE_TIME_EXCEEDED,
            code,
            rest: [0; 4],
        }
    }

    /// A Parameter Problem header pointing at the offending octet (as in
    /// [`IcmpReply::Ipv4ParameterProblem`](crate::IcmpReply::Ipv4ParameterProblem)).
    ///
    /// ```
    /// use zerocast_wire::icmpv4::{Icmpv4Message, Icmpv4Packet, Icmpv4Repr};
    /// // Point at byte 2 of the quoted header (Total Length); quote it after the ICMP header.
    /// let mut message = [0u8; 8 + 28];
    /// Icmpv4Repr::parameter_problem(2).emit(&mut message)?;
    /// let icmp = Icmpv4Packet::parse(&message[..])?;
    /// assert!(matches!(icmp.message(), Icmpv4Message::ParameterProblem { pointer: 2, .. }));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub const fn parameter_problem(pointer: u8) -> Self {
        Icmpv4Repr {
            msg_type: TYPE_PARAMETER_PROBLEM,
            code: 0,
            rest: [pointer, 0, 0, 0],
        }
    }

    /// Writes the header into the front of `message` (body already in place) with its checksum.
    ///
    /// # Errors
    /// `Truncated` when `message` is shorter than 8 bytes.
    ///
    /// ```
    /// assert!(zerocast_wire::icmpv4::Icmpv4Repr::echo_request(0, 0).emit(&mut [0u8; 7]).is_err());
    /// ```
    pub fn emit(&self, message: &mut [u8]) -> Result<(), ParseError> {
        let len = message.len();
        let (header, body) = message
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(ParseError::truncated(Layer::Icmpv4, HEADER_LEN, len))?;
        self.emit_parts(header, body);
        Ok(())
    }

    /// Writes the 8-byte `header` with the checksum over it and `body`.
    fn emit_parts(&self, header: &mut [u8], body: &[u8]) {
        let Ok(h) = Icmpv4Header::mut_from_bytes(header) else {
            return;
        };
        h.msg_type = self.msg_type;
        h.code = self.code;
        h.checksum.set(0);
        h.rest = self.rest;
        let mut c = Checksum::new();
        c.add_bytes(h.as_bytes());
        c.add_bytes(body);
        h.checksum.set(c.checksum());
    }
}

impl<B: SplitByteSlice> Icmpv4Packet<B> {
    /// The header's values.
    ///
    /// ```
    /// # use zerocast_wire::icmpv4::Icmpv4Packet;
    /// # // Echo request, identifier 0x1234, sequence 1, data "abcd"
    /// # let bytes = [8, 0, 0x21, 0x04, 0x12, 0x34, 0x00, 0x01, b'a', b'b', b'c', b'd'];
    /// let icmp = Icmpv4Packet::parse(&bytes[..])?;
    /// use zerocast_wire::icmpv4::Icmpv4Repr;
    /// assert_eq!(icmp.repr(), Icmpv4Repr::echo_request(0x1234, 1));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> Icmpv4Repr {
        Icmpv4Repr {
            msg_type: self.msg_type(),
            code: self.code(),
            rest: self.header.rest,
        }
    }
}

impl<B: SplitByteSlice> fmt::Display for Icmpv4Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Icmpv4Message::EchoRequest { ident, seq, .. } => {
                write!(f, "ICMP echo request, id {ident}, seq {seq}")
            }
            Icmpv4Message::EchoReply { ident, seq, .. } => {
                write!(f, "ICMP echo reply, id {ident}, seq {seq}")
            }
            Icmpv4Message::DestUnreachable { .. } => {
                write!(f, "ICMP destination unreachable, code {}", self.code())
            }
            Icmpv4Message::TimeExceeded { .. } => {
                write!(f, "ICMP time exceeded, code {}", self.code())
            }
            Icmpv4Message::Redirect { gateway, .. } => write!(f, "ICMP redirect to {gateway}"),
            Icmpv4Message::ParameterProblem { pointer, .. } => {
                write!(f, "ICMP parameter problem, pointer {pointer}")
            }
            _ => write!(f, "ICMP type {}, code {}", self.msg_type(), self.code()),
        }
    }
}

/// Port unreachable quoting a UDP datagram (frame 60 of the samples, ICMP part) for examples.
#[doc(hidden)]
#[must_use]
pub fn __port_unreachable_example() -> [u8; 43] {
    [
        0x03, 0x03, 0x11, 0xba, 0, 0, 0, 0, //
        0x45, 0x00, 0x00, 0x23, 0xd7, 0x9e, 0x40, 0x00, 0x40, 0x11, 0x4e, 0x8f, //
        0x0a, 0x4d, 0x00, 0x01, 0x0a, 0x4d, 0x00, 0x02, //
        0xb1, 0x31, 0x9c, 0x49, 0x00, 0x0f, 0x5b, 0x74, //
        b'c', b'l', b'o', b's', b'e', b'd', b'\n',
    ]
}

impl<B: SplitByteSlice> fmt::Debug for Icmpv4Packet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Icmpv4Packet")
            .field("header", self.header())
            .field("body_len", &self.body().len())
            .finish_non_exhaustive()
    }
}

/// ICMPv4 header builder: the body (echo data, or a quoted packet, ideally through a
/// truncating serializer) is wrapped, the checksum covers it.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::icmpv4::{Icmpv4Packet, Icmpv4Repr};
/// let m = b"ping".into_serializer().wrap_in(Icmpv4Repr::echo_request(7, 1)).serialize_vec_outer().unwrap();
/// assert_eq!(Icmpv4Packet::parse(m.as_ref()).unwrap().ident_seq(), Some((7, 1)));
/// ```
impl zerocast_packet::PacketBuilder for Icmpv4Repr {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(HEADER_LEN, 0, usize::MAX)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        self.emit_parts(target.header, body);
    }
}

impl<B: SplitByteSlice> Icmpv4Packet<B> {
    /// Parses what a capture kept: like [`Icmpv4Packet::parse_with`] with
    /// `allow_truncated`, and when the bytes end inside the 8-byte header, an
    /// [`Icmpv4Partial`] of the fields that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`Icmpv4Packet::parse_with`]; `Truncated` for no bytes at all.
    ///
    /// ```
    /// use zerocast_wire::{icmpv4::Icmpv4Packet, ChecksumPolicy};
    /// # let b = zerocast_wire::icmpv4::__echo_example();
    /// let whole = Icmpv4Packet::parse_lenient(&b[..], ChecksumPolicy::Report)?.whole().unwrap();
    /// assert_eq!(whole.ident_seq(), Some((1, 2)));
    /// let cut = Icmpv4Packet::parse_lenient(&b[..3], ChecksumPolicy::Report)?.cut().unwrap();
    /// assert_eq!((cut.msg_type(), cut.checksum()), (Some(8), None));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, Icmpv4Partial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            Icmpv4Partial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ParseOptions> for Icmpv4Packet<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let (body, checksum_status) = {
            let p = Icmpv4Packet::parse_with(buffer.as_ref(), opts)?;
            (p.body.len(), p.checksum_status)
        };
        let (h, body, _) = crate::parse::take_parts(buffer, HEADER_LEN, body, Layer::Icmpv4)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Icmpv4, HEADER_LEN, 0))?;
        Ok(Icmpv4Packet {
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
    use crate::ip::IpProto;
    use crate::udp::UdpPacket;

    #[test]
    fn port_unreachable_quotes_udp_with_good_checksums() {
        let b = __port_unreachable_example();
        let icmp = Icmpv4Packet::parse(&b[..]).unwrap();
        assert_eq!((icmp.msg_type(), icmp.code()), (3, 3));
        assert!(matches!(
            icmp.message(),
            Icmpv4Message::DestUnreachable {
                next_hop_mtu: 0,
                ..
            }
        ));
        let ip = icmp.quoted_packet().unwrap().unwrap().whole().unwrap();
        assert_eq!(ip.protocol(), IpProto::UDP);
        assert_eq!(ip.checksum_status(), ChecksumStatus::Good);
        let udp = UdpPacket::parse(ip.payload(), Some(ip.pseudo_header())).unwrap();
        assert_eq!((udp.src_port(), udp.dst_port()), (45361, 40009));
        assert_eq!(udp.checksum_status(), ChecksumStatus::Good);
    }

    #[test]
    fn echo_payload_corruption_is_detected() {
        let mut b = __echo_example();
        b[9] ^= 1;
        assert!(Icmpv4Packet::parse(&b[..]).is_err());
    }

    #[test]
    fn timestamp_needs_twelve_bytes() {
        let mut b = [
            13u8, 0, 0, 0, 0, 7, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
        ];
        let c = crate::checksum::checksum(&b);
        b[2..4].copy_from_slice(&c.to_be_bytes());
        let icmp = Icmpv4Packet::parse(&b[..]).unwrap();
        assert!(matches!(
            icmp.message(),
            Icmpv4Message::Timestamp {
                reply: false,
                ident: 7,
                seq: 1,
                originate: 1,
                receive: 2,
                transmit: 3
            }
        ));
        let short = Icmpv4Packet::parse_with(&b[..19], ParseOptions::LENIENT).unwrap();
        assert!(matches!(short.message(), Icmpv4Message::Other { .. }));
    }

    #[test]
    fn echo_request_is_not_an_error_message() {
        let b = __echo_example();
        assert!(Icmpv4Packet::parse(&b[..])
            .unwrap()
            .quoted_packet()
            .is_none());
    }
}
