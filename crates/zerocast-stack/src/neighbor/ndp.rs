//! NDP messages (RFC 4861) in and out: validation, the neighbour cache, our answers.
//!
//! Received messages are checked as sections 6.1 and 7.1 require (hop limit 255, code 0,
//! well-formed options, a target that is not multicast, the rules for the unspecified
//! source), then DAD looks at NS and NA about tentative addresses first (RFC 4862 section
//! 5.4), the NUD table takes the link-layer information, and a solicitation for one of our
//! addresses is answered with an advertisement carrying our MAC (section 7.2.4: S set when
//! answering a unicast-sourced solicitation, O set since our addresses are not anycast).
//! Router Advertisements go to router discovery, MLD queries to the MLD state
//! (`multicast.rs`).

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::ethernet::EtherType;
use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::ndp::{NdpBody, NdpBuilder, NdpOption, NdpOptionRepr, NdpOptions};
use zerocast_wire::{IpProto, Ipv6Addr, MacAddr, PseudoHeader};

use super::nud::Advertisement;
use super::{config, ensure_device, multicast, run_ndp_actions, sync_timer};
use crate::context::{Bindings, DeviceId};
use crate::device::link;
use crate::ip::IpRx;
use crate::ipv6::dad::{DadVerdict, NONCE_LEN};
use crate::ipv6::router_discovery::ND_HOP_LIMIT;
use crate::ipv6::{ALL_NODES, ALL_ROUTERS};
use crate::Stack;

/// What the options of an NS, NA or RS carry that we use.
#[derive(Default)]
struct NdOptions<'a> {
    source_link: Option<MacAddr>,
    target_link: Option<MacAddr>,
    nonce: Option<&'a [u8]>,
}

