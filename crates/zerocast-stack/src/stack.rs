//! The [`Stack`]: devices, addresses, routes, and the entry points an embedder calls.
//!
//! Every entry point runs to completion: [`Stack::receive_frame`] for a frame from a
//! device, [`Stack::handle_timers`] when [`Stack::next_deadline`] has passed, and the socket
//! calls. Packets the stack sends to itself are queued on an internal loopback queue and
//! received at the end of the same call, so no entry point recurses.
//!
//! Internal layout (for integrators): the fields are `pub(crate)` and grouped by layer —
//! `devices` (a `Vec` indexed by `DeviceId`), `routes`, `ip` (reassembly, PMTU, IPv4
//! identification), `icmp` (rate limiters), `sockets` (UDP and echo sockets), `neighbor`
//! (ARP/NDP state, owned by `crate::neighbor`), `timers` (one [`TimerHeap`] keyed by
//! [`TimerId`]) and `counters`. A protocol that needs a timer adds a `TimerId` variant and a
//! match arm in [`Stack::handle_timers`].

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::vlan::VlanTag;
use zerocast_wire::MacAddr;

use crate::context::{Bindings, DeviceId};
use crate::counters::StackCounters;
use crate::device::{
    link, AddressEntry, AddressError, AddressState, Device, DeviceCounters, DeviceError, DeviceKind,
};
use crate::icmp::IcmpState;
use crate::ip::ipv4::LinkRx;
use crate::ip::route::{max_prefix_len, Route, RouteError, RoutingTable};
use crate::ip::IpState;
use crate::socket::SocketTable;
use crate::time::{Duration, Instant};
use crate::timer::{OrdIndex, Pending, TimerHeap, TimerIndex};

/// Limits and switches of a stack. `StackConfig::default()` suits a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackConfig {
    /// Forward packets between devices (a router). Off: packets for others are dropped.
    pub forwarding: bool,
    /// TTL of IPv4 packets we originate (RFC 1122 3.2.1.7; Linux uses 64).
    pub default_ttl: u8,
    /// Hop limit of IPv6 packets we originate (RFC 4861 CurHopLimit default 64).
    pub default_hop_limit: u8,
    /// Most addresses per device.
    pub max_addresses_per_device: usize,
    /// Most routes.
    pub max_routes: usize,
    /// Most open sockets (UDP and echo together).
    pub max_sockets: usize,
    /// Bytes buffered across all partial packets, per family (oldest partial packet
    /// dropped first when exceeded).
    pub reassembly_max_bytes: usize,
    /// Partial packets held at once, per family.
    pub reassembly_max_packets: usize,
    /// How long an IPv4 partial packet may wait for its fragments (Linux: 30 s).
    pub reassembly_timeout_v4: Duration,
    /// How long an IPv6 partial packet may wait (RFC 8200 section 4.5: 60 s).
    pub reassembly_timeout_v6: Duration,
    /// ICMP error messages per second, per family (token bucket refill rate).
    pub icmp_error_rate: u32,
    /// ICMP error burst (token bucket size).
    pub icmp_error_burst: u32,
    /// Receive queue of each UDP socket, in bytes (see `udp::DATAGRAM_OVERHEAD`).
    pub udp_recv_buffer: usize,
    /// Echo replies queued per echo socket.
    pub echo_queue_len: usize,
    /// Ephemeral port range, inclusive (RFC 6335 section 6: 49152..=65535).
    pub ephemeral_ports: (u16, u16),
    /// Path MTU entries kept.
    pub max_pmtu_entries: usize,
    /// How long a learned path MTU holds (RFC 1191 section 6.3: 10 minutes).
    pub pmtu_timeout: Duration,
    /// Packets to ourselves queued at once (the loopback queue).
    pub loopback_queue_len: usize,
    /// TCP settings.
    pub tcp: crate::tcp::TcpConfig,
    /// Neighbour entries per device and family (the ARP and NDP tables each hold this many;
    /// a new entry evicts an UNREACHABLE, then STALE, then the least recently used one).
    pub neighbor_table_size: usize,
    /// Frames queued per neighbour while it is being resolved (RFC 4861 7.2.2: at least 1).
    pub neighbor_queue_len: usize,
}

impl Default for StackConfig {
    fn default() -> Self {
        StackConfig {
            forwarding: false,
            default_ttl: 64,
            default_hop_limit: 64,
            max_addresses_per_device: 16,
            max_routes: 256,
            max_sockets: 1024,
            reassembly_max_bytes: 1 << 20,
            reassembly_max_packets: 64,
            reassembly_timeout_v4: Duration::from_secs(30),
            reassembly_timeout_v6: Duration::from_secs(60),
            icmp_error_rate: 1000,
            icmp_error_burst: 50,
            udp_recv_buffer: 256 * 1024,
            echo_queue_len: 64,
            ephemeral_ports: (49152, 65535),
            max_pmtu_entries: 256,
            pmtu_timeout: Duration::from_secs(600),
            loopback_queue_len: 256,
            neighbor_table_size: 512,
            neighbor_queue_len: 3,
            tcp: crate::tcp::TcpConfig::default(),
        }
    }
}

