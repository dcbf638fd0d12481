//! Initial sequence numbers (RFC 6528): `ISN = M + F(localip, localport, remoteip,
//! remoteport, secretkey)`, with M a clock ticking every 4 microseconds (RFC 9293 3.4.1)
//! and F SipHash-2-4 under a key chosen at stack creation. Each 4-tuple gets its own
//! unpredictable offset, and successive connections on one tuple still move forward with
//! the clock, so old duplicates of an earlier incarnation fall outside the new window.

// Not every entry point has a caller until the connection (issue 12) is wired to it all.
#![allow(dead_code)]

use core::net::{IpAddr, SocketAddr};

use crate::tcp::seq::SeqNum;
use crate::tcp::siphash::siphash24;
use crate::time::Instant;

/// RFC 9293 3.4.1 / RFC 6528: M advances by one every 4 microseconds.
pub(crate) const CLOCK_TICK_NANOS: u64 = 4_000;

/// Generates RFC 6528 initial sequence numbers under one secret key.
#[derive(Clone)]
pub(crate) struct IsnGenerator {
    key: [u8; 16],
}

impl core::fmt::Debug for IsnGenerator {
    /// The key stays out of logs.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IsnGenerator { .. }")
    }
}

/// The 4-tuple as hash input: address family tag, addresses, ports.
pub(crate) fn tuple_bytes(local: SocketAddr, remote: SocketAddr, out: &mut [u8; 37]) -> usize {
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let end = len + bytes.len();
        if let Some(slot) = out.get_mut(len..end) {
            slot.copy_from_slice(bytes);
            len = end;
        }
    };
    for addr in [local, remote] {
        match addr.ip() {
            IpAddr::V4(ip) => {
                put(&[4]);
                put(&ip.octets());
            }
            IpAddr::V6(ip) => {
                put(&[6]);
                put(&ip.octets());
            }
        }
        put(&addr.port().to_be_bytes());
    }
    len
}

impl IsnGenerator {
    /// A generator with the given secret (taken from the stack's RNG at creation).
    #[must_use]
    pub(crate) fn new(key: [u8; 16]) -> Self {
        IsnGenerator { key }
    }

    /// F of RFC 6528: the keyed hash of the 4-tuple, truncated to 32 bits.
    fn offset(&self, local: SocketAddr, remote: SocketAddr) -> u32 {
        let mut buf = [0u8; 37];
        let len = tuple_bytes(local, remote, &mut buf);
        siphash24(&self.key, buf.get(..len).unwrap_or(&buf)) as u32
    }

    /// M of RFC 6528: the 4-microsecond clock, wrapping.
    fn clock(now: Instant) -> u32 {
        (now.as_nanos() / CLOCK_TICK_NANOS) as u32
    }

    /// The ISN for a connection from `local` to `remote` opened at `now`.
    #[must_use]
    pub(crate) fn isn(&self, local: SocketAddr, remote: SocketAddr, now: Instant) -> SeqNum {
        SeqNum::new(Self::clock(now).wrapping_add(self.offset(local, remote)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn micros(n: u64) -> Instant {
        Instant::from_nanos(n * 1000)
    }

    #[test]
    fn rfc6528_isn_advances_one_per_4_microseconds_on_one_tuple() {
        let gen = IsnGenerator::new([7; 16]);
        let (l, r) = (sa("10.0.0.1:80"), sa("10.0.0.2:40000"));
        let a = gen.isn(l, r, micros(1_000));
        assert_eq!(gen.isn(l, r, micros(1_003)), a, "same 4 us tick");
        assert_eq!(gen.isn(l, r, micros(1_004)) - a, 1);
        assert_eq!(gen.isn(l, r, micros(1_000 + 4_000_000)) - a, 1_000_000);
    }

    #[test]
    fn rfc6528_each_tuple_gets_its_own_offset() {
        let gen = IsnGenerator::new([7; 16]);
        let now = micros(0);
        let base = gen.isn(sa("10.0.0.1:80"), sa("10.0.0.2:40000"), now);
        let others = [
            gen.isn(sa("10.0.0.1:80"), sa("10.0.0.2:40001"), now),
            gen.isn(sa("10.0.0.1:81"), sa("10.0.0.2:40000"), now),
            gen.isn(sa("10.0.0.3:80"), sa("10.0.0.2:40000"), now),
            gen.isn(sa("10.0.0.2:40000"), sa("10.0.0.1:80"), now),
            gen.isn(sa("[::1]:80"), sa("[::2]:40000"), now),
        ];
        for other in others {
            assert_ne!(other, base);
        }
    }

    #[test]
    fn rfc6528_the_secret_key_decides_the_offset() {
        let (l, r) = (sa("10.0.0.1:80"), sa("10.0.0.2:40000"));
        let a = IsnGenerator::new([1; 16]).isn(l, r, micros(0));
        let b = IsnGenerator::new([2; 16]).isn(l, r, micros(0));
        assert_ne!(a, b);
    }

    #[test]
    fn the_clock_wraps_without_panicking() {
        let gen = IsnGenerator::new([0; 16]);
        let (l, r) = (sa("10.0.0.1:80"), sa("10.0.0.2:40000"));
        let a = gen.isn(
            l,
            r,
            Instant::from_nanos(CLOCK_TICK_NANOS * u64::from(u32::MAX)),
        );
        let b = gen.isn(
            l,
            r,
            Instant::from_nanos(CLOCK_TICK_NANOS * (u64::from(u32::MAX) + 1)),
        );
        assert_eq!(b - a, 1);
        let _ = gen.isn(l, r, Instant::MAX);
    }
}
