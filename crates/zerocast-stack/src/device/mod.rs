//! Devices (interfaces): what the stack knows about each link it is attached to.
//!
//! A device is one of four kinds ([`DeviceKind`]): an Ethernet port, an 802.1Q VLAN
//! sub-interface of an Ethernet port, a pure-IP (TUN-like) link that carries bare IPv4/IPv6
//! packets, or the loopback device whose frames never leave the stack. Each device has its
//! own MTU, its own list of IP addresses (several per device, both families), its own
//! multicast memberships and its own [`DeviceCounters`].
//!
//! Frames for a VLAN device travel on its parent: on receive, a tagged frame on the parent
//! whose VID matches is handed to the VLAN device; on transmit, the VLAN device's frame carries
//! the tag and goes out through the parent's [`DeviceTx`](crate::context::DeviceTx) slot.
//!
//! Internal layout (for integrators): `Stack::devices` is a `Vec<Device>` indexed by
//! [`DeviceId`]; devices are never removed, so an id stays valid for the stack's lifetime.
//! The device table is the one table without a bound: only the embedder adds devices, never
//! network input. Per device, addresses are bounded by
//! [`StackConfig::max_addresses_per_device`](crate::StackConfig::max_addresses_per_device)
//! (adding past it fails) and multicast groups by the sockets that joined them (each socket
//! at most [`MAX_MEMBERSHIPS`](crate::udp::MAX_MEMBERSHIPS)) plus the stack's own groups.
//! Link-layer framing for output lives in [`link`].

pub mod gso;
pub mod link;
pub mod offload;

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::MacAddr;

use crate::context::DeviceId;

/// What kind of link a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    /// An Ethernet port: frames carry a 14-byte Ethernet II header.
    Ethernet {
        /// The port's unicast MAC address.
        mac: MacAddr,
    },
    /// An 802.1Q VLAN sub-interface of an Ethernet device.
    Vlan {
        /// The Ethernet device the tagged frames travel on.
        parent: DeviceId,
        /// The VLAN identifier (1..=4094).
        vid: u16,
        /// The parent's MAC address (a VLAN shares its port's address).
        mac: MacAddr,
    },
    /// A point-to-point link carrying bare IPv4/IPv6 packets (a TUN device).
    PureIp,
    /// The loopback device: everything sent on it is received by this stack.
    Loopback,
}

impl DeviceKind {
    /// The device's MAC address, for the Ethernet-framed kinds.
    ///
    /// ```
    /// use zerocast_stack::device::DeviceKind;
    /// assert_eq!(DeviceKind::PureIp.mac(), None);
    /// ```
    #[must_use]
    pub const fn mac(&self) -> Option<MacAddr> {
        match self {
            DeviceKind::Ethernet { mac } | DeviceKind::Vlan { mac, .. } => Some(*mac),
            DeviceKind::PureIp | DeviceKind::Loopback => None,
        }
    }

    /// Whether frames on this device carry an Ethernet header (and so need neighbour
    /// resolution for unicast next hops).
    ///
    /// ```
    /// use zerocast_stack::device::DeviceKind;
    /// assert!(!DeviceKind::Loopback.is_ethernet());
    /// ```
    #[must_use]
    pub const fn is_ethernet(&self) -> bool {
        matches!(self, DeviceKind::Ethernet { .. } | DeviceKind::Vlan { .. })
    }
}

/// The lifecycle state of an assigned address.
///
/// Only [`AddressState::Preferred`] and [`AddressState::Deprecated`] addresses may be used
/// as a source (RFC 4862 section 5.4: a tentative address is not yet ours); deprecated
/// ones are avoided by RFC 6724 rule 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressState {
    /// Duplicate Address Detection is running; the address receives only NDP for itself.
    Tentative,
    /// Fully usable.
    Preferred,
    /// Usable for existing communication, avoided for new ones.
    Deprecated,
}

/// One IP address assigned to a device, with its subnet prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressEntry {
    /// The address.
    pub addr: IpAddr,
    /// The on-link prefix length (`/24`, `/64`, ...).
    pub prefix_len: u8,
    /// Whether it is tentative, preferred or deprecated.
    pub state: AddressState,
}

