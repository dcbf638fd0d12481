//! Scatter-gather byte views: a packet body spread over several non-contiguous slices
//! (e.g. a header in one buffer and a payload in an application's buffer).
//!
//! [`FragmentedBuffer`] is the read interface every buffer offers, contiguous or not;
//! [`FragmentedBytes`] and [`FragmentedBytesMut`] are views over a list of fragments.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

/// Read access to a byte sequence that may be split into fragments.
///
/// ```
/// use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
///
/// let parts: [&[u8]; 2] = [b"ab", b"cd"];
/// let bytes = FragmentedBytes::new(&parts);
/// let mut out = [0u8; 4];
/// bytes.copy_into(&mut out);
/// assert_eq!(&out, b"abcd");
/// ```
pub trait FragmentedBuffer {
    /// Calls `f` on each non-empty fragment in order.
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
    /// let parts: [&[u8]; 3] = [b"ab", b"", b"c"];
    /// let mut lens = [0usize; 3];
    /// let mut n = 0;
    /// FragmentedBytes::new(&parts).for_each_fragment(&mut |f| {
    ///     lens[n] = f.len();
    ///     n += 1;
    /// });
    /// assert_eq!((n, lens), (2, [2, 1, 0])); // the empty fragment is skipped
    /// ```
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8]));

    /// The total length of all fragments.
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
    /// let parts: [&[u8]; 2] = [b"ab", b"c"];
    /// assert_eq!(FragmentedBuffer::len(&FragmentedBytes::new(&parts)), 3);
    /// ```
    #[inline]
    fn len(&self) -> usize {
        let mut len = 0;
        self.for_each_fragment(&mut |f| len += f.len());
        len
    }

    /// Whether there are no bytes.
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
    /// assert!(FragmentedBuffer::is_empty(&FragmentedBytes::new(&[])));
    /// ```
    #[inline]
    fn is_empty(&self) -> bool {
        FragmentedBuffer::len(self) == 0
    }

    /// Copies all bytes, in order, into `dst`.
    ///
    /// # Panics
    ///
    /// Panics if `dst.len()` is not exactly [`len`](FragmentedBuffer::len).
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
    /// let parts: [&[u8]; 2] = [b"a", b"b"];
    /// let mut out = [0u8; 2];
    /// FragmentedBytes::new(&parts).copy_into(&mut out);
    /// assert_eq!(&out, b"ab");
    /// ```
    #[inline]
    fn copy_into(&self, dst: &mut [u8]) {
        assert_eq!(
            dst.len(),
            FragmentedBuffer::len(self),
            "destination length mismatch"
        );
        let mut offset = 0;
        self.for_each_fragment(&mut |f| {
            dst[offset..offset + f.len()].copy_from_slice(f);
            offset += f.len();
        });
    }

    /// All bytes in one newly allocated vector.
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytes};
    /// let parts: [&[u8]; 3] = [b"a", b"", b"bc"];
    /// assert_eq!(FragmentedBytes::new(&parts).to_flattened_vec(), b"abc");
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn to_flattened_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(FragmentedBuffer::len(self));
        self.for_each_fragment(&mut |f| v.extend_from_slice(f));
        v
    }
}

/// A read-only view of bytes spread over several slices.
///
/// ```
/// use zerocast_packet::FragmentedBytes;
///
/// let parts: [&[u8]; 2] = [b"head", b"body"];
/// let bytes = FragmentedBytes::new(&parts);
/// assert_eq!(bytes.len(), 8);
/// assert_eq!(bytes.byte_at(5), Some(b'o'));
/// ```
#[derive(Copy, Clone, Debug)]
pub struct FragmentedBytes<'a, 'b> {
    fragments: &'a [&'b [u8]],
}

