//! Stateless address autoconfiguration from Router Advertisements (RFC 4862 section 5.5).
//!
//! Each Prefix Information option with the A flag (handed over by
//! [`router_discovery`](super::router_discovery) as an
//! [`AutoconfPrefix`]) forms or refreshes one address: the /64 prefix followed by the
//! interface identifier from the MAC. The address is preferred for its preferred lifetime,
//! then deprecated (still valid for existing communication, avoided for new ones), then
//! removed at the end of its valid lifetime. Section 5.5.3 e)'s "two-hour rule" keeps an
//! unauthenticated RA from cutting a long-lived address short.
//!
//! [`Slaac`] is pure and bounded ([`MAX_SLAAC_ADDRESSES`]; prefixes beyond it are ignored).
//! New addresses go through DAD in the device layer, which calls [`Slaac::remove`] if DAD
//! fails.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use zerocast_wire::{Ipv6Addr, MacAddr};

use super::address_from_prefix;
use super::router_discovery::{masked, AutoconfPrefix, INFINITE_LIFETIME};
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// RFC 4862 section 5.5.3 e): the two hours below which an RA cannot shorten a valid
/// lifetime.
pub const TWO_HOURS: Duration = Duration::from_secs(2 * 60 * 60);
/// The length of an Ethernet interface identifier (RFC 2464 section 4): only /64 prefixes
/// can be autoconfigured on Ethernet.
pub const INTERFACE_ID_BITS: u8 = 64;
/// Autoconfigured addresses kept per interface.
pub const MAX_SLAAC_ADDRESSES: usize = 8;

/// What the device layer must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlaacAction {
    /// Add this address (tentative: run DAD on it) with this prefix length.
    AddAddress {
        /// The new address.
        addr: Ipv6Addr,
        /// Its prefix length (64).
        prefix_len: u8,
    },
    /// The preferred lifetime ended: keep the address but do not pick it as a source for
    /// new communication (RFC 4862 section 5.5.4).
    Deprecate(Ipv6Addr),
    /// A deprecated address got a new preferred lifetime.
    Undeprecate(Ipv6Addr),
    /// The valid lifetime ended: remove the address.
    RemoveAddress(Ipv6Addr),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lifetime {
    Preferred,
    Valid,
}

#[derive(Copy, Clone, Debug)]
struct SlaacAddress {
    addr: Ipv6Addr,
    /// `None`: infinite.
    valid_until: Option<Instant>,
    deprecated: bool,
}

/// The autoconfigured addresses of one interface, keyed by their /64 prefix.
///
/// ```
/// use zerocast_stack::ipv6::router_discovery::AutoconfPrefix;
/// use zerocast_stack::ipv6::slaac::{Slaac, SlaacAction};
/// use zerocast_stack::time::Instant;
/// use zerocast_wire::MacAddr;
/// let mut slaac = Slaac::new(MacAddr([2, 0, 0, 0, 0, 1]));
/// let prefix = "2001:db8::".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let pio = AutoconfPrefix { prefix, prefix_len: 64, valid_lifetime: 7200, preferred_lifetime: 3600 };
/// let mut out = Vec::new();
/// slaac.handle_prefix(Instant::ZERO, pio, &mut out);
/// let [SlaacAction::AddAddress { addr, prefix_len: 64 }] = out[..] else { panic!() };
/// assert_eq!(addr.to_string(), "2001:db8::ff:fe00:1");
/// ```
#[derive(Debug, Clone)]
pub struct Slaac {
    mac: MacAddr,
    by_prefix: BTreeMap<Ipv6Addr, SlaacAddress>,
    timers: TimerHeap<(Ipv6Addr, Lifetime)>,
}

impl Slaac {
    /// No addresses yet; interface identifiers come from `mac`.
    #[must_use]
    pub fn new(mac: MacAddr) -> Self {
        Slaac {
            mac,
            by_prefix: BTreeMap::new(),
            timers: TimerHeap::new(),
        }
    }

