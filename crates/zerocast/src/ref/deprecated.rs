//! zerocopy 0.7's `Ref` constructor names, kept (deprecated and hidden from
//! the docs) so code written against zerocopy 0.8, which still offers them,
//! compiles unchanged. Each is a one-line wrapper over its replacement.

use super::Ref;
use crate::byte_slice::{ByteSlice, IntoByteSlice, IntoByteSliceMut, SplitByteSlice};
use crate::known_layout::KnownLayout;
use crate::{FromBytes, Immutable, IntoBytes, Unaligned};

impl<B: ByteSlice, T: KnownLayout + Immutable + ?Sized> Ref<B, T> {
    /// Old name of [`Ref::from_bytes`], with the error dropped.
    #[deprecated(since = "0.1.0", note = "renamed to `Ref::from_bytes`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new(bytes: B) -> Option<Ref<B, T>> {
        Self::from_bytes(bytes).ok()
    }
}

impl<B: SplitByteSlice, T: KnownLayout + Immutable + ?Sized> Ref<B, T> {
    /// Old name of [`Ref::from_prefix`], with the error dropped.
    #[deprecated(since = "0.1.0", note = "renamed to `Ref::from_prefix`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_from_prefix(bytes: B) -> Option<(Ref<B, T>, B)> {
        Self::from_prefix(bytes).ok()
    }

    /// Old name of [`Ref::from_suffix`], with the error dropped.
    #[deprecated(since = "0.1.0", note = "renamed to `Ref::from_suffix`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_from_suffix(bytes: B) -> Option<(B, Ref<B, T>)> {
        Self::from_suffix(bytes).ok()
    }
}

impl<B: ByteSlice, T: KnownLayout + Immutable + Unaligned + ?Sized> Ref<B, T> {
    /// Old name of [`Ref::from_bytes`] for `Unaligned` types.
    #[deprecated(since = "0.1.0", note = "use `Ref::from_bytes`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_unaligned(bytes: B) -> Option<Ref<B, T>> {
        Self::from_bytes(bytes).ok()
    }
}

impl<B: SplitByteSlice, T: KnownLayout + Immutable + Unaligned + ?Sized> Ref<B, T> {
    /// Old name of [`Ref::from_prefix`] for `Unaligned` types.
    #[deprecated(since = "0.1.0", note = "use `Ref::from_prefix`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_unaligned_from_prefix(bytes: B) -> Option<(Ref<B, T>, B)> {
        Self::from_prefix(bytes).ok()
    }

    /// Old name of [`Ref::from_suffix`] for `Unaligned` types.
    #[deprecated(since = "0.1.0", note = "use `Ref::from_suffix`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_unaligned_from_suffix(bytes: B) -> Option<(B, Ref<B, T>)> {
        Self::from_suffix(bytes).ok()
    }
}

impl<B: ByteSlice, T: Immutable> Ref<B, [T]>
where
    [T]: KnownLayout<PointerMetadata = usize> + Immutable,
{
    /// Old name of [`Ref::from_bytes`] for slices.
    #[deprecated(since = "0.1.0", note = "`Ref::from_bytes` now supports slices")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice(bytes: B) -> Option<Ref<B, [T]>> {
        Self::from_bytes(bytes).ok()
    }

    /// Old name of [`Ref::from_bytes`] for slices of `Unaligned` elements.
    #[deprecated(since = "0.1.0", note = "`Ref::from_bytes` now supports slices")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice_unaligned(bytes: B) -> Option<Ref<B, [T]>>
    where
        T: Unaligned,
    {
        Self::from_bytes(bytes).ok()
    }
}

