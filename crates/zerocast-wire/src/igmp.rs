//! IGMP versions 1, 2 and 3 (RFC 1112, RFC 2236, RFC 3376).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |      Type     | Max Resp Code |           Checksum            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Group Address  (v3 report: Reserved | Number of Group Records)|
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | v3 query: Resv|S|QRV|  QQIC  | Number of Sources | Sources... ~
//! | v3 report: group records (type, aux len, #sources, group, ...)~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The version of a query follows from its length and Max Resp Code (RFC 3376 section 7.1).

use core::fmt;

use zerocast::byteorder::network_endian::U16;
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::addr::Ipv4Addr;
use crate::build::{self, check_record_counts, count_u16, Writer};
use crate::checksum::Checksum;
use crate::error::{ErrorKind, Layer, ParseError};
use crate::parse::{lenient, take_header, ChecksumPolicy, ChecksumStatus, Lenient, ParseOptions};
pub use crate::partial::IgmpPartial;

/// Length of the common header.
pub const HEADER_LEN: usize = 8;
/// Membership query (all versions).
pub const TYPE_QUERY: u8 = 0x11;
/// IGMPv1 membership report.
pub const TYPE_V1_REPORT: u8 = 0x12;
/// IGMPv2 membership report.
pub const TYPE_V2_REPORT: u8 = 0x16;
/// IGMPv2 leave group.
pub const TYPE_LEAVE: u8 = 0x17;
/// IGMPv3 membership report.
pub const TYPE_V3_REPORT: u8 = 0x22;

/// The common IGMP header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::igmp::IgmpHeader::ref_from_bytes(&[0x16u8, 0, 0, 0, 224, 0, 0, 251][..])?;
/// assert_eq!(h.word, [224, 0, 0, 251]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned,
)]
#[repr(C)]
pub struct IgmpHeader {
    /// Message type.
    pub msg_type: u8,
    /// Max response code (0 in v1 and in reports).
    pub max_resp: u8,
    /// Checksum over the whole message.
    pub checksum: U16,
    /// Group address, or for a v3 report: reserved (16) and number of records (16).
    pub word: [u8; 4],
}

/// A parsed IGMP message.
///
/// ```
/// use zerocast_wire::igmp::IgmpPacket;
/// # let b = zerocast_wire::igmp::__v3_report_example();
/// let igmp = IgmpPacket::parse(&b[..]).unwrap();
/// assert_eq!((igmp.version(), igmp.msg_type()), (3, 0x22));
/// let rec = igmp.v3_records().next().unwrap().unwrap();
/// assert_eq!(rec.group.to_string(), "239.7.7.7");
/// ```
pub struct IgmpPacket<B> {
    header: Ref<B, IgmpHeader>,
    body: B,
    checksum_status: ChecksumStatus,
}

