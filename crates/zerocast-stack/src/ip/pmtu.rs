//! The path MTU cache: what ICMPv4 Fragmentation Needed (RFC 1191) and ICMPv6 Packet Too
//! Big (RFC 8201) told us about each destination.
//!
//! An entry lowers the MTU used towards one destination below the outgoing device's MTU.
//! Entries expire after [`StackConfig::pmtu_timeout`](crate::StackConfig::pmtu_timeout)
//! (RFC 1191 section 6.3 and RFC 8201 section 4 suggest 10 minutes), after which the device
//! MTU is tried again. The cache is bounded
//! ([`StackConfig::max_pmtu_entries`](crate::StackConfig::max_pmtu_entries)); when full, the
//! entry that expires soonest is evicted, as it would be forgotten first anyway.

use alloc::vec::Vec;
use core::net::IpAddr;

use crate::time::{Duration, Instant};

/// IPv4's minimum MTU (RFC 791: every host must accept 68-byte datagrams unfragmented).
pub const IPV4_MIN_MTU: u32 = 68;
/// IPv6's minimum link MTU (RFC 8200 section 5).
pub const IPV6_MIN_MTU: u32 = 1280;

/// The RFC 1191 section 7 plateau table, for a Fragmentation Needed from a router that did
/// not fill in the next-hop MTU.
const PLATEAUS: [u32; 10] = [65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296];

/// The next plateau below `original_len` (RFC 1191 section 7), at least 68.
///
/// ```
/// use zerocast_stack::ip::pmtu::plateau_below;
/// assert_eq!(plateau_below(1500), 1492);
/// assert_eq!(plateau_below(100), 68);
/// ```
#[must_use]
pub fn plateau_below(original_len: u32) -> u32 {
    PLATEAUS
        .iter()
        .copied()
        .find(|p| *p < original_len)
        .unwrap_or(IPV4_MIN_MTU)
        .max(IPV4_MIN_MTU)
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    dst: IpAddr,
    mtu: u32,
    expires: Instant,
}

/// Per-destination path MTUs.
#[derive(Debug, Clone, Default)]
pub struct PmtuCache {
    entries: Vec<Entry>,
    /// Counts changes, so answers derived from the cache can tell they are stale.
    generation: u64,
}

impl PmtuCache {
    /// An empty cache.
    #[must_use]
    pub const fn new() -> Self {
        PmtuCache {
            entries: Vec::new(),
            generation: 0,
        }
    }

    /// A number that grows with every change (an entry recorded, updated or expired).
    ///
    /// ```
    /// use zerocast_stack::ip::pmtu::PmtuCache;
    /// use zerocast_stack::time::{Duration, Instant};
    /// let mut c = PmtuCache::new();
    /// let before = c.generation();
    /// c.update("10.0.0.9".parse().unwrap(), 1400, Instant::ZERO, Duration::from_secs(600), 8);
    /// assert!(c.generation() > before);
    /// ```
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// Records that packets to `dst` must not exceed `mtu` (clamped to the family minimum),
    /// until `now + timeout`. A report never raises a known path MTU (RFC 1191 section 6.3:
    /// increases are only learned by expiry). Returns the recorded value.
    pub fn update(
        &mut self,
        dst: IpAddr,
        mtu: u32,
        now: Instant,
        timeout: Duration,
        capacity: usize,
    ) -> u32 {
        let floor = if dst.is_ipv4() {
            IPV4_MIN_MTU
        } else {
            IPV6_MIN_MTU
        };
        let mtu = mtu.max(floor);
        let expires = now + timeout;
        self.generation = self.generation.wrapping_add(1);
        if let Some(e) = self.entries.iter_mut().find(|e| e.dst == dst) {
            if e.expires <= now || mtu < e.mtu {
                e.mtu = mtu;
            }
            e.expires = expires;
            return e.mtu;
        }
        if capacity == 0 {
            return mtu;
        }
        if self.entries.len() >= capacity {
            if let Some(i) = (0..self.entries.len()).min_by_key(|&i| self.entries[i].expires) {
                self.entries.swap_remove(i);
            }
        }
        self.entries.push(Entry { dst, mtu, expires });
        mtu
    }

    /// The path MTU known for `dst`, if an unexpired entry exists.
    #[must_use]
    pub fn get(&self, dst: IpAddr, now: Instant) -> Option<u32> {
        self.get_with_expiry(dst, now).map(|(mtu, _)| mtu)
    }

    /// Like [`PmtuCache::get`], with the instant the entry expires.
    ///
    /// ```
    /// use zerocast_stack::ip::pmtu::PmtuCache;
    /// use zerocast_stack::time::{Duration, Instant};
    /// let mut c = PmtuCache::new();
    /// let dst = "10.0.0.9".parse().unwrap();
    /// c.update(dst, 1400, Instant::ZERO, Duration::from_secs(600), 8);
    /// assert_eq!(c.get_with_expiry(dst, Instant::ZERO), Some((1400, Instant::ZERO + Duration::from_secs(600))));
    /// ```
    #[must_use]
    pub fn get_with_expiry(&self, dst: IpAddr, now: Instant) -> Option<(u32, Instant)> {
        self.entries
            .iter()
            .find(|e| e.dst == dst && e.expires > now)
            .map(|e| (e.mtu, e.expires))
    }

    /// Drops expired entries.
    pub fn expire(&mut self, now: Instant) {
        let before = self.entries.len();
        self.entries.retain(|e| e.expires > now);
        if self.entries.len() != before {
            self.generation = self.generation.wrapping_add(1);
        }
    }

    /// How many entries are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const TEN_MIN: Duration = Duration::from_secs(600);

    /// RFC 1191 section 6.3: a report lowers the PMTU; it rises again only after expiry.
    #[test]
    fn rfc1191_6_3_lowers_and_expires() {
        let mut c = PmtuCache::new();
        let t0 = Instant::ZERO;
        assert_eq!(c.update(ip("10.0.0.9"), 1400, t0, TEN_MIN, 4), 1400);
        assert_eq!(c.update(ip("10.0.0.9"), 1450, t0, TEN_MIN, 4), 1400);
        assert_eq!(
            c.get(ip("10.0.0.9"), t0 + Duration::from_secs(599)),
            Some(1400)
        );
        assert_eq!(c.get(ip("10.0.0.9"), t0 + TEN_MIN), None);
    }

    /// RFC 8201 section 4 / RFC 8200 section 5: an IPv6 path MTU is never below 1280.
    #[test]
    fn rfc8201_ipv6_pmtu_never_below_1280() {
        let mut c = PmtuCache::new();
        assert_eq!(
            c.update(ip("2001:db8::1"), 600, Instant::ZERO, TEN_MIN, 4),
            1280
        );
        assert_eq!(c.update(ip("10.0.0.1"), 20, Instant::ZERO, TEN_MIN, 4), 68);
    }

    #[test]
    fn full_cache_evicts_the_entry_expiring_first() {
        let mut c = PmtuCache::new();
        c.update(ip("10.0.0.1"), 1000, Instant::ZERO, TEN_MIN, 2);
        c.update(ip("10.0.0.2"), 1000, Instant::from_nanos(5), TEN_MIN, 2);
        c.update(ip("10.0.0.3"), 1000, Instant::from_nanos(9), TEN_MIN, 2);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(ip("10.0.0.1"), Instant::from_nanos(10)), None);
        assert_eq!(c.get(ip("10.0.0.3"), Instant::from_nanos(10)), Some(1000));
    }
}
