//! Padding-aware output: write a value whose type has padding into a buffer, with every
//! padding byte zeroed (zerocopy #494).
//!
//! A type with padding cannot be [`IntoBytes`]: its padding bytes are uninitialized, and
//! even a typed copy leaves them so. [`ZeroPadded`] serializes field by field instead: the
//! destination is zeroed, then each field's bytes are written at its offset
//! (`core::mem::offset_of!`), so the bytes between fields stay zero. Every
//! `IntoBytes + Immutable` type is `ZeroPadded` (its bytes are copied), and
//! `#[derive(ZeroPadded)]` implements it for structs whose fields are `ZeroPadded`, which
//! includes nested padded structs. The derive emits no `unsafe` code.
//!
//! Arrays of padded values have their elements' padding and nothing else (an array's
//! elements are `size_of::<T>()` apart, with no gaps between them), so they are written
//! element by element: a derived struct's field written as an array type (`[Record; 4]`,
//! nested `[[Record; 2]; 3]`, or `[T; N]` for a parameter `T`) needs only its element type
//! to be `ZeroPadded`, and a slice or array of padded values on its own is written with
//! [`ZeroPaddedElements::write_zero_padded_elements`] (nested arrays after
//! [`as_flattened`](slice::as_flattened)).
//!
//! ```
//! use zerocast::beyond::{ZeroPadded, ZeroPaddedElements};
//! # use zerocast_derive::*;
//! #[derive(ZeroPadded, Clone, Copy)]
//! #[repr(C)]
//! struct Pair { a: u8, b: u16 }
//!
//! #[derive(ZeroPadded)]
//! #[repr(C)]
//! struct Table { count: u8, rows: [[Pair; 2]; 2] }
//!
//! let row = [Pair { a: 1, b: 0x0202 }, Pair { a: 3, b: 0x0404 }];
//! let mut out = [0xAAu8; 18];
//! Table { count: 2, rows: [row; 2] }.write_zero_padded(&mut out).unwrap();
//! assert_eq!(&out[..10], &[2, 0, 1, 0, 2, 2, 3, 0, 4, 4]);
//!
//! let mut out = [0xAAu8; 8];
//! row.write_zero_padded_elements(&mut out).unwrap();
//! assert_eq!(out, [1, 0, 2, 2, 3, 0, 4, 4]);
//! ```
//!
//! # Shapes that are not supported, and why
//!
//! * Enums and unions: which bytes are padding depends on the variant or the field last
//!   written, which the type does not record in a way a derive can read safely. Derive
//!   `IntoBytes` for padding-free ones.
//! * Dynamically sized structs (a trailing `[T]`): `offset_of!` cannot name a field of an
//!   unsized type's tail, and the derive emits no `unsafe` code to measure it.
//! * `repr(packed)` structs: their fields cannot be borrowed to be written; a packed struct
//!   of `IntoBytes` fields has no padding, so derive `IntoBytes` for it.
//! * `[T; N]` itself is not `ZeroPadded` when `T` is a padded type: the blanket impl for
//!   `IntoBytes` types would overlap with an impl for arrays. Write arrays with
//!   [`ZeroPaddedElements`]; inside a derived struct the derive does it for you, but only
//!   for fields whose type is written as an array: an array behind a type alias or a
//!   macro is an ordinary field type and needs `ZeroPadded` itself.
//! * Tuples, `Option<Record>` and other library types around a padded type: their layout
//!   is not specified, so there are no offsets to write at.

//! ```
//! use zerocast::beyond::ZeroPadded;
//! # use zerocast_derive::*;
//!
//! /// 1 byte, 3 bytes of padding, 4 bytes: not `IntoBytes`.
//! #[derive(ZeroPadded)]
//! #[repr(C)]
//! struct Record {
//!     kind: u8,
//!     value: u32,
//! }
//!
//! let mut out = [0xAAu8; 10];
//! Record { kind: 7, value: u32::from_ne_bytes([1, 2, 3, 4]) }.write_zero_padded(&mut out).unwrap();
//! assert_eq!(out, [7, 0, 0, 0, 1, 2, 3, 4, 0xAA, 0xAA]);
//! ```

use core::fmt;

use crate::{Immutable, IntoBytes};

/// The buffer is shorter than the value.
///
/// ```
/// use zerocast::beyond::BufferTooShort;
/// let e = BufferTooShort { needed: 8, available: 3 };
/// assert_eq!(e.to_string(), "the value needs 8 bytes but the buffer has 3");
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct BufferTooShort {
    /// The value's size.
    pub needed: usize,
    /// The buffer's length.
    pub available: usize,
}

impl fmt::Display for BufferTooShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the value needs {} bytes but the buffer has {}",
            self.needed, self.available
        )
    }
}

impl core::error::Error for BufferTooShort {}

/// A value that can be written as bytes with its padding zeroed; see the
/// [module docs](self).
///
/// ```
/// use zerocast::beyond::ZeroPadded;
/// let mut out = [9u8; 3];
/// 0x0102u16.to_be().write_zero_padded(&mut out).unwrap();
/// assert_eq!(out, [1, 2, 9]);
/// ```
pub trait ZeroPadded {
    /// Writes the value's `size_of_val(self)` bytes to the start of `out`, padding as
    /// zeros; the rest of `out` is untouched.
    ///
    /// ```
    /// use zerocast::beyond::{BufferTooShort, ZeroPadded};
    /// let mut out = [0u8; 2];
    /// assert_eq!(7u32.write_zero_padded(&mut out), Err(BufferTooShort { needed: 4, available: 2 }));
    /// ```
    fn write_zero_padded(&self, out: &mut [u8]) -> Result<(), BufferTooShort>;