/// Reads the options, or `None` if any is malformed (RFC 4861 section 6.1.1 and 7.1: a
/// zero-length option invalidates the message).
fn read_options(options: NdpOptions<'_>) -> Option<NdOptions<'_>> {
    let mut found = NdOptions::default();
    for option in options {
        match option.ok()?.decode() {
            NdpOption::SourceLinkLayer(mac) => found.source_link = Some(mac),
            NdpOption::TargetLinkLayer(mac) => found.target_link = Some(mac),
            NdpOption::Nonce(n) => found.nonce = Some(n),
            _ => {}
        }
    }
    Some(found)
}

/// An NDP (types 133..=137) or MLD (130..=132, 143) message for us on `rx.dev`, checksum
/// already verified.
pub(crate) fn receive_ndp_or_mld(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    rx: &IpRx,
    buf: &mut [u8],
) {
    let (IpAddr::V6(src), IpAddr::V6(dst)) = (rx.src, rx.dst) else {
        return;
    };
    let (src, dst) = (Ipv6Addr::from(src), Ipv6Addr::from(dst));
    let dev = rx.dev;
    let is_ethernet = stack
        .devices
        .get(dev.index())
        .is_some_and(|d| d.kind.is_ethernet());
    let Some(message) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    let Ok(icmp) = Icmpv6Packet::parse(message, PseudoHeader::V6 { src, dst }) else {
        return;
    };
    ensure_device(stack, bc, dev);
    let msg = icmp.message();
    if let Some(query) = crate::ipv6::mld::query_of(src, &msg) {
        multicast::handle_mld_query(stack, bc, dev, query);
        sync_timer(stack, dev);
        return;
    }
    let is_nd = matches!(
        msg,
        Icmpv6Message::RouterSolicitation(..)
            | Icmpv6Message::RouterAdvertisement(..)
            | Icmpv6Message::NeighborSolicitation(..)
            | Icmpv6Message::NeighborAdvertisement(..)
            | Icmpv6Message::Redirect(..)
    );
    if !is_nd {
        return; // MLD reports and done messages: hosts ignore them (RFC 9777 section 6).
    }
    if rx.hop_limit != ND_HOP_LIMIT || icmp.code() != 0 || !is_ethernet {
        stack.neighbor.counters.ndp_invalid += 1;
        return;
    }
    match msg {
        Icmpv6Message::NeighborSolicitation(ns, options) => {
            let Some(opts) = read_options(options) else {
                return invalid(stack);
            };
            let target = ns.target;
            // Section 7.1.1: no multicast target; from :: only to a solicited-node group and
            // without a source link-layer address.
            if target.is_multicast()
                || (src.is_unspecified()
                    && (!dst.is_solicited_node() || opts.source_link.is_some()))
            {
                return invalid(stack);
            }
            stack.neighbor.counters.ndp_rx += 1;
            receive_solicitation(stack, bc, dev, src, target, &opts);
        }
        Icmpv6Message::NeighborAdvertisement(na, options) => {
            let Some(opts) = read_options(options) else {
                return invalid(stack);
            };
            // Section 7.1.2: no multicast target; S clear when sent to a multicast address.
            if na.target.is_multicast() || (dst.is_multicast() && na.solicited()) {
                return invalid(stack);
            }
            stack.neighbor.counters.ndp_rx += 1;
            let advert = Advertisement {
                link_addr: opts.target_link,
                solicited: na.solicited(),
                override_flag: na.override_flag(),
                router: Some(na.router()),
            };
            receive_advertisement(stack, bc, dev, na.target, advert);
        }
        Icmpv6Message::RouterAdvertisement(ra, options) => {
            stack.neighbor.counters.ndp_rx += 1;
            config::receive_router_advertisement(stack, bc, dev, src, rx.hop_limit, ra, options);
        }
        Icmpv6Message::Redirect(r, options) => {
            let Some(opts) = read_options(options) else {
                return invalid(stack);
            };
            receive_redirect(
                stack,
                bc,
                dev,
                src,
                r.target,
                r.destination,
                opts.target_link,
            );
        }
        // Hosts ignore solicitations for routers (section 6.2.6).
        _ => stack.neighbor.counters.ndp_rx += 1,
    }
    sync_timer(stack, dev);
}

fn invalid(stack: &mut Stack) {
    stack.neighbor.counters.ndp_invalid += 1;
}

fn receive_solicitation(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    src: Ipv6Addr,
    target: Ipv6Addr,
    opts: &NdOptions<'_>,
) {
    let mut dad_out = Vec::new();
    let verdict = match stack.neighbor.device_mut(dev) {
        Some(n) => {
            n.dad
                .handle_solicitation(target, src.is_unspecified(), opts.nonce, &mut dad_out)
        }
        None => return,
    };
    config::run_dad_actions(stack, bc, dev, dad_out);
    if verdict == DadVerdict::Consumed {
        return;
    }
    let owned = stack
        .devices
        .get(dev.index())
        .is_some_and(|d| d.owns_address(IpAddr::V6(target.into())));
    if !owned {
        return;
    }
    // Section 7.2.3: learn the solicitor's address (STALE if new or changed).
    if let (false, Some(mac)) = (src.is_unspecified(), opts.source_link) {
        let now = bc.now();
        let mut out = Vec::new();
        if let Some(n) = stack.neighbor.device_mut(dev) {
            n.ndp.handle_link_addr(now, src, mac, &mut out);
        }
        run_ndp_actions(stack, bc, dev, out);
    }
    // Section 7.2.4: answer a solicitation from :: to all-nodes with S clear, others to the
    // solicitor with S set.
    let (reply_dst, solicited) = if src.is_unspecified() {
        (ALL_NODES, false)
    } else {
        (src, true)
    };
    send_advertisement(
        stack,
        bc,
        dev,
        target,
        reply_dst,
        solicited,
        opts.source_link,
    );
}

fn receive_advertisement(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    target: Ipv6Addr,
    advert: Advertisement,
) {
    let mut dad_out = Vec::new();
    let verdict = match stack.neighbor.device_mut(dev) {
        Some(n) => n.dad.handle_advertisement(target, &mut dad_out),
        None => return,
    };
    config::run_dad_actions(stack, bc, dev, dad_out);
    if verdict == DadVerdict::Consumed {
        return;
    }
    // Someone advertising one of our assigned addresses: not a neighbour to cache.
    if stack
        .devices
        .get(dev.index())
        .is_some_and(|d| d.has_address(IpAddr::V6(target.into())))
    {
        return;
    }
    let now = bc.now();
    let mut out = Vec::new();
    if let Some(n) = stack.neighbor.device_mut(dev) {
        n.ndp.handle_advertisement(now, target, advert, &mut out);
    }
    run_ndp_actions(stack, bc, dev, out);
}

/// A Redirect from `src` (RFC 4861 sections 8.1 and 8.3): valid only from the current first
/// hop for `destination` (a link-local router address, hop limit 255 checked by the
/// caller), for a unicast destination, to a link-local router or to the destination itself.
/// It becomes a host route for the destination (through `target`, or on-link when they are
/// the same), and the target's link-layer address goes to the neighbour cache (STALE if new
/// or changed; IsRouter when it is a router). At most [`MAX_REDIRECTS`] redirected
/// destinations are kept per device; the oldest route makes room.
fn receive_redirect(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    src: Ipv6Addr,
    target: Ipv6Addr,
    destination: Ipv6Addr,
    target_link: Option<MacAddr>,
) {
    let dst_ip = IpAddr::V6(destination.into());
    let first_hop = stack
        .routes
        .lookup_filtered(dst_ip, |r| r.device == dev)
        .map(|r| r.gateway.unwrap_or(dst_ip));
    let on_link = target == destination;
    let valid = src.is_unicast_link_local()
        && first_hop == Some(IpAddr::V6(src.into()))
        && !destination.is_multicast()
        && (target.is_unicast_link_local() || on_link);
    if !valid {
        return invalid(stack);
    }
    stack.neighbor.counters.ndp_rx += 1;
    stack.neighbor.counters.redirects += 1;
    let now = bc.now();
    let mut out = Vec::new();
    let mut evicted = None;
    if let Some(n) = stack.neighbor.device_mut(dev) {
        if let Some(mac) = target_link {
            n.ndp.handle_link_addr(now, target, mac, &mut out);
        }
        if !on_link {
            n.ndp.set_router(target);
        }
        n.redirects.retain(|d| *d != destination);
        if n.redirects.len() >= MAX_REDIRECTS {
            evicted = n.redirects.pop_front();
        }
        n.redirects.push_back(destination);
    }
    if let Some(old) = evicted {
        remove_host_routes(stack, dev, old);
    }
    // Replace whatever host route an earlier redirect left for this destination.
    remove_host_routes(stack, dev, destination);
    let gateway = (!on_link).then_some(IpAddr::V6(target.into()));
    let _ = stack.add_route(dst_ip, 128, dev, gateway);
    run_ndp_actions(stack, bc, dev, out);
}

/// Removes the host routes to `destination` on `dev`, on-link or through any gateway.
fn remove_host_routes(stack: &mut Stack, dev: DeviceId, destination: Ipv6Addr) {
    let dst_ip = IpAddr::V6(destination.into());
    let gateways: Vec<Option<IpAddr>> = stack
        .routes()
        .iter()
        .filter(|r| r.destination == dst_ip && r.prefix_len == 128 && r.device == dev)
        .map(|r| r.gateway)
        .collect();
    for gateway in gateways {
        stack.remove_route(dst_ip, 128, dev, gateway);
    }
}

/// Redirected destinations remembered per device (each is a host route).
pub const MAX_REDIRECTS: usize = 16;

/// Our address on `dev` to send an NS about `target` from (section 7.2.2: any of the
/// interface's addresses): the usable one sharing the longest prefix with the target.
fn source_for(stack: &Stack, dev: DeviceId, target: Ipv6Addr) -> Option<Ipv6Addr> {
    let device = stack.devices.get(dev.index())?;
    let target_bits = u128::from_be_bytes(target.0);
    device
        .addresses
        .iter()
        .filter(|e| e.usable_as_source())
        .filter_map(|e| match e.addr {
            IpAddr::V6(a) => Some(Ipv6Addr::from(a)),
            IpAddr::V4(_) => None,
        })
        .max_by_key(|a| (u128::from_be_bytes(a.0) ^ target_bits).leading_zeros())
}

/// Sends an NS for `target`: to its solicited-node group, or to `unicast` (a NUD probe).
pub(crate) fn send_solicitation(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    target: Ipv6Addr,
    unicast: Option<MacAddr>,
) {
    let Some(our_mac) = stack.devices.get(dev.index()).and_then(|d| d.kind.mac()) else {
        return;
    };
    let Some(src) = source_for(stack, dev, target) else {
        return;
    };
    let (dst, dst_mac) = match unicast {
        Some(mac) => (target, mac),
        None => (
            target.solicited_node(),
            MacAddr::ipv6_multicast(target.solicited_node()),
        ),
    };
    let options = [NdpOptionRepr::SourceLinkLayer(our_mac)];
    if send_nd(
        stack,
        bc,
        dev,
        src,
        dst,
        dst_mac,
        NdpBody::neighbor_solicitation(target),
        &options,
    ) {
        stack.neighbor.counters.ns_sent += 1;
    }
}

/// Sends a DAD solicitation for tentative `target`: from `::`, with our nonce and no
/// source link-layer address (RFC 4862 section 5.4.2, RFC 7527 section 4).
pub(crate) fn send_dad_solicitation(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    target: Ipv6Addr,
    nonce: [u8; NONCE_LEN],
) {
    let group = target.solicited_node();
    let options = [NdpOptionRepr::Nonce(&nonce)];
    let body = NdpBody::neighbor_solicitation(target);
    if send_nd(
        stack,
        bc,
        dev,
        Ipv6Addr::UNSPECIFIED,
        group,
        MacAddr::ipv6_multicast(group),
        body,
        &options,
    ) {
        stack.neighbor.counters.ns_sent += 1;
    }
}

/// Sends a Router Solicitation (RFC 4861 section 6.3.7): from an assigned link-local
/// address with our link-layer address, or from `::` without it (section 4.1).
pub(crate) fn send_router_solicitation(stack: &mut Stack, bc: &mut impl Bindings, dev: DeviceId) {
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let Some(our_mac) = device.kind.mac() else {
        return;
    };
    let link_local = config::assigned_link_local(device);
    let slla = [NdpOptionRepr::SourceLinkLayer(our_mac)];
    let (src, options): (Ipv6Addr, &[NdpOptionRepr<'_>]) = match link_local {
        Some(a) => (a, &slla),
        None => (Ipv6Addr::UNSPECIFIED, &[]),
    };
    let body = NdpBody::router_solicitation();
    if send_nd(
        stack,
        bc,
        dev,
        src,
        ALL_ROUTERS,
        MacAddr::ipv6_multicast(ALL_ROUTERS),
        body,
        options,
    ) {
        stack.neighbor.counters.rs_sent += 1;
    }
}

/// Sends an NA for our `target` to `dst` with our link-layer address. A unicast reply goes
/// to `dst_mac` when the solicitation told it, else through address resolution.
fn send_advertisement(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    target: Ipv6Addr,
    dst: Ipv6Addr,
    solicited: bool,
    dst_mac: Option<MacAddr>,
) {
    let Some(our_mac) = stack.devices.get(dev.index()).and_then(|d| d.kind.mac()) else {
        return;
    };
    let router = stack.forwarding(dev);
    let body = NdpBody::neighbor_advertisement(target, router, solicited, true);
    let options = [NdpOptionRepr::TargetLinkLayer(our_mac)];
    let mac = if dst.is_multicast() {
        Some(MacAddr::ipv6_multicast(dst))
    } else {
        dst_mac
    };
    let sent = match mac {
        Some(mac) => send_nd(stack, bc, dev, target, dst, mac, body, &options),
        None => {
            // No source link-layer option: resolve the solicitor first (section 7.2.4).
            let Some(mut frame) = nd_frame(
                stack,
                dev,
                target,
                dst,
                MacAddr::UNSPECIFIED,
                body,
                &options,
            ) else {
                return;
            };
            super::resolve_and_send(stack, bc, dev, IpAddr::V6(dst.into()), &mut frame);
            true
        }
    };
    if sent {
        stack.neighbor.counters.na_sent += 1;
    }
}

/// Builds and sends an ND message; returns whether it was built.
#[allow(clippy::too_many_arguments)] // the addresses of three layers and the message
fn send_nd(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    dst_mac: MacAddr,
    body: NdpBody,
    options: &[NdpOptionRepr<'_>],
) -> bool {
    match nd_frame(stack, dev, src, dst, dst_mac, body, options) {
        Some(frame) => {
            stack.transmit_link_frame(bc, dev, &frame);
            true
        }
        None => false,
    }
}

/// A link frame for `dev` holding the ND message, hop limit 255.
fn nd_frame(
    stack: &Stack,
    dev: DeviceId,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    dst_mac: MacAddr,
    body: NdpBody,
    options: &[NdpOptionRepr<'_>],
) -> Option<Vec<u8>> {
    let kind = stack.devices.get(dev.index())?.kind;
    let message = NdpBuilder::new(body, options, PseudoHeader::V6 { src, dst }).ok()?;
    let ip = Ipv6Repr::new(src, dst, IpProto::ICMPV6, ND_HOP_LIMIT)
        .builder()
        .ok()?;
    let packet = message
        .into_serializer()
        .wrap_in(ip)
        .serialize_vec_outer()
        .ok()?;
    Some(link_frame(&kind, dst_mac, EtherType::IPV6, packet.as_ref()))
}

/// The shortest Ethernet frame without its FCS (IEEE 802.3); shorter ones are padded.
const MIN_ETHERNET_FRAME: usize = 60;

/// `packet` behind `kind`'s link header to `dst_mac`, padded to the Ethernet minimum.
pub(crate) fn link_frame(
    kind: &crate::device::DeviceKind,
    dst_mac: MacAddr,
    ethertype: EtherType,
    packet: &[u8],
) -> Vec<u8> {
    let link_len = link::header_len(kind);
    // An Ethernet frame is at least 60 bytes before its FCS; an IGMP report is shorter.
    let min_len = if link_len > 0 { MIN_ETHERNET_FRAME } else { 0 };
    let mut frame = alloc::vec![0u8; (link_len + packet.len()).max(min_len)];
    link::write_header(kind, &mut frame, dst_mac, ethertype);
    frame[link_len..link_len + packet.len()].copy_from_slice(packet);
    frame
}
