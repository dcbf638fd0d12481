//! [`Ref<B, T>`]: a typed view of a byte container, checked once and then
//! used like a `&T` or `&mut T`.
//!
//! `Ref` keeps the byte container `B` (a `&[u8]`, `&mut [u8]`, or a
//! `RefCell` guard) instead of a plain reference, so a parser generic over
//! `B` reads shared bytes and edits mutable ones with the same code, and a
//! view built over a `cell::Ref` keeps the `RefCell` borrowed for as long as
//! it lives. [`Ref::into_bytes`] gives the container back.
//!
//! The module is split by purpose: `def` holds the struct and the only code
//! that touches its invariant, `construct` the checked constructors, and
//! `access` everything that reads or writes through a built `Ref`.

mod access;
mod construct;
mod deprecated;
#[cfg(test)]
mod tests;

pub use def::Ref;

mod def {
    use core::marker::PhantomData;

    use crate::byte_slice::{
        ByteSlice, ByteSliceMut, CloneableByteSlice, CopyableByteSlice, IntoByteSlice,
        IntoByteSliceMut,
    };
    use crate::known_layout::{KnownLayout, PointerMetadata};

    /// A `T` stored in the byte container `B`, with alignment and size
    /// checked when the `Ref` was built.
    ///
    /// `Ref<B, T>` has the mutability of `B`: over `&[u8]` it acts like `&T`,
    /// over `&mut [u8]` like `&mut T`. Build one with
    /// [`from_bytes`](Ref::from_bytes), [`from_prefix`](Ref::from_prefix),
    /// [`from_suffix`](Ref::from_suffix) or their `_with_elems` forms; use it
    /// through `Deref`/`DerefMut`, [`Ref::read`], [`Ref::write`]; turn it into
    /// a plain reference with [`Ref::into_ref`]/[`Ref::into_mut`] (only for
    /// containers that own nothing), or get the bytes back with
    /// [`Ref::into_bytes`].
    ///
    /// Methods are associated functions (`Ref::bytes(&r)`, not `r.bytes()`)
    /// so they never shadow methods of `T` reached through `Deref`.
    ///
    /// ```
    /// use zerocast::byteorder::network_endian::U16;
    /// use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
    /// #[repr(C)]
    /// struct UdpHeader {
    ///     src_port: U16,
    ///     dst_port: U16,
    ///     length: U16,
    ///     checksum: U16,
    /// }
    ///
    /// fn parse<B: SplitByteSlice>(bytes: B) -> Option<(Ref<B, UdpHeader>, B)> {
    ///     Ref::from_prefix(bytes).ok()
    /// }
    ///
    /// let mut packet = [0, 53, 0x30, 0x39, 0, 12, 0, 0, b'h', b'i', b'!', b'\n'];
    /// let (header, body) = parse(&packet[..]).unwrap();
    /// assert_eq!((header.src_port.get(), header.dst_port.get()), (53, 12345));
    /// assert_eq!(body, b"hi!\n");
    ///
    /// // The same parser edits in place over `&mut [u8]`.
    /// let (mut header, _) = parse(&mut packet[..]).unwrap();
    /// header.checksum.set(0xBEEF);
    /// assert_eq!(&packet[6..8], &[0xBE, 0xEF]);
    /// ```
    pub struct Ref<B, T: ?Sized> {
        /// Invariant: every slice obtained from `bytes` through the
        /// byte-slice traits (`deref`, `deref_mut`, `into_byte_slice`,
        /// `into_byte_slice_mut`) starts at an address aligned for `T` and
        /// has exactly the length `size_of_val` gives for a `T` with pointer
        /// metadata `from_elem_count(elems)` (`size_of::<T>()` when `T` is
        /// sized). The `ByteSlice` contract keeps that true for as long as
        /// `bytes` is only used through those traits, which is why no code
        /// outside this module sees `bytes` except by value in `into_bytes`.
        bytes: B,
        /// The trailing element count of the `T` (`0` for sized `T`).
        elems: usize,
        _type: PhantomData<T>,
    }

    impl<B: ByteSlice, T: ?Sized + KnownLayout> Ref<B, T> {
        /// Wraps `bytes` as a `T` with metadata `meta`.
        ///
        /// # Safety
        ///
        /// `bytes.deref()` starts at an address aligned for `T` and has length
        /// `T::size_for_metadata(meta)`.
        #[inline(always)]
        pub(super) unsafe fn new_unchecked(bytes: B, meta: T::PointerMetadata) -> Ref<B, T> {
            // Invariant: the caller's promise, extended to later derefs and
            // conversions by the `ByteSlice`/`IntoByteSlice` contracts.
            // `from_elem_count(to_elem_count(m)) == m` for both metadata kinds
            // (`()` and `usize`), so storing the count keeps the metadata.
            Ref {
                bytes,
                elems: meta.to_elem_count(),
                _type: PhantomData,
            }
        }

        /// The pointer metadata the `T` was checked with.
        #[inline(always)]
        pub(super) fn meta(&self) -> T::PointerMetadata {
            T::PointerMetadata::from_elem_count(self.elems)
        }
    }

    impl<B: ByteSlice, T: ?Sized> Ref<B, T> {
        /// The checked bytes: aligned for `T`, with the length of the `T`.
        #[inline(always)]
        pub(super) fn checked_bytes(&self) -> &[u8] {
            self.bytes.deref()
        }

        /// Gives the container back, ending the typed view.
        #[inline(always)]
        pub(super) fn into_container(self) -> B {
            self.bytes
        }
    }

    impl<B: ByteSliceMut, T: ?Sized> Ref<B, T> {
        /// The checked bytes, mutably: aligned for `T`, the length of the `T`.
        #[inline(always)]
        pub(super) fn checked_bytes_mut(&mut self) -> &mut [u8] {
            self.bytes.deref_mut()
        }
    }

    impl<'a, B: IntoByteSlice<'a>, T: ?Sized + KnownLayout> Ref<B, T> {
        /// The checked bytes for `'a` and the metadata to view them with.
        #[inline(always)]
        pub(super) fn into_checked_slice(self) -> (&'a [u8], T::PointerMetadata) {
            let meta = self.meta();
            (self.bytes.into_byte_slice(), meta)
        }
    }

    impl<'a, B: IntoByteSliceMut<'a>, T: ?Sized + KnownLayout> Ref<B, T> {
        /// The checked bytes, mutably for `'a`, and their metadata.
        #[inline(always)]
        pub(super) fn into_checked_slice_mut(self) -> (&'a mut [u8], T::PointerMetadata) {
            let meta = self.meta();
            (self.bytes.into_byte_slice_mut(), meta)
        }
    }

    impl<B: CloneableByteSlice, T: ?Sized> Clone for Ref<B, T> {
        #[inline]
        fn clone(&self) -> Ref<B, T> {
            // Invariant: `CloneableByteSlice` promises the clone derefs to the
            // same address and length as `self.bytes`.
            Ref {
                bytes: self.bytes.clone(),
                elems: self.elems,
                _type: PhantomData,
            }
        }
    }

    // `CopyableByteSlice` promises copies deref to the same address and length.
    impl<B: CopyableByteSlice, T: ?Sized> Copy for Ref<B, T> {}
}
