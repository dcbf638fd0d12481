//! The routing table: longest-prefix match over on-link and gateway routes of both families.
//!
//! A route says "destinations in `destination/prefix_len` leave through `device`, to
//! `gateway` if there is one, else directly (on-link)". A default route is the prefix of
//! length 0. Lookup picks the longest matching prefix; among equally long ones, the lower
//! metric, then the route added first. The table is bounded
//! ([`StackConfig::max_routes`](crate::StackConfig::max_routes)); adding past the bound
//! fails instead of evicting, since silently forgetting a route would misroute traffic.

use alloc::vec::Vec;
use core::net::IpAddr;

use crate::context::DeviceId;

/// One route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The destination prefix (host bits beyond `prefix_len` are zero).
    pub destination: IpAddr,
    /// Prefix length (0 = default route).
    pub prefix_len: u8,
    /// The outgoing device.
    pub device: DeviceId,
    /// The next hop; `None` for an on-link route (the destination itself is the next hop).
    pub gateway: Option<IpAddr>,
    /// Preference among routes of equal prefix length: lower wins.
    pub metric: u32,
}

/// Why a route could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// The device does not exist.
    NoSuchDevice,
    /// Prefix length above 32 (IPv4) or 128 (IPv6).
    InvalidPrefixLength,
    /// The gateway is of the other family than the destination, or not unicast.
    InvalidGateway,
    /// The same route (prefix, device, gateway) exists.
    AlreadyExists,
    /// The table holds [`StackConfig::max_routes`](crate::StackConfig::max_routes) routes.
    TableFull,
}

impl core::fmt::Display for RouteError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            RouteError::NoSuchDevice => "no such device",
            RouteError::InvalidPrefixLength => "prefix length too long for the family",
            RouteError::InvalidGateway => "gateway must be a unicast address of the same family",
            RouteError::AlreadyExists => "route already exists",
            RouteError::TableFull => "routing table full",
        })
    }
}

impl core::error::Error for RouteError {}

/// The longest prefix length of `addr`'s family (32 or 128).
///
/// ```
/// use zerocast_stack::ip::route::max_prefix_len;
/// assert_eq!(max_prefix_len(&"::1".parse().unwrap()), 128);
/// ```
#[must_use]
pub const fn max_prefix_len(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// `addr` with every bit after the first `prefix_len` cleared (`prefix_len` is clamped to
/// the family's width).
///
/// ```
/// use zerocast_stack::ip::route::mask;
/// assert_eq!(mask("10.1.2.3".parse().unwrap(), 16), "10.1.0.0".parse::<core::net::IpAddr>().unwrap());
/// ```
#[must_use]
pub fn mask(addr: IpAddr, prefix_len: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let len = u32::from(prefix_len.min(32));
            let m = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            IpAddr::V4((u32::from(a) & m).into())
        }
        IpAddr::V6(a) => {
            let len = u32::from(prefix_len.min(128));
            let m = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            IpAddr::V6((u128::from(a) & m).into())
        }
    }
}

/// Whether `addr` lies in `prefix/prefix_len` (always false across families).
///
/// ```
/// use zerocast_stack::ip::route::prefix_matches;
/// let p = "2001:db8::".parse().unwrap();
/// assert!(prefix_matches(p, 32, "2001:db8:1::5".parse().unwrap()));
/// assert!(!prefix_matches(p, 32, "10.0.0.1".parse().unwrap()));
/// ```
#[must_use]
pub fn prefix_matches(prefix: IpAddr, prefix_len: u8, addr: IpAddr) -> bool {
    // On the lookup path of every packet: compare the masked integers directly.
    match (prefix, addr) {
        (IpAddr::V4(p), IpAddr::V4(a)) => {
            let m = u32::MAX
                .checked_shl(32 - u32::from(prefix_len.min(32)))
                .unwrap_or(0);
            (u32::from(p) ^ u32::from(a)) & m == 0
        }
        (IpAddr::V6(p), IpAddr::V6(a)) => {
            let m = u128::MAX
                .checked_shl(128 - u32::from(prefix_len.min(128)))
                .unwrap_or(0);
            (u128::from(p) ^ u128::from(a)) & m == 0
        }
        _ => false,
    }
}

