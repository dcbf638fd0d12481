//! [`PacketConstraints`]: the sizes a layer adds around its body and the body sizes it
//! accepts, and how the constraints of nested layers combine.

/// The header length, footer length and body-length range of a packet layer.
///
/// Bodies shorter than `min_body_len` are zero-padded up to it (Ethernet's 46 bytes);
/// bodies longer than `max_body_len` are an error (an MTU, or a 16-bit length field).
///
/// For a single layer `min_body_len <= max_body_len` always holds. After
/// [`encapsulate`](PacketConstraints::encapsulate) it may not: that means an outer layer
/// pads every possible inner packet (e.g. a protocol with a tiny maximum inside Ethernet).
///
/// ```
/// use zerocast_packet::PacketConstraints;
///
/// let eth = PacketConstraints::new(14, 0, 46, 1500).unwrap();
/// let ipv4 = PacketConstraints::new(20, 0, 0, 65515).unwrap();
/// let both = ipv4.encapsulate(&eth).unwrap();
/// assert_eq!(both.header_len(), 34);
/// assert_eq!(both.min_body_len(), 26); // IPv4 bodies under 26 bytes get Ethernet padding
/// assert_eq!(both.max_body_len(), 1480);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct PacketConstraints {
    header_len: usize,
    footer_len: usize,
    min_body_len: usize,
    max_body_len: usize,
}

impl PacketConstraints {
    /// No header, no footer, any body: the constraints outside the outermost layer.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::UNCONSTRAINED.max_body_len(), usize::MAX);
    /// ```
    pub const UNCONSTRAINED: PacketConstraints = PacketConstraints {
        header_len: 0,
        footer_len: 0,
        min_body_len: 0,
        max_body_len: usize::MAX,
    };

    /// No header or footer, bodies of at most `limit` bytes: an MTU.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::size_limit(1500).max_body_len(), 1500);
    /// ```
    #[must_use]
    #[inline]
    pub const fn size_limit(limit: usize) -> PacketConstraints {
        PacketConstraints {
            header_len: 0,
            footer_len: 0,
            min_body_len: 0,
            max_body_len: limit,
        }
    }

    /// Constraints of one layer. Returns `None` if `min_body_len > max_body_len` or if
    /// `header_len + footer_len` overflows. (`max_body_len` may be `usize::MAX`: "no limit
    /// of its own".)
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert!(PacketConstraints::new(8, 0, 0, 65527).is_some());
    /// assert!(PacketConstraints::new(8, 0, 10, 5).is_none());
    /// assert!(PacketConstraints::new(usize::MAX, 1, 0, 0).is_none());
    /// ```
    #[must_use]
    #[inline]
    pub const fn new(
        header_len: usize,
        footer_len: usize,
        min_body_len: usize,
        max_body_len: usize,
    ) -> Option<PacketConstraints> {
        if min_body_len > max_body_len || header_len.checked_add(footer_len).is_none() {
            return None;
        }
        Some(PacketConstraints {
            header_len,
            footer_len,
            min_body_len,
            max_body_len,
        })
    }

    /// Bytes written before the body.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::new(14, 4, 46, 1500).unwrap().header_len(), 14);
    /// ```
    #[must_use]
    #[inline]
    pub const fn header_len(&self) -> usize {
        self.header_len
    }

