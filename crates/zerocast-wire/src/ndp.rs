//! Neighbor Discovery for IPv6 (RFC 4861; RDNSS RFC 8106; Nonce RFC 3971): the bodies of
//! Router/Neighbor Solicitation and Advertisement and Redirect, and their options.
//!
//! ```text
//! Neighbor Solicitation (type 135) / Advertisement (136), after the 4-byte ICMPv6 header:
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |R|S|O|                     Reserved (NA flags)                 |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Target Address (128 bits)               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Options ...  (Type, Length in 8-byte units, Value)          ~
//! ```
//!
//! Bodies are `repr(C)` structs cast in place from the ICMPv6 body; options are TLVs read in
//! place, unknown ones kept raw.

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::addr::{Ipv6Addr, MacAddr};
use crate::error::{ErrorKind, Layer, ParseError};

/// Source link-layer address option.
pub const OPT_SOURCE_LLA: u8 = 1;
/// Target link-layer address option.
pub const OPT_TARGET_LLA: u8 = 2;
/// Prefix information option.
pub const OPT_PREFIX_INFO: u8 = 3;
/// Redirected header option.
pub const OPT_REDIRECTED_HEADER: u8 = 4;
/// MTU option.
pub const OPT_MTU: u8 = 5;
/// Nonce option.
pub const OPT_NONCE: u8 = 14;
/// Recursive DNS server option.
pub const OPT_RDNSS: u8 = 25;

/// Router Solicitation body (after the ICMPv6 header).
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (rs, opts) = zerocast_wire::ndp::RouterSolicitation::ref_from_prefix(&[0u8; 12][..]).unwrap();
/// assert_eq!((rs.reserved.get(), opts.len()), (0, 8));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct RouterSolicitation {
    /// Reserved.
    pub reserved: U32,
}

/// Router Advertisement body.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let b = [64u8, 0x80, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0];
/// let (ra, _) = zerocast_wire::ndp::RouterAdvertisement::ref_from_prefix(&b[..]).unwrap();
/// assert_eq!((ra.cur_hop_limit, ra.router_lifetime.get()), (64, 1800));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct RouterAdvertisement {
    /// Default hop limit for outgoing packets.
    pub cur_hop_limit: u8,
    /// M (managed), O (other config) and further flags.
    pub flags: u8,
    /// Router lifetime in seconds.
    pub router_lifetime: U16,
    /// Reachable time in ms.
    pub reachable_time: U32,
    /// Retransmission timer in ms.
    pub retrans_timer: U32,
}

/// Neighbor Solicitation body.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (ns, _) = zerocast_wire::ndp::NeighborSolicitation::ref_from_prefix(&[0u8; 20][..]).unwrap();
/// assert!(ns.target.is_unspecified());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct NeighborSolicitation {
    /// Reserved.
    pub reserved: U32,
    /// Address being resolved.
    pub target: Ipv6Addr,
}

/// Neighbor Advertisement body.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let mut b = [0u8; 20];
/// b[0] = 0x60;
/// let (na, _) = zerocast_wire::ndp::NeighborAdvertisement::ref_from_prefix(&b[..]).unwrap();
/// assert_eq!(na.flags.get() >> 29, 0b011);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct NeighborAdvertisement {
    /// R (router), S (solicited), O (override) in the top three bits.
    pub flags: U32,
    /// Address the advertisement is about.
    pub target: Ipv6Addr,
}

impl NeighborAdvertisement {
    /// R flag.
    #[must_use]
    pub fn router(&self) -> bool {
        self.flags.get() & 0x8000_0000 != 0
    }
    /// S flag.
    #[must_use]
    pub fn solicited(&self) -> bool {
        self.flags.get() & 0x4000_0000 != 0
    }
    /// O flag.
    #[must_use]
    pub fn override_flag(&self) -> bool {
        self.flags.get() & 0x2000_0000 != 0
    }
}

/// Redirect body.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (r, _) = zerocast_wire::ndp::Redirect::ref_from_prefix(&[0u8; 36][..]).unwrap();
/// assert!(r.destination.is_unspecified());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct Redirect {
    /// Reserved.
    pub reserved: U32,
    /// Better first hop.
    pub target: Ipv6Addr,
    /// Destination being redirected.
    pub destination: Ipv6Addr,
}

