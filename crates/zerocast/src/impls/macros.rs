//! `unsafe_impl!`, the crate-private macro that implements zerocast's traits for types whose
//! layout zerocast (not the derive) vouches for.
//!
//! Every invocation must be preceded by a `// SAFETY:` comment proving the trait's contract
//! for the type (the macro cannot check it; reviewers do). Forms:
//!
//! ```text
//! // SAFETY: <proof>
//! unsafe_impl!({} FromBytes for u16, u32);                 // marker-like traits, sized types
//! unsafe_impl!({T: FromBytes} TryFromBytes for Wrapping<T>);      // every byte sequence valid
//! unsafe_impl!({} TryFromBytes for bool; |c| matches!(c.read_at::<u8>(0), Some(0 | 1)));
//! unsafe_impl!({} KnownLayout for u16);                          // sized types only
//! unsafe_impl!({T: ?Sized + Immutable} ?Sized Immutable for Cell<T>); // maybe unsized
//! unsafe_impl!({} !Sized Immutable for str);                      // never sized: no hidden fn
//! unsafe_impl!({} !Sized TryFromBytes for str; |c| core::str::from_utf8(c.bytes()).is_ok());
//! ```
//!
//! `{...}` holds the impl's generic parameters with their bounds. `TryFromBytes` without a
//! check means "every initialized byte sequence is valid" and is only correct for types that
//! are also `FromBytes`.

/// See the module documentation.
macro_rules! unsafe_impl {
    ({$($g:tt)*} TryFromBytes for $ty:ty; |$c:ident| $valid:expr) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves that `$valid` returns true only
        // for valid bytes.
        unsafe impl<$($g)*> $crate::TryFromBytes for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
            #[inline(always)]
            fn is_bit_valid($c: $crate::Maybe<'_, Self>) -> bool {
                $valid
            }
        }
    };
    ({$($g:tt)*} ?Sized TryFromBytes for $ty:ty; |$c:ident| $valid:expr) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves that `$valid` returns true only
        // for valid bytes.
        unsafe impl<$($g)*> $crate::TryFromBytes for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait()
            where
                Self: Sized,
            {
            }
            #[inline(always)]
            fn is_bit_valid($c: $crate::Maybe<'_, Self>) -> bool {
                $valid
            }
        }
    };
    ({$($g:tt)*} !Sized TryFromBytes for $ty:ty; |$c:ident| $valid:expr) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves that `$valid` returns true only
        // for valid bytes.
        unsafe impl<$($g)*> $crate::TryFromBytes for $ty {
            #[inline(always)]
            fn is_bit_valid($c: $crate::Maybe<'_, Self>) -> bool {
                $valid
            }
        }
    };
    ({$($g:tt)*} ?Sized $trait:ident for $ty:ty) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves the trait's contract.
        unsafe impl<$($g)*> $crate::$trait for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait()
            where
                Self: Sized,
            {
            }
        }
    };
    ({$($g:tt)*} !Sized $trait:ident for $ty:ty) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves the trait's contract.
        unsafe impl<$($g)*> $crate::$trait for $ty {}
    };
    ($g:tt $trait:ident for $($ty:ty),+ $(,)?) => {
        $( $crate::impls::macros::unsafe_impl!(@one $g $trait for $ty); )+
    };
    (@one {$($g:tt)*} KnownLayout for $ty:ty) => {
        // SAFETY: `$ty` is sized (required by the hidden fn below, which has no `Self: Sized`
        // bound), so `DstLayout::for_type` is its exact layout, `()` its metadata, and a
        // plain pointer cast keeps the address and provenance.
        unsafe impl<$($g)*> $crate::KnownLayout for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
            type PointerMetadata = ();
            const LAYOUT: $crate::DstLayout = $crate::DstLayout::for_type::<$ty>();
            #[inline(always)]
            fn raw_from_ptr_len(bytes: ::core::ptr::NonNull<u8>, _meta: ()) -> ::core::ptr::NonNull<Self> {
                bytes.cast::<Self>()
            }
            #[inline(always)]
            fn pointer_to_metadata(_ptr: *mut Self) {}
        }
    };
    (@one {$($g:tt)*} TryFromBytes for $ty:ty) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves that every initialized byte
        // sequence of `$ty`'s size is a valid `$ty` (it is also `FromBytes`), so `true` is
        // a correct answer for every candidate.
        unsafe impl<$($g)*> $crate::TryFromBytes for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
            #[inline(always)]
            fn is_bit_valid(_candidate: $crate::Maybe<'_, Self>) -> bool {
                true
            }
        }
    };
    (@one {$($g:tt)*} $trait:ident for $ty:ty) => {
        // SAFETY: the invocation's `// SAFETY:` comment proves the trait's contract.
        unsafe impl<$($g)*> $crate::$trait for $ty {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
    };
}
pub(crate) use unsafe_impl;
