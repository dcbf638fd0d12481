//! Partial views of UDP and TCP headers cut inside their fixed part.

use core::fmt;
use core::mem::offset_of;

use zerocast::byteorder::network_endian::{U16, U32};
use zerocast::SplitByteSlice;

use super::Captured;
use crate::error::{ErrorKind, Layer, ParseError};
use crate::tcp::{self, TcpHeader};
use crate::udp::{self, UdpHeader};

/// The first bytes of a UDP header that a capture cut short: every field whose bytes are
/// all present, read in place, and `None` for the others.
///
/// ```
/// use zerocast_wire::udp::UdpPartial;
/// let d = UdpPartial::parse(&[0, 53, 0xc3, 0x50, 0, 40, 0x12][..])?;
/// assert_eq!((d.src_port(), d.dst_port(), d.length()), (Some(53), Some(50000), Some(40)));
/// assert_eq!(d.checksum(), None);
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct UdpPartial<B> {
    captured: Captured<B, { udp::HEADER_LEN }>,
}

impl<B: SplitByteSlice> UdpPartial<B> {
    /// Views the captured start of a header (bytes past the first 8 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all; `BadLength` when a captured Length is below 8, as
    /// [`UdpPacket::parse_with`](crate::udp::UdpPacket::parse_with) would.
    ///
    /// ```
    /// assert!(zerocast_wire::udp::UdpPartial::parse(&[0u8, 1, 0, 2, 0, 7][..]).is_err());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let view = UdpPartial {
            captured: Captured::new(bytes, Layer::Udp)?,
        };
        if let Some(length) = view.length() {
            if usize::from(length) < udp::HEADER_LEN {
                let length = usize::from(length);
                return Err(ParseError::new(Layer::Udp, ErrorKind::BadLength(length), 4));
            }
        }
        Ok(view)
    }

    /// How many header bytes were captured (1 to 8).
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.captured_len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// let bytes: &[u8] = udp.into_bytes();
    /// assert_eq!(bytes.len(), 6);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Source port (`udp.srcport`).
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.src_port(), Some(54321));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src_port(&self) -> Option<u16> {
        self.u16_field(offset_of!(UdpHeader, src_port))
    }
    /// Destination port (`udp.dstport`).
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.dst_port(), Some(53));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst_port(&self) -> Option<u16> {
        self.u16_field(offset_of!(UdpHeader, dst_port))
    }
    /// Length (`udp.length`).
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.length(), Some(13));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn length(&self) -> Option<u16> {
        self.u16_field(offset_of!(UdpHeader, length))
    }
    /// Checksum as carried; never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::udp::UdpPartial;
    /// # // The first 6 of 8 header bytes: the checksum was not captured.
    /// # let cut = [0xd4, 0x31, 0x00, 0x35, 0x00, 0x0d];
    /// let udp = UdpPartial::parse(&cut[..])?;
    /// assert_eq!(udp.checksum(), None); // bytes 6 and 7 were not captured
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        self.u16_field(offset_of!(UdpHeader, checksum))
    }
    fn u16_field(&self, offset: usize) -> Option<u16> {
        self.captured.field::<U16>(offset).map(|v| v.get())
    }
}

impl<B: SplitByteSlice> fmt::Debug for UdpPartial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpPartial")
            .field("captured", &self.bytes())
            .finish()
    }
}

/// The first bytes of a TCP header that a capture cut short: every field whose bytes are
/// all present, read in place, and `None` for the others. (A cut inside the options is not
/// a cut header: [`TcpPacket::parse_lenient`](crate::tcp::TcpPacket::parse_lenient) keeps
/// the captured options.)
///
/// ```
/// use zerocast_wire::tcp::TcpPartial;
/// let seg = TcpPartial::parse(&[0xc3, 0x50, 0, 80, 0x12, 0x34, 0x56][..])?;
/// assert_eq!((seg.src_port(), seg.dst_port(), seg.seq()), (Some(50000), Some(80), None));
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
pub struct TcpPartial<B> {
    captured: Captured<B, { tcp::HEADER_LEN }>,
}

