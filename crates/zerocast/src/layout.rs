//! The layout model: how big a value of a (possibly dynamically sized) type is for a given
//! trailing-slice length, and the reverse question, how many trailing elements fit in `len`
//! bytes.
//!
//! The derive describes a `repr(C)` struct field by field with the `const fn` builders
//! ([`DstLayout::new_zst`], [`DstLayout::extend`], [`DstLayout::pad_to_align`]); every
//! conversion method then asks the finished layout for sizes and element counts.
//!
//! # What rustc does with nested DSTs (checked against rustc 1.95)
//!
//! * A `repr(C, packed(N))` struct **may** end in a DST whose alignment is larger than `N`
//!   (e.g. `#[repr(C, packed)] struct P { b: u8, i: Inner }` with `Inner { a: u64, t: [u8] }`).
//!   The field is placed at `round_up(offset, min(align, N))`, but it keeps its *own* size,
//!   including its own trailing padding up to its own alignment.
//! * A packed struct cannot contain an `align(N)` type (E0588), but an `align(N)` struct may
//!   contain a packed DST.
//! * So `size_of_val` is a chain of roundings, one per nesting level:
//!   `size(n) = round_up(f_k + … round_up(f_1 + round_up(f_0 + n * elem, a_0), a_1) …, a_k)`.
//!   Measured with rustc for `Inner` above wrapped in `packed` and then in
//!   `#[repr(C, align(16))] struct A16 { c: u8, p: P }`:
//!   `size_of_val(A16 with n = 1) == 32`, while the collapsed formula
//!   `round_up(2 + 8 + 1, 16)` gives 16 — the under-allocation behind zerocopy's
//!   advisory #3617.
//!
//! # How the chain is kept short
//!
//! Alignments are powers of two, so most levels merge exactly:
//! * an outer rounding to `b` over an inner value already a multiple of `a` with `b <= a`
//!   changes nothing but the constant in front: `round_up(t + round_up(y, a), b) ==
//!   round_up(t, b) + round_up(y, a)`;
//! * if `a <= b` and `a` divides `t`: `round_up(t + round_up(y, a), b) == round_up(t + y, b)`
//!   (this is every non-packed `repr(C)` struct).
//!
//! Only an `align(N)` struct around a packed struct whose DST sits at an offset its alignment
//! does not divide needs a new level; [`MAX_LEVELS`] of those are supported and a deeper type
//! fails to compile (const-evaluation panic) rather than being mis-sized.
//!
//! The inverse is exact too: every level is monotone, and
//! `round_up(f + x, a) <= L  ⟺  x <= round_down(L, a) - f`, so the largest element count is
//! found by peeling the levels from the outside in — one subtraction and mask per level.

use core::num::NonZeroUsize;

/// How many non-mergeable nesting levels a slice DST's size function may have.
///
/// Only `align(N)` structs around `packed` structs whose DST field sits at an offset the
/// DST's alignment does not divide add a level; deeper types fail to compile.
///
/// ```
/// assert!(zerocast::layout::MAX_LEVELS >= 2);
/// ```
pub const MAX_LEVELS: usize = 4;

/// One level of a slice DST's size function: `x ↦ round_up(offset + x, align)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Level {
    offset: usize,
    /// A power of two.
    align: usize,
}

/// The size function of a type whose last field is (or ends in) a slice `[E]`.
///
/// `size(n) = tail + level[depth-1](… level[0](n * elem_size))`.
///
/// ```
/// use zerocast::{DstLayout, SizeInfo};
/// match DstLayout::for_slice::<u32>().size_info() {
///     SizeInfo::SliceDst(tsl) => assert_eq!(tsl, tsl.clone()),
///     SizeInfo::Sized { .. } => unreachable!("a slice is a DST"),
/// }
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TrailingSliceLayout {
    elem_size: usize,
    /// Offset of the trailing slice's first element from the start of the value; unlike
    /// `levels`/`tail` it is never merged with roundings (`SplitAt` needs the exact place).
    offset: usize,
    levels: [Level; MAX_LEVELS],
    depth: usize,
    /// Bytes added after the outermost rounding: fields before a DST field of a struct that
    /// is not padded yet, or an absorbed rounding (see the module docs).
    tail: usize,
}