/// Every timer of the stack, as a key of its [`TimerHeap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TimerId {
    /// Expire old partial packets in both reassemblers (armed while any is pending).
    Reassembly,
    /// A neighbour-layer timer (ARP/NDP retransmission, NUD, DAD, ...).
    #[allow(dead_code)] // scheduled by the neighbour layer once it has timers
    Neighbor(crate::neighbor::NeighborTimer),
    /// A TCP connection's earliest deadline (keyed by its connection slot).
    Tcp(u32),
}

/// The stack's [`TimerIndex`]: TCP keys by connection slot in a vector, the few others in
/// an ordered map. TCP moves its timer several times per connection and the slots are
/// dense small integers (reused after a close), so a lookup is an index instead of a walk
/// down a `BTreeMap`.
#[derive(Debug, Clone, Default)]
pub(crate) struct StackTimerIndex {
    /// Indexed by connection slot; grows to the highest slot that ever armed a timer.
    tcp: Vec<Option<Pending>>,
    /// How many of `tcp` are `Some`.
    tcp_armed: usize,
    other: OrdIndex<TimerId>,
}

impl TimerIndex<TimerId> for StackTimerIndex {
    #[inline]
    fn get(&self, key: &TimerId) -> Option<Pending> {
        match *key {
            TimerId::Tcp(slot) => self.tcp.get(slot as usize).copied().flatten(),
            _ => self.other.get(key),
        }
    }

    #[inline]
    fn insert(&mut self, key: TimerId, pending: Pending) -> Option<Pending> {
        match key {
            TimerId::Tcp(slot) => {
                let i = slot as usize;
                if self.tcp.len() <= i {
                    self.tcp.resize(i + 1, None);
                }
                let old = self.tcp[i].replace(pending);
                self.tcp_armed += usize::from(old.is_none());
                old
            }
            _ => self.other.insert(key, pending),
        }
    }

    #[inline]
    fn remove(&mut self, key: &TimerId) -> Option<Pending> {
        match *key {
            TimerId::Tcp(slot) => {
                let old = self.tcp.get_mut(slot as usize)?.take();
                self.tcp_armed -= usize::from(old.is_some());
                old
            }
            _ => self.other.remove(key),
        }
    }

    #[inline]
    fn len(&self) -> usize {
        self.tcp_armed + self.other.len()
    }
}

/// How often expired partial packets are looked for while some are pending.
const REASSEMBLY_SWEEP: Duration = Duration::from_secs(1);

/// Counters of an id that names no device.
static NO_COUNTERS: DeviceCounters = DeviceCounters {
    rx_frames: 0,
    rx_bytes: 0,
    rx_dropped_malformed: 0,
    rx_dropped_other_host: 0,
    rx_dropped_unsupported: 0,
    tx_frames: 0,
    tx_bytes: 0,
    tx_dropped: 0,
};

/// A network stack: devices, addresses, routes, sockets, and the protocols between them.
///
/// ```
/// use zerocast_stack::{Stack, StackConfig};
/// # let mut bc = zerocast_stack::__doc_bindings();
/// let mut stack = Stack::new(StackConfig::default());
/// let tun = stack.add_pure_ip_device(1500);
/// stack.add_address(&mut bc, tun, "10.0.0.2".parse().unwrap(), 24).unwrap();
/// // An ICMP echo request from 10.0.0.1 arrives; the reply leaves through bc.transmit.
/// # let mut frame = zerocast_stack::__doc_echo_request();
/// stack.receive_frame(&mut bc, tun, &mut frame);
/// assert_eq!(stack.counters().icmpv4.echo_replies_sent, 1);
/// ```
#[derive(Debug)]
pub struct Stack {
    pub(crate) config: StackConfig,
    pub(crate) devices: Vec<Device>,
    pub(crate) routes: RoutingTable,
    pub(crate) ip: IpState,
    pub(crate) icmp: IcmpState,
    pub(crate) sockets: SocketTable,
    pub(crate) tcp: crate::tcp::demux::TcpTable,
    pub(crate) neighbor: crate::neighbor::NeighborState,
    pub(crate) timers: TimerHeap<TimerId, StackTimerIndex>,
    pub(crate) counters: StackCounters,
    /// Packets to ourselves, received at the end of the current call: (device, IP packet).
    pub(crate) loopback_queue: VecDeque<(DeviceId, Vec<u8>)>,
    /// The frame buffer packets we originate are built in, kept between sends so the send
    /// path does not allocate (see `ip::send_ip_with`).
    pub(crate) tx_scratch: Vec<u8>,
    /// The timers due in the current `handle_timers` call, kept between calls so firing a
    /// timer does not allocate.
    timers_due: Vec<TimerId>,
    /// TCP ACKs deferred to the end of a receive burst (`Stack::receive_burst`).
    pub(crate) tcp_ack_burst: crate::tcp::io::AckBurst,
    /// The transparent TCP listener and UDP socket of a relay (`crate::ip::transparent`).
    pub(crate) transparent: crate::ip::transparent::TransparentSockets,
}

