//! Parse errors shared by every protocol in this crate.
//!
//! A [`ParseError`] names the layer that rejected the bytes, what was wrong with them, the byte
//! offset of the offending field (counted from the start of that layer's bytes), and, for IP,
//! which ICMP error a host that received the packet should send back (the consequence, as
//! netstack3 reports it), so a stack never has to re-derive it.

use core::fmt;

/// The protocol layer that produced a [`ParseError`].
///
/// ```
/// use zerocast_wire::Layer;
/// assert_eq!(Layer::Ipv4.to_string(), "IPv4");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layer {
    /// Ethernet II.
    Ethernet,
    /// An 802.1Q or 802.1ad tag.
    Vlan,
    /// ARP.
    Arp,
    /// IPv4 header and options.
    Ipv4,
    /// IPv6 fixed header.
    Ipv6,
    /// An IPv6 extension header.
    Ipv6Ext,
    /// ICMPv4.
    Icmpv4,
    /// ICMPv6 (including NDP and MLD).
    Icmpv6,
    /// IGMP.
    Igmp,
    /// UDP.
    Udp,
    /// TCP.
    Tcp,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layer::Ethernet => "Ethernet",
            Layer::Vlan => "VLAN",
            Layer::Arp => "ARP",
            Layer::Ipv4 => "IPv4",
            Layer::Ipv6 => "IPv6",
            Layer::Ipv6Ext => "IPv6 extension header",
            Layer::Icmpv4 => "ICMPv4",
            Layer::Icmpv6 => "ICMPv6",
            Layer::Igmp => "IGMP",
            Layer::Udp => "UDP",
            Layer::Tcp => "TCP",
        })
    }
}

/// What was wrong with the bytes.
///
/// ```
/// use zerocast_wire::ErrorKind;
/// let kind = ErrorKind::Truncated { needed: 20, available: 3 };
/// assert_eq!(kind.to_string(), "truncated: need 20 bytes, have 3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Fewer bytes than the header or a length field requires.
    Truncated {
        /// Bytes the format requires.
        needed: usize,
        /// Bytes that were present.
        available: usize,
    },
    /// A version field holds a value other than the one this parser reads.
    BadVersion(u8),
    /// A header-length field is impossible (below the fixed header or beyond the packet).
    BadHeaderLength(usize),
    /// A total-length or payload-length field disagrees with the header or the bytes.
    BadLength(usize),
    /// The checksum in the packet does not match the one computed over it.
    BadChecksum {
        /// Value carried in the packet.
        found: u16,
        /// Value the packet should have carried.
        expected: u16,
    },
    /// A malformed option or TLV record (length too short or past the end).
    BadOption {
        /// The option's kind/type byte.
        kind: u8,
    },
    /// A field holds a value the format forbids (for example a multicast source address).
    BadField,
    /// A well-formed message of a type or encoding this parser does not read.
    Unsupported(u16),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ErrorKind::Truncated { needed, available } => {
                write!(f, "truncated: need {needed} bytes, have {available}")
            }
            ErrorKind::BadVersion(v) => write!(f, "unexpected version {v}"),
            ErrorKind::BadHeaderLength(l) => write!(f, "invalid header length {l}"),
            ErrorKind::BadLength(l) => write!(f, "invalid length {l}"),
            ErrorKind::BadChecksum { found, expected } => {
                write!(f, "bad checksum 0x{found:04x} (expected 0x{expected:04x})")
            }
            ErrorKind::BadOption { kind } => write!(f, "malformed option of kind {kind}"),
            ErrorKind::BadField => f.write_str("invalid field value"),
            ErrorKind::Unsupported(t) => write!(f, "unsupported type {t}"),
        }
    }
}