    /// Bytes written after the body (and its padding).
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::new(14, 4, 46, 1500).unwrap().footer_len(), 4);
    /// ```
    #[must_use]
    #[inline]
    pub const fn footer_len(&self) -> usize {
        self.footer_len
    }

    /// Bodies shorter than this are zero-padded up to it.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::new(14, 4, 46, 1500).unwrap().min_body_len(), 46);
    /// ```
    #[must_use]
    #[inline]
    pub const fn min_body_len(&self) -> usize {
        self.min_body_len
    }

    /// Bodies longer than this cannot be serialized.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// assert_eq!(PacketConstraints::new(14, 4, 46, 1500).unwrap().max_body_len(), 1500);
    /// ```
    #[must_use]
    #[inline]
    pub const fn max_body_len(&self) -> usize {
        self.max_body_len
    }

    /// The constraints of `self` (an inner layer) nested inside `outer`, as seen by the
    /// inner layer's body.
    ///
    /// Returns `None` when no inner packet can satisfy both: header and footer lengths
    /// overflow, or even the shortest inner packet (header, minimum body, footer) is longer
    /// than `outer` accepts.
    ///
    /// ```
    /// use zerocast_packet::PacketConstraints;
    ///
    /// let udp = PacketConstraints::new(8, 0, 0, 65527).unwrap();
    /// let tiny_mtu = PacketConstraints::new(0, 0, 0, 4).unwrap();
    /// assert!(udp.encapsulate(&tiny_mtu).is_none()); // the UDP header alone does not fit
    /// ```
    #[must_use]
    #[inline]
    pub const fn encapsulate(&self, outer: &PacketConstraints) -> Option<PacketConstraints> {
        let inner = self;
        let Some(header_len) = inner.header_len.checked_add(outer.header_len) else {
            return None;
        };
        let Some(footer_len) = inner.footer_len.checked_add(outer.footer_len) else {
            return None;
        };
        if header_len.checked_add(footer_len).is_none() {
            return None;
        }
        // `new` guarantees that one layer's header + footer does not overflow.
        let inner_overhead = inner.header_len + inner.footer_len;
        let Some(room_for_inner_body) = outer.max_body_len.checked_sub(inner_overhead) else {
            return None;
        };
        if inner.min_body_len > room_for_inner_body {
            return None;
        }
        let max_body_len = if inner.max_body_len < room_for_inner_body {
            inner.max_body_len
        } else {
            room_for_inner_body
        };
        let outer_min = outer.min_body_len.saturating_sub(inner_overhead);
        let min_body_len = if inner.min_body_len > outer_min {
            inner.min_body_len
        } else {
            outer_min
        };
        Some(PacketConstraints {
            header_len,
            footer_len,
            min_body_len,
            max_body_len,
        })
    }

    /// How many bytes a body of `body_len` bytes needs after its start, padding and
    /// footers included, or `None` if `body_len` exceeds the maximum.
    ///
    /// ```
    /// # use zerocast_packet::PacketConstraints;
    /// let eth = PacketConstraints::new(14, 0, 46, 1500).unwrap();
    /// assert_eq!(eth.body_and_suffix_len(10), Some(46));
    /// assert_eq!(eth.body_and_suffix_len(1501), None);
    /// ```
    #[must_use]
    #[inline]
    pub const fn body_and_suffix_len(&self, body_len: usize) -> Option<usize> {
        if body_len > self.max_body_len {
            return None;
        }
        let padded = if body_len > self.min_body_len {
            body_len
        } else {
            self.min_body_len
        };
        padded.checked_add(self.footer_len)
    }
}

impl Default for PacketConstraints {
    /// [`PacketConstraints::UNCONSTRAINED`].
    #[inline]
    fn default() -> Self {
        PacketConstraints::UNCONSTRAINED
    }
}

#[cfg(test)]
mod tests {
    use super::PacketConstraints;

    fn c(h: usize, f: usize, min: usize, max: usize) -> PacketConstraints {
        PacketConstraints::new(h, f, min, max).unwrap()
    }

    #[test]
    fn encapsulating_in_unconstrained_changes_nothing() {
        let udp = c(8, 0, 0, 65527);
        assert_eq!(
            udp.encapsulate(&PacketConstraints::UNCONSTRAINED),
            Some(udp)
        );
    }

    #[test]
    fn rejects_header_overflow() {
        let huge = c(usize::MAX - 1, 0, 0, usize::MAX);
        assert_eq!(huge.encapsulate(&c(2, 0, 0, usize::MAX)), None);
    }

    #[test]
    fn rejects_inner_minimum_that_outer_cannot_carry() {
        let inner = c(2, 2, 10, 20);
        assert_eq!(inner.encapsulate(&c(0, 0, 0, 13)), None);
        assert!(inner.encapsulate(&c(0, 0, 0, 14)).is_some());
    }

    #[test]
    fn outer_minimum_can_exceed_inner_maximum() {
        let tiny = c(1, 0, 0, 4);
        let eth = c(14, 0, 46, 1500);
        let both = tiny.encapsulate(&eth).unwrap();
        assert_eq!((both.min_body_len(), both.max_body_len()), (45, 4));
        assert_eq!(both.body_and_suffix_len(4), Some(45));
    }

    #[test]
    fn body_and_suffix_len_never_overflows() {
        let c = c(0, usize::MAX, 0, usize::MAX);
        assert_eq!(c.body_and_suffix_len(1), None);
    }
}
