//! The `core::arch` vector types (feature `simd`, zerocopy's name): x86 and x86_64
//! `__m128`..`__m512*`, wasm32 `v128`, and the aarch64 NEON types.
//!
//! Facts used: the Unsafe Code Guidelines describe these as `repr(simd)` homogeneous
//! tuple-structs of `N` lanes of a primitive `T`, with the size of `[T; N]`, lanes in order
//! (so a vector can be read as the array), and an alignment at least `T`'s that is
//! implementation-defined; the NEON `..xK_t` types are plain structs of `K` such vectors
//! with no padding. Their lanes are integers or floats, so: no padding, every initialized
//! bit pattern is valid, zeros are the zero vector, no `UnsafeCell`. The UCG text is not
//! yet normative, which is why, as in zerocopy, these impls are opt-in. The alignment has no
//! upper bound, so none is `Unaligned`.

/// The six traits for each named type of one `core::arch` module.
macro_rules! simd_impls {
    ($arch:ident: $($ty:ident),* $(,)?) => {
        use core::arch::$arch::{$($ty),*};
        use crate::impls::macros::unsafe_impl;
        // SAFETY: see the module docs: integer/float lanes, no padding, no `UnsafeCell`.
        unsafe_impl!({} Immutable for $($ty),*);
        // SAFETY: see above.
        unsafe_impl!({} TryFromBytes for $($ty),*);
        // SAFETY: see above.
        unsafe_impl!({} FromZeros for $($ty),*);
        // SAFETY: see above.
        unsafe_impl!({} FromBytes for $($ty),*);
        // SAFETY: see above.
        unsafe_impl!({} IntoBytes for $($ty),*);
        // SAFETY: sized types.
        unsafe_impl!({} KnownLayout for $($ty),*);
    };
}

#[cfg(target_arch = "x86")]
mod x86 {
    simd_impls!(x86: __m128, __m128d, __m128i, __m256, __m256d, __m256i, __m512bh, __m512, __m512d, __m512i);
}

#[cfg(target_arch = "x86_64")]
mod x86_64 {
    simd_impls!(x86_64: __m128, __m128d, __m128i, __m256, __m256d, __m256i, __m512bh, __m512, __m512d, __m512i);
}

#[cfg(target_arch = "wasm32")]
mod wasm32 {
    simd_impls!(wasm32: v128);
}

#[cfg(target_arch = "aarch64")]
mod aarch64 {
    simd_impls!(aarch64:
        float32x2_t, float32x4_t, float64x1_t, float64x2_t, int8x8_t, int8x8x2_t, int8x8x3_t,
        int8x8x4_t, int8x16_t, int8x16x2_t, int8x16x3_t, int8x16x4_t, int16x4_t, int16x8_t,
        int32x2_t, int32x4_t, int64x1_t, int64x2_t, poly8x8_t, poly8x8x2_t, poly8x8x3_t,
        poly8x8x4_t, poly8x16_t, poly8x16x2_t, poly8x16x3_t, poly8x16x4_t, poly16x4_t,
        poly16x8_t, poly64x1_t, poly64x2_t, uint8x8_t, uint8x8x2_t, uint8x8x3_t, uint8x8x4_t,
        uint8x16_t, uint8x16x2_t, uint8x16x3_t, uint8x16x4_t, uint16x4_t, uint16x4x2_t,
        uint16x4x3_t, uint16x4x4_t, uint16x8_t, uint32x2_t, uint32x4_t, uint64x1_t, uint64x2_t,
    );
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use core::arch::x86_64::{__m128i, __m256d, __m512};

    use crate::{FromBytes, FromZeros, IntoBytes, KnownLayout};

    #[test]
    fn vectors_round_trip_through_their_bytes() {
        let bytes: [u8; 16] = core::array::from_fn(|i| i as u8);
        let v = __m128i::read_from_bytes(&bytes[..]).unwrap();
        assert_eq!(v.as_bytes(), &bytes);
        assert!(__m128i::read_from_bytes(&bytes[..15]).is_err());
        assert_eq!(__m256d::new_zeroed().as_bytes(), &[0u8; 32]);
        assert_eq!(__m512::size_for_metadata(()), Some(64));
    }
}
