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
//! [`MldBuilder`] builds any of them, records and checksum included, from an [`MldMessage`].

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::addr::Ipv6Addr;
use crate::build::{self, check_record_counts, count_u16, Writer};
use crate::error::{ErrorKind, Layer, ParseError};
use crate::icmpv6::{Icmpv6Repr, HEADER_LEN};
use crate::ip::PseudoHeader;

/// The body shared by queries, v1 reports and done messages.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (m, rest) = zerocast_wire::mld::MldV1::ref_from_prefix(&[0u8; 20][..])?;
/// assert!(m.group.is_unspecified() && rest.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// let (q, _) = zerocast_wire::mld::MldV2QueryTail::ref_from_prefix(&[0x02u8, 125, 0, 0][..])?;
/// assert_eq!((q.qrv(), q.qqic), (2, 125));
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    ///
    /// ```
    /// use zerocast_wire::mld::MldV2QueryTail;
    /// use zerocast_wire::zerocast::byteorder::network_endian::U16;
    /// let tail = MldV2QueryTail { s_qrv: 0x0a, qqic: 125, num_sources: U16::new(0) };
    /// assert_eq!(tail.qrv(), 2); // the low 3 bits; bit 3 is the S flag
    /// ```
    #[must_use]
    pub fn qrv(&self) -> u8 {
        self.s_qrv & 7
    }
    /// Suppress router-side processing flag.
    ///
    /// ```
    /// use zerocast_wire::mld::MldV2QueryTail;
    /// use zerocast_wire::zerocast::byteorder::network_endian::U16;
    /// let tail = MldV2QueryTail { s_qrv: 0x0a, qqic: 125, num_sources: U16::new(0) };
    /// assert!(tail.suppress());
    /// ```
    #[must_use]
    pub fn suppress(&self) -> bool {
        self.s_qrv & 8 != 0
    }
}

/// The fixed part of an MLDv2 report after the ICMPv6 header.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let (r, _) = zerocast_wire::mld::MldV2Report::ref_from_prefix(&[0u8, 0, 0, 1][..])?;
/// assert_eq!(r.num_records.get(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
///
/// ```
/// use zerocast_wire::{mld::MldV2RecordHeader, zerocast::FromBytes};
/// # // One record: change to exclude mode (4) for ff02::16, no sources
/// # let mut rec = [0u8; 20];
/// # rec[0] = 4;
/// # rec[4..6].copy_from_slice(&[0xff, 0x02]);
/// # rec[19] = 0x16;
/// let header = MldV2RecordHeader::ref_from_bytes(&rec[..]).map_err(|_| "not 20 bytes")?;
/// assert_eq!((header.record_type, header.num_sources.get()), (4, 0));
/// assert_eq!(header.group.to_string(), "ff02::16");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
///
/// ```
/// use zerocast_wire::mld::MldV2Records;
/// # // One record: change to exclude mode (4) for ff02::16, no sources
/// # let mut rec = [0u8; 20];
/// # rec[0] = 4;
/// # rec[4..6].copy_from_slice(&[0xff, 0x02]);
/// # rec[19] = 0x16;
/// assert_eq!(MldV2Records::new(&rec, 1).count(), 1);
/// // A report that promises 2 records but holds 1 ends in an error, not a panic:
/// let mut records = MldV2Records::new(&rec, 2);
/// assert!(records.next().is_some_and(|r| r.is_ok()));
/// assert!(records.next().is_some_and(|r| r.is_err()));
/// assert!(records.next().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct MldV2Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: u16,
}

impl<'a> MldV2Records<'a> {
    /// Iterates over `count` records in `bytes` (the report after its 4-byte fixed part).
    ///
    /// ```
    /// use zerocast_wire::mld::MldV2Records;
    /// # // One record: change to exclude mode (4) for ff02::16, no sources
    /// # let mut rec = [0u8; 20];
    /// # rec[0] = 4;
    /// # rec[4..6].copy_from_slice(&[0xff, 0x02]);
    /// # rec[19] = 0x16;
    /// let record = MldV2Records::new(&rec, 1).next().ok_or("no record")??;
    /// assert_eq!(record.header.record_type, 4);
    /// assert!(record.sources.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

impl MldV1 {
    /// A query, v1 report or done body: Maximum Response Code (milliseconds in MLDv1) and
    /// multicast address (unspecified in a general query).
    ///
    /// ```
    /// use zerocast_wire::{mld::MldV1, Ipv6Addr};
    /// assert_eq!(MldV1::new(10_000, Ipv6Addr::UNSPECIFIED).max_response.get(), 10_000);
    /// ```
    #[must_use]
    pub fn new(max_response: u16, group: Ipv6Addr) -> Self {
        MldV1 {
            max_response: U16::new(max_response),
            reserved: U16::new(0),
            group,
        }
    }
}

impl<'a> MldV2Record<'a> {
    /// The record's values for building it again, byte for byte.
    ///
    /// ```
    /// use zerocast_wire::mld::MldV2Records;
    /// let mut rec = [0u8; 36];
    /// rec[0] = 1;
    /// rec[3] = 1; // one source
    /// let r = MldV2Records::new(&rec, 1).next().unwrap().unwrap();
    /// assert_eq!(r.repr().sources.len(), 1);
    /// ```
    #[must_use]
    pub fn repr(&self) -> MldV2RecordRepr<'a> {
        MldV2RecordRepr {
            record_type: self.header.record_type,
            group: self.header.group,
            // The iterator cut `sources` to a multiple of 16 bytes, so the cast succeeds.
            sources: <[Ipv6Addr]>::ref_from_bytes(self.sources).unwrap_or(&[]),
            aux: self.aux,
        }
    }
}

