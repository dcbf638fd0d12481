//! Buffer providers: where a serializer's output buffer comes from.
//!
//! The innermost serializer knows how many bytes the whole packet needs before anything is
//! written, so it asks its provider exactly once: reuse the buffer it already has (a received
//! packet being answered or forwarded) when it has room, otherwise allocate. That makes at
//! most one allocation per packet, and none when the received buffer is big enough.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::fmt;

#[cfg(feature = "alloc")]
use crate::buf::Buf;
use crate::buffer::GrowBufferMut;
#[cfg(feature = "alloc")]
use crate::either::Either;

/// Turns a serializer's existing buffer (`Input`) into an output buffer (`Output`) with
/// enough room around the body.
///
/// Callers guarantee that `prefix + body length + suffix` does not overflow `usize`.
///
/// # Example
///
/// A provider that only ever allocates, e.g. from a pool of fixed-size buffers:
///
/// ```
/// use zerocast_packet::{Buf, BufferProvider, GrowBuffer, ParseBuffer, Serializer,
///     InnerPacketBuilder, EmptyBuf};
/// use zerocast_packet::provider::InsufficientSpace;
///
/// struct Pool;
/// impl<I: ParseBuffer> BufferProvider<I, Buf<[u8; 64]>> for Pool {
///     type Error = InsufficientSpace;
///     fn alloc_no_reuse(self, prefix: usize, body: usize, suffix: usize)
///         -> Result<Buf<[u8; 64]>, InsufficientSpace>
///     {
///         if prefix + body + suffix > 64 {
///             return Err(InsufficientSpace);
///         }
///         Ok(Buf::new([0; 64], prefix..prefix + body))
///     }
///     fn reuse_or_realloc(self, buffer: I, prefix: usize, suffix: usize)
///         -> Result<Buf<[u8; 64]>, (InsufficientSpace, I)>
///     {
///         if prefix + buffer.len() + suffix > 64 {
///             return Err((InsufficientSpace, buffer));
///         }
///         let mut out = Buf::new([0; 64], prefix..prefix + buffer.len());
///         out.as_mut().copy_from_slice(buffer.as_ref());
///         Ok(out)
///     }
/// }
///
/// let out = b"hi".into_serializer().serialize_outer(Pool).unwrap();
/// assert_eq!((out.as_ref(), out.capacity()), (&b"hi"[..], 64));
/// ```
pub trait BufferProvider<Input, Output> {
    /// Why no buffer could be provided.
    type Error;

    /// Provides a new buffer whose body is `body` bytes (contents unspecified: the caller
    /// overwrites them) with at least `prefix` bytes before and `suffix` bytes after.
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferProvider, GrowBuffer, ParseBuffer};
    /// use zerocast_packet::provider::VecProvider;
    ///
    /// let out = BufferProvider::<Buf<[u8; 0]>, _>::alloc_no_reuse(VecProvider, 2, 3, 1)?;
    /// assert_eq!((out.prefix_len(), out.len(), out.suffix_len()), (2, 3, 1));
    /// # Ok::<(), zerocast_packet::provider::AllocError>(())
    /// ```
    fn alloc_no_reuse(
        self,
        prefix: usize,
        body: usize,
        suffix: usize,
    ) -> Result<Output, Self::Error>;

    /// Provides a buffer holding `buffer`'s body with at least `prefix` bytes before and
    /// `suffix` bytes after it, reusing `buffer`'s storage if it can. On failure the input
    /// buffer is handed back unchanged in content.
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferProvider, GrowBuffer};
    /// use zerocast_packet::provider::{InsufficientSpace, NoAllocProvider};
    ///
    /// let received = Buf::new([0u8, 0, 7, 8], 2..);
    /// let out = NoAllocProvider.reuse_or_realloc(received, 2, 0).map_err(|(e, _)| e)?;
    /// assert_eq!((out.prefix_len(), out.as_ref()), (2, &[7u8, 8][..]));
    ///
    /// let Err((_, back)) = NoAllocProvider.reuse_or_realloc(Buf::new([7u8], ..), 1, 0) else {
    ///     panic!("one byte of storage cannot hold a one-byte prefix too")
    /// };
    /// assert_eq!(back.as_ref(), &[7]);
    /// # Ok::<(), InsufficientSpace>(())
    /// ```
    fn reuse_or_realloc(
        self,
        buffer: Input,
        prefix: usize,
        suffix: usize,
    ) -> Result<Output, (Self::Error, Input)>;
}