/// Prefix Information option body (after type and length).
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let p = zerocast_wire::ndp::PrefixInformation::ref_from_bytes(&[0u8; 30][..]).unwrap();
/// assert_eq!(p.prefix_len, 0);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct PrefixInformation {
    /// Prefix length in bits.
    pub prefix_len: u8,
    /// L (on-link) and A (autonomous) flags.
    pub flags: u8,
    /// Valid lifetime in seconds.
    pub valid_lifetime: U32,
    /// Preferred lifetime in seconds.
    pub preferred_lifetime: U32,
    /// Reserved.
    pub reserved: U32,
    /// The prefix.
    pub prefix: Ipv6Addr,
}

/// One NDP option: its type and the bytes after the type and length.
///
/// ```
/// use zerocast_wire::{ndp::{NdpOption, NdpOptions}, MacAddr};
/// let o = NdpOptions::new(&[1, 1, 2, 0, 0, 0, 0, 1]).next().unwrap().unwrap();
/// assert_eq!(o.decode(), NdpOption::SourceLinkLayer(MacAddr([2, 0, 0, 0, 0, 1])));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NdpOptionRecord<'a> {
    /// Option type (`icmpv6.opt.type`).
    pub kind: u8,
    /// Value bytes (option length × 8 − 2).
    pub data: &'a [u8],
}

/// What an NDP option says.
///
/// ```
/// use zerocast_wire::ndp::{NdpOption, NdpOptionRecord};
/// let mtu = NdpOptionRecord { kind: 5, data: &[0, 0, 0, 0, 0x05, 0xdc] };
/// assert_eq!(mtu.decode(), NdpOption::Mtu(1500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NdpOption<'a> {
    /// Sender's link-layer address (Ethernet).
    SourceLinkLayer(MacAddr),
    /// Target's link-layer address (Ethernet).
    TargetLinkLayer(MacAddr),
    /// Prefix information, cast in place.
    PrefixInformation(&'a PrefixInformation),
    /// The (truncated) packet that triggered a Redirect.
    RedirectedHeader(&'a [u8]),
    /// Link MTU.
    Mtu(u32),
    /// Nonce bytes.
    Nonce(&'a [u8]),
    /// Recursive DNS servers with their lifetime.
    Rdnss {
        /// Lifetime in seconds.
        lifetime: u32,
        /// Server addresses, 16 bytes each.
        servers: &'a [u8],
    },
    /// Any other type, or a known type with the wrong length.
    Unknown {
        /// Option type.
        kind: u8,
        /// Value bytes.
        data: &'a [u8],
    },
}

impl<'a> NdpOptionRecord<'a> {
    /// Interprets the option.
    #[must_use]
    pub fn decode(&self) -> NdpOption<'a> {
        let data = self.data;
        match (self.kind, data) {
            (OPT_SOURCE_LLA, [a, b, c, d, e, f]) => {
                NdpOption::SourceLinkLayer(MacAddr([*a, *b, *c, *d, *e, *f]))
            }
            (OPT_TARGET_LLA, [a, b, c, d, e, f]) => {
                NdpOption::TargetLinkLayer(MacAddr([*a, *b, *c, *d, *e, *f]))
            }
            (OPT_PREFIX_INFO, _) => match PrefixInformation::ref_from_bytes(data) {
                Ok(p) => NdpOption::PrefixInformation(p),
                Err(_) => NdpOption::Unknown {
                    kind: self.kind,
                    data,
                },
            },
            (OPT_REDIRECTED_HEADER, [_, _, _, _, _, _, rest @ ..]) => {
                NdpOption::RedirectedHeader(rest)
            }
            (OPT_MTU, [_, _, a, b, c, d]) => NdpOption::Mtu(u32::from_be_bytes([*a, *b, *c, *d])),
            (OPT_NONCE, _) => NdpOption::Nonce(data),
            (OPT_RDNSS, [_, _, a, b, c, d, servers @ ..]) if servers.len() % 16 == 0 => {
                NdpOption::Rdnss {
                    lifetime: u32::from_be_bytes([*a, *b, *c, *d]),
                    servers,
                }
            }
            (kind, data) => NdpOption::Unknown { kind, data },
        }
    }
}

/// Iterator over NDP options. A zero length or one running past the end yields an error
/// (offset from the start of the options) and ends the iteration.
///
/// ```
/// use zerocast_wire::ndp::NdpOptions;
/// assert_eq!(NdpOptions::new(&[14, 1, 1, 2, 3, 4, 5, 6, 1, 1, 0, 0, 0, 0, 0, 0]).count(), 2);
/// assert!(NdpOptions::new(&[1, 0, 0, 0]).next().unwrap().is_err());
/// ```
#[derive(Debug, Clone)]
pub struct NdpOptions<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> NdpOptions<'a> {
    /// Iterates over `bytes`.
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        NdpOptions { bytes, pos: 0 }
    }

    /// Checks the framing of every option.
    ///
    /// # Errors
    /// The first malformed option.
    pub fn validate(self) -> Result<(), ParseError> {
        for o in self {
            o?;
        }
        Ok(())
    }
}

