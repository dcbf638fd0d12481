//! TCP segments (RFC 9293): header, flags, options, pseudo-header checksum.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                        Sequence Number                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Acknowledgment Number                      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Data |     |N|C|E|U|A|P|R|S|F|                               |
//! | Offset| Rsv |S|W|C|R|C|S|S|Y|I|            Window             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Checksum            |         Urgent Pointer        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options (Data Offset > 5)                  ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! TCP has no length field: the segment is the whole IP payload. When the IP layer reports a
//! truncated payload, parse with [`ChecksumPolicy::Skip`] (the IP views'
//! `payload_parse_options` does this) so the checksum is reported unverified.

use core::fmt;

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::{
    ByteSliceMut, FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned,
};

use crate::error::{ErrorKind, Layer, ParseError};
use crate::ip::{IpProto, PseudoHeader};
use crate::parse::{
    lenient, split_at, split_at_most, take_header, ChecksumPolicy, ChecksumStatus, Lenient,
    ParseOptions,
};
pub use crate::partial::TcpPartial;
use crate::tcp_options::{
    TcpOptions, KIND_MSS, KIND_SACK_PERMITTED, KIND_TIMESTAMP, KIND_WINDOW_SCALE,
};

/// Length of the fixed header.
pub const HEADER_LEN: usize = 20;
/// FIN flag.
pub const FLAG_FIN: u16 = 0x001;
/// SYN flag.
pub const FLAG_SYN: u16 = 0x002;
/// RST flag.
pub const FLAG_RST: u16 = 0x004;
/// PSH flag.
pub const FLAG_PSH: u16 = 0x008;
/// ACK flag.
pub const FLAG_ACK: u16 = 0x010;
/// URG flag.
pub const FLAG_URG: u16 = 0x020;
/// ECE flag.
pub const FLAG_ECE: u16 = 0x040;
/// CWR flag.
pub const FLAG_CWR: u16 = 0x080;
/// NS / AE flag (RFC 3540, historic).
pub const FLAG_NS: u16 = 0x100;

/// The fixed TCP header as it sits in memory.
///
/// ```
/// use zerocast_wire::zerocast::FromBytes;
/// let h = zerocast_wire::tcp::TcpHeader::ref_from_bytes(&[0u8; 20][..])?;
/// assert_eq!(h.window.get(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
pub struct TcpHeader {
    /// Source port.
    pub src_port: U16,
    /// Destination port.
    pub dst_port: U16,
    /// Sequence number.
    pub seq: U32,
    /// Acknowledgment number.
    pub ack: U32,
    /// Data offset (4 bits), reserved (3 bits), flags (9 bits).
    pub offset_flags: U16,
    /// Window.
    pub window: U16,
    /// Checksum.
    pub checksum: U16,
    /// Urgent pointer.
    pub urgent: U16,
}

/// A parsed TCP segment.
///
/// ```
/// use zerocast_wire::tcp::{TcpPacket, FLAG_SYN};
/// let mut b = [0u8; 20];
/// b[..4].copy_from_slice(&[0xc3, 0x50, 0, 80]);
/// b[12] = 0x50;
/// b[13] = 0x02;
/// let seg = TcpPacket::parse(&b[..], None)?;
/// assert_eq!((seg.src_port(), seg.dst_port(), seg.flags()), (50000, 80, FLAG_SYN));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TcpPacket<B> {
    header: Ref<B, TcpHeader>,
    options: B,
    payload: B,
    truncated: bool,
    checksum_status: ChecksumStatus,
}

impl<B: SplitByteSlice> TcpPacket<B> {
    /// Parses strictly; the checksum is verified when `pseudo` is given.
    ///
    /// # Errors
    /// See [`TcpPacket::parse_with`].
    ///
    /// ```
    /// assert!(zerocast_wire::tcp::TcpPacket::parse(&[0u8; 20][..], None).is_err()); // offset 0
    /// ```
    pub fn parse(bytes: B, pseudo: Option<PseudoHeader>) -> Result<Self, ParseError> {
        Self::parse_with(bytes, pseudo, ParseOptions::STRICT)
    }