/// The error of a provider that could not fit the packet in the existing buffer and may not
/// allocate.
///
/// ```
/// use zerocast_packet::provider::InsufficientSpace;
/// assert_eq!(InsufficientSpace.to_string(), "buffer too small and allocation not allowed");
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct InsufficientSpace;

impl fmt::Display for InsufficientSpace {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("buffer too small and allocation not allowed")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for InsufficientSpace {}

/// Makes `buffer` have at least `prefix` bytes before and `suffix` bytes after its body,
/// moving the body within the storage if that is enough. Gives the buffer back if its
/// capacity is too small.
///
/// ```
/// use zerocast_packet::{Buf, GrowBuffer};
/// use zerocast_packet::provider::try_reuse;
///
/// let buf = Buf::new([0u8, 0, 0, 7, 8], 3..);
/// let moved = try_reuse(buf, 0, 3).unwrap();
/// assert_eq!((moved.as_ref(), moved.suffix_len()), (&[7u8, 8][..], 3));
/// assert!(try_reuse(Buf::new([0u8; 2], ..), 1, 0).is_err());
/// ```
pub fn try_reuse<B: GrowBufferMut>(mut buffer: B, prefix: usize, suffix: usize) -> Result<B, B> {
    if buffer.prefix_len() >= prefix && buffer.suffix_len() >= suffix {
        return Ok(buffer);
    }
    let len = buffer.len();
    let fits = prefix
        .checked_add(len)
        .and_then(|n| n.checked_add(suffix))
        .is_some_and(|need| need <= buffer.capacity());
    if !fits {
        return Err(buffer);
    }
    let old_start = buffer.prefix_len();
    buffer.reset();
    buffer
        .as_mut()
        .copy_within(old_start..old_start + len, prefix);
    buffer.shrink_front(prefix);
    buffer.shrink_back_to(len);
    Ok(buffer)
}

/// Reuses the existing buffer (moving the body if needed) and never allocates: the
/// provider for `no_std` without `alloc`, and for fixed-memory send paths.
///
/// ```
/// use zerocast_packet::{Buf, Serializer};
/// use zerocast_packet::provider::NoAllocProvider;
///
/// let out = Buf::new([0u8, 0, 5], 2..).serialize_outer(NoAllocProvider).unwrap();
/// assert_eq!(out.as_ref(), &[5]);
/// ```
#[derive(Copy, Clone, Debug, Default)]
pub struct NoAllocProvider;

impl<B: GrowBufferMut> BufferProvider<B, B> for NoAllocProvider {
    type Error = InsufficientSpace;

    #[inline]
    fn alloc_no_reuse(self, _: usize, _: usize, _: usize) -> Result<B, InsufficientSpace> {
        Err(InsufficientSpace)
    }