impl<B: SplitByteSlice> IgmpPacket<B> {
    /// Parses strictly (checksum must be right).
    ///
    /// # Errors
    /// See [`IgmpPacket::parse_with`].
    ///
    /// ```
    /// assert!(zerocast_wire::igmp::IgmpPacket::parse(&[0x16u8, 0, 0, 0][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        Self::parse_with(bytes, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// `Truncated` under 8 bytes; `BadChecksum` with [`ChecksumPolicy::Reject`]; strict only:
    /// `BadLength` when v3 records or sources run past the end.
    ///
    /// ```
    /// use zerocast_wire::{igmp::IgmpPacket, ChecksumStatus, ParseOptions};
    /// let bad_sum = [0x16, 0, 0, 0, 239, 1, 2, 3];
    /// assert!(IgmpPacket::parse(&bad_sum[..]).is_err());
    /// let igmp = IgmpPacket::parse_with(&bad_sum[..], ParseOptions::LENIENT)?;
    /// assert_eq!(igmp.checksum_status(), ChecksumStatus::Bad);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_with(bytes: B, opts: ParseOptions) -> Result<Self, ParseError> {
        let (header, body) = take_header::<B, IgmpHeader>(bytes, Layer::Igmp)?;
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
                        Layer::Igmp,
                        ErrorKind::BadChecksum { found, expected },
                        2,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        let packet = IgmpPacket {
            header,
            body,
            checksum_status,
        };
        if !opts.allow_truncated {
            for rec in packet.v3_records() {
                rec?;
            }
            if let Some(q) = packet.v3_query() {
                if q.sources.len() < usize::from(q.num_sources) * 4 {
                    return Err(ParseError::new(
                        Layer::Igmp,
                        ErrorKind::BadLength(usize::from(q.num_sources)),
                        10,
                    ));
                }
            }
        }
        Ok(packet)
    }

    /// The header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.header().word, [239, 1, 2, 3]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &IgmpHeader {
        &self.header
    }
    /// Type (`igmp.type`).
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.msg_type(), zerocast_wire::igmp::TYPE_V2_REPORT);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        self.header.msg_type
    }
    /// Max response code.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv3 general query: Max Resp Code 100, QRV 2, QQIC 125, one source (10.0.0.1)
    /// # let bytes = [0x11, 100, 0xe2, 0x1c, 0, 0, 0, 0, 0x02, 125, 0, 1, 10, 0, 0, 1];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.max_resp(), 100); // 10 seconds
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn max_resp(&self) -> u8 {
        self.header.max_resp
    }
    /// Checksum as carried.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.checksum(), 0xf8fa);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the checksum check.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.checksum_status(), zerocast_wire::ChecksumStatus::Good);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// Bytes after the common header.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv3 general query: Max Resp Code 100, QRV 2, QQIC 125, one source (10.0.0.1)
    /// # let bytes = [0x11, 100, 0xe2, 0x1c, 0, 0, 0, 0, 0x02, 125, 0, 1, 10, 0, 0, 1];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.body(), &[0x02, 125, 0, 1, 10, 0, 0, 1]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// IGMP version (`igmp.version`): 1, 2 or 3, or 0 for an unknown type.
    ///
    /// ```
    /// use zerocast_wire::{igmp::IgmpPacket, ParseOptions};
    /// let v1_query = IgmpPacket::parse_with(&[0x11u8, 0, 0, 0, 0, 0, 0, 0][..], ParseOptions::LENIENT)?;
    /// assert_eq!(v1_query.version(), 1);
    /// let v2_query = IgmpPacket::parse_with(&[0x11u8, 100, 0, 0, 0, 0, 0, 0][..], ParseOptions::LENIENT)?;
    /// assert_eq!(v2_query.version(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> u8 {
        match self.msg_type() {
            TYPE_QUERY if self.body.len() >= 4 => 3,
            TYPE_QUERY if self.max_resp() == 0 => 1,
            TYPE_QUERY | TYPE_V2_REPORT | TYPE_LEAVE => 2,
            TYPE_V1_REPORT => 1,
            TYPE_V3_REPORT => 3,
            _ => 0,
        }
    }

    /// The group address (queries, v1/v2 reports, leave); `None` for v3 reports.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// assert_eq!(igmp.group(), Some(Ipv4Addr([239, 1, 2, 3])));
    /// # let v3 = zerocast_wire::igmp::__v3_report_example();
    /// assert_eq!(IgmpPacket::parse(&v3[..])?.group(), None); // v3 reports list groups in records
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn group(&self) -> Option<Ipv4Addr> {
        (self.msg_type() != TYPE_V3_REPORT).then_some(Ipv4Addr(self.header.word))
    }

    /// The v3 query fields, if this is one.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv3 general query: Max Resp Code 100, QRV 2, QQIC 125, one source (10.0.0.1)
    /// # let bytes = [0x11, 100, 0xe2, 0x1c, 0, 0, 0, 0, 0x02, 125, 0, 1, 10, 0, 0, 1];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// let q = igmp.v3_query().ok_or("not a v3 query")?;
    /// assert_eq!((q.s_qrv, q.qqic, q.num_sources, q.sources), (2, 125, 1, &[10, 0, 0, 1][..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn v3_query(&self) -> Option<IgmpV3Query<'_>> {
        if self.version() != 3 || self.msg_type() != TYPE_QUERY {
            return None;
        }
        match &self.body[..] {
            [s_qrv, qqic, n0, n1, sources @ ..] => Some(IgmpV3Query {
                s_qrv: *s_qrv,
                qqic: *qqic,
                num_sources: u16::from_be_bytes([*n0, *n1]),
                sources,
            }),
            _ => None,
        }
    }

    /// The group records of a v3 report (empty otherwise).
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv3 report with one record: change to exclude mode (4) for 239.7.7.7
    /// # let bytes = zerocast_wire::igmp::__v3_report_example();
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// let record = igmp.v3_records().next().ok_or("no records")??;
    /// assert_eq!((record.record_type, record.group), (4, Ipv4Addr([239, 7, 7, 7])));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn v3_records(&self) -> IgmpV3Records<'_> {
        let count = if self.msg_type() == TYPE_V3_REPORT {
            let [_, _, a, b] = self.header.word;
            u16::from_be_bytes([a, b])
        } else {
            0
        };
        IgmpV3Records {
            bytes: &self.body,
            pos: 0,
            left: count,
        }
    }

    /// The header's values.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let igmp = IgmpPacket::parse(&bytes[..])?;
    /// use zerocast_wire::igmp::{IgmpRepr, TYPE_V2_REPORT};
    /// let expected = IgmpRepr { msg_type: TYPE_V2_REPORT, max_resp: 0, word: [239, 1, 2, 3] };
    /// assert_eq!(igmp.repr(), expected);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> IgmpRepr {
        IgmpRepr {
            msg_type: self.msg_type(),
            max_resp: self.max_resp(),
            word: self.header.word,
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> IgmpPacket<B> {
    /// Recomputes the checksum.
    ///
    /// ```
    /// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
    /// # // IGMPv2 membership report for 239.1.2.3
    /// # let mut bytes = [0x16, 0, 0xf8, 0xfa, 239, 1, 2, 3];
    /// let mut igmp = IgmpPacket::parse(&mut bytes[..])?;
    /// igmp.update_checksum(); // nothing changed, so neither does the checksum
    /// assert_eq!(bytes[2..4], [0xf8, 0xfa]);
    /// bytes[0] = zerocast_wire::igmp::TYPE_LEAVE; // now a leave for the same group
    /// let lenient = zerocast_wire::ParseOptions::LENIENT; // the checksum is now wrong
    /// IgmpPacket::parse_with(&mut bytes[..], lenient)?.update_checksum();
    /// assert!(IgmpPacket::parse(&bytes[..]).is_ok());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn update_checksum(&mut self) {
        self.header.checksum.set(0);
        let mut c = Checksum::new();
        c.add_bytes(Ref::bytes(&self.header));
        c.add_bytes(&self.body);
        self.header.checksum.set(c.checksum());
    }
}