impl Stack {
    /// A stack with no devices.
    #[must_use]
    pub fn new(config: StackConfig) -> Stack {
        Stack {
            ip: IpState::new(&config),
            icmp: IcmpState::default(),
            sockets: SocketTable::default(),
            tcp: crate::tcp::demux::TcpTable::default(),
            neighbor: crate::neighbor::NeighborState::new(&config),
            devices: Vec::new(),
            routes: RoutingTable::new(),
            timers: TimerHeap::with_index(StackTimerIndex::default()),
            counters: StackCounters::default(),
            loopback_queue: VecDeque::new(),
            tx_scratch: Vec::new(),
            timers_due: Vec::new(),
            tcp_ack_burst: crate::tcp::io::AckBurst::default(),
            transparent: crate::ip::transparent::TransparentSockets::default(),
            config,
        }
    }

    /// The configuration the stack was made with.
    #[must_use]
    pub fn config(&self) -> &StackConfig {
        &self.config
    }

    fn push_device(&mut self, device: Device) -> DeviceId {
        // More than 2^32 devices cannot be added in practice; saturate rather than wrap.
        let id = DeviceId(u32::try_from(self.devices.len()).unwrap_or(u32::MAX));
        self.devices.push(device);
        self.ip.devices_changed();
        id
    }

    /// Adds an Ethernet device with its MAC address and MTU (the IP packet size it carries,
    /// 1500 for standard Ethernet).
    pub fn add_ethernet_device(&mut self, mac: MacAddr, mtu: u32) -> DeviceId {
        self.push_device(Device::new(DeviceKind::Ethernet { mac }, mtu))
    }

    /// Adds an 802.1Q VLAN sub-interface with identifier `vid` on Ethernet device `parent`.
    /// It shares the parent's MAC address, and its MTU follows the parent's until set on the
    /// VLAN itself ([`Stack::set_mtu`]).
    ///
    /// # Errors
    /// [`DeviceError::NoSuchDevice`], [`DeviceError::ParentNotEthernet`],
    /// [`DeviceError::InvalidVlanId`] (0 and 4095 are reserved), [`DeviceError::DuplicateVlanId`].
    ///
    /// ```
    /// use zerocast_stack::{device::DeviceError, Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// let vlan = stack.add_vlan_device(eth, 42).unwrap();
    /// assert_eq!(stack.add_vlan_device(eth, 42), Err(DeviceError::DuplicateVlanId));
    /// assert_eq!(stack.add_vlan_device(vlan, 43), Err(DeviceError::ParentNotEthernet));
    /// ```
    pub fn add_vlan_device(&mut self, parent: DeviceId, vid: u16) -> Result<DeviceId, DeviceError> {
        let p = self
            .devices
            .get(parent.index())
            .ok_or(DeviceError::NoSuchDevice)?;
        let DeviceKind::Ethernet { mac } = p.kind else {
            return Err(DeviceError::ParentNotEthernet);
        };
        if vid == 0 || vid >= 4095 {
            return Err(DeviceError::InvalidVlanId);
        }
        if p.vlans.iter().any(|(v, _)| *v == vid) {
            return Err(DeviceError::DuplicateVlanId);
        }
        let mtu = p.mtu;
        let id = self.push_device(Device::new(DeviceKind::Vlan { parent, vid, mac }, mtu));
        if let Some(p) = self.devices.get_mut(parent.index()) {
            p.vlans.push((vid, id));
        }
        Ok(id)
    }

    /// Adds a pure-IP (TUN) device.
    pub fn add_pure_ip_device(&mut self, mtu: u32) -> DeviceId {
        self.push_device(Device::new(DeviceKind::PureIp, mtu))
    }

