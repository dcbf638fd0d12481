//! Type-length-value record sequences: IPv4 and TCP options, IPv6 extension-header options,
//! NDP options.
//!
//! [`Records`] validates a whole sequence when it is parsed, so iterating it later cannot
//! fail and a malformed option list is rejected before any of it is acted on.
//! [`RecordsRaw`] is the lenient form: it keeps the longest valid prefix and the bytes after
//! it (for quoting truncated packets). [`options`] describes the four common option framings
//! so a protocol only writes the per-kind parser, and [`builder`] serializes record
//! sequences, with `xn+y` alignment for IPv6 options.

pub mod builder;
pub mod options;

use core::fmt;
use core::marker::PhantomData;

use zerocast::SplitByteSlice;

pub use builder::{
    AlignedRecordBuilder, AlignedRecordSequenceBuilder, RecordBuilder, RecordSequenceBuilder,
};

/// The outcome of parsing one record.
///
/// ```
/// use zerocast_packet::records::ParsedRecord;
/// let r: ParsedRecord<u8> = ParsedRecord::Skipped;
/// assert_ne!(r, ParsedRecord::Done);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ParsedRecord<R> {
    /// A record to hand to the user.
    Parsed(R),
    /// A record that was consumed but is not reported (padding, NOP).
    Skipped,
    /// The sequence ends here (end-of-options, or no bytes left); any remaining bytes are
    /// ignored.
    Done,
}

/// How to parse one record of a sequence.
///
/// The parser is given the not yet parsed bytes, takes one record off their front and
/// returns it. It must consume at least one byte unless it returns
/// [`ParsedRecord::Done`]; a parser that makes no progress ends the sequence (rather than
/// looping forever).
///
/// # Example
///
/// Records that are a length byte followed by that many bytes:
///
/// ```
/// use zerocast_packet::BufferView;
/// use zerocast_packet::records::{ParsedRecord, Records, RecordsImpl};
///
/// struct LenPrefixed;
/// impl RecordsImpl for LenPrefixed {
///     type Record<'a> = &'a [u8];
///     type Error = &'static str;
///     type Context = ();
///     fn parse_record<'a>(
///         bytes: &mut &'a [u8],
///         _: &mut (),
///     ) -> Result<ParsedRecord<&'a [u8]>, &'static str> {
///         let mut bv = bytes;
///         let Some(len) = bv.take_byte_front() else { return Ok(ParsedRecord::Done) };
///         let data = bv.take_front(usize::from(len)).ok_or("truncated record")?;
///         Ok(ParsedRecord::Parsed(data))
///     }
/// }
///
/// let records = Records::<_, LenPrefixed>::parse(&[2u8, 7, 7, 1, 9][..])?;
/// assert_eq!(records.iter().collect::<Vec<_>>(), [&[7u8, 7][..], &[9][..]]);
/// assert!(Records::<_, LenPrefixed>::parse(&[3u8, 1][..]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait RecordsImpl {
    /// A parsed record, borrowing the sequence's bytes.
    type Record<'a>;
    /// Why a record is malformed.
    type Error;
    /// State carried from record to record (e.g. "an end-of-list was seen", counts of
    /// records that may appear once). Each full pass starts from a clone of the context
    /// given to [`Records::parse_with_context`].
    type Context: Clone;

    /// Takes one record off the front of `bytes`.
    ///
    /// Every option format gets this from [`options::OptionsImpl`]; called directly it
    /// shows the outcomes one step at a time:
    ///
    /// ```
    /// use zerocast_packet::records::{ParsedRecord, RecordsImpl};
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// let mut bytes = &[1u8, 3, 3, 7, 0][..]; // NOP, window scale 7, end of options
    /// let mut offset = 0;
    /// assert_eq!(TcpLike::parse_record(&mut bytes, &mut offset), Ok(ParsedRecord::Skipped));
    /// let ParsedRecord::Parsed(ws) = TcpLike::parse_record(&mut bytes, &mut offset)? else {
    ///     panic!("expected the window scale option")
    /// };
    /// assert_eq!((ws.kind, ws.data, offset), (3, &[7u8][..], 4));
    /// assert_eq!(TcpLike::parse_record(&mut bytes, &mut offset), Ok(ParsedRecord::Done));
    /// # Ok::<(), zerocast_packet::records::options::OptionFramingError>(())
    /// ```
    fn parse_record<'a>(
        bytes: &mut &'a [u8],
        context: &mut Self::Context,
    ) -> Result<ParsedRecord<Self::Record<'a>>, Self::Error>;
}

