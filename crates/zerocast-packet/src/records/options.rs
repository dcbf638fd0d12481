//! The framing shared by every network option format: a kind byte, then (except for
//! one-byte kinds) a length byte and a value.
//!
//! The four formats differ only in what the length counts and which kinds are one byte
//! long, which an [`OptionLayout`] states. A protocol then implements [`OptionsImpl`] with
//! a parser for the value of each kind and gets a [`RecordsImpl`] (and so
//! [`Records`](super::Records)) for free; framing errors (a truncated option, an impossible
//! length) are detected here once for all protocols. [`OptionBuilder`] is the matching
//! builder side.

use core::marker::PhantomData;

use super::{ParsedRecord, RecordsImpl};
use crate::builder::InnerPacketBuilder;
use crate::view::BufferView;

/// What an option's length byte counts.
///
/// ```
/// use zerocast_packet::records::options::LengthEncoding;
/// assert_eq!(LengthEncoding::WholeOption.total_len(3), Some(3));
/// assert_eq!(LengthEncoding::ValueOnly.total_len(3), Some(5));
/// assert_eq!(LengthEncoding::Units8.total_len(1), Some(8));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum LengthEncoding {
    /// The whole option, kind and length bytes included (IPv4, TCP); at least 2.
    WholeOption,
    /// Only the value (IPv6 Hop-by-Hop and Destination options).
    ValueOnly,
    /// The whole option in units of 8 bytes (NDP); 0 is invalid.
    Units8,
}

impl LengthEncoding {
    /// The total option length a length byte of `len` means, or `None` if it is invalid.
    ///
    /// ```
    /// use zerocast_packet::records::options::LengthEncoding;
    /// assert_eq!(LengthEncoding::WholeOption.total_len(4), Some(4)); // TCP MSS
    /// assert_eq!(LengthEncoding::WholeOption.total_len(1), None); // shorter than its header
    /// assert_eq!(LengthEncoding::Units8.total_len(0), None); // RFC 4861: silently discard
    /// ```
    #[must_use]
    #[inline]
    pub const fn total_len(self, len: u8) -> Option<usize> {
        let len = len as usize;
        match self {
            LengthEncoding::WholeOption if len >= 2 => Some(len),
            LengthEncoding::ValueOnly => Some(len + 2),
            LengthEncoding::Units8 if len >= 1 => Some(len * 8),
            _ => None,
        }
    }

    /// The length byte for an option of `total_len` bytes (which must already be a
    /// multiple of 8 for [`Units8`](LengthEncoding::Units8)), or `None` if it does not fit.
    ///
    /// ```
    /// use zerocast_packet::records::options::LengthEncoding;
    /// assert_eq!(LengthEncoding::ValueOnly.length_byte(6), Some(4));
    /// assert_eq!(LengthEncoding::WholeOption.length_byte(300), None);
    /// ```
    #[must_use]
    #[inline]
    pub const fn length_byte(self, total_len: usize) -> Option<u8> {
        let len = match self {
            LengthEncoding::WholeOption => total_len,
            LengthEncoding::ValueOnly => match total_len.checked_sub(2) {
                Some(l) => l,
                None => return None,
            },
            LengthEncoding::Units8 => {
                if !total_len.is_multiple_of(8) {
                    return None;
                }
                total_len / 8
            }
        };
        if len > u8::MAX as usize {
            None
        } else {
            Some(len as u8)
        }
    }

    /// The total length of an option carrying `value_len` value bytes (NDP options are
    /// zero-padded to a multiple of 8).
    ///
    /// ```
    /// use zerocast_packet::records::options::LengthEncoding;
    /// assert_eq!(LengthEncoding::Units8.padded_total_len(6), 8);
    /// assert_eq!(LengthEncoding::Units8.padded_total_len(7), 16);
    /// ```
    #[must_use]
    #[inline]
    pub const fn padded_total_len(self, value_len: usize) -> usize {
        let total = value_len.saturating_add(2);
        match self {
            LengthEncoding::Units8 => total.div_ceil(8).saturating_mul(8),
            _ => total,
        }
    }
}

