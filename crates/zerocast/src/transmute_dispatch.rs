//! How `transmute_ref!`, `transmute_mut!`, `try_transmute_ref!` and `try_transmute_mut!`
//! pick their implementation and check the two types' layouts.
//!
//! # Why these checks run at monomorphization
//!
//! zerocopy 0.8 accepts these four macros in generic code (`fn f<T: IntoBytes + Immutable,
//! U: FromBytes + Immutable>(t: &T) -> &U { transmute_ref!(t) }`) and between slice DSTs, so
//! zerocast must too. Every check rustc performs while type-checking (`mem::transmute`'s
//! size comparison, trait bounds, type equality) rejects type parameters, and no check that
//! `cargo check` evaluates can tell a type parameter from a concrete type (inline `const`
//! blocks and associated constants are only evaluated when code is generated). So the size
//! and alignment rules are `const` assertions evaluated when the function is instantiated:
//! `cargo build` reports a violation as "evaluation panicked: transmute_ref!: ..." at the
//! macro, for concrete types as for generic ones. The trait requirements are ordinary
//! bounds and are still reported by `cargo check`.
//!
//! # Dispatch
//!
//! [`Wrap`] carries the source reference and, as a type parameter, the destination
//! reference type. For sized types an inherent method applies (usable in `const`); its impl
//! only exists for `Sized` parameters, so for a DST the call falls through to the method of
//! a trait ([`TransmuteRefDst`], ...), which needs [`KnownLayout`] to relate the two
//! pointers' metadata. The macros first call a function that only names `&Dst` (in a branch
//! that never runs) so that the destination type is inferred from the context before rustc
//! picks between the two methods.
//!
//! # When two layouts are compatible
//!
//! `Dst`'s alignment must not exceed `Src`'s, and every `Src` value must have exactly the
//! size of some `Dst` value whose metadata is a fixed function of `Src`'s:
//!
//! * sized to sized: equal sizes;
//! * sized (`n` bytes) to a slice DST: the largest element count whose size fits in `n`
//!   must have size exactly `n`;
//! * slice DST to slice DST: `Dst`'s element size must divide `Src`'s (`k` times), and for
//!   some constant `c` a `Src` with `m` elements has the size of a `Dst` with `c + k·m`
//!   elements, for every `m`. Both size functions are chains of roundings to powers of two
//!   (see [`layout`](crate::layout)); adding `P` source elements, where `P·size_of(elem)` is
//!   a multiple of the largest rounding alignment `A` of either layout, adds exactly
//!   `P·size_of(elem)` bytes to both sides. So the two sides agree for every `m` as soon as
//!   they agree for `m` in `0..P`, with `P = A / gcd(A, size_of(elem))`, which is what
//!   [`MetaMap::for_layouts`] checks (two candidates for `c`: the difference of the trailing
//!   offsets in elements, and the largest count that fits in `Src`'s size for `m = 0`).
//!   Layouts whose period `P` exceeds 65,536 elements are rejected rather than checked.
//! * slice DST to sized: not supported (as in zerocopy).

use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;

use crate::candidate::Maybe;
use crate::known_layout::PointerMetadata;
use crate::layout::{DstLayout, SizeInfo};
use crate::{FromBytes, Immutable, IntoBytes, KnownLayout, TryFromBytes, ValidityError};

/// The source reference of a reference transmute, with the destination reference type as a
/// parameter (see the module docs).
pub struct Wrap<Src, Dst>(Src, PhantomData<Dst>);

impl<Src, Dst> Wrap<Src, Dst> {
    /// Wraps the source reference.
    #[inline(always)]
    pub const fn new(src: Src) -> Self {
        Wrap(src, PhantomData)
    }
}

impl<'a, Src: ?Sized, Dst: ?Sized> Wrap<&'a Src, &'a Dst> {
    /// Only names `&'a Dst`, so that the macro infers `Dst` before choosing a method; never
    /// returns.
    #[allow(clippy::empty_loop)]
    pub const fn infer_dst(&self) -> &'a Dst {
        loop {}
    }
}

