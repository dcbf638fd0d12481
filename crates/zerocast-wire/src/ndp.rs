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
//! place, unknown ones kept raw. [`NdpBuilder`] builds a whole message (body, options,
//! checksum) from an [`NdpBody`] and [`NdpOptionRepr`]s.

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::addr::{Ipv6Addr, MacAddr};
use crate::build::{self, Writer};
use crate::error::{ErrorKind, Layer, ParseError};
use crate::icmpv6::{Icmpv6Repr, HEADER_LEN};
use crate::ip::PseudoHeader;

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
/// let (rs, opts) = zerocast_wire::ndp::RouterSolicitation::ref_from_prefix(&[0u8; 12][..])?;
/// assert_eq!((rs.reserved.get(), opts.len()), (0, 8));
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// let (ns, _) = zerocast_wire::ndp::NeighborSolicitation::ref_from_prefix(&[0u8; 20][..])?;
/// assert!(ns.target.is_unspecified());
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    ///
    /// ```
    /// # use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// # let target = Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// // A solicited, overriding advertisement from a router.
    /// let body = NdpBody::neighbor_advertisement(target, true, true, true);
    /// let NdpBody::NeighborAdvertisement(na) = body else { unreachable!() };
    /// assert!(na.router());
    /// ```
    #[must_use]
    pub fn router(&self) -> bool {
        self.flags.get() & 0x8000_0000 != 0
    }
    /// S flag.
    ///
    /// ```
    /// # use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// # let target = Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// // A solicited, overriding advertisement from a router.
    /// let body = NdpBody::neighbor_advertisement(target, true, true, true);
    /// let NdpBody::NeighborAdvertisement(na) = body else { unreachable!() };
    /// assert!(na.solicited());
    /// ```
    #[must_use]
    pub fn solicited(&self) -> bool {
        self.flags.get() & 0x4000_0000 != 0
    }
    /// O flag.
    ///
    /// ```
    /// # use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// # let target = Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// // A solicited, overriding advertisement from a router.
    /// let body = NdpBody::neighbor_advertisement(target, true, true, true);
    /// let NdpBody::NeighborAdvertisement(na) = body else { unreachable!() };
    /// assert!(na.override_flag());
    /// assert_eq!(na.flags.get(), 0xe000_0000);
    /// ```
    #[must_use]
    pub fn override_flag(&self) -> bool {
        self.flags.get() & 0x2000_0000 != 0
    }
}

/// Redirect body.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (r, _) = zerocast_wire::ndp::Redirect::ref_from_prefix(&[0u8; 36][..])?;
/// assert!(r.destination.is_unspecified());
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// let p = zerocast_wire::ndp::PrefixInformation::ref_from_bytes(&[0u8; 30][..])?;
/// assert_eq!(p.prefix_len, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    ///
    /// ```
    /// use zerocast_wire::{ndp::{NdpOption, NdpOptionRecord}, MacAddr};
    /// let tlla = NdpOptionRecord { kind: 2, data: &[0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad] };
    /// let mac = MacAddr([0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad]);
    /// assert_eq!(tlla.decode(), NdpOption::TargetLinkLayer(mac));
    /// // A known type with the wrong length is kept raw:
    /// let short_mtu = NdpOptionRecord { kind: 5, data: &[0, 0] };
    /// assert_eq!(short_mtu.decode(), NdpOption::Unknown { kind: 5, data: &[0, 0] });
    /// ```
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
    ///
    /// ```
    /// use zerocast_wire::ndp::NdpOptions;
    /// // Source link-layer address, then MTU 1500.
    /// let options = [1, 1, 2, 0, 0, 0, 0, 1, 5, 1, 0, 0, 0, 0, 0x05, 0xdc];
    /// let kinds: Vec<u8> =
    ///     NdpOptions::new(&options).map(|o| o.map(|o| o.kind)).collect::<Result<_, _>>()?;
    /// assert_eq!(kinds, [1, 5]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        NdpOptions { bytes, pos: 0 }
    }

    /// Checks the framing of every option.
    ///
    /// # Errors
    /// The first malformed option.
    ///
    /// ```
    /// use zerocast_wire::ndp::NdpOptions;
    /// assert!(NdpOptions::new(&[1, 1, 2, 0, 0, 0, 0, 1]).validate().is_ok());
    /// // Length 0 is invalid (RFC 4861 section 4.6): the receiver must discard the packet.
    /// assert!(NdpOptions::new(&[1, 0, 2, 0, 0, 0, 0, 1]).validate().is_err());
    /// ```
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

