//! SYN cookies (RFC 4987 section 3.6): when the SYN queue is full, a listener answers a SYN
//! without keeping state, encoding what it must remember in its ISN; the peer's ACK returns
//! the ISN plus one, from which the connection is rebuilt.
//!
//! # Cookie layout (the 32-bit ISN, most significant bits first)
//! - 3 bits: the index of the MSS in [`MSS_TABLE`] (the largest entry not above the
//!   peer's MSS);
//! - 4 bits: the peer's window shift (0-14), or 15 when it sent no window-scale option;
//! - 1 bit: SACK permitted; 1 bit: timestamps;
//! - 21 bits: SipHash-2-4 of the 4-tuple, the peer's ISN, the 64-second counter and the
//!   11 bits above, under the listener's secret. The counter itself is not carried: the
//!   check simply tries the current and the previous value.
//!
//! Every option travels inside the ISN, so cookies work with peers that do not send
//! timestamps (Linux instead hides window scale and SACK in the TSval and loses them
//! without timestamps). The price is a 21-bit MAC: a blind attacker guessing ACKs succeeds
//! with probability 2 * 2^-21 per guess (two counter values are accepted), which RFC 4987
//! 3.6 accepts for a mechanism that only runs under SYN-flood pressure. A cookie is
//! accepted for the current and the previous counter period: 64 to 128 seconds.

// Not every entry point has a caller until the connection (issue 12) is wired to it all.
#![allow(dead_code)]

use core::net::SocketAddr;

use crate::tcp::isn::tuple_bytes;
use crate::tcp::seq::SeqNum;
use crate::tcp::siphash::siphash24;
use crate::time::Instant;

/// The counter period: 64 seconds (as Linux).
pub(crate) const COUNTER_PERIOD_NANOS: u64 = 64_000_000_000;

/// The MSS values a cookie can carry (3 bits). Covers the common paths: the IPv4
/// minimum, IPv6 over tunnels, PPPoE and Ethernet for IPv6 and IPv4.
pub(crate) const MSS_TABLE: [u16; 8] = [536, 1200, 1220, 1280, 1360, 1440, 1452, 1460];

/// The "no window scale" code in the 4-bit field.
const NO_WINDOW_SCALE: u32 = 15;
/// The largest shift RFC 7323 2.3 allows.
const MAX_WINDOW_SCALE: u8 = 14;

const MAC_BITS: u32 = 21;
const MAC_MASK: u32 = (1 << MAC_BITS) - 1;

/// What a cookie remembers of the peer's SYN.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct CookieOptions {
    /// The MSS to use towards the peer: a [`MSS_TABLE`] entry not above what it sent
    /// (536 if it sent less).
    pub mss: u16,
    /// The peer's window scale shift, if it sent the option (clamped to 14).
    pub window_scale: Option<u8>,
    /// The peer sent SACK-permitted.
    pub sack_permitted: bool,
    /// The peer sent timestamps.
    pub timestamps: bool,
}

impl CookieOptions {
    /// The 11 option bits: MSS index, window scale code, SACK, timestamps.
    fn encode(&self) -> u32 {
        let mss_index = MSS_TABLE.iter().rposition(|&m| m <= self.mss).unwrap_or(0) as u32;
        let ws = self
            .window_scale
            .map_or(NO_WINDOW_SCALE, |s| u32::from(s.min(MAX_WINDOW_SCALE)));
        (mss_index << 6)
            | (ws << 2)
            | (u32::from(self.sack_permitted) << 1)
            | u32::from(self.timestamps)
    }

    fn decode(bits: u32) -> CookieOptions {
        let mss_index = ((bits >> 6) & 0b111) as usize;
        let ws = (bits >> 2) & 0xf;
        CookieOptions {
            mss: MSS_TABLE.get(mss_index).copied().unwrap_or(MSS_TABLE[0]),
            window_scale: if ws == NO_WINDOW_SCALE {
                None
            } else {
                Some(ws.min(u32::from(MAX_WINDOW_SCALE)) as u8)
            },
            sack_permitted: bits & 0b10 != 0,
            timestamps: bits & 1 != 0,
        }
    }
}

