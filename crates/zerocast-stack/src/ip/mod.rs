//! IPv4 and IPv6: receive, local delivery, forwarding, output with fragmentation.
//!
//! Receive ([`ipv4`], [`ipv6`]): the link layer hands a frame and the offset of the IP
//! header; the packet is parsed in place with `zerocast-wire`, malformed ones are counted and
//! dropped (answered with Parameter Problem only where the parser says the RFC asks for it),
//! fragments go through `zerocast-wire`'s reassemblers, and whole packets for us are
//! described by an `IpRx` and handed to ICMP or UDP together with the frame buffer, so
//! those layers can build replies in place. Packets for other hosts are forwarded
//! ([`forward`]) when [`StackConfig::forwarding`](crate::StackConfig::forwarding) is on.
//!
//! Output: `route_output` picks the device, next hop and source address (routing table,
//! [`source`] selection, the path MTU from [`pmtu`]); `send_ip` writes the IP header and
//! fragments by the path MTU ([`frag`]); `transmit_ip_frame` puts the link header on and
//! hands the frame to the device (Ethernet unicast goes through the neighbour layer,
//! `crate::neighbor::resolve_and_send`). Packets to one of our own addresses never reach a
//! device: they are queued on the stack's loopback queue and received after the current
//! call's work, so no call recurses into itself.

pub(crate) mod addr_index;
pub(crate) mod default_router;
pub mod forward;
pub mod frag;
pub mod ipv4;
pub mod ipv6;
pub mod pmtu;
pub mod route;
pub(crate) mod route_cache;
pub mod source;
pub mod transparent;

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::ipv4::Ipv4Repr;
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::reassembly::{Ipv4Reassembler, Ipv6Reassembler, ReassemblyLimits};
use zerocast_wire::IpProto;

use crate::context::{Bindings, DeviceId};
use crate::device::{link, DeviceKind};
use crate::socket::SocketError;
use crate::Stack;

/// Per-stack IP state.
#[derive(Debug)]
pub(crate) struct IpState {
    pub(crate) reassembly_v4: Ipv4Reassembler,
    pub(crate) reassembly_v6: Ipv6Reassembler,
    pub(crate) pmtu: pmtu::PmtuCache,
    pub(crate) next_ident_v4: u16,
    /// Whether `next_ident_v4` was drawn from the embedder's RNG yet (it is at the first
    /// send, so identifications do not start at a guessable value, RFC 7739 section 5).
    pub(crate) ident_seeded: bool,
    /// Recent `route_output` answers (see [`route_cache`]).
    pub(crate) route_cache: route_cache::RouteCache,
    /// Our IPv4 addresses and subnet broadcasts, for the receive path (see [`addr_index`]).
    pub(crate) addr_index: addr_index::AddrIndex,
    /// Counts changes to the devices that routing depends on: a device added, an address
    /// added, removed or changing state, an MTU changed.
    device_generation: u64,
}

impl IpState {
    pub(crate) fn new(config: &crate::StackConfig) -> IpState {
        let limits = |timeout: crate::time::Duration| ReassemblyLimits {
            max_bytes: config.reassembly_max_bytes,
            max_packets: config.reassembly_max_packets,
            // The reassemblers count time in the caller's unit; the stack uses milliseconds.
            timeout: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        };
        IpState {
            reassembly_v4: Ipv4Reassembler::new(limits(config.reassembly_timeout_v4)),
            reassembly_v6: Ipv6Reassembler::new(limits(config.reassembly_timeout_v6)),
            pmtu: pmtu::PmtuCache::new(),
            next_ident_v4: 0,
            ident_seeded: false,
            route_cache: route_cache::RouteCache::default(),
            addr_index: addr_index::AddrIndex::default(),
            device_generation: 0,
        }
    }

    /// Records that a device, one of its addresses or its MTU changed, so cached routes
    /// are recomputed.
    pub(crate) fn devices_changed(&mut self) {
        self.device_generation = self.device_generation.wrapping_add(1);
    }
}