    /// Parses with the given strictness.
    ///
    /// # Errors
    /// `Truncated` (the fixed header: see [`TcpPacket::parse_lenient`] for a view of what
    /// was captured; options cut off: strict only); `BadHeaderLength` for
    /// a data offset below 5; `BadOption` (strict only); `BadChecksum` with
    /// [`ChecksumPolicy::Reject`].
    ///
    /// ```
    /// use zerocast_wire::{tcp::TcpPacket, ParseOptions};
    /// let mut b = [0u8; 20];
    /// b[12] = 0x60; // 24-byte header, options missing
    /// assert!(TcpPacket::parse(&b[..], None).is_err());
    /// assert!(TcpPacket::parse_with(&b[..], None, ParseOptions::LENIENT)?.is_truncated());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_with(
        bytes: B,
        pseudo: Option<PseudoHeader>,
        opts: ParseOptions,
    ) -> Result<Self, ParseError> {
        let segment_len = bytes.len();
        // The segment is contiguous: sum it in one pass before splitting it up.
        let segment_sum = match (opts.checksum, pseudo) {
            (ChecksumPolicy::Skip, _) | (_, None) => None,
            (_, Some(ph)) => {
                let mut c = ph.checksum_start(IpProto::TCP, segment_len);
                c.add_bytes(&bytes);
                Some(c)
            }
        };
        let (header, rest) = take_header::<B, TcpHeader>(bytes, Layer::Tcp)?;
        let header_len = usize::from(header.offset_flags.get() >> 12) * 4;
        if header_len < HEADER_LEN {
            return Err(ParseError::new(
                Layer::Tcp,
                ErrorKind::BadHeaderLength(header_len),
                12,
            ));
        }
        let (options, payload, truncated) = if opts.allow_truncated {
            // tshark decodes the options that were captured; so does the lenient form.
            split_at_most(rest, header_len - HEADER_LEN)
        } else {
            let (o, p) = split_at(rest, header_len - HEADER_LEN, Layer::Tcp, HEADER_LEN)?;
            TcpOptions::new(&o).validate()?;
            (o, p, false)
        };
        let checksum_status = match segment_sum {
            None => ChecksumStatus::Unverified,
            _ if truncated => ChecksumStatus::Unverified,
            Some(c) => {
                let policy = opts.checksum;
                if c.checksum() == 0 {
                    ChecksumStatus::Good
                } else if policy == ChecksumPolicy::Reject {
                    let found = header.checksum.get();
                    let expected = crate::checksum::update(c.checksum(), found, 0);
                    return Err(ParseError::new(
                        Layer::Tcp,
                        ErrorKind::BadChecksum { found, expected },
                        16,
                    ));
                } else {
                    ChecksumStatus::Bad
                }
            }
        };
        Ok(TcpPacket {
            header,
            options,
            payload,
            truncated,
            checksum_status,
        })
    }

    /// The fixed header, cast in place.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.header().window.get(), 65160);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header(&self) -> &TcpHeader {
        &self.header
    }
    /// Source port (`tcp.srcport`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.src_port(), 443);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src_port(&self) -> u16 {
        self.header.src_port.get()
    }
    /// Destination port (`tcp.dstport`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.dst_port(), 50000);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst_port(&self) -> u16 {
        self.header.dst_port.get()
    }
    /// Sequence number as sent (`tcp.seq_raw`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.seq(), 0x1122_3344);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn seq(&self) -> u32 {
        self.header.seq.get()
    }
    /// Acknowledgment number as sent (`tcp.ack_raw`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.ack(), 0x5566_7788);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ack(&self) -> u32 {
        self.header.ack.get()
    }
    /// Header length in bytes (`tcp.hdr_len`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.header_len(), 40); // 20 fixed + 20 of options
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header_len(&self) -> usize {
        usize::from(self.header.offset_flags.get() >> 12) * 4
    }
    /// The 12 bits after the data offset: reserved bits and flags (`tcp.flags`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// use zerocast_wire::tcp::{FLAG_ACK, FLAG_SYN};
    /// assert_eq!(seg.flags(), FLAG_SYN | FLAG_ACK);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flags(&self) -> u16 {
        self.header.offset_flags.get() & 0x0fff
    }
    /// Whether every bit of `flag` is set.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_SYN};
    /// assert!(seg.has_flags(FLAG_SYN | FLAG_ACK));
    /// assert!(!seg.has_flags(FLAG_SYN | FLAG_FIN));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn has_flags(&self, flag: u16) -> bool {
        self.flags() & flag == flag
    }
    /// Window (`tcp.window_size_value`, unscaled).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.window(), 65160); // before scaling
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn window(&self) -> u16 {
        self.header.window.get()
    }
    /// Checksum as carried.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.checksum(), 0x86c7);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> u16 {
        self.header.checksum.get()
    }
    /// Result of the checksum check (`tcp.checksum.status`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// use zerocast_wire::ChecksumStatus;
    /// assert_eq!(seg.checksum_status(), ChecksumStatus::Good);
    /// // Without the pseudo-header there is nothing to verify against.
    /// let unverified = TcpPacket::parse(&bytes[..], None)?.checksum_status();
    /// assert_eq!(unverified, ChecksumStatus::Unverified);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum_status(&self) -> ChecksumStatus {
        self.checksum_status
    }
    /// Urgent pointer (`tcp.urgent_pointer`).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.urgent_pointer(), 0); // URG is not set
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn urgent_pointer(&self) -> u16 {
        self.header.urgent.get()
    }
    /// The raw options area.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.options_bytes().len(), 20);
    /// assert_eq!(seg.options_bytes()[..4], [2, 4, 0x05, 0xb4]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn options_bytes(&self) -> &[u8] {
        &self.options
    }
    /// The options, one record at a time.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// let kinds = seg.options().map(|o| o.map(|o| o.kind)).collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(kinds, [2, 4, 8, 1, 3]); // MSS, SACK permitted, timestamps, NOP, window scale
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn options(&self) -> TcpOptions<'_> {
        TcpOptions::new(&self.options)
    }
    /// The data of the first option of `kind` whose data is `N` bytes long (the lengths
    /// [`TcpOption`](crate::tcp_options::TcpOption) decodes), found the way [`TcpOptions`] walks: the walk ends at End of
    /// Option List or at a malformed option. A direct scan rather than the iterator, since
    /// the accessors below sit on the per-segment fast path.
    fn option_data<const N: usize>(&self, kind: u8) -> Option<&[u8; N]> {
        use crate::tcp_options::{KIND_EOL, KIND_NOP};
        let mut rest: &[u8] = &self.options;
        loop {
            match *rest {
                [] | [KIND_EOL, ..] => return None,
                [KIND_NOP, ref tail @ ..] => rest = tail,
                [k, len, ref tail @ ..] => {
                    let data_len = usize::from(len).checked_sub(2)?;
                    let (data, after) = tail.split_at_checked(data_len)?;
                    if k == kind {
                        if let Ok(data) = <&[u8; N]>::try_from(data) {
                            return Some(data);
                        }
                    }
                    rest = after;
                }
                [_] => return None,
            }
        }
    }
    /// The MSS option's value.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.mss(), Some(1460));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn mss(&self) -> Option<u16> {
        self.option_data::<2>(KIND_MSS)
            .map(|d| u16::from_be_bytes(*d))
    }
    /// The window scale option's shift count.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.window_scale(), Some(7));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn window_scale(&self) -> Option<u8> {
        self.option_data::<1>(KIND_WINDOW_SCALE)
            .map(|[shift]| *shift)
    }
    /// The timestamps option's (TSval, TSecr).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.timestamps(), Some((1, 2)));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn timestamps(&self) -> Option<(u32, u32)> {
        let [a, b, c, d, e, f, g, h] = *self.option_data::<8>(KIND_TIMESTAMP)?;
        Some((
            u32::from_be_bytes([a, b, c, d]),
            u32::from_be_bytes([e, f, g, h]),
        ))
    }
    /// Whether SACK-permitted is present.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // SYN-ACK 443 > 50000: MSS 1460, SACK-permitted, timestamps (1, 2), NOP, WS 7
    /// # let bytes = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #              0xa0, 0x12, 0xfe, 0x88, 0x86, 0xc7, 0x00, 0x00,
    /// #              2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert!(seg.sack_permitted());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn sack_permitted(&self) -> bool {
        self.option_data::<0>(KIND_SACK_PERMITTED).is_some()
    }
    /// Whether the options were cut off (lenient parse of a truncated capture only).
    ///
    /// ```
    /// use zerocast_wire::{tcp::TcpPacket, ParseOptions};
    /// // A data offset of 6 promises 4 bytes of options; the capture has 2.
    /// let bytes = [0xc3, 0x50, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0,
    ///              0x60, 0x02, 0xfa, 0xf0, 0, 0, 0, 0, 2, 4];
    /// assert!(TcpPacket::parse_with(&bytes[..], None, ParseOptions::LENIENT)?.is_truncated());
    /// assert!(TcpPacket::parse(&bytes[..], None).is_err());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
    /// The payload.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// assert_eq!(seg.payload(), b"hello");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// Returns the payload, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let seg = TcpPacket::parse(&bytes[..], Some(ph))?;
    /// let data: &[u8] = seg.into_payload();
    /// assert_eq!(data, b"hello");
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_payload(self) -> B {
        self.payload
    }

    /// The header's field values (options borrowed raw).
    ///
    /// ```
    /// # let mut b = [0u8; 20]; b[12] = 0x50; b[13] = 0x12;
    /// let seg = zerocast_wire::tcp::TcpPacket::parse(&b[..], None)?;
    /// let mut out = [0u8; 20];
    /// seg.repr().emit(&mut out, None)?;
    /// assert_eq!(out, b);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repr(&self) -> TcpRepr<'_> {
        TcpRepr {
            src_port: self.src_port(),
            dst_port: self.dst_port(),
            seq: self.seq(),
            ack: self.ack(),
            flags: self.flags(),
            window: self.window(),
            urgent: self.urgent_pointer(),
            options: &self.options,
        }
    }
}