/// Whether a layout is sized or ends in a slice.
///
/// ```
/// use zerocast::{DstLayout, SizeInfo};
/// assert_eq!(DstLayout::for_type::<[u8; 3]>().size_info(), SizeInfo::Sized { size: 3 });
/// assert!(matches!(DstLayout::for_slice::<u8>().size_info(), SizeInfo::SliceDst(_)));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SizeInfo {
    /// A type of fixed size.
    Sized {
        /// The type's size in bytes (`size_of`).
        size: usize,
    },
    /// A slice DST; sizes depend on the trailing element count.
    SliceDst(TrailingSliceLayout),
}

/// The layout of a [`KnownLayout`](crate::KnownLayout) type: its alignment and how its size
/// depends on its pointer metadata.
///
/// Built at compile time by the derive; see the module documentation for why the size
/// function is a chain of roundings.
///
/// ```
/// use zerocast::DstLayout;
/// // #[repr(C)] struct Packet { len: u16, body: [u8] }
/// const PACKET: DstLayout = DstLayout::new_zst(None)
///     .extend(DstLayout::for_type::<u16>(), None)
///     .extend(DstLayout::for_slice::<u8>(), None)
///     .pad_to_align();
/// assert_eq!(PACKET.align(), 2);
/// assert_eq!(PACKET.size_for_elems(3), Some(6)); // 2 + 3, rounded up to 2
/// assert_eq!(PACKET.max_elems_in(6), Some(4));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DstLayout {
    align: NonZeroUsize,
    size_info: SizeInfo,
}

const fn round_up(x: usize, align: usize) -> Option<usize> {
    match x.checked_add(align - 1) {
        Some(v) => Some(v & !(align - 1)),
        None => None,
    }
}

const fn round_down(x: usize, align: usize) -> usize {
    x & !(align - 1)
}

const fn min(a: usize, b: usize) -> usize {
    if a < b {
        a
    } else {
        b
    }
}

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

impl DstLayout {
    /// The layout of a sized type `T`.
    ///
    /// ```
    /// let l = zerocast::DstLayout::for_type::<u32>();
    /// assert_eq!((l.align(), l.size_for_elems(0)), (4, Some(4)));
    /// ```
    #[must_use]
    pub const fn for_type<T>() -> DstLayout {
        DstLayout {
            // `align_of` is never zero (Reference, "Type Layout": alignment is at least 1).
            align: match NonZeroUsize::new(core::mem::align_of::<T>()) {
                Some(a) => a,
                None => panic!("alignment is never zero"),
            },
            size_info: SizeInfo::Sized {
                size: core::mem::size_of::<T>(),
            },
        }
    }

    /// The layout of the slice type `[T]`.
    ///
    /// ```
    /// let l = zerocast::DstLayout::for_slice::<u16>();
    /// assert_eq!(l.size_for_elems(5), Some(10));
    /// ```
    #[must_use]
    pub const fn for_slice<T>() -> DstLayout {
        let align = DstLayout::for_type::<T>().align;
        DstLayout {
            align,
            size_info: SizeInfo::SliceDst(TrailingSliceLayout {
                elem_size: core::mem::size_of::<T>(),
                offset: 0,
                levels: [Level {
                    offset: 0,
                    align: 1,
                }; MAX_LEVELS],
                depth: 0,
                tail: 0,
            }),
        }
    }

    /// The layout of an empty `repr(C)` struct, the starting point for [`extend`](Self::extend).
    /// `repr_align` is the `N` of `#[repr(align(N))]`, if any.
    ///
    /// ```
    /// use core::num::NonZeroUsize;
    /// let l = zerocast::DstLayout::new_zst(NonZeroUsize::new(8)).pad_to_align();
    /// assert_eq!((l.align(), l.size_for_elems(0)), (8, Some(0)));
    /// ```
    #[must_use]
    pub const fn new_zst(repr_align: Option<NonZeroUsize>) -> DstLayout {
        let align = match repr_align {
            Some(a) => {
                assert!(
                    a.get().is_power_of_two(),
                    "repr(align) must be a power of two"
                );
                a
            }
            None => NonZeroUsize::MIN,
        };
        DstLayout {
            align,
            size_info: SizeInfo::Sized { size: 0 },
        }
    }