    /// The value's bytes, padding zeroed, as an array of exactly its size; fails to build
    /// (post-monomorphization) if `N` is not `size_of::<Self>()`.
    ///
    /// ```
    /// use zerocast::beyond::ZeroPadded;
    /// # use zerocast_derive::*;
    /// #[derive(ZeroPadded)]
    /// #[repr(C)]
    /// struct Pair { a: u8, b: u16 }
    /// let bytes: [u8; 4] = Pair { a: 1, b: u16::from_ne_bytes([2, 3]) }.to_zero_padded_array();
    /// assert_eq!(bytes, [1, 0, 2, 3]);
    /// ```
    #[inline]
    #[must_use]
    fn to_zero_padded_array<const N: usize>(&self) -> [u8; N]
    where
        Self: Sized,
    {
        const {
            assert!(
                N == core::mem::size_of::<Self>(),
                "to_zero_padded_array: `N` must be the type's size"
            )
        };
        let mut out = [0u8; N];
        // `out` has exactly the value's size (asserted at compile time); a well-formed impl
        // cannot fail, and a misbehaving one leaves zeros rather than panicking.
        let _ = self.write_zero_padded(&mut out);
        out
    }
}

impl<T: ?Sized + IntoBytes + Immutable> ZeroPadded for T {
    #[inline]
    fn write_zero_padded(&self, out: &mut [u8]) -> Result<(), BufferTooShort> {
        let bytes = self.as_bytes();
        match out.get_mut(..bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                Ok(())
            }
            None => Err(BufferTooShort {
                needed: bytes.len(),
                available: out.len(),
            }),
        }
    }
}

/// A slice (or, by unsizing, an array) of [`ZeroPadded`] values, written element by element;
/// see the [module docs](self).
///
/// ```
/// use zerocast::beyond::{BufferTooShort, ZeroPaddedElements};
/// # use zerocast_derive::*;
/// #[derive(zerocast::ZeroPadded)]
/// #[repr(C)]
/// struct Record { kind: u8, value: u16 }
///
/// let records = [Record { kind: 1, value: 0x0202 }, Record { kind: 3, value: 0x0404 }];
/// let mut out = [0xFFu8; 9];
/// records.write_zero_padded_elements(&mut out).unwrap();
/// assert_eq!(out, [1, 0, 2, 2, 3, 0, 4, 4, 0xFF]);
/// assert_eq!(
///     records.write_zero_padded_elements(&mut [0u8; 7]),
///     Err(BufferTooShort { needed: 8, available: 7 })
/// );
/// ```
pub trait ZeroPaddedElements {
    /// Writes the `size_of_val(self)` bytes of the elements to the start of `out`, each
    /// element's padding as zeros; the rest of `out` is untouched.
    ///
    /// ```
    /// use zerocast::beyond::ZeroPaddedElements;
    /// let mut out = [9u8; 5];
    /// [1u16.to_be(), 2u16.to_be()].write_zero_padded_elements(&mut out).unwrap();
    /// assert_eq!(out, [0, 1, 0, 2, 9]);
    /// ```
    fn write_zero_padded_elements(&self, out: &mut [u8]) -> Result<(), BufferTooShort>;
}

impl<T: ZeroPadded> ZeroPaddedElements for [T] {
    #[inline]
    fn write_zero_padded_elements(&self, out: &mut [u8]) -> Result<(), BufferTooShort> {
        let dst = __derive::prepare(out, core::mem::size_of_val(self))?;
        __derive::elements(self, dst, 0)
    }
}

/// Support for the code `#[derive(ZeroPadded)]` emits.
#[doc(hidden)]
pub mod __derive {
    use super::{BufferTooShort, ZeroPadded};

    /// Zeroes the first `size` bytes of `out` and returns them.
    #[inline]
    pub fn prepare(out: &mut [u8], size: usize) -> Result<&mut [u8], BufferTooShort> {
        let available = out.len();
        let dst = out.get_mut(..size).ok_or(BufferTooShort {
            needed: size,
            available,
        })?;
        dst.fill(0);
        Ok(dst)
    }

    /// Writes `field` at `offset` of `out` (the value's own bytes).
    #[inline]
    pub fn field<F: ?Sized + ZeroPadded>(
        field: &F,
        out: &mut [u8],
        offset: usize,
    ) -> Result<(), BufferTooShort> {
        let available = out.len();
        let dst = out.get_mut(offset..).ok_or(BufferTooShort {
            needed: offset,
            available,
        })?;
        field.write_zero_padded(dst)
    }

    /// Writes each of `elements` at `offset` plus its index times the element size (an
    /// array's or slice's element spacing) of `out`.
    #[inline]
    pub fn elements<E: ZeroPadded>(
        elements: &[E],
        out: &mut [u8],
        offset: usize,
    ) -> Result<(), BufferTooShort> {
        let mut at = offset;
        for element in elements {
            field(element, out, at)?;
            // The elements exist in memory, so their total size fits in `usize`.
            at = at.saturating_add(core::mem::size_of::<E>());
        }
        Ok(())
    }
}
