//! Length-from-header slice DSTs: a `repr(C)` struct ending in a slice whose length is
//! given by one of its own header fields, scaled and offset ("IHL × 4 − 20", "length − 8").
//!
//! zerocopy's `ref_from_prefix` on a slice DST takes *as many elements as fit*, which is
//! never what a protocol wants: a UDP datagram's payload is `length − 8` bytes, not the
//! rest of the buffer. [`LenFromHeader`] parses in two steps: it views the value with no
//! trailing elements to read the length field, computes the element count from the
//! [`LenRule`], and then views exactly that many bytes, returning the rest of the buffer.
//! Every way this can go wrong is a [`LenError`] variant; nothing panics and no arithmetic
//! wraps.
//!
//! Derive the trait with `#[derive(LenFromHeader)]` and
//! `#[zerocast(len_from = field, len_scale = N, len_minus = M)]` (or
//! `len_from_fn = path` for a length that is not a plain field, such as a bit field), or
//! implement it by hand: the trait is safe, because the length it computes is checked
//! against the buffer like any other element count.
//!
//! ```
//! use zerocast::beyond::{LenError, LenFromHeader};
//! use zerocast::byteorder::network_endian::U16;
//! use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
//! # use zerocast_derive::*;
//!
//! /// A UDP datagram: `length` counts the 8-byte header and the payload.
//! #[derive(FromBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
//! #[zerocast(len_from = length, len_minus = 8)]
//! #[repr(C)]
//! struct Udp {
//!     src_port: U16,
//!     dst_port: U16,
//!     length: U16,
//!     checksum: U16,
//!     payload: [u8],
//! }
//!
//! let bytes = [0, 53, 0x30, 0x39, 0, 11, 0, 0, b'a', b'b', b'c', 0xEE, 0xEE];
//! let (udp, trailer) = Udp::ref_from_prefix_by_header(&bytes).unwrap();
//! assert_eq!((&udp.payload[..], trailer), (&b"abc"[..], &[0xEE, 0xEE][..]));
//! // `length` 7 is shorter than the header itself.
//! assert!(matches!(
//!     Udp::ref_from_prefix_by_header(&[0, 53, 0, 53, 0, 7, 0, 0]),
//!     Err(LenError::BelowMinimum { length: 7, minimum: 8 })
//! ));
//! // `length` 200 claims more bytes than the buffer holds.
//! assert!(matches!(
//!     Udp::ref_from_prefix_by_header(&[0, 53, 0, 53, 0, 200, 0, 0]),
//!     Err(LenError::TooLarge { claimed: 200, available: 8 })
//! ));
//! ```

use core::fmt;

use crate::{Immutable, IntoBytes, KnownLayout, TryFromBytes};

/// How a header field becomes the trailing slice's length:
/// `trailing = field × scale − minus`, counted in bytes or in elements.
///
/// ```
/// use zerocast::beyond::LenRule;
/// // IPv4 options: IHL counts 32-bit words of the whole header, whose fixed part is 20 bytes.
/// let ipv4_options = LenRule::bytes(4, 20);
/// assert_eq!(ipv4_options.trailing(6), Ok(4));
/// // A count of 16-byte records.
/// assert_eq!(LenRule::elems(1, 0).trailing(3), Ok(3));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LenRule {
    /// Multiplier applied to the field (4 for IHL, 8 for IPv6 extension-header lengths).
    pub scale: u64,
    /// Subtracted after scaling: the part of the claimed length that is not the trailing
    /// slice (the 8-byte UDP header, the 20 fixed bytes of IPv4).
    pub minus: u64,
    /// Whether the result counts bytes (divided by the element size) or elements.
    pub unit: LenUnit,
}

/// What a [`LenRule`]'s result counts.
///
/// ```
/// use zerocast::beyond::{LenRule, LenUnit};
/// assert_eq!(LenRule::bytes(1, 8).unit, LenUnit::Bytes);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LenUnit {
    /// Bytes of the trailing slice; must be a multiple of the element size.
    Bytes,
    /// Elements of the trailing slice.
    Elems,
}

impl LenRule {
    /// `field × scale − minus` bytes.
    ///
    /// ```
    /// use zerocast::beyond::LenRule;
    /// assert_eq!(LenRule::bytes(1, 8).trailing(11), Ok(3));
    /// ```
    #[must_use]
    pub const fn bytes(scale: u64, minus: u64) -> LenRule {
        LenRule {
            scale,
            minus,
            unit: LenUnit::Bytes,
        }
    }

    /// `field × scale − minus` elements.
    ///
    /// ```
    /// use zerocast::beyond::LenRule;
    /// assert_eq!(LenRule::elems(2, 1).trailing(3), Ok(5));
    /// ```
    #[must_use]
    pub const fn elems(scale: u64, minus: u64) -> LenRule {
        LenRule {
            scale,
            minus,
            unit: LenUnit::Elems,
        }
    }