    /// Appends a field with layout `field` to a `repr(C)` struct under construction, placing
    /// it as rustc does: at the next multiple of the field's alignment, capped at `N` of
    /// `#[repr(packed(N))]` (`repr_packed`).
    ///
    /// Panics (a compile error in a `const`) if `self` already ends in a DST or the size
    /// overflows `usize`.
    ///
    /// ```
    /// use core::num::NonZeroUsize;
    /// use zerocast::DstLayout;
    /// // #[repr(C, packed(2))] struct S { a: u8, b: u32 }
    /// let s = DstLayout::new_zst(None)
    ///     .extend(DstLayout::for_type::<u8>(), NonZeroUsize::new(2))
    ///     .extend(DstLayout::for_type::<u32>(), NonZeroUsize::new(2))
    ///     .pad_to_align();
    /// assert_eq!((s.align(), s.size_for_elems(0)), (2, Some(6)));
    /// ```
    #[must_use]
    pub const fn extend(self, field: DstLayout, repr_packed: Option<NonZeroUsize>) -> DstLayout {
        let prefix_size = match self.size_info {
            SizeInfo::Sized { size } => size,
            SizeInfo::SliceDst(_) => panic!("only the last field of a struct may be a DST"),
        };
        let field_align = match repr_packed {
            Some(p) => {
                assert!(
                    p.get().is_power_of_two(),
                    "repr(packed) must be a power of two"
                );
                min(field.align.get(), p.get())
            }
            None => field.align.get(),
        };
        let offset = match round_up(prefix_size, field_align) {
            Some(o) => o,
            None => panic!("struct size overflows usize"),
        };
        let align = match NonZeroUsize::new(max(self.align.get(), field_align)) {
            Some(a) => a,
            None => panic!("alignment is never zero"),
        };
        let size_info = match field.size_info {
            SizeInfo::Sized { size } => match offset.checked_add(size) {
                Some(size) => SizeInfo::Sized { size },
                None => panic!("struct size overflows usize"),
            },
            SizeInfo::SliceDst(mut tsl) => {
                tsl.tail = match tsl.tail.checked_add(offset) {
                    Some(t) => t,
                    None => panic!("struct size overflows usize"),
                };
                tsl.offset = match tsl.offset.checked_add(offset) {
                    Some(o) => o,
                    None => panic!("struct size overflows usize"),
                };
                SizeInfo::SliceDst(tsl)
            }
        };
        DstLayout { align, size_info }
    }

    /// Adds the trailing padding rustc puts at the end of a struct: the size becomes a
    /// multiple of the alignment (for every element count, for a DST).
    ///
    /// ```
    /// use zerocast::DstLayout;
    /// // #[repr(C)] struct S { a: u32, b: u8 }
    /// let s = DstLayout::new_zst(None)
    ///     .extend(DstLayout::for_type::<u32>(), None)
    ///     .extend(DstLayout::for_type::<u8>(), None)
    ///     .pad_to_align();
    /// assert_eq!(s.size_for_elems(0), Some(8));
    /// ```
    #[must_use]
    pub const fn pad_to_align(self) -> DstLayout {
        let align = self.align.get();
        let size_info = match self.size_info {
            SizeInfo::Sized { size } => match round_up(size, align) {
                Some(size) => SizeInfo::Sized { size },
                None => panic!("struct size overflows usize"),
            },
            SizeInfo::SliceDst(mut tsl) => {
                let t = tsl.tail;
                if tsl.depth > 0 && align <= tsl.levels[tsl.depth - 1].align {
                    // The inner value is a multiple of `align`: only the constant rounds.
                    tsl.tail = match round_up(t, align) {
                        Some(t) => t,
                        None => panic!("struct size overflows usize"),
                    };
                } else if tsl.depth > 0 && t % tsl.levels[tsl.depth - 1].align == 0 {
                    // Inner alignment divides both `t` and `align`: one rounding suffices.
                    let top = &mut tsl.levels[tsl.depth - 1];
                    top.offset = match top.offset.checked_add(t) {
                        Some(o) => o,
                        None => panic!("struct size overflows usize"),
                    };
                    top.align = align;
                    tsl.tail = 0;
                } else {
                    assert!(tsl.depth < MAX_LEVELS, "DST nesting too deep for zerocast");
                    tsl.levels[tsl.depth] = Level { offset: t, align };
                    tsl.depth += 1;
                    tsl.tail = 0;
                }
                SizeInfo::SliceDst(tsl)
            }
        };
        DstLayout {
            align: self.align,
            size_info,
        }
    }

