//! A small cache of `route_output` answers, so a steady flow (an echo peer, a UDP client)
//! does not repeat the longest-prefix match, the local-address and broadcast scans, RFC 6724
//! source selection and the path-MTU lookup for every packet.
//!
//! An answer depends on the routing table, the path MTU cache and the devices (their
//! addresses, address states, MTUs, and which devices exist). Each of the three keeps a
//! generation counter that only grows: the routing table and the PMTU cache count their own
//! changes, and the stack counts device changes (`IpState::devices_changed`). An entry
//! remembers the sum of the three when it was made and is used only while the sum is
//! unchanged, so any change anywhere invalidates every entry. A path MTU learned from the
//! network also expires by time; an entry built from one remembers when, and is not used
//! from that instant on.
//!
//! The cache is direct-mapped: a destination has one slot (picked from its low address
//! bits), and a new answer replaces whatever the slot held. Errors are never cached.

use core::net::IpAddr;

use super::OutputRoute;
use crate::context::DeviceId;
use crate::time::Instant;

/// Slots in the cache (a power of two).
pub(crate) const SLOTS: usize = 8;

/// What a `route_output` call asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RouteKey {
    pub(crate) dst: IpAddr,
    pub(crate) src: Option<IpAddr>,
    pub(crate) dev: Option<DeviceId>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: RouteKey,
    generation: u64,
    /// The learned path MTU this answer used expires here (`None`: it used none).
    expires: Option<Instant>,
    route: OutputRoute,
}

/// The cache (see the module documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteCache {
    slots: [Option<Entry>; SLOTS],
}

/// The slot of `dst`: its last address bytes folded, which differ between the hosts of a
/// subnet.
fn slot_of(dst: IpAddr) -> usize {
    let low = match dst {
        IpAddr::V4(a) => {
            let o = a.octets();
            o[3] ^ o[2]
        }
        IpAddr::V6(a) => {
            let o = a.octets();
            o[15] ^ o[14]
        }
    };
    usize::from(low) % SLOTS
}

impl RouteCache {
    /// The cached answer for `key`, if it was made at `generation` and has not expired.
    pub(crate) fn get(
        &self,
        key: &RouteKey,
        generation: u64,
        now: Instant,
    ) -> Option<&OutputRoute> {
        let e = self.slots.get(slot_of(key.dst))?.as_ref()?;
        let fresh = e.generation == generation && e.expires.is_none_or(|t| now < t);
        // A reference, copied once by the caller: returning `Option<OutputRoute>` made
        // two stack copies whose overlapping tail moves stalled store-to-load forwarding.
        (fresh && e.key == *key).then_some(&e.route)
    }