impl<B: SplitByteSlice + ByteSliceMut> TcpPacket<B> {
    /// Rewrites the source port, patching the checksum incrementally.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let mut bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let mut seg = TcpPacket::parse(&mut bytes[..], Some(ph))?;
    /// seg.set_src_port(40000); // e.g. port translation
    /// assert_eq!(seg.src_port(), 40000);
    /// assert!(TcpPacket::parse(&bytes[..], Some(ph)).is_ok()); // the checksum still verifies
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn set_src_port(&mut self, port: u16) {
        let old = self.header.src_port.get();
        self.header.src_port.set(port);
        let c = crate::checksum::update(self.header.checksum.get(), old, port);
        self.header.checksum.set(c);
    }
    /// Rewrites the destination port, patching the checksum incrementally.
    ///
    /// ```
    /// use zerocast_wire::{tcp::{TcpPacket, TcpRepr}, Ipv4Addr, PseudoHeader};
    /// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
    /// let mut b = [0u8; 20];
    /// TcpRepr { flags: 2, window: 64240, ..TcpRepr::new(40000, 80) }.emit(&mut b, Some(ph))?;
    /// TcpPacket::parse(&mut b[..], Some(ph))?.set_dst_port(8080);
    /// assert!(TcpPacket::parse(&b[..], Some(ph)).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_dst_port(&mut self, port: u16) {
        let old = self.header.dst_port.get();
        self.header.dst_port.set(port);
        let c = crate::checksum::update(self.header.checksum.get(), old, port);
        self.header.checksum.set(c);
    }
    /// Patches the checksum after the IP layer rewrote an address the pseudo-header covers
    /// (NAT): `old` and `new` are the address bytes (4 or 16), RFC 1624.
    ///
    /// ```
    /// use zerocast_wire::{Ipv4Addr, PseudoHeader};
    /// # let src = Ipv4Addr([10, 0, 0, 1]);
    /// # let dst = Ipv4Addr([10, 0, 0, 2]);
    /// # let nat = Ipv4Addr([192, 0, 2, 7]);
    /// # let mut b = [0u8; 24];
    /// # zerocast_wire::tcp::TcpRepr::new(1, 2).emit(&mut b, Some(PseudoHeader::V4 { src, dst }))?;
    /// let mut p = zerocast_wire::tcp::TcpPacket::parse(&mut b[..], Some(PseudoHeader::V4 { src, dst }))?;
    /// p.update_checksum_for_address(&src.0, &nat.0);
    /// assert!(zerocast_wire::tcp::TcpPacket::parse(&b[..], Some(PseudoHeader::V4 { src: nat, dst })).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_checksum_for_address(&mut self, old: &[u8], new: &[u8]) {
        let c = crate::checksum::update_bytes(self.header.checksum.get(), old, new);
        self.header.checksum.set(c);
    }
    /// The fixed header, writable (re-emit or patch the checksum afterwards).
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let mut bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let mut seg = TcpPacket::parse(&mut bytes[..], Some(ph))?;
    /// seg.header_mut().window.set(1024);
    /// assert_eq!(bytes[14..16], [0x04, 0x00]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn header_mut(&mut self) -> &mut TcpHeader {
        &mut self.header
    }
    /// The payload, writable.
    ///
    /// ```
    /// # use zerocast_wire::{tcp::TcpPacket, Ipv4Addr, PseudoHeader};
    /// # let (src, dst) = (Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7]));
    /// # let ph = PseudoHeader::V4 { src, dst };
    /// # // PSH-ACK 50000 > 443 carrying "hello"
    /// # let mut bytes = [0xc3, 0x50, 0x01, 0xbb, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0x45,
    /// #              0x50, 0x18, 0x01, 0xf6, 0xa7, 0x61, 0x00, 0x00,
    /// #              b'h', b'e', b'l', b'l', b'o'];
    /// let mut seg = TcpPacket::parse(&mut bytes[..], Some(ph))?;
    /// seg.payload_mut().copy_from_slice(b"HELLO");
    /// assert_eq!(&bytes[20..], b"HELLO"); // the checksum now needs recomputing
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.payload
    }
}