    /// Adds the loopback device with 127.0.0.1/8 and ::1/128 and their routes. Packets to
    /// any of the stack's own addresses travel through it when it exists.
    pub fn add_loopback_device(&mut self) -> DeviceId {
        let id = self.push_device(Device::new(DeviceKind::Loopback, 65536));
        for (addr, len) in [
            (IpAddr::V4(Ipv4Addr::LOCALHOST), 8),
            (IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
        ] {
            if let Some(d) = self.devices.get_mut(id.index()) {
                d.addresses.push(AddressEntry {
                    addr,
                    prefix_len: len,
                    state: AddressState::Preferred,
                });
            }
            let route = Route {
                destination: addr,
                prefix_len: len,
                device: id,
                gateway: None,
                metric: 0,
            };
            let _ = self.routes.add(route, self.config.max_routes);
        }
        self.ip.devices_changed();
        id
    }

    /// The device `dev`, if it exists.
    #[must_use]
    pub fn device(&self, dev: DeviceId) -> Option<&Device> {
        self.devices.get(dev.index())
    }

    /// How many devices the stack has (ids are `0..device_count()`).
    #[must_use]
    pub fn device_count(&self) -> usize {
        self.devices.len()
    }

    /// Changes a device's MTU. The VLANs of an Ethernet device follow it, except those whose
    /// MTU was set on the VLAN itself (which are only lowered to it when larger).
    pub fn set_mtu(&mut self, dev: DeviceId, mtu: u32) {
        if crate::device::apply_mtu(&mut self.devices, dev, mtu) {
            self.ip.devices_changed();
        }
    }

    /// Assigns `addr/prefix_len` to `dev` and adds the on-link route for its subnet. An IPv6
    /// address also makes the device join its solicited-node group (RFC 4291 2.7.1). The
    /// neighbour layer is told (gratuitous ARP, DAD).
    ///
    /// # Errors
    /// [`AddressError::NoSuchDevice`], [`AddressError::InvalidPrefixLength`],
    /// [`AddressError::NotUnicast`], [`AddressError::AlreadyAssigned`],
    /// [`AddressError::TooManyAddresses`].
    pub fn add_address(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        addr: IpAddr,
        prefix_len: u8,
    ) -> Result<(), AddressError> {
        let max = self.config.max_addresses_per_device;
        let d = self
            .devices
            .get_mut(dev.index())
            .ok_or(AddressError::NoSuchDevice)?;
        if prefix_len > max_prefix_len(&addr) {
            return Err(AddressError::InvalidPrefixLength);
        }
        let unicast = match addr {
            IpAddr::V4(a) => !(a.is_unspecified() || a.is_multicast() || a.is_broadcast()),
            IpAddr::V6(a) => !(a.is_unspecified() || a.is_multicast()),
        };
        if !unicast {
            return Err(AddressError::NotUnicast);
        }
        if d.has_address(addr) {
            return Err(AddressError::AlreadyAssigned);
        }
        if d.addresses.len() >= max {
            return Err(AddressError::TooManyAddresses);
        }
        d.addresses.push(AddressEntry {
            addr,
            prefix_len,
            state: AddressState::Preferred,
        });
        self.ip.devices_changed();
        if prefix_len < max_prefix_len(&addr) {
            let route = Route {
                destination: addr,
                prefix_len,
                device: dev,
                gateway: None,
                metric: 0,
            };
            let _ = self.routes.add(route, self.config.max_routes);
        }
        if let IpAddr::V6(a) = addr {
            let group = IpAddr::V6(Ipv6Addr::from(
                zerocast_wire::Ipv6Addr::from(a).solicited_node(),
            ));
            self.join_multicast_group(bc, dev, group);
        }
        crate::neighbor::on_address_added(self, bc, dev, addr);
        self.run_loopback(bc);
        Ok(())
    }

    /// Removes `addr` from `dev` with its subnet route and solicited-node membership.
    /// Returns whether it was assigned.
    pub fn remove_address(&mut self, bc: &mut impl Bindings, dev: DeviceId, addr: IpAddr) -> bool {
        let Some(d) = self.devices.get_mut(dev.index()) else {
            return false;
        };
        let Some(i) = d.addresses.iter().position(|e| e.addr == addr) else {
            return false;
        };
        let entry = d.addresses.remove(i);
        self.ip.devices_changed();
        if entry.prefix_len < max_prefix_len(&addr) {
            self.routes.remove(addr, entry.prefix_len, dev, None);
        }
        if let IpAddr::V6(a) = addr {
            let group = IpAddr::V6(Ipv6Addr::from(
                zerocast_wire::Ipv6Addr::from(a).solicited_node(),
            ));
            self.leave_multicast_group(bc, dev, group);
        }
        crate::neighbor::on_address_removed(self, bc, dev, addr);
        true
    }

    /// Sets the state of an assigned address (the IPv6 configuration layer marks addresses
    /// tentative during DAD and deprecated when their preferred lifetime ends). Returns
    /// whether the address was found.
    pub fn set_address_state(&mut self, dev: DeviceId, addr: IpAddr, state: AddressState) -> bool {
        let Some(d) = self.devices.get_mut(dev.index()) else {
            return false;
        };
        match d.addresses.iter_mut().find(|e| e.addr == addr) {
            Some(e) => {
                e.state = state;
                self.ip.devices_changed();
                true
            }
            None => false,
        }
    }

    /// Adds a route: destinations in `destination/prefix_len` go through `dev`, to
    /// `gateway` if given, else directly. `prefix_len` 0 is a default route.
    ///
    /// # Errors
    /// See [`RouteError`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.add_route("0.0.0.0".parse().unwrap(), 0, eth, Some("10.0.0.1".parse().unwrap())).unwrap();
    /// assert_eq!(stack.routes().len(), 1);
    /// ```
    pub fn add_route(
        &mut self,
        destination: IpAddr,
        prefix_len: u8,
        dev: DeviceId,
        gateway: Option<IpAddr>,
    ) -> Result<(), RouteError> {
        self.add_route_with_metric(destination, prefix_len, dev, gateway, 0)
    }

    /// Like [`Stack::add_route`] with a metric (lower is preferred among equal prefixes).
    ///
    /// # Errors
    /// See [`RouteError`].
    pub fn add_route_with_metric(
        &mut self,
        destination: IpAddr,
        prefix_len: u8,
        dev: DeviceId,
        gateway: Option<IpAddr>,
        metric: u32,
    ) -> Result<(), RouteError> {
        if self.devices.get(dev.index()).is_none() {
            return Err(RouteError::NoSuchDevice);
        }
        let route = Route {
            destination,
            prefix_len,
            device: dev,
            gateway,
            metric,
        };
        self.routes.add(route, self.config.max_routes)
    }

    /// Removes matching routes; returns how many.
    pub fn remove_route(
        &mut self,
        destination: IpAddr,
        prefix_len: u8,
        dev: DeviceId,
        gateway: Option<IpAddr>,
    ) -> usize {
        self.routes.remove(destination, prefix_len, dev, gateway)
    }

    /// The routing table.
    #[must_use]
    pub fn routes(&self) -> &[Route] {
        self.routes.routes()
    }

    /// Counters of `dev` (all zero for an unknown id).
    #[must_use]
    pub fn device_counters(&self, dev: DeviceId) -> &DeviceCounters {
        self.devices
            .get(dev.index())
            .map_or(&NO_COUNTERS, |d| &d.counters)
    }

    /// Stack-wide counters.
    #[must_use]
    pub fn counters(&self) -> &StackCounters {
        &self.counters
    }

    /// Makes `dev` listen to multicast `group` (reference counted). Every join tells the
    /// neighbour layer, whose MLD / IGMP state counts any-source joins apart from the
    /// embedder's source filter (which holds a reference of its own) and sends reports.
    pub(crate) fn join_multicast_group(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        group: IpAddr,
    ) {
        let Some(d) = self.devices.get_mut(dev.index()) else {
            return;
        };
        if let Some(entry) = d.multicast_groups.iter_mut().find(|(g, _)| *g == group) {
            entry.1 += 1;
        } else {
            d.multicast_groups.push((group, 1));
        }
        crate::neighbor::on_multicast_joined(self, bc, dev, group);
    }

    /// Drops one reference to `group` on `dev` (telling the neighbour layer); the last one
    /// makes the device stop listening.
    pub(crate) fn leave_multicast_group(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        group: IpAddr,
    ) {
        let Some(d) = self.devices.get_mut(dev.index()) else {
            return;
        };
        let Some(i) = d.multicast_groups.iter().position(|(g, _)| *g == group) else {
            return;
        };
        d.multicast_groups[i].1 -= 1;
        if d.multicast_groups[i].1 == 0 {
            d.multicast_groups.swap_remove(i);
        }
        crate::neighbor::on_multicast_left(self, bc, dev, group);
    }

    /// Receives one frame from `dev`: a whole Ethernet frame (FCS stripped) for an Ethernet
    /// device, a bare IPv4/IPv6 packet for a pure-IP device. Replies are built in `frame`
    /// when they fit. Malformed frames are counted and dropped.
    pub fn receive_frame(&mut self, bc: &mut impl Bindings, dev: DeviceId, frame: &mut [u8]) {
        let Some(d) = self.devices.get_mut(dev.index()) else {
            return;
        };
        d.counters.rx_frames += 1;
        d.counters.rx_bytes += frame.len() as u64;
        match d.kind {
            DeviceKind::Ethernet { mac } => self.receive_ethernet(bc, dev, mac, frame),
            DeviceKind::PureIp | DeviceKind::Loopback => {
                let link = LinkRx {
                    dev,
                    link_multicast: false,
                    in_place: true,
                    looped: d.kind == DeviceKind::Loopback,
                };
                self.receive_ip(bc, link, frame, 0);
            }
            // The embedder hands tagged frames to the parent; a frame given to the VLAN id
            // directly has no defined meaning.
            DeviceKind::Vlan { .. } => d.counters.rx_dropped_unsupported += 1,
        }
        self.run_loopback(bc);
    }

    /// Receives frames that arrived together from `dev` (one read of a device's ring, or
    /// every frame a poll found), each as [`Stack::receive_frame`] would. TCP then treats
    /// the burst as a NIC's receive offload (GRO) would: a connection acknowledges the
    /// burst's data with one ACK at its end (at least every 45 full segments) instead of
    /// every second segment (RFC 9293 3.8.6.3 asks for an ACK per two full-sized segments
    /// of what is *received*; an aggregated burst counts as received together).
    ///
    /// ```
    /// use zerocast_stack::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::{Stack, StackConfig};
    ///
    /// struct Embedder(Vec<Vec<u8>>);
    /// impl Clock for Embedder { fn now(&self) -> Instant { Instant::ZERO } }
    /// impl Rng for Embedder { fn next_u64(&mut self) -> u64 { 4 } }
    /// impl DeviceTx for Embedder {
    ///     fn transmit(&mut self, _: DeviceId, frame: &[u8]) { self.0.push(frame.to_vec()) }
    /// }
    /// impl SocketEvents for Embedder { fn socket_ready(&mut self, _: SocketId, _: Readiness) {} }
    ///
    /// let mut stack = Stack::new(StackConfig::default());
    /// let dev = stack.add_pure_ip_device(1500);
    /// let mut bc = Embedder(Vec::new());
    /// // Two malformed packets: counted and dropped, as receive_frame would.
    /// let mut frames = vec![vec![0x45u8; 20], vec![0x60u8; 40]];
    /// stack.receive_burst(&mut bc, dev, frames.iter_mut().map(|f| f.as_mut_slice()));
    /// assert!(bc.0.is_empty());
    /// ```
    pub fn receive_burst<'f>(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        frames: impl IntoIterator<Item = &'f mut [u8]>,
    ) {
        self.tcp_ack_burst.active = true;
        for frame in frames {
            self.receive_frame(bc, dev, frame);
        }
        crate::tcp::io::end_ack_burst(self, bc);
    }