/// Longest auxiliary data of a record: its length byte counts 32-bit words.
pub const MAX_AUX_LEN: usize = crate::build::MAX_AUX_LEN;

/// An MLDv2 multicast address record to build (RFC 9777 section 5.2.4).
///
/// ```
/// use zerocast_wire::{mld::MldV2RecordRepr, Ipv6Addr};
/// let rec = MldV2RecordRepr { record_type: 4, group: Ipv6Addr::UNSPECIFIED, sources: &[], aux: &[] };
/// assert_eq!(rec.len(), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MldV2RecordRepr<'a> {
    /// Record type (1..=6).
    pub record_type: u8,
    /// Multicast address.
    pub group: Ipv6Addr,
    /// Source addresses.
    pub sources: &'a [Ipv6Addr],
    /// Auxiliary data, a multiple of 4 bytes.
    pub aux: &'a [u8],
}

impl MldV2RecordRepr<'_> {
    /// Length on the wire.
    ///
    /// ```
    /// use zerocast_wire::{mld::MldV2RecordRepr, Ipv6Addr};
    /// let sources = [Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])];
    /// let group = Ipv6Addr([0xff, 0x3e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    /// let record = MldV2RecordRepr { record_type: 1, group, sources: &sources, aux: &[] };
    /// assert_eq!(record.len(), 20 + 16);
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a record is never empty
    pub fn len(&self) -> usize {
        20 + self.sources.as_bytes().len() + self.aux.len()
    }

    /// Checks the counts fit their fields.
    fn validate(&self, at: usize) -> Result<(), ParseError> {
        check_record_counts(Layer::Icmpv6, self.aux, self.sources.len(), at + 1)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), ParseError> {
        let header = MldV2RecordHeader {
            record_type: self.record_type,
            // Both counts were checked by `validate`.
            aux_len: u8::try_from(self.aux.len() / 4).unwrap_or(u8::MAX),
            num_sources: U16::new(u16::try_from(self.sources.len()).unwrap_or(u16::MAX)),
            group: self.group,
        };
        w.put(header.as_bytes())?;
        w.put(self.sources.as_bytes())?;
        w.put(self.aux)
    }
}

/// An MLD message to build, by type.
///
/// ```
/// use zerocast_wire::{mld::{MldMessage, MldV1}, Ipv6Addr};
/// let done = MldMessage::Done(MldV1::new(0, Ipv6Addr::UNSPECIFIED));
/// assert_eq!(done.msg_type(), 132);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MldMessage<'a> {
    /// MLDv1 query (type 130, 24 bytes).
    V1Query(MldV1),
    /// MLDv1 report (type 131).
    V1Report(MldV1),
    /// MLDv1 done (type 132).
    Done(MldV1),
    /// MLDv2 query (type 130, 28 bytes or more).
    V2Query {
        /// Maximum Response Code, reserved and multicast address.
        query: MldV1,
        /// Reserved (4 bits), S flag, QRV.
        s_qrv: u8,
        /// Querier's query interval code.
        qqic: u8,
        /// Source addresses.
        sources: &'a [Ipv6Addr],
    },
    /// MLDv2 report (type 143).
    V2Report {
        /// The multicast address records.
        records: &'a [MldV2RecordRepr<'a>],
    },
}

