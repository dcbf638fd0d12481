//! `PhantomData`, `ManuallyDrop`, `MaybeUninit`, `Wrapping`, `Cell` and `UnsafeCell`.
//!
//! Facts used (std docs): `PhantomData<T>` is zero-sized with alignment 1; `ManuallyDrop<T>`
//! "is guaranteed to have the same layout and bit validity as `T`"; `Wrapping<T>` is
//! `#[repr(transparent)]`; `Cell<T>` and `UnsafeCell<T>` have "the same in-memory
//! representation as" `T` (and `UnsafeCell` is what interior mutability is made of, so
//! neither is ever `Immutable`); `MaybeUninit<T>` has `T`'s size and alignment and every
//! byte pattern, initialized or not, is valid for it.

use core::cell::{Cell, UnsafeCell};
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::num::Wrapping;
use core::ptr::NonNull;

use crate::impls::macros::unsafe_impl;
use crate::{
    DstLayout, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unaligned,
};

// SAFETY: `PhantomData<T>` is zero-sized with alignment 1: it has no bytes, hence no
// `UnsafeCell`, no padding, and the empty byte sequence is its only (valid) value.
unsafe_impl!({T: ?Sized} Immutable for PhantomData<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} TryFromBytes for PhantomData<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} FromZeros for PhantomData<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} FromBytes for PhantomData<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} IntoBytes for PhantomData<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} Unaligned for PhantomData<T>);
// SAFETY: `PhantomData<T>` is sized.
unsafe_impl!({T: ?Sized} KnownLayout for PhantomData<T>);

// SAFETY: `Wrapping<T>` is `repr(transparent)` over `T`: same bytes, layout and validity, so
// each property holds iff it holds for `T`.
unsafe_impl!({T: Immutable} Immutable for Wrapping<T>);
// SAFETY: see above.
unsafe_impl!({T: FromZeros} FromZeros for Wrapping<T>);
// SAFETY: see above.
unsafe_impl!({T: FromBytes} FromBytes for Wrapping<T>);
// SAFETY: see above.
unsafe_impl!({T: IntoBytes} IntoBytes for Wrapping<T>);
// SAFETY: see above.
unsafe_impl!({T: Unaligned} Unaligned for Wrapping<T>);
// SAFETY: sized.
unsafe_impl!({T} KnownLayout for Wrapping<T>);
// SAFETY: `Wrapping<T>` is valid iff its single field is a valid `T` at the same address.
unsafe_impl!({T: TryFromBytes} TryFromBytes for Wrapping<T>; |c| {
    // SAFETY: `repr(transparent)`: the `T` has the same address and size.
    T::is_bit_valid(unsafe { c.project_transparent(|p| p.cast::<T>()) })
});

// SAFETY: `MaybeUninit<T>` has `T`'s size and alignment and accepts every byte pattern, so
// any bytes (zeros included) are valid; it contains an `UnsafeCell` iff `T` does.
unsafe_impl!({T: Immutable} Immutable for MaybeUninit<T>);
// SAFETY: see above.
unsafe_impl!({T} TryFromBytes for MaybeUninit<T>);
// SAFETY: see above.
unsafe_impl!({T} FromZeros for MaybeUninit<T>);
// SAFETY: see above.
unsafe_impl!({T} FromBytes for MaybeUninit<T>);
// SAFETY: alignment is `T`'s, which is 1.
unsafe_impl!({T: Unaligned} Unaligned for MaybeUninit<T>);
// SAFETY: sized.
unsafe_impl!({T} KnownLayout for MaybeUninit<T>);

// SAFETY: `ManuallyDrop<T>` has the same layout and bit validity as `T` (std docs), so each
// property holds iff it holds for `T`.
unsafe_impl!({T: ?Sized + Immutable} ?Sized Immutable for ManuallyDrop<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + FromZeros} ?Sized FromZeros for ManuallyDrop<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + FromBytes} ?Sized FromBytes for ManuallyDrop<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + IntoBytes} ?Sized IntoBytes for ManuallyDrop<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + Unaligned} ?Sized Unaligned for ManuallyDrop<T>);
// SAFETY: a `ManuallyDrop<T>` is valid iff the `T` at the same address is.
unsafe_impl!({T: ?Sized + TryFromBytes} ?Sized TryFromBytes for ManuallyDrop<T>; |c| {
    // SAFETY: same layout as `T`: the cast keeps address, metadata and size.
    T::is_bit_valid(unsafe { c.project_transparent(|p| p as *mut T) })
});

