//! [`KnownLayout`]: the trait that tells the conversion methods how big a type is and how to
//! make a pointer to it, including slice DSTs such as `#[repr(C)] struct P { len: u16, body: [u8] }`.

use core::ptr::NonNull;

use crate::layout::DstLayout;

mod sealed {
    pub trait Sealed {}
    impl Sealed for () {}
    impl Sealed for usize {}
}

/// The pointer metadata of a [`KnownLayout`] type: `()` for sized types, `usize` (the trailing
/// element count) for slice DSTs. Sealed: no other metadata kinds exist for these types.
///
/// ```
/// use zerocast::{KnownLayout, PointerMetadata};
/// assert_eq!(<usize as PointerMetadata>::from_elem_count(3), 3);
/// let _: <[u8] as KnownLayout>::PointerMetadata = 4usize;
/// let _: <u32 as KnownLayout>::PointerMetadata = ();
/// ```
pub trait PointerMetadata:
    sealed::Sealed + Copy + Eq + Ord + core::fmt::Debug + core::hash::Hash
{
    /// Metadata for `elems` trailing elements (ignored for `()`).
    ///
    /// ```
    /// use zerocast::PointerMetadata;
    /// assert_eq!(<() as PointerMetadata>::from_elem_count(9), ());
    /// ```
    fn from_elem_count(elems: usize) -> Self;

    /// The trailing element count this metadata stands for (`0` for `()`).
    ///
    /// ```
    /// use zerocast::PointerMetadata;
    /// assert_eq!(7usize.to_elem_count(), 7);
    /// ```
    fn to_elem_count(self) -> usize;

    /// The size of a value of layout `layout` with this metadata, `None` only if it overflows
    /// `usize` (as zerocopy: a size above `isize::MAX`, too big for any object, is returned).
    ///
    /// ```
    /// use zerocast::{DstLayout, PointerMetadata};
    /// assert_eq!(3usize.size_for_metadata(DstLayout::for_slice::<u16>()), Some(6));
    /// assert_eq!(usize::MAX.size_for_metadata(DstLayout::for_slice::<u16>()), None);
    /// ```
    fn size_for_metadata(self, layout: DstLayout) -> Option<usize> {
        layout.size_for_elems_in_usize(self.to_elem_count())
    }
}

impl PointerMetadata for () {
    #[inline(always)]
    fn from_elem_count(_elems: usize) -> Self {}
    #[inline(always)]
    fn to_elem_count(self) -> usize {
        0
    }
}

impl PointerMetadata for usize {
    #[inline(always)]
    fn from_elem_count(elems: usize) -> Self {
        elems
    }
    #[inline(always)]
    fn to_elem_count(self) -> usize {
        self
    }
}

/// A type whose layout zerocast knows: its alignment, and its size as a function of its
/// pointer metadata. Every sized type can be `KnownLayout`; so can slices and `repr(C)`
/// structs ending in a slice (slice DSTs). Derive it with `#[derive(KnownLayout)]`.
///
/// # Safety
///
/// An implementer promises, for every pointer metadata value `m`:
/// * [`LAYOUT`](Self::LAYOUT) has `Self`'s alignment; if `Self: Sized` it is
///   `SizeInfo::Sized { size: size_of::<Self>() }` and `PointerMetadata = ()`; otherwise
///   `Self` is a slice DST, `PointerMetadata = usize`, and `LAYOUT.size_for_elems(m)` equals
///   `size_of_val` of a `Self` whose trailing slice has `m` elements (or `None` exactly when
///   that size would exceed `isize::MAX`);
/// * [`raw_from_ptr_len`](Self::raw_from_ptr_len)`(p, m)` returns a pointer with `p`'s
///   address and provenance and metadata `m`, without dereferencing anything;
/// * [`pointer_to_metadata`](Self::pointer_to_metadata) returns the metadata of its
///   argument, without dereferencing it.
///
/// ```
/// use zerocast::KnownLayout;
/// assert_eq!(<[u32]>::size_for_metadata(3), Some(12));
/// assert_eq!(u64::size_for_metadata(()), Some(8));
/// ```
#[diagnostic::on_unimplemented(
    message = "zerocast does not know the layout of `{Self}`: it is not `KnownLayout`",
    note = "add `#[derive(KnownLayout)]` to `{Self}`"
)]
pub unsafe trait KnownLayout {
    /// Only `zerocast-derive` and zerocast itself implement this trait; this item makes a
    /// hand-written impl fail to compile unless it spells out the hidden item on purpose.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// `()` for sized types, `usize` (trailing element count) for slice DSTs.
    type PointerMetadata: PointerMetadata;

    /// The type's layout.
    #[doc(hidden)]
    const LAYOUT: DstLayout;

    /// A pointer to a `Self` at `bytes` with metadata `meta`.
    #[doc(hidden)]
    fn raw_from_ptr_len(bytes: NonNull<u8>, meta: Self::PointerMetadata) -> NonNull<Self>;

    /// The metadata of `ptr` (never dereferenced).
    #[doc(hidden)]
    fn pointer_to_metadata(ptr: *mut Self) -> Self::PointerMetadata;

    /// The size of a `Self` with metadata `meta`, or `None` if it would overflow `usize`. Like
    /// zerocopy's, the size may exceed `isize::MAX` (the largest object size), so check it
    /// before allocating.
    ///
    /// ```
    /// use zerocast::KnownLayout;
    /// assert_eq!(<[u8]>::size_for_metadata(usize::MAX), Some(usize::MAX));
    /// assert_eq!(<[u16]>::size_for_metadata(usize::MAX), None);
    /// ```
    #[inline(always)]
    fn size_for_metadata(meta: Self::PointerMetadata) -> Option<usize> {
        meta.size_for_metadata(Self::LAYOUT)
    }
}

/// The size of `*ptr` computed from its metadata, without dereferencing it.
#[inline(always)]
pub(crate) fn size_of_raw<T: ?Sized + KnownLayout>(ptr: *mut T) -> Option<usize> {
    T::size_for_metadata(T::pointer_to_metadata(ptr))
}