/// The fields an IGMPv3 query adds.
///
/// ```
/// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
/// # // IGMPv3 general query: Max Resp Code 100, QRV 2, QQIC 125, one source (10.0.0.1)
/// # let bytes = [0x11, 100, 0xe2, 0x1c, 0, 0, 0, 0, 0x02, 125, 0, 1, 10, 0, 0, 1];
/// let igmp = IgmpPacket::parse(&bytes[..])?;
/// use zerocast_wire::igmp::IgmpV3Query;
/// let expected = IgmpV3Query { s_qrv: 2, qqic: 125, num_sources: 1, sources: &[10, 0, 0, 1] };
/// assert_eq!(igmp.v3_query(), Some(expected));
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgmpV3Query<'a> {
    /// Reserved, S flag, QRV.
    pub s_qrv: u8,
    /// Querier's query interval code.
    pub qqic: u8,
    /// Number of sources.
    pub num_sources: u16,
    /// Source addresses (4 bytes each; may be short if the packet is malformed).
    pub sources: &'a [u8],
}

/// One IGMPv3 group record.
///
/// ```
/// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
/// # // IGMPv3 report with one record: change to exclude mode (4) for 239.7.7.7
/// # let bytes = zerocast_wire::igmp::__v3_report_example();
/// let igmp = IgmpPacket::parse(&bytes[..])?;
/// use zerocast_wire::igmp::IgmpV3Record;
/// let record = igmp.v3_records().next().ok_or("no records")??;
/// let group = Ipv4Addr([239, 7, 7, 7]);
/// let expected = IgmpV3Record { record_type: 4, group, sources: &[], aux: &[] };
/// assert_eq!(record, expected);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgmpV3Record<'a> {
    /// Record type (1..=6).
    pub record_type: u8,
    /// Multicast address.
    pub group: Ipv4Addr,
    /// Source addresses, 4 bytes each.
    pub sources: &'a [u8],
    /// Auxiliary data.
    pub aux: &'a [u8],
}

