//! Bit fields over integers and byte-order integers: named bit ranges with generated
//! getters and setters (TCP's data offset and flags in a `U16<BigEndian>`, IPv4's
//! version/IHL, DSCP/ECN, IPv6's version/traffic class/flow label).
//!
//! Write a `repr(transparent)` wrapper around the integer, derive the zerocast traits on
//! it as usual (so it stays `FromBytes`, `IntoBytes`, `Unaligned`, ... like the integer),
//! and add `#[derive(BitFields)]` with `#[zerocast(bits(name = lo..hi, flag = n, ..))]`.
//! Bit 0 is the least significant bit of the integer's value (after byte-order
//! conversion), so ranges read like the RFC's field widths counted from the right.
//!
//! For each `name = lo..hi` the derive generates `name()` returning the field as the
//! integer's native type, `set_name(v)` returning [`BitsOutOfRange`] if `v` does not fit,
//! and `with_name(v)` for building; a single bit `flag = n` gets `flag() -> bool` and
//! `set_flag(bool)`/`with_flag(bool)`. Overlapping or empty ranges are rejected by the
//! derive with an error at the field's name, and ranges beyond the integer's width by a
//! compile-time assertion (evaluated by `cargo check`) that names the field.
//!
//! ```
//! use zerocast::byteorder::network_endian::U16;
//! use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
//! # use zerocast_derive::*;
//!
//! /// TCP's 16 bits at offset 12: data offset, reserved, and the flags.
//! #[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
//! #[derive(Clone, Copy, PartialEq, Eq, Debug)]
//! #[zerocast(bits(data_offset = 12..16, reserved = 9..12, ns = 8, cwr = 7, ece = 6,
//!                 urg = 5, ack = 4, psh = 3, rst = 2, syn = 1, fin = 0))]
//! #[repr(transparent)]
//! struct TcpControl(U16);
//!
//! let c = TcpControl::ref_from_bytes(&[0x50, 0x12][..]).unwrap();
//! assert_eq!((c.data_offset(), c.syn(), c.ack(), c.fin()), (5, true, true, false));
//! let mut c = *c;
//! c.set_data_offset(8).unwrap();
//! c.set_fin(true);
//! assert_eq!(c.as_bytes(), &[0x80, 0x13]);
//! assert!(c.set_data_offset(16).is_err()); // 4 bits hold at most 15
//! ```

use core::fmt;

use crate::byteorder::ByteOrder;

/// An unsigned integer that bit fields are cut from.
///
/// ```
/// use zerocast::beyond::BitInt;
/// assert_eq!(0b1011_0000u8.extract(4, 4), 0b1011);
/// assert_eq!(0u8.insert(4, 4, 0b11), 0b0011_0000);
/// assert!(u8::fits(15, 4) && !u8::fits(16, 4));
/// ```
pub trait BitInt: Copy + Eq + Ord + fmt::Debug {
    /// The number of bits.
    const BITS: u32;
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// Bits `lo..lo + width`, shifted down to bit 0 (zero where they exceed the width).
    fn extract(self, lo: u32, width: u32) -> Self;
    /// `self` with bits `lo..lo + width` replaced by the low `width` bits of `value`.
    fn insert(self, lo: u32, width: u32, value: Self) -> Self;
    /// Whether `value` fits in `width` bits.
    fn fits(value: Self, width: u32) -> bool;
}

macro_rules! bit_int {
    ($($t:ty),*) => {$(
        impl BitInt for $t {
            const BITS: u32 = <$t>::BITS;
            const ZERO: Self = 0;
            const ONE: Self = 1;
            #[inline(always)]
            fn extract(self, lo: u32, width: u32) -> Self {
                self.checked_shr(lo).unwrap_or(0) & mask::<$t>(width)
            }
            #[inline(always)]
            fn insert(self, lo: u32, width: u32, value: Self) -> Self {
                let field = mask::<$t>(width).checked_shl(lo).unwrap_or(0);
                let value = (value & mask::<$t>(width)).checked_shl(lo).unwrap_or(0);
                (self & !field) | value
            }
            #[inline(always)]
            fn fits(value: Self, width: u32) -> bool {
                value & !mask::<$t>(width) == 0
            }
        }
    )*};
}
bit_int!(u8, u16, u32, u64, u128);

/// `width` low bits set (all bits if `width >= BITS`), without overflowing shifts.
#[inline(always)]
fn mask<T: MaskInt>(width: u32) -> T {
    T::mask(width)
}

trait MaskInt {
    fn mask(width: u32) -> Self;
}
macro_rules! mask_int {
    ($($t:ty),*) => {$(
        impl MaskInt for $t {
            #[inline(always)]
            fn mask(width: u32) -> Self {
                if width >= <$t>::BITS { <$t>::MAX } else { (1 << width) - 1 }
            }
        }
    )*};
}
mask_int!(u8, u16, u32, u64, u128);

