//! TCP sequence-number arithmetic (RFC 9293 section 3.4).
//!
//! Sequence numbers live on a 32-bit circle: `a < b` means `b` lies within the 2^31 numbers
//! after `a`. Every comparison in the TCP code goes through [`SeqNum`], so no module
//! compares raw `u32`s and gets wrap-around wrong. Two numbers exactly 2^31 apart are
//! unordered on the circle; this type then calls the one that is numerically larger the
//! greater, so the order is total (as Linux's `before()`/`after()` do by sign).

use core::cmp::Ordering;
use core::ops::{Add, AddAssign, Sub};

/// A TCP sequence (or acknowledgment) number, compared modulo 2^32.
///
/// ```
/// use zerocast_stack::tcp::SeqNum;
/// let near_wrap = SeqNum::new(u32::MAX - 1);
/// let after = near_wrap + 10;
/// assert_eq!(after.get(), 8);
/// assert!(near_wrap < after);
/// assert_eq!(after - near_wrap, 10);
/// assert_eq!(near_wrap - after, -10);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct SeqNum(u32);

impl SeqNum {
    /// The sequence number `raw`.
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!(SeqNum::new(7).get(), 7);
    /// ```
    #[must_use]
    pub const fn new(raw: u32) -> SeqNum {
        SeqNum(raw)
    }

    /// The number as it goes on the wire.
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!((SeqNum::new(u32::MAX) + 1).get(), 0);
    /// ```
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The signed distance from `earlier` to `self` on the circle (in `-2^31..2^31`).
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!(SeqNum::new(5).distance_from(SeqNum::new(u32::MAX)), 6);
    /// ```
    #[must_use]
    pub const fn distance_from(self, earlier: SeqNum) -> i32 {
        self.0.wrapping_sub(earlier.0) as i32
    }

    /// How many numbers lie from `earlier` up to `self`, or 0 if `self` is not after it:
    /// the length of the range `earlier..self`.
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!(SeqNum::new(10).saturating_since(SeqNum::new(4)), 6);
    /// assert_eq!(SeqNum::new(4).saturating_since(SeqNum::new(10)), 0);
    /// ```
    #[must_use]
    pub const fn saturating_since(self, earlier: SeqNum) -> u32 {
        let d = self.distance_from(earlier);
        if d > 0 {
            d as u32
        } else {
            0
        }
    }

    /// Whether `self` lies in the half-open range `start..end` (an empty range holds
    /// nothing; the range is taken forward on the circle from `start`).
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// let start = SeqNum::new(u32::MAX - 2);
    /// assert!(SeqNum::new(1).in_range(start, start + 10));
    /// assert!(!(start + 10).in_range(start, start + 10));
    /// assert!(!start.in_range(start, start));
    /// ```
    #[must_use]
    pub const fn in_range(self, start: SeqNum, end: SeqNum) -> bool {
        let len = end.0.wrapping_sub(start.0);
        self.0.wrapping_sub(start.0) < len
    }

    /// The later of two numbers on the circle.
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!(SeqNum::new(1).max(SeqNum::new(u32::MAX)), SeqNum::new(1));
    /// ```
    #[must_use]
    pub fn max(self, other: SeqNum) -> SeqNum {
        if self >= other {
            self
        } else {
            other
        }
    }

    /// The earlier of two numbers on the circle.
    ///
    /// ```
    /// # use zerocast_stack::tcp::SeqNum;
    /// assert_eq!(SeqNum::new(1).min(SeqNum::new(u32::MAX)), SeqNum::new(u32::MAX));
    /// ```
    #[must_use]
    pub fn min(self, other: SeqNum) -> SeqNum {
        if self <= other {
            self
        } else {
            other
        }
    }
}

impl PartialOrd for SeqNum {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SeqNum {
    /// Circular order: by the sign of the wrapping difference; at exactly 2^31 apart, by
    /// the raw value, so the relation stays antisymmetric.
    fn cmp(&self, other: &Self) -> Ordering {
        let d = self.distance_from(*other);
        match d {
            0 => Ordering::Equal,
            i32::MIN => self.0.cmp(&other.0),
            d if d > 0 => Ordering::Greater,
            _ => Ordering::Less,
        }
    }
}

impl Add<u32> for SeqNum {
    type Output = SeqNum;
    fn add(self, rhs: u32) -> SeqNum {
        SeqNum(self.0.wrapping_add(rhs))
    }
}

impl AddAssign<u32> for SeqNum {
    fn add_assign(&mut self, rhs: u32) {
        self.0 = self.0.wrapping_add(rhs);
    }
}

impl Sub<SeqNum> for SeqNum {
    type Output = i32;
    /// The signed distance, as [`SeqNum::distance_from`].
    fn sub(self, rhs: SeqNum) -> i32 {
        self.distance_from(rhs)
    }
}

impl From<u32> for SeqNum {
    fn from(raw: u32) -> SeqNum {
        SeqNum(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn order_across_the_wrap() {
        let a = SeqNum::new(0xFFFF_FFF0);
        let b = SeqNum::new(0x10);
        assert!(a < b);
        assert!(b > a);
        assert_eq!(b - a, 0x20);
        assert_eq!(a.saturating_since(b), 0);
        assert_eq!(b.saturating_since(a), 0x20);
    }

    #[test]
    fn half_circle_apart_is_still_a_total_order() {
        let a = SeqNum::new(0);
        let b = SeqNum::new(1 << 31);
        assert_eq!(a.cmp(&b), Ordering::Less);
        assert_eq!(b.cmp(&a), Ordering::Greater);
    }

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(16))]
        #[test]
        fn adding_moves_forward(raw: u32, step in 1u32..(1 << 31)) {
            let a = SeqNum::new(raw);
            prop_assert!(a < a + step);
            prop_assert_eq!((a + step) - a, step as i32);
            prop_assert_eq!((a + step).saturating_since(a), step);
        }

        #[test]
        fn order_is_antisymmetric(x: u32, y: u32) {
            let (a, b) = (SeqNum::new(x), SeqNum::new(y));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a == b, x == y);
        }

        #[test]
        fn in_range_matches_distances(raw: u32, len in 0u32..(1 << 31), off: u32) {
            let start = SeqNum::new(raw);
            let x = start + off;
            prop_assert_eq!(x.in_range(start, start + len), off < len);
        }

        #[test]
        fn min_max_pick_one_of_the_two(x: u32, y: u32) {
            let (a, b) = (SeqNum::new(x), SeqNum::new(y));
            prop_assert!(a.max(b) >= a && a.max(b) >= b);
            prop_assert!(a.min(b) <= a && a.min(b) <= b);
        }
    }
}
