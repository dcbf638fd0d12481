//! Building record sequences: each record knows its length and writes itself; sequences
//! are [`InnerPacketBuilder`]s, and aligned sequences insert padding so each record starts
//! at an `xn+y` offset (IPv6 options).

use crate::builder::InnerPacketBuilder;

/// Writes one record.
///
/// ```
/// use zerocast_packet::records::RecordBuilder;
/// struct Two;
/// impl RecordBuilder for Two {
///     fn serialized_len(&self) -> usize { 2 }
///     fn serialize_into(&self, buf: &mut [u8]) { buf.copy_from_slice(&[0xAB, 0xCD]) }
/// }
/// let mut out = [0u8; 2];
/// Two.serialize_into(&mut out);
/// assert_eq!(out, [0xAB, 0xCD]);
/// ```
pub trait RecordBuilder {
    /// The number of bytes the record occupies.
    ///
    /// ```
    /// # use zerocast_packet::records::RecordBuilder;
    /// /// A record holding a kind byte and a length byte, then the value.
    /// struct Tlv<'a>(u8, &'a [u8]);
    /// impl RecordBuilder for Tlv<'_> {
    ///     fn serialized_len(&self) -> usize { 2 + self.1.len() }
    ///     fn serialize_into(&self, buf: &mut [u8]) {
    ///         let (head, value) = buf.split_at_mut(2);
    ///         head.copy_from_slice(&[self.0, self.1.len() as u8]); // short values only
    ///         value.copy_from_slice(self.1);
    ///     }
    /// }
    /// assert_eq!(Tlv(3, &[1, 2, 3]).serialized_len(), 5);
    /// assert_eq!(Tlv(3, &[]).serialized_len(), 2);
    /// ```
    fn serialized_len(&self) -> usize;
    /// Writes the record into `buf` (exactly `serialized_len()` bytes).
    ///
    /// ```
    /// # use zerocast_packet::records::RecordBuilder;
    /// /// A record holding a kind byte and a length byte, then the value.
    /// struct Tlv<'a>(u8, &'a [u8]);
    /// impl RecordBuilder for Tlv<'_> {
    ///     fn serialized_len(&self) -> usize { 2 + self.1.len() }
    ///     fn serialize_into(&self, buf: &mut [u8]) {
    ///         let (head, value) = buf.split_at_mut(2);
    ///         head.copy_from_slice(&[self.0, self.1.len() as u8]); // short values only
    ///         value.copy_from_slice(self.1);
    ///     }
    /// }
    /// let mut out = [0u8; 4];
    /// Tlv(3, &[0xAA, 0xBB]).serialize_into(&mut out);
    /// assert_eq!(out, [3, 2, 0xAA, 0xBB]);
    /// ```
    fn serialize_into(&self, buf: &mut [u8]);
}

impl<R: RecordBuilder + ?Sized> RecordBuilder for &R {
    #[inline]
    fn serialized_len(&self) -> usize {
        (**self).serialized_len()
    }

    #[inline]
    fn serialize_into(&self, buf: &mut [u8]) {
        (**self).serialize_into(buf)
    }
}

/// A record that must start at an offset of the form `x*n + y`.
///
/// ```
/// use zerocast_packet::records::{AlignedRecordBuilder, RecordBuilder};
/// struct Jumbo;
/// impl RecordBuilder for Jumbo {
///     fn serialized_len(&self) -> usize { 6 }
///     fn serialize_into(&self, buf: &mut [u8]) { buf.copy_from_slice(&[0xC2, 4, 0, 1, 0, 0]) }
/// }
/// impl AlignedRecordBuilder for Jumbo {
///     fn alignment_requirement(&self) -> (usize, usize) { (4, 2) }
///     fn serialize_padding(buf: &mut [u8]) { buf.fill(0) }
/// }
/// assert_eq!(Jumbo.alignment_requirement(), (4, 2));
/// ```
pub trait AlignedRecordBuilder: RecordBuilder {
    /// `(x, y)`: the record's offset (from the alignment origin) must be `x*n + y` for
    /// some `n`. `x` of 0 or 1 means no requirement.
    ///
    /// ```
    /// # use zerocast_packet::records::{AlignedRecordBuilder, RecordBuilder};
    /// /// An IPv6 Jumbo Payload option (RFC 2675): aligned 4n+2.
    /// struct Jumbo(u32);
    /// impl RecordBuilder for Jumbo {
    ///     fn serialized_len(&self) -> usize { 6 }
    ///     fn serialize_into(&self, buf: &mut [u8]) {
    ///         buf[..2].copy_from_slice(&[0xC2, 4]);
    ///         buf[2..].copy_from_slice(&self.0.to_be_bytes());
    ///     }
    /// }
    /// impl AlignedRecordBuilder for Jumbo {
    ///     fn alignment_requirement(&self) -> (usize, usize) { (4, 2) }
    ///     fn serialize_padding(buf: &mut [u8]) {
    ///         match buf.len() {
    ///             1 => buf[0] = 0, // Pad1
    ///             n => { buf.fill(0); buf[0] = 1; buf[1] = (n - 2) as u8 } // PadN
    ///         }
    ///     }
    /// }
    /// assert_eq!(Jumbo(70_000).alignment_requirement(), (4, 2));
    /// ```
    fn alignment_requirement(&self) -> (usize, usize);

