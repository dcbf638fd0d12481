//! IPv6 address configuration on a link: link-local addresses from the MAC, Duplicate
//! Address Detection, router discovery, SLAAC and MLDv2.
//!
//! Each submodule is a pure state machine over the wire crate's parsed messages: inputs
//! carry the time, outputs are actions (send this solicitation, add this address, ...) the
//! device layer carries out. This module holds the well-known addresses and the interface
//! identifier they share.

pub mod dad;
pub mod mld;
pub mod router_discovery;
pub mod slaac;

use zerocast_wire::{Ipv6Addr, MacAddr};

/// `ff02::1`, all nodes on the link (RFC 4291 section 2.7.1).
pub const ALL_NODES: Ipv6Addr = Ipv6Addr([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
/// `ff02::2`, all routers on the link (RFC 4291 section 2.7.1).
pub const ALL_ROUTERS: Ipv6Addr = Ipv6Addr([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
/// `ff02::16`, where MLDv2 reports go (RFC 9777 section 5.2.14).
pub const ALL_MLDV2_ROUTERS: Ipv6Addr =
    Ipv6Addr([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16]);

/// The modified EUI-64 interface identifier of an Ethernet MAC (RFC 4291 appendix A, RFC
/// 2464 section 4): `ff:fe` in the middle, and the universal/local bit inverted.
///
/// ```
/// use zerocast_stack::ipv6::interface_identifier;
/// use zerocast_wire::MacAddr;
/// let iid = interface_identifier(MacAddr([0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde]));
/// assert_eq!(iid, [0x36, 0x56, 0x78, 0xff, 0xfe, 0x9a, 0xbc, 0xde]);
/// ```
#[must_use]
pub const fn interface_identifier(mac: MacAddr) -> [u8; 8] {
    let m = mac.0;
    [m[0] ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]]
}

/// The address of `prefix` (its first 64 bits) with `mac`'s interface identifier.
///
/// ```
/// use zerocast_stack::ipv6::address_from_prefix;
/// use zerocast_wire::{Ipv6Addr, MacAddr};
/// let prefix: Ipv6Addr = "2001:db8:1:2::".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let a = address_from_prefix(prefix, MacAddr([2, 0, 0, 0, 0, 1]));
/// assert_eq!(a.to_string(), "2001:db8:1:2:0:ff:fe00:1");
/// ```
#[must_use]
pub fn address_from_prefix(prefix: Ipv6Addr, mac: MacAddr) -> Ipv6Addr {
    let mut a = prefix.0;
    a[8..].copy_from_slice(&interface_identifier(mac));
    Ipv6Addr(a)
}

/// The link-local address `fe80::/64` plus the MAC's interface identifier (RFC 4862
/// section 5.3).
///
/// ```
/// use zerocast_stack::ipv6::link_local_from_mac;
/// use zerocast_wire::MacAddr;
/// let ll = link_local_from_mac(MacAddr([0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad]));
/// assert_eq!(ll.to_string(), "fe80::2812:9aff:fe5d:1aad");
/// assert!(ll.is_unicast_link_local());
/// ```
#[must_use]
pub fn link_local_from_mac(mac: MacAddr) -> Ipv6Addr {
    let mut prefix = [0u8; 16];
    prefix[0] = 0xfe;
    prefix[1] = 0x80;
    address_from_prefix(Ipv6Addr(prefix), mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn link_local_inverts_the_universal_local_bit_rfc4291_appendix_a() {
        // A universal MAC (bit clear) gets the bit set, a local one (bit set) gets it clear.
        let universal = link_local_from_mac(MacAddr([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(universal.to_string(), "fe80::211:22ff:fe33:4455");
        let local = link_local_from_mac(MacAddr([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(local.to_string(), "fe80::11:22ff:fe33:4455");
    }

    #[test]
    fn well_known_groups_are_link_scope_multicast() {
        for g in [ALL_NODES, ALL_ROUTERS, ALL_MLDV2_ROUTERS] {
            assert!(g.is_multicast());
            assert_eq!(g.multicast_scope(), Some(2));
        }
    }
}