    /// The type's alignment in bytes.
    ///
    /// ```
    /// assert_eq!(zerocast::DstLayout::for_type::<u64>().align(), core::mem::align_of::<u64>());
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn align(&self) -> usize {
        self.align.get()
    }

    /// Whether the type is sized or a slice DST, and its size parameters.
    ///
    /// ```
    /// use zerocast::{DstLayout, SizeInfo};
    /// assert_eq!(DstLayout::for_type::<u16>().size_info(), SizeInfo::Sized { size: 2 });
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn size_info(&self) -> SizeInfo {
        self.size_info
    }

    /// The offset of the trailing slice's first element, or `None` for a sized type.
    ///
    /// ```
    /// use zerocast::DstLayout;
    /// // #[repr(C)] struct Packet { len: u16, body: [u8] }
    /// let packet = DstLayout::new_zst(None)
    ///     .extend(DstLayout::for_type::<u16>(), None)
    ///     .extend(DstLayout::for_slice::<u8>(), None)
    ///     .pad_to_align();
    /// assert_eq!(packet.trailing_offset(), Some(2));
    /// assert_eq!(DstLayout::for_type::<u16>().trailing_offset(), None);
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn trailing_offset(&self) -> Option<usize> {
        match self.size_info {
            SizeInfo::Sized { .. } => None,
            SizeInfo::SliceDst(tsl) => Some(tsl.offset),
        }
    }

    /// The size of one trailing element, or `None` for a sized type.
    ///
    /// ```
    /// assert_eq!(zerocast::DstLayout::for_slice::<u32>().elem_size(), Some(4));
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn elem_size(&self) -> Option<usize> {
        match self.size_info {
            SizeInfo::Sized { .. } => None,
            SizeInfo::SliceDst(tsl) => Some(tsl.elem_size),
        }
    }

    /// The largest alignment any rounding in the size function uses (at least the type's
    /// alignment). A power of two; adding a multiple of it to the innermost byte count shifts
    /// the size by exactly that much, which is what makes size functions periodic.
    #[inline(always)]
    pub(crate) const fn rounding_align(&self) -> usize {
        let mut align = self.align.get();
        if let SizeInfo::SliceDst(tsl) = self.size_info {
            let mut i = 0;
            while i < tsl.depth {
                align = max(align, tsl.levels[i].align);
                i += 1;
            }
        }
        align
    }

    /// `size_of_val` of a value with `elems` trailing elements (ignored for sized types), or
    /// `None` if that overflows `usize`.
    ///
    /// ```
    /// use zerocast::DstLayout;
    /// assert_eq!(DstLayout::for_slice::<u64>().size_for_elems(usize::MAX), None);
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn size_for_elems(&self, elems: usize) -> Option<usize> {
        // One comparison against a bound that folds to a constant (the layout is a `const`),
        // instead of an overflow check per step: counts up to the bound cannot overflow and
        // give sizes within `isize::MAX` (`size_of_val`'s limit, Reference "Type Layout").
        match self.max_elems_in(isize::MAX as usize) {
            Some(max) if elems <= max => Some(self.size_for_elems_in_bounds(elems)),
            _ => None,
        }
    }

    /// Like [`size_for_elems`](Self::size_for_elems) but `None` only when the size overflows
    /// `usize`: sizes above `isize::MAX` are returned. zerocopy's `size_for_metadata` has this
    /// contract, so code that asks "how big would it be" gets the same answer; nothing that
    /// builds a pointer or an allocation uses it.
    #[inline]
    pub(crate) const fn size_for_elems_in_usize(&self, elems: usize) -> Option<usize> {
        let tsl = match self.size_info {
            SizeInfo::Sized { size } => return Some(size),
            SizeInfo::SliceDst(tsl) => tsl,
        };
        let Some(mut x) = elems.checked_mul(tsl.elem_size) else {
            return None;
        };
        let mut i = 0;
        while i < tsl.depth {
            let level = tsl.levels[i];
            let mask = level.align - 1;
            // Rounding up to a power of two never needs more than `mask` extra bytes, and a
            // rounded size that fits `usize` is at most `usize::MAX - mask`, so checking
            // `x + offset + mask` for overflow is exact.
            x = match x.checked_add(level.offset) {
                Some(x) => match x.checked_add(mask) {
                    Some(x) => x & !mask,
                    None => return None,
                },
                None => return None,
            };
            i += 1;
        }
        x.checked_add(tsl.tail)
    }

