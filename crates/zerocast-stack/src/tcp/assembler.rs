//! Out-of-order bookkeeping for the receive buffer: which byte ranges beyond RCV.NXT have
//! arrived, and the SACK blocks that describe them (RFC 2018, RFC 2883).
//!
//! Ranges are offsets from RCV.NXT, kept sorted and merged; their number is bounded
//! ([`MAX_RANGES`]) so a peer scattering tiny segments cannot grow memory: a segment that
//! would need one more range is dropped (the peer retransmits it).

use alloc::vec::Vec;

/// Most separate out-of-order ranges held.
pub(crate) const MAX_RANGES: usize = 32;

/// One held range, `start..end` bytes after RCV.NXT, with the arrival counter of its latest
/// segment (for RFC 2018 4's "most recently received first").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    start: u32,
    end: u32,
    touched: u64,
}

/// Out-of-order ranges beyond RCV.NXT.
#[derive(Debug, Clone, Default)]
pub(crate) struct Assembler {
    ranges: Vec<Range>,
    clock: u64,
}

impl Assembler {
    /// Records `start..end` as arrived. Returns false (and records nothing) when it would
    /// need more than [`MAX_RANGES`] ranges.
    pub(crate) fn add(&mut self, start: u32, end: u32) -> bool {
        if start >= end {
            return true;
        }
        self.clock += 1;
        let touched = self.clock;
        // Ranges overlapping or adjacent to start..end merge with it.
        let first = self.ranges.iter().position(|r| r.end >= start);
        let Some(i) = first else {
            if self.ranges.len() >= MAX_RANGES {
                return false;
            }
            self.ranges.push(Range {
                start,
                end,
                touched,
            });
            return true;
        };
        let mut j = i;
        while j < self.ranges.len() && self.ranges[j].start <= end {
            j += 1;
        }
        if i == j {
            if self.ranges.len() >= MAX_RANGES {
                return false;
            }
            self.ranges.insert(
                i,
                Range {
                    start,
                    end,
                    touched,
                },
            );
            return true;
        }
        let merged = Range {
            start: start.min(self.ranges[i].start),
            end: end.max(self.ranges[j - 1].end),
            touched,
        };
        self.ranges.drain(i..j);
        self.ranges.insert(i, merged);
        true
    }

    /// Whether all of `start..end` is already held.
    pub(crate) fn contains(&self, start: u32, end: u32) -> bool {
        self.ranges.iter().any(|r| r.start <= start && end <= r.end)
    }

    /// RCV.NXT moved forward by `n`: shift every offset, forgetting what it passed.
    pub(crate) fn advance(&mut self, n: u32) {
        self.ranges.retain_mut(|r| {
            r.start = r.start.saturating_sub(n);
            r.end = r.end.saturating_sub(n);
            r.end > 0
        });
    }

    /// Bytes held contiguously from offset 0 (ready once RCV.NXT reaches them).
    pub(crate) fn contiguous_at_front(&self) -> u32 {
        match self.ranges.first() {
            Some(r) if r.start == 0 => r.end,
            _ => 0,
        }
    }

    /// The held ranges, most recently extended first (RFC 2018 section 4).
    pub(crate) fn by_recency(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<&Range> = self.ranges.iter().collect();
        v.sort_by_key(|r| core::cmp::Reverse(r.touched));
        v.iter().map(|r| (r.start, r.end)).collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// How many ranges are held.
    pub(crate) fn count(&self) -> usize {
        self.ranges.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlapping_and_adjacent_ranges() {
        let mut a = Assembler::default();
        assert!(a.add(10, 20));
        assert!(a.add(30, 40));
        assert!(a.add(20, 30));
        assert_eq!(a.by_recency(), [(10, 40)]);
        assert!(a.add(0, 5));
        assert_eq!(a.contiguous_at_front(), 5);
        a.advance(5);
        assert_eq!(a.by_recency(), [(5, 35)]);
    }

    #[test]
    fn rfc2018_4_most_recent_block_first() {
        let mut a = Assembler::default();
        a.add(100, 200);
        a.add(300, 400);
        a.add(500, 600);
        a.add(150, 250); // extends the first range: now the most recent
        assert_eq!(a.by_recency(), [(100, 250), (500, 600), (300, 400)]);
    }

    #[test]
    fn range_count_is_bounded() {
        let mut a = Assembler::default();
        for i in 0..MAX_RANGES as u32 {
            assert!(a.add(i * 10 + 1, i * 10 + 2));
        }
        assert!(!a.add(1000, 1001), "one range too many is refused");
        assert!(a.add(1, 3), "growing an existing range is fine");
        assert!(a.contains(1, 3));
    }
}