    /// `field × scale − minus` (in this rule's unit), or why it cannot be computed.
    ///
    /// ```
    /// use zerocast::beyond::{LenError, LenRule};
    /// let rule = LenRule::bytes(4, 20);
    /// assert_eq!(rule.trailing(5), Ok(0));
    /// assert_eq!(rule.trailing(4), Err(LenError::BelowMinimum { length: 16, minimum: 20 }));
    /// assert_eq!(LenRule::bytes(u64::MAX, 0).trailing(2), Err(LenError::Overflow));
    /// ```
    pub const fn trailing(&self, field: u64) -> Result<u64, LenError> {
        let Some(length) = field.checked_mul(self.scale) else {
            return Err(LenError::Overflow);
        };
        match length.checked_sub(self.minus) {
            Some(t) => Ok(t),
            None => Err(LenError::BelowMinimum {
                length,
                minimum: self.minus,
            }),
        }
    }
}

/// Why a length-from-header parse failed.
///
/// ```
/// use zerocast::beyond::LenError;
/// let e = LenError::TooLarge { claimed: 40, available: 28 };
/// assert_eq!(e.to_string(), "the header claims 40 bytes but only 28 are available");
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum LenError {
    /// The buffer is shorter than the fixed part that holds the length field.
    ShortHeader {
        /// Bytes of the fixed part.
        needed: usize,
        /// Bytes in the buffer.
        available: usize,
    },
    /// The buffer is not aligned for the type.
    Misaligned,
    /// The fixed part's bytes are not valid for the type (e.g. a `bool` holding 2, or a
    /// validator rejected the header).
    InvalidHeader,
    /// `field × scale` or the resulting size overflows.
    Overflow,
    /// `field × scale` is smaller than the rule's `minus`: the header claims less than
    /// its own fixed part (IHL below 5, a UDP length below 8).
    BelowMinimum {
        /// `field × scale`.
        length: u64,
        /// The rule's `minus`.
        minimum: u64,
    },
    /// A byte count that is not a whole number of trailing elements.
    NotMultiple {
        /// Trailing bytes claimed.
        bytes: u64,
        /// Size of one trailing element.
        elem_size: usize,
    },
    /// The value the header describes is longer than the buffer.
    TooLarge {
        /// Total size of the value the header describes.
        claimed: usize,
        /// Bytes in the buffer.
        available: usize,
    },
    /// A whole-buffer parse whose header describes a different size than the buffer's.
    Mismatch {
        /// Total size of the value the header describes.
        claimed: usize,
        /// Bytes in the buffer.
        actual: usize,
    },
    /// The value's bytes (with its trailing elements) are not valid for the type.
    InvalidBody,
}

impl fmt::Display for LenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LenError::ShortHeader { needed, available } => write!(
                f,
                "the header needs {needed} bytes but only {available} are available"
            ),
            LenError::Misaligned => f.write_str("the buffer is misaligned for the type"),
            LenError::InvalidHeader => f.write_str("the header's bytes are not valid"),
            LenError::Overflow => f.write_str("the length field overflows"),
            LenError::BelowMinimum { length, minimum } => write!(
                f,
                "the length field gives {length}, less than the minimum {minimum}"
            ),
            LenError::NotMultiple { bytes, elem_size } => write!(
                f,
                "{bytes} trailing bytes are not a multiple of the element size {elem_size}"
            ),
            LenError::TooLarge { claimed, available } => write!(
                f,
                "the header claims {claimed} bytes but only {available} are available"
            ),
            LenError::Mismatch { claimed, actual } => write!(
                f,
                "the header claims {claimed} bytes but the buffer has {actual}"
            ),
            LenError::InvalidBody => f.write_str("the value's bytes are not valid"),
        }
    }
}

impl core::error::Error for LenError {}