impl<'a, Src: ?Sized, Dst: ?Sized> Wrap<&'a mut Src, &'a mut Dst> {
    /// Only names `&'a mut Dst` (see [`Wrap::infer_dst`]); never returns.
    #[allow(clippy::empty_loop)]
    pub const fn infer_dst_mut(&self) -> &'a mut Dst {
        loop {}
    }
}

/// The post-monomorphization assertions of the sized forms.
struct SizedRules<Src, Dst>(PhantomData<(Src, Dst)>);
impl<Src, Dst> SizedRules<Src, Dst> {
    const SAME_SIZE: () = assert!(
        size_of::<Src>() == size_of::<Dst>(),
        "the source and destination of a reference transmute must have the same size"
    );
    const NO_ALIGN_INCREASE: () = assert!(
        align_of::<Dst>() <= align_of::<Src>(),
        "the destination of a reference transmute must not be more aligned than the source"
    );
}

impl<'a, Src, Dst> Wrap<&'a Src, &'a Dst> {
    /// `transmute_ref!` between sized types.
    #[inline(always)]
    #[must_use]
    pub const fn transmute_ref(self) -> &'a Dst
    where
        Src: IntoBytes + Immutable,
        Dst: FromBytes + Immutable,
    {
        let () = SizedRules::<Src, Dst>::SAME_SIZE;
        let () = SizedRules::<Src, Dst>::NO_ALIGN_INCREASE;
        let ptr = (self.0 as *const Src).cast::<Dst>();
        // SAFETY: aligned for `Dst` (its alignment does not exceed `Src`'s, both powers of
        // two); covers `size_of::<Dst>() == size_of::<Src>()` initialized bytes (`IntoBytes`)
        // that are a valid `Dst` (`FromBytes`) and stay unchanged for `'a` (shared borrow, no
        // `UnsafeCell` in either type: `Immutable`). Asserted above at compile time.
        unsafe { &*ptr }
    }

    /// `try_transmute_ref!` between sized types.
    #[inline(always)]
    pub fn try_transmute_ref(self) -> Result<&'a Dst, ValidityError<&'a Src, Dst>>
    where
        Src: IntoBytes + Immutable,
        Dst: TryFromBytes + Immutable,
    {
        let () = SizedRules::<Src, Dst>::SAME_SIZE;
        let () = SizedRules::<Src, Dst>::NO_ALIGN_INCREASE;
        let ptr = NonNull::from(self.0).cast::<Dst>();
        // SAFETY: `ptr` covers `src`'s `size_of::<Dst>()` initialized bytes (`IntoBytes`,
        // sizes asserted equal), unchanged for `'a` (shared borrow, `Src: Immutable`).
        let candidate = unsafe { Maybe::new_unchecked(ptr, size_of::<Dst>()) };
        if !Dst::is_bit_valid(candidate) {
            return Err(ValidityError::new(self.0));
        }
        // SAFETY: aligned (alignment asserted above), same bytes as `src`, a valid `Dst`
        // (`is_bit_valid`), unchanged for `'a` (shared borrow; `Dst: Immutable` has no
        // `UnsafeCell` through which the result could write).
        Ok(unsafe { ptr.as_ref() })
    }
}