/// Runs the parser once over the whole sequence, calling `f` on each record. Returns the
/// number of bytes consumed by the records that parsed (the valid prefix) and the error, if
/// a record failed.
#[inline]
fn walk<'a, R: RecordsImpl>(
    mut bytes: &'a [u8],
    context: &mut R::Context,
    mut f: impl FnMut(R::Record<'a>),
) -> (usize, Option<R::Error>) {
    let total = bytes.len();
    loop {
        let before = bytes.len();
        let mut attempt = bytes;
        match R::parse_record(&mut attempt, context) {
            Ok(ParsedRecord::Done) => return (total, None),
            Ok(record) => {
                if attempt.len() >= before {
                    // No progress: treat as the end of the sequence.
                    return (total, None);
                }
                bytes = attempt;
                if let ParsedRecord::Parsed(r) = record {
                    f(r);
                }
                if bytes.is_empty() {
                    return (total, None);
                }
            }
            Err(e) => return (total - before, Some(e)),
        }
    }
}

/// A record sequence that was validated in full when parsed.
///
/// `B` is the byte slice holding the records (`&[u8]`, or `&mut [u8]` when parsed from a
/// mutable packet).
///
/// ```
/// use zerocast_packet::records::Records;
/// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
/// type TcpLike = RawOptions<TcpOptionLayout>;
///
/// // NOP, then kind 2 (MSS) with length 4, then end of options.
/// let bytes = [1u8, 2, 4, 0x05, 0xb4, 0];
/// let records = Records::<_, TcpLike>::parse(&bytes[..]).unwrap();
/// let kinds: Vec<u8> = records.iter().map(|o| o.kind).collect();
/// assert_eq!(kinds, [2]);
/// ```
pub struct Records<B, R: RecordsImpl> {
    bytes: B,
    context: R::Context,
    _records: PhantomData<R>,
}

impl<B: SplitByteSlice, R: RecordsImpl> Records<B, R> {
    /// Validates `bytes` as a record sequence, starting from a default context.
    ///
    /// ```
    /// use zerocast_packet::records::Records;
    /// use zerocast_packet::records::options::OptionFramingError;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// assert!(Records::<_, TcpLike>::parse(&[2u8, 4, 0x05, 0xb4][..]).is_ok());
    /// // An MSS option whose value is cut off is rejected as a whole:
    /// let err = Records::<_, TcpLike>::parse(&[1u8, 2, 4, 0x05][..]).unwrap_err();
    /// assert_eq!(err, OptionFramingError::Truncated { kind: 2, offset: 1 });
    /// ```
    #[inline]
    pub fn parse(bytes: B) -> Result<Self, R::Error>
    where
        R::Context: Default,
    {
        Self::parse_with_context(bytes, R::Context::default())
    }

    /// Validates `bytes` as a record sequence, starting from `context`.
    ///
    /// ```
    /// use zerocast_packet::records::Records;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// assert!(Records::<_, TcpLike>::parse_with_context(&[1u8, 1][..], 0).is_ok());
    /// ```
    #[inline]
    pub fn parse_with_context(bytes: B, context: R::Context) -> Result<Self, R::Error> {
        let mut pass = context.clone();
        match walk::<R>(&bytes, &mut pass, |_| {}).1 {
            Some(e) => Err(e),
            None => Ok(Records {
                bytes,
                context,
                _records: PhantomData,
            }),
        }
    }

    /// The raw bytes of the sequence.
    ///
    /// ```
    /// use zerocast_packet::records::Records;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// let r = Records::<_, TcpLike>::parse(&[1u8][..]).unwrap();
    /// assert_eq!(r.bytes(), &[1]);
    /// ```
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Returns the byte slice.
    ///
    /// ```
    /// use zerocast_packet::records::Records;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// let r = Records::<_, TcpLike>::parse(&[1u8][..]).unwrap();
    /// assert_eq!(r.into_bytes(), &[1]);
    /// ```
    #[inline]
    pub fn into_bytes(self) -> B {
        self.bytes
    }

    /// The records, in order. Validation already succeeded, so this cannot fail.
    ///
    /// ```
    /// use zerocast_packet::records::Records;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// // MSS 1460, NOP, window scale 7
    /// let records = Records::<_, TcpLike>::parse(&[2u8, 4, 0x05, 0xb4, 1, 3, 3, 7][..])?;
    /// let kinds: Vec<u8> = records.iter().map(|o| o.kind).collect();
    /// assert_eq!(kinds, [2, 3]); // the NOP is skipped
    /// # Ok::<(), zerocast_packet::records::options::OptionFramingError>(())
    /// ```
    #[inline]
    pub fn iter(&self) -> RecordsIter<'_, R> {
        RecordsIter {
            bytes: &self.bytes,
            context: self.context.clone(),
        }
    }
}

