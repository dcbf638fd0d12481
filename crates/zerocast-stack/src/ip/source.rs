//! Source address selection (RFC 6724 section 5) for packets the stack originates.
//!
//! Given a destination and the candidate addresses (every non-tentative address of the
//! destination's family, each marked with whether it sits on the outgoing device), the
//! candidates are compared pairwise by the RFC's rules in order, the first rule that
//! distinguishes two candidates deciding. Rules 4 (home addresses) and 7 (temporary
//! addresses) do not apply: the stack has neither. IPv4 addresses take part as their
//! IPv4-mapped IPv6 forms (section 3.2 scopes, label 4), so one comparison serves both
//! families.

use core::cmp::Ordering;
use core::net::{IpAddr, Ipv6Addr};

use crate::device::AddressState;

/// Scope values of RFC 6724 section 3.1 (the multicast scope field's encoding).
pub mod scope {
    /// Interface-local.
    pub const INTERFACE_LOCAL: u8 = 0x1;
    /// Link-local (also IPv6 loopback and IPv4 127/8 and 169.254/16).
    pub const LINK_LOCAL: u8 = 0x2;
    /// Site-local (deprecated fec0::/10).
    pub const SITE_LOCAL: u8 = 0x5;
    /// Global.
    pub const GLOBAL: u8 = 0xe;
}

/// The scope of an address (RFC 6724 sections 3.1 and 3.2).
///
/// ```
/// use zerocast_stack::ip::source::{address_scope, scope};
/// assert_eq!(address_scope("fe80::1".parse().unwrap()), scope::LINK_LOCAL);
/// assert_eq!(address_scope("169.254.0.7".parse().unwrap()), scope::LINK_LOCAL);
/// assert_eq!(address_scope("ff05::2".parse().unwrap()), 5);
/// assert_eq!(address_scope("2001:db8::1".parse().unwrap()), scope::GLOBAL);
/// ```
#[must_use]
pub fn address_scope(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(a) => {
            if a.is_loopback() || a.is_link_local() {
                scope::LINK_LOCAL
            } else {
                scope::GLOBAL
            }
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            if a.is_multicast() {
                (a.octets()[1] & 0x0f).max(scope::INTERFACE_LOCAL)
            } else if a.is_loopback() || (s[0] & 0xffc0) == 0xfe80 {
                scope::LINK_LOCAL
            } else if (s[0] & 0xffc0) == 0xfec0 {
                scope::SITE_LOCAL
            } else {
                scope::GLOBAL
            }
        }
    }
}

/// The label of an address in RFC 6724's default policy table (section 2.1).
///
/// ```
/// use zerocast_stack::ip::source::policy_label;
/// assert_eq!(policy_label("::1".parse().unwrap()), 0);
/// assert_eq!(policy_label("10.0.0.1".parse().unwrap()), 4);
/// assert_eq!(policy_label("fd00::1".parse().unwrap()), 13);
/// assert_eq!(policy_label("2001:db8::1".parse().unwrap()), 1);
/// ```
#[must_use]
pub fn policy_label(addr: IpAddr) -> u8 {
    let a = match addr {
        IpAddr::V4(_) => return 4,
        IpAddr::V6(a) => a,
    };
    // (prefix, length, label), longest prefixes first so the first match is the longest.
    const TABLE: [(u128, u8, u8); 8] = [
        (1, 128, 0),                // ::1/128
        (0xffff_0000_0000, 96, 4),  // ::ffff:0:0/96
        (0, 96, 3),                 // ::/96
        (0x2001_0000 << 96, 32, 5), // 2001::/32
        (0x2002 << 112, 16, 2),     // 2002::/16
        (0x3ffe << 112, 16, 12),    // 3ffe::/16
        (0xfec0 << 112, 10, 11),    // fec0::/10
        (0xfc00 << 112, 7, 13),     // fc00::/7
    ];
    let bits = u128::from(a);
    for (prefix, len, label) in TABLE {
        let m = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
        if bits & m == prefix {
            return label;
        }
    }
    1 // ::/0
}