/// Iterator over v3 group records; one running past the end yields an error.
///
/// ```
/// # use zerocast_wire::{igmp::IgmpPacket, Ipv4Addr};
/// # // IGMPv3 report with one record: change to exclude mode (4) for 239.7.7.7
/// # let bytes = zerocast_wire::igmp::__v3_report_example();
/// let igmp = IgmpPacket::parse(&bytes[..])?;
/// assert_eq!(igmp.v3_records().count(), 1);
/// // A report that promises 2 records but holds 1 ends in an error, not a panic:
/// let mut two = bytes;
/// two[7] = 2;
/// let igmp = IgmpPacket::parse_with(&two[..], zerocast_wire::ParseOptions::LENIENT)?;
/// assert!(igmp.v3_records().nth(1).is_some_and(|r| r.is_err()));
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct IgmpV3Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: u16,
}

impl<'a> Iterator for IgmpV3Records<'a> {
    type Item = Result<IgmpV3Record<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let at = HEADER_LEN + self.pos;
        let parsed = match rest {
            [t, aux, n0, n1, g0, g1, g2, g3, after @ ..] => {
                let src_len = usize::from(u16::from_be_bytes([*n0, *n1])) * 4;
                let aux_len = usize::from(*aux) * 4;
                match (after.get(..src_len), after.get(src_len..src_len + aux_len)) {
                    (Some(sources), Some(aux)) => Some((
                        IgmpV3Record {
                            record_type: *t,
                            group: Ipv4Addr([*g0, *g1, *g2, *g3]),
                            sources,
                            aux,
                        },
                        8 + src_len + aux_len,
                    )),
                    _ => None,
                }
            }
            _ => None,
        };
        match parsed {
            Some((rec, len)) => {
                self.pos += len;
                Some(Ok(rec))
            }
            None => {
                self.left = 0;
                Some(Err(ParseError::new(
                    Layer::Igmp,
                    ErrorKind::BadLength(rest.len()),
                    at,
                )))
            }
        }
    }
}

/// IGMP header values, for building (body written by the caller first).
///
/// ```
/// use zerocast_wire::igmp::{IgmpPacket, IgmpRepr, TYPE_V2_REPORT};
/// let mut b = [0u8; 8];
/// IgmpRepr { msg_type: TYPE_V2_REPORT, max_resp: 0, word: [224, 0, 0, 251] }.emit(&mut b).unwrap();
/// assert_eq!(IgmpPacket::parse(&b[..]).unwrap().group().unwrap().to_string(), "224.0.0.251");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IgmpRepr {
    /// Type.
    pub msg_type: u8,
    /// Max response code.
    pub max_resp: u8,
    /// Group address, or reserved + record count for v3 reports.
    pub word: [u8; 4],
}

impl IgmpRepr {
    /// Writes the header and checksum into the front of `message`.
    ///
    /// # Errors
    /// `Truncated` under 8 bytes.
    ///
    /// ```
    /// use zerocast_wire::igmp::{IgmpPacket, IgmpRepr, TYPE_LEAVE};
    /// let mut message = [0u8; 8];
    /// IgmpRepr { msg_type: TYPE_LEAVE, max_resp: 0, word: [239, 1, 2, 3] }.emit(&mut message)?;
    /// assert_eq!(IgmpPacket::parse(&message[..])?.msg_type(), TYPE_LEAVE);
    /// let leave = IgmpRepr { msg_type: TYPE_LEAVE, max_resp: 0, word: [0; 4] };
    /// assert!(leave.emit(&mut [0u8; 7]).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn emit(&self, message: &mut [u8]) -> Result<(), ParseError> {
        let len = message.len();
        let (header, body) = message
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(ParseError::truncated(Layer::Igmp, HEADER_LEN, len))?;
        self.emit_parts(header, body);
        Ok(())
    }

    /// Writes the 8-byte `header` with the checksum over it and `body`.
    fn emit_parts(&self, header: &mut [u8], body: &[u8]) {
        let Ok(h) = IgmpHeader::mut_from_bytes(header) else {
            return;
        };
        h.msg_type = self.msg_type;
        h.max_resp = self.max_resp;
        h.checksum.set(0);
        h.word = self.word;
        let mut c = Checksum::new();
        c.add_bytes(h.as_bytes());
        c.add_bytes(body);
        h.checksum.set(c.checksum());
    }
}

impl<B: SplitByteSlice> fmt::Display for IgmpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IGMPv{} type 0x{:02x}", self.version(), self.msg_type())?;
        if let Some(g) = self.group() {
            write!(f, " group {g}")?;
        }
        Ok(())
    }
}