impl<'a, Src, Dst> Wrap<&'a mut Src, &'a mut Dst> {
    /// `transmute_mut!` between sized types.
    #[inline(always)]
    #[must_use]
    pub const fn transmute_mut(self) -> &'a mut Dst
    where
        Src: FromBytes + IntoBytes,
        Dst: FromBytes + IntoBytes,
    {
        let () = SizedRules::<Src, Dst>::SAME_SIZE;
        let () = SizedRules::<Src, Dst>::NO_ALIGN_INCREASE;
        let ptr = (self.0 as *mut Src).cast::<Dst>();
        // SAFETY: derived from the exclusive borrow (consumed), aligned and of `Src`'s size
        // (asserted above); its initialized bytes are a valid `Dst` (`FromBytes`), and any
        // `Dst` written through it is initialized (`IntoBytes`), so a valid `Src` again.
        unsafe { &mut *ptr }
    }

    /// `try_transmute_mut!` between sized types.
    #[inline(always)]
    pub fn try_transmute_mut(self) -> Result<&'a mut Dst, ValidityError<&'a mut Src, Dst>>
    where
        Src: FromBytes + IntoBytes,
        Dst: TryFromBytes + IntoBytes,
    {
        let () = SizedRules::<Src, Dst>::SAME_SIZE;
        let () = SizedRules::<Src, Dst>::NO_ALIGN_INCREASE;
        let src = self.0;
        let ptr = NonNull::from(&mut *src).cast::<Dst>();
        // SAFETY: `ptr` covers `src`'s `size_of::<Dst>()` initialized bytes (`IntoBytes`,
        // sizes asserted equal); the borrow is exclusive and nothing writes while it lives.
        let candidate = unsafe { Maybe::new_unchecked(ptr, size_of::<Dst>()) };
        if !Dst::is_bit_valid(candidate) {
            return Err(ValidityError::new(src));
        }
        // SAFETY: `ptr` derives from `src` (not used again): aligned (asserted), `src`'s
        // bytes, a valid `Dst` (checked). What is written through it is initialized
        // (`Dst: IntoBytes`), hence a valid `Src` (`FromBytes`) when the borrow ends.
        Ok(unsafe { &mut *ptr.as_ptr() })
    }
}

/// How a destination's element count follows from the source's: `base + per_elem · m`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct MetaMap {
    base: usize,
    per_elem: usize,
}

/// Periods longer than this are not checked (see the module docs).
const MAX_PERIOD: usize = 1 << 16;

impl MetaMap {
    /// The map under which every `src` value has exactly the size of its `dst` view, if the
    /// layouts are compatible (module docs).
    pub(crate) const fn for_layouts(src: DstLayout, dst: DstLayout) -> Option<MetaMap> {
        if dst.align() > src.align() {
            return None;
        }
        let dst_elem = match dst.size_info() {
            SizeInfo::SliceDst(_) => match dst.elem_size() {
                Some(0) | None => return None,
                Some(e) => e,
            },
            SizeInfo::Sized { size } => {
                return match src.size_info() {
                    SizeInfo::Sized { size: s } if s == size => Some(MetaMap {
                        base: 0,
                        per_elem: 0,
                    }),
                    _ => None,
                }
            }
        };
        let (src_elem, src_offset) = match src.size_info() {
            SizeInfo::Sized { size } => {
                let base = match dst.max_elems_in(size) {
                    Some(b) => b,
                    None => return None,
                };
                return match dst.size_for_elems(base) {
                    Some(s) if s == size => Some(MetaMap { base, per_elem: 0 }),
                    _ => None,
                };
            }
            SizeInfo::SliceDst(_) => match (src.elem_size(), src.trailing_offset()) {
                (Some(e), Some(o)) => (e, o),
                _ => return None,
            },
        };
        if src_elem % dst_elem != 0 {
            return None;
        }
        let per_elem = src_elem / dst_elem;
        let align = if src.rounding_align() > dst.rounding_align() {
            src.rounding_align()
        } else {
            dst.rounding_align()
        };
        let gcd = if src_elem == 0 {
            align
        } else {
            let low_bit = 1 << src_elem.trailing_zeros();
            if low_bit < align {
                low_bit
            } else {
                align
            }
        };
        let period = align / gcd;
        if period > MAX_PERIOD {
            return None;
        }
        // Candidate 1: the trailing slices start at the same byte.
        let dst_offset = match dst.trailing_offset() {
            Some(o) => o,
            None => return None,
        };
        if src_offset >= dst_offset && (src_offset - dst_offset) % dst_elem == 0 {
            let map = MetaMap {
                base: (src_offset - dst_offset) / dst_elem,
                per_elem,
            };
            if map.sizes_agree(src, dst, period) {
                return Some(map);
            }
        }
        // Candidate 2: the `Dst` that fills a zero-element `Src` exactly.
        let src_zero = match src.size_for_elems(0) {
            Some(s) => s,
            None => return None,
        };
        let map = match dst.max_elems_in(src_zero) {
            Some(base) => MetaMap { base, per_elem },
            None => return None,
        };
        if map.sizes_agree(src, dst, period) {
            Some(map)
        } else {
            None
        }
    }