    /// [`size_for_elems`](Self::size_for_elems) for a count already known to fit (from
    /// [`max_elems_in`](Self::max_elems_in)); wrapping arithmetic, never checked twice.
    #[inline(always)]
    pub(crate) const fn size_for_elems_in_bounds(&self, elems: usize) -> usize {
        let tsl = match self.size_info {
            SizeInfo::Sized { size } => return size,
            SizeInfo::SliceDst(tsl) => tsl,
        };
        let mut x = elems.wrapping_mul(tsl.elem_size);
        let mut i = 0;
        while i < tsl.depth {
            let level = tsl.levels[i];
            let mask = level.align - 1;
            x = x.wrapping_add(level.offset).wrapping_add(mask) & !mask;
            i += 1;
        }
        x.wrapping_add(tsl.tail)
    }

    /// For a slice DST whose size is `tail + elems * elem_size` exactly (no rounding level,
    /// non-zero elements): `Some((elems, misfit))`, where `misfit` is zero if and only if
    /// `elems` elements make a value of exactly `len` bytes (otherwise no count does, and
    /// `elems` means nothing). `None` for every other layout (sized, rounded, or zero-sized
    /// elements), whose callers take the general [`max_elems_in`](Self::max_elems_in) route.
    ///
    /// Why a separate route: for these layouts "fits exactly" is a divisibility test. The
    /// count is divided out first and the test is written on the remainder `rest - elems *
    /// size` rather than with `%`, so the division comes first in LLVM's instruction order
    /// and, for a power-of-two size, the register allocator needs no copy of `len` (as in
    /// zerocopy's code; benches/core-codegen). The misfit is returned as a number rather
    /// than folded into an `Option` so that a caller can merge it with other tests.
    #[inline(always)]
    pub(crate) const fn exact_elems_in(&self, len: usize) -> Option<(usize, usize)> {
        let tsl = match self.size_info {
            SizeInfo::SliceDst(tsl) if tsl.depth == 0 && tsl.elem_size != 0 => tsl,
            _ => return None,
        };
        let Some(rest) = len.checked_sub(tsl.tail) else {
            return Some((0, 1));
        };
        let elems = rest / tsl.elem_size;
        // `elems * elem_size <= rest`: no overflow.
        Some((elems, rest - elems * tsl.elem_size))
    }