    fn receive_ip(&mut self, bc: &mut impl Bindings, link: LinkRx, buf: &mut [u8], ip_off: usize) {
        match buf.get(ip_off).map(|b| b >> 4) {
            Some(4) => crate::ip::ipv4::receive(self, bc, link, buf, ip_off),
            Some(6) => crate::ip::ipv6::receive(self, bc, link, buf, ip_off),
            _ => {
                if let Some(d) = self.devices.get_mut(link.dev.index()) {
                    d.counters.rx_dropped_unsupported += 1;
                }
            }
        }
    }

    fn receive_ethernet(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        mac: MacAddr,
        frame: &mut [u8],
    ) {
        let Ok(eth) = EthernetFrame::parse(&frame[..]) else {
            self.devices[dev.index()].counters.rx_dropped_malformed += 1;
            return;
        };
        let (dst, mut ethertype) = (eth.dst(), eth.ethertype());
        let mut l3_dev = dev;
        let mut link_len = zerocast_wire::ethernet::HEADER_LEN;
        if ethertype == EtherType::VLAN {
            let Ok(tag) = VlanTag::parse(eth.payload()) else {
                self.devices[dev.index()].counters.rx_dropped_malformed += 1;
                return;
            };
            let vid = tag.vid();
            ethertype = tag.ethertype();
            link_len += link::VLAN_TAG_LEN;
            // VID 0 is a priority tag: the frame belongs to the port itself (802.1Q 9.6).
            if vid != 0 {
                let Some(&(_, vlan)) = self.devices[dev.index()]
                    .vlans
                    .iter()
                    .find(|(v, _)| *v == vid)
                else {
                    self.devices[dev.index()].counters.rx_dropped_unsupported += 1;
                    return;
                };
                l3_dev = vlan;
                let v = &mut self.devices[vlan.index()].counters;
                v.rx_frames += 1;
                v.rx_bytes += frame.len() as u64;
            }
        }
        let link_multicast = dst.is_multicast();
        if dst != mac && !link_multicast {
            self.devices[l3_dev.index()].counters.rx_dropped_other_host += 1;
            return;
        }
        // A priority-tagged frame cannot be answered in place with an untagged header.
        let in_place = link_len == link::header_len(&self.devices[l3_dev.index()].kind);
        let link = LinkRx {
            dev: l3_dev,
            link_multicast,
            in_place,
            looped: false,
        };
        match ethertype {
            EtherType::IPV4 | EtherType::IPV6 => {
                let expected = if ethertype == EtherType::IPV4 { 4 } else { 6 };
                if frame.get(link_len).map(|b| b >> 4) != Some(expected) {
                    self.devices[l3_dev.index()].counters.rx_dropped_malformed += 1;
                    return;
                }
                self.receive_ip(bc, link, frame, link_len);
            }
            EtherType::ARP => crate::neighbor::receive_arp(self, bc, l3_dev, frame, link_len),
            _ => self.devices[l3_dev.index()].counters.rx_dropped_unsupported += 1,
        }
    }