/// The ICMP error a receiving host should send for a rejected IP packet.
///
/// ```
/// use zerocast_wire::IcmpReply;
/// let reply = IcmpReply::Ipv4ParameterProblem { pointer: 2 };
/// assert_eq!(reply, IcmpReply::Ipv4ParameterProblem { pointer: 2 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IcmpReply {
    /// ICMPv4 Parameter Problem (type 12, code 0) with the pointer to the bad octet.
    Ipv4ParameterProblem {
        /// Offset of the offending octet in the IPv4 header.
        pointer: u8,
    },
    /// ICMPv6 Parameter Problem (type 4) with its code and pointer (RFC 4443 section 3.4).
    Ipv6ParameterProblem {
        /// 0 erroneous header field, 1 unrecognized Next Header, 2 unrecognized option.
        code: u8,
        /// Offset of the offending octet from the start of the IPv6 header.
        pointer: u32,
    },
}

/// A packet that a parser rejected: which layer, what, where, and what to answer.
///
/// ```
/// use zerocast_wire::{ipv4::Ipv4Packet, ErrorKind, Layer};
/// let err = Ipv4Packet::parse(&[0x45u8, 0][..]).unwrap_err();
/// assert_eq!(err.layer(), Layer::Ipv4);
/// assert!(matches!(err.kind(), ErrorKind::Truncated { needed: 20, available: 2 }));
/// assert_eq!(err.to_string(), "IPv4: truncated: need 20 bytes, have 2 (at offset 2)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseError {
    layer: Layer,
    kind: ErrorKind,
    offset: usize,
    icmp: Option<IcmpReply>,
}

impl ParseError {
    /// Creates an error for `layer` with no ICMP consequence.
    ///
    /// ```
    /// use zerocast_wire::{ErrorKind, Layer, ParseError};
    /// let e = ParseError::new(Layer::Udp, ErrorKind::BadLength(3), 4);
    /// assert_eq!(e.offset(), 4);
    /// ```
    #[must_use]
    pub const fn new(layer: Layer, kind: ErrorKind, offset: usize) -> Self {
        ParseError {
            layer,
            kind,
            offset,
            icmp: None,
        }
    }

    /// Returns the same error with the ICMP reply a host should send.
    ///
    /// ```
    /// use zerocast_wire::{ErrorKind, IcmpReply, Layer, ParseError};
    /// let e = ParseError::new(Layer::Ipv4, ErrorKind::BadField, 9)
    ///     .with_icmp(IcmpReply::Ipv4ParameterProblem { pointer: 9 });
    /// assert!(e.icmp_reply().is_some());
    /// ```
    #[must_use]
    pub const fn with_icmp(mut self, reply: IcmpReply) -> Self {
        self.icmp = Some(reply);
        self
    }

    pub(crate) const fn truncated(layer: Layer, needed: usize, available: usize) -> Self {
        ParseError::new(layer, ErrorKind::Truncated { needed, available }, available)
    }

    /// The layer that rejected the bytes.
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, Layer};
    /// assert_eq!(UdpPacket::parse(&[0u8; 3][..], None).unwrap_err().layer(), Layer::Udp);
    /// ```
    #[must_use]
    pub const fn layer(&self) -> Layer {
        self.layer
    }

    /// What was wrong.
    ///
    /// ```
    /// use zerocast_wire::{ErrorKind, Layer, ParseError};
    /// assert_eq!(ParseError::new(Layer::Tcp, ErrorKind::BadField, 0).kind(), ErrorKind::BadField);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Offset of the offending field, counted from the first byte of this layer.
    ///
    /// ```
    /// use zerocast_wire::{ErrorKind, Layer, ParseError};
    /// assert_eq!(ParseError::new(Layer::Tcp, ErrorKind::BadField, 12).offset(), 12);
    /// ```
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The ICMP error a host should send in reply, if any (most errors: discard silently).
    ///
    /// ```
    /// use zerocast_wire::{ErrorKind, Layer, ParseError};
    /// assert_eq!(ParseError::new(Layer::Tcp, ErrorKind::BadField, 0).icmp_reply(), None);
    /// ```
    #[must_use]
    pub const fn icmp_reply(&self) -> Option<IcmpReply> {
        self.icmp
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (at offset {})",
            self.layer, self.kind, self.offset
        )
    }
}

impl core::error::Error for ParseError {}