/// Longest NDP option: the length byte counts 8-byte units.
pub const MAX_OPTION_LEN: usize = 255 * 8;

/// An NDP option to build, the counterpart of [`NdpOption`]. Each is written as type, length
/// in 8-byte units, value, and zero padding to a multiple of 8 bytes.
///
/// ```
/// use zerocast_wire::{ndp::NdpOptionRepr, MacAddr};
/// let slla = NdpOptionRepr::SourceLinkLayer(MacAddr([2, 0, 0, 0, 0, 1]));
/// let mut b = [0u8; 8];
/// assert_eq!(slla.emit(&mut b)?, 8);
/// assert_eq!(b, [1, 1, 2, 0, 0, 0, 0, 1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NdpOptionRepr<'a> {
    /// Sender's link-layer address.
    SourceLinkLayer(MacAddr),
    /// Target's link-layer address.
    TargetLinkLayer(MacAddr),
    /// Prefix information (RFC 4861 section 4.6.2).
    PrefixInformation(PrefixInformation),
    /// The start of the packet that triggered a Redirect, after 6 reserved bytes.
    RedirectedHeader(&'a [u8]),
    /// Link MTU (after 2 reserved bytes).
    Mtu(u32),
    /// Nonce bytes (RFC 3971 section 5.3.2), padded if not 6 + 8k long.
    Nonce(&'a [u8]),
    /// Recursive DNS servers (RFC 8106 section 5.1).
    Rdnss {
        /// Lifetime in seconds.
        lifetime: u32,
        /// Server addresses.
        servers: &'a [Ipv6Addr],
    },
    /// Any option as its type and value bytes: what a parsed [`NdpOptionRecord`] converts
    /// to, so a parsed message re-emits byte for byte.
    Raw {
        /// Option type.
        kind: u8,
        /// Value bytes (after type and length).
        data: &'a [u8],
    },
}

impl<'a> From<NdpOptionRecord<'a>> for NdpOptionRepr<'a> {
    /// The record's type and value bytes, unchanged (reserved bytes and padding included).
    ///
    /// ```
    /// use zerocast_wire::ndp::{NdpOptionRepr, NdpOptions};
    /// let bytes = [5u8, 1, 0, 0, 0, 0, 5, 0xdc];
    /// let rec = NdpOptions::new(&bytes).next().unwrap().unwrap();
    /// let mut out = [0u8; 8];
    /// NdpOptionRepr::from(rec).emit(&mut out).unwrap();
    /// assert_eq!(out, bytes);
    /// ```
    fn from(record: NdpOptionRecord<'a>) -> Self {
        NdpOptionRepr::Raw {
            kind: record.kind,
            data: record.data,
        }
    }
}

