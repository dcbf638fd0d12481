//! A token bucket for ICMP error messages (RFC 1812 section 4.3.2.8, RFC 4443 section 2.4
//! (f): "an IPv6 node MUST limit the rate of ICMPv6 error messages it originates", with a
//! token bucket as the recommended method).
//!
//! The bucket holds up to `burst` tokens and refills at `rate` tokens per second of the
//! embedder's clock; each error takes one token, and an error finding the bucket empty is
//! not sent. Accounting is in nanosecond-tokens (one token = 10^9 units), so any rate refills
//! exactly without floating point.

use crate::time::Instant;

const UNIT: u64 = 1_000_000_000;

/// The token bucket.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    /// Tokens available, times 10^9.
    units: u64,
    /// When `units` was last refilled.
    last: Option<Instant>,
}

impl Default for TokenBucket {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenBucket {
    /// A bucket that starts full (at its first use).
    #[must_use]
    pub const fn new() -> Self {
        TokenBucket {
            units: 0,
            last: None,
        }
    }

    /// Takes one token at `now` if there is one; `rate` tokens per second, at most `burst`.
    ///
    /// ```
    /// use zerocast_stack::icmp::rate_limit::TokenBucket;
    /// use zerocast_stack::time::{Duration, Instant};
    /// let mut b = TokenBucket::new();
    /// let t = Instant::ZERO;
    /// assert!(b.try_take(t, 10, 2) && b.try_take(t, 10, 2));
    /// assert!(!b.try_take(t, 10, 2)); // burst spent
    /// assert!(b.try_take(t + Duration::from_millis(100), 10, 2)); // one token per 100 ms
    /// ```
    pub fn try_take(&mut self, now: Instant, rate: u32, burst: u32) -> bool {
        let cap = u64::from(burst).saturating_mul(UNIT);
        match self.last {
            None => self.units = cap,
            Some(last) => {
                let elapsed = u64::try_from(now.saturating_duration_since(last).as_nanos())
                    .unwrap_or(u64::MAX);
                let refill = elapsed.saturating_mul(u64::from(rate));
                self.units = self.units.saturating_add(refill).min(cap);
            }
        }
        self.last = Some(now);
        if self.units >= UNIT {
            self.units -= UNIT;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Duration;

    /// RFC 4443 section 2.4 (f): over one second at most burst + rate errors pass.
    #[test]
    fn rfc4443_2_4_f_rate_is_bounded_over_time() {
        let mut b = TokenBucket::new();
        let mut sent = 0;
        let steps = if cfg!(miri) { 100 } else { 1000 };
        for i in 0..steps {
            // One attempt per millisecond for one second.
            let now = Instant::ZERO + Duration::from_micros(1_000_000 / steps * i);
            if b.try_take(now, 100, 10) {
                sent += 1;
            }
        }
        assert!((100..=110).contains(&sent), "sent {sent}");
    }

    #[test]
    fn idle_time_refills_only_up_to_the_burst() {
        let mut b = TokenBucket::new();
        assert!(b.try_take(Instant::ZERO, 1, 1));
        assert!(!b.try_take(Instant::ZERO, 1, 1));
        let later = Instant::ZERO + Duration::from_secs(3600);
        assert!(b.try_take(later, 1, 1));
        assert!(!b.try_take(later, 1, 1));
    }
}
