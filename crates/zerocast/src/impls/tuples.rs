//! Tuples of up to 12 elements (as zerocopy 0.8 provides).
//!
//! A tuple's layout is unspecified (Reference, "Type Layout", tuple layout: `repr(Rust)`),
//! so no impl here depends on field order or padding: a tuple is valid iff each field is
//! (checked through place projections, which use the real offsets); all-zero or arbitrary
//! bytes are valid iff they are for every field (padding bytes have no validity
//! requirement); it has an `UnsafeCell` iff a field does. No `IntoBytes` (padding may exist)
//! and no `Unaligned` (not guaranteed).

use crate::impls::macros::unsafe_impl;
use crate::{FromBytes, FromZeros, Immutable, TryFromBytes};

macro_rules! tuple_impls {
    ($($T:ident $i:tt),+) => {
        // SAFETY: (module docs) each property holds iff it holds for every field.
        unsafe_impl!({$($T: Immutable),+} Immutable for ($($T,)+));
        // SAFETY: see above.
        unsafe_impl!({$($T: FromZeros),+} FromZeros for ($($T,)+));
        // SAFETY: see above.
        unsafe_impl!({$($T: FromBytes),+} FromBytes for ($($T,)+));
        // SAFETY: tuples of sized types are sized.
        unsafe_impl!({$($T),+} KnownLayout for ($($T,)+));
        // SAFETY: a tuple is valid iff every field is; each field's candidate covers that
        // field's bytes, found by place projection.
        unsafe_impl!({$($T: TryFromBytes),+} TryFromBytes for ($($T,)+); |c| {
            true $(&& <$T as TryFromBytes>::is_bit_valid(
                // SAFETY: the closure only computes the field's address by place projection
                // (no read, no reference); the field lies within the tuple's bytes.
                unsafe { c.project(|p| core::ptr::addr_of_mut!((*p).$i)) }
            ))+
        });
    };
}

tuple_impls!(A 0);
tuple_impls!(A 0, B 1);
tuple_impls!(A 0, B 1, C 2);
tuple_impls!(A 0, B 1, C 2, D 3);
tuple_impls!(A 0, B 1, C 2, D 3, E 4);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_impls!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

#[cfg(test)]
mod tests {
    use crate::{FromBytes, FromZeros, IntoBytes, TryFromBytes};

    #[test]
    fn tuples_check_each_field_wherever_rustc_put_it() {
        let v: (u8, bool, char) = (7, true, 'x');
        let mut bytes = [0u8; core::mem::size_of::<(u8, bool, char)>()];
        // Build valid bytes field by field at the real offsets.
        let base = core::ptr::addr_of!(v).addr();
        let off_bool = core::ptr::addr_of!(v.1).addr() - base;
        let off_char = core::ptr::addr_of!(v.2).addr() - base;
        let off_u8 = core::ptr::addr_of!(v.0).addr() - base;
        bytes[off_u8] = 7;
        bytes[off_bool] = 1;
        bytes[off_char..off_char + 4].copy_from_slice(&u32::from('x').to_ne_bytes());
        assert_eq!(<(u8, bool, char)>::try_read_from_bytes(&bytes), Ok(v));
        let mut bad = bytes;
        bad[off_bool] = 2;
        assert!(<(u8, bool, char)>::try_read_from_bytes(&bad).is_err());
        let mut bad = bytes;
        bad[off_char..off_char + 4].copy_from_slice(&0xD800u32.to_ne_bytes());
        assert!(<(u8, bool, char)>::try_read_from_bytes(&bad).is_err());
        assert_eq!(<(u16, u32)>::new_zeroed(), (0, 0));
        let pair = <(u16, u16)>::read_from_bytes(&[1, 0, 2, 0]).unwrap();
        assert_eq!([pair.0, pair.1].as_bytes().len(), 4);
    }
}