// SAFETY: `Cell<T>` and `UnsafeCell<T>` have `T`'s in-memory representation, so validity,
// zeros, padding and alignment are `T`'s. (Not `Immutable`: they are interior mutability.)
unsafe_impl!({T: ?Sized + FromZeros} ?Sized FromZeros for Cell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + FromBytes} ?Sized FromBytes for Cell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + IntoBytes} ?Sized IntoBytes for Cell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + Unaligned} ?Sized Unaligned for Cell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + FromZeros} ?Sized FromZeros for UnsafeCell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + FromBytes} ?Sized FromBytes for UnsafeCell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + IntoBytes} ?Sized IntoBytes for UnsafeCell<T>);
// SAFETY: see above.
unsafe_impl!({T: ?Sized + Unaligned} ?Sized Unaligned for UnsafeCell<T>);
// SAFETY: valid iff the `T` at the same address is. Checking only reads bytes, which a
// `Maybe` guarantees nobody writes meanwhile, interior mutability notwithstanding.
unsafe_impl!({T: ?Sized + TryFromBytes} ?Sized TryFromBytes for Cell<T>; |c| {
    // SAFETY: same representation as `T`: the cast keeps address, metadata and size.
    T::is_bit_valid(unsafe { c.project_transparent(|p| p as *mut T) })
});
// SAFETY: as for `Cell<T>`.
unsafe_impl!({T: ?Sized + TryFromBytes} ?Sized TryFromBytes for UnsafeCell<T>; |c| {
    // SAFETY: same representation as `T`: the cast keeps address, metadata and size.
    T::is_bit_valid(unsafe { c.project_transparent(|p| p as *mut T) })
});

/// `KnownLayout` for a wrapper with `T`'s layout whose pointers cast to and from `*mut T`.
macro_rules! transparent_known_layout {
    ($($wrapper:ident),*) => {$(
        // SAFETY: the wrapper has `T`'s layout (module docs), so `T::LAYOUT` describes it and
        // its pointer metadata is `T`'s; pointer casts between `*mut T` and `*mut
        // $wrapper<T>` keep address, provenance and metadata.
        unsafe impl<T: ?Sized + KnownLayout> KnownLayout for $wrapper<T> {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait()
            where
                Self: Sized,
            {
            }
            type PointerMetadata = T::PointerMetadata;
            const LAYOUT: DstLayout = T::LAYOUT;
            #[inline(always)]
            fn raw_from_ptr_len(bytes: NonNull<u8>, meta: T::PointerMetadata) -> NonNull<Self> {
                let inner = T::raw_from_ptr_len(bytes, meta).as_ptr() as *mut Self;
                // SAFETY: `inner` has the address of `bytes`, which is non-null.
                unsafe { NonNull::new_unchecked(inner) }
            }
            #[inline(always)]
            fn pointer_to_metadata(ptr: *mut Self) -> T::PointerMetadata {
                T::pointer_to_metadata(ptr as *mut T)
            }
        }
    )*};
}
transparent_known_layout!(ManuallyDrop, Cell, UnsafeCell);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_check_their_inner_validity() {
        assert!(<Wrapping<bool>>::try_read_from_bytes(&[2]).is_err());
        assert_eq!(
            <Wrapping<bool>>::try_read_from_bytes(&[1]).unwrap(),
            Wrapping(true)
        );
        assert!(<ManuallyDrop<[bool]>>::try_ref_from_bytes(&[1, 3]).is_err());
        assert!(<ManuallyDrop<[bool]>>::try_ref_from_bytes(&[1, 0]).is_ok());
        assert!(<Cell<bool>>::try_read_from_bytes(&[9]).is_err());
        let mut b = [1u8];
        let cell = <Cell<bool>>::try_mut_from_bytes(&mut b[..]).unwrap();
        cell.set(false);
        assert_eq!(b, [0]);
        assert_eq!(<UnsafeCell<[u8]>>::size_for_metadata(3), Some(3));
    }

    #[test]
    fn maybe_uninit_accepts_any_bytes() {
        let m = <MaybeUninit<bool>>::read_from_bytes(&[7]).unwrap();
        let _ = m;
        let _: PhantomData<str> = FromZeros::new_zeroed();
    }
}