/// How a packet was addressed at the IP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DstKind {
    /// One of our unicast addresses.
    Unicast,
    /// The limited or a directed IPv4 broadcast.
    Broadcast,
    /// A multicast group the device listens to.
    Multicast,
}

/// A received IP packet addressed to us, after validation (and reassembly), as the upper
/// layers see it. Offsets index the buffer passed alongside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IpRx {
    pub(crate) dev: DeviceId,
    pub(crate) src: IpAddr,
    pub(crate) dst: IpAddr,
    pub(crate) dst_kind: DstKind,
    /// The frame was a link-layer broadcast or multicast.
    pub(crate) link_multicast: bool,
    /// TTL / hop limit as received (NDP checks for 255).
    #[allow(dead_code)] // read by the neighbour layer's NDP validation
    pub(crate) hop_limit: u8,
    /// The upper-layer protocol (after any IPv6 extension headers).
    pub(crate) proto: IpProto,
    /// Where the IP header starts.
    pub(crate) ip_off: usize,
    /// Where the upper-layer message starts.
    pub(crate) payload_off: usize,
    /// Where the IP packet ends (link padding excluded).
    pub(crate) end: usize,
    /// The buffer holds the received frame with `ip_off` bytes of link header in front, and
    /// the IP header is the plain fixed one (no IPv4 options, no IPv6 extension headers), so
    /// a reply may be built in place.
    pub(crate) in_place_ok: bool,
    /// Offset of the field naming `proto` (IPv6: for Parameter Problem code 1 pointers).
    pub(crate) next_header_at: usize,
}

/// A multicast datagram whose source the interface's filter for its group turns away (RFC
/// 3376 section 3.2, RFC 9777 section 4.2: a source-specific join takes only the sources it
/// names). Only data is filtered: IGMP and MLD messages to the group still reach the
/// membership state.
pub(crate) fn source_filtered(stack: &Stack, rx: &IpRx) -> bool {
    rx.dst_kind == DstKind::Multicast && !stack.multicast_source_accepted(rx.dev, rx.dst, rx.src)
}

/// Where a packet we send goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OutputRoute {
    pub(crate) dev: DeviceId,
    pub(crate) next_hop: IpAddr,
    pub(crate) src: IpAddr,
    pub(crate) dst: IpAddr,
    /// The destination is one of our addresses: deliver through the loopback queue.
    pub(crate) local: bool,
    /// The largest IP packet for this path (device MTU and path MTU).
    pub(crate) mtu: u32,
    /// Link header bytes in front of the IP packet (0 for local delivery).
    pub(crate) link_header_len: usize,
    /// Where an Ethernet frame on this path is addressed.
    pub(crate) link_dst: LinkDst,
}

/// How the link-layer destination of a packet is found, decided with its route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkDst {
    /// A multicast next hop: its group MAC (RFC 1112 section 6.4, RFC 2464 section 7).
    Group(zerocast_wire::MacAddr),
    /// The limited or a directed IPv4 broadcast of the outgoing device: ff:ff:ff:ff:ff:ff.
    Broadcast,
    /// A unicast next hop: resolved by the neighbour layer.
    Neighbor,
}

impl OutputRoute {
    /// A route with its link-layer part filled in from the outgoing device.
    pub(crate) fn new(
        stack: &Stack,
        dev: DeviceId,
        next_hop: IpAddr,
        src: IpAddr,
        dst: IpAddr,
        local: bool,
        mtu: u32,
    ) -> OutputRoute {
        let device = stack.devices.get(dev.index());
        let link_header_len = match device {
            Some(d) if !local => link::header_len(&d.kind),
            _ => 0,
        };
        let link_dst = match (link::multicast_mac(next_hop), next_hop) {
            (Some(mac), _) => LinkDst::Group(mac),
            (None, IpAddr::V4(a))
                if a.is_broadcast() || device.is_some_and(|d| d.is_subnet_broadcast(a)) =>
            {
                LinkDst::Broadcast
            }
            _ => LinkDst::Neighbor,
        };
        OutputRoute {
            dev,
            next_hop,
            src,
            dst,
            local,
            mtu,
            link_header_len,
            link_dst,
        }
    }

