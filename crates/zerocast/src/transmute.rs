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

/// Converts `&Src` into `&Dst`: `Src: IntoBytes + Immutable`, `Dst: FromBytes + Immutable`,
/// both of the same size and `Dst` not more aligned than `Src`. Usable in `const` for sized
/// types.
///
/// ```
/// let words = [1u16, 2];
/// let bytes: &[u8; 4] = zerocast::transmute_ref!(&words);
/// assert_eq!(bytes, &[1u16.to_ne_bytes(), 2u16.to_ne_bytes()].concat()[..]);
/// const B: &[u8; 2] = zerocast::transmute_ref!(&[7u8, 8]);
/// assert_eq!(B, &[7, 8]);
/// ```
///
/// # Slice DSTs
///
/// The destination may be a slice DST (`Dst: KnownLayout<PointerMetadata = usize>`, and
/// `Src: KnownLayout`) when every source value has exactly the size of a destination value
/// and `Dst` is not more aligned than `Src`:
/// * a sized source must fill a whole number of destination elements (plus the fixed part);
/// * a slice-DST source's element size must be a multiple `k` of the destination's, and a
///   source with `m` elements must have the size of a destination with `c + k·m` elements
///   for one constant `c` and every `m` (so struct DSTs whose padding changes with the
///   length can only be viewed as types with the same padding pattern);
/// * a slice-DST source cannot become a sized type.
///
/// ```
/// let words: &[u16] = &[1, 2, 3];
/// let bytes: &[u8] = zerocast::transmute_ref!(words);
/// assert_eq!(bytes.len(), 6);
/// let pairs: &[[u8; 2]] = zerocast::transmute_ref!(&[1u8, 2, 3, 4]);
/// assert_eq!(pairs, &[[1, 2], [3, 4]]);
/// ```
///
/// # Generic code, and when the checks run
///
/// As in zerocopy 0.8, the macro works in generic code, and the size and alignment rules are
/// checked when the code is instantiated with concrete types (a `const` assertion): `cargo
/// build` rejects a size change or an alignment increase, `cargo check` does not see it
/// (every test rustc runs while type-checking, such as `mem::transmute`'s size comparison,
/// rejects type parameters, so no check can be both early and generic). The trait
/// requirements are still checked while type-checking.
///
/// ```
/// use zerocast::{FromBytes, Immutable, IntoBytes};
/// fn view<T: IntoBytes + Immutable, U: FromBytes + Immutable>(t: &T) -> &U {
///     zerocast::transmute_ref!(t)
/// }
/// let word = 0x0102u16.to_be();
/// let bytes: &[u8; 2] = view(&word);
/// assert_eq!(bytes, &[1, 2]);
/// ```
///
/// An alignment increase does not build:
///
/// ```compile_fail,E0080
/// let w: &u32 = zerocast::transmute_ref!(&[0u8; 4]);
/// ```
///
/// `#![defer_size_check]` (zerocast 0.1's marker for generic code) is still accepted and
/// changes nothing.
#[macro_export]
macro_rules! transmute_ref {
    (#![defer_size_check] $e:expr) => {
        $crate::transmute_ref!($e)
    };
    ($e:expr) => {{
        let e: &_ = $e;
        #[allow(unused_imports)]
        use $crate::__private::TransmuteRefDst as _;
        let t = $crate::__private::Wrap::new(e);
        if false {
            // Infers `Dst` from the context before the call below picks the sized
            // (inherent) or unsized (trait) method.
            t.infer_dst()
        } else {
            t.transmute_ref()
        }
    }};
}

