//! Ephemeral port selection, RFC 6056 section 3.3.4 (Algorithm 4, "double-hash port
//! selection").
//!
//! A connection's local port is `min + (F(local IP, remote IP, remote port, K1) +
//! table[G(local IP, remote IP, remote port, K2) mod T]) mod N`, trying the following ports
//! until one is free, with the table slot incremented on each try. F spreads different
//! destinations over the range so an off-path attacker cannot guess our port (RFC 6056
//! section 2: the port is part of what a blind attack must guess); the table makes
//! consecutive connections to the *same* destination take consecutive ports, so a port is
//! not reused for that destination until the range wrapped (RFC 6056 3.3.4 says this keeps
//! the reuse frequency low, which TIME-WAIT and RFC 6191 appreciate), while the other
//! destinations' sequences stay independent. F and G are SipHash-2-4 under two keys drawn
//! from the stack's RNG, so a stack built with the same seed picks the same ports.
//!
//! The allocator holds no table of ports in use; the caller says which are taken.

use core::net::{IpAddr, SocketAddr};

use super::isn::tuple_bytes;
use super::siphash::siphash24;

/// Slots of the counter table (RFC 6056 suggests "a few"; each slot is two bytes).
pub(crate) const TABLE_LEN: usize = 64;

/// RFC 6056 Algorithm 4 state: two keys and the counter table.
#[derive(Clone)]
pub(crate) struct PortAllocator {
    key_f: [u8; 16],
    key_g: [u8; 16],
    table: [u16; TABLE_LEN],
}

impl core::fmt::Debug for PortAllocator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The keys are secrets.
        f.debug_struct("PortAllocator").finish_non_exhaustive()
    }
}

impl PortAllocator {
    pub(crate) fn new(key_f: [u8; 16], key_g: [u8; 16]) -> Self {
        PortAllocator {
            key_f,
            key_g,
            table: [0; TABLE_LEN],
        }
    }

    /// A free port in `lo..=hi` for a connection from `local` to `remote` (`None` for a
    /// bind without a destination); `taken` says whether a port is in use. `None` when
    /// every port of the range is taken.
    pub(crate) fn pick(
        &mut self,
        local: IpAddr,
        remote: Option<SocketAddr>,
        (lo, hi): (u16, u16),
        mut taken: impl FnMut(u16) -> bool,
    ) -> Option<u16> {
        if lo == 0 || hi < lo {
            return None;
        }
        let n = u64::from(hi - lo) + 1;
        let mut input = [0u8; 37];
        let remote = remote.unwrap_or(SocketAddr::new(local, 0));
        let len = tuple_bytes(SocketAddr::new(local, 0), remote, &mut input);
        let input = input.get(..len).unwrap_or(&[]);
        let offset = siphash24(&self.key_f, input) % n;
        let index = (siphash24(&self.key_g, input) % TABLE_LEN as u64) as usize;
        for _ in 0..n {
            let slot = self.table.get_mut(index)?;
            let port = lo + ((offset + u64::from(*slot)) % n) as u16;
            *slot = slot.wrapping_add(1);
            if !taken(port) {
                return Some(port);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn alloc(seed: u8) -> PortAllocator {
        PortAllocator::new([seed; 16], [seed.wrapping_add(1); 16])
    }

    fn peer(port: u16) -> Option<SocketAddr> {
        Some(SocketAddr::new("192.0.2.1".parse().unwrap(), port))
    }

    const LOCAL: IpAddr = IpAddr::V4(core::net::Ipv4Addr::new(10, 0, 0, 2));

    /// Connections to 1,600 different destinations over 16 ports: each port gets about
    /// 100 (a fixed scan start would give one port all 1,600).
    #[test]
    // 3,200 SipHash runs: a minute or more under Miri, and no unsafe code to check.
    #[cfg_attr(miri, ignore)]
    fn rfc6056_3_3_4_destinations_spread_over_the_range() {
        let mut a = alloc(1);
        let mut count = [0u32; 16];
        for p in 0..1600u16 {
            let port = a.pick(LOCAL, peer(1000 + p), (50000, 50015), |_| false);
            count[usize::from(port.unwrap() - 50000)] += 1;
        }
        assert!(count.iter().all(|c| (55..=145).contains(c)), "{count:?}");
    }

    /// RFC 6056 3.3.4: the same destination gets consecutive ports (its table slot
    /// advances), and the taken ones are skipped.
    #[test]
    fn rfc6056_3_3_4_same_destination_walks_on_and_skips_taken_ports() {
        let mut a = alloc(2);
        let first = a.pick(LOCAL, peer(80), (49152, 65535), |_| false).unwrap();
        let next = |p: u16| if p == 65535 { 49152 } else { p + 1 };
        let second = a.pick(LOCAL, peer(80), (49152, 65535), |_| false).unwrap();
        assert_eq!(second, next(first));
        let blocked = [next(second), next(next(second))];
        let third = a
            .pick(LOCAL, peer(80), (49152, 65535), |p| blocked.contains(&p))
            .unwrap();
        assert_eq!(third, next(blocked[1]));
    }

    #[test]
    fn a_full_range_gives_none_and_the_keys_decide_the_ports() {
        let mut a = alloc(3);
        assert_eq!(a.pick(LOCAL, peer(80), (100, 109), |_| true), None);
        let picks = |seed: u8| -> Vec<u16> {
            let mut a = alloc(seed);
            (0..8)
                .map(|p| a.pick(LOCAL, peer(p), (49152, 65535), |_| false).unwrap())
                .collect()
        };
        assert_eq!(picks(4), picks(4));
        assert_ne!(picks(4), picks(5));
    }
}