    /// Whether `src` with `m` elements and `dst` with `self.dst_elems(m)` elements have the
    /// same size for every `m` in `0..period`.
    const fn sizes_agree(self, src: DstLayout, dst: DstLayout, period: usize) -> bool {
        let mut m = 0;
        while m < period {
            let dst_elems = match self.per_elem.checked_mul(m) {
                Some(x) => match x.checked_add(self.base) {
                    Some(x) => x,
                    None => return false,
                },
                None => return false,
            };
            match (src.size_for_elems(m), dst.size_for_elems(dst_elems)) {
                (Some(a), Some(b)) if a == b => {}
                _ => return false,
            }
            m += 1;
        }
        true
    }

    /// The destination element count for a source with `src_elems` elements.
    ///
    /// Cannot overflow for an existing source value: its size is at most `isize::MAX`, and
    /// `per_elem · src_elems · dst_elem_size` and `base · dst_elem_size` are each at most
    /// that size, so the sum is below `usize::MAX`.
    #[inline(always)]
    fn dst_elems(self, src_elems: usize) -> usize {
        self.base
            .wrapping_add(self.per_elem.wrapping_mul(src_elems))
    }
}

/// `MetaMap::for_layouts` of two types, as a constant (a compile error when incompatible).
struct CastRule<Src: ?Sized, Dst: ?Sized>(PhantomData<(*const Src, *const Dst)>);
impl<Src: ?Sized + KnownLayout, Dst: ?Sized + KnownLayout> CastRule<Src, Dst> {
    const MAP: MetaMap = match MetaMap::for_layouts(Src::LAYOUT, Dst::LAYOUT) {
        Some(map) => map,
        None => panic!(
            "reference transmute: the destination is more aligned than the source, or no destination length has exactly the size of every source value"
        ),
    };
}

/// The `Dst` view of `src`'s bytes: same address, the metadata `map` gives. With `map` from
/// [`CastRule`] (each caller reads `CastRule::MAP` itself, so that a violation is reported at
/// the user's macro call) the result covers exactly `src`'s bytes and is aligned for `Dst`.
#[inline(always)]
fn cast_unsized<Src, Dst>(src: NonNull<Src>, map: MetaMap) -> NonNull<Dst>
where
    Src: ?Sized + KnownLayout,
    Dst: ?Sized + KnownLayout<PointerMetadata = usize>,
{
    let src_elems = Src::pointer_to_metadata(src.as_ptr()).to_elem_count();
    Dst::raw_from_ptr_len(src.cast::<u8>(), map.dst_elems(src_elems))
}

/// The unsized form of `transmute_ref!` (see the module docs).
pub trait TransmuteRefDst<'a> {
    /// The destination type.
    type Dst: ?Sized;
    /// Views the source as `&Dst`.
    #[must_use]
    fn transmute_ref(self) -> &'a Self::Dst;
}

impl<'a, Src, Dst> TransmuteRefDst<'a> for Wrap<&'a Src, &'a Dst>
where
    Src: ?Sized + KnownLayout + IntoBytes + Immutable,
    Dst: ?Sized + KnownLayout<PointerMetadata = usize> + FromBytes + Immutable,
{
    type Dst = Dst;
    #[inline(always)]
    fn transmute_ref(self) -> &'a Dst {
        let ptr = cast_unsized::<Src, Dst>(NonNull::from(self.0), CastRule::<Src, Dst>::MAP);
        // SAFETY: `ptr` covers exactly `src`'s bytes and is aligned for `Dst` (`CastRule`);
        // they are initialized (`Src: IntoBytes`), a valid `Dst` (`FromBytes`), unchanged
        // for `'a` (shared borrow; neither type has an `UnsafeCell`: `Immutable`).
        unsafe { ptr.as_ref() }
    }
}

/// The unsized form of `transmute_mut!` (see the module docs).
pub trait TransmuteMutDst<'a> {
    /// The destination type.
    type Dst: ?Sized;
    /// Views the source as `&mut Dst`.
    #[must_use]
    fn transmute_mut(self) -> &'a mut Self::Dst;
}