/// TCP header values, for building.
///
/// ```
/// use zerocast_wire::{tcp::{TcpPacket, TcpRepr, FLAG_SYN}, Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// let opts = [2, 4, 0x05, 0xb4];
/// let repr = TcpRepr { seq: 1, flags: FLAG_SYN, window: 64240, options: &opts, ..TcpRepr::new(40000, 80) };
/// let mut buf = [0u8; 24];
/// repr.emit(&mut buf, Some(ph))?;
/// let seg = TcpPacket::parse(&buf[..], Some(ph))?;
/// assert_eq!(seg.mss(), Some(1460));
/// assert_eq!(seg.repr(), repr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpRepr<'a> {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Reserved bits and flags (12 bits).
    pub flags: u16,
    /// Window.
    pub window: u16,
    /// Urgent pointer.
    pub urgent: u16,
    /// Raw options, a multiple of 4 bytes, at most 40.
    pub options: &'a [u8],
}

impl<'a> TcpRepr<'a> {
    /// A header with the given ports and everything else zero.
    ///
    /// ```
    /// use zerocast_wire::tcp::TcpRepr;
    /// let repr = TcpRepr::new(50000, 443);
    /// assert_eq!((repr.src_port, repr.dst_port, repr.seq, repr.flags), (50000, 443, 0, 0));
    /// ```
    #[must_use]
    pub const fn new(src_port: u16, dst_port: u16) -> Self {
        TcpRepr {
            src_port,
            dst_port,
            seq: 0,
            ack: 0,
            flags: 0,
            window: 0,
            urgent: 0,
            options: &[],
        }
    }