    /// The autoconfigured addresses.
    pub fn addresses(&self) -> impl Iterator<Item = Ipv6Addr> + '_ {
        self.by_prefix.values().map(|a| a.addr)
    }

    /// Whether `addr` is autoconfigured and deprecated.
    #[must_use]
    pub fn is_deprecated(&self, addr: Ipv6Addr) -> bool {
        self.by_prefix
            .values()
            .any(|a| a.addr == addr && a.deprecated)
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// Processes a Prefix Information option with the A flag (RFC 4862 section 5.5.3):
    /// - a link-local prefix, a preferred lifetime above the valid one, or a prefix length
    ///   other than 128 minus the interface identifier's 64 bits: ignored (b, c, d);
    /// - a new prefix with a non-zero valid lifetime: a new address (d);
    /// - a known prefix: the preferred lifetime is reset, and the valid lifetime follows
    ///   the two-hour rule (e): taken if above two hours or above the remaining lifetime,
    ///   ignored if the remaining lifetime is two hours or less, else two hours.
    pub fn handle_prefix(&mut self, now: Instant, pio: AutoconfPrefix, out: &mut Vec<SlaacAction>) {
        let prefix = masked(pio.prefix, pio.prefix_len);
        if prefix.is_unicast_link_local() || pio.preferred_lifetime > pio.valid_lifetime {
            return;
        }
        match self.by_prefix.get(&prefix).copied() {
            None => {
                if pio.valid_lifetime == 0
                    || u16::from(pio.prefix_len) + u16::from(INTERFACE_ID_BITS) != 128
                    || self.by_prefix.len() >= MAX_SLAAC_ADDRESSES
                {
                    return;
                }
                let addr = address_from_prefix(prefix, self.mac);
                let entry = SlaacAddress {
                    addr,
                    valid_until: self.set_lifetime(
                        now,
                        prefix,
                        Lifetime::Valid,
                        pio.valid_lifetime,
                    ),
                    deprecated: false,
                };
                self.by_prefix.insert(prefix, entry);
                out.push(SlaacAction::AddAddress {
                    addr,
                    prefix_len: pio.prefix_len,
                });
                self.update_preferred(now, prefix, pio.preferred_lifetime, out);
            }
            Some(existing) => {
                self.update_preferred(now, prefix, pio.preferred_lifetime, out);
                let received = lifetime_duration(pio.valid_lifetime);
                let remaining = existing
                    .valid_until
                    .map(|until| until.saturating_duration_since(now));
                let new_valid = match (received, remaining) {
                    // Infinite stays infinite unless an RA says otherwise (under the rule).
                    (None, _) => Some(INFINITE_LIFETIME),
                    (Some(r), _) if r > TWO_HOURS => Some(pio.valid_lifetime),
                    (Some(r), Some(rem)) if r > rem => Some(pio.valid_lifetime),
                    (Some(_), Some(rem)) if rem <= TWO_HOURS => None,
                    _ => Some(TWO_HOURS.as_secs() as u32),
                };
                if let Some(secs) = new_valid {
                    let until = self.set_lifetime(now, prefix, Lifetime::Valid, secs);
                    if let Some(e) = self.by_prefix.get_mut(&prefix) {
                        e.valid_until = until;
                    }
                }
            }
        }
    }

    /// Forgets the address with this value (DAD failed, or it was removed by hand).
    pub fn remove(&mut self, addr: Ipv6Addr) {
        let prefix = masked(addr, 128 - INTERFACE_ID_BITS);
        if self.by_prefix.get(&prefix).is_some_and(|a| a.addr == addr) {
            self.by_prefix.remove(&prefix);
            self.timers.cancel(&(prefix, Lifetime::Preferred));
            self.timers.cancel(&(prefix, Lifetime::Valid));
        }
    }

    /// Deprecates addresses whose preferred lifetime ended and removes those whose valid
    /// lifetime ended (RFC 4862 section 5.5.4).
    pub fn handle_timers(&mut self, now: Instant, out: &mut Vec<SlaacAction>) {
        while let Some((prefix, which)) = self.timers.pop_due(now) {
            match which {
                Lifetime::Preferred => {
                    if let Some(e) = self.by_prefix.get_mut(&prefix) {
                        if !e.deprecated {
                            e.deprecated = true;
                            out.push(SlaacAction::Deprecate(e.addr));
                        }
                    }
                }
                Lifetime::Valid => {
                    if let Some(e) = self.by_prefix.remove(&prefix) {
                        self.timers.cancel(&(prefix, Lifetime::Preferred));
                        out.push(SlaacAction::RemoveAddress(e.addr));
                    }
                }
            }
        }
    }

    fn update_preferred(
        &mut self,
        now: Instant,
        prefix: Ipv6Addr,
        secs: u32,
        out: &mut Vec<SlaacAction>,
    ) {
        let Some(e) = self.by_prefix.get_mut(&prefix) else {
            return;
        };
        let addr = e.addr;
        if secs == 0 {
            self.timers.cancel(&(prefix, Lifetime::Preferred));
            if !e.deprecated {
                e.deprecated = true;
                out.push(SlaacAction::Deprecate(addr));
            }
            return;
        }
        if e.deprecated {
            e.deprecated = false;
            out.push(SlaacAction::Undeprecate(addr));
        }
        self.set_lifetime(now, prefix, Lifetime::Preferred, secs);
    }

    /// Arms (or, for an infinite lifetime, disarms) a lifetime timer; returns its expiry.
    fn set_lifetime(
        &mut self,
        now: Instant,
        prefix: Ipv6Addr,
        which: Lifetime,
        secs: u32,
    ) -> Option<Instant> {
        match lifetime_duration(secs) {
            None => {
                self.timers.cancel(&(prefix, which));
                None
            }
            Some(d) => {
                let at = now + d;
                self.timers.schedule((prefix, which), at);
                Some(at)
            }
        }
    }
}