    /// Link header bytes to reserve in front of the IP packet.
    pub(crate) const fn link_len(&self) -> usize {
        self.link_header_len
    }
}

/// Whether `addr` can never be the source of a packet (RFC 1122 section 3.2.1.3, RFC 4291
/// section 2.7 for IPv6 multicast sources).
pub(crate) fn is_invalid_source(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => a.is_multicast() || a.is_broadcast() || (a.octets()[0] >= 240),
        IpAddr::V6(a) => a.is_multicast(),
    }
}

impl Stack {
    /// The device that owns `addr` (not tentative), if any.
    pub(crate) fn local_address_device(&self, addr: IpAddr) -> Option<DeviceId> {
        self.devices
            .iter()
            .position(|d| d.owns_address(addr))
            .and_then(|i| u32::try_from(i).ok())
            .map(DeviceId)
    }

    fn loopback_device(&self) -> Option<DeviceId> {
        self.devices
            .iter()
            .position(|d| d.kind == DeviceKind::Loopback)
            .and_then(|i| u32::try_from(i).ok())
            .map(DeviceId)
    }

    /// The path MTU towards `dst` through `dev`.
    pub(crate) fn path_mtu(&self, dev: DeviceId, dst: IpAddr, now: crate::time::Instant) -> u32 {
        let dev_mtu = self.devices.get(dev.index()).map_or(0, |d| d.mtu);
        self.ip
            .pmtu
            .get(dst, now)
            .map_or(dev_mtu, |p| p.min(dev_mtu))
    }

    /// The best source for `dst` leaving through `dev` (RFC 6724).
    pub(crate) fn select_source(&self, dst: IpAddr, dev: DeviceId) -> Option<IpAddr> {
        let candidates = self.devices.iter().enumerate().flat_map(|(i, d)| {
            d.addresses.iter().map(move |e| source::SourceCandidate {
                addr: e.addr,
                prefix_len: e.prefix_len,
                state: e.state,
                on_outgoing_device: i == dev.index(),
            })
        });
        source::select_source(dst, candidates)
    }
}

/// Finds where a packet to `dst` goes: device, next hop, source, MTU.
///
/// `src` pins the source (it must be one of our addresses); `dev` pins the device (needed
/// for link-local and multicast destinations when several devices could carry them).
/// Answers are cached until the routes, the devices or the path MTUs change
/// ([`route_cache`]).
// The cache hit inlined into the sender, the miss out of line: returned through memory, the
// route was written by the callee and read back by the caller in differently placed 16-byte
// moves, a stalled store-to-load forward (a third of the UDP send's samples under perf).
#[inline]
pub(crate) fn route_output(
    stack: &mut Stack,
    now: crate::time::Instant,
    dst: IpAddr,
    src: Option<IpAddr>,
    dev: Option<DeviceId>,
) -> Result<OutputRoute, SocketError> {
    let key = route_cache::RouteKey { dst, src, dev };
    let generation = stack.routing_generation();
    if let Some(route) = stack.ip.route_cache.get(&key, generation, now) {
        return Ok(*route);
    }
    route_output_miss(stack, now, key, generation)
}

/// [`route_output`] on a cache miss: resolves the route and caches it.
#[inline(never)]
fn route_output_miss(
    stack: &mut Stack,
    now: crate::time::Instant,
    key: route_cache::RouteKey,
    generation: u64,
) -> Result<OutputRoute, SocketError> {
    let (route, expires) = resolve_output(stack, now, key.dst, key.src, key.dev)?;
    stack.ip.route_cache.put(key, generation, expires, route);
    Ok(route)
}