    /// Header length in bytes.
    ///
    /// ```
    /// use zerocast_wire::tcp::TcpRepr;
    /// let syn = TcpRepr { options: &[2, 4, 0x05, 0xb4], ..TcpRepr::new(50000, 443) };
    /// assert_eq!(syn.header_len(), 24);
    /// ```
    #[must_use]
    pub fn header_len(&self) -> usize {
        HEADER_LEN + self.options.len()
    }

    /// Writes the header into the front of `segment` (payload already in place after it) and
    /// fills the checksum when a pseudo-header is given (else 0).
    ///
    /// # Errors
    /// `BadHeaderLength` for options that are not a multiple of 4 or over 40 bytes; `BadField`
    /// for flags over 12 bits; `Truncated` if `segment` cannot hold the header.
    ///
    /// ```
    /// let r = zerocast_wire::tcp::TcpRepr { options: &[1, 1, 1], ..zerocast_wire::tcp::TcpRepr::new(1, 2) };
    /// assert!(r.emit(&mut [0u8; 40], None).is_err());
    /// ```
    pub fn emit(&self, segment: &mut [u8], pseudo: Option<PseudoHeader>) -> Result<(), ParseError> {
        self.validate()?;
        let len = segment.len();
        let (header, payload) = segment
            .split_at_mut_checked(self.header_len())
            .ok_or(ParseError::truncated(Layer::Tcp, self.header_len(), len))?;
        self.emit_parts(header, payload, pseudo);
        Ok(())
    }

    fn validate(&self) -> Result<(), ParseError> {
        let header_len = self.header_len();
        if !self.options.len().is_multiple_of(4) || header_len > 60 {
            return Err(ParseError::new(
                Layer::Tcp,
                ErrorKind::BadHeaderLength(header_len),
                12,
            ));
        }
        if self.flags > 0x0fff {
            return Err(ParseError::new(Layer::Tcp, ErrorKind::BadField, 12));
        }
        Ok(())
    }

