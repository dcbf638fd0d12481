//! IPv6 address configuration on a device: DAD, the link-local address, router discovery
//! and SLAAC, carried out on the stack's address and route tables.
//!
//! An IPv6 address added to an Ethernet device starts tentative (the device layer drops
//! packets to it and never uses it as a source) until DAD assigns it; a duplicate is
//! removed. The first IPv6 address on an Ethernet device also gives it its link-local
//! address from the MAC, and once that passes DAD the device solicits routers. What a
//! Router Advertisement teaches becomes routes (a default route per router, metric
//! [`RA_ROUTE_METRIC`]; on-link prefixes, metric [`ON_LINK_ROUTE_METRIC`]), the link MTU,
//! the hop limit, the NUD timers, and SLAAC addresses.

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::ndp::{NdpOptions, RouterAdvertisement};
use zerocast_wire::{Ipv4Addr, Ipv6Addr};

use super::{arp, ensure_device, ndp, run_ndp_actions, sync_timer};
use crate::context::{Bindings, DeviceId};
use crate::device::{AddressError, AddressState, Device};
use crate::ipv6::dad::DadAction;
use crate::ipv6::link_local_from_mac;
use crate::ipv6::router_discovery::{RdAction, MAX_RTR_SOLICITATION_DELAY};
use crate::ipv6::slaac::SlaacAction;
use crate::time::{Duration, Instant};
use crate::Stack;

/// Metric of default routes learned from Router Advertisements (Linux uses 1024 too), so
/// a configured default route (metric 0) wins.
pub const RA_ROUTE_METRIC: u32 = 1024;
/// Metric of on-link prefixes learned from Router Advertisements.
pub const ON_LINK_ROUTE_METRIC: u32 = 256;
/// The prefix length of the link-local address (RFC 4291 section 2.5.6).
const LINK_LOCAL_PREFIX_LEN: u8 = 64;

/// The device's link-local address that passed DAD.
pub(crate) fn assigned_link_local(device: &Device) -> Option<Ipv6Addr> {
    device.addresses.iter().find_map(|e| match e.addr {
        IpAddr::V6(a) if e.usable_as_source() && Ipv6Addr::from(a).is_unicast_link_local() => {
            Some(Ipv6Addr::from(a))
        }
        _ => None,
    })
}

/// A delay drawn uniformly from `[0, max)`.
fn random_delay(max: Duration, bc: &mut impl Bindings) -> Duration {
    let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(bc.below(nanos))
}

/// Gives Ethernet device `dev` its link-local address unless it has one.
pub(crate) fn ensure_link_local(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
) -> Result<(), AddressError> {
    let device = stack
        .devices
        .get(dev.index())
        .ok_or(AddressError::NoSuchDevice)?;
    let mac = match device.kind.mac() {
        Some(mac) if device.kind.is_ethernet() => mac,
        _ => return Err(AddressError::NoSuchDevice),
    };
    let has_link_local = device
        .addresses
        .iter()
        .any(|e| matches!(e.addr, IpAddr::V6(a) if Ipv6Addr::from(a).is_unicast_link_local()));
    if has_link_local {
        return Ok(());
    }
    let addr = link_local_from_mac(mac);
    stack.add_address(bc, dev, IpAddr::V6(addr.into()), LINK_LOCAL_PREFIX_LEN)
}

/// An address was assigned to `dev`.
pub(crate) fn on_address_added(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    addr: IpAddr,
) {
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    if !device.kind.is_ethernet() {
        return;
    }
    ensure_device(stack, bc, dev);
    let now = bc.now();
    match addr {
        IpAddr::V4(a) => {
            let a = Ipv4Addr::from(a);
            arp::send_announcement(stack, bc, dev, a);
            if let Some(n) = stack.neighbor.device_mut(dev) {
                n.announcements.start(now, a);
            }
        }
        IpAddr::V6(a) => {
            let a = Ipv6Addr::from(a);
            if !a.is_unicast_link_local() {
                // Every IPv6 Ethernet device has a link-local address (RFC 4291 2.1); its
                // DAD goes first.
                let _ = ensure_link_local(stack, bc, dev);
            }
            let Some(n) = stack.neighbor.device_mut(dev) else {
                return;
            };
            // RFC 4862 section 5.4.2: delay the first solicitation after the interface
            // comes up by up to MAX_RTR_SOLICITATION_DELAY.
            let delay = if n.dad_started {
                Duration::ZERO
            } else {
                random_delay(MAX_RTR_SOLICITATION_DELAY, bc)
            };
            let Some(n) = stack.neighbor.device_mut(dev) else {
                return;
            };
            n.dad_started = true;
            let mut out = Vec::new();
            n.dad.start(now, a, delay, bc, &mut out);
            if n.dad.is_tentative(a) {
                stack.set_address_state(dev, IpAddr::V6(a.into()), AddressState::Tentative);
            }
            run_dad_actions(stack, bc, dev, out);
        }
    }
    sync_timer(stack, dev);
}