impl Stack {
    /// The sum of the generations of everything `route_output` reads: it changes whenever
    /// any of them does (each only grows).
    pub(crate) fn routing_generation(&self) -> u64 {
        self.routes
            .generation()
            .wrapping_add(self.ip.pmtu.generation())
            .wrapping_add(self.ip.device_generation)
    }
}

/// `route_output` without the cache; also returns when the learned path MTU it used (if
/// any) expires.
fn resolve_output(
    stack: &Stack,
    now: crate::time::Instant,
    dst: IpAddr,
    src: Option<IpAddr>,
    dev: Option<DeviceId>,
) -> Result<(OutputRoute, Option<crate::time::Instant>), SocketError> {
    if let Some(s) = src {
        if stack.local_address_device(s).is_none() && !transparent::may_use_source(stack, s) {
            return Err(SocketError::AddressNotAvailable);
        }
    }
    if let Some(owner) = stack.local_address_device(dst) {
        let dev = stack.loopback_device().unwrap_or(owner);
        let route = OutputRoute::new(
            stack,
            dev,
            dst,
            src.unwrap_or(dst),
            dst,
            true,
            u32::from(u16::MAX),
        );
        return Ok((route, None));
    }
    let multicast_or_broadcast = match dst {
        IpAddr::V4(a) => a.is_multicast() || a.is_broadcast(),
        IpAddr::V6(a) => a.is_multicast(),
    };
    // An answer that picked among several default routers by their reachability is not
    // cached: it expires at once.
    let mut expires_now = false;
    let (out_dev, next_hop) = if let Some(d) = dev.filter(|_| multicast_or_broadcast) {
        (d, dst)
    } else if let Some(d) = subnet_broadcast_device(stack, dst) {
        (d, dst)
    } else {
        let allow = |r: &route::Route| dev.is_none_or(|d| r.device == d);
        match stack.routes.lookup_filtered(dst, allow) {
            Some(route) if multicast_or_broadcast => (route.device, dst),
            Some(&route) => {
                let (route, contested) = default_router::select(stack, route, allow);
                expires_now = contested;
                (route.device, route.gateway.unwrap_or(dst))
            }
            // A group address with no route (no default route, no pinned device): the first
            // device that has an address of the family, as Linux picks its default device.
            None if multicast_or_broadcast => (
                first_device_of_family(stack, dst).ok_or(SocketError::NoRoute)?,
                dst,
            ),
            None => return Err(SocketError::NoRoute),
        }
    };
    if stack.devices.get(out_dev.index()).is_none() {
        return Err(SocketError::NoRoute);
    }
    let src = match src {
        Some(s) => s,
        None => stack
            .select_source(dst, out_dev)
            .ok_or(SocketError::AddressNotAvailable)?,
    };
    let dev_mtu = stack.devices.get(out_dev.index()).map_or(0, |d| d.mtu);
    let learned = stack.ip.pmtu.get_with_expiry(dst, now);
    let mtu = learned.map_or(dev_mtu, |(p, _)| p.min(dev_mtu));
    let route = OutputRoute::new(stack, out_dev, next_hop, src, dst, false, mtu);
    let expires = if expires_now {
        Some(now)
    } else {
        learned.map(|(_, expires)| expires)
    };
    Ok((route, expires))
}

fn first_device_of_family(stack: &Stack, dst: IpAddr) -> Option<DeviceId> {
    stack
        .devices
        .iter()
        .position(|d| {
            d.kind != DeviceKind::Loopback
                && d.addresses
                    .iter()
                    .any(|e| e.addr.is_ipv4() == dst.is_ipv4() && e.usable_as_source())
        })
        .and_then(|i| u32::try_from(i).ok())
        .map(DeviceId)
}

fn subnet_broadcast_device(stack: &Stack, dst: IpAddr) -> Option<DeviceId> {
    let IpAddr::V4(d) = dst else { return None };
    stack
        .devices
        .iter()
        .position(|dev| dev.is_subnet_broadcast(d))
        .and_then(|i| u32::try_from(i).ok())
        .map(DeviceId)
}