    /// Writes a validated header into `header` (exactly `header_len()` bytes) for `payload`.
    fn emit_parts(&self, header: &mut [u8], payload: &[u8], pseudo: Option<PseudoHeader>) {
        let header_len = self.header_len();
        let Some((fixed, options)) = header.split_at_mut_checked(HEADER_LEN) else {
            return;
        };
        let Ok(h) = TcpHeader::mut_from_bytes(fixed) else {
            return;
        };
        h.src_port.set(self.src_port);
        h.dst_port.set(self.dst_port);
        h.seq.set(self.seq);
        h.ack.set(self.ack);
        // `header_len <= 60` (validated), so the word count fits the 4-bit field.
        let offset_flags = ((header_len / 4) as u16) << 12 | self.flags;
        h.offset_flags.set(offset_flags);
        h.window.set(self.window);
        h.checksum.set(0);
        h.urgent.set(self.urgent);
        let n = options.len().min(self.options.len());
        options[..n].copy_from_slice(&self.options[..n]);
        if let Some(ph) = pseudo {
            let mut c = ph.checksum_start(IpProto::TCP, header_len + payload.len());
            // The header from the values just written, not read back (see
            // `Checksum::add_u32` on store forwarding); its checksum field is zero.
            c.add_u16(self.src_port);
            c.add_u16(self.dst_port);
            c.add_u32(self.seq);
            c.add_u32(self.ack);
            c.add_u16(offset_flags);
            c.add_u16(self.window);
            c.add_u16(self.urgent);
            c.add_bytes(&self.options[..n]);
            c.add_bytes(payload);
            h.checksum.set(c.checksum());
        }
    }

    /// Validates once and returns a [`PacketBuilder`](zerocast_packet::PacketBuilder) that
    /// checksums with `pseudo`.
    ///
    /// # Errors
    /// As [`TcpRepr::emit`], for options or flags out of range.
    ///
    /// ```
    /// use zerocast_packet::{InnerPacketBuilder, Serializer};
    /// use zerocast_wire::{tcp::{TcpPacket, TcpRepr}, Ipv4Addr, PseudoHeader};
    /// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
    /// let tcp = TcpRepr { flags: 0x18, window: 502, ..TcpRepr::new(80, 40000) }.builder(Some(ph)).unwrap();
    /// let seg = b"HTTP/1.1 200 OK".into_serializer().wrap_in(tcp).serialize_vec_outer().unwrap();
    /// assert_eq!(TcpPacket::parse(seg.as_ref(), Some(ph)).unwrap().payload().len(), 15);
    /// ```
    pub fn builder(self, pseudo: Option<PseudoHeader>) -> Result<TcpBuilder<'a>, ParseError> {
        self.validate()?;
        Ok(TcpBuilder { repr: self, pseudo })
    }
}

impl<B: SplitByteSlice> fmt::Display for TcpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TCP {} > {} [", self.src_port(), self.dst_port())?;
        for (bit, c) in [
            (FLAG_SYN, 'S'),
            (FLAG_FIN, 'F'),
            (FLAG_RST, 'R'),
            (FLAG_PSH, 'P'),
            (FLAG_URG, 'U'),
            (FLAG_ECE, 'E'),
            (FLAG_CWR, 'W'),
        ] {
            if self.flags() & bit != 0 {
                write!(f, "{c}")?;
            }
        }
        if self.flags() & FLAG_ACK != 0 {
            f.write_str(".")?;
        }
        write!(
            f,
            "] seq {} ack {} win {} len {}",
            self.seq(),
            self.ack(),
            self.window(),
            self.payload.len()
        )
    }
}

impl<B: SplitByteSlice> fmt::Debug for TcpPacket<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpPacket")
            .field("header", self.header())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

/// A validated TCP header builder (see [`TcpRepr::builder`]).
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_wire::{tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_FIN}, Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// let fin = TcpRepr { flags: FLAG_FIN | FLAG_ACK, window: 502, ..TcpRepr::new(80, 40000) };
/// let seg = [0u8; 0].into_serializer().wrap_in(fin.builder(Some(ph))?).serialize_vec_outer()
///     .map_err(|_| "serialize failed")?;
/// assert!(TcpPacket::parse(seg.as_ref(), Some(ph))?.has_flags(FLAG_FIN));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpBuilder<'a> {
    repr: TcpRepr<'a>,
    pseudo: Option<PseudoHeader>,
}

impl zerocast_packet::PacketBuilder for TcpBuilder<'_> {
    fn constraints(&self) -> zerocast_packet::PacketConstraints {
        crate::parse::layer_constraints(self.repr.header_len(), 0, usize::MAX)
    }

    fn serialize(&self, target: &mut zerocast_packet::SerializeTarget<'_>, body: &[u8]) {
        self.repr.emit_parts(target.header, body, self.pseudo);
    }
}