/// The routing table.
#[derive(Debug, Clone, Default)]
pub struct RoutingTable {
    routes: Vec<Route>,
    /// Counts changes, so answers derived from the table can tell they are stale.
    generation: u64,
}

impl RoutingTable {
    /// An empty table.
    #[must_use]
    pub const fn new() -> Self {
        RoutingTable {
            routes: Vec::new(),
            generation: 0,
        }
    }

    /// A number that grows with every change to the table (a route added or removed).
    ///
    /// ```
    /// use zerocast_stack::ip::route::RoutingTable;
    /// let mut t = RoutingTable::new();
    /// let before = t.generation();
    /// t.retain(|_| true);
    /// assert!(t.generation() > before);
    /// ```
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds `route` (its destination is masked to its prefix), keeping at most `max` routes.
    ///
    /// # Errors
    /// [`RouteError::InvalidPrefixLength`], [`RouteError::InvalidGateway`],
    /// [`RouteError::AlreadyExists`], [`RouteError::TableFull`].
    pub fn add(&mut self, mut route: Route, max: usize) -> Result<(), RouteError> {
        if route.prefix_len > max_prefix_len(&route.destination) {
            return Err(RouteError::InvalidPrefixLength);
        }
        if let Some(gw) = route.gateway {
            let unicast = match gw {
                IpAddr::V4(g) => !(g.is_unspecified() || g.is_multicast() || g.is_broadcast()),
                IpAddr::V6(g) => !(g.is_unspecified() || g.is_multicast()),
            };
            if gw.is_ipv4() != route.destination.is_ipv4() || !unicast {
                return Err(RouteError::InvalidGateway);
            }
        }
        route.destination = mask(route.destination, route.prefix_len);
        if self.routes.iter().any(|r| {
            r.destination == route.destination
                && r.prefix_len == route.prefix_len
                && r.device == route.device
                && r.gateway == route.gateway
        }) {
            return Err(RouteError::AlreadyExists);
        }
        if self.routes.len() >= max {
            return Err(RouteError::TableFull);
        }
        self.routes.push(route);
        self.generation += 1;
        Ok(())
    }

    /// Removes the routes matching prefix, device and gateway; returns how many.
    pub fn remove(
        &mut self,
        destination: IpAddr,
        prefix_len: u8,
        device: DeviceId,
        gateway: Option<IpAddr>,
    ) -> usize {
        let destination = mask(destination, prefix_len);
        let before = self.routes.len();
        self.generation += 1;
        self.routes.retain(|r| {
            !(r.destination == destination
                && r.prefix_len == prefix_len
                && r.device == device
                && r.gateway == gateway)
        });
        before - self.routes.len()
    }

    /// Removes every route through `device` matching `keep == false`.
    pub fn retain(&mut self, keep: impl FnMut(&Route) -> bool) {
        self.generation += 1;
        self.routes.retain(keep);
    }

    /// The best route to `dst`: longest prefix, then lowest metric, then oldest.
    #[must_use]
    pub fn lookup(&self, dst: IpAddr) -> Option<&Route> {
        self.lookup_filtered(dst, |_| true)
    }

    /// Like [`RoutingTable::lookup`], considering only routes for which `allow` holds (to pin
    /// the outgoing device).
    #[must_use]
    pub fn lookup_filtered(&self, dst: IpAddr, allow: impl Fn(&Route) -> bool) -> Option<&Route> {
        let mut best: Option<&Route> = None;
        for r in &self.routes {
            if !prefix_matches(r.destination, r.prefix_len, dst) || !allow(r) {
                continue;
            }
            let better = match best {
                None => true,
                Some(b) => {
                    r.prefix_len > b.prefix_len
                        || (r.prefix_len == b.prefix_len && r.metric < b.metric)
                }
            };
            if better {
                best = Some(r);
            }
        }
        best
    }

