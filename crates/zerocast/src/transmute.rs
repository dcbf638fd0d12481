//! The `transmute*!` macros and `include_value!`: conversions between two concrete types
//! whose compatibility (traits, size, alignment) is proven at compile time. See
//! `transmute_support` for how the checks are built.

/// Converts a value of one type into another of the same size, checked at compile time:
/// the source must be `IntoBytes`, the destination `FromBytes`, and both the same size.
/// Usable in `const`.
///
/// ```
/// const ONE: [u8; 4] = zerocast::transmute!(1u32.to_le());
/// assert_eq!(ONE, [1, 0, 0, 0]);
/// let halves: [u16; 2] = zerocast::transmute!([1u8, 0, 2, 0]);
/// assert_eq!(halves, [u16::from_ne_bytes([1, 0]), u16::from_ne_bytes([2, 0])]);
/// ```
///
/// A size change does not compile:
///
/// ```compile_fail
/// let x: u32 = zerocast::transmute!([0u8; 3]);
/// ```
///
/// With `#![allow(shrink)]` the destination may be smaller; it gets the source's first bytes:
///
/// ```
/// let head: [u8; 2] = zerocast::transmute!(#![allow(shrink)] [1u8, 2, 3]);
/// assert_eq!(head, [1, 2]);
/// const H: u8 = zerocast::transmute!(#![allow(shrink)] [9u8, 8]);
/// assert_eq!(H, 9);
/// ```
///
/// ```compile_fail
/// let grow: u32 = zerocast::transmute!(#![allow(shrink)] [0u8; 3]);
/// ```
///
/// # Generic code
///
/// The plain form checks the sizes while type-checking, so it rejects type parameters (rustc
/// cannot compare the sizes of `T` and `U` before they are known). `#![defer_size_check]`
/// moves the size check to monomorphization (a `const` assertion, as
/// [`beyond::transmute_generic`](crate::beyond::transmute_generic) does), which makes the
/// macro usable in generic functions; a size mismatch is then reported by `cargo build` for
/// the offending instantiation rather than by `cargo check`.
///
/// ```
/// use zerocast::{FromBytes, IntoBytes};
/// fn reinterpret<T: IntoBytes, U: FromBytes>(t: T) -> U {
///     zerocast::transmute!(#![defer_size_check] t)
/// }
/// let bytes: [u8; 4] = reinterpret(1u32.to_be());
/// assert_eq!(bytes, [0, 0, 0, 1]);
/// const TWO: [u8; 2] = zerocast::transmute!(#![defer_size_check] 2u16.to_le());
/// assert_eq!(TWO, [2, 0]);
/// ```
#[macro_export]
macro_rules! transmute {
    (#![defer_size_check] $e:expr) => {
        $crate::beyond::transmute_generic($e)
    };
    (#![allow(shrink)] $e:expr) => {{
        let e = $e;
        if false {
            let dst = $crate::__private::transmute_bounds($crate::__private::value_of(&e));
            // `Src` must be at least as large as `Dst`: `LargerOf<Src, Dst>` has `Src`'s
            // size only then, and rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::larger_of(&e, &dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute($crate::__private::value_of(&e))
                },
            );
            dst
        } else {
            // SAFETY: the other branch proves `Src: IntoBytes`, `Dst: FromBytes` and
            // `size_of::<Dst>() <= size_of::<Src>()`.
            unsafe { $crate::__private::transmute_shrink_unchecked(e) }
        }
    }};
    ($e:expr) => {{
        let e = $e;
        if false {
            $crate::__private::transmute_bounds(e)
        } else {
            // SAFETY: the other branch requires `Src: IntoBytes` (all bytes initialized) and
            // `Dst: FromBytes` (any initialized bytes valid); `mem::transmute` itself rejects
            // a size change at compile time.
            #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
            let dst = unsafe { $crate::__private::core::mem::transmute(e) };
            dst
        }
    }};
}

