//! Atomics.
//!
//! Facts used (std docs of each type): `AtomicX` "has the same size and bit validity as the
//! underlying integer type" (`AtomicBool`: as `bool`; `AtomicPtr<T>`: as `*mut T`); its
//! alignment is its size (so 1 for the 8-bit ones and `AtomicBool`). Atomics are built on
//! `UnsafeCell`, so none is `Immutable`.

use crate::impls::macros::unsafe_impl;

macro_rules! atomic_int {
    ($($cfg:literal => $($atomic:ident),*;)*) => {$($(
        #[cfg(target_has_atomic = $cfg)]
        const _: () = {
            use core::sync::atomic::$atomic;
            // SAFETY: (module facts) same size and validity as the integer: every byte
            // pattern valid, zeros are 0, no padding; sized.
            unsafe_impl!({} TryFromBytes for $atomic);
            // SAFETY: see above.
            unsafe_impl!({} FromZeros for $atomic);
            // SAFETY: see above.
            unsafe_impl!({} FromBytes for $atomic);
            // SAFETY: see above.
            unsafe_impl!({} IntoBytes for $atomic);
            // SAFETY: see above.
            unsafe_impl!({} KnownLayout for $atomic);
        };
    )*)*};
}
atomic_int! {
    "8" => AtomicU8, AtomicI8;
    "16" => AtomicU16, AtomicI16;
    "32" => AtomicU32, AtomicI32;
    "64" => AtomicU64, AtomicI64;
    "ptr" => AtomicUsize, AtomicIsize;
}

#[cfg(target_has_atomic = "8")]
const _: () = {
    use core::sync::atomic::{AtomicBool, AtomicI8, AtomicU8};
    // SAFETY: alignment 1 (module facts).
    unsafe_impl!({} Unaligned for AtomicU8, AtomicI8, AtomicBool);
    // SAFETY: same layout and validity as `bool`: one byte, 0 is `false`, no padding, sized.
    unsafe_impl!({} FromZeros for AtomicBool);
    // SAFETY: see above.
    unsafe_impl!({} IntoBytes for AtomicBool);
    // SAFETY: see above.
    unsafe_impl!({} KnownLayout for AtomicBool);
    // SAFETY: valid iff the byte is a valid `bool`: 0 or 1.
    unsafe_impl!({} TryFromBytes for AtomicBool; |c| matches!(c.read_at::<u8>(0), Some(0 | 1)));
};

#[cfg(target_has_atomic = "ptr")]
const _: () = {
    use core::sync::atomic::AtomicPtr;
    // SAFETY: same layout and validity as `*mut T`: only null is accepted from bytes (see
    // the `pointers` module for why), all-zero is null; sized.
    unsafe_impl!({T} TryFromBytes for AtomicPtr<T>; |c| c.bytes().iter().all(|&b| b == 0));
    // SAFETY: see above.
    unsafe_impl!({T} FromZeros for AtomicPtr<T>);
    // SAFETY: see above.
    unsafe_impl!({T} KnownLayout for AtomicPtr<T>);
};

#[cfg(test)]
mod tests {
    use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    use crate::{FromBytes, FromZeros, TryFromBytes};

    #[test]
    fn atomics_read_like_their_integers() {
        let a = AtomicU32::read_from_bytes(&7u32.to_ne_bytes()).unwrap();
        assert_eq!(a.load(Ordering::Relaxed), 7);
        assert!(AtomicBool::try_read_from_bytes(&[2]).is_err());
        assert!(AtomicBool::try_read_from_bytes(&[1])
            .unwrap()
            .load(Ordering::Relaxed));
        assert!(!AtomicBool::new_zeroed().load(Ordering::Relaxed));
    }
}