impl NdpOptionRepr<'_> {
    /// The option type.
    ///
    /// ```
    /// assert_eq!(zerocast_wire::ndp::NdpOptionRepr::Mtu(1500).kind(), 5);
    /// ```
    #[must_use]
    pub fn kind(&self) -> u8 {
        match self {
            NdpOptionRepr::SourceLinkLayer(_) => OPT_SOURCE_LLA,
            NdpOptionRepr::TargetLinkLayer(_) => OPT_TARGET_LLA,
            NdpOptionRepr::PrefixInformation(_) => OPT_PREFIX_INFO,
            NdpOptionRepr::RedirectedHeader(_) => OPT_REDIRECTED_HEADER,
            NdpOptionRepr::Mtu(_) => OPT_MTU,
            NdpOptionRepr::Nonce(_) => OPT_NONCE,
            NdpOptionRepr::Rdnss { .. } => OPT_RDNSS,
            NdpOptionRepr::Raw { kind, .. } => *kind,
        }
    }

    /// Bytes of the value before padding.
    fn value_len(&self) -> usize {
        match self {
            NdpOptionRepr::SourceLinkLayer(_)
            | NdpOptionRepr::TargetLinkLayer(_)
            | NdpOptionRepr::Mtu(_) => 6,
            NdpOptionRepr::PrefixInformation(p) => p.as_bytes().len(),
            NdpOptionRepr::RedirectedHeader(packet) => 6 + packet.len(),
            NdpOptionRepr::Nonce(data) | NdpOptionRepr::Raw { data, .. } => data.len(),
            NdpOptionRepr::Rdnss { servers, .. } => 6 + servers.as_bytes().len(),
        }
    }

    /// Length on the wire, padding included (a multiple of 8).
    ///
    /// ```
    /// use zerocast_wire::{ndp::NdpOptionRepr, Ipv6Addr};
    /// let dns = [Ipv6Addr::UNSPECIFIED; 2];
    /// assert_eq!(NdpOptionRepr::Rdnss { lifetime: 600, servers: &dns }.len(), 40);
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // an option is never empty
    pub fn len(&self) -> usize {
        (2 + self.value_len()).div_ceil(8) * 8
    }

    /// Writes the option into the front of `out`; returns its length.
    ///
    /// # Errors
    /// `BadOption` when it would be longer than [`MAX_OPTION_LEN`]; `Truncated` when `out`
    /// is too short.
    ///
    /// ```
    /// use zerocast_wire::ndp::NdpOptionRepr;
    /// let huge = [0u8; 2040];
    /// assert!(NdpOptionRepr::Nonce(&huge).emit(&mut [0u8; 4096]).is_err());
    /// ```
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ParseError> {
        let total = self.len();
        let kind = self.kind();
        let units = u8::try_from(total / 8)
            .map_err(|_| ParseError::new(Layer::Icmpv6, ErrorKind::BadOption { kind }, 0))?;
        let available = out.len();
        let out =
            out.get_mut(..total)
                .ok_or(ParseError::truncated(Layer::Icmpv6, total, available))?;
        let mut w = Writer::new(out, Layer::Icmpv6);
        w.put(&[kind, units])?;
        match self {
            NdpOptionRepr::SourceLinkLayer(mac) | NdpOptionRepr::TargetLinkLayer(mac) => {
                w.put(&mac.0)?;
            }
            NdpOptionRepr::PrefixInformation(p) => w.put(p.as_bytes())?,
            NdpOptionRepr::RedirectedHeader(packet) => {
                w.zeros(6)?;
                w.put(packet)?;
            }
            NdpOptionRepr::Mtu(mtu) => {
                w.zeros(2)?;
                w.put(&mtu.to_be_bytes())?;
            }
            NdpOptionRepr::Nonce(data) | NdpOptionRepr::Raw { data, .. } => w.put(data)?,
            NdpOptionRepr::Rdnss { lifetime, servers } => {
                w.zeros(2)?;
                w.put(&lifetime.to_be_bytes())?;
                w.put(servers.as_bytes())?;
            }
        }
        w.zeros(total - w.written())?;
        Ok(total)
    }
}

/// The fixed body of an NDP message (after the ICMPv6 header), which also names its type.
/// The variants hold the same `repr(C)` bodies a parse casts in place, so a parsed body
/// (reserved bits included) re-emits unchanged.
///
/// ```
/// use zerocast_wire::{icmpv6::TYPE_NEIGHBOR_SOLICITATION, ndp::NdpBody, Ipv6Addr};
/// let ns = NdpBody::neighbor_solicitation(Ipv6Addr::UNSPECIFIED);
/// assert_eq!(ns.msg_type(), TYPE_NEIGHBOR_SOLICITATION);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NdpBody {
    /// Router Solicitation (type 133).
    RouterSolicitation(RouterSolicitation),
    /// Router Advertisement (type 134).
    RouterAdvertisement(RouterAdvertisement),
    /// Neighbor Solicitation (type 135).
    NeighborSolicitation(NeighborSolicitation),
    /// Neighbor Advertisement (type 136).
    NeighborAdvertisement(NeighborAdvertisement),
    /// Redirect (type 137).
    Redirect(Redirect),
}

impl NdpBody {
    /// A Router Solicitation.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::TYPE_ROUTER_SOLICITATION, ndp::NdpBody};
    /// assert_eq!(NdpBody::router_solicitation().msg_type(), TYPE_ROUTER_SOLICITATION);
    /// ```
    #[must_use]
    pub fn router_solicitation() -> Self {
        NdpBody::RouterSolicitation(RouterSolicitation {
            reserved: U32::new(0),
        })
    }

    /// A Router Advertisement; `flags` holds M (0x80), O (0x40) and the later flag bits.
    ///
    /// ```
    /// let ra = zerocast_wire::ndp::NdpBody::router_advertisement(64, 0x40, 1800, 0, 0);
    /// assert_eq!(ra.msg_type(), 134);
    /// ```
    #[must_use]
    pub fn router_advertisement(
        cur_hop_limit: u8,
        flags: u8,
        router_lifetime: u16,
        reachable_time: u32,
        retrans_timer: u32,
    ) -> Self {
        NdpBody::RouterAdvertisement(RouterAdvertisement {
            cur_hop_limit,
            flags,
            router_lifetime: U16::new(router_lifetime),
            reachable_time: U32::new(reachable_time),
            retrans_timer: U32::new(retrans_timer),
        })
    }