impl<B: SplitByteSlice, R: RecordsImpl> fmt::Debug for Records<B, R> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("bytes", &&*self.bytes)
            .finish()
    }
}

/// Iterator over a validated [`Records`] sequence.
///
/// ```
/// use zerocast_packet::records::Records;
/// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
/// type TcpLike = RawOptions<TcpOptionLayout>;
/// let r = Records::<_, TcpLike>::parse(&[9u8, 2, 1, 0][..]).unwrap();
/// assert_eq!(r.iter().count(), 1);
/// ```
pub struct RecordsIter<'a, R: RecordsImpl> {
    bytes: &'a [u8],
    context: R::Context,
}

impl<'a, R: RecordsImpl> Iterator for RecordsIter<'a, R> {
    type Item = R::Record<'a>;

    #[inline]
    fn next(&mut self) -> Option<R::Record<'a>> {
        loop {
            if self.bytes.is_empty() {
                return None;
            }
            let before = self.bytes.len();
            let mut attempt = self.bytes;
            // The sequence was validated with the same parser and starting context, so an
            // error here is impossible; ending the iteration is the safe answer anyway.
            match R::parse_record(&mut attempt, &mut self.context) {
                Ok(ParsedRecord::Parsed(r)) if attempt.len() < before => {
                    self.bytes = attempt;
                    return Some(r);
                }
                Ok(ParsedRecord::Skipped) if attempt.len() < before => self.bytes = attempt,
                _ => {
                    self.bytes = &[];
                    return None;
                }
            }
        }
    }
}

/// The lenient form of a record sequence: the longest valid prefix, the bytes after it, and
/// why parsing stopped there.
///
/// Used for packets quoted in ICMP errors, whose options may be cut off.
///
/// ```
/// use zerocast_packet::records::RecordsRaw;
/// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
/// type TcpLike = RawOptions<TcpOptionLayout>;
///
/// // A NOP, an option of kind 8 with length 4 (2 value bytes), then a truncated option.
/// let bytes = [1u8, 8, 4, 0xaa, 0xbb, 8, 10, 0xcc];
/// let raw = RecordsRaw::<_, TcpLike>::parse(&bytes[..]);
/// assert_eq!(raw.valid().iter().count(), 1);
/// assert_eq!(raw.rest(), &[8, 10, 0xcc]);
/// assert!(raw.error().is_some());
/// ```
pub struct RecordsRaw<B, R: RecordsImpl> {
    valid: Records<B, R>,
    rest: B,
    error: Option<R::Error>,
}

impl<B: SplitByteSlice, R: RecordsImpl> RecordsRaw<B, R> {
    /// Parses as many records as are valid, starting from a default context.
    ///
    /// ```
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// // A timestamp option (kind 8, length 10) quoted with only 4 of its 10 bytes:
    /// let raw = RecordsRaw::<_, TcpLike>::parse(&[1u8, 1, 8, 10, 0, 0][..]);
    /// assert_eq!((raw.valid().bytes(), raw.rest()), (&[1u8, 1][..], &[8u8, 10, 0, 0][..]));
    /// ```
    #[inline]
    pub fn parse(bytes: B) -> Self
    where
        R::Context: Default,
    {
        Self::parse_with_context(bytes, R::Context::default())
    }

    /// Parses as many records as are valid, starting from `context`.
    ///
    /// ```
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// let raw = RecordsRaw::<_, TcpLike>::parse_with_context(&[1u8][..], 0);
    /// assert!(raw.error().is_none());
    /// ```
    #[inline]
    pub fn parse_with_context(bytes: B, context: R::Context) -> Self {
        let mut pass = context.clone();
        let (valid_len, error) = walk::<R>(&bytes, &mut pass, |_| {});
        // `walk` reports a length within `bytes`, so the split cannot fail; the fallback
        // keeps the whole sequence as "rest" rather than panicking.
        let (valid, rest) = match bytes.split_at(valid_len) {
            Ok(parts) => parts,
            Err(bytes) => match bytes.split_at(0) {
                Ok(parts) => parts,
                Err(_) => unreachable!("splitting at 0 always succeeds"),
            },
        };
        RecordsRaw {
            valid: Records {
                bytes: valid,
                context,
                _records: PhantomData,
            },
            rest,
            error,
        }
    }

    /// The valid prefix, as a validated sequence.
    ///
    /// ```
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// // A timestamp option (kind 8, length 10) quoted with only 4 of its 10 bytes:
    /// let raw = RecordsRaw::<_, TcpLike>::parse(&[1u8, 1, 8, 10, 0, 0][..]);
    /// assert_eq!(raw.valid().bytes(), &[1, 1]);
    /// assert_eq!(raw.valid().iter().count(), 0); // two NOPs, nothing to report
    /// ```
    #[inline]
    pub fn valid(&self) -> &Records<B, R> {
        &self.valid
    }