impl<'a, 'b> FragmentedBytes<'a, 'b> {
    /// A view over `fragments`, in order.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 1] = [b"x"];
    /// assert_eq!(FragmentedBytes::new(&parts).len(), 1);
    /// ```
    #[must_use]
    #[inline]
    pub const fn new(fragments: &'a [&'b [u8]]) -> Self {
        FragmentedBytes { fragments }
    }

    /// The fragments, empty ones included.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 2] = [b"x", b""];
    /// assert_eq!(FragmentedBytes::new(&parts).fragments().len(), 2);
    /// ```
    #[must_use]
    #[inline]
    pub fn fragments(&self) -> &'a [&'b [u8]] {
        self.fragments
    }

    /// The total length.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 2] = [b"xy", b"z"];
    /// assert_eq!(FragmentedBytes::new(&parts).len(), 3);
    /// ```
    #[must_use]
    #[inline]
    pub fn len(&self) -> usize {
        self.fragments.iter().map(|f| f.len()).sum()
    }

    /// Whether there are no bytes.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 2] = [b"", b""];
    /// assert!(FragmentedBytes::new(&parts).is_empty());
    /// ```
    #[must_use]
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.fragments.iter().all(|f| f.is_empty())
    }

    /// The byte at `index` across fragments, or `None` past the end.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 2] = [b"ab", b"cd"];
    /// let bytes = FragmentedBytes::new(&parts);
    /// assert_eq!(bytes.byte_at(2), Some(b'c'));
    /// assert_eq!(bytes.byte_at(4), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn byte_at(&self, mut index: usize) -> Option<u8> {
        for f in self.fragments {
            match f.get(index) {
                Some(b) => return Some(*b),
                None => index -= f.len(),
            }
        }
        None
    }

    /// Copies `dst.len()` bytes starting at `offset` into `dst`; returns `false` (copying
    /// nothing) if they are not all there. Never panics.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 3] = [b"ab", b"c", b"de"];
    /// let mut out = [0u8; 3];
    /// assert!(FragmentedBytes::new(&parts).read_at(1, &mut out));
    /// assert_eq!(&out, b"bcd");
    /// assert!(!FragmentedBytes::new(&parts).read_at(3, &mut out));
    /// ```
    #[must_use]
    #[inline]
    pub fn read_at(&self, offset: usize, dst: &mut [u8]) -> bool {
        match offset.checked_add(dst.len()) {
            Some(end) if end <= self.len() => {}
            _ => return false,
        }
        let mut skip = offset;
        let mut written = 0;
        for f in self.fragments {
            if written == dst.len() {
                break;
            }
            if skip >= f.len() {
                skip -= f.len();
                continue;
            }
            let avail = &f[skip..];
            skip = 0;
            let n = avail.len().min(dst.len() - written);
            dst[written..written + n].copy_from_slice(&avail[..n]);
            written += n;
        }
        true
    }

    /// The bytes as one slice, if at most one fragment is non-empty (no copy needed).
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytes;
    /// let parts: [&[u8]; 3] = [b"", b"abc", b""];
    /// assert_eq!(FragmentedBytes::new(&parts).try_contiguous(), Some(&b"abc"[..]));
    /// let split: [&[u8]; 2] = [b"a", b"b"];
    /// assert_eq!(FragmentedBytes::new(&split).try_contiguous(), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn try_contiguous(&self) -> Option<&'b [u8]> {
        let mut found: Option<&'b [u8]> = None;
        for f in self.fragments.iter().filter(|f| !f.is_empty()) {
            if found.is_some() {
                return None;
            }
            found = Some(f);
        }
        Some(found.unwrap_or(&[]))
    }
}

impl FragmentedBuffer for FragmentedBytes<'_, '_> {
    #[inline]
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8])) {
        self.fragments
            .iter()
            .filter(|frag| !frag.is_empty())
            .for_each(|frag| f(frag));
    }
}

/// A mutable view of bytes spread over several slices.
///
/// ```
/// use zerocast_packet::{FragmentedBuffer, FragmentedBytesMut};
///
/// let (mut a, mut b) = ([0u8; 2], [0u8; 1]);
/// let mut parts: [&mut [u8]; 2] = [&mut a, &mut b];
/// let mut bytes = FragmentedBytesMut::new(&mut parts);
/// assert!(bytes.write_at(0, b"xyz"));
/// assert_eq!((a, b), (*b"xy", *b"z"));
/// ```
#[derive(Debug)]
pub struct FragmentedBytesMut<'a, 'b> {
    fragments: &'a mut [&'b mut [u8]],
}