/// The framing of one option format.
///
/// ```
/// use zerocast_packet::records::options::{OptionLayout, Ipv6OptionLayout};
/// assert_eq!(Ipv6OptionLayout::NOP, Some(0)); // Pad1
/// ```
pub trait OptionLayout {
    /// What the length byte counts.
    const LENGTH_ENCODING: LengthEncoding;
    /// The one-byte kind that ends the list (the rest is padding), if any.
    const END_OF_OPTIONS: Option<u8>;
    /// The one-byte kind used as filler (NOP, Pad1), if any. Skipped when parsing.
    const NOP: Option<u8>;
    /// A multi-byte padding kind (IPv6 PadN), if any. Skipped when parsing.
    const PADDING: Option<u8>;
}

/// IPv4 options (RFC 791): EOL = 0, NOP = 1, length counts the whole option.
///
/// ```
/// use zerocast_packet::records::options::{OptionLayout, Ipv4OptionLayout};
/// assert_eq!(Ipv4OptionLayout::END_OF_OPTIONS, Some(0));
/// ```
#[derive(Copy, Clone, Debug)]
pub enum Ipv4OptionLayout {}

impl OptionLayout for Ipv4OptionLayout {
    const LENGTH_ENCODING: LengthEncoding = LengthEncoding::WholeOption;
    const END_OF_OPTIONS: Option<u8> = Some(0);
    const NOP: Option<u8> = Some(1);
    const PADDING: Option<u8> = None;
}

/// TCP options (RFC 9293): the same framing as IPv4's.
///
/// ```
/// use zerocast_packet::records::options::{OptionLayout, TcpOptionLayout};
/// assert_eq!(TcpOptionLayout::NOP, Some(1));
/// ```
#[derive(Copy, Clone, Debug)]
pub enum TcpOptionLayout {}

impl OptionLayout for TcpOptionLayout {
    const LENGTH_ENCODING: LengthEncoding = LengthEncoding::WholeOption;
    const END_OF_OPTIONS: Option<u8> = Some(0);
    const NOP: Option<u8> = Some(1);
    const PADDING: Option<u8> = None;
}

/// IPv6 Hop-by-Hop and Destination options (RFC 8200): Pad1 = 0, PadN = 1, length counts
/// the value only.
///
/// ```
/// use zerocast_packet::records::options::{OptionLayout, Ipv6OptionLayout};
/// assert_eq!(Ipv6OptionLayout::PADDING, Some(1));
/// ```
#[derive(Copy, Clone, Debug)]
pub enum Ipv6OptionLayout {}

impl OptionLayout for Ipv6OptionLayout {
    const LENGTH_ENCODING: LengthEncoding = LengthEncoding::ValueOnly;
    const END_OF_OPTIONS: Option<u8> = None;
    const NOP: Option<u8> = Some(0);
    const PADDING: Option<u8> = Some(1);
}

/// NDP options (RFC 4861): length in units of 8 bytes, no one-byte kinds.
///
/// ```
/// use zerocast_packet::records::options::{OptionLayout, NdpOptionLayout, LengthEncoding};
/// assert_eq!(NdpOptionLayout::LENGTH_ENCODING, LengthEncoding::Units8);
/// ```
#[derive(Copy, Clone, Debug)]
pub enum NdpOptionLayout {}

impl OptionLayout for NdpOptionLayout {
    const LENGTH_ENCODING: LengthEncoding = LengthEncoding::Units8;
    const END_OF_OPTIONS: Option<u8> = None;
    const NOP: Option<u8> = None;
    const PADDING: Option<u8> = None;
}