/// A slice DST whose trailing length is given by its header; see the [module docs](self).
///
/// If the type also has validators, they run on the zero-element view used to read the
/// length and again on the full value, so write them to hold for both (or let this trait
/// do the length checks).
///
/// ```
/// use zerocast::beyond::{LenError, LenFromHeader, LenRule};
/// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
/// # use zerocast_derive::*;
///
/// /// IPv4's fixed header, then `IHL × 4 − 20` bytes of options.
/// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
/// #[repr(C)]
/// struct Ipv4 {
///     version_ihl: u8,
///     rest_of_fixed_header: [u8; 19],
///     options: [u8],
/// }
/// impl LenFromHeader for Ipv4 {
///     const LEN_RULE: LenRule = LenRule::bytes(4, 20);
///     fn len_field(&self) -> u64 {
///         u64::from(self.version_ihl & 0x0f)
///     }
/// }
/// let mut packet = [0u8; 30];
/// packet[0] = 0x46; // IHL 6: 4 bytes of options
/// let (ip, payload) = Ipv4::ref_from_prefix_by_header(&packet).unwrap();
/// assert_eq!((ip.options.len(), payload.len()), (4, 6));
/// packet[0] = 0x44; // IHL 4: shorter than the fixed header
/// assert_eq!(
///     Ipv4::ref_from_prefix_by_header(&packet).err(),
///     Some(LenError::BelowMinimum { length: 16, minimum: 20 })
/// );
/// ```
pub trait LenFromHeader: TryFromBytes + KnownLayout<PointerMetadata = usize> + Immutable {
    /// How [`len_field`](Self::len_field) becomes the trailing length.
    const LEN_RULE: LenRule;

    /// The raw length field, read from a view of the value with no trailing elements.
    ///
    /// ```
    /// use zerocast::beyond::{LenFromHeader, LenRule};
    /// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// let (c, rest) = Counted::ref_from_prefix_by_header(&[2, 7, 8, 9]).unwrap();
    /// assert_eq!((c.len_field(), &c.items[..], rest), (2, &[7u8, 8][..], &[9u8][..]));
    /// ```
    fn len_field(&self) -> u64;

    /// The number of trailing elements the header at the start of `source` describes, and
    /// the total size of that value in bytes.
    ///
    /// ```
    /// use zerocast::beyond::{LenFromHeader, LenRule, LenError};
    /// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// assert_eq!(Counted::claimed_len(&[2]), Ok((2, 3)));
    /// assert_eq!(Counted::claimed_len(&[]), Err(LenError::ShortHeader { needed: 1, available: 0 }));
    /// ```
    fn claimed_len(source: &[u8]) -> Result<(usize, usize), LenError> {
        let header = match Self::try_ref_from_prefix_with_elems(source, 0) {
            Ok((header, _)) => header,
            Err(crate::ConvertError::Size(_)) => {
                return Err(LenError::ShortHeader {
                    needed: Self::size_for_metadata(0).unwrap_or(usize::MAX),
                    available: source.len(),
                })
            }
            Err(crate::ConvertError::Alignment(_)) => return Err(LenError::Misaligned),
            Err(crate::ConvertError::Validity(_)) => return Err(LenError::InvalidHeader),
        };
        let trailing = Self::LEN_RULE.trailing(header.len_field())?;
        let elems = match Self::LEN_RULE.unit {
            LenUnit::Elems => trailing,
            LenUnit::Bytes => match Self::LAYOUT.elem_size() {
                Some(0) | None if trailing == 0 => 0,
                Some(size) if size > 0 && trailing % size as u64 == 0 => trailing / size as u64,
                size => {
                    return Err(LenError::NotMultiple {
                        bytes: trailing,
                        elem_size: size.unwrap_or(0),
                    })
                }
            },
        };
        let elems = usize::try_from(elems).map_err(|_| LenError::Overflow)?;
        let total = Self::size_for_metadata(elems).ok_or(LenError::Overflow)?;
        Ok((elems, total))
    }

    /// Views exactly the value the header at the start of `source` describes; returns it
    /// and the bytes after it.
    ///
    /// ```
    /// use zerocast::beyond::{LenError, LenFromHeader, LenRule};
    /// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// assert_eq!(Counted::ref_from_prefix_by_header(&[1, 7, 8]).map(|(c, r)| (c.items.len(), r)), Ok((1, &[8][..])));
    /// assert_eq!(Counted::ref_from_prefix_by_header(&[3, 7]).err(), Some(LenError::TooLarge { claimed: 4, available: 2 }));
    /// ```
    fn ref_from_prefix_by_header(source: &[u8]) -> Result<(&Self, &[u8]), LenError> {
        let (elems, total) = Self::claimed_len(source)?;
        if total > source.len() {
            return Err(LenError::TooLarge {
                claimed: total,
                available: source.len(),
            });
        }
        Self::try_ref_from_prefix_with_elems(source, elems).map_err(body_error)
    }

    /// Views all of `source` as the value its header describes; the header must describe
    /// exactly `source.len()` bytes.
    ///
    /// ```
    /// use zerocast::beyond::{LenError, LenFromHeader, LenRule};
    /// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// assert!(Counted::ref_from_bytes_by_header(&[1, 7]).is_ok());
    /// assert_eq!(Counted::ref_from_bytes_by_header(&[1, 7, 8]).err(), Some(LenError::Mismatch { claimed: 2, actual: 3 }));
    /// ```
    fn ref_from_bytes_by_header(source: &[u8]) -> Result<&Self, LenError> {
        let (elems, total) = Self::claimed_len(source)?;
        if total != source.len() {
            return Err(LenError::Mismatch {
                claimed: total,
                actual: source.len(),
            });
        }
        Self::try_ref_from_bytes_with_elems(source, elems).map_err(body_error)
    }

