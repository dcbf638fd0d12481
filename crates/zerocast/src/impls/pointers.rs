//! `Option<&T>`, `Option<&mut T>`, `Option<NonNull<T>>`, `Option<Box<T>>`, `Option<fn ..>`
//! and raw pointers.
//!
//! Facts used: `core::option`, "Representation": for sized `T`, `Option<&T>`, `Option<&mut T>`,
//! `Option<NonNull<T>>` and `Option<Box<T>>` have the size of a pointer and "it is sound to
//! transmute `[0u8; size_of::<T>()]` to `Option::<T>::None`". Raw pointers `*const T`/`*mut T`
//! (sized `T`) are one address; the null pointer is all-zero bytes. No `UnsafeCell` in any of
//! their own bytes.
//!
//! Only all-zero bytes are accepted by the validity checks: a non-null pointer read from
//! bytes would have no provenance (or dangle), so `Some(&T)` from bytes could never be sound,
//! and even raw pointers are kept null to stay clear of provenance questions. None of them
//! is `IntoBytes` (a pointer's bytes carry provenance that `[u8]` cannot hold).

use core::ptr::NonNull;

use crate::impls::macros::unsafe_impl;

/// All-zero check for pointer-sized candidates.
#[inline(always)]
fn is_zeroed<T>(c: crate::Maybe<'_, T>) -> bool {
    c.bytes().iter().all(|&b| b == 0)
}