/// Converts `&Src` into `&Dst`, checked at compile time: `Src: IntoBytes + Immutable`,
/// `Dst: FromBytes + Immutable`, same size, and `Dst`'s alignment not above `Src`'s. Usable in
/// `const`.
///
/// ```
/// let words = [1u16, 2];
/// let bytes: &[u8; 4] = zerocast::transmute_ref!(&words);
/// assert_eq!(bytes, &[1u16.to_ne_bytes(), 2u16.to_ne_bytes()].concat()[..]);
/// const B: &[u8; 2] = zerocast::transmute_ref!(&[7u8, 8]);
/// assert_eq!(B, &[7, 8]);
/// ```
///
/// An alignment increase does not compile:
///
/// ```compile_fail
/// let w: &u32 = zerocast::transmute_ref!(&[0u8; 4]);
/// ```
///
/// In generic code, `#![defer_size_check]` moves the size and alignment checks to
/// monomorphization (see [`transmute!`](crate::transmute!#generic-code)); sized types only:
///
/// ```
/// use zerocast::{FromBytes, Immutable, IntoBytes};
/// fn view<T: IntoBytes + Immutable, U: FromBytes + Immutable>(t: &T) -> &U {
///     zerocast::transmute_ref!(#![defer_size_check] t)
/// }
/// let word = 0x0102u16.to_be();
/// let bytes: &[u8; 2] = view(&word);
/// assert_eq!(bytes, &[1, 2]);
/// ```
#[macro_export]
macro_rules! transmute_ref {
    (#![defer_size_check] $e:expr) => {
        $crate::beyond::transmute_ref_generic($e)
    };
    ($e:expr) => {{
        let e: &_ = $e;
        if false {
            let src_value = $crate::__private::value_of(e);
            let src_align = $crate::__private::align_of_referent(e);
            let dst = $crate::__private::transmute_ref_bounds(e);
            // Sizes must be equal: rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::value_of(dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_value)
                },
            );
            // `Dst`'s alignment must not exceed `Src`'s: `AlignOf<Src>` and
            // `AlignOfLarger<Src, Dst>` have the same size only then.
            $crate::__private::same_type(
                $crate::__private::align_of_larger(&src_align, dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_align)
                },
            );
            dst
        } else {
            // SAFETY: the other branch proves the bounds, equal sizes and the alignment
            // relation that `transmute_ref_unchecked` requires.
            unsafe { $crate::__private::transmute_ref_unchecked(e) }
        }
    }};
}

/// Converts `&mut Src` into `&mut Dst`, checked at compile time: both `FromBytes +
/// IntoBytes`, same size, `Dst`'s alignment not above `Src`'s.
///
/// ```
/// let mut words = [0u16; 2];
/// let bytes: &mut [u8; 4] = zerocast::transmute_mut!(&mut words);
/// bytes[0] = 1;
/// assert_eq!(words[0], u16::from_ne_bytes([1, 0]));
/// ```
///
/// ```compile_fail
/// let mut b = [0u8; 4];
/// let w: &mut u32 = zerocast::transmute_mut!(&mut b);
/// ```
///
/// In generic code, `#![defer_size_check]` moves the size and alignment checks to
/// monomorphization (see [`transmute!`](crate::transmute!#generic-code)); sized types only:
///
/// ```
/// use zerocast::{FromBytes, IntoBytes};
/// fn view_mut<T: FromBytes + IntoBytes, U: FromBytes + IntoBytes>(t: &mut T) -> &mut U {
///     zerocast::transmute_mut!(#![defer_size_check] t)
/// }
/// let mut word = 0u16;
/// let bytes: &mut [u8; 2] = view_mut(&mut word);
/// bytes[0] = 0xff;
/// assert_eq!(word.to_ne_bytes()[0], 0xff);
/// ```
#[macro_export]
macro_rules! transmute_mut {
    (#![defer_size_check] $e:expr) => {
        $crate::beyond::transmute_mut_generic($e)
    };
    ($e:expr) => {{
        let e: &mut _ = $e;
        if false {
            let src_value = $crate::__private::value_of(&*e);
            let src_align = $crate::__private::align_of_referent(&*e);
            let dst = $crate::__private::transmute_mut_bounds(e);
            // Sizes must be equal: rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::value_of(&*dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_value)
                },
            );
            // `Dst`'s alignment must not exceed `Src`'s: `AlignOf<Src>` and
            // `AlignOfLarger<Src, Dst>` have the same size only then.
            $crate::__private::same_type(
                $crate::__private::align_of_larger(&src_align, &*dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_align)
                },
            );
            dst
        } else {
            // SAFETY: the other branch proves the bounds, equal sizes and the alignment
            // relation that `transmute_mut_unchecked` requires.
            unsafe { $crate::__private::transmute_mut_unchecked(e) }
        }
    }};
}

/// Converts a value into another type of the same size if its bytes are valid there:
/// `Src: IntoBytes`, `Dst: TryFromBytes`, same size (checked at compile time). Returns
/// `Result<Dst, ValidityError<Src, Dst>>`.
///
/// ```
/// let b: Result<bool, _> = zerocast::try_transmute!(1u8);
/// assert_eq!(b, Ok(true));
/// let b: Result<bool, _> = zerocast::try_transmute!(3u8);
/// assert_eq!(b.unwrap_err().into_src(), 3);
/// ```
///
/// ```compile_fail
/// let b: Result<bool, _> = zerocast::try_transmute!(1u16);
/// ```
#[macro_export]
macro_rules! try_transmute {
    ($e:expr) => {{
        let e = $e;
        if false {
            let dst = $crate::__private::try_transmute_bounds($crate::__private::value_of(&e));
            // Sizes must be equal: rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::value_of(&dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute($crate::__private::value_of(&e))
                },
            );
            $crate::__private::core::result::Result::Ok(dst)
        } else {
            $crate::__private::try_transmute(e)
        }
    }};
}