impl MldMessage<'_> {
    /// The ICMPv6 type.
    ///
    /// ```
    /// use zerocast_wire::mld::MldMessage;
    /// assert_eq!(MldMessage::V2Report { records: &[] }.msg_type(), 143);
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        match self {
            MldMessage::V1Query(_) | MldMessage::V2Query { .. } => 130,
            MldMessage::V1Report(_) => 131,
            MldMessage::Done(_) => 132,
            MldMessage::V2Report { .. } => 143,
        }
    }

    /// The body length after the ICMPv6 header.
    fn body_len(&self) -> usize {
        match self {
            MldMessage::V1Query(_) | MldMessage::V1Report(_) | MldMessage::Done(_) => 20,
            MldMessage::V2Query { sources, .. } => 24 + sources.as_bytes().len(),
            MldMessage::V2Report { records } => 4 + records.iter().map(|r| r.len()).sum::<usize>(),
        }
    }

    fn validate(&self) -> Result<(), ParseError> {
        match self {
            MldMessage::V2Query { sources, .. } => {
                count_u16(Layer::Icmpv6, sources.len(), HEADER_LEN + 22)?;
            }
            MldMessage::V2Report { records } => {
                count_u16(Layer::Icmpv6, records.len(), HEADER_LEN + 2)?;
                let mut at = HEADER_LEN + 4;
                for record in *records {
                    record.validate(at)?;
                    at += record.len();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), ParseError> {
        match self {
            MldMessage::V1Query(m) | MldMessage::V1Report(m) | MldMessage::Done(m) => {
                w.put(m.as_bytes())
            }
            MldMessage::V2Query {
                query,
                s_qrv,
                qqic,
                sources,
            } => {
                w.put(query.as_bytes())?;
                let tail = MldV2QueryTail {
                    s_qrv: *s_qrv,
                    qqic: *qqic,
                    num_sources: U16::new(count_u16(Layer::Icmpv6, sources.len(), 0)?),
                };
                w.put(tail.as_bytes())?;
                w.put(sources.as_bytes())
            }
            MldMessage::V2Report { records } => {
                let report = MldV2Report {
                    reserved: U16::new(0),
                    num_records: U16::new(count_u16(Layer::Icmpv6, records.len(), 0)?),
                };
                w.put(report.as_bytes())?;
                records.iter().try_for_each(|r| r.write(w))
            }
        }
    }
}

/// A whole MLD message (ICMPv6 header, body, records) with its checksum, as an
/// [`InnerPacketBuilder`](zerocast_packet::InnerPacketBuilder): wrap it in the IPv6 builder
/// (with a Hop-by-Hop Router Alert, as RFC 9777 requires).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
/// use zerocast_wire::mld::{MldBuilder, MldMessage, MldV2RecordRepr};
/// use zerocast_wire::{Ipv6Addr, PseudoHeader};
/// let group: Ipv6Addr = "ff02::fb".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: group };
/// let join = [MldV2RecordRepr { record_type: 4, group, sources: &[], aux: &[] }];
/// let report = MldBuilder::new(MldMessage::V2Report { records: &join }, ph).unwrap();
/// let m = report.into_serializer().serialize_vec_outer().unwrap();
/// let icmp = Icmpv6Packet::parse(m.as_ref(), ph).unwrap();
/// let Icmpv6Message::MldV2Report(_, mut records) = icmp.message() else { unreachable!() };
/// assert_eq!(records.next().unwrap().unwrap().header.group, group);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MldBuilder<'a> {
    message: MldMessage<'a>,
    pseudo: PseudoHeader,
    len: usize,
}

impl<'a> MldBuilder<'a> {
    /// Checks the counts once and measures the message.
    ///
    /// # Errors
    /// `BadLength` for more than 65535 sources or records, auxiliary data that is not a
    /// multiple of 4 bytes or longer than [`MAX_AUX_LEN`], or a message longer than an IPv6
    /// payload can be.
    ///
    /// ```
    /// use zerocast_wire::{mld::{MldBuilder, MldMessage, MldV2RecordRepr}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let bad = [MldV2RecordRepr { record_type: 1, group: Ipv6Addr::UNSPECIFIED, sources: &[], aux: &[1, 2] }];
    /// assert!(MldBuilder::new(MldMessage::V2Report { records: &bad }, ph).is_err());
    /// ```
    pub fn new(message: MldMessage<'a>, pseudo: PseudoHeader) -> Result<Self, ParseError> {
        message.validate()?;
        let len = HEADER_LEN + message.body_len();
        if len > usize::from(u16::MAX) {
            return Err(ParseError::new(Layer::Icmpv6, ErrorKind::BadLength(len), 0));
        }
        Ok(MldBuilder {
            message,
            pseudo,
            len,
        })
    }

    /// The message length in bytes.
    ///
    /// ```
    /// use zerocast_wire::{mld::{MldBuilder, MldMessage, MldV2RecordRepr}, Ipv6Addr, PseudoHeader};
    /// let group = Ipv6Addr([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb]);
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: group };
    /// let join = [MldV2RecordRepr { record_type: 4, group, sources: &[], aux: &[] }];
    /// let report = MldBuilder::new(MldMessage::V2Report { records: &join }, ph)?;
    /// assert_eq!(report.len(), 4 + 4 + 20); // ICMPv6 header, report header, one record
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
    /// `Truncated` when `out` is shorter than [`MldBuilder::len`].
    ///
    /// ```
    /// use zerocast_wire::{mld::{MldBuilder, MldMessage, MldV1}, Ipv6Addr, PseudoHeader};
    /// let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    /// let q = MldBuilder::new(MldMessage::V1Query(MldV1::new(1000, Ipv6Addr::UNSPECIFIED)), ph)?;
    /// assert_eq!(q.emit(&mut [0u8; 64])?, 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ParseError> {
        let (header, body) = build::message_parts(out, self.len, HEADER_LEN, Layer::Icmpv6)?;
        self.message.write(&mut Writer::new(body, Layer::Icmpv6))?;
        let repr = Icmpv6Repr {
            msg_type: self.message.msg_type(),
            code: 0,
        };
        repr.emit_parts(header, body, self.pseudo);
        Ok(self.len)
    }
}