/// An address was removed from `dev`: stop announcing it or running DAD on it.
pub(crate) fn on_address_removed(
    stack: &mut Stack,
    _bc: &mut impl Bindings,
    dev: DeviceId,
    addr: IpAddr,
) {
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    match addr {
        IpAddr::V4(a) => {
            n.announcements.stop(a.into());
            n.defence.forget(a.into());
        }
        IpAddr::V6(a) => {
            let a = Ipv6Addr::from(a);
            // Group membership is the device layer's (it leaves the solicited-node group).
            n.dad.remove(a, &mut Vec::new());
            n.slaac.remove(a);
        }
    }
    sync_timer(stack, dev);
}

/// Carries out DAD's actions.
pub(crate) fn run_dad_actions(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    actions: Vec<DadAction>,
) {
    for action in actions {
        match action {
            // The device layer joins and leaves each address's solicited-node group.
            DadAction::JoinGroup(_) | DadAction::LeaveGroup(_) => {}
            DadAction::SendSolicitation { target, nonce } => {
                ndp::send_dad_solicitation(stack, bc, dev, target, nonce)
            }
            DadAction::Assigned(a) => {
                let deprecated = stack
                    .neighbor
                    .device(dev)
                    .is_some_and(|n| n.slaac.is_deprecated(a));
                let state = if deprecated {
                    AddressState::Deprecated
                } else {
                    AddressState::Preferred
                };
                stack.set_address_state(dev, IpAddr::V6(a.into()), state);
                if a.is_unicast_link_local() {
                    // RFC 4861 section 6.3.7: solicit routers once the interface has an
                    // address to solicit from.
                    let delay = random_delay(MAX_RTR_SOLICITATION_DELAY, bc);
                    let now = bc.now();
                    let mut out = Vec::new();
                    if let Some(n) = stack.neighbor.device_mut(dev) {
                        if !n.ipv6_disabled {
                            n.rd.start_soliciting(now, delay, &mut out);
                        }
                    }
                    run_rd_actions(stack, bc, dev, out);
                }
            }
            DadAction::Duplicate(a) => {
                // RFC 4862 section 5.4.5: the address must not be used; when it is the
                // link-local address from the hardware address, others on the link share
                // that hardware address, and IPv6 on the interface should stop.
                stack.neighbor.counters.dad_conflicts += 1;
                let mac = stack.devices.get(dev.index()).and_then(|d| d.kind.mac());
                if mac.map(link_local_from_mac) == Some(a) {
                    if let Some(n) = stack.neighbor.device_mut(dev) {
                        n.ipv6_disabled = true;
                        n.rd.stop_soliciting();
                    }
                    stack.neighbor.counters.ipv6_disabled += 1;
                }
                stack.remove_address(bc, dev, IpAddr::V6(a.into()));
            }
        }
    }
}

/// Processes a Router Advertisement from `src` on `dev`.
#[allow(clippy::too_many_arguments)] // the IPv6 header's two fields and the message
pub(crate) fn receive_router_advertisement(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    src: Ipv6Addr,
    hop_limit: u8,
    ra: &RouterAdvertisement,
    options: NdpOptions<'_>,
) {
    let now = bc.now();
    let mut out = Vec::new();
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    if n.ipv6_disabled {
        return;
    }
    if n.rd
        .handle_router_advertisement(now, src, hop_limit, ra, options, &mut out)
        .is_err()
    {
        stack.neighbor.counters.ndp_invalid += 1;
        return;
    }
    // Section 6.3.4: the sender is a router, whether or not it told us its address.
    n.ndp.set_router(src);
    run_rd_actions(stack, bc, dev, out);
}