impl<'a, 'b> FragmentedBytesMut<'a, 'b> {
    /// A mutable view over `fragments`, in order.
    ///
    /// ```
    /// # use zerocast_packet::{FragmentedBuffer, FragmentedBytesMut};
    /// let mut a = [0u8; 2];
    /// let mut parts: [&mut [u8]; 1] = [&mut a];
    /// assert_eq!(FragmentedBuffer::len(&FragmentedBytesMut::new(&mut parts)), 2);
    /// ```
    #[inline]
    pub fn new(fragments: &'a mut [&'b mut [u8]]) -> Self {
        FragmentedBytesMut { fragments }
    }

    /// Writes `src` starting at byte `offset`; returns `false` (writing nothing) if it does
    /// not fit. Never panics.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytesMut;
    /// let (mut a, mut b) = ([0u8; 1], [0u8; 2]);
    /// let mut parts: [&mut [u8]; 2] = [&mut a, &mut b];
    /// let mut bytes = FragmentedBytesMut::new(&mut parts);
    /// assert!(bytes.write_at(1, b"pq"));
    /// assert!(!bytes.write_at(2, b"pq"));
    /// assert_eq!(b, *b"pq");
    /// ```
    #[inline]
    pub fn write_at(&mut self, offset: usize, src: &[u8]) -> bool {
        let total: usize = self.fragments.iter().map(|f| f.len()).sum();
        match offset.checked_add(src.len()) {
            Some(end) if end <= total => {}
            _ => return false,
        }
        let mut skip = offset;
        let mut read = 0;
        for f in self.fragments.iter_mut() {
            if read == src.len() {
                break;
            }
            if skip >= f.len() {
                skip -= f.len();
                continue;
            }
            let avail = &mut f[skip..];
            skip = 0;
            let n = avail.len().min(src.len() - read);
            avail[..n].copy_from_slice(&src[read..read + n]);
            read += n;
        }
        true
    }

    /// Sets every byte to zero.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytesMut;
    /// let mut a = [7u8; 2];
    /// let mut parts: [&mut [u8]; 1] = [&mut a];
    /// FragmentedBytesMut::new(&mut parts).zero();
    /// assert_eq!(a, [0, 0]);
    /// ```
    #[inline]
    pub fn zero(&mut self) {
        self.fragments.iter_mut().for_each(|f| f.fill(0));
    }

    /// A read-only view of the same fragments.
    ///
    /// The returned view borrows this one; `FragmentedBytes` needs a slice of shared
    /// slices, so the caller provides scratch space for up to `N` fragment references.
    ///
    /// ```
    /// # use zerocast_packet::FragmentedBytesMut;
    /// let mut a = [1u8, 2];
    /// let mut parts: [&mut [u8]; 1] = [&mut a];
    /// let view = FragmentedBytesMut::new(&mut parts);
    /// let mut scratch = [&[][..]; 4];
    /// assert_eq!(view.as_fragmented_bytes(&mut scratch).map(|b| b.len()), Some(2));
    /// ```
    #[inline]
    pub fn as_fragmented_bytes<'s, const N: usize>(
        &'s self,
        scratch: &'s mut [&'s [u8]; N],
    ) -> Option<FragmentedBytes<'s, 's>> {
        if self.fragments.len() > N {
            return None;
        }
        for (slot, f) in scratch.iter_mut().zip(self.fragments.iter()) {
            *slot = f;
        }
        Some(FragmentedBytes::new(&scratch[..self.fragments.len()]))
    }
}

impl FragmentedBuffer for FragmentedBytesMut<'_, '_> {
    #[inline]
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8])) {
        self.fragments
            .iter()
            .filter(|frag| !frag.is_empty())
            .for_each(|frag| f(frag));
    }
}

impl FragmentedBuffer for [u8] {
    #[inline]
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8])) {
        if !self.is_empty() {
            f(self)
        }
    }
}

impl<B: AsRef<[u8]>> FragmentedBuffer for crate::Buf<B> {
    #[inline]
    fn for_each_fragment(&self, f: &mut dyn FnMut(&[u8])) {
        self.as_ref().for_each_fragment(f)
    }
}

#[cfg(test)]
mod tests {
    use super::{FragmentedBuffer, FragmentedBytes, FragmentedBytesMut};

    #[test]
    fn read_at_spans_fragments_and_rejects_overflowing_offsets() {
        let parts: [&[u8]; 4] = [b"ab", b"", b"cde", b"f"];
        let bytes = FragmentedBytes::new(&parts);
        let mut out = [0u8; 6];
        assert!(bytes.read_at(0, &mut out));
        assert_eq!(&out, b"abcdef");
        let mut two = [0u8; 2];
        assert!(bytes.read_at(4, &mut two));
        assert_eq!(&two, b"ef");
        assert!(!bytes.read_at(usize::MAX, &mut two));
        assert!(!bytes.read_at(5, &mut two));
    }

    #[test]
    fn byte_at_walks_past_empty_fragments() {
        let parts: [&[u8]; 3] = [b"", b"x", b""];
        let bytes = FragmentedBytes::new(&parts);
        assert_eq!(bytes.byte_at(0), Some(b'x'));
        assert_eq!(bytes.byte_at(1), None);
    }

    #[test]
    fn write_at_rejects_writes_past_the_end_without_writing() {
        let (mut a, mut b) = ([0u8; 2], [0u8; 2]);
        let mut parts: [&mut [u8]; 2] = [&mut a, &mut b];
        let mut bytes = FragmentedBytesMut::new(&mut parts);
        assert!(!bytes.write_at(3, b"zz"));
        assert!(bytes.write_at(1, b"pqr"));
        assert_eq!(FragmentedBuffer::len(&bytes), 4);
        assert_eq!((a, b), ([0, b'p'], [b'q', b'r']));
    }
}