    /// A Neighbor Solicitation for `target`.
    ///
    /// ```
    /// use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// let target = Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let NdpBody::NeighborSolicitation(ns) = NdpBody::neighbor_solicitation(target) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(ns.target, target);
    /// ```
    #[must_use]
    pub fn neighbor_solicitation(target: Ipv6Addr) -> Self {
        NdpBody::NeighborSolicitation(NeighborSolicitation {
            reserved: U32::new(0),
            target,
        })
    }

    /// A Neighbor Advertisement for `target` with the R, S and O flags.
    ///
    /// ```
    /// use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// let NdpBody::NeighborAdvertisement(na) = NdpBody::neighbor_advertisement(Ipv6Addr::UNSPECIFIED, false, true, true)
    /// else { unreachable!() };
    /// assert!(!na.router() && na.solicited() && na.override_flag());
    /// ```
    #[must_use]
    pub fn neighbor_advertisement(
        target: Ipv6Addr,
        router: bool,
        solicited: bool,
        override_flag: bool,
    ) -> Self {
        let flags = (u32::from(router) << 31)
            | (u32::from(solicited) << 30)
            | (u32::from(override_flag) << 29);
        NdpBody::NeighborAdvertisement(NeighborAdvertisement {
            flags: U32::new(flags),
            target,
        })
    }

    /// A Redirect of traffic for `destination` to the better first hop `target`.
    ///
    /// ```
    /// use zerocast_wire::{ndp::NdpBody, Ipv6Addr};
    /// let better_hop = Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    /// let destination = Ipv6Addr([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    /// let body = NdpBody::redirect(better_hop, destination);
    /// let NdpBody::Redirect(r) = body else { unreachable!() };
    /// assert_eq!((r.target, r.destination), (better_hop, destination));
    /// ```
    #[must_use]
    pub fn redirect(target: Ipv6Addr, destination: Ipv6Addr) -> Self {
        NdpBody::Redirect(Redirect {
            reserved: U32::new(0),
            target,
            destination,
        })
    }

    /// The ICMPv6 type.
    ///
    /// ```
    /// use zerocast_wire::{icmpv6::TYPE_REDIRECT, ndp::NdpBody, Ipv6Addr};
    /// let redirect = NdpBody::redirect(Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED);
    /// assert_eq!(redirect.msg_type(), TYPE_REDIRECT);
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        match self {
            NdpBody::RouterSolicitation(_) => 133,
            NdpBody::RouterAdvertisement(_) => 134,
            NdpBody::NeighborSolicitation(_) => 135,
            NdpBody::NeighborAdvertisement(_) => 136,
            NdpBody::Redirect(_) => 137,
        }
    }

    /// The body's bytes, as they go on the wire.
    fn as_wire_bytes(&self) -> &[u8] {
        match self {
            NdpBody::RouterSolicitation(b) => b.as_bytes(),
            NdpBody::RouterAdvertisement(b) => b.as_bytes(),
            NdpBody::NeighborSolicitation(b) => b.as_bytes(),
            NdpBody::NeighborAdvertisement(b) => b.as_bytes(),
            NdpBody::Redirect(b) => b.as_bytes(),
        }
    }
}

/// A whole NDP message (ICMPv6 header, body, options) with its checksum, as an
/// [`InnerPacketBuilder`](zerocast_packet::InnerPacketBuilder): wrap it in the IPv6 builder.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{icmpv6::{Icmpv6Message, Icmpv6Packet}, ndp::{NdpBody, NdpBuilder, NdpOptionRepr}};
/// use zerocast_wire::{MacAddr, PseudoHeader};
/// let me: zerocast_wire::Ipv6Addr = "fe80::1".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let ph = PseudoHeader::V6 { src: me, dst: "ff02::2".parse::<core::net::Ipv6Addr>().unwrap().into() };
/// let slla = [NdpOptionRepr::SourceLinkLayer(MacAddr([2, 0, 0, 0, 0, 1]))];
/// let rs = NdpBuilder::new(NdpBody::router_solicitation(), &slla, ph).unwrap();
/// let m = rs.into_serializer().serialize_vec_outer().unwrap();
/// let icmp = Icmpv6Packet::parse(m.as_ref(), ph).unwrap(); // checksum verified
/// assert!(matches!(icmp.message(), Icmpv6Message::RouterSolicitation(..)));
/// assert_eq!(icmp.ndp_options().count(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NdpBuilder<'a> {
    body: NdpBody,
    options: &'a [NdpOptionRepr<'a>],
    pseudo: PseudoHeader,
    len: usize,
}