    /// Fills `buf` with padding records (any length, 1 byte or more).
    ///
    /// ```
    /// # use zerocast_packet::records::{AlignedRecordBuilder, RecordBuilder};
    /// /// An IPv6 Jumbo Payload option (RFC 2675): aligned 4n+2.
    /// struct Jumbo(u32);
    /// impl RecordBuilder for Jumbo {
    ///     fn serialized_len(&self) -> usize { 6 }
    ///     fn serialize_into(&self, buf: &mut [u8]) {
    ///         buf[..2].copy_from_slice(&[0xC2, 4]);
    ///         buf[2..].copy_from_slice(&self.0.to_be_bytes());
    ///     }
    /// }
    /// impl AlignedRecordBuilder for Jumbo {
    ///     fn alignment_requirement(&self) -> (usize, usize) { (4, 2) }
    ///     fn serialize_padding(buf: &mut [u8]) {
    ///         match buf.len() {
    ///             1 => buf[0] = 0, // Pad1
    ///             n => { buf.fill(0); buf[0] = 1; buf[1] = (n - 2) as u8 } // PadN
    ///         }
    ///     }
    /// }
    /// let mut pad = [0xFFu8; 4];
    /// Jumbo::serialize_padding(&mut pad);
    /// assert_eq!(pad, [1, 2, 0, 0]); // one PadN option covering 4 bytes
    /// ```
    fn serialize_padding(buf: &mut [u8]);
}

impl<R: AlignedRecordBuilder + ?Sized> AlignedRecordBuilder for &R {
    #[inline]
    fn alignment_requirement(&self) -> (usize, usize) {
        (**self).alignment_requirement()
    }

    #[inline]
    fn serialize_padding(buf: &mut [u8]) {
        R::serialize_padding(buf)
    }
}

/// A sequence of records written back to back.
///
/// `I` is cloned to walk the records twice (length, then writing), so pass a cheap
/// iterator such as `slice.iter()`.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
/// use zerocast_packet::records::{RecordBuilder, RecordSequenceBuilder};
///
/// #[derive(Debug)]
/// struct Byte(u8);
/// impl RecordBuilder for Byte {
///     fn serialized_len(&self) -> usize { 1 }
///     fn serialize_into(&self, buf: &mut [u8]) { buf[0] = self.0 }
/// }
///
/// let records = [Byte(1), Byte(2)];
/// let seq = RecordSequenceBuilder::new(records.iter());
/// assert_eq!(seq.bytes_len(), 2);
/// assert_eq!(seq.into_serializer().serialize_vec_outer().unwrap().as_ref(), &[1, 2]);
/// ```
#[derive(Clone, Debug)]
pub struct RecordSequenceBuilder<I> {
    records: I,
}

impl<I> RecordSequenceBuilder<I> {
    /// A sequence of `records`.
    ///
    /// ```
    /// use zerocast_packet::InnerPacketBuilder;
    /// use zerocast_packet::records::{RecordBuilder, RecordSequenceBuilder};
    /// # struct Pair(u8, u8);
    /// # impl RecordBuilder for Pair {
    /// #     fn serialized_len(&self) -> usize { 2 }
    /// #     fn serialize_into(&self, buf: &mut [u8]) { buf.copy_from_slice(&[self.0, self.1]) }
    /// # }
    /// let records = [Pair(1, 2), Pair(3, 4)];
    /// let mut out = [0u8; 4];
    /// RecordSequenceBuilder::new(records.iter()).serialize(&mut out);
    /// assert_eq!(out, [1, 2, 3, 4]);
    /// ```
    #[inline]
    pub fn new(records: I) -> Self {
        RecordSequenceBuilder { records }
    }
}