    /// Like [`ref_from_prefix_by_header`](Self::ref_from_prefix_by_header), mutably.
    ///
    /// ```
    /// use zerocast::beyond::{LenFromHeader, LenRule};
    /// use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// let mut bytes = [1, 7, 8];
    /// let (c, rest) = Counted::mut_from_prefix_by_header(&mut bytes).unwrap();
    /// c.items[0] = 70;
    /// rest[0] = 80;
    /// assert_eq!(bytes, [1, 70, 80]);
    /// ```
    fn mut_from_prefix_by_header(source: &mut [u8]) -> Result<(&mut Self, &mut [u8]), LenError>
    where
        Self: IntoBytes,
    {
        let (elems, total) = Self::claimed_len(source)?;
        if total > source.len() {
            return Err(LenError::TooLarge {
                claimed: total,
                available: source.len(),
            });
        }
        Self::try_mut_from_prefix_with_elems(source, elems).map_err(body_error)
    }

    /// Like [`ref_from_bytes_by_header`](Self::ref_from_bytes_by_header), mutably.
    ///
    /// ```
    /// use zerocast::beyond::{LenError, LenFromHeader, LenRule};
    /// use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
    /// # use zerocast_derive::*;
    /// #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct Counted { count: u8, items: [u8] }
    /// impl LenFromHeader for Counted {
    ///     const LEN_RULE: LenRule = LenRule::elems(1, 0);
    ///     fn len_field(&self) -> u64 { u64::from(self.count) }
    /// }
    /// let mut bytes = [2, 7, 8];
    /// Counted::mut_from_bytes_by_header(&mut bytes).unwrap().items[1] = 80;
    /// assert_eq!(bytes, [2, 7, 80]);
    /// assert_eq!(
    ///     Counted::mut_from_bytes_by_header(&mut bytes[..2]).err(),
    ///     Some(LenError::Mismatch { claimed: 3, actual: 2 })
    /// );
    /// ```
    fn mut_from_bytes_by_header(source: &mut [u8]) -> Result<&mut Self, LenError>
    where
        Self: IntoBytes,
    {
        let (elems, total) = Self::claimed_len(source)?;
        if total != source.len() {
            return Err(LenError::Mismatch {
                claimed: total,
                actual: source.len(),
            });
        }
        Self::try_mut_from_bytes_with_elems(source, elems).map_err(body_error)
    }
}

/// The error of the second step: size and alignment were established by the first, so
/// only validity can fail, but map every case rather than assume it.
fn body_error<A, S, V>(e: crate::ConvertError<A, S, V>) -> LenError {
    match e {
        crate::ConvertError::Alignment(_) => LenError::Misaligned,
        crate::ConvertError::Size(_) => LenError::Overflow,
        crate::ConvertError::Validity(_) => LenError::InvalidBody,
    }
}

/// A header field that can hold a length: unsigned integers and the unsigned byte-order
/// types. `#[zerocast(len_from = field)]` reads the field through this trait.
///
/// ```
/// use zerocast::beyond::LenField;
/// use zerocast::byteorder::network_endian::U16;
/// assert_eq!(U16::new(1500).len_value(), 1500);
/// assert_eq!(7u8.len_value(), 7);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a length field: it is not an unsigned integer",
    note = "use `u8`..`u64`, `usize` or a byte-order `U16`..`U64`, or name a function with `len_from_fn = path`"
)]
pub trait LenField {
    /// The field's value as a `u64` (never truncated).
    fn len_value(&self) -> u64;
}

macro_rules! len_field_native {
    ($($t:ty),*) => {$(
        impl LenField for $t {
            #[inline]
            fn len_value(&self) -> u64 {
                u64::from(*self)
            }
        }
    )*};
}
len_field_native!(u8, u16, u32, u64);

impl LenField for usize {
    #[inline]
    fn len_value(&self) -> u64 {
        // `usize` is at most 64 bits on every target Rust supports; saturate otherwise so
        // the length rule reports an overflow instead of a wrong length.
        u64::try_from(*self).unwrap_or(u64::MAX)
    }
}

macro_rules! len_field_byteorder {
    ($($t:ident),*) => {$(
        impl<O: crate::byteorder::ByteOrder> LenField for crate::byteorder::$t<O> {
            #[inline]
            fn len_value(&self) -> u64 {
                u64::from(self.get())
            }
        }
    )*};
}
len_field_byteorder!(U16, U32, U64);