    #[inline]
    fn reuse_or_realloc(
        self,
        buffer: B,
        prefix: usize,
        suffix: usize,
    ) -> Result<B, (InsufficientSpace, B)> {
        try_reuse(buffer, prefix, suffix).map_err(|b| (InsufficientSpace, b))
    }
}

/// Reuses the existing buffer when it has room, otherwise allocates a `Vec<u8>` of exactly
/// the needed size and copies the body into it. A failed allocation (e.g. a size limit
/// so large the memory does not exist) is an [`AllocError`], not an abort.
///
/// ```
/// use zerocast_packet::{Buf, Either, GrowBuffer, Serializer, PacketConstraints};
/// use zerocast_packet::provider::VecProvider;
///
/// let roomy = Buf::new([0u8, 0, 5], 2..);
/// let out = roomy.serialize(PacketConstraints::new(2, 0, 0, 10).unwrap(), VecProvider);
/// assert!(matches!(out, Ok(Either::A(_))));
///
/// let cramped = Buf::new([5u8], ..);
/// let out = cramped.serialize(PacketConstraints::new(2, 0, 0, 10).unwrap(), VecProvider);
/// let Ok(Either::B(vec_buf)) = out else { panic!("expected a new buffer") };
/// assert_eq!((vec_buf.prefix_len(), vec_buf.as_ref()), (2, &[5u8][..]));
/// ```
#[cfg(feature = "alloc")]
#[derive(Copy, Clone, Debug, Default)]
pub struct VecProvider;

#[cfg(feature = "alloc")]
impl<B: GrowBufferMut> BufferProvider<B, Either<B, Buf<Vec<u8>>>> for VecProvider {
    type Error = AllocError;

    #[inline]
    fn alloc_no_reuse(
        self,
        prefix: usize,
        body: usize,
        suffix: usize,
    ) -> Result<Either<B, Buf<Vec<u8>>>, Self::Error> {
        new_vec_buf(prefix, body, suffix).map(Either::B)
    }

    #[inline]
    fn reuse_or_realloc(
        self,
        buffer: B,
        prefix: usize,
        suffix: usize,
    ) -> Result<Either<B, Buf<Vec<u8>>>, (Self::Error, B)> {
        match try_reuse(buffer, prefix, suffix) {
            Ok(b) => Ok(Either::A(b)),
            Err(b) => match new_vec_buf(prefix, b.len(), suffix) {
                Ok(mut out) => {
                    out.as_mut().copy_from_slice(b.as_ref());
                    Ok(Either::B(out))
                }
                Err(e) => Err((e, b)),
            },
        }
    }
}

/// A zeroed `Vec`-backed buffer with the body at `prefix..prefix + body`.
#[cfg(feature = "alloc")]
fn new_vec_buf(prefix: usize, body: usize, suffix: usize) -> Result<Buf<Vec<u8>>, AllocError> {
    // The provider contract guarantees the sum does not overflow.
    let len = prefix + body + suffix;
    let mut storage = Vec::new();
    storage
        .try_reserve_exact(len)
        .map_err(|_| AllocError { len })?;
    storage.resize(len, 0);
    Ok(Buf::new(storage, prefix..prefix + body))
}

/// The heap could not provide a buffer of `len` bytes.
///
/// ```
/// use zerocast_packet::provider::AllocError;
/// assert_eq!(AllocError { len: 9 }.to_string(), "could not allocate a 9-byte buffer");
/// ```
#[cfg(feature = "alloc")]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct AllocError {
    /// The requested buffer size.
    pub len: usize,
}

#[cfg(feature = "alloc")]
impl fmt::Display for AllocError {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not allocate a {}-byte buffer", self.len)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AllocError {}

#[cfg(test)]
mod tests {
    use super::try_reuse;
    use crate::{Buf, GrowBuffer};

    #[test]
    fn reuse_moves_the_body_to_make_room() {
        let buf = Buf::new([9u8, 1, 2, 3, 9, 9], 1..4);
        let moved = try_reuse(buf, 3, 0).unwrap();
        assert_eq!(moved.parts().1, &[1, 2, 3]);
        assert!(moved.prefix_len() >= 3);
    }

    #[test]
    fn reuse_refuses_when_capacity_is_short_and_keeps_the_buffer() {
        let buf = Buf::new([1u8, 2, 3], ..);
        let back = try_reuse(buf, 1, 0).unwrap_err();
        assert_eq!(back.as_ref(), &[1, 2, 3]);
        assert!(try_reuse(Buf::new([0u8; 1], ..), usize::MAX, 1).is_err());
    }
}