/// A lifetime in seconds as a duration, `None` for infinite (RFC 4861 section 4.6.2).
fn lifetime_duration(secs: u32) -> Option<Duration> {
    (secs != INFINITE_LIFETIME).then(|| Duration::from_secs(u64::from(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);

    fn ip(s: &str) -> Ipv6Addr {
        s.parse::<core::net::Ipv6Addr>().unwrap().into()
    }

    fn secs(s: u64) -> Instant {
        Instant::from_nanos(s * 1_000_000_000)
    }

    fn pio(prefix: &str, len: u8, valid: u32, preferred: u32) -> AutoconfPrefix {
        AutoconfPrefix {
            prefix: ip(prefix),
            prefix_len: len,
            valid_lifetime: valid,
            preferred_lifetime: preferred,
        }
    }

    const ADDR: &str = "2001:db8:1:2:0:ff:fe00:1";

    #[test]
    fn new_prefix_forms_prefix_plus_interface_identifier_5_5_3_d() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 7200, 3600), &mut out);
        assert_eq!(
            out,
            [SlaacAction::AddAddress {
                addr: ip(ADDR),
                prefix_len: 64
            }]
        );
        assert_eq!(s.addresses().collect::<Vec<_>>(), [ip(ADDR)]);
    }

    #[test]
    fn ignored_prefixes_5_5_3_b_c_d() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("fe80::", 64, 7200, 3600), &mut out); // b) link-local
        s.handle_prefix(secs(0), pio("2001:db8::", 64, 100, 200), &mut out); // c) preferred > valid
        s.handle_prefix(secs(0), pio("2001:db8::", 48, 7200, 3600), &mut out); // d) 48 + 64 != 128
        s.handle_prefix(secs(0), pio("2001:db8::", 64, 0, 0), &mut out); // d) valid 0
        assert!(out.is_empty());
        assert_eq!(s.addresses().count(), 0);
    }

    #[test]
    fn address_is_deprecated_after_preferred_and_removed_after_valid_lifetime_5_5_4() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 7200, 3600), &mut out);
        out.clear();
        s.handle_timers(secs(3599), &mut out);
        assert!(out.is_empty());
        s.handle_timers(secs(3600), &mut out);
        assert_eq!(out, [SlaacAction::Deprecate(ip(ADDR))]);
        assert!(s.is_deprecated(ip(ADDR)));
        out.clear();
        s.handle_timers(secs(7200), &mut out);
        assert_eq!(out, [SlaacAction::RemoveAddress(ip(ADDR))]);
        assert_eq!(s.addresses().count(), 0);
        assert_eq!(s.next_deadline(), None);
    }

    #[test]
    fn zero_preferred_lifetime_makes_a_deprecated_address_and_renewal_revives_it_5_5_3() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 7200, 0), &mut out);
        assert_eq!(out[1], SlaacAction::Deprecate(ip(ADDR)));
        out.clear();
        s.handle_prefix(secs(10), pio("2001:db8:1:2::", 64, 7200, 600), &mut out);
        assert_eq!(out, [SlaacAction::Undeprecate(ip(ADDR))]);
        assert!(!s.is_deprecated(ip(ADDR)));
    }

    #[test]
    fn valid_lifetime_above_two_hours_or_remaining_is_taken_5_5_3_e_1() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 1000, 0), &mut out);
        // 5000 s is less than two hours but more than the 1000 s remaining: taken.
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 5000, 0), &mut out);
        out.clear();
        s.handle_timers(secs(1000), &mut out);
        assert!(out.is_empty());
        s.handle_timers(secs(5000), &mut out);
        assert_eq!(out, [SlaacAction::RemoveAddress(ip(ADDR))]);
    }

    #[test]
    fn short_valid_lifetime_is_ignored_when_two_hours_or_less_remain_5_5_3_e_2() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 3600, 0), &mut out);
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 10, 0), &mut out);
        out.clear();
        s.handle_timers(secs(10), &mut out);
        assert!(out.is_empty(), "the RA could not cut the lifetime to 10 s");
        s.handle_timers(secs(3600), &mut out);
        assert_eq!(out, [SlaacAction::RemoveAddress(ip(ADDR))]);
    }

    #[test]
    fn short_valid_lifetime_cuts_a_long_one_to_two_hours_5_5_3_e_3() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 86_400, 0), &mut out);
        s.handle_prefix(secs(100), pio("2001:db8:1:2::", 64, 0, 0), &mut out);
        out.clear();
        s.handle_timers(secs(100 + 7199), &mut out);
        assert!(out.is_empty());
        s.handle_timers(secs(100 + 7200), &mut out);
        assert_eq!(out, [SlaacAction::RemoveAddress(ip(ADDR))]);
    }

    #[test]
    fn infinite_lifetimes_never_expire_4_6_2() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(
            secs(0),
            pio("2001:db8:1:2::", 64, INFINITE_LIFETIME, INFINITE_LIFETIME),
            &mut out,
        );
        assert_eq!(s.next_deadline(), None);
    }

    #[test]
    fn removed_address_is_forgotten_with_its_timers() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        s.handle_prefix(secs(0), pio("2001:db8:1:2::", 64, 7200, 3600), &mut out);
        s.remove(ip(ADDR));
        assert_eq!(s.addresses().count(), 0);
        assert_eq!(s.next_deadline(), None);
    }

    #[test]
    fn addresses_are_bounded() {
        let mut s = Slaac::new(MAC);
        let mut out = vec![];
        for i in 0..(MAX_SLAAC_ADDRESSES as u16 + 3) {
            let mut p = ip("2001:db8::").0;
            p[4..6].copy_from_slice(&i.to_be_bytes());
            s.handle_prefix(
                secs(0),
                AutoconfPrefix {
                    prefix: Ipv6Addr(p),
                    ..pio("::", 64, 60, 60)
                },
                &mut out,
            );
        }
        assert_eq!(s.addresses().count(), MAX_SLAAC_ADDRESSES);
    }
}