    /// Transmits a complete link-layer frame for logical device `dev` (a VLAN's frame goes
    /// out through its parent), counting it. The neighbour layer calls this once the
    /// destination MAC is filled in.
    pub(crate) fn transmit_link_frame(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        frame: &[u8],
    ) {
        if let Some(physical) = self.count_link_tx(dev, frame.len()) {
            bc.transmit(physical, frame);
        }
    }

    /// [`Stack::transmit_link_frame`] for a frame in a buffer the stack owns, which the
    /// embedder may take instead of copying ([`DeviceTx::transmit_vec`]).
    ///
    /// [`DeviceTx::transmit_vec`]: crate::context::DeviceTx::transmit_vec
    pub(crate) fn transmit_link_vec(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        frame: &mut Vec<u8>,
    ) {
        if let Some(physical) = self.count_link_tx(dev, frame.len()) {
            bc.transmit_vec(physical, frame);
        }
    }

    /// Counts a frame of `len` bytes leaving `dev` (and a VLAN's parent); returns the
    /// physical device it leaves on.
    fn count_link_tx(&mut self, dev: DeviceId, len: usize) -> Option<DeviceId> {
        let d = self.devices.get_mut(dev.index())?;
        d.counters.tx_frames += 1;
        d.counters.tx_bytes += len as u64;
        Some(match d.kind {
            DeviceKind::Vlan { parent, .. } => {
                if let Some(p) = self.devices.get_mut(parent.index()) {
                    p.counters.tx_frames += 1;
                    p.counters.tx_bytes += len as u64;
                }
                parent
            }
            _ => dev,
        })
    }