/// The IPv4 identification for the next packet we originate: a counter (unique per
/// source/destination/protocol for 65536 packets, RFC 6864 section 4) starting at a random
/// value.
pub(crate) fn next_ipv4_ident(stack: &mut Stack, bc: &mut impl Bindings) -> u16 {
    if !stack.ip.ident_seeded {
        stack.ip.next_ident_v4 = bc.next_u64() as u16;
        stack.ip.ident_seeded = true;
    }
    let ident = stack.ip.next_ident_v4;
    stack.ip.next_ident_v4 = ident.wrapping_add(1);
    ident
}

/// Options for one packet we originate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SendOptions {
    /// TTL / hop limit (`None`: the stack's default, or 1 for link-local multicast).
    pub(crate) hop_limit: Option<u8>,
    /// IPv4 Don't Fragment: refuse instead of fragmenting.
    pub(crate) dont_fragment: bool,
}

/// Sends `payload` (a whole upper-layer message, checksum filled) as one IP packet along
/// `route`, fragmenting it when it exceeds the path MTU.
///
/// # Errors
/// [`SocketError::MessageTooLong`] when the packet cannot be sent at this size.
pub(crate) fn send_ip(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload: &[u8],
    options: SendOptions,
) -> Result<(), SocketError> {
    send_ip_with(stack, bc, route, proto, payload.len(), options, |out| {
        out.copy_from_slice(payload);
        Ok(())
    })
}

/// Like `send_ip`, with the upper-layer message of `payload_len` bytes written by `write`
/// straight into the outgoing frame. When the packet fits the path MTU the frame is built
/// in the stack's reusable transmit buffer, so a send allocates nothing once the buffer has
/// grown to the largest frame.
///
/// # Errors
/// [`SocketError::MessageTooLong`], or what `write` returns.
pub(crate) fn send_ip_with(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload_len: usize,
    options: SendOptions,
    write: impl FnOnce(&mut [u8]) -> Result<(), SocketError>,
) -> Result<(), SocketError> {
    send_ip_built(stack, bc, route, proto, payload_len, options, false, write)
}

/// Like [`send_ip_with`] for a `write` that stores every byte of the upper-layer message
/// (TCP's header, options and payload): the transmit buffer is not zeroed first. No byte
/// of an earlier frame can leak, as the link and IP headers are written whole too.
///
/// # Errors
/// As [`send_ip_with`].
pub(crate) fn send_ip_filled(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload_len: usize,
    write: impl FnOnce(&mut [u8]) -> Result<(), SocketError>,
) -> Result<(), SocketError> {
    let options = SendOptions::default();
    send_ip_built(stack, bc, route, proto, payload_len, options, true, write)
}