impl AddressEntry {
    /// Whether the address may be the source of a packet we originate.
    ///
    /// ```
    /// use zerocast_stack::device::{AddressEntry, AddressState};
    /// let e = AddressEntry { addr: "fe80::1".parse().unwrap(), prefix_len: 64, state: AddressState::Tentative };
    /// assert!(!e.usable_as_source());
    /// ```
    #[must_use]
    pub const fn usable_as_source(&self) -> bool {
        !matches!(self.state, AddressState::Tentative)
    }

    /// Whether `other` lies in this address's subnet.
    ///
    /// ```
    /// use zerocast_stack::device::{AddressEntry, AddressState};
    /// let e = AddressEntry { addr: "10.0.0.2".parse().unwrap(), prefix_len: 24, state: AddressState::Preferred };
    /// assert!(e.subnet_contains("10.0.0.99".parse().unwrap()));
    /// assert!(!e.subnet_contains("10.0.1.1".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn subnet_contains(&self, other: IpAddr) -> bool {
        crate::ip::route::prefix_matches(self.addr, self.prefix_len, other)
    }

    /// The IPv4 directed broadcast address of the subnet (`None` for IPv6 and for /31, /32,
    /// which have no broadcast address, RFC 3021).
    ///
    /// ```
    /// use zerocast_stack::device::{AddressEntry, AddressState};
    /// let e = AddressEntry { addr: "10.0.0.2".parse().unwrap(), prefix_len: 24, state: AddressState::Preferred };
    /// assert_eq!(e.ipv4_broadcast(), Some("10.0.0.255".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn ipv4_broadcast(&self) -> Option<core::net::Ipv4Addr> {
        match self.addr {
            IpAddr::V4(a) if self.prefix_len < 31 => {
                let host_mask = u32::MAX >> self.prefix_len;
                Some(core::net::Ipv4Addr::from(u32::from(a) | host_mask))
            }
            _ => None,
        }
    }
}

/// Per-device counters. Every frame received is counted once in `rx_frames`; a dropped one is
/// also counted in exactly one `rx_dropped_*` (or an IP/transport counter of
/// [`StackCounters`](crate::StackCounters) once it got past the link layer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceCounters {
    /// Frames handed to `receive_frame` for this device (for a VLAN: tagged frames for it).
    pub rx_frames: u64,
    /// Bytes of those frames.
    pub rx_bytes: u64,
    /// Frames whose link header could not be parsed (too short, bad tag).
    pub rx_dropped_malformed: u64,
    /// Frames addressed to another station's MAC address.
    pub rx_dropped_other_host: u64,
    /// Frames with an EtherType (or IP version) the stack does not handle, or a tag for a
    /// VLAN that is not configured.
    pub rx_dropped_unsupported: u64,
    /// Frames transmitted on this device (for a VLAN: through its parent).
    pub tx_frames: u64,
    /// Bytes of those frames.
    pub tx_bytes: u64,
    /// Outgoing packets dropped because the device could not take them (no neighbour
    /// entry, queue full, too big).
    pub tx_dropped: u64,
}

/// A device: its kind, MTU, addresses, multicast groups and counters.
#[derive(Debug, Clone)]
pub struct Device {
    /// Which kind of link.
    pub kind: DeviceKind,
    /// The largest IP packet the link carries (the link header excluded).
    pub mtu: u32,
    /// Assigned addresses, in the order they were added.
    pub addresses: Vec<AddressEntry>,
    /// Joined multicast groups with how many users joined each (sockets, the stack itself).
    pub multicast_groups: Vec<(IpAddr, u32)>,
    /// VLAN sub-interfaces of this device (Ethernet only): (VID, device).
    pub vlans: Vec<(u16, DeviceId)>,
    /// Counters.
    pub counters: DeviceCounters,
    /// What the device offloads (TSO); none unless the embedder says so.
    pub offload: offload::DeviceOffload,
    /// A VLAN's MTU was set on the VLAN itself, so it no longer follows its parent's.
    pub(crate) mtu_pinned: bool,
    /// Whether packets arriving here for other hosts are forwarded (`None`: as
    /// [`StackConfig::forwarding`](crate::StackConfig::forwarding) says).
    pub(crate) forwarding: Option<bool>,
    /// Unicast packets to any address arriving here are ours (`crate::ip::transparent`).
    pub(crate) accept_any_destination: bool,
}