impl<'a> NdpBuilder<'a> {
    /// Checks the options' lengths once and measures the message.
    ///
    /// # Errors
    /// `BadOption` for an option longer than [`MAX_OPTION_LEN`]; `BadLength` for a message
    /// longer than an IPv6 payload can be.
    ///
    /// ```
    /// use zerocast_wire::{ndp::{NdpBody, NdpBuilder, NdpOptionRepr}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let nonce = [NdpOptionRepr::Nonce(&[1, 2, 3, 4, 5, 6])];
    /// let body = NdpBody::neighbor_solicitation(Ipv6Addr::UNSPECIFIED);
    /// let ns = NdpBuilder::new(body, &nonce, ph)?;
    /// assert_eq!(ns.len(), 4 + 20 + 8);
    /// // An option too long for its 8-bit length field is refused up front:
    /// let huge = [0u8; 2048];
    /// let too_long = [NdpOptionRepr::Nonce(&huge)];
    /// assert!(NdpBuilder::new(NdpBody::router_solicitation(), &too_long, ph).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn new(
        body: NdpBody,
        options: &'a [NdpOptionRepr<'a>],
        pseudo: PseudoHeader,
    ) -> Result<Self, ParseError> {
        let mut len = HEADER_LEN + body.as_wire_bytes().len();
        for option in options {
            if option.len() > MAX_OPTION_LEN {
                let kind = option.kind();
                return Err(ParseError::new(
                    Layer::Icmpv6,
                    ErrorKind::BadOption { kind },
                    len,
                ));
            }
            len += option.len();
        }
        if len > usize::from(u16::MAX) {
            return Err(ParseError::new(Layer::Icmpv6, ErrorKind::BadLength(len), 0));
        }
        Ok(NdpBuilder {
            body,
            options,
            pseudo,
            len,
        })
    }

    /// The message length in bytes.
    ///
    /// ```
    /// use zerocast_wire::ndp::{NdpBody, NdpBuilder, NdpOptionRepr};
    /// use zerocast_wire::{Ipv6Addr, MacAddr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let slla = [NdpOptionRepr::SourceLinkLayer(MacAddr([2, 0, 0, 0, 0, 1]))];
    /// let rs = NdpBuilder::new(NdpBody::router_solicitation(), &slla, ph)?;
    /// assert_eq!(rs.len(), 4 + 4 + 8); // ICMPv6 header, reserved word, one option
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a message is never empty
    pub fn len(&self) -> usize {
        self.len
    }

    /// Writes the message into the front of `out` and returns its length.
    ///
    /// # Errors
    /// `Truncated` when `out` is shorter than [`NdpBuilder::len`].
    ///
    /// ```
    /// use zerocast_wire::{ndp::{NdpBody, NdpBuilder}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let ns = NdpBuilder::new(NdpBody::neighbor_solicitation(Ipv6Addr::UNSPECIFIED), &[], ph)?;
    /// assert!(ns.emit(&mut [0u8; 23]).is_err());
    /// assert_eq!(ns.emit(&mut [0u8; 24])?, 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ParseError> {
        let (header, rest) = build::message_parts(out, self.len, HEADER_LEN, Layer::Icmpv6)?;
        let mut w = Writer::new(rest, Layer::Icmpv6);
        w.put(self.body.as_wire_bytes())?;
        let mut at = w.written();
        for option in self.options {
            at += option.emit(rest.get_mut(at..).unwrap_or_default())?;
        }
        let repr = Icmpv6Repr {
            msg_type: self.body.msg_type(),
            code: 0,
        };
        repr.emit_parts(header, rest, self.pseudo);
        Ok(self.len)
    }
}