#[allow(clippy::too_many_arguments)]
fn send_ip_built(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload_len: usize,
    options: SendOptions,
    writer_fills: bool,
    write: impl FnOnce(&mut [u8]) -> Result<(), SocketError>,
) -> Result<(), SocketError> {
    let hop_limit = options.hop_limit.unwrap_or(match route.dst {
        IpAddr::V4(_) => stack.config.default_ttl,
        IpAddr::V6(_) => stack.config.default_hop_limit,
    });
    let header_len = if route.dst.is_ipv4() {
        zerocast_wire::ipv4::HEADER_LEN
    } else {
        zerocast_wire::ipv6::HEADER_LEN
    };
    let mtu = usize::try_from(route.mtu).unwrap_or(usize::MAX);
    if header_len + payload_len > mtu {
        let mut payload = alloc::vec![0u8; payload_len];
        write(&mut payload)?;
        return send_fragmented(stack, bc, route, proto, &payload, hop_limit, options);
    }
    let link_len = route.link_len();
    let ident = if route.dst.is_ipv4() {
        next_ipv4_ident(stack, bc)
    } else {
        0
    };
    let mut frame = core::mem::take(&mut stack.tx_scratch);
    if !writer_fills {
        frame.clear();
    }
    // With `writer_fills` only bytes beyond the last frame's length are zeroed (a memset of
    // every 1.5 KB segment was 1.3 % of a bulk transfer's instructions).
    frame.resize(link_len + header_len + payload_len, 0);
    let result = write(&mut frame[link_len + header_len..]).and_then(|()| {
        match (route.src, route.dst) {
            (IpAddr::V4(src), IpAddr::V4(dst)) => {
                let mut repr = Ipv4Repr::new(src.into(), dst.into(), proto, hop_limit);
                repr.ident = ident;
                if options.dont_fragment {
                    repr.flags = zerocast_wire::ipv4::FLAG_DF;
                }
                repr.emit(&mut frame[link_len..], payload_len)
            }
            (IpAddr::V6(src), IpAddr::V6(dst)) => {
                Ipv6Repr::new(src.into(), dst.into(), proto, hop_limit)
                    .emit(&mut frame[link_len..], payload_len)
            }
            _ => return Err(SocketError::InvalidInput),
        }
        .map_err(|_| SocketError::MessageTooLong)
    });
    if result.is_ok() {
        // The embedder may take the frame and leave another buffer in its place.
        transmit_ip_out(stack, bc, route, &mut frame);
    }
    stack.tx_scratch = frame;
    result
}

/// Sends an IPv4 packet carrying header `options` (a multiple of 4 bytes, at most 40; they
/// travel in the first fragment only), fragmenting by the path MTU.
///
/// # Errors
/// [`SocketError::MessageTooLong`], [`SocketError::InvalidInput`] for an IPv6 route.
pub(crate) fn send_ipv4_with_options(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload: &[u8],
    options: &[u8],
) -> Result<(), SocketError> {
    let (IpAddr::V4(src), IpAddr::V4(dst)) = (route.src, route.dst) else {
        return Err(SocketError::InvalidInput);
    };
    let ident = next_ipv4_ident(stack, bc);
    let mut header = frag::V4Header::new(src, dst, proto, stack.config.default_ttl, ident, false);
    header.options = options;
    let frames = frag::build_ipv4(&header, payload, route.mtu, route.link_len())?;
    if frames.len() > 1 {
        stack.counters.ipv4.fragments_tx += frames.len() as u64;
    }
    for mut f in frames {
        transmit_ip_frame(stack, bc, route, &mut f);
    }
    Ok(())
}

/// Sends a packet that exceeds the path MTU as fragments (or refuses, for IPv4 with DF).
fn send_fragmented(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    proto: IpProto,
    payload: &[u8],
    hop_limit: u8,
    options: SendOptions,
) -> Result<(), SocketError> {
    let link_len = route.link_len();
    let frames = match (route.src, route.dst) {
        (IpAddr::V4(src), IpAddr::V4(dst)) => {
            let ident = next_ipv4_ident(stack, bc);
            let header =
                frag::V4Header::new(src, dst, proto, hop_limit, ident, options.dont_fragment);
            frag::build_ipv4(&header, payload, route.mtu, link_len)
                .inspect_err(|_| stack.counters.ipv4.too_big += 1)?
        }
        (IpAddr::V6(src), IpAddr::V6(dst)) => {
            // RFC 7739: fragment identifiers should not be predictable.
            let ident = bc.next_u64() as u32;
            let header = frag::V6Header {
                src,
                dst,
                proto,
                hop_limit,
                ident,
            };
            frag::build_ipv6(&header, payload, route.mtu, link_len)
                .inspect_err(|_| stack.counters.ipv6.too_big += 1)?
        }
        _ => return Err(SocketError::InvalidInput),
    };
    if frames.len() > 1 {
        let counters = if route.dst.is_ipv4() {
            &mut stack.counters.ipv4
        } else {
            &mut stack.counters.ipv6
        };
        counters.fragments_tx += frames.len() as u64;
    }
    for mut f in frames {
        transmit_ip_frame(stack, bc, route, &mut f);
    }
    Ok(())
}