/// The IGMPv3 report of frame 343 of the samples (change-to-exclude 239.7.7.7).
#[doc(hidden)]
#[must_use]
pub fn __v3_report_example() -> [u8; 16] {
    [
        0x22, 0x00, 0xe3, 0xef, 0, 0, 0, 1, 4, 0, 0, 0, 0xef, 7, 7, 7,
    ]
}

impl<B: SplitByteSlice> fmt::Debug for IgmpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IgmpPacket")
            .field("header", self.header())
            .field("body_len", &self.body().len())
            .finish_non_exhaustive()
    }
}

/// IGMP header builder (v3 query and report bodies are the wrapped payload).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::igmp::{IgmpPacket, IgmpRepr, TYPE_V3_REPORT};
/// let record = [4u8, 0, 0, 0, 239, 7, 7, 7];
/// let repr = IgmpRepr { msg_type: TYPE_V3_REPORT, max_resp: 0, word: [0, 0, 0, 1] };
/// let m = record.into_serializer().wrap_in(repr).serialize_vec_outer().unwrap();
/// assert_eq!(IgmpPacket::parse(m.as_ref()).unwrap().v3_records().count(), 1);
/// ```
impl zerocast_packet::PacketBuilder for IgmpRepr {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(HEADER_LEN, 0, usize::MAX)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        self.emit_parts(target.header, body);
    }
}

impl<B: SplitByteSlice> IgmpPacket<B> {
    /// Parses what a capture kept: like [`IgmpPacket::parse_with`] with `allow_truncated`,
    /// and when the bytes end inside the 8-byte header, an [`IgmpPartial`] of the fields
    /// that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`IgmpPacket::parse_with`]; `Truncated` for no bytes at all.
    ///
    /// ```
    /// use zerocast_wire::{igmp::IgmpPacket, ChecksumPolicy};
    /// # let b = zerocast_wire::igmp::__v3_report_example();
    /// let cut = IgmpPacket::parse_lenient(&b[..5], ChecksumPolicy::Report)?.cut().unwrap();
    /// assert_eq!((cut.msg_type(), cut.version(), cut.group()), (Some(0x22), Some(3), None));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, IgmpPartial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            IgmpPartial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, ParseOptions> for IgmpPacket<B> {
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let (body, checksum_status) = {
            let p = IgmpPacket::parse_with(buffer.as_ref(), opts)?;
            (p.body.len(), p.checksum_status)
        };
        let (h, body, _) = crate::parse::take_parts(buffer, HEADER_LEN, body, Layer::Igmp)?;
        let header =
            Ref::from_bytes(h).map_err(|_| ParseError::truncated(Layer::Igmp, HEADER_LEN, 0))?;
        Ok(IgmpPacket {
            header,
            body,
            checksum_status,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(HEADER_LEN, self.body.len(), 0)
    }
}

impl<'a> IgmpV3Record<'a> {
    /// The record's values for building it again, byte for byte.
    ///
    /// ```
    /// use zerocast_wire::igmp::IgmpPacket;
    /// # let b = zerocast_wire::igmp::__v3_report_example();
    /// let igmp = IgmpPacket::parse(&b[..]).unwrap();
    /// let rec = igmp.v3_records().next().unwrap().unwrap().repr();
    /// assert_eq!((rec.record_type, rec.group.to_string()), (4, "239.7.7.7".to_string()));
    /// ```
    #[must_use]
    pub fn repr(&self) -> IgmpV3RecordRepr<'a> {
        IgmpV3RecordRepr {
            record_type: self.record_type,
            group: self.group,
            // The iterator cut `sources` to a multiple of 4 bytes, so the cast succeeds.
            sources: <[Ipv4Addr]>::ref_from_bytes(self.sources).unwrap_or(&[]),
            aux: self.aux,
        }
    }
}

/// Longest auxiliary data of a group record: its length byte counts 32-bit words.
pub const MAX_AUX_LEN: usize = crate::build::MAX_AUX_LEN;

/// An IGMPv3 group record to build (RFC 3376 section 4.2.4).
///
/// ```
/// use zerocast_wire::{igmp::IgmpV3RecordRepr, Ipv4Addr};
/// let src = [Ipv4Addr([10, 0, 0, 1])];
/// let rec = IgmpV3RecordRepr { record_type: 1, group: Ipv4Addr([232, 1, 1, 1]), sources: &src, aux: &[] };
/// assert_eq!(rec.len(), 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgmpV3RecordRepr<'a> {
    /// Record type (1..=6).
    pub record_type: u8,
    /// Multicast address.
    pub group: Ipv4Addr,
    /// Source addresses.
    pub sources: &'a [Ipv4Addr],
    /// Auxiliary data, a multiple of 4 bytes.
    pub aux: &'a [u8],
}