/// A framing error: the option list itself is malformed, whatever the kinds mean.
///
/// Offsets are those of the option's kind byte, counted from the offset the sequence was
/// parsed with (see [`Records::parse_with_context`](super::Records::parse_with_context)),
/// so they can point into the enclosing header (e.g. an ICMP Parameter Problem pointer).
///
/// ```
/// use zerocast_packet::records::options::OptionFramingError;
/// let e = OptionFramingError::BadLength { kind: 2, len: 1, offset: 20 };
/// assert_eq!(e.offset(), 20);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionFramingError {
    /// The option's length byte, or part of its value, is missing.
    Truncated {
        /// The option's kind.
        kind: u8,
        /// Where the option starts.
        offset: usize,
    },
    /// The length byte has a value no option can have (e.g. 1 for IPv4, 0 for NDP).
    BadLength {
        /// The option's kind.
        kind: u8,
        /// The length byte.
        len: u8,
        /// Where the option starts.
        offset: usize,
    },
}

impl OptionFramingError {
    /// Where the malformed option starts.
    ///
    /// ```
    /// use zerocast_packet::records::options::OptionFramingError;
    /// assert_eq!(OptionFramingError::Truncated { kind: 7, offset: 3 }.offset(), 3);
    /// ```
    #[must_use]
    #[inline]
    pub fn offset(&self) -> usize {
        match self {
            OptionFramingError::Truncated { offset, .. }
            | OptionFramingError::BadLength { offset, .. } => *offset,
        }
    }
}

/// A protocol's options: an [`OptionLayout`] plus a parser for each kind's value.
///
/// Every `OptionsImpl` is a [`RecordsImpl`] whose context is the offset of the next
/// option (0 by default; pass the options' position in their header to
/// [`Records::parse_with_context`](super::Records::parse_with_context) to get offsets
/// relative to the header).
///
/// ```
/// use zerocast_packet::records::Records;
/// use zerocast_packet::records::options::{OptionsImpl, OptionLayout, OptionFramingError,
///     TcpOptionLayout, LengthEncoding};
///
/// #[derive(Debug, PartialEq)]
/// enum TcpOption<'a> { Mss(u16), Other(u8, &'a [u8]) }
///
/// #[derive(Debug, PartialEq)]
/// enum Error { Framing(OptionFramingError), BadMss }
/// impl From<OptionFramingError> for Error {
///     fn from(e: OptionFramingError) -> Self { Error::Framing(e) }
/// }
///
/// enum Tcp {}
/// impl OptionLayout for Tcp {
///     const LENGTH_ENCODING: LengthEncoding = TcpOptionLayout::LENGTH_ENCODING;
///     const END_OF_OPTIONS: Option<u8> = TcpOptionLayout::END_OF_OPTIONS;
///     const NOP: Option<u8> = TcpOptionLayout::NOP;
///     const PADDING: Option<u8> = TcpOptionLayout::PADDING;
/// }
/// impl OptionsImpl for Tcp {
///     type Option<'a> = TcpOption<'a>;
///     type Error = Error;
///     fn parse_option<'a>(kind: u8, data: &'a [u8], _offset: usize)
///         -> Result<Option<TcpOption<'a>>, Error>
///     {
///         Ok(Some(match kind {
///             2 => match data {
///                 [a, b] => TcpOption::Mss(u16::from_be_bytes([*a, *b])),
///                 _ => return Err(Error::BadMss),
///             },
///             _ => TcpOption::Other(kind, data),
///         }))
///     }
/// }
///
/// let opts = Records::<_, Tcp>::parse(&[2u8, 4, 5, 0xb4, 1, 0][..]).unwrap();
/// assert_eq!(opts.iter().collect::<Vec<_>>(), [TcpOption::Mss(1460)]);
/// assert_eq!(Records::<_, Tcp>::parse(&[2u8, 3, 5][..]).unwrap_err(), Error::BadMss);
/// // A truncated option at byte 1 of the options, which start at byte 20 of the header:
/// assert_eq!(Records::<_, Tcp>::parse_with_context(&[1u8, 2, 4, 5][..], 20).unwrap_err(),
///     Error::Framing(OptionFramingError::Truncated { kind: 2, offset: 21 }));
/// ```
pub trait OptionsImpl: OptionLayout {
    /// A parsed option.
    type Option<'a>;
    /// Why an option is malformed; framing errors convert into it.
    type Error: From<OptionFramingError>;

