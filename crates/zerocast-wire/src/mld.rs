//! Multicast Listener Discovery: MLDv1 (RFC 2710) and MLDv2 (RFC 9777) message bodies.
//!
//! ```text
//! Query (130) / v1 Report (131) / Done (132), after the 4-byte ICMPv6 header:
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Maximum Response Code     |           Reserved            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                 Multicast Address (128 bits)                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | (v2 query) Resv|S|QRV|  QQIC  |     Number of Sources (N)     |
//! |                 Source Addresses [N]                          ~
//!
//! v2 Report (143): Reserved (16) | Nr of Mcast Address Records (16) | records:
//! | Record Type | Aux Data Len | Number of Sources | Multicast Address | Sources | Aux |
//! ```
//!
//! A query is MLDv2 when its ICMPv6 message is at least 28 bytes long (RFC 9777 section 8.1).

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::addr::Ipv6Addr;
use crate::error::{ErrorKind, Layer, ParseError};

/// The body shared by queries, v1 reports and done messages.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (m, rest) = zerocast_wire::mld::MldV1::ref_from_prefix(&[0u8; 20][..]).unwrap();
/// assert!(m.group.is_unspecified() && rest.is_empty());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct MldV1 {
    /// Maximum response code (delay in ms for v1).
    pub max_response: U16,
    /// Reserved.
    pub reserved: U16,
    /// Multicast address (unspecified in a general query).
    pub group: Ipv6Addr,
}

/// The fields an MLDv2 query adds after [`MldV1`].
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (q, _) = zerocast_wire::mld::MldV2QueryTail::ref_from_prefix(&[0x02u8, 125, 0, 0][..]).unwrap();
/// assert_eq!((q.qrv(), q.qqic), (2, 125));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct MldV2QueryTail {
    /// Reserved (4 bits), S flag, QRV (3 bits).
    pub s_qrv: u8,
    /// Querier's query interval code.
    pub qqic: u8,
    /// Number of source addresses.
    pub num_sources: U16,
}

impl MldV2QueryTail {
    /// Querier robustness variable.
    #[must_use]
    pub fn qrv(&self) -> u8 {
        self.s_qrv & 7
    }
    /// Suppress router-side processing flag.
    #[must_use]
    pub fn suppress(&self) -> bool {
        self.s_qrv & 8 != 0
    }
}

/// The fixed part of an MLDv2 report after the ICMPv6 header.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (r, _) = zerocast_wire::mld::MldV2Report::ref_from_prefix(&[0u8, 0, 0, 1][..]).unwrap();
/// assert_eq!(r.num_records.get(), 1);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct MldV2Report {
    /// Reserved.
    pub reserved: U16,
    /// Number of multicast address records.
    pub num_records: U16,
}

/// The fixed part of one MLDv2 multicast address record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct MldV2RecordHeader {
    /// Record type (1..=6: mode is include/exclude, change to include/exclude, allow, block).
    pub record_type: u8,
    /// Auxiliary data length in 32-bit words.
    pub aux_len: u8,
    /// Number of sources.
    pub num_sources: U16,
    /// Multicast address.
    pub group: Ipv6Addr,
}

/// One multicast address record of an MLDv2 report.
///
/// ```
/// use zerocast_wire::mld::MldV2Records;
/// let mut rec = [0u8; 20];
/// rec[0] = 4; // change to exclude
/// rec[4] = 0xff;
/// rec[5] = 0x02;
/// rec[19] = 0x16;
/// let r = MldV2Records::new(&rec, 1).next().unwrap().unwrap();
/// assert_eq!((r.header.record_type, r.header.group.to_string()), (4, "ff02::16".to_string()));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MldV2Record<'a> {
    /// The fixed fields, cast in place.
    pub header: &'a MldV2RecordHeader,
    /// Source addresses, 16 bytes each.
    pub sources: &'a [u8],
    /// Auxiliary data.
    pub aux: &'a [u8],
}

/// Iterator over `count` MLDv2 records; a record running past the end yields an error.
#[derive(Debug, Clone)]
pub struct MldV2Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: u16,
}

impl<'a> MldV2Records<'a> {
    /// Iterates over `count` records in `bytes` (the report after its 4-byte fixed part).
    #[must_use]
    pub fn new(bytes: &'a [u8], count: u16) -> Self {
        MldV2Records {
            bytes,
            pos: 0,
            left: count,
        }
    }
}

impl<'a> Iterator for MldV2Records<'a> {
    type Item = Result<MldV2Record<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let fail = |pos: usize| ParseError::new(Layer::Icmpv6, ErrorKind::BadLength(pos), pos);
        let Ok((header, after)) = MldV2RecordHeader::ref_from_prefix(rest) else {
            self.left = 0;
            return Some(Err(fail(self.pos)));
        };
        let src_len = usize::from(header.num_sources.get()) * 16;
        let aux_len = usize::from(header.aux_len) * 4;
        let (Some(sources), Some(aux)) =
            (after.get(..src_len), after.get(src_len..src_len + aux_len))
        else {
            self.left = 0;
            return Some(Err(fail(self.pos)));
        };
        self.pos += 20 + src_len + aux_len;
        Some(Ok(MldV2Record {
            header,
            sources,
            aux,
        }))
    }
}