impl IgmpV3RecordRepr<'_> {
    /// Length on the wire.
    ///
    /// ```
    /// use zerocast_wire::{igmp::IgmpV3RecordRepr, Ipv4Addr};
    /// let sources = [Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2])];
    /// let group = Ipv4Addr([232, 1, 1, 1]);
    /// let record = IgmpV3RecordRepr { record_type: 1, group, sources: &sources, aux: &[] };
    /// assert_eq!(record.len(), 8 + 2 * 4);
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a record is never empty
    pub fn len(&self) -> usize {
        8 + self.sources.as_bytes().len() + self.aux.len()
    }

    fn validate(&self, at: usize) -> Result<(), ParseError> {
        check_record_counts(Layer::Igmp, self.aux, self.sources.len(), at + 1)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), ParseError> {
        // Both counts were checked by `validate`.
        let aux_words = u8::try_from(self.aux.len() / 4).unwrap_or(u8::MAX);
        let sources = count_u16(Layer::Igmp, self.sources.len(), 0)?.to_be_bytes();
        w.put(&[self.record_type, aux_words, sources[0], sources[1]])?;
        w.put(&self.group.0)?;
        w.put(self.sources.as_bytes())?;
        w.put(self.aux)
    }
}

/// An IGMPv3 message to build (v1/v2 messages are a bare [`IgmpRepr`]).
///
/// ```
/// use zerocast_wire::{igmp::IgmpV3Message, Ipv4Addr};
/// let general = IgmpV3Message::Query { max_resp: 100, group: Ipv4Addr::UNSPECIFIED, s_qrv: 2, qqic: 125, sources: &[] };
/// assert_eq!(general.msg_type(), 0x11);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgmpV3Message<'a> {
    /// Membership query (type 0x11, 12 bytes or more).
    Query {
        /// Max Resp Code.
        max_resp: u8,
        /// Group address (unspecified in a general query).
        group: Ipv4Addr,
        /// Reserved (4 bits), S flag, QRV.
        s_qrv: u8,
        /// Querier's query interval code.
        qqic: u8,
        /// Source addresses.
        sources: &'a [Ipv4Addr],
    },
    /// Membership report (type 0x22).
    Report {
        /// The group records.
        records: &'a [IgmpV3RecordRepr<'a>],
    },
}

impl IgmpV3Message<'_> {
    /// The IGMP type.
    ///
    /// ```
    /// use zerocast_wire::igmp::{IgmpV3Message, TYPE_V3_REPORT};
    /// assert_eq!(IgmpV3Message::Report { records: &[] }.msg_type(), TYPE_V3_REPORT);
    /// ```
    #[must_use]
    pub fn msg_type(&self) -> u8 {
        match self {
            IgmpV3Message::Query { .. } => TYPE_QUERY,
            IgmpV3Message::Report { .. } => TYPE_V3_REPORT,
        }
    }

    /// The length after the 8-byte common header.
    fn body_len(&self) -> usize {
        match self {
            IgmpV3Message::Query { sources, .. } => 4 + sources.as_bytes().len(),
            IgmpV3Message::Report { records } => records.iter().map(|r| r.len()).sum(),
        }
    }

    fn validate(&self) -> Result<(), ParseError> {
        match self {
            IgmpV3Message::Query { sources, .. } => {
                count_u16(Layer::Igmp, sources.len(), 10)?;
            }
            IgmpV3Message::Report { records } => {
                count_u16(Layer::Igmp, records.len(), 6)?;
                let mut at = HEADER_LEN;
                for record in *records {
                    record.validate(at)?;
                    at += record.len();
                }
            }
        }
        Ok(())
    }

    /// The common header's values (its checksum is computed when written).
    fn header(&self) -> Result<IgmpRepr, ParseError> {
        Ok(match self {
            IgmpV3Message::Query {
                max_resp, group, ..
            } => IgmpRepr {
                msg_type: TYPE_QUERY,
                max_resp: *max_resp,
                word: group.0,
            },
            IgmpV3Message::Report { records } => {
                let [hi, lo] = count_u16(Layer::Igmp, records.len(), 6)?.to_be_bytes();
                IgmpRepr {
                    msg_type: TYPE_V3_REPORT,
                    max_resp: 0,
                    word: [0, 0, hi, lo],
                }
            }
        })
    }

    fn write_body(&self, w: &mut Writer<'_>) -> Result<(), ParseError> {
        match self {
            IgmpV3Message::Query {
                s_qrv,
                qqic,
                sources,
                ..
            } => {
                let [hi, lo] = count_u16(Layer::Igmp, sources.len(), 10)?.to_be_bytes();
                w.put(&[*s_qrv, *qqic, hi, lo])?;
                w.put(sources.as_bytes())
            }
            IgmpV3Message::Report { records } => records.iter().try_for_each(|r| r.write(w)),
        }
    }
}