/// Converts `&mut Src` into `&mut Dst`: both `FromBytes + IntoBytes`, the same size, and
/// `Dst` not more aligned than `Src`.
///
/// ```
/// let mut words = [0u16; 2];
/// let bytes: &mut [u8; 4] = zerocast::transmute_mut!(&mut words);
/// bytes[0] = 1;
/// assert_eq!(words[0], u16::from_ne_bytes([1, 0]));
/// ```
///
/// Slice DSTs follow [`transmute_ref!`]'s rule (and need `KnownLayout`):
///
/// ```
/// let mut words = [0u32; 2];
/// let halves: &mut [u16] = zerocast::transmute_mut!(&mut words[..]);
/// halves[3] = 0xffff;
/// assert_eq!(halves.len(), 4);
/// assert_ne!(words[1], 0);
/// ```
///
/// In generic code the size and alignment checks run at instantiation, as for
/// [`transmute_ref!`](crate::transmute_ref!#generic-code-and-when-the-checks-run):
///
/// ```
/// use zerocast::{FromBytes, IntoBytes};
/// fn view_mut<T: FromBytes + IntoBytes, U: FromBytes + IntoBytes>(t: &mut T) -> &mut U {
///     zerocast::transmute_mut!(t)
/// }
/// let mut word = 0u16;
/// let bytes: &mut [u8; 2] = view_mut(&mut word);
/// bytes[0] = 0xff;
/// assert_eq!(word.to_ne_bytes()[0], 0xff);
/// ```
///
/// ```compile_fail,E0080
/// let mut b = [0u8; 4];
/// let w: &mut u32 = zerocast::transmute_mut!(&mut b);
/// ```
#[macro_export]
macro_rules! transmute_mut {
    (#![defer_size_check] $e:expr) => {
        $crate::transmute_mut!($e)
    };
    ($e:expr) => {{
        let e: &mut _ = $e;
        #[allow(unused_imports)]
        use $crate::__private::TransmuteMutDst as _;
        let t = $crate::__private::Wrap::new(e);
        if false {
            // Infers `Dst` first (see `transmute_ref!`).
            t.infer_dst_mut()
        } else {
            t.transmute_mut()
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
/// `Dst: TryFromBytes + Immutable`, the same size and no alignment increase. Returns
/// `Result<&Dst, ValidityError<&Src, Dst>>`.
///
/// ```
/// let r: Result<&[bool; 2], _> = zerocast::try_transmute_ref!(&[1u8, 0]);
/// assert_eq!(r, Ok(&[true, false]));
/// let r: Result<&[bool; 2], _> = zerocast::try_transmute_ref!(&[1u8, 7]);
/// assert!(r.is_err());
/// ```
///
/// Slice DSTs (with `KnownLayout`) follow [`transmute_ref!`]'s rule:
///
/// ```
/// let flags: &[bool] = zerocast::try_transmute_ref!(&[1u8, 0, 1][..]).unwrap();
/// assert_eq!(flags, &[true, false, true]);
/// let bad: Result<&[bool], _> = zerocast::try_transmute_ref!(&[1u8, 2][..]);
/// assert_eq!(bad.unwrap_err().into_src(), &[1, 2]);
/// ```
///
/// Works in generic code; size and alignment are checked at instantiation (see
/// [`transmute_ref!`](crate::transmute_ref!#generic-code-and-when-the-checks-run)).
/// `#![defer_size_check]` is accepted and changes nothing.
///
/// ```
/// use zerocast::{Immutable, IntoBytes, TryFromBytes};
/// fn check<T: IntoBytes + Immutable, U: TryFromBytes + Immutable>(t: &T) -> Option<&U> {
///     zerocast::try_transmute_ref!(#![defer_size_check] t).ok()
/// }
/// assert_eq!(check::<u8, bool>(&1), Some(&true));
/// assert_eq!(check::<u8, bool>(&3), None);
/// ```
///
/// ```compile_fail,E0080
/// let r: Result<&char, _> = zerocast::try_transmute_ref!(&[0u8; 4]);
/// ```
#[macro_export]
macro_rules! try_transmute_ref {
    (#![defer_size_check] $e:expr) => {
        $crate::try_transmute_ref!($e)
    };
    ($e:expr) => {{
        let e: &_ = $e;
        #[allow(unused_imports)]
        use $crate::__private::TryTransmuteRefDst as _;
        let t = $crate::__private::Wrap::new(e);
        if false {
            // Infers `Dst` first (see `transmute_ref!`).
            $crate::__private::core::result::Result::Ok(t.infer_dst())
        } else {
            t.try_transmute_ref()
        }
    }};
}

/// Converts `&mut Src` into `&mut Dst` if the bytes are a valid `Dst`: `Src: FromBytes +
/// IntoBytes`, `Dst: TryFromBytes + IntoBytes`, the same size and no alignment increase.
///
/// ```
/// let mut raw = [0u8, 1];
/// let flags: &mut [bool; 2] = zerocast::try_transmute_mut!(&mut raw).unwrap();
/// flags[0] = true;
/// assert_eq!(raw, [1, 1]);
/// ```
///
/// Slice DSTs (with `KnownLayout`) follow [`transmute_ref!`]'s rule:
///
/// ```
/// let mut raw = [0u8, 1, 0];
/// let flags: &mut [bool] = zerocast::try_transmute_mut!(&mut raw[..]).unwrap();
/// flags[2] = true;
/// assert_eq!(raw, [0, 1, 1]);
/// ```
///
/// Works in generic code; size and alignment are checked at instantiation.
/// `#![defer_size_check]` is accepted and changes nothing.
///
/// ```
/// use zerocast::{FromBytes, IntoBytes, TryFromBytes};
/// fn set<T: FromBytes + IntoBytes, U: TryFromBytes + IntoBytes>(t: &mut T) -> Option<&mut U> {
///     zerocast::try_transmute_mut!(#![defer_size_check] t).ok()
/// }
/// let mut byte = 0u8;
/// *set::<u8, bool>(&mut byte).unwrap() = true;
/// assert_eq!(byte, 1);
/// ```
///
/// ```compile_fail,E0080
/// let mut raw = [0u8; 4];
/// let r: Result<&mut char, _> = zerocast::try_transmute_mut!(&mut raw);
/// ```
#[macro_export]
macro_rules! try_transmute_mut {
    (#![defer_size_check] $e:expr) => {
        $crate::try_transmute_mut!($e)
    };
    ($e:expr) => {{
        let e: &mut _ = $e;
        #[allow(unused_imports)]
        use $crate::__private::TryTransmuteMutDst as _;
        let t = $crate::__private::Wrap::new(e);
        if false {
            // Infers `Dst` first (see `transmute_ref!`).
            $crate::__private::core::result::Result::Ok(t.infer_dst_mut())
        } else {
            t.try_transmute_mut()
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