impl<B: SplitByteSlice> TcpPacket<B> {
    /// Parses what a capture kept: like [`TcpPacket::parse_with`] with `allow_truncated`
    /// (options cut short are kept as captured), and when the bytes end inside the 20-byte
    /// fixed header, a [`TcpPartial`] of the fields that were captured instead of an error.
    ///
    /// # Errors
    /// Those of [`TcpPacket::parse_with`] (and [`TcpPartial::parse`] for a cut header).
    ///
    /// ```
    /// use zerocast_wire::{tcp::TcpPacket, ChecksumPolicy, Lenient};
    /// let cut = [0xc3, 0x50, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02];
    /// let Lenient::Cut(seg) = TcpPacket::parse_lenient(&cut[..], None, ChecksumPolicy::Report)?
    /// else { unreachable!() };
    /// assert_eq!((seg.seq(), seg.header_len(), seg.flags()), (Some(1), Some(20), Some(0x002)));
    /// assert_eq!(seg.window(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn parse_lenient(
        bytes: B,
        pseudo: Option<PseudoHeader>,
        checksum: ChecksumPolicy,
    ) -> Result<Lenient<Self, TcpPartial<B>>, ParseError> {
        if bytes.len() < HEADER_LEN {
            TcpPartial::parse(bytes).map(Lenient::Cut)
        } else {
            Self::parse_with(bytes, pseudo, lenient(checksum)).map(Lenient::Whole)
        }
    }
}

// zerocast-packet integration: parse off a buffer cursor, leaving the body in the buffer.
// The packet is validated on a borrowed view first, then split along the measured lengths,
// so the checks run once and the split cannot fail.