/// A type that stores bits: an unsigned integer or an unsigned byte-order integer.
///
/// ```
/// use zerocast::beyond::BitStorage;
/// use zerocast::byteorder::network_endian::U16;
/// let mut word = U16::new(0x1234);
/// assert_eq!(word.load(), 0x1234);
/// word.store(0xABCD);
/// assert_eq!(word.to_bytes(), [0xAB, 0xCD]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold bit fields: it is not an unsigned integer",
    note = "bit fields are cut from `u8`..`u128` or the byte-order types `U16`..`U128`"
)]
pub trait BitStorage: Copy {
    /// The native integer the bits are computed in.
    type Native: BitInt;
    /// The value, in native byte order.
    fn load(&self) -> Self::Native;
    /// Replaces the value.
    fn store(&mut self, value: Self::Native);
}

macro_rules! native_storage {
    ($($t:ty),*) => {$(
        impl BitStorage for $t {
            type Native = $t;
            #[inline(always)]
            fn load(&self) -> $t {
                *self
            }
            #[inline(always)]
            fn store(&mut self, value: $t) {
                *self = value;
            }
        }
    )*};
}
native_storage!(u8, u16, u32, u64, u128);

macro_rules! byteorder_storage {
    ($($t:ident => $n:ty),*) => {$(
        impl<O: ByteOrder> BitStorage for crate::byteorder::$t<O> {
            type Native = $n;
            #[inline(always)]
            fn load(&self) -> $n {
                self.get()
            }
            #[inline(always)]
            fn store(&mut self, value: $n) {
                self.set(value);
            }
        }
    )*};
}
byteorder_storage!(U16 => u16, U32 => u32, U64 => u64, U128 => u128);

/// A setter was given a value wider than its bit field.
///
/// ```
/// use zerocast::beyond::BitsOutOfRange;
/// let e = BitsOutOfRange { field: "ihl", width: 4 };
/// assert_eq!(e.to_string(), "value does not fit in the 4-bit field `ihl`");
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct BitsOutOfRange {
    /// The field's name.
    pub field: &'static str,
    /// The field's width in bits.
    pub width: u32,
}

impl fmt::Display for BitsOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value does not fit in the {}-bit field `{}`",
            self.width, self.field
        )
    }
}

impl core::error::Error for BitsOutOfRange {}

/// Support for the code `#[derive(BitFields)]` emits: one function per operation, so the
/// expansion stays a few lines per field.
#[doc(hidden)]
pub mod __derive {
    use super::{BitInt, BitStorage, BitsOutOfRange};

    /// Reads bits `lo..lo + width` of `storage`.
    #[inline(always)]
    pub fn get<S: BitStorage>(storage: &S, lo: u32, width: u32) -> S::Native {
        storage.load().extract(lo, width)
    }

    /// Reads bit `lo` of `storage` as a flag.
    #[inline(always)]
    pub fn get_flag<S: BitStorage>(storage: &S, lo: u32) -> bool {
        storage.load().extract(lo, 1) != <S::Native as BitInt>::ZERO
    }

    /// Writes `value` to bits `lo..lo + width` if it fits.
    #[inline(always)]
    pub fn set<S: BitStorage>(
        storage: &mut S,
        lo: u32,
        width: u32,
        value: S::Native,
        field: &'static str,
    ) -> Result<(), BitsOutOfRange> {
        if !S::Native::fits(value, width) {
            return Err(BitsOutOfRange { field, width });
        }
        storage.store(storage.load().insert(lo, width, value));
        Ok(())
    }

    /// Writes bit `lo`.
    #[inline(always)]
    pub fn set_flag<S: BitStorage>(storage: &mut S, lo: u32, value: bool) {
        let bit = if value {
            <S::Native as BitInt>::ONE
        } else {
            <S::Native as BitInt>::ZERO
        };
        storage.store(storage.load().insert(lo, 1, bit));
    }

    /// The storage's width in bits, for the derive's compile-time range check.
    pub const fn width<S: BitStorage>() -> u32 {
        <S::Native as BitInt>::BITS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_and_insert_agree_with_naive_masks_at_every_position() {
        let word = 0xA5C3_u16;
        for lo in 0..16 {
            for width in 1..=16 - lo {
                let naive = (u32::from(word) >> lo) & ((1u32 << width) - 1);
                assert_eq!(u32::from(word.extract(lo, width)), naive);
                let replaced = word.insert(lo, width, 0);
                assert_eq!(replaced.extract(lo, width), 0);
                let outside = !(((1u32 << width) - 1) << lo) as u16;
                assert_eq!(replaced & outside, word & outside);
            }
        }
    }

    #[test]
    fn out_of_width_positions_never_panic() {
        assert_eq!(0xFFu8.extract(8, 4), 0);
        assert_eq!(0xFFu8.extract(0, 64), 0xFF);
        assert_eq!(0u8.insert(9, 1, 1), 0);
        assert!(u8::fits(255, 8) && u8::fits(255, 200));
    }

    #[test]
    fn setters_reject_values_that_do_not_fit() {
        let mut word = 0u16;
        assert_eq!(
            __derive::set(&mut word, 4, 3, 8, "x"),
            Err(BitsOutOfRange {
                field: "x",
                width: 3
            })
        );
        assert_eq!(word, 0);
        assert_eq!(__derive::set(&mut word, 4, 3, 7, "x"), Ok(()));
        assert_eq!(word, 0x70);
        __derive::set_flag(&mut word, 15, true);
        assert!(__derive::get_flag(&word, 15));
        assert_eq!(__derive::get(&word, 4, 3), 7);
    }
}