impl Device {
    pub(crate) fn new(kind: DeviceKind, mtu: u32) -> Device {
        Device {
            kind,
            mtu,
            addresses: Vec::new(),
            multicast_groups: Vec::new(),
            vlans: Vec::new(),
            counters: DeviceCounters::default(),
            offload: offload::DeviceOffload::default(),
            mtu_pinned: false,
            forwarding: None,
            accept_any_destination: false,
        }
    }

    /// Whether `addr` is assigned to this device (in any state).
    #[must_use]
    pub fn has_address(&self, addr: IpAddr) -> bool {
        self.addresses.iter().any(|e| e.addr == addr)
    }

    /// Whether `addr` is assigned and not tentative: packets to it are ours.
    #[must_use]
    pub fn owns_address(&self, addr: IpAddr) -> bool {
        self.addresses
            .iter()
            .any(|e| e.addr == addr && e.usable_as_source())
    }

    /// Whether the device listens to multicast `group`.
    #[must_use]
    pub fn in_multicast_group(&self, group: IpAddr) -> bool {
        self.multicast_groups.iter().any(|(g, _)| *g == group)
    }

    /// Whether `dst` is a directed broadcast address of one of this device's IPv4 subnets.
    #[must_use]
    pub fn is_subnet_broadcast(&self, dst: core::net::Ipv4Addr) -> bool {
        self.addresses
            .iter()
            .any(|e| e.ipv4_broadcast() == Some(dst))
    }
}

/// Sets the MTU of `devices[dev]`. A VLAN whose MTU is set this way keeps it from then on
/// (it is pinned); the VLANs of an Ethernet device follow its new MTU unless pinned, and a
/// pinned one is lowered to it when larger, since a tagged frame cannot exceed what its
/// port carries (as Linux's 802.1Q driver does). Returns whether any device changed.
pub(crate) fn apply_mtu(devices: &mut [Device], dev: DeviceId, mtu: u32) -> bool {
    let Some(d) = devices.get_mut(dev.index()) else {
        return false;
    };
    d.mtu = mtu;
    if matches!(d.kind, DeviceKind::Vlan { .. }) {
        d.mtu_pinned = true;
    }
    let vlans: Vec<DeviceId> = d.vlans.iter().map(|(_, v)| *v).collect();
    for v in vlans {
        if let Some(child) = devices.get_mut(v.index()) {
            if !child.mtu_pinned || child.mtu > mtu {
                child.mtu = mtu;
            }
        }
    }
    true
}

impl crate::Stack {
    /// Turns forwarding on or off for packets arriving on `dev` (as Linux's per-interface
    /// `forwarding` switch: the receiving device decides). Devices never set follow
    /// [`StackConfig::forwarding`](crate::StackConfig::forwarding). A forwarding device also
    /// advertises itself as a router in its Neighbor Advertisements (RFC 4861 section
    /// 7.2.4, the R flag). Returns whether `dev` exists.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let inside = stack.add_pure_ip_device(1500);
    /// let outside = stack.add_pure_ip_device(1500);
    /// assert!(stack.set_forwarding(inside, true));
    /// assert!(stack.forwarding(inside));
    /// assert!(!stack.forwarding(outside));
    /// ```
    pub fn set_forwarding(&mut self, dev: DeviceId, enabled: bool) -> bool {
        match self.devices.get_mut(dev.index()) {
            Some(d) => {
                d.forwarding = Some(enabled);
                true
            }
            None => false,
        }
    }

    /// Whether packets arriving on `dev` for other hosts are forwarded (false for an
    /// unknown device).
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig { forwarding: true, ..StackConfig::default() });
    /// let eth = stack.add_pure_ip_device(1500);
    /// assert!(stack.forwarding(eth), "the stack-wide default");
    /// stack.set_forwarding(eth, false);
    /// assert!(!stack.forwarding(eth));
    /// ```
    #[must_use]
    pub fn forwarding(&self, dev: DeviceId) -> bool {
        self.devices
            .get(dev.index())
            .is_some_and(|d| d.forwarding.unwrap_or(self.config.forwarding))
    }
}

