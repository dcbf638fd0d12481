//! `NonZero*` integers and `Option<NonZero*>`.
//!
//! Facts used (std docs): `NonZeroX` "has the same layout and bit validity as `X` with the
//! exception that 0 is not a valid instance"; `Option<NonZeroX>` "is guaranteed to be
//! compatible with `X`, including in FFI", with `None` represented by 0 (the null-pointer
//! optimization guarantee of `core::option`, "Representation"), so every bit pattern is valid.
//! No `UnsafeCell`, no padding.

use core::num::{
    NonZeroI128, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU128,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU8, NonZeroUsize,
};

use crate::impls::macros::unsafe_impl;

macro_rules! nonzero {
    ($($nz:ident),*) => {
        // SAFETY: (module facts) no `UnsafeCell`, no padding; sized.
        unsafe_impl!({} Immutable for $($nz),*);
        // SAFETY: see above.
        unsafe_impl!({} IntoBytes for $($nz),*);
        // SAFETY: see above.
        unsafe_impl!({} KnownLayout for $($nz),*);
        // SAFETY: `Option<NonZeroX>` has `X`'s layout; every bit pattern is valid (0 is
        // `None`); no `UnsafeCell`, no padding.
        unsafe_impl!({} Immutable for $(Option<$nz>),*);
        // SAFETY: see above.
        unsafe_impl!({} TryFromBytes for $(Option<$nz>),*);
        // SAFETY: see above.
        unsafe_impl!({} FromZeros for $(Option<$nz>),*);
        // SAFETY: see above.
        unsafe_impl!({} FromBytes for $(Option<$nz>),*);
        // SAFETY: see above.
        unsafe_impl!({} IntoBytes for $(Option<$nz>),*);
        $(
            // SAFETY: a candidate has the integer's bytes; it is a valid `NonZeroX` iff not all
            // of them are zero.
            unsafe_impl!({} TryFromBytes for $nz; |c| c.bytes().iter().any(|&b| b != 0));
        )*
    };
}
nonzero!(
    NonZeroU8,
    NonZeroI8,
    NonZeroU16,
    NonZeroI16,
    NonZeroU32,
    NonZeroI32,
    NonZeroU64,
    NonZeroI64,
    NonZeroU128,
    NonZeroI128,
    NonZeroUsize,
    NonZeroIsize
);

// SAFETY: the 8-bit ones have size and alignment 1 (same layout as `u8`/`i8`).
unsafe_impl!({} Unaligned for NonZeroU8, NonZeroI8, Option<NonZeroU8>, Option<NonZeroI8>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FromBytes, TryFromBytes};

    #[test]
    fn nonzero_rejects_only_zero() {
        assert!(NonZeroU32::try_read_from_bytes(&[0; 4]).is_err());
        for i in 0..4 {
            let mut b = [0u8; 4];
            b[i] = 1;
            assert!(NonZeroU32::try_read_from_bytes(&b).is_ok(), "byte {i}");
        }
        assert_eq!(
            <Option<NonZeroU16>>::read_from_bytes(&[0, 0]).unwrap(),
            None
        );
        assert_eq!(
            <Option<NonZeroU8>>::read_from_bytes(&[5]).unwrap(),
            NonZeroU8::new(5)
        );
    }
}