    /// Parses the value of an option of kind `kind` whose kind byte is at `offset`.
    /// `Ok(None)` skips the option.
    ///
    /// Called by [`Records`](super::Records) after the framing checks; here directly:
    ///
    /// ```
    /// use zerocast_packet::records::options::{OptionsImpl, OptionLayout, OptionFramingError};
    /// # use zerocast_packet::records::options::{LengthEncoding, TcpOptionLayout};
    /// /// Keeps only window-scale options (kind 3), as the shift count.
    /// enum WindowScaleOnly {}
    /// # impl OptionLayout for WindowScaleOnly {
    /// #     const LENGTH_ENCODING: LengthEncoding = TcpOptionLayout::LENGTH_ENCODING;
    /// #     const END_OF_OPTIONS: Option<u8> = TcpOptionLayout::END_OF_OPTIONS;
    /// #     const NOP: Option<u8> = TcpOptionLayout::NOP;
    /// #     const PADDING: Option<u8> = TcpOptionLayout::PADDING;
    /// # }
    /// impl OptionsImpl for WindowScaleOnly {
    ///     type Option<'a> = u8;
    ///     type Error = OptionFramingError;
    ///     fn parse_option(kind: u8, data: &[u8], offset: usize)
    ///         -> Result<Option<u8>, OptionFramingError>
    ///     {
    ///         match (kind, data) {
    ///             (3, [shift]) => Ok(Some(*shift)),
    ///             (3, _) => Err(OptionFramingError::BadLength { kind, len: 0, offset }),
    ///             _ => Ok(None),
    ///         }
    ///     }
    /// }
    ///
    /// assert_eq!(WindowScaleOnly::parse_option(3, &[7], 20), Ok(Some(7)));
    /// assert_eq!(WindowScaleOnly::parse_option(2, &[5, 0xb4], 20), Ok(None));
    /// ```
    fn parse_option<'a>(
        kind: u8,
        data: &'a [u8],
        offset: usize,
    ) -> Result<Option<Self::Option<'a>>, Self::Error>;
}

impl<O: OptionsImpl> RecordsImpl for O {
    type Record<'a> = O::Option<'a>;
    type Error = O::Error;
    /// The offset of the next option.
    type Context = usize;

    #[inline]
    fn parse_record<'a>(
        bytes: &mut &'a [u8],
        next_offset: &mut usize,
    ) -> Result<ParsedRecord<O::Option<'a>>, O::Error> {
        let offset = *next_offset;
        let mut bv = bytes;
        let Some(kind) = bv.take_byte_front() else {
            return Ok(ParsedRecord::Done);
        };
        if Some(kind) == O::END_OF_OPTIONS {
            // The rest is padding after the end of the list.
            bv.take_rest_front();
            return Ok(ParsedRecord::Done);
        }
        if Some(kind) == O::NOP {
            *next_offset = offset.saturating_add(1);
            return Ok(ParsedRecord::Skipped);
        }
        let len = bv
            .take_byte_front()
            .ok_or(OptionFramingError::Truncated { kind, offset })?;
        let total = O::LENGTH_ENCODING
            .total_len(len)
            .ok_or(OptionFramingError::BadLength { kind, len, offset })?;
        let data = bv
            .take_front(total - 2)
            .ok_or(OptionFramingError::Truncated { kind, offset })?;
        *next_offset = offset.saturating_add(total);
        if Some(kind) == O::PADDING {
            return Ok(ParsedRecord::Skipped);
        }
        Ok(match O::parse_option(kind, data, offset)? {
            Some(option) => ParsedRecord::Parsed(option),
            None => ParsedRecord::Skipped,
        })
    }
}