impl zerocast_packet::InnerPacketBuilder for MldBuilder<'_> {
    fn bytes_len(&self) -> usize {
        self.len
    }

    fn serialize(&self, buffer: &mut [u8]) {
        // `buffer` is exactly `len` bytes and the counts were checked by `new`.
        let emitted = self.emit(buffer);
        debug_assert!(emitted.is_ok(), "MLD message checked by new: {emitted:?}");
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::icmpv6::{Icmpv6Message, Icmpv6Packet};

    fn ph() -> PseudoHeader {
        PseudoHeader::V6 {
            src: Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]),
            dst: Ipv6Addr([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16]),
        }
    }

    fn build(message: MldMessage<'_>) -> std::vec::Vec<u8> {
        let b = MldBuilder::new(message, ph()).unwrap();
        let mut out = std::vec![0u8; b.len()];
        assert_eq!(b.emit(&mut out).unwrap(), out.len());
        out
    }

    #[test]
    fn v2_report_with_sources_and_aux_data_parses_back_and_reemits() {
        let sources = [Ipv6Addr([0xfd; 16]), Ipv6Addr([0xfe; 16])];
        let records = [
            MldV2RecordRepr {
                record_type: 3,
                group: Ipv6Addr([0xff; 16]),
                sources: &sources,
                aux: &[1, 2, 3, 4],
            },
            MldV2RecordRepr {
                record_type: 2,
                group: Ipv6Addr([0xff; 16]),
                sources: &[],
                aux: &[],
            },
        ];
        let m = build(MldMessage::V2Report { records: &records });
        assert_eq!(m.len(), 8 + 20 + 32 + 4 + 20);
        let icmp = Icmpv6Packet::parse(&m[..], ph()).unwrap();
        let Icmpv6Message::MldV2Report(_, recs) = icmp.message() else {
            panic!("{:?}", icmp.message());
        };
        let parsed: std::vec::Vec<_> = recs.map(|r| r.unwrap().repr()).collect();
        assert_eq!(parsed, records);
        assert_eq!(build(MldMessage::V2Report { records: &parsed }), m);
    }

    #[test]
    fn v2_query_is_told_apart_from_v1_by_its_length() {
        let group = Ipv6Addr([0xff; 16]);
        let v1 = build(MldMessage::V1Query(MldV1::new(500, group)));
        let v2 = build(MldMessage::V2Query {
            query: MldV1::new(500, group),
            s_qrv: 2,
            qqic: 60,
            sources: &[],
        });
        assert_eq!((v1.len(), v2.len()), (24, 28));
        let icmp = Icmpv6Packet::parse(&v2[..], ph()).unwrap();
        let Icmpv6Message::MldV2Query(q, tail, sources) = icmp.message() else {
            panic!("{:?}", icmp.message());
        };
        assert_eq!(
            (q.max_response.get(), tail.qrv(), tail.qqic, sources.len()),
            (500, 2, 60, 0)
        );
        let icmp = Icmpv6Packet::parse(&v1[..], ph()).unwrap();
        assert!(matches!(icmp.message(), Icmpv6Message::MldV1Query(_)));
    }

    #[test]
    fn counts_beyond_their_fields_are_rejected() {
        let many = std::vec![Ipv6Addr([0; 16]); 65_536];
        let q = MldMessage::V2Query {
            query: MldV1::new(0, Ipv6Addr([0; 16])),
            s_qrv: 0,
            qqic: 0,
            sources: &many,
        };
        assert!(matches!(
            MldBuilder::new(q, ph()).unwrap_err().kind(),
            ErrorKind::BadLength(65_536)
        ));
    }
}