impl<'a, Src, Dst> TransmuteMutDst<'a> for Wrap<&'a mut Src, &'a mut Dst>
where
    Src: ?Sized + KnownLayout + FromBytes + IntoBytes,
    Dst: ?Sized + KnownLayout<PointerMetadata = usize> + FromBytes + IntoBytes,
{
    type Dst = Dst;
    #[inline(always)]
    fn transmute_mut(self) -> &'a mut Dst {
        let ptr = cast_unsized::<Src, Dst>(NonNull::from(self.0), CastRule::<Src, Dst>::MAP);
        // SAFETY: `ptr` derives from the consumed exclusive borrow and covers exactly its
        // aligned bytes (`CastRule`), a valid `Dst` (`FromBytes`); whatever is written
        // through it is initialized (`IntoBytes`), so a valid `Src` (`FromBytes`) again.
        unsafe { &mut *ptr.as_ptr() }
    }
}

/// The unsized form of `try_transmute_ref!` (see the module docs).
pub trait TryTransmuteRefDst<'a> {
    /// The source type.
    type Src: ?Sized;
    /// The destination type.
    type Dst: ?Sized + TryFromBytes;
    /// Views the source as `&Dst` if its bytes are a valid `Dst`.
    fn try_transmute_ref(self) -> Result<&'a Self::Dst, ValidityError<&'a Self::Src, Self::Dst>>;
}

impl<'a, Src, Dst> TryTransmuteRefDst<'a> for Wrap<&'a Src, &'a Dst>
where
    Src: ?Sized + KnownLayout + IntoBytes + Immutable,
    Dst: ?Sized + KnownLayout<PointerMetadata = usize> + TryFromBytes + Immutable,
{
    type Src = Src;
    type Dst = Dst;
    #[inline(always)]
    fn try_transmute_ref(self) -> Result<&'a Dst, ValidityError<&'a Src, Dst>> {
        let src = self.0;
        let ptr = cast_unsized::<Src, Dst>(NonNull::from(src), CastRule::<Src, Dst>::MAP);
        // SAFETY: `ptr` covers exactly `src`'s `size_of_val` initialized bytes (`CastRule`,
        // `IntoBytes`), unchanged for `'a` (shared borrow, `Src: Immutable`).
        let candidate = unsafe { Maybe::new_unchecked(ptr, core::mem::size_of_val(src)) };
        if !Dst::is_bit_valid(candidate) {
            return Err(ValidityError::new(src));
        }
        // SAFETY: aligned for `Dst` (`CastRule`), `src`'s bytes, a valid `Dst` (checked),
        // unchanged for `'a` (shared borrow; `Dst: Immutable` cannot write through `&`).
        Ok(unsafe { ptr.as_ref() })
    }
}

/// The unsized form of `try_transmute_mut!` (see the module docs).
pub trait TryTransmuteMutDst<'a> {
    /// The source type.
    type Src: ?Sized;
    /// The destination type.
    type Dst: ?Sized + TryFromBytes;
    /// Views the source as `&mut Dst` if its bytes are a valid `Dst`.
    fn try_transmute_mut(
        self,
    ) -> Result<&'a mut Self::Dst, ValidityError<&'a mut Self::Src, Self::Dst>>;
}

impl<'a, Src, Dst> TryTransmuteMutDst<'a> for Wrap<&'a mut Src, &'a mut Dst>
where
    Src: ?Sized + KnownLayout + FromBytes + IntoBytes,
    Dst: ?Sized + KnownLayout<PointerMetadata = usize> + TryFromBytes + IntoBytes,
{
    type Src = Src;
    type Dst = Dst;
    #[inline(always)]
    fn try_transmute_mut(self) -> Result<&'a mut Dst, ValidityError<&'a mut Src, Dst>> {
        let src = self.0;
        let len = core::mem::size_of_val(src);
        let ptr = cast_unsized::<Src, Dst>(NonNull::from(&mut *src), CastRule::<Src, Dst>::MAP);
        // SAFETY: `ptr` covers exactly `src`'s `len` initialized bytes (`CastRule`,
        // `IntoBytes`); the borrow is exclusive and nothing writes while the candidate lives.
        let candidate = unsafe { Maybe::new_unchecked(ptr, len) };
        if !Dst::is_bit_valid(candidate) {
            return Err(ValidityError::new(src));
        }
        // SAFETY: `ptr` derives from `src` (not used again): aligned, `src`'s bytes, a valid
        // `Dst` (checked); what is written through it is initialized (`Dst: IntoBytes`),
        // hence a valid `Src` (`FromBytes`) when the borrow ends.
        Ok(unsafe { &mut *ptr.as_ptr() })
    }
}