impl zerocast_packet::InnerPacketBuilder for NdpBuilder<'_> {
    fn bytes_len(&self) -> usize {
        self.len
    }

    fn serialize(&self, buffer: &mut [u8]) {
        // `buffer` is exactly `len` bytes and the options were measured by `new`.
        let emitted = self.emit(buffer);
        debug_assert!(emitted.is_ok(), "NDP message measured by new: {emitted:?}");
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use zerocast::FromZeros;

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

    fn ph() -> PseudoHeader {
        PseudoHeader::V6 {
            src: Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            dst: Ipv6Addr([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
        }
    }

    fn build(body: NdpBody, options: &[NdpOptionRepr<'_>]) -> std::vec::Vec<u8> {
        let b = NdpBuilder::new(body, options, ph()).unwrap();
        let mut out = std::vec![0u8; b.len()];
        assert_eq!(b.emit(&mut out).unwrap(), out.len());
        out
    }

    #[test]
    fn router_advertisement_with_every_option_kind_parses_back_and_reemits() {
        use crate::icmpv6::{Icmpv6Message, Icmpv6Packet};
        let mut prefix = PrefixInformation::new_zeroed();
        prefix.prefix_len = 64;
        prefix.flags = 0xc0;
        prefix.valid_lifetime.set(7200);
        let dns = [Ipv6Addr([0xfd; 16])];
        let options = [
            NdpOptionRepr::SourceLinkLayer(MacAddr([2, 0, 0, 0, 0, 1])),
            NdpOptionRepr::Mtu(1280),
            NdpOptionRepr::PrefixInformation(prefix),
            NdpOptionRepr::Rdnss {
                lifetime: 300,
                servers: &dns,
            },
            NdpOptionRepr::Nonce(&[1, 2, 3, 4, 5, 6]),
            NdpOptionRepr::Raw {
                kind: 31,
                data: &[9, 9, 9],
            },
        ];
        let body = NdpBody::router_advertisement(64, 0x80, 600, 1, 2);
        let m = build(body, &options);
        assert_eq!(m.len(), 4 + 12 + 8 + 8 + 32 + 24 + 8 + 8);
        let icmp = Icmpv6Packet::parse(&m[..], ph()).unwrap();
        let Icmpv6Message::RouterAdvertisement(ra, opts) = icmp.message() else {
            panic!("{:?}", icmp.message());
        };
        assert_eq!(NdpBody::RouterAdvertisement(*ra), body);
        let decoded: std::vec::Vec<_> = opts.clone().map(|o| o.unwrap().decode()).collect();
        assert_eq!(decoded[1], NdpOption::Mtu(1280));
        assert_eq!(decoded[2], NdpOption::PrefixInformation(&prefix));
        assert_eq!(
            decoded[3],
            NdpOption::Rdnss {
                lifetime: 300,
                servers: &[0xfd; 16]
            }
        );
        assert_eq!(
            decoded[5],
            NdpOption::Unknown {
                kind: 31,
                data: &[9, 9, 9, 0, 0, 0]
            }
        );
        let raw: std::vec::Vec<_> = opts.map(|o| NdpOptionRepr::from(o.unwrap())).collect();
        assert_eq!(build(NdpBody::RouterAdvertisement(*ra), &raw), m);
    }

    #[test]
    fn redirected_header_is_padded_to_whole_units_after_six_reserved_bytes() {
        let body = NdpBody::redirect(Ipv6Addr([1; 16]), Ipv6Addr([2; 16]));
        let m = build(body, &[NdpOptionRepr::RedirectedHeader(&[0x60, 1, 2])]);
        assert_eq!(m.len(), 4 + 36 + 16);
        assert_eq!(
            &m[40..],
            &[4, 2, 0, 0, 0, 0, 0, 0, 0x60, 1, 2, 0, 0, 0, 0, 0]
        );
        let icmp = crate::icmpv6::Icmpv6Packet::parse(&m[..], ph()).unwrap();
        let opt = icmp.ndp_options().next().unwrap().unwrap();
        assert_eq!(
            opt.decode(),
            NdpOption::RedirectedHeader(&[0x60, 1, 2, 0, 0, 0, 0, 0])
        );
    }

    #[test]
    fn oversized_option_and_short_buffer_are_errors() {
        let huge = [0u8; MAX_OPTION_LEN];
        let too_long = [NdpOptionRepr::Nonce(&huge)];
        let e = NdpBuilder::new(NdpBody::router_solicitation(), &too_long, ph()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadOption { kind: OPT_NONCE });
        let b = NdpBuilder::new(NdpBody::router_solicitation(), &[], ph()).unwrap();
        assert!(b.emit(&mut [0u8; 7]).is_err());
    }

    #[test]
    fn option_past_end_is_error() {
        assert!(NdpOptions::new(&[1, 2, 0, 0, 0, 0, 0, 0])
            .next()
            .unwrap()
            .is_err());
    }
}