/// An option as kind and value bytes, undecoded.
///
/// ```
/// use zerocast_packet::records::options::RawOption;
/// let o = RawOption { kind: 2, data: &[5, 0xb4] };
/// assert_eq!(o.data.len(), 2);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawOption<'a> {
    /// The kind (type) byte.
    pub kind: u8,
    /// The value, without kind and length bytes (NDP: including the value's padding).
    pub data: &'a [u8],
}

/// Options of layout `L` parsed into [`RawOption`]s: framing is validated, values are not
/// interpreted.
///
/// ```
/// use zerocast_packet::records::Records;
/// use zerocast_packet::records::options::{RawOptions, NdpOptionLayout};
///
/// // A source link-layer address option: type 1, length 1 (8 bytes).
/// let bytes = [1u8, 1, 0, 1, 2, 3, 4, 5];
/// let opts = Records::<_, RawOptions<NdpOptionLayout>>::parse(&bytes[..]).unwrap();
/// let first = opts.iter().next().unwrap();
/// assert_eq!((first.kind, first.data), (1, &[0u8, 1, 2, 3, 4, 5][..]));
/// ```
#[derive(Copy, Clone, Debug)]
pub struct RawOptions<L>(PhantomData<L>, core::convert::Infallible);

impl<L: OptionLayout> OptionLayout for RawOptions<L> {
    const LENGTH_ENCODING: LengthEncoding = L::LENGTH_ENCODING;
    const END_OF_OPTIONS: Option<u8> = L::END_OF_OPTIONS;
    const NOP: Option<u8> = L::NOP;
    const PADDING: Option<u8> = L::PADDING;
}

impl<L: OptionLayout> OptionsImpl for RawOptions<L> {
    type Option<'a> = RawOption<'a>;
    type Error = OptionFramingError;

    #[inline]
    fn parse_option<'a>(
        kind: u8,
        data: &'a [u8],
        _: usize,
    ) -> Result<Option<RawOption<'a>>, OptionFramingError> {
        Ok(Some(RawOption { kind, data }))
    }
}

/// Builds one option of layout `Layout`: kind byte, length byte, value (NDP: zero-padded
/// to a multiple of 8).
///
/// Sequences of options are built with [`OptionSequenceBuilder`]. For aligned IPv6 options,
/// implement [`RecordBuilder`](super::RecordBuilder) with [`option_len`](OptionBuilder::option_len) and
/// [`serialize_option`](OptionBuilder::serialize_option), plus
/// [`AlignedRecordBuilder`](super::AlignedRecordBuilder).
///
/// ```
/// use zerocast_packet::records::options::{OptionBuilder, TcpOptionLayout};
///
/// struct Mss(u16);
/// impl OptionBuilder for Mss {
///     type Layout = TcpOptionLayout;
///     fn kind(&self) -> u8 { 2 }
///     fn value_len(&self) -> usize { 2 }
///     fn serialize_value(&self, data: &mut [u8]) {
///         data.copy_from_slice(&self.0.to_be_bytes());
///     }
/// }
///
/// let mut out = [0u8; 4];
/// assert_eq!(Mss(1460).option_len(), 4);
/// Mss(1460).serialize_option(&mut out);
/// assert_eq!(out, [2, 4, 0x05, 0xb4]);
/// ```
pub trait OptionBuilder {
    /// The option format.
    type Layout: OptionLayout;
    /// The kind byte.
    ///
    /// ```
    /// # use zerocast_packet::records::options::{OptionBuilder, TcpOptionLayout};
    /// # struct Mss(u16);
    /// # impl OptionBuilder for Mss {
    /// #     type Layout = TcpOptionLayout;
    /// #     fn kind(&self) -> u8 { 2 }
    /// #     fn value_len(&self) -> usize { 2 }
    /// #     fn serialize_value(&self, data: &mut [u8]) {
    /// #         data.copy_from_slice(&self.0.to_be_bytes());
    /// #     }
    /// # }
    /// assert_eq!(Mss(1460).kind(), 2); // RFC 9293: Maximum Segment Size
    /// ```
    fn kind(&self) -> u8;
    /// The number of value bytes [`serialize_value`](OptionBuilder::serialize_value)
    /// writes.
    ///
    /// ```
    /// # use zerocast_packet::records::options::{OptionBuilder, TcpOptionLayout};
    /// # struct Mss(u16);
    /// # impl OptionBuilder for Mss {
    /// #     type Layout = TcpOptionLayout;
    /// #     fn kind(&self) -> u8 { 2 }
    /// #     fn value_len(&self) -> usize { 2 }
    /// #     fn serialize_value(&self, data: &mut [u8]) {
    /// #         data.copy_from_slice(&self.0.to_be_bytes());
    /// #     }
    /// # }
    /// assert_eq!(Mss(1460).value_len(), 2);
    /// assert_eq!(Mss(1460).option_len(), 4); // plus kind and length bytes
    /// ```
    fn value_len(&self) -> usize;
    /// Writes the value into `data` (exactly `value_len()` bytes).
    ///
    /// ```
    /// # use zerocast_packet::records::options::{OptionBuilder, TcpOptionLayout};
    /// # struct Mss(u16);
    /// # impl OptionBuilder for Mss {
    /// #     type Layout = TcpOptionLayout;
    /// #     fn kind(&self) -> u8 { 2 }
    /// #     fn value_len(&self) -> usize { 2 }
    /// #     fn serialize_value(&self, data: &mut [u8]) {
    /// #         data.copy_from_slice(&self.0.to_be_bytes());
    /// #     }
    /// # }
    /// let mut value = [0u8; 2];
    /// Mss(1460).serialize_value(&mut value);
    /// assert_eq!(value, [0x05, 0xb4]);
    /// ```
    fn serialize_value(&self, data: &mut [u8]);