    /// The largest trailing element count whose value fits in `len` bytes, or `None` if not
    /// even zero elements fit. For a sized type: `Some(0)` if the type fits.
    ///
    /// Exact for every nesting (see the module docs); for zero-sized elements any count fits
    /// and `usize::MAX` is returned.
    ///
    /// ```
    /// use zerocast::DstLayout;
    /// assert_eq!(DstLayout::for_slice::<u32>().max_elems_in(11), Some(2));
    /// assert_eq!(DstLayout::for_type::<u32>().max_elems_in(3), None);
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn max_elems_in(&self, len: usize) -> Option<usize> {
        let tsl = match self.size_info {
            SizeInfo::Sized { size } => return if size <= len { Some(0) } else { None },
            SizeInfo::SliceDst(tsl) => tsl,
        };
        let len = if len > isize::MAX as usize {
            isize::MAX as usize
        } else {
            len
        };
        let mut limit = match len.checked_sub(tsl.tail) {
            Some(l) => l,
            None => return None,
        };
        let mut i = tsl.depth;
        while i > 0 {
            i -= 1;
            let level = tsl.levels[i];
            limit = match round_down(limit, level.align).checked_sub(level.offset) {
                Some(l) => l,
                None => return None,
            };
        }
        if tsl.elem_size == 0 {
            return Some(usize::MAX);
        }
        Some(limit / tsl.elem_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn nz(n: usize) -> Option<NonZeroUsize> {
        NonZeroUsize::new(n)
    }

    #[repr(C)]
    struct Inner {
        _a: u64,
        _t: [u8],
    }
    #[repr(C, packed)]
    struct Packed1 {
        _b: u8,
        _i: Inner,
    }
    #[repr(C, align(16))]
    struct Align16 {
        _c: u8,
        _p: Packed1,
    }
    #[repr(C, packed(2))]
    struct Packed2 {
        _b: u8,
        _i: Inner,
    }
    #[repr(C, packed(4))]
    struct Packed4U32 {
        _b: [u8; 3],
        _t: [u32],
    }
    #[repr(C)]
    struct Outer {
        _x: u16,
        _p: Packed2,
    }

    const INNER: DstLayout = DstLayout::new_zst(None)
        .extend(DstLayout::for_type::<u64>(), None)
        .extend(DstLayout::for_slice::<u8>(), None)
        .pad_to_align();
    const PACKED1: DstLayout = DstLayout::new_zst(None)
        .extend(DstLayout::for_type::<u8>(), nz(1))
        .extend(INNER, nz(1))
        .pad_to_align();
    const ALIGN16: DstLayout = DstLayout::new_zst(nz(16))
        .extend(DstLayout::for_type::<u8>(), None)
        .extend(PACKED1, None)
        .pad_to_align();
    const PACKED2: DstLayout = DstLayout::new_zst(None)
        .extend(DstLayout::for_type::<u8>(), nz(2))
        .extend(INNER, nz(2))
        .pad_to_align();
    const PACKED4: DstLayout = DstLayout::new_zst(None)
        .extend(DstLayout::for_type::<[u8; 3]>(), nz(4))
        .extend(DstLayout::for_slice::<u32>(), nz(4))
        .pad_to_align();
    const OUTER: DstLayout = DstLayout::new_zst(None)
        .extend(DstLayout::for_type::<u16>(), None)
        .extend(PACKED2, None)
        .pad_to_align();

    /// A buffer big enough and aligned enough for every test type.
    #[repr(C, align(16))]
    struct Buf([u8; 512]);

    fn real_size<T: ?Sized>(make: fn(*const [u8]) -> *const T, n: usize) -> usize {
        let buf = Buf([0; 512]);
        let p = make(core::ptr::slice_from_raw_parts(buf.0.as_ptr(), n));
        // SAFETY: `size_of_val_raw` is unstable, so we make a reference: the buffer is
        // 16-aligned (enough for every test type), 512 initialized bytes long (more than
        // any test size), and every test type is made of integers, valid for any bytes.
        core::mem::size_of_val(unsafe { &*p })
    }

    #[test]
    fn nested_packed_dst_sizes_match_rustc() {
        let cases: [(DstLayout, fn(usize) -> usize); 6] = [
            (INNER, |n| real_size(|p| p as *const Inner, n)),
            (PACKED1, |n| real_size(|p| p as *const Packed1, n)),
            (ALIGN16, |n| real_size(|p| p as *const Align16, n)),
            (PACKED2, |n| real_size(|p| p as *const Packed2, n)),
            (PACKED4, |n| {
                real_size(|p| p as *const [u32] as *const Packed4U32, n)
            }),
            (OUTER, |n| real_size(|p| p as *const Outer, n)),
        ];
        for (i, (layout, size)) in cases.iter().enumerate() {
            for n in 0..if cfg!(miri) { 12 } else { 40 } {
                assert_eq!(layout.size_for_elems(n), Some(size(n)), "case {i}, n = {n}");
            }
        }
        assert_eq!(ALIGN16.align(), 16);
        assert_eq!(PACKED1.align(), 1);
    }

    #[test]
    fn exact_elems_agrees_with_the_general_route() {
        // #[repr(C)] struct { len: u16, body: [u16] }: a (no-op) rounding level, so the
        // general route.
        const HEADER_U16: DstLayout = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<u16>(), None)
            .extend(DstLayout::for_slice::<u16>(), None)
            .pad_to_align();
        let fast = [
            DstLayout::for_slice::<u16>(),
            DstLayout::for_slice::<[u8; 3]>(),
        ];
        for layout in fast {
            assert!(
                layout.exact_elems_in(0).is_some(),
                "{layout:?} takes the exact route"
            );
        }
        let others = [
            HEADER_U16,
            INNER,
            PACKED1,
            ALIGN16,
            PACKED2,
            PACKED4,
            OUTER,
            DstLayout::for_type::<u32>(),
        ];
        let max = if cfg!(miri) { 24 } else { 100 };
        let mut exact_route = 0;
        for layout in fast.into_iter().chain(others) {
            for len in 0..max {
                let Some((elems, misfit)) = layout.exact_elems_in(len) else {
                    continue;
                };
                let got = (misfit == 0).then_some(elems);
                exact_route += 1;
                let general = layout
                    .max_elems_in(len)
                    .filter(|&e| layout.size_for_elems(e) == Some(len));
                assert_eq!(got, general, "{layout:?}, len = {len}");
            }
        }
        assert!(exact_route >= fast.len() * max);
        assert_eq!(DstLayout::for_type::<u32>().exact_elems_in(4), None);
        assert_eq!(DstLayout::for_slice::<()>().exact_elems_in(4), None);
    }

    #[test]
    fn align16_around_packed_needs_two_levels_not_one() {
        // The collapsed formula would say 16 here (advisory #3617's mistake).
        assert_eq!(ALIGN16.size_for_elems(1), Some(32));
    }

    #[test]
    fn max_elems_is_the_exact_inverse_of_size() {
        let max = if cfg!(miri) { 48 } else { 200 };
        for layout in [INNER, PACKED1, ALIGN16, PACKED2, PACKED4, OUTER] {
            for len in 0..max {
                let brute = (0..max)
                    .rev()
                    .find(|&n| layout.size_for_elems(n).unwrap() <= len);
                assert_eq!(layout.max_elems_in(len), brute, "{layout:?} len {len}");
            }
        }
    }

    #[test]
    fn size_overflow_is_none_not_wraparound() {
        assert_eq!(INNER.size_for_elems(usize::MAX), None);
        assert_eq!(
            DstLayout::for_slice::<u16>().size_for_elems(usize::MAX / 2 + 1),
            None
        );
        assert_eq!(
            DstLayout::for_slice::<u8>().size_for_elems(isize::MAX as usize + 1),
            None
        );
    }

    #[test]
    fn size_in_usize_matches_bounded_size_and_only_fails_on_usize_overflow() {
        for layout in [INNER, PACKED1, ALIGN16, PACKED2, PACKED4, OUTER] {
            for n in 0..64 {
                assert_eq!(layout.size_for_elems_in_usize(n), layout.size_for_elems(n));
            }
            assert_eq!(
                layout.size_for_elems_in_usize(usize::MAX),
                None,
                "{layout:?}"
            );
        }
        let bytes = DstLayout::for_slice::<u8>();
        assert_eq!(bytes.size_for_elems_in_usize(usize::MAX), Some(usize::MAX));
        assert_eq!(bytes.size_for_elems(usize::MAX), None);
        let words = DstLayout::for_slice::<u16>();
        assert_eq!(
            words.size_for_elems_in_usize(usize::MAX / 2),
            Some(usize::MAX - 1)
        );
        assert_eq!(words.size_for_elems_in_usize(usize::MAX / 2 + 1), None);
        // A header of 2 then elements of 1 rounded up to align 2: the rounding overflows.
        let padded = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<u16>(), None)
            .extend(DstLayout::for_slice::<u8>(), None)
            .pad_to_align();
        assert_eq!(
            padded.size_for_elems_in_usize(usize::MAX - 3),
            Some(usize::MAX - 1)
        );
        assert_eq!(padded.size_for_elems_in_usize(usize::MAX - 2), None);
    }

    #[test]
    fn sized_layouts_match_size_of() {
        #[repr(C)]
        struct S {
            _a: u8,
            _b: u32,
            _c: u16,
        }
        const L: DstLayout = DstLayout::new_zst(None)
            .extend(DstLayout::for_type::<u8>(), None)
            .extend(DstLayout::for_type::<u32>(), None)
            .extend(DstLayout::for_type::<u16>(), None)
            .pad_to_align();
        assert_eq!(L.size_for_elems(0), Some(core::mem::size_of::<S>()));
        assert_eq!(L.align(), core::mem::align_of::<S>());
        assert_eq!(L.max_elems_in(core::mem::size_of::<S>() - 1), None);
    }
}