/// Carries out router discovery's actions.
pub(crate) fn run_rd_actions(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    actions: Vec<RdAction>,
) {
    let now = bc.now();
    let any_v6 = IpAddr::V6(core::net::Ipv6Addr::UNSPECIFIED);
    for action in actions {
        match action {
            RdAction::SendRouterSolicitation => ndp::send_router_solicitation(stack, bc, dev),
            RdAction::AddDefaultRouter(r) => {
                let _ = stack.add_route_with_metric(
                    any_v6,
                    0,
                    dev,
                    Some(IpAddr::V6(r.into())),
                    RA_ROUTE_METRIC,
                );
            }
            RdAction::RemoveDefaultRouter(r) => {
                stack.remove_route(any_v6, 0, dev, Some(IpAddr::V6(r.into())));
            }
            RdAction::AddOnLinkPrefix { prefix, prefix_len } => {
                let _ = stack.add_route_with_metric(
                    IpAddr::V6(prefix.into()),
                    prefix_len,
                    dev,
                    None,
                    ON_LINK_ROUTE_METRIC,
                );
            }
            RdAction::RemoveOnLinkPrefix { prefix, prefix_len } => {
                stack.remove_route(IpAddr::V6(prefix.into()), prefix_len, dev, None);
            }
            RdAction::SetLinkMtu(mtu) => stack.set_mtu(dev, mtu),
            // The stack keeps one default hop limit; a host on several links with different
            // routers' values gets the last one.
            RdAction::SetCurHopLimit(h) => stack.config.default_hop_limit = h,
            RdAction::SetBaseReachableTime(base) => {
                if let Some(n) = stack.neighbor.device_mut(dev) {
                    n.ndp.set_base_reachable_time(base, bc);
                }
            }
            RdAction::SetRetransTimer(t) => {
                if let Some(n) = stack.neighbor.device_mut(dev) {
                    n.ndp.set_retrans_timer(t);
                    n.dad.set_retrans_timer(t);
                }
            }
            RdAction::RouterLinkAddr { router, link_addr } => {
                let mut out = Vec::new();
                if let Some(n) = stack.neighbor.device_mut(dev) {
                    n.ndp.handle_link_addr(now, router, link_addr, &mut out);
                    n.ndp.set_router(router);
                }
                run_ndp_actions(stack, bc, dev, out);
            }
            RdAction::Autoconfigure(prefix) => {
                let mut out = Vec::new();
                if let Some(n) = stack.neighbor.device_mut(dev) {
                    n.slaac.handle_prefix(now, prefix, &mut out);
                }
                run_slaac_actions(stack, bc, dev, out);
            }
        }
    }
}

/// Carries out SLAAC's actions.
fn run_slaac_actions(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    actions: Vec<SlaacAction>,
) {
    for action in actions {
        match action {
            SlaacAction::AddAddress { addr, prefix_len } => {
                if stack
                    .add_address(bc, dev, IpAddr::V6(addr.into()), prefix_len)
                    .is_err()
                {
                    // Full address table, or configured by hand already: not ours to manage.
                    if let Some(n) = stack.neighbor.device_mut(dev) {
                        n.slaac.remove(addr);
                    }
                }
            }
            SlaacAction::Deprecate(a) | SlaacAction::Undeprecate(a) => {
                let tentative = stack
                    .neighbor
                    .device(dev)
                    .is_some_and(|n| n.dad.is_tentative(a));
                if !tentative {
                    let state = if matches!(action, SlaacAction::Deprecate(_)) {
                        AddressState::Deprecated
                    } else {
                        AddressState::Preferred
                    };
                    stack.set_address_state(dev, IpAddr::V6(a.into()), state);
                }
            }
            SlaacAction::RemoveAddress(a) => {
                stack.remove_address(bc, dev, IpAddr::V6(a.into()));
            }
        }
    }
}

/// Runs the due timers of DAD, router discovery and SLAAC on `dev`.
pub(crate) fn handle_timers(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    now: Instant,
) {
    let (mut dad_out, mut rd_out, mut slaac_out) = (Vec::new(), Vec::new(), Vec::new());
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    n.dad.handle_timers(now, &mut dad_out);
    n.rd.handle_timers(now, &mut rd_out);
    n.slaac.handle_timers(now, &mut slaac_out);
    run_dad_actions(stack, bc, dev, dad_out);
    run_rd_actions(stack, bc, dev, rd_out);
    run_slaac_actions(stack, bc, dev, slaac_out);
}