impl<R: RecordBuilder, I: Iterator<Item = R> + Clone> InnerPacketBuilder
    for RecordSequenceBuilder<I>
{
    #[inline]
    fn bytes_len(&self) -> usize {
        self.records.clone().map(|r| r.serialized_len()).sum()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        let mut rest = buffer;
        for record in self.records.clone() {
            let (here, after) = core::mem::take(&mut rest).split_at_mut(record.serialized_len());
            record.serialize_into(here);
            rest = after;
        }
    }
}

/// A sequence of aligned records, with padding inserted before each record as its
/// alignment requires.
///
/// `start` is the offset of the sequence's first byte from the alignment origin (for IPv6
/// options, 2: the extension header's next-header and length bytes). Trailing padding to
/// the end of the header is the caller's (see [`padded_len`](Self::padded_len)).
///
/// ```
/// use zerocast_packet::InnerPacketBuilder;
/// use zerocast_packet::records::{AlignedRecordBuilder, AlignedRecordSequenceBuilder,
///     RecordBuilder};
///
/// struct Quad;
/// impl RecordBuilder for Quad {
///     fn serialized_len(&self) -> usize { 4 }
///     fn serialize_into(&self, buf: &mut [u8]) { buf.fill(0xEE) }
/// }
/// impl AlignedRecordBuilder for Quad {
///     fn alignment_requirement(&self) -> (usize, usize) { (4, 0) }
///     fn serialize_padding(buf: &mut [u8]) { buf.fill(0) }
/// }
///
/// let seq = AlignedRecordSequenceBuilder::new(2, [Quad].iter());
/// assert_eq!(seq.bytes_len(), 6); // 2 bytes padding, so the record starts at offset 4
/// let mut out = [0xFFu8; 6];
/// seq.serialize(&mut out);
/// assert_eq!(out, [0, 0, 0xEE, 0xEE, 0xEE, 0xEE]);
/// ```
#[derive(Clone, Debug)]
pub struct AlignedRecordSequenceBuilder<I> {
    start: usize,
    records: I,
}

/// The padding needed at `offset` for a record aligned `x*n + y`.
#[inline]
fn padding_for(offset: usize, (x, y): (usize, usize)) -> usize {
    if x <= 1 {
        return 0;
    }
    let target = y % x;
    (target + x - offset % x) % x
}

impl<I> AlignedRecordSequenceBuilder<I> {
    /// A sequence of `records` starting `start` bytes after the alignment origin.
    ///
    /// ```
    /// use zerocast_packet::InnerPacketBuilder;
    /// use zerocast_packet::records::AlignedRecordSequenceBuilder;
    /// # use zerocast_packet::records::{AlignedRecordBuilder, RecordBuilder};
    /// # /// An IPv6 Jumbo Payload option (RFC 2675): aligned 4n+2.
    /// # struct Jumbo(u32);
    /// # impl RecordBuilder for Jumbo {
    /// #     fn serialized_len(&self) -> usize { 6 }
    /// #     fn serialize_into(&self, buf: &mut [u8]) {
    /// #         buf[..2].copy_from_slice(&[0xC2, 4]);
    /// #         buf[2..].copy_from_slice(&self.0.to_be_bytes());
    /// #     }
    /// # }
    /// # impl AlignedRecordBuilder for Jumbo {
    /// #     fn alignment_requirement(&self) -> (usize, usize) { (4, 2) }
    /// #     fn serialize_padding(buf: &mut [u8]) {
    /// #         match buf.len() {
    /// #             1 => buf[0] = 0, // Pad1
    /// #             n => { buf.fill(0); buf[0] = 1; buf[1] = (n - 2) as u8 } // PadN
    /// #         }
    /// #     }
    /// # }
    /// // After the 2 bytes of next-header and length, 4n+2 needs no padding...
    /// assert_eq!(AlignedRecordSequenceBuilder::new(2, [Jumbo(1)].iter()).bytes_len(), 6);
    /// // ...but starting at offset 4 needs 2 bytes of it.
    /// assert_eq!(AlignedRecordSequenceBuilder::new(4, [Jumbo(1)].iter()).bytes_len(), 8);
    /// ```
    #[inline]
    pub fn new(start: usize, records: I) -> Self {
        AlignedRecordSequenceBuilder { start, records }
    }

