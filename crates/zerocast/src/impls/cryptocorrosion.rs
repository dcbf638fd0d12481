//! `cryptocorrosion_derive_traits!`: zerocopy 0.8's hidden macro for `ppv-lite86`, the SIMD
//! crate under `rand_chacha` (and so under `rand`), which implements the conversion traits for
//! its vector types without depending on the derive. A crate renamed from `zerocopy` to
//! `zerocast` calls it by the same path, so it exists here with the same input grammar.
//!
//! It accepts only what it can prove without a derive: `repr(transparent)` and `repr(C)`
//! structs (tuple or named fields, type parameters without bounds) and non-generic `repr(C)`
//! unions, and implements `TryFromBytes`, `FromZeros`, `FromBytes`, `IntoBytes` and
//! `Immutable`, each only where every field type has that trait (`FromBytes` for the first
//! three). `IntoBytes` also needs "no padding", checked by a bound that holds only when the
//! missing byte count is 0 (see `IntoBytes` below).
//!
//! Facts used (Rust Reference, "Type layout"): a `repr(transparent)` type has the layout and
//! ABI of its one non-zero-sized field, and its other fields are zero-sized with alignment 1;
//! the fields of a `repr(C)` struct sit in declaration order without overlapping, so the
//! struct has padding exactly when its size exceeds the sum of its fields' sizes; every field
//! of a `repr(C)` union starts at offset 0, so a union has no byte outside a field exactly
//! when every field is as large as the union.