#[cfg(test)]
mod tests {
    use super::MetaMap;
    use crate::{DstLayout, KnownLayout};

    #[test]
    fn sized_to_slice_needs_an_exact_fill() {
        let map = MetaMap::for_layouts(<[u32; 2]>::LAYOUT, <[u16]>::LAYOUT);
        assert_eq!(map.map(|m| m.dst_elems(0)), Some(4));
        // Six bytes would be three `u16`s, but `[u8; 6]` is less aligned than `u16`.
        assert!(MetaMap::for_layouts(<[u8; 6]>::LAYOUT, <[u16]>::LAYOUT).is_none());
        assert_eq!(
            MetaMap::for_layouts(<[u8; 5]>::LAYOUT, <[u8]>::LAYOUT).map(|m| m.dst_elems(0)),
            Some(5)
        );
        // 10 bytes are not a whole number of 3-byte elements; `u32` is more aligned than `u16`.
        assert!(MetaMap::for_layouts(<[u16; 5]>::LAYOUT, <[[u8; 3]]>::LAYOUT).is_none());
        assert!(MetaMap::for_layouts(<[u16; 3]>::LAYOUT, <[u32]>::LAYOUT).is_none());
    }

    #[test]
    fn slice_to_slice_scales_the_count() {
        let map = MetaMap::for_layouts(<[u32]>::LAYOUT, <[u16]>::LAYOUT).unwrap();
        assert_eq!(map.dst_elems(5), 10);
        let map = MetaMap::for_layouts(<[[u8; 3]]>::LAYOUT, <[u8]>::LAYOUT).unwrap();
        assert_eq!(map.dst_elems(4), 12);
        // Larger destination elements, or more alignment, never fit every source.
        assert!(MetaMap::for_layouts(<[u16]>::LAYOUT, <[u32]>::LAYOUT).is_none());
        assert!(MetaMap::for_layouts(<[[u8; 4]]>::LAYOUT, <[u32]>::LAYOUT).is_none());
        assert!(MetaMap::for_layouts(<[[u8; 3]]>::LAYOUT, <[[u8; 2]]>::LAYOUT).is_none());
    }

    #[test]
    fn header_plus_slice_maps_the_header_into_elements() {
        // #[repr(C)] struct { h: [u8; 2], t: [u8] } -> [u8]: two more elements.
        let hdr = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<[u8; 2]>(), None)
            .extend(DstLayout::for_slice::<u8>(), None)
            .pad_to_align();
        let map = MetaMap::for_layouts(hdr, <[u8]>::LAYOUT).unwrap();
        assert_eq!(map.dst_elems(7), 9);
        // #[repr(C)] struct { h: u32, t: [u8] } (size rounds up to 4) -> [u8]: sizes are
        // 4, 5 (→8), ... so no map gives `[u8]` the same size for every count.
        let padded = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<u32>(), None)
            .extend(DstLayout::for_slice::<u8>(), None)
            .pad_to_align();
        assert!(MetaMap::for_layouts(padded, <[u8]>::LAYOUT).is_none());
        // ... but to `[u32]`-tailed shapes of the same rounding it works:
        // #[repr(C)] struct { h: u32, t: [u32] } -> [u32]: one more element.
        let words = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<u32>(), None)
            .extend(DstLayout::for_slice::<u32>(), None)
            .pad_to_align();
        assert_eq!(
            MetaMap::for_layouts(words, <[u32]>::LAYOUT)
                .unwrap()
                .dst_elems(3),
            4
        );
    }

    #[test]
    fn slice_to_sized_is_rejected() {
        assert!(MetaMap::for_layouts(<[u8]>::LAYOUT, <[u8; 0]>::LAYOUT).is_none());
    }
}