    /// Queues a packet to ourselves (dropped and counted when the queue is full).
    pub(crate) fn queue_loopback(&mut self, dev: DeviceId, packet: Vec<u8>) {
        if self.loopback_queue.len() >= self.config.loopback_queue_len {
            self.counters.loopback_dropped += 1;
            return;
        }
        if let Some(d) = self.devices.get_mut(dev.index()) {
            d.counters.tx_frames += 1;
            d.counters.tx_bytes += packet.len() as u64;
        }
        self.loopback_queue.push_back((dev, packet));
    }

    /// Receives what the stack sent itself. Bounded: each packet can queue at most a few
    /// more (a reply, an error), and the queue itself is bounded, so this ends; the count
    /// cap is a second guard.
    #[inline]
    pub(crate) fn run_loopback(&mut self, bc: &mut impl Bindings) {
        // Called at the end of every entry point; usually nothing was looped.
        if !self.loopback_queue.is_empty() {
            self.drain_loopback(bc);
        }
    }

    #[inline(never)]
    fn drain_loopback(&mut self, bc: &mut impl Bindings) {
        let mut budget = self.config.loopback_queue_len.saturating_mul(4);
        while budget > 0 {
            let Some((dev, mut packet)) = self.loopback_queue.pop_front() else {
                break;
            };
            budget -= 1;
            if let Some(d) = self.devices.get_mut(dev.index()) {
                d.counters.rx_frames += 1;
                d.counters.rx_bytes += packet.len() as u64;
            }
            let link = LinkRx {
                dev,
                link_multicast: false,
                in_place: false,
                looped: true,
            };
            self.receive_ip(bc, link, &mut packet, 0);
        }
    }

    /// Arms the reassembly sweep (if it is not armed).
    pub(crate) fn arm_reassembly_timer(&mut self, bc: &impl Bindings) {
        if self.timers.deadline(&TimerId::Reassembly).is_none() {
            self.timers
                .schedule(TimerId::Reassembly, bc.now() + REASSEMBLY_SWEEP);
        }
    }