/// Defines a struct or union and implements `TryFromBytes`, `FromZeros`, `FromBytes`,
/// `IntoBytes` and `Immutable` for it, each where all field types have the trait.
///
/// Not part of the documented API: it exists because zerocopy 0.8 has it (for `ppv-lite86`),
/// and code written against zerocopy must keep compiling with the crate renamed. New code
/// should use the derives.
///
/// ```
/// use zerocast::{FromBytes, FromZeros, IntoBytes};
///
/// zerocast::cryptocorrosion_derive_traits! {
///     #[repr(transparent)]
///     #[derive(Clone, Copy, Debug, PartialEq)]
///     pub struct Lanes<G>([u32; 4], core::marker::PhantomData<G>);
/// }
/// zerocast::cryptocorrosion_derive_traits! {
///     #[repr(C)]
///     #[derive(Clone, Copy)]
///     pub union Storage {
///         d: [u32; 4],
///         q: [u64; 2],
///     }
/// }
/// let lanes = Lanes::<()>::read_from_bytes(&[1; 16]).unwrap();
/// assert_eq!(lanes.0, [0x0101_0101; 4]);
/// assert_eq!(Storage::new_zeroed().as_bytes(), &[0; 16]);
/// ```
///
/// A union with a field smaller than the union has bytes that are padding for that field,
/// so it is not `IntoBytes`:
///
/// ```compile_fail
/// zerocast::cryptocorrosion_derive_traits! {
///     #[repr(C)]
///     pub union Uneven {
///         a: [u8; 3],
///         b: u32,
///     }
/// }
/// fn bytes(u: &Uneven) -> &[u8] { zerocast::IntoBytes::as_bytes(u) }
/// ```
///
/// Neither is a `repr(C)` struct with padding between its fields:
///
/// ```compile_fail
/// zerocast::cryptocorrosion_derive_traits! {
///     #[repr(C)]
///     pub struct Gap { a: u8, b: u32, }
/// }
/// fn bytes(g: &Gap) -> &[u8] { zerocast::IntoBytes::as_bytes(g) }
/// ```
///
/// And any other representation is refused (a `repr(Rust)` struct may reorder and pad):
///
/// ```compile_fail
/// zerocast::cryptocorrosion_derive_traits! {
///     #[repr(packed)]
///     pub struct Packed { a: u8, b: u32, }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! cryptocorrosion_derive_traits {
    (
        #[repr($repr:ident)]
        $(#[$attr:meta])*
        $vis:vis struct $name:ident $(<$($param:ident),*>)?
        ($($field_vis:vis $field_ty:ty),* $(,)?);
    ) => {
        $(#[$attr])*
        #[repr($repr)]
        $vis struct $name $(<$($param),*>)? ($($field_vis $field_ty),*);

        $crate::cryptocorrosion_derive_traits!(
            @impls $repr [$($($param),*)?] [$name $(<$($param),*>)?] [$($field_ty),*]
        );
    };
    (
        #[repr($repr:ident)]
        $(#[$attr:meta])*
        $vis:vis struct $name:ident $(<$($param:ident),*>)?
        { $($field_vis:vis $field_name:ident: $field_ty:ty),* $(,)? }
    ) => {
        $(#[$attr])*
        #[repr($repr)]
        $vis struct $name $(<$($param),*>)? { $($field_vis $field_name: $field_ty),* }

        $crate::cryptocorrosion_derive_traits!(
            @impls $repr [$($($param),*)?] [$name $(<$($param),*>)?] [$($field_ty),*]
        );
    };
    (
        #[repr(C)]
        $(#[$attr:meta])*
        $vis:vis union $name:ident
        { $($field_vis:vis $field_name:ident: $field_ty:ty),* $(,)? }
    ) => {
        $(#[$attr])*
        #[repr(C)]
        $vis union $name { $($field_vis $field_name: $field_ty),* }

        $crate::cryptocorrosion_derive_traits!(@impls union [] [$name] [$($field_ty),*]);
    };
    (@impls $repr:ident [$($param:ident),*] [$($ty:tt)*] [$($field_ty:ty),*]) => {
        $crate::cryptocorrosion_derive_traits!(@into_bytes $repr [$($param),*] [$($ty)*] [$($field_ty),*]);

        // SAFETY: `@into_bytes` accepted the representation (`repr(transparent)`, `repr(C)`,
        // or a `repr(C)` union), so every byte of `Self` belongs to some field, every field is
        // `FromBytes` (bound below), so any initialized bytes, as the candidate's are, are a
        // valid `Self`; the same argument proves `FromZeros` and `FromBytes` below.
        unsafe impl<$($param),*> $crate::TryFromBytes for $($ty)*
        where
            $($field_ty: $crate::FromBytes,)*
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
            #[inline(always)]
            fn is_bit_valid(_candidate: $crate::Maybe<'_, Self>) -> bool {
                true
            }
        }
        // SAFETY: see `TryFromBytes` above; zeros are initialized bytes.
        unsafe impl<$($param),*> $crate::FromZeros for $($ty)*
        where
            $($field_ty: $crate::FromBytes,)*
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
        // SAFETY: see `TryFromBytes` above.
        unsafe impl<$($param),*> $crate::FromBytes for $($ty)*
        where
            $($field_ty: $crate::FromBytes,)*
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
        // SAFETY: a struct or union holds no `UnsafeCell` other than its fields' (Reference,
        // "Interior mutability"), and every field is `Immutable` (bound below).
        unsafe impl<$($param),*> $crate::Immutable for $($ty)*
        where
            $($field_ty: $crate::Immutable,)*
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
    };
    (@into_bytes transparent [$($param:ident),*] [$($ty:tt)*] [$($field_ty:ty),*]) => {
        // SAFETY: `repr(transparent)`: `Self` is laid out as its one non-zero-sized field
        // and the other fields have no bytes (module docs), so all of its bytes are that
        // field's, which are initialized because every field is `IntoBytes` (bound below).
        unsafe impl<$($param),*> $crate::IntoBytes for $($ty)*
        where
            $($field_ty: $crate::IntoBytes,)*
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
    };
    (@into_bytes C [$($param:ident),*] [$($ty:tt)*] [$($field_ty:ty),*]) => {
        // SAFETY: `repr(C)` fields do not overlap (module docs), so the bound, which holds
        // only when the fields' sizes add up to the struct's, leaves no byte outside a field;
        // each field's bytes are initialized because it is `IntoBytes` (bound below). The
        // size expression names no type parameter on stable Rust, so a generic `repr(C)`
        // struct is rejected (as by zerocopy's macro).
        unsafe impl<$($param),*> $crate::IntoBytes for $($ty)*
        where
            $($field_ty: $crate::IntoBytes,)*
            (): $crate::__derive::TotalPaddingFree<
                Self,
                { ::core::mem::size_of::<Self>() - (0 $(+ ::core::mem::size_of::<$field_ty>())*) },
            >,
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
    };
    (@into_bytes union [] [$($ty:tt)*] [$($field_ty:ty),*]) => {
        // SAFETY: every field of a `repr(C)` union starts at offset 0 and none is larger
        // than the union, so the bound (the sum of each field's shortfall is 0) holds only
        // when every field covers every byte; whichever field was written, its bytes are
        // initialized because it is `IntoBytes` (bound below).
        unsafe impl $crate::IntoBytes for $($ty)*
        where
            $($field_ty: $crate::IntoBytes,)*
            (): $crate::__derive::TotalPaddingFree<
                Self,
                { 0 $(+ (::core::mem::size_of::<Self>() - ::core::mem::size_of::<$field_ty>()))* },
            >,
        {
            #[inline(always)]
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
    };
    (@into_bytes $other:ident [$($param:ident),*] [$($ty:tt)*] [$($field_ty:ty),*]) => {
        ::core::compile_error!(
            "cryptocorrosion_derive_traits! accepts `repr(transparent)` or `repr(C)` structs and `repr(C)` unions"
        );
    };
}

#[cfg(test)]
mod tests {
    use core::marker::PhantomData;

    use crate::{FromBytes, FromZeros, Immutable, IntoBytes, TryFromBytes};

    crate::cryptocorrosion_derive_traits! {
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[allow(dead_code)]
        pub struct Pair<W, G>(pub [W; 2], PhantomData<G>);
    }

    crate::cryptocorrosion_derive_traits! {
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[allow(dead_code)]
        struct Named<S> {
            lanes: [u16; 4],
            marker: PhantomData<S>,
        }
    }

    crate::cryptocorrosion_derive_traits! {
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq)]
        struct Header(u32, [u8; 4]);
    }

    crate::cryptocorrosion_derive_traits! {
        #[repr(C)]
        #[derive(Clone, Copy)]
        union Storage {
            d: [u32; 4],
            q: [u64; 2],
        }
    }

    fn all_traits<T: TryFromBytes + FromZeros + FromBytes + IntoBytes + Immutable>() {}

    #[test]
    fn every_accepted_shape_gets_all_five_traits() {
        all_traits::<Pair<u32, ()>>();
        all_traits::<Named<core::cell::Cell<u8>>>();
        all_traits::<Header>();
        all_traits::<Storage>();
    }

    #[test]
    fn transparent_generic_struct_reads_and_writes_its_bytes() {
        let bytes = [1u8, 0, 0, 0, 2, 0, 0, 0];
        let pair = Pair::<u32, u8>::read_from_bytes(&bytes).unwrap();
        assert_eq!(
            pair.0,
            [
                u32::from_ne_bytes([1, 0, 0, 0]),
                u32::from_ne_bytes([2, 0, 0, 0])
            ]
        );
        assert_eq!(pair.as_bytes(), &bytes);
        assert!(Pair::<u32, u8>::read_from_bytes(&bytes[..7]).is_err());
    }

    #[test]
    fn named_fields_and_repr_c_round_trip() {
        let named = Named::<()>::read_from_bytes(&[7; 8]).unwrap();
        assert_eq!(named.lanes, [0x0707; 4]);
        let header = Header(0x0102_0304, *b"abcd");
        assert_eq!(Header::read_from_bytes(header.as_bytes()).unwrap(), header);
    }

    #[test]
    fn union_bytes_are_whichever_field_was_written() {
        let mut storage = Storage::new_zeroed();
        assert_eq!(storage.as_bytes(), &[0; 16]);
        storage.as_mut_bytes()[0] = 0xff;
        // SAFETY: `q` is `[u64; 2]`, valid for any initialized bytes, which all 16 are.
        let q = unsafe { storage.q };
        assert_eq!(q[0].to_ne_bytes()[0], 0xff);
        let read = Storage::try_read_from_bytes(&[3; 16]).ok();
        assert_eq!(read.map(|s| s.as_bytes()[15]), Some(3));
    }
}