/// Parse arguments: the pseudo-header to verify the checksum against, and the strictness.
impl<B: SplitByteSlice> zerocast_packet::ParsablePacket<B, (Option<PseudoHeader>, ParseOptions)>
    for TcpPacket<B>
{
    type Error = ParseError;

    fn parse<BV: zerocast_packet::BufferView<B>>(
        buffer: BV,
        (pseudo, opts): (Option<PseudoHeader>, ParseOptions),
    ) -> Result<Self, ParseError> {
        let (header_len, body, truncated, checksum_status) = {
            let p = TcpPacket::parse_with(buffer.as_ref(), pseudo, opts)?;
            (
                HEADER_LEN + p.options.len(),
                p.payload.len(),
                p.truncated,
                p.checksum_status,
            )
        };
        let (h, payload, _) = crate::parse::take_parts(buffer, header_len, body, Layer::Tcp)?;
        let (header, options) =
            Ref::from_prefix(h).map_err(|_| ParseError::truncated(Layer::Tcp, HEADER_LEN, 0))?;
        Ok(TcpPacket {
            header,
            options,
            payload,
            truncated,
            checksum_status,
        })
    }

    fn parse_metadata(&self) -> zerocast_packet::ParseMetadata {
        zerocast_packet::ParseMetadata::from_packet(
            HEADER_LEN + self.options.len(),
            self.payload.len(),
            0,
        )
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::addr::Ipv4Addr;
    use crate::tcp_options::TcpOption;

    const PH: PseudoHeader = PseudoHeader::V4 {
        src: Ipv4Addr([10, 77, 0, 1]),
        dst: Ipv4Addr([10, 77, 0, 2]),
    };
    const SYN_OPTS: [u8; 20] = [
        2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 3, 3, 7,
    ];

    /// MSS, window scale, timestamps and SACK-permitted, as the accessors return them.
    type OptionValues = (Option<u16>, Option<u8>, Option<(u32, u32)>, bool);

    /// What the option accessors must return: the first well-formed option of the kind,
    /// decoded, walking as [`TcpOptions`] does.
    fn reference(options: &[u8]) -> OptionValues {
        let decoded: std::vec::Vec<_> = TcpOptions::new(options)
            .map_while(Result::ok)
            .map(|r| r.decode())
            .collect();
        let find = |f: &dyn Fn(&TcpOption<'_>) -> bool| decoded.iter().copied().find(|o| f(o));
        (
            find(&|o| matches!(o, TcpOption::Mss(_))).and_then(|o| match o {
                TcpOption::Mss(m) => Some(m),
                _ => None,
            }),
            find(&|o| matches!(o, TcpOption::WindowScale(_))).and_then(|o| match o {
                TcpOption::WindowScale(s) => Some(s),
                _ => None,
            }),
            find(&|o| matches!(o, TcpOption::Timestamp { .. })).and_then(|o| match o {
                TcpOption::Timestamp { tsval, tsecr } => Some((tsval, tsecr)),
                _ => None,
            }),
            find(&|o| matches!(o, TcpOption::SackPermitted)).is_some(),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            if cfg!(miri) { 8 } else { 2048 }
        ))]

        #[test]
        fn option_accessors_agree_with_the_decoding_walk(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just(vec![1u8]),
                    proptest::prelude::Just(vec![0u8]),
                    proptest::prelude::Just(vec![2u8, 4, 5, 0xb4]),
                    proptest::prelude::Just(vec![2u8, 3, 5]),
                    proptest::prelude::Just(vec![3u8, 3, 7]),
                    proptest::prelude::Just(vec![4u8, 2]),
                    proptest::prelude::Just(vec![8u8, 10, 1, 2, 3, 4, 5, 6, 7, 8]),
                    proptest::prelude::Just(vec![8u8, 6, 1, 2, 3, 4]),
                    proptest::collection::vec(proptest::prelude::any::<u8>(), 1..6),
                ],
                0..8,
            )
        ) {
            let options: std::vec::Vec<u8> = words.concat();
            let mut b = std::vec![0u8; 20];
            b.extend_from_slice(&options[..options.len().min(40)]);
            let len = b.len();
            b.resize(len.div_ceil(4) * 4, 0);
            b[12] = ((b.len() / 4) as u8) << 4;
            let seg = TcpPacket::parse_with(&b[..], None, ParseOptions::LENIENT).unwrap();
            let got = (seg.mss(), seg.window_scale(), seg.timestamps(), seg.sack_permitted());
            proptest::prop_assert_eq!(got, reference(seg.options_bytes()));
        }
    }

    #[test]
    fn options_cut_short_keep_the_whole_ones_before_the_cut() {
        let mut b = [0u8; 40];
        b[12] = 0xa0; // 40-byte header
        b[20..].copy_from_slice(&SYN_OPTS);
        // Cut inside the timestamps option: MSS and SACK-permitted were captured whole.
        let cut = &b[..30];
        assert!(TcpPacket::parse(cut, None).is_err());
        let Ok(Lenient::Whole(seg)) =
            TcpPacket::parse_lenient(cut, Some(PH), ChecksumPolicy::Report)
        else {
            panic!("fixed header was whole");
        };
        assert!(seg.is_truncated());
        assert_eq!((seg.header_len(), seg.options_bytes().len()), (40, 10));
        assert_eq!((seg.mss(), seg.sack_permitted()), (Some(1460), true));
        assert_eq!((seg.timestamps(), seg.window_scale()), (None, None));
        assert_eq!(seg.checksum_status(), ChecksumStatus::Unverified);
        assert!(seg.payload().is_empty());
        // Cut inside the fixed header: the partial view.
        let part = TcpPacket::parse_lenient(&b[..13], Some(PH), ChecksumPolicy::Report)
            .unwrap()
            .cut()
            .unwrap();
        assert_eq!((part.header_len(), part.flags()), (Some(40), None));
    }

    fn syn() -> [u8; 40] {
        let mut b = [0u8; 40];
        let repr = TcpRepr {
            seq: 0x01020304,
            flags: FLAG_SYN,
            window: 64240,
            options: &SYN_OPTS,
            ..TcpRepr::new(50000, 80)
        };
        repr.emit(&mut b, Some(PH)).unwrap();
        b
    }

    #[test]
    fn parses_syn_fields_and_options() {
        let b = syn();
        let s = TcpPacket::parse(&b[..], Some(PH)).unwrap();
        assert_eq!(
            (s.header_len(), s.flags(), s.window(), s.seq()),
            (40, 0x002, 64240, 0x01020304)
        );
        assert_eq!(
            (s.mss(), s.window_scale(), s.timestamps()),
            (Some(1460), Some(7), Some((0x1234, 0)))
        );
        assert!(s.sack_permitted());
        assert_eq!(s.checksum_status(), ChecksumStatus::Good);
        assert_eq!(
            s.to_string(),
            "TCP 50000 > 80 [S] seq 16909060 ack 0 win 64240 len 0"
        );
    }

    #[test]
    fn corrupted_segment_fails_checksum() {
        let mut b = syn();
        b[4] ^= 0x80;
        assert!(TcpPacket::parse(&b[..], Some(PH)).is_err());
        let s = TcpPacket::parse_with(&b[..], Some(PH), ParseOptions::LENIENT).unwrap();
        assert_eq!(s.checksum_status(), ChecksumStatus::Bad);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let b = syn();
        for n in 0..b.len() {
            assert!(TcpPacket::parse(&b[..n], Some(PH)).is_err(), "len {n}");
        }
    }

    #[test]
    fn re_emit_reproduces_bytes() {
        let b = syn();
        let s = TcpPacket::parse(&b[..], Some(PH)).unwrap();
        let mut out = [0u8; 40];
        s.repr().emit(&mut out, Some(PH)).unwrap();
        assert_eq!(out, b);
    }
}