// SAFETY: (module facts) all-zero bytes are `None`/null, which `is_zeroed` requires; the
// pointer's own bytes contain no `UnsafeCell`; all are sized.
unsafe_impl!({'a, T: 'a} TryFromBytes for Option<&'a T>; |c| is_zeroed(c));
// SAFETY: see above.
unsafe_impl!({'a, T: 'a} FromZeros for Option<&'a T>);
// SAFETY: see above.
unsafe_impl!({'a, T: 'a} Immutable for Option<&'a T>);
// SAFETY: see above.
unsafe_impl!({'a, T: 'a} TryFromBytes for Option<&'a mut T>; |c| is_zeroed(c));
// SAFETY: see above.
unsafe_impl!({'a, T: 'a} FromZeros for Option<&'a mut T>);
// SAFETY: see above.
unsafe_impl!({'a, T: 'a} Immutable for Option<&'a mut T>);
// SAFETY: see above.
unsafe_impl!({T} TryFromBytes for Option<NonNull<T>>; |c| is_zeroed(c));
// SAFETY: see above.
unsafe_impl!({T} FromZeros for Option<NonNull<T>>);
// SAFETY: see above.
unsafe_impl!({T} Immutable for Option<NonNull<T>>);
// SAFETY: see above.
unsafe_impl!({T} TryFromBytes for *const T; |c| is_zeroed(c));
// SAFETY: see above.
unsafe_impl!({T} FromZeros for *const T);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} Immutable for *const T);
// SAFETY: see above.
unsafe_impl!({T} TryFromBytes for *mut T; |c| is_zeroed(c));
// SAFETY: see above.
unsafe_impl!({T} FromZeros for *mut T);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} Immutable for *mut T);

// SAFETY: a reference or `NonNull` is a (possibly wide) pointer: an address plus, for unsized
// `T`, metadata (a length or vtable pointer). None of those bytes is an `UnsafeCell`; whatever
// interior mutability `T` has sits behind the indirection, which `Immutable` permits
// (the trait's contract is about `Self`'s own bytes).
unsafe_impl!({'a, T: ?Sized + 'a} Immutable for &'a T, &'a mut T);
// SAFETY: see above.
unsafe_impl!({T: ?Sized} Immutable for NonNull<T>);

#[cfg(feature = "alloc")]
mod boxed {
    use alloc::boxed::Box;

    use super::is_zeroed;
    use crate::impls::macros::unsafe_impl;

    // SAFETY: (module facts) all-zero bytes are `None`; sized; the `Box`'s own bytes are a
    // pointer, with no `UnsafeCell`.
    unsafe_impl!({T} TryFromBytes for Option<Box<T>>; |c| is_zeroed(c));
    // SAFETY: see above.
    unsafe_impl!({T} FromZeros for Option<Box<T>>);
    // SAFETY: see above.
    unsafe_impl!({T} Immutable for Option<Box<T>>);
    // SAFETY: a `Box<T>` is a (possibly wide) pointer to its heap allocation; its own bytes
    // (address and metadata) hold no `UnsafeCell`, and `T`'s lives behind the indirection.
    unsafe_impl!({T: ?Sized} Immutable for Box<T>);
}

/// `Option` of function pointers with up to 12 arguments, in the four ABI/safety forms.
macro_rules! fn_ptr_impls {
    ($($A:ident),*) => {
        fn_ptr_impls!(@one [$($A),*] fn($($A),*) -> M);
        fn_ptr_impls!(@one [$($A),*] unsafe fn($($A),*) -> M);
        fn_ptr_impls!(@one [$($A),*] extern "C" fn($($A),*) -> M);
        fn_ptr_impls!(@one [$($A),*] unsafe extern "C" fn($($A),*) -> M);
    };
    (@one [$($A:ident),*] $f:ty) => {
        // SAFETY: (module facts) `fn` pointers are in `core::option`'s null-pointer
        // optimization list, so `Option<fn ..>` is one pointer and all-zero is `None`, the
        // only value accepted from bytes; a function pointer holds no `UnsafeCell`.
        unsafe_impl!({M, $($A),*} TryFromBytes for Option<$f>; |c| is_zeroed(c));
        // SAFETY: see above.
        unsafe_impl!({M, $($A),*} FromZeros for Option<$f>);
        // SAFETY: see above.
        unsafe_impl!({M, $($A),*} Immutable for Option<$f>);
    };
}
fn_ptr_impls!();
fn_ptr_impls!(A);
fn_ptr_impls!(A, B);
fn_ptr_impls!(A, B, C);
fn_ptr_impls!(A, B, C, D);
fn_ptr_impls!(A, B, C, D, E);
fn_ptr_impls!(A, B, C, D, E, F);
fn_ptr_impls!(A, B, C, D, E, F, G);
fn_ptr_impls!(A, B, C, D, E, F, G, H);
fn_ptr_impls!(A, B, C, D, E, F, G, H, I);
fn_ptr_impls!(A, B, C, D, E, F, G, H, I, J);
fn_ptr_impls!(A, B, C, D, E, F, G, H, I, J, K);
fn_ptr_impls!(A, B, C, D, E, F, G, H, I, J, K, L);

// SAFETY: every pointer and reference type, and every `Option<T>`, is sized (even when `T` is
// not, a pointer to it is), so `DstLayout::for_type` is its exact layout.
unsafe_impl!({T: ?Sized} KnownLayout for *const T, *mut T);
// SAFETY: see above.
unsafe_impl!({'a, T: ?Sized + 'a} KnownLayout for &'a T, &'a mut T);
// SAFETY: see above.
unsafe_impl!({T} KnownLayout for Option<T>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FromZeros, TryFromBytes};

    #[test]
    fn pointers_from_bytes_are_only_null() {
        let zero = [0u8; core::mem::size_of::<usize>()];
        let mut one = zero;
        one[0] = 1;
        assert_eq!(<Option<&u32>>::try_read_from_bytes(&zero).unwrap(), None);
        assert!(<Option<&u32>>::try_read_from_bytes(&one).is_err());
        assert!(<Option<NonNull<u8>>>::try_read_from_bytes(&one).is_err());
        assert!(<*const u8>::try_read_from_bytes(&zero).unwrap().is_null());
        assert!(<*mut u8>::new_zeroed().is_null());
        assert!(<Option<&mut u8>>::new_zeroed().is_none());
        assert!(<Option<fn(u8) -> u16>>::new_zeroed().is_none());
        assert!(<Option<unsafe extern "C" fn()>>::try_read_from_bytes(&zero)
            .unwrap()
            .is_none());
        assert!(<Option<extern "C" fn(u8, u8)>>::try_read_from_bytes(&one).is_err());
    }

    #[test]
    fn references_to_interior_mutability_are_immutable_themselves() {
        // A `Cell` behind a pointer does not make the pointer's own bytes mutable through `&`.
        // Compiles only if every type below is `Immutable`; returns the name for the assert.
        fn immutable<T: ?Sized + crate::Immutable>() -> &'static str {
            core::any::type_name::<T>()
        }
        assert!(immutable::<&core::cell::Cell<u8>>().starts_with('&'));
        assert!(immutable::<&mut [core::cell::Cell<u8>]>().starts_with("&mut"));
        assert!(immutable::<NonNull<core::cell::UnsafeCell<u8>>>().contains("NonNull"));
        assert!(immutable::<*const str>().starts_with("*const"));
        #[cfg(feature = "alloc")]
        assert!(immutable::<alloc::boxed::Box<core::cell::Cell<u8>>>().contains("Box"));
    }
}