    /// Remembers `route` as the answer for `key` at `generation`.
    pub(crate) fn put(
        &mut self,
        key: RouteKey,
        generation: u64,
        expires: Option<Instant>,
        route: OutputRoute,
    ) {
        if let Some(slot) = self.slots.get_mut(slot_of(key.dst)) {
            *slot = Some(Entry {
                key,
                generation,
                expires,
                route,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(dst: &str) -> OutputRoute {
        let dst: IpAddr = dst.parse().unwrap();
        OutputRoute {
            dev: DeviceId(0),
            next_hop: dst,
            src: "10.0.0.2".parse().unwrap(),
            dst,
            local: false,
            mtu: 1500,
            link_header_len: 14,
            link_dst: super::super::LinkDst::Neighbor,
        }
    }

    fn key(dst: &str) -> RouteKey {
        RouteKey {
            dst: dst.parse().unwrap(),
            src: None,
            dev: None,
        }
    }

    #[test]
    fn an_entry_serves_only_its_own_key_and_generation() {
        let mut c = RouteCache::default();
        let now = Instant::ZERO;
        c.put(key("10.0.0.1"), 3, None, route("10.0.0.1"));
        assert_eq!(c.get(&key("10.0.0.1"), 3, now), Some(&route("10.0.0.1")));
        assert_eq!(c.get(&key("10.0.0.1"), 4, now), None, "stale generation");
        let pinned = RouteKey {
            src: Some("10.0.0.2".parse().unwrap()),
            ..key("10.0.0.1")
        };
        assert_eq!(c.get(&pinned, 3, now), None, "another source pin");
        // 10.0.1.0 folds to the same slot as 10.0.0.1 and replaces it.
        assert_eq!(slot_of(key("10.0.1.0").dst), slot_of(key("10.0.0.1").dst));
        c.put(key("10.0.1.0"), 3, None, route("10.0.1.0"));
        assert_eq!(c.get(&key("10.0.0.1"), 3, now), None);
        assert_eq!(c.get(&key("10.0.1.0"), 3, now), Some(&route("10.0.1.0")));
    }

    #[test]
    fn an_entry_built_on_a_learned_path_mtu_expires_with_it() {
        let mut c = RouteCache::default();
        let until = Instant::from_nanos(1000);
        c.put(key("2001:db8::1"), 0, Some(until), route("2001:db8::1"));
        assert!(c
            .get(&key("2001:db8::1"), 0, Instant::from_nanos(999))
            .is_some());
        assert!(c.get(&key("2001:db8::1"), 0, until).is_none());
    }
}

/// Whole-stack tests: every change `route_output` depends on must reach the next packet,
/// even when the answer for its destination was cached by the packet before. Each test
/// sends once (filling the cache), changes one thing, and checks the next packet follows
/// the change; without the matching invalidation the stale answer would be reused.
#[cfg(test)]
mod invalidation {
    use alloc::vec::Vec;
    use core::net::Ipv4Addr;

    use zerocast_wire::ipv4::Ipv4Packet;

    use crate::device::AddressState;
    use crate::tests::{ip, sa};
    use crate::testutil::{FakeBindings, SentFrame};
    use crate::time::{Duration, Instant};
    use crate::{DeviceId, SocketId, Stack, StackConfig};

    /// A stack with two pure-IP devices: `a` holds 10.0.0.2/24, `b` holds 10.1.0.2/24, and
    /// an unbound UDP socket to send from.
    fn two_devices() -> (Stack, FakeBindings, DeviceId, DeviceId, SocketId) {
        let mut bc = FakeBindings::new(3);
        let mut stack = Stack::new(StackConfig::default());
        let a = stack.add_pure_ip_device(1500);
        let b = stack.add_pure_ip_device(1500);
        stack.add_address(&mut bc, a, ip("10.0.0.2"), 24).unwrap();
        stack.add_address(&mut bc, b, ip("10.1.0.2"), 24).unwrap();
        // A receiver on port 9, so datagrams to ourselves cause no port unreachable (its
        // route would take the cache slot of the one under test).
        let sink = stack.udp_open().unwrap();
        stack.udp_bind(&mut bc, sink, sa("0.0.0.0:9")).unwrap();
        let s = stack.udp_open().unwrap();
        bc.take_sent();
        (stack, bc, a, b, s)
    }

    fn send(
        stack: &mut Stack,
        bc: &mut FakeBindings,
        s: SocketId,
        to: &str,
        len: usize,
    ) -> Vec<SentFrame> {
        stack
            .udp_send_to(bc, s, &alloc::vec![7u8; len], sa(to))
            .unwrap();
        bc.take_sent()
    }

    fn source(frame: &SentFrame) -> Ipv4Addr {
        Ipv4Addr::from(Ipv4Packet::parse(&frame.bytes[..]).unwrap().src())
    }

    #[test]
    fn a_route_added_after_a_send_takes_the_next_packet() {
        let (mut stack, mut bc, a, b, s) = two_devices();
        stack
            .add_route(ip("0.0.0.0"), 0, a, Some(ip("10.0.0.1")))
            .unwrap();
        assert_eq!(send(&mut stack, &mut bc, s, "192.0.2.9:9", 8)[0].device, a);
        stack
            .add_route(ip("192.0.2.0"), 24, b, Some(ip("10.1.0.1")))
            .unwrap();
        assert_eq!(send(&mut stack, &mut bc, s, "192.0.2.9:9", 8)[0].device, b);
    }

    #[test]
    fn a_route_removed_after_a_send_no_longer_carries_the_next_packet() {
        let (mut stack, mut bc, a, b, s) = two_devices();
        stack
            .add_route(ip("0.0.0.0"), 0, a, Some(ip("10.0.0.1")))
            .unwrap();
        stack
            .add_route(ip("192.0.2.0"), 24, b, Some(ip("10.1.0.1")))
            .unwrap();
        assert_eq!(send(&mut stack, &mut bc, s, "192.0.2.9:9", 8)[0].device, b);
        assert_eq!(
            stack.remove_route(ip("192.0.2.0"), 24, b, Some(ip("10.1.0.1"))),
            1
        );
        assert_eq!(send(&mut stack, &mut bc, s, "192.0.2.9:9", 8)[0].device, a);
    }

    #[test]
    fn an_address_added_after_a_send_makes_its_destination_local() {
        let (mut stack, mut bc, a, _, s) = two_devices();
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 8).len(), 1);
        stack.add_address(&mut bc, a, ip("10.0.0.9"), 24).unwrap();
        bc.take_sent();
        assert!(
            send(&mut stack, &mut bc, s, "10.0.0.9:9", 8).is_empty(),
            "delivered to ourselves"
        );
    }

    #[test]
    fn an_address_removed_after_a_send_is_no_longer_local() {
        let (mut stack, mut bc, a, _, s) = two_devices();
        // A /32: removing it leaves the subnet route of 10.0.0.2/24 alone.
        stack.add_address(&mut bc, a, ip("10.0.0.9"), 32).unwrap();
        bc.take_sent();
        assert!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 8).is_empty());
        assert!(stack.remove_address(&mut bc, a, ip("10.0.0.9")));
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 8).len(), 1);
    }

    /// RFC 6724 rule 3: once the chosen source is deprecated, the other one is used.
    #[test]
    fn an_address_state_change_after_a_send_changes_the_source() {
        let (mut stack, mut bc, a, _, s) = two_devices();
        stack.add_address(&mut bc, a, ip("10.0.0.3"), 24).unwrap();
        bc.take_sent();
        let first = send(&mut stack, &mut bc, s, "10.0.0.9:9", 8);
        assert_eq!(source(&first[0]), "10.0.0.2".parse::<Ipv4Addr>().unwrap());
        assert!(stack.set_address_state(a, ip("10.0.0.2"), AddressState::Deprecated));
        let second = send(&mut stack, &mut bc, s, "10.0.0.9:9", 8);
        assert_eq!(source(&second[0]), "10.0.0.3".parse::<Ipv4Addr>().unwrap());
    }

    #[test]
    fn an_mtu_change_after_a_send_fragments_the_next_packet() {
        let (mut stack, mut bc, a, _, s) = two_devices();
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 1000).len(), 1);
        stack.set_mtu(a, 576);
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 1000).len(), 2);
    }

    /// RFC 1191 section 6.3: a learned path MTU applies at once and lapses when it expires.
    #[test]
    fn a_path_mtu_learned_after_a_send_applies_and_expires() {
        let (mut stack, mut bc, _, _, s) = two_devices();
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 1000).len(), 1);
        let timeout = stack.config.pmtu_timeout;
        let max = stack.config.max_pmtu_entries;
        stack
            .ip
            .pmtu
            .update(ip("10.0.0.9"), 576, Instant::ZERO, timeout, max);
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 1000).len(), 2);
        bc.advance(timeout + Duration::from_secs(1));
        assert_eq!(send(&mut stack, &mut bc, s, "10.0.0.9:9", 1000).len(), 1);
    }

    /// Packets to our own addresses travel through the loopback device once it exists.
    #[test]
    fn a_device_added_after_a_send_is_used_by_the_next_packet() {
        let (mut stack, mut bc, a, _, s) = two_devices();
        send(&mut stack, &mut bc, s, "10.0.0.2:9", 8);
        let before = stack.device_counters(a).tx_frames;
        let lo = stack.add_loopback_device();
        send(&mut stack, &mut bc, s, "10.0.0.2:9", 8);
        assert_eq!(stack.device_counters(lo).tx_frames, 1);
        assert_eq!(stack.device_counters(a).tx_frames, before);
    }
}