    /// The sequence length once padded so that `start + len` is a multiple of `multiple`
    /// (IPv6 extension headers are multiples of 8 bytes).
    ///
    /// ```
    /// use zerocast_packet::records::{AlignedRecordBuilder, AlignedRecordSequenceBuilder,
    ///     RecordBuilder};
    /// struct One;
    /// impl RecordBuilder for One {
    ///     fn serialized_len(&self) -> usize { 1 }
    ///     fn serialize_into(&self, buf: &mut [u8]) { buf[0] = 9 }
    /// }
    /// impl AlignedRecordBuilder for One {
    ///     fn alignment_requirement(&self) -> (usize, usize) { (1, 0) }
    ///     fn serialize_padding(buf: &mut [u8]) { buf.fill(0) }
    /// }
    /// assert_eq!(AlignedRecordSequenceBuilder::new(2, [One].iter()).padded_len(8), 6);
    /// ```
    #[inline]
    pub fn padded_len<R>(&self, multiple: usize) -> usize
    where
        R: AlignedRecordBuilder,
        I: Iterator<Item = R> + Clone,
    {
        let len = self.unpadded_len();
        len + padding_for(self.start + len, (multiple, 0))
    }

    #[inline]
    fn unpadded_len<R>(&self) -> usize
    where
        R: AlignedRecordBuilder,
        I: Iterator<Item = R> + Clone,
    {
        let mut offset = self.start;
        for record in self.records.clone() {
            offset += padding_for(offset, record.alignment_requirement());
            offset += record.serialized_len();
        }
        offset - self.start
    }
}

impl<R: AlignedRecordBuilder, I: Iterator<Item = R> + Clone> InnerPacketBuilder
    for AlignedRecordSequenceBuilder<I>
{
    #[inline]
    fn bytes_len(&self) -> usize {
        self.unpadded_len()
    }

    /// Writes the records; if `buffer` is longer than [`bytes_len`](Self::bytes_len)
    /// (see [`padded_len`](AlignedRecordSequenceBuilder::padded_len)), the extra bytes are
    /// filled with the records' padding.
    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        let mut offset = self.start;
        let mut rest = buffer;
        for record in self.records.clone() {
            let pad = padding_for(offset, record.alignment_requirement());
            let (padding, after) = core::mem::take(&mut rest).split_at_mut(pad);
            if pad > 0 {
                R::serialize_padding(padding);
            }
            let (here, after) = after.split_at_mut(record.serialized_len());
            record.serialize_into(here);
            offset += pad + here.len();
            rest = after;
        }
        if !rest.is_empty() {
            R::serialize_padding(rest);
        }
    }
}

/// Fills `buf` with IPv6 option padding: Pad1 for one byte, PadN otherwise (several PadN
/// options if more than 257 bytes).
///
/// ```
/// use zerocast_packet::records::builder::write_ipv6_padding;
/// let mut one = [0xFFu8; 1];
/// write_ipv6_padding(&mut one);
/// assert_eq!(one, [0]);
/// let mut four = [0xFFu8; 4];
/// write_ipv6_padding(&mut four);
/// assert_eq!(four, [1, 2, 0, 0]);
/// ```
#[inline]
pub fn write_ipv6_padding(buf: &mut [u8]) {
    let mut rest = buf;
    while !rest.is_empty() {
        if rest.len() == 1 {
            rest[0] = 0;
            return;
        }
        // A PadN carries at most 255 value bytes; never leave a lone byte that cannot be
        // a PadN behind when splitting.
        let mut take = rest.len().min(257);
        if rest.len() - take == 1 {
            take -= 1;
        }
        let (here, after) = core::mem::take(&mut rest).split_at_mut(take);
        here[0] = 1;
        here[1] = (take - 2) as u8;
        here[2..].fill(0);
        rest = after;
    }
}