/// Why a device could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceError {
    /// The parent device does not exist.
    NoSuchDevice,
    /// A VLAN's parent must be an Ethernet device.
    ParentNotEthernet,
    /// VIDs 0 and 4095 are reserved (IEEE 802.1Q); valid ones are 1..=4094.
    InvalidVlanId,
    /// The parent already has a sub-interface with this VID.
    DuplicateVlanId,
}

impl core::fmt::Display for DeviceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            DeviceError::NoSuchDevice => "no such device",
            DeviceError::ParentNotEthernet => "a VLAN's parent must be an Ethernet device",
            DeviceError::InvalidVlanId => "VLAN id must be in 1..=4094",
            DeviceError::DuplicateVlanId => "the parent already has this VLAN id",
        })
    }
}

impl core::error::Error for DeviceError {}

/// Why an address could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressError {
    /// The device does not exist.
    NoSuchDevice,
    /// Prefix length above 32 (IPv4) or 128 (IPv6).
    InvalidPrefixLength,
    /// Unspecified, multicast or broadcast addresses cannot be assigned.
    NotUnicast,
    /// The address is already assigned to this device.
    AlreadyAssigned,
    /// The device already has [`StackConfig::max_addresses_per_device`](crate::StackConfig::max_addresses_per_device).
    TooManyAddresses,
}

impl core::fmt::Display for AddressError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            AddressError::NoSuchDevice => "no such device",
            AddressError::InvalidPrefixLength => "prefix length too long for the family",
            AddressError::NotUnicast => "only unicast addresses can be assigned",
            AddressError::AlreadyAssigned => "address already assigned",
            AddressError::TooManyAddresses => "too many addresses on the device",
        })
    }
}

impl core::error::Error for AddressError {}

#[cfg(test)]
mod tests {
    use crate::tests::{ip, sa, OUR_MAC};
    use crate::testutil::FakeBindings;
    use crate::{Stack, StackConfig};

    /// A VLAN's MTU follows its parent's until it is set on the VLAN; a set one is still
    /// capped by the parent's.
    #[test]
    fn a_vlan_mtu_follows_its_parent_unless_set_explicitly() {
        let mut stack = Stack::new(StackConfig::default());
        let eth = stack.add_ethernet_device(OUR_MAC, 1500);
        let v10 = stack.add_vlan_device(eth, 10).unwrap();
        let v20 = stack.add_vlan_device(eth, 20).unwrap();
        let mtu = |s: &Stack, d| s.device(d).unwrap().mtu;
        stack.set_mtu(eth, 9000);
        assert_eq!((mtu(&stack, v10), mtu(&stack, v20)), (9000, 9000));
        stack.set_mtu(v20, 1400);
        stack.set_mtu(eth, 8000);
        assert_eq!(
            (mtu(&stack, v10), mtu(&stack, v20)),
            (8000, 1400),
            "v20 pinned"
        );
        stack.set_mtu(eth, 1280);
        assert_eq!(
            (mtu(&stack, v10), mtu(&stack, v20)),
            (1280, 1280),
            "capped by the port"
        );
        assert_eq!(mtu(&stack, eth), 1280);
    }

    /// The VLAN's new MTU reaches its packets: a datagram that fitted is fragmented once the
    /// parent's MTU shrinks (the route cache sees the change).
    #[test]
    fn a_parent_mtu_change_reaches_the_vlans_packets() {
        let mut bc = FakeBindings::new(1);
        let mut stack = Stack::new(StackConfig::default());
        let eth = stack.add_ethernet_device(OUR_MAC, 1500);
        let vlan = stack.add_vlan_device(eth, 10).unwrap();
        stack
            .add_address(&mut bc, vlan, ip("10.0.0.2"), 24)
            .unwrap();
        let s = stack.udp_open().unwrap();
        // Broadcast: no neighbour resolution in the way.
        let send = |stack: &mut Stack, bc: &mut FakeBindings| {
            bc.take_sent();
            stack
                .udp_send_to(bc, s, &[0u8; 1000], sa("10.0.0.255:9"))
                .unwrap();
            bc.take_sent().len()
        };
        assert_eq!(send(&mut stack, &mut bc), 1);
        stack.set_mtu(eth, 576);
        assert_eq!(send(&mut stack, &mut bc), 2);
    }
}