/// A whole IGMPv3 message with its checksum, as an
/// [`InnerPacketBuilder`](zerocast_packet::InnerPacketBuilder): wrap it in the IPv4 builder
/// (TTL 1, Router Alert option, as RFC 3376 requires).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::igmp::{IgmpPacket, IgmpV3Builder, IgmpV3Message, IgmpV3RecordRepr};
/// use zerocast_wire::Ipv4Addr;
/// let src = [Ipv4Addr([10, 0, 0, 9])];
/// let rec = [IgmpV3RecordRepr { record_type: 5, group: Ipv4Addr([232, 1, 2, 3]), sources: &src, aux: &[] }];
/// let report = IgmpV3Builder::new(IgmpV3Message::Report { records: &rec }).unwrap();
/// let m = report.into_serializer().serialize_vec_outer().unwrap();
/// let igmp = IgmpPacket::parse(m.as_ref()).unwrap(); // checksum verified
/// let got = igmp.v3_records().next().unwrap().unwrap();
/// assert_eq!((got.group, got.sources), (Ipv4Addr([232, 1, 2, 3]), &[10, 0, 0, 9][..]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgmpV3Builder<'a> {
    message: IgmpV3Message<'a>,
    len: usize,
}

impl<'a> IgmpV3Builder<'a> {
    /// Checks the counts once and measures the message.
    ///
    /// # Errors
    /// `BadLength` for more than 65535 sources or records, auxiliary data that is not a
    /// multiple of 4 bytes or longer than [`MAX_AUX_LEN`], or a message that cannot fit an
    /// IPv4 packet.
    ///
    /// ```
    /// use zerocast_wire::{igmp::{IgmpV3Builder, IgmpV3Message}, Ipv4Addr};
    /// let many = vec![Ipv4Addr::UNSPECIFIED; 70_000];
    /// let q = IgmpV3Message::Query { max_resp: 0, group: Ipv4Addr::UNSPECIFIED, s_qrv: 0, qqic: 0, sources: &many };
    /// assert!(IgmpV3Builder::new(q).is_err());
    /// ```
    pub fn new(message: IgmpV3Message<'a>) -> Result<Self, ParseError> {
        message.validate()?;
        let len = HEADER_LEN + message.body_len();
        if len > usize::from(u16::MAX) {
            return Err(ParseError::new(Layer::Igmp, ErrorKind::BadLength(len), 0));
        }
        Ok(IgmpV3Builder { message, len })
    }

    /// The message length in bytes.
    ///
    /// ```
    /// use zerocast_wire::{igmp::{IgmpV3Builder, IgmpV3Message}, Ipv4Addr};
    /// let sources = [Ipv4Addr([10, 0, 0, 1])];
    /// let group = Ipv4Addr([232, 1, 1, 1]);
    /// let query =
    ///     IgmpV3Message::Query { max_resp: 100, group, s_qrv: 2, qqic: 125, sources: &sources };
    /// assert_eq!(IgmpV3Builder::new(query)?.len(), 12 + 4);
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
    /// `Truncated` when `out` is shorter than [`IgmpV3Builder::len`].
    ///
    /// ```
    /// use zerocast_wire::{igmp::{IgmpPacket, IgmpV3Builder, IgmpV3Message}, Ipv4Addr};
    /// let q = IgmpV3Message::Query { max_resp: 100, group: Ipv4Addr::UNSPECIFIED, s_qrv: 2, qqic: 125, sources: &[] };
    /// let mut b = [0u8; 12];
    /// IgmpV3Builder::new(q)?.emit(&mut b)?;
    /// assert_eq!(IgmpPacket::parse(&b[..])?.version(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ParseError> {
        let (header, body) = build::message_parts(out, self.len, HEADER_LEN, Layer::Igmp)?;
        self.message
            .write_body(&mut Writer::new(body, Layer::Igmp))?;
        self.message.header()?.emit_parts(header, body);
        Ok(self.len)
    }
}

