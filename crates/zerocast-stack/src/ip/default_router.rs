//! Default router selection (RFC 4861 section 6.3.6): among several IPv6 default routes,
//! a router that is reachable or probably reachable (a Neighbor Cache entry in any state
//! but INCOMPLETE, and here not UNREACHABLE either) is preferred over one whose
//! reachability is unknown (no entry) or suspect (INCOMPLETE, UNREACHABLE), so traffic
//! moves to a working router when the preferred one stops answering.
//!
//! The choice depends on neighbour state, which changes with every exchange, so an answer
//! that had more than one default router to choose from is not kept in the route cache.

use core::net::IpAddr;

use crate::context::DeviceId;
use crate::ip::route::Route;
use crate::neighbor::nud::NudState;
use crate::Stack;

/// Whether `router` on `dev` is reachable or probably reachable (RFC 4861 section 6.3.6).
fn probably_reachable(stack: &Stack, dev: DeviceId, router: IpAddr) -> bool {
    let state = stack.neighbor(dev, router).map(|(state, _)| state);
    !matches!(
        state,
        None | Some(NudState::Incomplete | NudState::Unreachable)
    )
}

/// The default route to use instead of `chosen` (the routing table's pick) and whether
/// several default routers competed. Only IPv6 default routes through a router are
/// considered; `allow` is the lookup's device pin. Among the probably reachable routers
/// the lowest metric wins, then the oldest route; when none is, `chosen` stays (its
/// resolution will tell).
pub(crate) fn select(
    stack: &Stack,
    chosen: Route,
    allow: impl Fn(&Route) -> bool,
) -> (Route, bool) {
    let is_candidate =
        |r: &Route| r.prefix_len == 0 && r.destination.is_ipv6() && r.gateway.is_some() && allow(r);
    if !is_candidate(&chosen) {
        return (chosen, false);
    }
    let mut candidates = stack.routes.routes().iter().filter(|r| is_candidate(r));
    let contested = candidates.clone().nth(1).is_some();
    let reachable = |r: &Route| {
        r.gateway
            .is_some_and(|g| probably_reachable(stack, r.device, g))
    };
    if !contested || reachable(&chosen) {
        return (chosen, contested);
    }
    let better = candidates
        .by_ref()
        .filter(|r| reachable(r))
        .fold(None::<&Route>, |best, r| match best {
            Some(b) if b.metric <= r.metric => Some(b),
            _ => Some(r),
        });
    (better.copied().unwrap_or(chosen), true)
}