/// Hands one IP packet, behind `route.link_len()` bytes of room, to its device: loopback
/// queue for local destinations, directly for pure-IP devices, with an Ethernet header
/// (multicast / broadcast mapped, unicast resolved by the neighbour layer) otherwise.
pub(crate) fn transmit_ip_frame(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    frame: &mut [u8],
) {
    transmit_ip_out(stack, bc, route, frame);
}

/// A frame on its way to a device: a borrowed slice (an embedder that queues it copies
/// it) or the stack's transmit buffer (which the embedder may take instead of copying:
/// [`DeviceTx::transmit_vec`](crate::context::DeviceTx::transmit_vec)).
trait OutFrame {
    fn bytes(&mut self) -> &mut [u8];
    fn send(self, stack: &mut Stack, bc: &mut impl Bindings, dev: crate::context::DeviceId);
}

impl OutFrame for &mut [u8] {
    fn bytes(&mut self) -> &mut [u8] {
        self
    }
    fn send(self, stack: &mut Stack, bc: &mut impl Bindings, dev: crate::context::DeviceId) {
        stack.transmit_link_frame(bc, dev, self);
    }
}

impl OutFrame for &mut Vec<u8> {
    fn bytes(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
    fn send(self, stack: &mut Stack, bc: &mut impl Bindings, dev: crate::context::DeviceId) {
        stack.transmit_link_vec(bc, dev, self);
    }
}

/// [`transmit_ip_frame`] for either kind of [`OutFrame`].
fn transmit_ip_out(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    mut frame: impl OutFrame,
) {
    if route.dst.is_ipv4() {
        stack.counters.ipv4.tx += 1;
    } else {
        stack.counters.ipv6.tx += 1;
    }
    if route.local {
        stack.queue_loopback(route.dev, frame.bytes().to_vec());
        return;
    }
    let Some(device) = stack.devices.get(route.dev.index()) else {
        return;
    };
    let kind = device.kind;
    match kind {
        DeviceKind::PureIp => frame.send(stack, bc, route.dev),
        DeviceKind::Loopback => {
            let packet = frame.bytes().to_vec();
            stack.queue_loopback(route.dev, packet);
        }
        DeviceKind::Ethernet { .. } | DeviceKind::Vlan { .. } => {
            let ethertype = link::ethertype_for(&route.dst);
            if let LinkDst::Group(mac) = route.link_dst {
                link::write_header(&kind, frame.bytes(), mac, ethertype);
                frame.send(stack, bc, route.dev);
            } else if route.link_dst == LinkDst::Broadcast {
                let broadcast = zerocast_wire::MacAddr::BROADCAST;
                link::write_header(&kind, frame.bytes(), broadcast, ethertype);
                frame.send(stack, bc, route.dev);
            } else if let Some(mac) =
                crate::neighbor::steady_mac(stack, route.dev, route.next_hop, bc.now())
            {
                link::write_header(&kind, frame.bytes(), mac, ethertype);
                frame.send(stack, bc, route.dev);
            } else {
                let unspecified = zerocast_wire::MacAddr::UNSPECIFIED;
                link::write_header(&kind, frame.bytes(), unspecified, ethertype);
                let (dev, next_hop) = (route.dev, route.next_hop);
                crate::neighbor::resolve_and_send(stack, bc, dev, next_hop, frame.bytes());
            }
        }
    }
}

/// Copies `packet` (a bare IP packet) behind fresh link-header room for `route`.
pub(crate) fn with_link_room(route: &OutputRoute, packet: &[u8]) -> Vec<u8> {
    let link_len = route.link_len();
    let mut frame = alloc::vec![0u8; link_len + packet.len()];
    frame[link_len..].copy_from_slice(packet);
    frame
}