/// Converts `&Src` into `&Dst` if the bytes are a valid `Dst`: `Src: IntoBytes + Immutable`,
/// `Dst: TryFromBytes + Immutable`, same size and no alignment increase (compile time).
///
/// ```
/// let r: Result<&[bool; 2], _> = zerocast::try_transmute_ref!(&[1u8, 0]);
/// assert_eq!(r, Ok(&[true, false]));
/// let r: Result<&[bool; 2], _> = zerocast::try_transmute_ref!(&[1u8, 7]);
/// assert!(r.is_err());
/// ```
///
/// ```compile_fail
/// let r: Result<&char, _> = zerocast::try_transmute_ref!(&[0u8; 4]);
/// ```
#[macro_export]
macro_rules! try_transmute_ref {
    ($e:expr) => {{
        let e: &_ = $e;
        if false {
            let src_value = $crate::__private::value_of(e);
            let src_align = $crate::__private::align_of_referent(e);
            let dst = $crate::__private::try_transmute_ref_bounds(e);
            // Sizes must be equal: rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::value_of(dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_value)
                },
            );
            // `Dst`'s alignment must not exceed `Src`'s: `AlignOf<Src>` and
            // `AlignOfLarger<Src, Dst>` have the same size only then.
            $crate::__private::same_type(
                $crate::__private::align_of_larger(&src_align, dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_align)
                },
            );
            $crate::__private::core::result::Result::Ok(dst)
        } else {
            $crate::__private::try_transmute_ref(e)
        }
    }};
}

/// Converts `&mut Src` into `&mut Dst` if the bytes are a valid `Dst`: `Src: FromBytes +
/// IntoBytes`, `Dst: TryFromBytes + IntoBytes`, same size and no alignment increase.
///
/// ```
/// let mut raw = [0u8, 1];
/// let flags: &mut [bool; 2] = zerocast::try_transmute_mut!(&mut raw).unwrap();
/// flags[0] = true;
/// assert_eq!(raw, [1, 1]);
/// ```
///
/// ```compile_fail
/// let mut raw = [0u8; 4];
/// let r: Result<&mut char, _> = zerocast::try_transmute_mut!(&mut raw);
/// ```
#[macro_export]
macro_rules! try_transmute_mut {
    ($e:expr) => {{
        let e: &mut _ = $e;
        if false {
            let src_value = $crate::__private::value_of(&*e);
            let src_align = $crate::__private::align_of_referent(&*e);
            let dst = $crate::__private::try_transmute_mut_bounds(e);
            // Sizes must be equal: rustc checks this transmute while type-checking.
            $crate::__private::same_type(
                $crate::__private::value_of(&*dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_value)
                },
            );
            // `Dst`'s alignment must not exceed `Src`'s: `AlignOf<Src>` and
            // `AlignOfLarger<Src, Dst>` have the same size only then.
            $crate::__private::same_type(
                $crate::__private::align_of_larger(&src_align, &*dst),
                // SAFETY: never executed (dead branch); only type-checked.
                #[allow(clippy::missing_transmute_annotations, clippy::useless_transmute)]
                unsafe {
                    $crate::__private::core::mem::transmute(src_align)
                },
            );
            $crate::__private::core::result::Result::Ok(dst)
        } else {
            $crate::__private::try_transmute_mut(e)
        }
    }};
}

/// Includes a file's bytes as a value of a `FromBytes` type of exactly the file's size
/// (checked at compile time). Usable in `const`.
///
/// ```
/// // tests/data/one_le.bin holds the bytes 01 00 00 00.
/// const ONE: [u8; 4] = zerocast::include_value!("../tests/data/one_le.bin");
/// assert_eq!(u32::from_le_bytes(ONE), 1);
/// let one: u32 = zerocast::include_value!("../tests/data/one_le.bin");
/// assert_eq!(one, u32::from_le_bytes([1, 0, 0, 0]));
/// ```
///
/// ```compile_fail
/// const WRONG: u8 = zerocast::include_value!("../tests/data/one_le.bin");
/// ```
#[macro_export]
macro_rules! include_value {
    ($file:expr $(,)?) => {
        $crate::transmute!(*::core::include_bytes!($file))
    };
}