    /// The whole option's length, kind and length bytes and padding included.
    ///
    /// NDP options round up to a multiple of 8 bytes:
    ///
    /// ```
    /// # use zerocast_packet::records::options::{OptionBuilder, NdpOptionLayout};
    /// /// NDP Source Link-Layer Address option (RFC 4861 section 4.6.1).
    /// struct Slla([u8; 6]);
    /// impl OptionBuilder for Slla {
    ///     type Layout = NdpOptionLayout;
    ///     fn kind(&self) -> u8 { 1 }
    ///     fn value_len(&self) -> usize { 6 }
    ///     fn serialize_value(&self, data: &mut [u8]) { data.copy_from_slice(&self.0) }
    /// }
    /// assert_eq!(Slla([0; 6]).option_len(), 8);
    /// ```
    #[inline]
    fn option_len(&self) -> usize {
        Self::Layout::LENGTH_ENCODING.padded_total_len(self.value_len())
    }

    /// Writes the whole option into `buf` (exactly [`option_len`](OptionBuilder::option_len)
    /// bytes).
    ///
    /// # Panics
    ///
    /// Panics if `buf.len()` does not fit the option's length byte, or if `buf` is shorter
    /// than the 2-byte header plus [`value_len`](Self::value_len) (builder bugs: option
    /// values are bounded by their protocol). A longer `buf` does not panic: the length byte
    /// covers all of it and the bytes after the value are zeroed.
    ///
    /// ```
    /// # use zerocast_packet::records::options::{OptionBuilder, NdpOptionLayout};
    /// /// NDP Source Link-Layer Address option (RFC 4861 section 4.6.1).
    /// struct Slla([u8; 6]);
    /// impl OptionBuilder for Slla {
    ///     type Layout = NdpOptionLayout;
    ///     fn kind(&self) -> u8 { 1 }
    ///     fn value_len(&self) -> usize { 6 }
    ///     fn serialize_value(&self, data: &mut [u8]) { data.copy_from_slice(&self.0) }
    /// }
    /// let mut out = [0xFFu8; 8];
    /// Slla([0x02, 0, 0, 0, 0, 0x01]).serialize_option(&mut out);
    /// assert_eq!(out, [1, 1, 0x02, 0, 0, 0, 0, 0x01]); // length 1 = 8 bytes
    /// ```
    #[inline]
    fn serialize_option(&self, buf: &mut [u8]) {
        let total = buf.len();
        let len = Self::Layout::LENGTH_ENCODING
            .length_byte(total)
            .expect("option too long for its length byte");
        let (header, rest) = buf.split_at_mut(2);
        header[0] = self.kind();
        header[1] = len;
        let (value, padding) = rest.split_at_mut(self.value_len());
        self.serialize_value(value);
        padding.fill(0);
    }
}