impl<'a> Iterator for NdpOptions<'a> {
    type Item = Result<NdpOptionRecord<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
        let len = rest.get(1).map_or(0, |&l| usize::from(l) * 8);
        let kind = rest[0];
        match rest.get(2..len) {
            Some(data) if len > 0 => {
                self.pos += len;
                Some(Ok(NdpOptionRecord { kind, data }))
            }
            _ => {
                let offset = self.pos;
                self.pos = self.bytes.len();
                Some(Err(ParseError::new(
                    Layer::Icmpv6,
                    ErrorKind::BadOption { kind },
                    offset,
                )))
            }
        }
    }
}

/// Writes one NDP option (type, length in 8-byte units, `data`, zero padding to a multiple of
/// 8) into the front of `out`; returns its length.
///
/// # Errors
/// `BadOption` if the option would exceed 2040 bytes; `Truncated` if `out` is too short.
///
/// ```
/// use zerocast_wire::ndp::{write_option, NdpOption, NdpOptions, OPT_SOURCE_LLA};
/// let mut b = [0xffu8; 16];
/// let n = write_option(&mut b, OPT_SOURCE_LLA, &[2, 0, 0, 0, 0, 0x0b]).unwrap();
/// assert_eq!(&b[..n], &[1, 1, 2, 0, 0, 0, 0, 0x0b]);
/// let o = NdpOptions::new(&b[..n]).next().unwrap().unwrap();
/// assert!(matches!(o.decode(), NdpOption::SourceLinkLayer(_)));
/// ```
pub fn write_option(out: &mut [u8], kind: u8, data: &[u8]) -> Result<usize, ParseError> {
    let total = (2 + data.len()).div_ceil(8) * 8;
    let units = u8::try_from(total / 8)
        .map_err(|_| ParseError::new(Layer::Icmpv6, ErrorKind::BadOption { kind }, 0))?;
    let available = out.len();
    let o = out
        .get_mut(..total)
        .ok_or(ParseError::truncated(Layer::Icmpv6, total, available))?;
    o[0] = kind;
    o[1] = units;
    o[2..2 + data.len()].copy_from_slice(data);
    o[2 + data.len()..].fill(0);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_information_is_cast_in_place() {
        let mut o = [0u8; 32];
        o[0] = OPT_PREFIX_INFO;
        o[1] = 4;
        o[2] = 64;
        o[3] = 0xc0;
        o[4..8].copy_from_slice(&86400u32.to_be_bytes());
        o[16] = 0xfd;
        o[17] = 0x77;
        let rec = NdpOptions::new(&o).next().unwrap().unwrap();
        match rec.decode() {
            NdpOption::PrefixInformation(p) => {
                assert_eq!(
                    (p.prefix_len, p.flags, p.valid_lifetime.get()),
                    (64, 0xc0, 86400)
                );
                assert_eq!(p.prefix.to_string(), "fd77::");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn option_past_end_is_error() {
        assert!(NdpOptions::new(&[1, 2, 0, 0, 0, 0, 0, 0])
            .next()
            .unwrap()
            .is_err());
    }
}