/// Makes and checks SYN cookies under one secret key.
#[derive(Clone)]
pub(crate) struct SynCookies {
    key: [u8; 16],
}

impl core::fmt::Debug for SynCookies {
    /// The key stays out of logs.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SynCookies { .. }")
    }
}

impl SynCookies {
    /// Cookies under `key` (from the stack's RNG at creation; distinct from the ISN key).
    #[must_use]
    pub(crate) fn new(key: [u8; 16]) -> Self {
        SynCookies { key }
    }

    fn counter(now: Instant) -> u64 {
        now.as_nanos() / COUNTER_PERIOD_NANOS
    }

    fn mac(
        &self,
        local: SocketAddr,
        remote: SocketAddr,
        peer_isn: SeqNum,
        counter: u64,
        options: u32,
    ) -> u32 {
        let mut buf = [0u8; 37 + 4 + 8 + 4];
        let mut tuple = [0u8; 37];
        let tuple_len = tuple_bytes(local, remote, &mut tuple);
        let mut len = 0;
        for part in [
            tuple.get(..tuple_len).unwrap_or(&tuple),
            &peer_isn.get().to_be_bytes(),
            &counter.to_be_bytes(),
            &options.to_be_bytes(),
        ] {
            if let Some(slot) = buf.get_mut(len..len + part.len()) {
                slot.copy_from_slice(part);
                len += part.len();
            }
        }
        (siphash24(&self.key, buf.get(..len).unwrap_or(&buf)) as u32) & MAC_MASK
    }

    /// The ISN of a SYN-ACK answering, without state, a SYN from `remote` to `local` with
    /// sequence number `peer_isn` and options `opts`.
    #[must_use]
    pub(crate) fn make(
        &self,
        local: SocketAddr,
        remote: SocketAddr,
        peer_isn: SeqNum,
        opts: CookieOptions,
        now: Instant,
    ) -> SeqNum {
        let counter = Self::counter(now);
        let options = opts.encode();
        let mac = self.mac(local, remote, peer_isn, counter, options);
        let cookie = (options << MAC_BITS) | mac;
        SeqNum::new(cookie)
    }