    /// Drops timed-out partial packets, answering each whose first fragment arrived with
    /// Time Exceeded code 1 (RFC 792; RFC 8200 section 4.5), and re-arms the sweep while
    /// any are pending.
    fn expire_reassembly(&mut self, bc: &mut impl Bindings, now: Instant) {
        use crate::icmp::errors::{
            self, ErrorOrigin, Icmpv6Error, ICMPV4_ERROR_MAX, ICMPV6_ERROR_MAX,
        };
        let now_ms = now.as_nanos() / 1_000_000;
        let quotes_v4 = self
            .ip
            .reassembly_v4
            .expire_quoting(now_ms, ICMPV4_ERROR_MAX - 28);
        let quotes_v6 = self
            .ip
            .reassembly_v6
            .expire_quoting(now_ms, ICMPV6_ERROR_MAX - 48);
        self.counters.ipv4.reassembly_failed += quotes_v4.len() as u64;
        self.counters.ipv6.reassembly_failed += quotes_v6.len() as u64;
        // The quote's destination is ours: it names the device the fragments came to.
        let origin_of = |stack: &Stack, dst: Option<IpAddr>| {
            let dev = dst
                .and_then(|d| stack.local_address_device(d))
                .unwrap_or(DeviceId(0));
            ErrorOrigin {
                dev,
                link_multicast: false,
            }
        };
        for q in quotes_v4 {
            let dst = q
                .get(16..20)
                .map(|d| IpAddr::V4(Ipv4Addr::new(d[0], d[1], d[2], d[3])));
            let origin = origin_of(self, dst);
            let repr = zerocast_wire::icmpv4::Icmpv4Repr::time_exceeded(1);
            errors::send_icmpv4_error(self, bc, origin, &q, repr);
        }
        for q in quotes_v6 {
            let dst = q
                .get(24..40)
                .and_then(|d| <[u8; 16]>::try_from(d).ok())
                .map(|d| IpAddr::V6(Ipv6Addr::from(d)));
            let origin = origin_of(self, dst);
            errors::send_icmpv6_error(self, bc, origin, &q, Icmpv6Error::time_exceeded(1));
        }
        self.ip.pmtu.expire(now);
        if self.ip.reassembly_v4.pending() + self.ip.reassembly_v6.pending() > 0 {
            self.timers
                .schedule(TimerId::Reassembly, now + REASSEMBLY_SWEEP);
        }
    }

    /// Fires every timer whose deadline is at or before `bc.now()`.
    pub fn handle_timers(&mut self, bc: &mut impl Bindings) {
        let now = bc.now();
        // Each timer fires once per call; one re-armed for `now` waits for the next call.
        let mut due = core::mem::take(&mut self.timers_due);
        while let Some(t) = self.timers.pop_due(now) {
            due.push(t);
        }
        for &t in &due {
            match t {
                TimerId::Reassembly => self.expire_reassembly(bc, now),
                TimerId::Neighbor(n) => crate::neighbor::handle_timer(self, bc, n),
                TimerId::Tcp(c) => crate::tcp::io::handle_timer(self, bc, c),
            }
        }
        due.clear();
        self.timers_due = due;
        self.run_loopback(bc);
    }

    /// The earliest instant at which [`Stack::handle_timers`] has work.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }
}

#[cfg(test)]
mod timer_index_tests {
    use super::*;
    use crate::neighbor::NeighborTimer;
    use proptest::prelude::*;

    fn key(raw: u8) -> TimerId {
        match raw % 8 {
            0 => TimerId::Reassembly,
            1 => TimerId::Neighbor(NeighborTimer::Device(DeviceId(u32::from(raw / 8)))),
            // Connection slots, some far apart so the vector grows in steps.
            n => TimerId::Tcp(u32::from(n) * u32::from(raw / 8 + 1)),
        }
    }

    #[test]
    fn tcp_slots_and_other_keys_share_one_order() {
        let mut t = TimerHeap::with_index(StackTimerIndex::default());
        t.schedule(TimerId::Tcp(9), Instant::from_nanos(5));
        t.schedule(TimerId::Reassembly, Instant::from_nanos(5));
        t.schedule(TimerId::Tcp(0), Instant::from_nanos(3));
        assert_eq!(t.len(), 3);
        t.schedule(TimerId::Tcp(9), Instant::from_nanos(6));
        assert_eq!(t.len(), 3, "a moved slot is counted once");
        assert_eq!(t.cancel(&TimerId::Tcp(4)), None, "slot 4 was never armed");
        let fired: Vec<_> = core::iter::from_fn(|| t.pop_due(Instant::MAX)).collect();
        assert_eq!(
            fired,
            [TimerId::Tcp(0), TimerId::Reassembly, TimerId::Tcp(9)]
        );
        assert!(t.is_empty());
    }

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(8))]
        /// The stack's index answers exactly as the ordered-map index does.
        #[test]
        fn slot_index_behaves_like_the_ordered_map(
            ops in proptest::collection::vec((0u8..3, any::<u8>(), 0u64..30), 0..150)
        ) {
            let mut fast = TimerHeap::with_index(StackTimerIndex::default());
            let mut reference: TimerHeap<TimerId> = TimerHeap::new();
            for (op, raw, d) in ops {
                let (k, at) = (key(raw), Instant::from_nanos(d));
                match op {
                    0 => prop_assert_eq!(fast.schedule(k, at), reference.schedule(k, at)),
                    1 => prop_assert_eq!(fast.cancel(&k), reference.cancel(&k)),
                    _ => prop_assert_eq!(fast.pop_due(at), reference.pop_due(at)),
                }
                prop_assert_eq!(fast.len(), reference.len());
                prop_assert_eq!(fast.next_deadline(), reference.next_deadline());
                prop_assert_eq!(fast.deadline(&k), reference.deadline(&k));
            }
        }
    }
}
