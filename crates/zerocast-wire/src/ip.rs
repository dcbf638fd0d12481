//! What IPv4 and IPv6 share with the layers above them: protocol numbers and the pseudo-header
//! that UDP, TCP and ICMPv6 checksums cover.

use core::fmt;

use crate::addr::{Ipv4Addr, Ipv6Addr};
use crate::checksum::Checksum;

/// An IP protocol / IPv6 Next Header number.
///
/// ```
/// use zerocast_wire::IpProto;
/// assert_eq!(IpProto::TCP.0, 6);
/// assert_eq!(IpProto::UDP.to_string(), "17");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct IpProto(pub u8);

impl IpProto {
    /// IPv6 Hop-by-Hop Options.
    pub const HOP_BY_HOP: IpProto = IpProto(0);
    /// ICMP for IPv4.
    pub const ICMP: IpProto = IpProto(1);
    /// IGMP.
    pub const IGMP: IpProto = IpProto(2);
    /// TCP.
    pub const TCP: IpProto = IpProto(6);
    /// UDP.
    pub const UDP: IpProto = IpProto(17);
    /// IPv6 Routing header.
    pub const ROUTING: IpProto = IpProto(43);
    /// IPv6 Fragment header.
    pub const FRAGMENT: IpProto = IpProto(44);
    /// Encapsulating Security Payload.
    pub const ESP: IpProto = IpProto(50);
    /// Authentication Header.
    pub const AH: IpProto = IpProto(51);
    /// ICMPv6.
    pub const ICMPV6: IpProto = IpProto(58);
    /// IPv6 No Next Header.
    pub const NO_NEXT_HEADER: IpProto = IpProto(59);
    /// IPv6 Destination Options.
    pub const DEST_OPTS: IpProto = IpProto(60);
}

impl fmt::Display for IpProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The addresses an upper-layer checksum covers (RFC 768, RFC 793, RFC 8200 section 8.1).
///
/// ```
/// use zerocast_wire::{IpProto, Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// let c = ph.checksum_start(IpProto::UDP, 8);
/// assert_ne!(c.sum16(), 0);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PseudoHeader {
    /// IPv4 source and destination.
    V4 {
        /// Source address.
        src: Ipv4Addr,
        /// Destination address.
        dst: Ipv4Addr,
    },
    /// IPv6 source and final destination.
    V6 {
        /// Source address.
        src: Ipv6Addr,
        /// Destination address (the final one if a Routing header is present).
        dst: Ipv6Addr,
    },
}

impl PseudoHeader {
    /// A checksum accumulator primed with the pseudo-header for `proto` and `upper_len`.
    ///
    /// ```
    /// use zerocast_wire::{IpProto, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// assert_eq!(ph.checksum_start(IpProto::ICMPV6, 8).sum16(), 58 + 8);
    /// ```
    #[must_use]
    #[inline]
    pub fn checksum_start(&self, proto: IpProto, upper_len: usize) -> Checksum {
        let mut c = Checksum::new();
        match self {
            PseudoHeader::V4 { src, dst } => {
                c.add_bytes(&src.0);
                c.add_bytes(&dst.0);
            }
            PseudoHeader::V6 { src, dst } => {
                c.add_bytes(&src.0);
                c.add_bytes(&dst.0);
            }
        }
        // Lengths beyond 32 bits cannot occur in a packet; saturate rather than wrap.
        let len = u32::try_from(upper_len).unwrap_or(u32::MAX);
        c.add_u16((len >> 16) as u16);
        c.add_u16(len as u16);
        c.add_u16(u16::from(proto.0));
        c
    }

    /// Whether this is an IPv6 pseudo-header (UDP checksums are mandatory there).
    ///
    /// ```
    /// use zerocast_wire::{Ipv4Addr, PseudoHeader};
    /// assert!(!PseudoHeader::V4 { src: Ipv4Addr::UNSPECIFIED, dst: Ipv4Addr::UNSPECIFIED }.is_v6());
    /// ```
    #[must_use]
    pub const fn is_v6(&self) -> bool {
        matches!(self, PseudoHeader::V6 { .. })
    }
}