    /// Checks the ACK completing a cookie handshake: `peer_isn_plus1` is its SEG.SEQ and
    /// `ack` its SEG.ACK (the cookie plus one). Returns the options the cookie carried if
    /// it was made by us for this tuple within the last two counter periods.
    #[must_use]
    pub(crate) fn check(
        &self,
        local: SocketAddr,
        remote: SocketAddr,
        peer_isn_plus1: SeqNum,
        ack: SeqNum,
        now: Instant,
    ) -> Option<CookieOptions> {
        let cookie = ack.get().wrapping_sub(1);
        let peer_isn = SeqNum::new(peer_isn_plus1.get().wrapping_sub(1));
        let options = cookie >> MAC_BITS;
        let mac = cookie & MAC_MASK;
        let current = Self::counter(now);
        let previous = current.checked_sub(1);
        [Some(current), previous]
            .into_iter()
            .flatten()
            .any(|c| self.mac(local, remote, peer_isn, c, options) == mac)
            .then(|| CookieOptions::decode(options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn secs(n: u64) -> Instant {
        Instant::from_nanos(n * 1_000_000_000)
    }

    const OPTS: CookieOptions = CookieOptions {
        mss: 1460,
        window_scale: Some(7),
        sack_permitted: true,
        timestamps: true,
    };

    fn setup() -> (SynCookies, SocketAddr, SocketAddr, SeqNum) {
        (
            SynCookies::new([9; 16]),
            sa("10.0.0.1:80"),
            sa("10.0.0.2:40000"),
            SeqNum::new(0xdead_beef),
        )
    }

    #[test]
    fn rfc4987_a_cookie_round_trips_its_options() {
        let (c, l, r, isn) = setup();
        let cookie = c.make(l, r, isn, OPTS, secs(1000));
        assert_eq!(c.check(l, r, isn + 1, cookie + 1, secs(1000)), Some(OPTS));
        let plain = CookieOptions {
            mss: 536,
            window_scale: None,
            sack_permitted: false,
            timestamps: false,
        };
        let cookie = c.make(l, r, isn, plain, secs(1000));
        assert_eq!(c.check(l, r, isn + 1, cookie + 1, secs(1000)), Some(plain));
    }

    #[test]
    fn rfc4987_mss_is_rounded_down_to_the_table() {
        let (c, l, r, isn) = setup();
        for (sent, carried) in [(1400, 1360), (9000, 1460), (1220, 1220), (100, 536)] {
            let opts = CookieOptions { mss: sent, ..OPTS };
            let cookie = c.make(l, r, isn, opts, secs(0));
            assert_eq!(
                c.check(l, r, isn + 1, cookie + 1, secs(0)).unwrap().mss,
                carried
            );
        }
        let big_shift = CookieOptions {
            window_scale: Some(20),
            ..OPTS
        };
        let cookie = c.make(l, r, isn, big_shift, secs(0));
        assert_eq!(
            c.check(l, r, isn + 1, cookie + 1, secs(0))
                .unwrap()
                .window_scale,
            Some(14)
        );
    }

    #[test]
    fn rfc4987_cookies_expire_after_two_counter_periods() {
        let (c, l, r, isn) = setup();
        // Made at the start of period 10 (640 s).
        let cookie = c.make(l, r, isn, OPTS, secs(640));
        assert!(
            c.check(l, r, isn + 1, cookie + 1, secs(703)).is_some(),
            "same period"
        );
        assert!(
            c.check(l, r, isn + 1, cookie + 1, secs(767)).is_some(),
            "next period"
        );
        assert!(
            c.check(l, r, isn + 1, cookie + 1, secs(768)).is_none(),
            "two periods later"
        );
        assert!(
            c.check(l, r, isn + 1, cookie + 1, secs(639)).is_none(),
            "from the future"
        );
    }

    #[test]
    fn rfc4987_a_cookie_is_bound_to_its_tuple_peer_isn_and_key() {
        let (c, l, r, isn) = setup();
        let cookie = c.make(l, r, isn, OPTS, secs(5));
        assert!(c
            .check(l, sa("10.0.0.2:40001"), isn + 1, cookie + 1, secs(5))
            .is_none());
        assert!(c
            .check(sa("10.0.0.1:81"), r, isn + 1, cookie + 1, secs(5))
            .is_none());
        assert!(c.check(l, r, isn + 2, cookie + 1, secs(5)).is_none());
        assert!(c.check(l, r, isn + 1, cookie + 2, secs(5)).is_none());
        assert!(SynCookies::new([8; 16])
            .check(l, r, isn + 1, cookie + 1, secs(5))
            .is_none());
    }

    #[test]
    fn rfc4987_tampered_option_bits_fail_the_mac() {
        let (c, l, r, isn) = setup();
        let cookie = c.make(l, r, isn, OPTS, secs(5)).get();
        for bit in 0..32 {
            let forged = SeqNum::new(cookie ^ (1 << bit));
            assert!(
                c.check(l, r, isn + 1, forged + 1, secs(5)).is_none(),
                "bit {bit}"
            );
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 100,000 SipHash rounds: minutes under Miri, no unsafe code
    fn random_acks_are_rejected() {
        let (c, l, r, isn) = setup();
        let mut accepted = 0;
        let mut x: u32 = 12345;
        for _ in 0..100_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if c.check(l, r, isn + 1, SeqNum::new(x), secs(100)).is_some() {
                accepted += 1;
            }
        }
        // Expected 100 000 * 2 * 2^-21 = 0.095.
        assert!(accepted <= 2, "{accepted}");
    }

    #[test]
    fn the_first_period_has_no_previous_one() {
        let (c, l, r, isn) = setup();
        let cookie = c.make(l, r, isn, OPTS, secs(0));
        assert_eq!(c.check(l, r, isn + 1, cookie + 1, secs(0)), Some(OPTS));
        assert_eq!(c.check(l, r, isn + 1, cookie + 1, secs(64)), Some(OPTS));
        assert_eq!(c.check(l, r, isn + 1, cookie + 1, secs(128)), None);
    }
}