impl<O: OptionBuilder + ?Sized> OptionBuilder for &O {
    type Layout = O::Layout;

    #[inline]
    fn kind(&self) -> u8 {
        (**self).kind()
    }

    #[inline]
    fn value_len(&self) -> usize {
        (**self).value_len()
    }

    #[inline]
    fn serialize_value(&self, data: &mut [u8]) {
        (**self).serialize_value(data)
    }
}

/// A sequence of options written back to back, followed by nothing (append an
/// end-of-options byte and padding yourself where the protocol wants them).
///
/// ```
/// use zerocast_packet::InnerPacketBuilder;
/// use zerocast_packet::records::options::{OptionBuilder, OptionSequenceBuilder,
///     NdpOptionLayout};
///
/// struct Mtu(u32);
/// impl OptionBuilder for Mtu {
///     type Layout = NdpOptionLayout;
///     fn kind(&self) -> u8 { 5 }
///     fn value_len(&self) -> usize { 6 }
///     fn serialize_value(&self, data: &mut [u8]) {
///         data[..2].fill(0);
///         data[2..].copy_from_slice(&self.0.to_be_bytes());
///     }
/// }
///
/// let opts = [Mtu(1500)];
/// let seq = OptionSequenceBuilder::new(opts.iter());
/// let mut out = [0xFFu8; 8];
/// seq.serialize(&mut out);
/// assert_eq!(out, [5, 1, 0, 0, 0, 0, 0x05, 0xdc]);
/// ```
#[derive(Clone, Debug)]
pub struct OptionSequenceBuilder<I> {
    options: I,
}

impl<I> OptionSequenceBuilder<I> {
    /// A sequence of `options`; the iterator is cloned to walk them twice.
    ///
    /// ```
    /// use zerocast_packet::InnerPacketBuilder;
    /// use zerocast_packet::records::options::OptionSequenceBuilder;
    /// # use zerocast_packet::records::options::{OptionBuilder, TcpOptionLayout};
    /// # struct Mss(u16);
    /// # impl OptionBuilder for Mss {
    /// #     type Layout = TcpOptionLayout;
    /// #     fn kind(&self) -> u8 { 2 }
    /// #     fn value_len(&self) -> usize { 2 }
    /// #     fn serialize_value(&self, data: &mut [u8]) {
    /// #         data.copy_from_slice(&self.0.to_be_bytes());
    /// #     }
    /// # }
    /// let options = [Mss(1460), Mss(536)];
    /// let seq = OptionSequenceBuilder::new(options.iter());
    /// let mut out = [0u8; 8];
    /// seq.serialize(&mut out);
    /// assert_eq!(out, [2, 4, 0x05, 0xb4, 2, 4, 0x02, 0x18]);
    /// ```
    #[inline]
    pub fn new(options: I) -> Self {
        OptionSequenceBuilder { options }
    }
}

impl<O: OptionBuilder, I: Iterator<Item = O> + Clone> InnerPacketBuilder
    for OptionSequenceBuilder<I>
{
    #[inline]
    fn bytes_len(&self) -> usize {
        self.options.clone().map(|o| o.option_len()).sum()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        let mut rest = buffer;
        for option in self.options.clone() {
            let (here, after) = core::mem::take(&mut rest).split_at_mut(option.option_len());
            option.serialize_option(here);
            rest = after;
        }
    }
}