impl<B: SplitByteSlice, T: Immutable> Ref<B, [T]>
where
    [T]: KnownLayout<PointerMetadata = usize> + Immutable,
{
    /// Old name of [`Ref::from_prefix_with_elems`].
    #[deprecated(since = "0.1.0", note = "replaced by `Ref::from_prefix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice_from_prefix(bytes: B, count: usize) -> Option<(Ref<B, [T]>, B)> {
        Self::from_prefix_with_elems(bytes, count).ok()
    }

    /// Old name of [`Ref::from_suffix_with_elems`].
    #[deprecated(since = "0.1.0", note = "replaced by `Ref::from_suffix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice_from_suffix(bytes: B, count: usize) -> Option<(B, Ref<B, [T]>)> {
        Self::from_suffix_with_elems(bytes, count).ok()
    }

    /// Old name of [`Ref::from_prefix_with_elems`] for `Unaligned` elements.
    #[deprecated(since = "0.1.0", note = "use `Ref::from_prefix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice_unaligned_from_prefix(bytes: B, count: usize) -> Option<(Ref<B, [T]>, B)>
    where
        T: Unaligned,
    {
        Self::from_prefix_with_elems(bytes, count).ok()
    }

    /// Old name of [`Ref::from_suffix_with_elems`] for `Unaligned` elements.
    #[deprecated(since = "0.1.0", note = "use `Ref::from_suffix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn new_slice_unaligned_from_suffix(bytes: B, count: usize) -> Option<(B, Ref<B, [T]>)>
    where
        T: Unaligned,
    {
        Self::from_suffix_with_elems(bytes, count).ok()
    }
}

impl<'a, B: 'a + IntoByteSlice<'a>, T: FromBytes + Immutable> Ref<B, [T]>
where
    [T]: FromBytes + KnownLayout + Immutable,
{
    /// Old method form of [`Ref::into_ref`] for slices.
    #[deprecated(since = "0.1.0", note = "`Ref::into_ref` now supports slices")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn into_slice(self) -> &'a [T] {
        Ref::into_ref(self)
    }
}

impl<'a, B: 'a + IntoByteSliceMut<'a>, T: FromBytes + IntoBytes + Immutable> Ref<B, [T]>
where
    [T]: FromBytes + IntoBytes + KnownLayout,
{
    /// Old method form of [`Ref::into_mut`] for slices.
    #[deprecated(since = "0.1.0", note = "`Ref::into_mut` now supports slices")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn into_mut_slice(self) -> &'a mut [T] {
        Ref::into_mut(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(deprecated)]
    use super::*;

    #[test]
    fn old_names_behave_like_their_replacements() {
        let bytes = [1u8, 2, 3, 4];
        let b = &bytes[..];
        assert_eq!(Ref::<_, [u8; 4]>::new(b).map(|r| *r), Some([1, 2, 3, 4]));
        assert!(Ref::<_, [u8; 3]>::new(b).is_none());
        assert_eq!(
            Ref::<_, [u8; 1]>::new_from_prefix(b).map(|(r, rest)| (*r, rest.len())),
            Some(([1], 3))
        );
        assert_eq!(
            Ref::<_, [u8; 1]>::new_from_suffix(b).map(|(rest, r)| (rest.len(), *r)),
            Some((3, [4]))
        );
        assert!(Ref::<_, [u8; 5]>::new_from_prefix(b).is_none());
        assert!(Ref::<_, u8>::new_unaligned(&b[..1]).is_some());
        assert!(Ref::<_, u8>::new_unaligned_from_prefix(b).is_some());
        assert!(Ref::<_, u8>::new_unaligned_from_suffix(b).is_some());
        assert_eq!(Ref::<_, [u8]>::new_slice(b).map(|r| r.len()), Some(4));
        assert_eq!(
            Ref::<_, [u8]>::new_slice_unaligned(b).map(|r| r.len()),
            Some(4)
        );
        assert_eq!(
            Ref::<_, [u8]>::new_slice_from_prefix(b, 3).map(|(r, rest)| (r.len(), rest.len())),
            Some((3, 1))
        );
        assert_eq!(
            Ref::<_, [u8]>::new_slice_from_suffix(b, 1).map(|(rest, r)| (rest.len(), r.len())),
            Some((3, 1))
        );
        assert!(Ref::<_, [u8]>::new_slice_from_prefix(b, 5).is_none());
        assert!(Ref::<_, [u8]>::new_slice_unaligned_from_prefix(b, 2).is_some());
        assert!(Ref::<_, [u8]>::new_slice_unaligned_from_suffix(b, 2).is_some());
        let r = Ref::<_, [u8]>::new_slice(b).unwrap();
        assert_eq!(r.into_slice(), &[1, 2, 3, 4]);
        let mut buf = [0u8; 2];
        let r = Ref::<_, [u8]>::new_slice(&mut buf[..]).unwrap();
        r.into_mut_slice()[1] = 7;
        assert_eq!(buf, [0, 7]);
    }
}
