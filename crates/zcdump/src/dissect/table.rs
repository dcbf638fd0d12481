//! The dissector table: how each protocol is found. Every protocol module exports one
//! [`Dissector`] descriptor (its protocol and the keys its parent dispatches on, with its
//! dissect function), and [`DISSECTORS`] lists them, one line each. The parents' dispatch
//! tables (by link type, EtherType and IP protocol) are built from that list at compile
//! time, so adding a protocol is its module plus one line here and one in the field
//! registry; no parent's `match` changes.
//!
//! Lookups are a scan of a few (key, function) pairs for link types and EtherTypes and one
//! index into a 256-entry table for IP protocols, then one indirect call.

use zerocast_wire::ethernet::EtherType;

use super::{
    arp, chdlc, dns, eth, gre, http, icmp, icmpv6, igmp, ipv4, ipv6, mpls, null, ppp, sll, tcp,
    tls, udp, vlan, vxlan, Cx, Upper,
};
use crate::fields::Proto;

/// Dissects a frame of a link type from its first byte.
pub(super) type LinkFn = fn(&mut Cx<'_, '_>, &[u8]);
/// Dissects what an EtherType announced: the EtherType itself, the bytes after it, and
/// how many tags came before (to bound tag stacks).
pub(super) type EtherFn = fn(&mut Cx<'_, '_>, EtherType, &[u8], usize);
/// Dissects an IP payload.
pub(super) type IpFn = fn(&mut Cx<'_, '_>, &Upper<'_>);
/// Dissects a UDP payload.
pub(super) type PortFn = fn(&mut Cx<'_, '_>, &[u8]);
/// Dissects a TCP payload if its content is the protocol's; says whether it was.
pub(super) type HeuristicFn = fn(&mut Cx<'_, '_>, &[u8]) -> bool;

/// How a protocol's parent finds it.
#[derive(Clone, Copy)]
pub(super) enum Hook {
    /// Whole frames of these `LINKTYPE_*` numbers.
    LinkType(&'static [u32], LinkFn),
    /// Payloads behind these EtherTypes (Ethernet, VLAN tags, cooked headers).
    EtherType(&'static [u16], EtherFn),
    /// IP payloads of these protocol numbers (IPv4 protocol, IPv6 next header).
    IpProto(&'static [u8], IpFn),
    /// UDP payloads to or from these ports (the lower of the two ports is tried first, as
    /// tshark does).
    UdpPort(&'static [u16], PortFn),
    /// TCP payloads to or from these ports (lower port first, as for UDP).
    TcpPort(&'static [u16], PortFn),
    /// TCP payloads that no port claimed, recognised by their content.
    TcpHeuristic(HeuristicFn),
}

/// One protocol's registration with its parents.
#[derive(Clone, Copy)]
pub(super) struct Dissector {
    /// The protocol. Dispatch needs only the hook; this ties the registration to the
    /// field registry's protocol, which the consistency test checks.
    #[cfg_attr(not(test), allow(dead_code))]
    pub proto: Proto,
    /// Where it hooks in.
    pub hook: Hook,
}

/// Every dissector a parent dispatches to (`frame` and `data` are called directly).
pub(super) const DISSECTORS: &[Dissector] = &[
    eth::DISSECTOR,
    null::DISSECTOR_NULL,
    null::DISSECTOR_LOOP,
    ppp::DISSECTOR,
    chdlc::DISSECTOR,
    sll::DISSECTOR_V1,
    sll::DISSECTOR_V2,
    super::radiotap::DISSECTOR,
    super::wlan::DISSECTOR,
    super::geneve::DISSECTOR,
    super::pppoe::DISSECTOR,
    ipv4::DISSECTOR_RAW,
    super::raw::DISSECTOR,
    vlan::DISSECTOR_DOT1Q,
    vlan::DISSECTOR_DOT1AD,
    arp::DISSECTOR,
    ipv4::DISSECTOR,
    ipv6::DISSECTOR,
    icmp::DISSECTOR,
    icmpv6::DISSECTOR,
    igmp::DISSECTOR,
    udp::DISSECTOR,
    tcp::DISSECTOR,
    ipv4::DISSECTOR_IN_IP,
    ipv6::DISSECTOR_IN_IP,
    gre::DISSECTOR,
    eth::DISSECTOR_TEB,
    vxlan::DISSECTOR,
    mpls::DISSECTOR,
    mpls::DISSECTOR_UDP,
    dns::DISSECTOR_UDP,
    dns::DISSECTOR_TCP,
    dns::DISSECTOR_MDNS,
    http::DISSECTOR_PORTS,
    http::DISSECTOR,
    tls::DISSECTOR,
    super::dhcp::DISSECTOR,
    super::dhcpv6::DISSECTOR,
    super::ntp::DISSECTOR,
    super::quic::DISSECTOR,
    super::erspan::DISSECTOR,
    super::pim::DISSECTOR,
    super::find::DISSECTOR,
];

/// How many keys of one kind the dissectors register (`kind` 0 link types, 1 EtherTypes,
/// 2 UDP ports, 3 TCP ports, 4 TCP heuristics).
const fn count_keys(kind: u8) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < DISSECTORS.len() {
        n += match (kind, DISSECTORS[i].hook) {
            (0, Hook::LinkType(keys, _)) => keys.len(),
            (1, Hook::EtherType(keys, _)) => keys.len(),
            (2, Hook::UdpPort(keys, _)) => keys.len(),
            (3, Hook::TcpPort(keys, _)) => keys.len(),
            (4, Hook::TcpHeuristic(_)) => 1,
            _ => 0,
        };
        i += 1;
    }
    n
}

/// A placeholder the tables start from; every slot is overwritten before use.
fn no_link(_: &mut Cx<'_, '_>, _: &[u8]) {}
fn no_ether(_: &mut Cx<'_, '_>, _: EtherType, _: &[u8], _: usize) {}
fn no_port(_: &mut Cx<'_, '_>, _: &[u8]) {}

/// The (key, function) table of one hook kind, built from [`DISSECTORS`] at compile time:
/// every key of every dissector hooked by `Hook::$variant`, in registration order.
macro_rules! keyed_table {
    ($variant:ident, $kind:expr, $key:ty, $fn:ty, $placeholder:expr) => {{
        let mut table = [(0 as $key, $placeholder as $fn); count_keys($kind)];
        let (mut i, mut at) = (0, 0);
        while i < DISSECTORS.len() {
            if let Hook::$variant(keys, f) = DISSECTORS[i].hook {
                let mut k = 0;
                while k < keys.len() {
                    table[at] = (keys[k], f);
                    at += 1;
                    k += 1;
                }
            }
            i += 1;
        }
        table
    }};
}

/// Link type number to dissector.
static LINK_TYPES: [(u32, LinkFn); count_keys(0)] = keyed_table!(LinkType, 0, u32, LinkFn, no_link);

/// EtherType to dissector.
static ETHER_TYPES: [(u16, EtherFn); count_keys(1)] =
    keyed_table!(EtherType, 1, u16, EtherFn, no_ether);

/// UDP port to dissector.
static UDP_PORTS: [(u16, PortFn); count_keys(2)] = keyed_table!(UdpPort, 2, u16, PortFn, no_port);

/// TCP port to dissector.
static TCP_PORTS: [(u16, PortFn); count_keys(3)] = keyed_table!(TcpPort, 3, u16, PortFn, no_port);

/// The function registered for `key` in `table`, if any.
#[inline]
fn find<K: PartialEq + Copy, F: Copy>(table: &[(K, F)], key: K) -> Option<F> {
    table.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

fn no_heuristic(_: &mut Cx<'_, '_>, _: &[u8]) -> bool {
    false
}

/// The TCP heuristics, in registration order.
static TCP_HEURISTICS: [HeuristicFn; count_keys(4)] = {
    let mut table = [no_heuristic as HeuristicFn; count_keys(4)];
    let (mut i, mut at) = (0, 0);
    while i < DISSECTORS.len() {
        if let Hook::TcpHeuristic(f) = DISSECTORS[i].hook {
            table[at] = f;
            at += 1;
        }
        i += 1;
    }
    table
};

/// IP protocol number to dissector.
static IP_PROTOCOLS: [Option<IpFn>; 256] = {
    let mut table: [Option<IpFn>; 256] = [None; 256];
    let mut i = 0;
    while i < DISSECTORS.len() {
        if let Hook::IpProto(keys, f) = DISSECTORS[i].hook {
            let mut k = 0;
            while k < keys.len() {
                table[keys[k] as usize] = Some(f);
                k += 1;
            }
        }
        i += 1;
    }
    table
};

/// The dissector for link type `number`, if zcdump decodes it.
pub(super) fn by_link_type(number: u32) -> Option<LinkFn> {
    find(&LINK_TYPES, number)
}

/// The dissector for `ethertype`, if zcdump decodes it.
#[inline]
pub(super) fn by_ethertype(ethertype: EtherType) -> Option<EtherFn> {
    find(&ETHER_TYPES, ethertype.0)
}

/// The dissector for a UDP datagram between ports `a` and `b`: the lower port's, else the
/// higher's, as tshark tries them.
#[inline]
pub(super) fn by_udp_ports(a: u16, b: u16) -> Option<PortFn> {
    find(&UDP_PORTS, a.min(b)).or_else(|| find(&UDP_PORTS, a.max(b)))
}

/// The dissector for a TCP segment between ports `a` and `b`: the lower port's, else the
/// higher's.
#[inline]
pub(super) fn by_tcp_ports(a: u16, b: u16) -> Option<PortFn> {
    find(&TCP_PORTS, a.min(b)).or_else(|| find(&TCP_PORTS, a.max(b)))
}

/// The TCP heuristics, tried in turn on a payload no port claimed.
#[inline]
pub(super) fn tcp_heuristics() -> &'static [HeuristicFn] {
    &TCP_HEURISTICS
}

/// The dissector for IP protocol `proto`, if zcdump decodes it.
#[inline]
pub(super) fn by_ip_protocol(proto: u8) -> Option<IpFn> {
    IP_PROTOCOLS[usize::from(proto)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_claimed_twice() {
        let mut links: Vec<u32> = LINK_TYPES.iter().map(|e| e.0).collect();
        let mut ethers: Vec<u16> = ETHER_TYPES.iter().map(|e| e.0).collect();
        let mut ports: Vec<u16> = UDP_PORTS.iter().map(|e| e.0).collect();
        let mut tcp_ports: Vec<u16> = TCP_PORTS.iter().map(|e| e.0).collect();
        let mut ips: Vec<u8> = Vec::new();
        for d in DISSECTORS {
            if let Hook::IpProto(keys, _) = d.hook {
                ips.extend_from_slice(keys);
            }
        }
        for v in [
            &mut links as &mut dyn DedupLen,
            &mut ethers,
            &mut ips,
            &mut ports,
            &mut tcp_ports,
        ] {
            let before = v.len_now();
            v.sort_dedup();
            assert_eq!(v.len_now(), before);
        }
    }

    #[test]
    fn every_dissecting_protocol_is_registered_once() {
        let mut protos: Vec<Proto> = DISSECTORS.iter().map(|d| d.proto).collect();
        protos.sort();
        let count = protos.len();
        protos.dedup();
        // Linux cooked v1 and v2 share `sll`; IPv4 is registered by EtherType, as a link
        // type and inside IP, IPv6 by EtherType and inside IP; NULL and LOOP share `null`;
        // Ethernet is a link type and GRE's bridged payload; MPLS has an EtherType and a
        // UDP port; DNS is on a UDP and a TCP port; HTTP on ports and by content.
        assert_eq!(count - protos.len(), 9);
        for p in Proto::ALL {
            // Called by their parents directly (LLC by the 802.3 length field, ISL by
            // Ethernet on its destination address, STP by LLC's DSAP, DVMRP by IGMP's type,
            // CDP by LLC/SNAP's organization code and protocol ID, the body protocols by
            // HTTP's content type).
            let direct = [
                Proto::Frame,
                Proto::Data,
                Proto::Llc,
                Proto::Isl,
                Proto::Stp,
                Proto::Dvmrp,
                Proto::Cdp,
                Proto::UrlencodedForm,
                Proto::DataTextLines,
                Proto::Media,
                Proto::Xml,
                Proto::Json,
                Proto::MimeMultipart,
                Proto::Png,
            ];
            assert!(direct.contains(p) || protos.contains(p), "{p:?}");
        }
    }

    #[test]
    fn tables_find_what_was_registered() {
        assert!(by_link_type(1).is_some() && by_link_type(147).is_none());
        assert!(
            by_ethertype(EtherType::IPV6).is_some() && by_ethertype(EtherType(0x88b5)).is_none()
        );
        assert!(by_ip_protocol(6).is_some() && by_ip_protocol(250).is_none());
        assert!(by_udp_ports(50000, 4789).is_some() && by_udp_ports(54, 50000).is_none());
        assert!(by_tcp_ports(50000, 53).is_some() && by_tcp_ports(50000, 54).is_none());
    }

    /// Sorting and deduplicating vectors of different element types in one loop.
    trait DedupLen {
        fn len_now(&self) -> usize;
        fn sort_dedup(&mut self);
    }
    impl<T: Ord> DedupLen for Vec<T> {
        fn len_now(&self) -> usize {
            self.len()
        }
        fn sort_dedup(&mut self) {
            self.sort();
            self.dedup();
        }
    }
}