impl<B: SplitByteSlice> TcpPartial<B> {
    /// Views the captured start of a header (bytes past the fixed 20 are ignored).
    ///
    /// # Errors
    /// `Truncated` for no bytes at all; `BadHeaderLength` when a captured data offset is
    /// below 5, as [`TcpPacket::parse_with`](crate::tcp::TcpPacket::parse_with) would.
    ///
    /// ```
    /// let mut b = [0u8; 13];
    /// assert!(zerocast_wire::tcp::TcpPartial::parse(&b[..]).is_err()); // data offset 0
    /// b[12] = 0x50;
    /// assert!(zerocast_wire::tcp::TcpPartial::parse(&b[..]).is_ok());
    /// ```
    pub fn parse(bytes: B) -> Result<Self, ParseError> {
        let view = TcpPartial {
            captured: Captured::new(bytes, Layer::Tcp)?,
        };
        if let Some(header_len) = view.header_len() {
            if header_len < tcp::HEADER_LEN {
                return Err(ParseError::new(
                    Layer::Tcp,
                    ErrorKind::BadHeaderLength(header_len),
                    12,
                ));
            }
        }
        Ok(view)
    }

    /// How many header bytes were captured (1 to 20).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.captured_len(), 16);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn captured_len(&self) -> usize {
        self.captured.len()
    }
    /// The captured bytes.
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.bytes(), &cut[..]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.captured.bytes()
    }
    /// Returns the captured bytes, giving up the view.
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// let bytes: &[u8] = seg.into_bytes();
    /// assert_eq!(bytes.len(), 16);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> B {
        self.captured.into_bytes()
    }
    /// Source port (`tcp.srcport`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.src_port(), Some(443));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn src_port(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, src_port))
    }
    /// Destination port (`tcp.dstport`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.dst_port(), Some(50000));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn dst_port(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, dst_port))
    }
    /// Sequence number as sent (`tcp.seq_raw`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.seq(), Some(0x1122_3344));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn seq(&self) -> Option<u32> {
        self.u32_field(offset_of!(TcpHeader, seq))
    }
    /// Acknowledgment number as sent (`tcp.ack_raw`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.ack(), Some(0x5566_7788));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn ack(&self) -> Option<u32> {
        self.u32_field(offset_of!(TcpHeader, ack))
    }
    /// Header length in bytes (`tcp.hdr_len`), from the data offset nibble.
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.header_len(), Some(40)); // though only 16 bytes are here
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn header_len(&self) -> Option<usize> {
        let byte = self.captured.byte(offset_of!(TcpHeader, offset_flags))?;
        Some(usize::from(byte >> 4) * 4)
    }
    /// Reserved bits and flags (`tcp.flags`), which end in the second byte of their word.
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.flags(), Some(zerocast_wire::tcp::FLAG_SYN | zerocast_wire::tcp::FLAG_ACK));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn flags(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, offset_flags))
            .map(|w| w & 0x0fff)
    }
    /// Window (`tcp.window_size_value`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.window(), Some(65160));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn window(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, window))
    }
    /// Checksum as carried; never verifiable on a cut header.
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.checksum(), None); // bytes 16 and 17 were not captured
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn checksum(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, checksum))
    }
    /// Urgent pointer (`tcp.urgent_pointer`).
    ///
    /// ```
    /// # use zerocast_wire::tcp::TcpPartial;
    /// # // The first 16 bytes of a SYN-ACK header: checksum and urgent pointer were not captured.
    /// # let cut = [0x01, 0xbb, 0xc3, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    /// #            0xa0, 0x12, 0xfe, 0x88];
    /// let seg = TcpPartial::parse(&cut[..])?;
    /// assert_eq!(seg.urgent_pointer(), None);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn urgent_pointer(&self) -> Option<u16> {
        self.u16_field(offset_of!(TcpHeader, urgent))
    }
    fn u16_field(&self, offset: usize) -> Option<u16> {
        self.captured.field::<U16>(offset).map(|v| v.get())
    }
    fn u32_field(&self, offset: usize) -> Option<u32> {
        self.captured.field::<U32>(offset).map(|v| v.get())
    }
}

impl<B: SplitByteSlice> fmt::Debug for TcpPartial<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpPartial")
            .field("captured", &self.bytes())
            .finish()
    }
}
