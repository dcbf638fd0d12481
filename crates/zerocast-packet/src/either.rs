//! [`Either`]: a buffer that is one of two buffer types, e.g. "the received buffer, reused"
//! or "a newly allocated one", as returned by [`VecProvider`](crate::provider::VecProvider).

use crate::buffer::{GrowBuffer, GrowBufferMut, ParseBuffer, ParseBufferMut};
use crate::fragmented::FragmentedBuffer;
use crate::parse::ParsablePacket;

/// One of two buffers; every buffer trait is forwarded to whichever is present.
///
/// ```
/// use zerocast_packet::{Buf, Either, ParseBuffer};
///
/// let a: Either<Buf<[u8; 2]>, Buf<Vec<u8>>> = Either::A(Buf::new([1, 2], ..));
/// let b: Either<Buf<[u8; 2]>, Buf<Vec<u8>>> = Either::B(Buf::new(vec![1, 2], ..));
/// assert_eq!(a.as_ref(), b.as_ref());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Either<A, B> {
    /// The first kind of buffer.
    A(A),
    /// The second kind of buffer.
    B(B),
}

macro_rules! either {
    ($e:expr, $x:ident => $body:expr) => {
        match $e {
            Either::A($x) => $body,
            Either::B($x) => $body,
        }
    };
}

impl<A: AsRef<[u8]>, B: AsRef<[u8]>> AsRef<[u8]> for Either<A, B> {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        either!(self, x => x.as_ref())
    }
}

impl<A: AsMut<[u8]>, B: AsMut<[u8]>> AsMut<[u8]> for Either<A, B> {
    #[inline]
    fn as_mut(&mut self) -> &mut [u8] {
        either!(self, x => x.as_mut())
    }
}

impl<A: ParseBuffer, B: ParseBuffer> ParseBuffer for Either<A, B> {
    #[inline]
    fn shrink_front(&mut self, n: usize) {
        either!(self, x => x.shrink_front(n))
    }

    #[inline]
    fn shrink_back(&mut self, n: usize) {
        either!(self, x => x.shrink_back(n))
    }

    #[inline]
    fn parse_with<'a, T, P: ParsablePacket<&'a [u8], T>>(
        &'a mut self,
        args: T,
    ) -> Result<P, P::Error> {
        either!(self, x => x.parse_with(args))
    }
}

impl<A: ParseBufferMut, B: ParseBufferMut> ParseBufferMut for Either<A, B> {
    #[inline]
    fn parse_with_mut<'a, T, P: ParsablePacket<&'a mut [u8], T>>(
        &'a mut self,
        args: T,
    ) -> Result<P, P::Error> {
        either!(self, x => x.parse_with_mut(args))
    }
}

impl<A: GrowBuffer, B: GrowBuffer> GrowBuffer for Either<A, B> {
    #[inline]
    fn parts(&self) -> (&[u8], &[u8], &[u8]) {
        either!(self, x => x.parts())
    }

    #[inline]
    fn prefix_len(&self) -> usize {
        either!(self, x => x.prefix_len())
    }

    #[inline]
    fn suffix_len(&self) -> usize {
        either!(self, x => x.suffix_len())
    }

    #[inline]
    fn grow_front(&mut self, n: usize) {
        either!(self, x => x.grow_front(n))
    }

    #[inline]
    fn grow_back(&mut self, n: usize) {
        either!(self, x => x.grow_back(n))
    }

    #[inline]
    fn reset(&mut self) {
        either!(self, x => x.reset())
    }
}

impl<A: GrowBufferMut, B: GrowBufferMut> GrowBufferMut for Either<A, B> {
    #[inline]
    fn parts_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        either!(self, x => x.parts_mut())
    }
}

impl<A: FragmentedBuffer, B: FragmentedBuffer> FragmentedBuffer for Either<A, B> {
    #[inline]
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8])) {
        either!(self, x => x.for_each_fragment(f))
    }
}

#[cfg(test)]
mod tests {
    use super::Either;
    use crate::{Buf, GrowBuffer, GrowBufferMut, ParseBuffer};

    #[test]
    fn every_method_reaches_the_present_buffer() {
        let mut e: Either<Buf<[u8; 4]>, Buf<[u8; 2]>> = Either::A(Buf::new([1, 2, 3, 4], 1..3));
        assert_eq!((e.prefix_len(), e.len(), e.suffix_len()), (1, 2, 1));
        e.grow_front_zero(1);
        e.shrink_back(1);
        assert_eq!(e.as_ref(), &[0, 2]);
        e.reset();
        assert_eq!(e.capacity(), 4);
        let mut b: Either<Buf<[u8; 4]>, Buf<[u8; 2]>> = Either::B(Buf::new([7, 8], 1..));
        b.grow_front(1);
        assert_eq!(b.parts_mut().1, &mut [7, 8]);
    }
}
