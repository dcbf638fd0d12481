//! A test-only reader that hands out at most a few bytes per `read`, as a pipe or a slow
//! disk may: the readers must gather records that arrive in pieces.

use std::io::{self, Read};

/// Reads `data` at most `step` bytes per call.
pub(crate) struct Trickle<'a> {
    pub data: &'a [u8],
    pub step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(out.len()).min(self.data.len());
        let (now, later) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = later;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_hands_out_more_than_a_step_and_ends_with_zero() {
        let mut t = Trickle {
            data: b"abcdefg",
            step: 3,
        };
        let mut out = [0u8; 8];
        let sizes: Vec<usize> = std::iter::from_fn(|| match t.read(&mut out) {
            Ok(0) | Err(_) => None,
            Ok(n) => Some(n),
        })
        .collect();
        assert_eq!(sizes, [3, 3, 1]);
        assert_eq!(t.read(&mut out).ok(), Some(0));
    }
}