    /// All routes, in insertion order.
    #[must_use]
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn route(dst: &str, len: u8, dev: u32, gw: Option<&str>) -> Route {
        Route {
            destination: ip(dst),
            prefix_len: len,
            device: DeviceId(dev),
            gateway: gw.map(ip),
            metric: 0,
        }
    }

    #[test]
    fn longest_prefix_wins_regardless_of_insertion_order() {
        let mut t = RoutingTable::new();
        t.add(route("0.0.0.0", 0, 0, Some("10.0.0.1")), 8).unwrap();
        t.add(route("10.1.0.0", 16, 1, None), 8).unwrap();
        t.add(route("10.0.0.0", 8, 2, None), 8).unwrap();
        assert_eq!(t.lookup(ip("10.1.2.3")).unwrap().device, DeviceId(1));
        assert_eq!(t.lookup(ip("10.2.2.3")).unwrap().device, DeviceId(2));
        let default = t.lookup(ip("192.0.2.1")).unwrap();
        assert_eq!(
            (default.device, default.gateway),
            (DeviceId(0), Some(ip("10.0.0.1")))
        );
    }

    #[test]
    fn families_never_match_each_other() {
        let mut t = RoutingTable::new();
        t.add(route("0.0.0.0", 0, 0, None), 8).unwrap();
        assert!(t.lookup(ip("2001:db8::1")).is_none());
        t.add(route("::", 0, 1, Some("fe80::1")), 8).unwrap();
        assert_eq!(t.lookup(ip("2001:db8::1")).unwrap().device, DeviceId(1));
    }

    #[test]
    fn lower_metric_breaks_ties_then_insertion_order() {
        let mut t = RoutingTable::new();
        t.add(route("2001:db8::", 32, 0, None), 8).unwrap();
        t.add(route("2001:db8::", 32, 1, None), 8).unwrap();
        assert_eq!(t.lookup(ip("2001:db8::9")).unwrap().device, DeviceId(0));
        let mut preferred = route("2001:db8::", 32, 2, None);
        preferred.metric = 0;
        t.routes[0].metric = 10;
        t.routes[1].metric = 10;
        t.add(preferred, 8).unwrap();
        assert_eq!(t.lookup(ip("2001:db8::9")).unwrap().device, DeviceId(2));
    }

    #[test]
    fn table_is_bounded_and_rejects_bad_routes() {
        let mut t = RoutingTable::new();
        t.add(route("10.0.0.0", 8, 0, None), 1).unwrap();
        assert_eq!(
            t.add(route("10.0.0.0", 8, 0, None), 2),
            Err(RouteError::AlreadyExists)
        );
        assert_eq!(
            t.add(route("11.0.0.0", 8, 0, None), 1),
            Err(RouteError::TableFull)
        );
        assert_eq!(
            t.add(route("11.0.0.0", 33, 0, None), 9),
            Err(RouteError::InvalidPrefixLength)
        );
        assert_eq!(
            t.add(route("11.0.0.0", 8, 0, Some("::1")), 9),
            Err(RouteError::InvalidGateway)
        );
        assert_eq!(t.remove(ip("10.9.9.9"), 8, DeviceId(0), None), 1);
        assert!(t.lookup(ip("10.0.0.1")).is_none());
    }

    #[test]
    fn host_bits_of_the_destination_are_ignored() {
        let mut t = RoutingTable::new();
        t.add(route("10.1.2.3", 24, 0, None), 4).unwrap();
        assert_eq!(t.routes()[0].destination, ip("10.1.2.0"));
        assert!(t.lookup(ip("10.1.2.200")).is_some());
        assert!(t.lookup(ip("10.1.3.1")).is_none());
    }
}
