//! An index of the IPv4 addresses the receive path asks about for every packet: which of
//! them are ours (not tentative), and which are a directed broadcast address of one of a
//! device's subnets.
//!
//! Without it each question walks every device's address list comparing `IpAddr`s. The
//! index holds plain `u32`s, is rebuilt from the devices when the stack's device generation
//! (see `IpState::devices_changed`) differs from the one it was built at, and so is never
//! consulted stale.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr};

use crate::context::DeviceId;
use crate::device::Device;

/// The index (see the module documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct AddrIndex {
    /// The device generation it was built at (`None`: never built).
    built_at: Option<u64>,
    /// Our usable IPv4 addresses with their devices, in device order.
    local_v4: Vec<(u32, DeviceId)>,
    /// Directed broadcast addresses of our IPv4 subnets with their devices.
    broadcast_v4: Vec<(u32, DeviceId)>,
}

impl AddrIndex {
    /// Rebuilds the index from `devices` unless it was built at `generation`.
    #[inline]
    pub(crate) fn refresh(&mut self, devices: &[Device], generation: u64) {
        if self.built_at != Some(generation) {
            self.rebuild(devices, generation);
        }
    }

    #[cold]
    fn rebuild(&mut self, devices: &[Device], generation: u64) {
        self.local_v4.clear();
        self.broadcast_v4.clear();
        for (i, d) in devices.iter().enumerate() {
            let Ok(id) = u32::try_from(i).map(DeviceId) else {
                break;
            };
            for e in &d.addresses {
                if let (IpAddr::V4(a), true) = (e.addr, e.usable_as_source()) {
                    self.local_v4.push((u32::from(a), id));
                }
                if let Some(b) = e.ipv4_broadcast() {
                    self.broadcast_v4.push((u32::from(b), id));
                }
            }
        }
        self.built_at = Some(generation);
    }

    /// The first device owning `addr` (as `Stack::local_address_device` answers).
    pub(crate) fn local_v4(&self, addr: Ipv4Addr) -> Option<DeviceId> {
        let a = u32::from(addr);
        self.local_v4.iter().find(|(x, _)| *x == a).map(|(_, d)| *d)
    }

    /// Whether `addr` is a directed broadcast address of one of `dev`'s subnets (as
    /// `Device::is_subnet_broadcast` answers). Tentative addresses count: their subnet is
    /// configured on the link.
    pub(crate) fn is_subnet_broadcast(&self, dev: DeviceId, addr: Ipv4Addr) -> bool {
        let a = u32::from(addr);
        self.broadcast_v4.iter().any(|(x, d)| *x == a && *d == dev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{AddressEntry, AddressState, DeviceKind};

    fn device(addrs: &[(&str, u8, AddressState)]) -> Device {
        let mut d = Device::new(DeviceKind::PureIp, 1500);
        for (a, len, state) in addrs {
            d.addresses.push(AddressEntry {
                addr: a.parse().unwrap(),
                prefix_len: *len,
                state: *state,
            });
        }
        d
    }

    fn v4(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    /// The index answers exactly as the scans over the devices do.
    #[test]
    fn answers_like_the_device_scans() {
        use AddressState::*;
        let devices = [
            device(&[("10.0.0.2", 24, Preferred), ("2001:db8::2", 64, Preferred)]),
            device(&[("10.1.0.2", 16, Tentative), ("10.2.0.2", 31, Deprecated)]),
        ];
        let mut index = AddrIndex::default();
        index.refresh(&devices, 1);
        for a in [
            "10.0.0.2",
            "10.1.0.2",
            "10.2.0.2",
            "10.0.0.255",
            "10.1.255.255",
            "10.2.0.3",
        ] {
            let expected = devices
                .iter()
                .position(|d| d.owns_address(IpAddr::V4(v4(a))))
                .map(|i| DeviceId(i as u32));
            assert_eq!(index.local_v4(v4(a)), expected, "{a}");
            for (i, d) in devices.iter().enumerate() {
                let dev = DeviceId(i as u32);
                assert_eq!(
                    index.is_subnet_broadcast(dev, v4(a)),
                    d.is_subnet_broadcast(v4(a)),
                    "{a} on {i}"
                );
            }
        }
    }

    #[test]
    fn rebuilt_only_when_the_generation_moves() {
        let mut devices = alloc::vec![device(&[("10.0.0.2", 24, AddressState::Preferred)])];
        let mut index = AddrIndex::default();
        index.refresh(&devices, 1);
        devices[0].addresses.clear();
        index.refresh(&devices, 1);
        assert_eq!(
            index.local_v4(v4("10.0.0.2")),
            Some(DeviceId(0)),
            "same generation: kept"
        );
        index.refresh(&devices, 2);
        assert_eq!(index.local_v4(v4("10.0.0.2")), None);
        assert!(!index.is_subnet_broadcast(DeviceId(0), v4("10.0.0.255")));
    }
}

/// Whole-stack: the receive path sees address changes made after it built the index.
#[cfg(test)]
mod stack_tests {
    use crate::tests::{echo_request_v4, ip, ipv4_packet, tun_stack, v4};
    use crate::StackConfig;
    use zerocast_wire::IpProto;

    #[test]
    fn addresses_added_and_removed_after_a_receive_are_seen_by_the_next() {
        let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
        let request = |to: &str| {
            ipv4_packet(
                v4("10.0.0.1"),
                v4(to),
                IpProto::ICMP,
                &echo_request_v4(1, 1, b"x"),
            )
        };
        stack.receive_frame(&mut bc, dev, &mut request("10.0.0.2"));
        assert_eq!(stack.counters().icmpv4.echo_replies_sent, 1);
        stack.add_address(&mut bc, dev, ip("10.0.0.3"), 24).unwrap();
        stack.receive_frame(&mut bc, dev, &mut request("10.0.0.3"));
        assert_eq!(
            stack.counters().icmpv4.echo_replies_sent,
            2,
            "new address is ours"
        );
        assert!(stack.remove_address(&mut bc, dev, ip("10.0.0.3")));
        stack.receive_frame(&mut bc, dev, &mut request("10.0.0.3"));
        assert_eq!(
            stack.counters().icmpv4.echo_replies_sent,
            2,
            "removed address is not"
        );
        // A tentative address is not ours either (RFC 4862 section 5.4).
        stack.add_address(&mut bc, dev, ip("10.0.0.4"), 32).unwrap();
        stack.set_address_state(dev, ip("10.0.0.4"), crate::device::AddressState::Tentative);
        stack.receive_frame(&mut bc, dev, &mut request("10.0.0.4"));
        assert_eq!(
            stack.counters().icmpv4.echo_replies_sent,
            2,
            "tentative address is not"
        );
    }
}