/// How many leading bits `a` and `b` share, counting at most `limit` (the source's prefix
/// length, RFC 6724 section 2.2).
fn common_prefix_len(a: IpAddr, b: IpAddr, limit: u8) -> u8 {
    let (x, y) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (
            u128::from(u32::from(a)) << 96,
            u128::from(u32::from(b)) << 96,
        ),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b)),
        _ => return 0,
    };
    let shared = u8::try_from((x ^ y).leading_zeros()).unwrap_or(128);
    shared.min(limit)
}

/// One address that could be the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceCandidate {
    /// The address.
    pub addr: IpAddr,
    /// Its prefix length on its device.
    pub prefix_len: u8,
    /// Whether it is deprecated (tentative addresses are never candidates).
    pub state: AddressState,
    /// Whether it is assigned to the device the packet leaves through.
    pub on_outgoing_device: bool,
}

/// Orders two candidates for `dst`: `Less` means `a` is preferred (RFC 6724 section 5).
fn compare(a: &SourceCandidate, b: &SourceCandidate, dst: IpAddr) -> Ordering {
    // Rule 1: prefer the destination itself.
    if a.addr == dst {
        return Ordering::Less;
    }
    if b.addr == dst {
        return Ordering::Greater;
    }
    // Rule 2: prefer appropriate scope.
    let (sa, sb, sd) = (
        address_scope(a.addr),
        address_scope(b.addr),
        address_scope(dst),
    );
    if sa < sb {
        return if sa < sd {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    if sb < sa {
        return if sb < sd {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // Rule 3: avoid deprecated addresses.
    let (da, db) = (
        a.state == AddressState::Deprecated,
        b.state == AddressState::Deprecated,
    );
    if da != db {
        return if da {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    // Rule 5: prefer the outgoing interface.
    if a.on_outgoing_device != b.on_outgoing_device {
        return if a.on_outgoing_device {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // Rule 6: prefer a matching label.
    let ld = policy_label(dst);
    let (ma, mb) = (policy_label(a.addr) == ld, policy_label(b.addr) == ld);
    if ma != mb {
        return if ma {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // Rule 8: prefer the longest matching prefix.
    common_prefix_len(b.addr, dst, b.prefix_len).cmp(&common_prefix_len(a.addr, dst, a.prefix_len))
}

/// The best source for `dst` among `candidates` (first of equals), per RFC 6724 section 5.
/// For a link-local destination only addresses on the outgoing device qualify (section 4:
/// a link-local address is only meaningful on its own link).
///
/// ```
/// use zerocast_stack::device::AddressState;
/// use zerocast_stack::ip::source::{select_source, SourceCandidate};
/// let c = |a: &str, len, out| SourceCandidate { addr: a.parse().unwrap(), prefix_len: len, state: AddressState::Preferred, on_outgoing_device: out };
/// let candidates = [c("fe80::2", 64, true), c("2001:db8::2", 64, true)];
/// // A global destination gets the global source (rule 2), a link-local one the link-local.
/// assert_eq!(select_source("2001:db8:9::1".parse().unwrap(), candidates), Some("2001:db8::2".parse().unwrap()));
/// assert_eq!(select_source("fe80::1".parse().unwrap(), candidates), Some("fe80::2".parse().unwrap()));
/// ```
pub fn select_source(
    dst: IpAddr,
    candidates: impl IntoIterator<Item = SourceCandidate>,
) -> Option<IpAddr> {
    let link_scoped = address_scope(dst) <= scope::LINK_LOCAL && !is_loopback(dst);
    let mut best: Option<SourceCandidate> = None;
    for c in candidates {
        if c.addr.is_ipv4() != dst.is_ipv4() || c.state == AddressState::Tentative {
            continue;
        }
        if link_scoped && !c.on_outgoing_device {
            continue;
        }
        best = match best {
            Some(b) if compare(&c, &b, dst) != Ordering::Less => Some(b),
            _ => Some(c),
        };
    }
    best.map(|c| c.addr)
}

fn is_loopback(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => a.is_loopback(),
        IpAddr::V6(a) => a == Ipv6Addr::LOCALHOST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(a: &str, len: u8, state: AddressState, out: bool) -> SourceCandidate {
        SourceCandidate {
            addr: a.parse().unwrap(),
            prefix_len: len,
            state,
            on_outgoing_device: out,
        }
    }

    fn pick(dst: &str, c: &[SourceCandidate]) -> Option<IpAddr> {
        select_source(dst.parse().unwrap(), c.iter().copied())
    }

    const P: AddressState = AddressState::Preferred;

    /// RFC 6724 section 10.2, first example: rule 2 picks the global address.
    #[test]
    fn rfc6724_10_2_rule2_prefers_appropriate_scope() {
        let c = [
            cand("fe80::1", 64, P, true),
            cand("2001:db8:1::1", 64, P, true),
        ];
        assert_eq!(
            pick("2001:db8:1::2", &c),
            Some("2001:db8:1::1".parse().unwrap())
        );
        let c = [
            cand("fe80::1", 64, P, true),
            cand("2001:db8:1::1", 64, P, true),
        ];
        assert_eq!(pick("ff02::1", &c), Some("fe80::1".parse().unwrap()));
    }

    /// RFC 6724 section 10.2: rule 1 (same address) and rule 8 (longest prefix).
    #[test]
    fn rfc6724_10_2_rule1_then_rule8() {
        let c = [
            cand("2001:db8:1::1", 64, P, true),
            cand("2001:db8:1::2", 64, P, true),
        ];
        assert_eq!(
            pick("2001:db8:1::2", &c),
            Some("2001:db8:1::2".parse().unwrap())
        );
        let c = [
            cand("2001:db8:1::2", 64, P, true),
            cand("2001:db8:3::2", 64, P, true),
        ];
        assert_eq!(
            pick("2001:db8:3::1", &c),
            Some("2001:db8:3::2".parse().unwrap())
        );
    }

    /// RFC 6724 section 5 rule 3: a deprecated address loses to a preferred one.
    #[test]
    fn rfc6724_rule3_avoids_deprecated() {
        let c = [
            cand("2001:db8:1::1", 64, AddressState::Deprecated, true),
            cand("2001:db8:2::1", 64, P, true),
        ];
        assert_eq!(
            pick("2001:db8:1::9", &c),
            Some("2001:db8:2::1".parse().unwrap())
        );
    }

    /// RFC 6724 section 5 rule 6: a ULA destination prefers a ULA source (label 13).
    #[test]
    fn rfc6724_rule6_prefers_matching_label() {
        let c = [
            cand("2001:db8::1", 64, P, true),
            cand("fd01::1", 64, P, true),
        ];
        assert_eq!(pick("fd02::7", &c), Some("fd01::1".parse().unwrap()));
    }

    /// RFC 4862 section 5.4: tentative addresses are never chosen; RFC 6724 section 4:
    /// link-local destinations only use the outgoing device's addresses.
    #[test]
    fn tentative_and_foreign_link_local_sources_are_excluded() {
        let c = [cand("fe80::1", 64, AddressState::Tentative, true)];
        assert_eq!(pick("fe80::9", &c), None);
        let c = [cand("fe80::1", 64, P, false), cand("fe80::2", 64, P, true)];
        assert_eq!(pick("fe80::9", &c), Some("fe80::2".parse().unwrap()));
    }

    /// IPv4: rule 5 (outgoing interface) then rule 8 (same subnet).
    #[test]
    fn ipv4_prefers_outgoing_device_then_subnet() {
        let c = [
            cand("192.168.1.2", 24, P, false),
            cand("10.0.0.2", 24, P, true),
            cand("10.0.1.2", 24, P, true),
        ];
        assert_eq!(pick("10.0.1.9", &c), Some("10.0.1.2".parse().unwrap()));
        assert_eq!(pick("8.8.8.8", &c), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(pick("2001:db8::1", &c), None);
    }
}