    /// The bytes from the first invalid record on (empty if all were valid).
    ///
    /// ```
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// // A timestamp option (kind 8, length 10) quoted with only 4 of its 10 bytes:
    /// let raw = RecordsRaw::<_, TcpLike>::parse(&[1u8, 1, 8, 10, 0, 0][..]);
    /// assert_eq!(raw.rest(), &[8, 10, 0, 0]);
    /// ```
    #[inline]
    pub fn rest(&self) -> &[u8] {
        &self.rest
    }

    /// Why parsing stopped early, if it did.
    ///
    /// ```
    /// use zerocast_packet::records::options::OptionFramingError;
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// // A timestamp option (kind 8, length 10) quoted with only 4 of its 10 bytes:
    /// let raw = RecordsRaw::<_, TcpLike>::parse(&[1u8, 1, 8, 10, 0, 0][..]);
    /// assert_eq!(raw.error(), Some(&OptionFramingError::Truncated { kind: 8, offset: 2 }));
    /// ```
    #[inline]
    pub fn error(&self) -> Option<&R::Error> {
        self.error.as_ref()
    }

    /// Splits into the valid sequence, the rest, and the error.
    ///
    /// ```
    /// use zerocast_packet::records::RecordsRaw;
    /// use zerocast_packet::records::options::{RawOptions, TcpOptionLayout};
    /// type TcpLike = RawOptions<TcpOptionLayout>;
    /// let (valid, rest, err) = RecordsRaw::<_, TcpLike>::parse(&[1u8, 5][..]).into_parts();
    /// assert_eq!((valid.bytes(), rest, err.is_some()), (&[1u8][..], &[5u8][..], true));
    /// ```
    #[inline]
    pub fn into_parts(self) -> (Records<B, R>, B, Option<R::Error>) {
        (self.valid, self.rest, self.error)
    }
}

#[cfg(test)]
mod tests {
    use std::vec::Vec;

    use super::{ParsedRecord, Records, RecordsImpl, RecordsRaw};

    /// A parser that claims success without consuming anything.
    struct Stuck;
    impl RecordsImpl for Stuck {
        type Record<'a> = u8;
        type Error = ();
        type Context = ();
        fn parse_record(_: &mut &[u8], _: &mut ()) -> Result<ParsedRecord<u8>, ()> {
            Ok(ParsedRecord::Parsed(0))
        }
    }

    #[test]
    fn a_parser_that_makes_no_progress_ends_the_sequence() {
        let records = Records::<_, Stuck>::parse(&[1u8, 2][..]).unwrap();
        assert_eq!(records.iter().count(), 0);
        assert!(RecordsRaw::<_, Stuck>::parse(&[1u8][..]).error().is_none());
    }

    /// Counts records in the context; the third is an error.
    struct AtMostTwo;
    impl RecordsImpl for AtMostTwo {
        type Record<'a> = u8;
        type Error = usize;
        type Context = usize;
        fn parse_record(bytes: &mut &[u8], seen: &mut usize) -> Result<ParsedRecord<u8>, usize> {
            let Some((first, rest)) = bytes.split_first() else {
                return Ok(ParsedRecord::Done);
            };
            *bytes = rest;
            *seen += 1;
            if *seen > 2 {
                return Err(*seen);
            }
            Ok(ParsedRecord::Parsed(*first))
        }
    }

    #[test]
    fn context_is_threaded_and_restarted_for_each_pass() {
        let records = Records::<_, AtMostTwo>::parse(&[4u8, 5][..]).unwrap();
        assert_eq!(records.iter().collect::<Vec<_>>(), [4, 5]);
        assert_eq!(records.iter().collect::<Vec<_>>(), [4, 5]);
        assert_eq!(
            Records::<_, AtMostTwo>::parse(&[4u8, 5, 6][..]).unwrap_err(),
            3
        );
        let raw = RecordsRaw::<_, AtMostTwo>::parse(&[4u8, 5, 6, 7][..]);
        assert_eq!(
            (raw.valid().bytes(), raw.rest()),
            (&[4u8, 5][..], &[6u8, 7][..])
        );
    }

    #[test]
    fn records_over_mutable_bytes() {
        let mut storage = [1u8, 9];
        let records = Records::<_, AtMostTwo>::parse(&mut storage[..]).unwrap();
        assert_eq!(records.iter().count(), 2);
        let bytes: &mut [u8] = records.into_bytes();
        bytes[0] = 7;
        assert_eq!(storage, [7, 9]);
    }
}