impl zerocast_packet::InnerPacketBuilder for IgmpV3Builder<'_> {
    fn bytes_len(&self) -> usize {
        self.len
    }

    fn serialize(&self, buffer: &mut [u8]) {
        // `buffer` is exactly `len` bytes and the counts were checked by `new`.
        let emitted = self.emit(buffer);
        debug_assert!(
            emitted.is_ok(),
            "IGMPv3 message checked by new: {emitted:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn build(message: IgmpV3Message<'_>) -> std::vec::Vec<u8> {
        let b = IgmpV3Builder::new(message).unwrap();
        let mut out = std::vec![0u8; b.len()];
        assert_eq!(b.emit(&mut out).unwrap(), out.len());
        out
    }

    #[test]
    fn sample_v3_report_rebuilds_from_its_records() {
        let b = __v3_report_example();
        let igmp = IgmpPacket::parse(&b[..]).unwrap();
        let records: std::vec::Vec<_> = igmp.v3_records().map(|r| r.unwrap().repr()).collect();
        assert_eq!(build(IgmpV3Message::Report { records: &records }), b);
    }

    #[test]
    fn v3_query_with_sources_parses_back() {
        let sources = [Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2])];
        let m = build(IgmpV3Message::Query {
            max_resp: 50,
            group: Ipv4Addr([232, 0, 0, 1]),
            s_qrv: 0x0a,
            qqic: 30,
            sources: &sources,
        });
        let igmp = IgmpPacket::parse(&m[..]).unwrap();
        assert_eq!((igmp.version(), igmp.max_resp()), (3, 50));
        let q = igmp.v3_query().unwrap();
        assert_eq!((q.s_qrv, q.qqic, q.num_sources), (0x0a, 30, 2));
        assert_eq!(q.sources, &[10, 0, 0, 1, 10, 0, 0, 2]);
    }

    #[test]
    fn report_records_with_aux_data_round_trip_and_bad_aux_is_rejected() {
        let records = [IgmpV3RecordRepr {
            record_type: 6,
            group: Ipv4Addr([239, 1, 1, 1]),
            sources: &[Ipv4Addr([192, 0, 2, 1])],
            aux: &[7, 7, 7, 7],
        }];
        let m = build(IgmpV3Message::Report { records: &records });
        let igmp = IgmpPacket::parse(&m[..]).unwrap();
        let parsed: std::vec::Vec<_> = igmp.v3_records().map(|r| r.unwrap().repr()).collect();
        assert_eq!(parsed, records);
        let bad = [IgmpV3RecordRepr {
            aux: &[1, 2, 3],
            ..records[0]
        }];
        assert!(IgmpV3Builder::new(IgmpV3Message::Report { records: &bad }).is_err());
    }

    #[test]
    fn sample_v3_report_checksum_is_good() {
        let b = __v3_report_example();
        let igmp = IgmpPacket::parse(&b[..]).unwrap();
        assert_eq!(igmp.checksum_status(), ChecksumStatus::Good);
        assert_eq!(igmp.v3_records().count(), 1);
        assert_eq!(igmp.group(), None);
    }

    #[test]
    fn record_count_beyond_bytes_is_an_error() {
        let mut b = __v3_report_example();
        b[7] = 3;
        IgmpRepr {
            msg_type: 0x22,
            max_resp: 0,
            word: [0, 0, 0, 3],
        }
        .emit(&mut b)
        .unwrap();
        assert!(IgmpPacket::parse(&b[..]).is_err());
        let lenient = IgmpPacket::parse_with(&b[..], ParseOptions::LENIENT).unwrap();
        assert!(lenient.v3_records().any(|r| r.is_err()));
    }

    #[test]
    fn v3_query_exposes_sources() {
        let mut b = [
            0x11u8, 100, 0, 0, 224, 0, 0, 1, 0x02, 125, 0, 1, 10, 0, 0, 9,
        ];
        IgmpRepr {
            msg_type: 0x11,
            max_resp: 100,
            word: [224, 0, 0, 1],
        }
        .emit(&mut b)
        .unwrap();
        let igmp = IgmpPacket::parse(&b[..]).unwrap();
        let q = igmp.v3_query().unwrap();
        assert_eq!(
            (igmp.version(), q.num_sources, q.sources),
            (3, 1, &[10, 0, 0, 9][..])
        );
    }
}
