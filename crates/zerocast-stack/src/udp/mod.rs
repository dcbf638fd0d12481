//! UDP (RFC 768, RFC 1122 section 4.1, RFC 8200 section 8.1): sockets and demultiplexing.
//!
//! A socket binds a local address and port (port 0 picks a free ephemeral port at random
//! within [`StackConfig::ephemeral_ports`](crate::StackConfig::ephemeral_ports); address
//! `0.0.0.0` receives IPv4 on every address, `[::]` receives both families, dual-stack as on
//! Linux with `IPV6_V6ONLY` off, and IPv4 peers appear as IPv4 socket addresses). It may
//! connect to a peer, which filters what it receives and sets where `udp_send` goes. Two
//! sockets may share a port when their addresses cannot both match a datagram, or when both
//! allowed sharing ([`Stack::udp_set_reuse_address`], like `SO_REUSEADDR`).
//!
//! Demultiplexing: a unicast datagram goes to the one best-matching socket (connected beats
//! unconnected, a specific local address beats a wildcard; among equals the lowest socket
//! id); a broadcast or multicast one goes to every matching socket. No match: ICMP Port
//! Unreachable for unicast (RFC 1122 4.1.3.1), silence otherwise.
//!
//! Checksums: a zero checksum is accepted over IPv4 (RFC 768: "no checksum") and rejected
//! over IPv6 (RFC 8200 section 8.1); the stack always sends checksums.
//!
//! Each socket's receive queue is bounded by
//! [`StackConfig::udp_recv_buffer`](crate::StackConfig::udp_recv_buffer) bytes, counting each
//! datagram as its length plus [`DATAGRAM_OVERHEAD`] so empty datagrams are bounded too; a
//! datagram that does not fit is dropped (tail drop, as Linux does) and counted.
//!
//! ICMP errors about a datagram a socket sent become its pending error. A connected socket
//! returns it from its next send or receive (as BSD sockets do); an unconnected one only
//! through [`Stack::udp_take_error`], so one unreachable client cannot break a server's loop.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use zerocast_wire::udp::{UdpPacket, UdpRepr};
use zerocast_wire::{IpProto, PseudoHeader};

use crate::context::{Bindings, DeviceId, Readiness, SocketId};
use crate::icmp::errors::{self, ErrorOrigin, Icmpv6Error};
use crate::icmp::QuotedDatagram;
use crate::ip::{self, DstKind, IpRx, SendOptions};
use crate::socket::{Socket, SocketError};
use crate::Stack;

pub mod transparent;

/// Bytes each queued datagram counts beyond its data, so a queue of empty datagrams is
/// bounded as well.
pub const DATAGRAM_OVERHEAD: usize = 64;

/// The largest buffer a socket keeps for reuse after its datagram was read (a full
/// Ethernet frame's worth): the next datagram of that size is queued without an
/// allocation, and the memory a socket holds beyond its queue stays this small.
pub const RECYCLED_BUFFER_MAX: usize = 2048;

/// Multicast groups one socket may join (Linux's `IP_MAX_MEMBERSHIPS` default), so the
/// device's group list is bounded by the socket table.
pub const MAX_MEMBERSHIPS: usize = 20;

#[derive(Debug)]
struct Datagram {
    from: SocketAddr,
    data: Vec<u8>,
}

/// One UDP socket.
#[derive(Debug, Default)]
pub(crate) struct UdpSocket {
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
    reuse_address: bool,
    queue: VecDeque<Datagram>,
    queued_bytes: usize,
    /// The buffer of the last datagram read, kept for the next one (at most
    /// [`RECYCLED_BUFFER_MAX`] bytes of capacity; empty when there is none).
    spare: Vec<u8>,
    memberships: Vec<(IpAddr, DeviceId)>,
    error: Option<SocketError>,
}

/// An IPv4-mapped IPv6 address as the IPv4 address it stands for; anything else unchanged.
// Inlined: out of line (LLVM merged it with TCP's identical `unmap`) the address went
// through memory, stored as a tag byte and four address bytes by the caller and read back
// as one 16-byte load, which store-to-load forwarding cannot serve (perf: 4 % of the UDP
// echo's time on that one load).
#[inline(always)]
fn unmap(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(a) => a.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

#[inline(always)]
fn unmap_socket(addr: SocketAddr) -> SocketAddr {
    // Per datagram: an IPv4 address passes through untouched.
    match addr {
        SocketAddr::V6(a) => match a.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(IpAddr::V4(v4), a.port()),
            None => addr,
        },
        SocketAddr::V4(_) => addr,
    }
}

/// How well a socket bound to `bound` matches a datagram to `dst` (None: not at all).
fn local_match(bound: IpAddr, dst: IpAddr) -> Option<u8> {
    let bound = unmap(bound);
    if bound == dst {
        return Some(2);
    }
    match bound {
        IpAddr::V4(b) if b.is_unspecified() && dst.is_ipv4() => Some(1),
        IpAddr::V6(b) if b.is_unspecified() => Some(1),
        _ => None,
    }
}

/// Whether two bound addresses could both match one datagram.
fn addresses_overlap(a: IpAddr, b: IpAddr) -> bool {
    let (a, b) = (unmap(a), unmap(b));
    a == b
        || (a.is_unspecified() && (a.is_ipv6() || b.is_ipv4()))
        || (b.is_unspecified() && (b.is_ipv6() || a.is_ipv4()))
}

impl UdpSocket {
    /// The bound local port.
    pub(crate) fn local_port(&self) -> Option<u16> {
        self.local.map(|l| l.port())
    }

    /// How well this socket matches a datagram from `src` to `dst`.
    fn match_score(&self, src: SocketAddr, dst: SocketAddr) -> Option<u8> {
        let local = self.local?;
        if local.port() != dst.port() {
            return None;
        }
        let mut score = local_match(local.ip(), dst.ip())?;
        if let Some(remote) = self.remote {
            if unmap_socket(remote) != src {
                return None;
            }
            score += 4;
        }
        Some(score)
    }

    fn readiness(&self) -> Readiness {
        Readiness {
            readable: !self.queue.is_empty(),
            writable: true,
            error: self.error.is_some(),
        }
    }
}

fn pseudo_header(src: IpAddr, dst: IpAddr) -> Option<PseudoHeader> {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Some(PseudoHeader::V4 {
            src: s.into(),
            dst: d.into(),
        }),
        (IpAddr::V6(s), IpAddr::V6(d)) => Some(PseudoHeader::V6 {
            src: s.into(),
            dst: d.into(),
        }),
        _ => None,
    }
}

/// Receives the UDP datagram described by `rx`.
pub(crate) fn receive(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    stack.counters.udp.rx += 1;
    let Some(message) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    let parsed = UdpPacket::parse(message, pseudo_header(rx.src, rx.dst));
    let Ok(udp) = parsed else {
        stack.counters.udp.malformed += 1;
        return;
    };
    let from = SocketAddr::new(rx.src, udp.src_port());
    let to = SocketAddr::new(rx.dst, udp.dst_port());
    let payload = udp.payload();
    if rx.dst_kind == DstKind::Unicast {
        // The common case allocates nothing but the queued copy: one best socket.
        let mut best: Option<(SocketId, u8)> = None;
        for (id, s) in stack.sockets.udp_on_port(to.port()) {
            if let Some(score) = s.match_score(from, to) {
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((id, score));
                }
            }
        }
        match best {
            Some((id, _)) => enqueue(stack, bc, id, from, payload),
            None if transparent::take_datagram(stack, bc, from, to, payload) => {}
            None => {
                stack.counters.udp.no_socket += 1;
                port_unreachable(stack, bc, rx, buf);
            }
        }
        return;
    }
    let members: Vec<SocketId> = stack
        .sockets
        .udp_on_port(to.port())
        .filter(|(_, s)| s.match_score(from, to).is_some())
        .map(|(id, _)| id)
        .collect();
    if members.is_empty() {
        stack.counters.udp.no_socket += 1;
    }
    for id in members {
        enqueue(stack, bc, id, from, payload);
    }
}

/// Queues a copy of `payload` on socket `id`, or counts it dropped when the queue is full.
fn enqueue(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    id: SocketId,
    from: SocketAddr,
    payload: &[u8],
) {
    let capacity = stack.config.udp_recv_buffer;
    let Ok(socket) = stack.sockets.udp_mut(id) else {
        return;
    };
    let cost = payload.len() + DATAGRAM_OVERHEAD;
    if socket.queued_bytes + cost > capacity {
        stack.counters.udp.queue_full += 1;
        return;
    }
    socket.queued_bytes += cost;
    let mut data = core::mem::take(&mut socket.spare);
    data.clear();
    data.extend_from_slice(payload);
    socket.queue.push_back(Datagram {
        from: unmap_socket(from),
        data,
    });
    stack.counters.udp.delivered += 1;
    let readiness = socket.readiness();
    bc.socket_ready(id, readiness);
}

/// RFC 1122 4.1.3.1 / RFC 4443 3.1: Port Unreachable for a unicast datagram nobody wants.
fn port_unreachable(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &[u8]) {
    let origin = ErrorOrigin {
        dev: rx.dev,
        link_multicast: rx.link_multicast,
    };
    let Some(packet) = buf.get(rx.ip_off..rx.end) else {
        return;
    };
    if rx.src.is_ipv4() {
        let repr = zerocast_wire::icmpv4::Icmpv4Repr::dest_unreachable(3, 0);
        errors::send_icmpv4_error(stack, bc, origin, packet, repr);
    } else {
        errors::send_icmpv6_error(stack, bc, origin, packet, Icmpv6Error::dest_unreachable(4));
    }
}

/// Records an ICMP error about a datagram we sent on the socket that sent it.
pub(crate) fn deliver_icmp_error(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    quoted: &QuotedDatagram<'_>,
    error: SocketError,
) {
    let Some(ports) = quoted.transport.get(..4) else {
        return;
    };
    let sport = u16::from_be_bytes([ports[0], ports[1]]);
    let dport = u16::from_be_bytes([ports[2], ports[3]]);
    // The datagram went from (quoted.src, sport) to (quoted.dst, dport): find its sender.
    let sent_from = SocketAddr::new(quoted.src, sport);
    let sent_to = SocketAddr::new(quoted.dst, dport);
    let mut best: Option<(SocketId, u8)> = None;
    for (id, s) in stack.sockets.udp_on_port(sport) {
        if let Some(score) = s.match_score(sent_to, sent_from) {
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((id, score));
            }
        }
    }
    let Some((id, _)) = best else { return };
    if let Ok(socket) = stack.sockets.udp_mut(id) {
        socket.error = Some(error);
        let readiness = socket.readiness();
        bc.socket_ready(id, readiness);
    }
}

impl Stack {
    /// Opens an unbound UDP socket.
    ///
    /// # Errors
    /// [`SocketError::TooManySockets`] when [`StackConfig::max_sockets`](crate::StackConfig::max_sockets) are open.
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.udp_open()?;
    /// assert_eq!(stack.udp_local_addr(s)?, None);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn udp_open(&mut self) -> Result<SocketId, SocketError> {
        self.sockets
            .insert(Socket::Udp(UdpSocket::default()), self.config.max_sockets)
    }

    /// Allows (or forbids) sharing the local port with other sockets that allow it too
    /// (`SO_REUSEADDR`-like). Set it before binding.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn udp_set_reuse_address(&mut self, id: SocketId, reuse: bool) -> Result<(), SocketError> {
        self.sockets.udp_mut(id)?.reuse_address = reuse;
        Ok(())
    }

    /// Binds the socket. Port 0 picks a free ephemeral port; the address may be unspecified
    /// (every address of its family; `[::]` takes IPv4 too), one of ours, or a multicast
    /// group. Returns the bound address.
    ///
    /// # Errors
    /// [`SocketError::AlreadyBound`], [`SocketError::AddressNotAvailable`] (not our address),
    /// [`SocketError::AddressInUse`], [`SocketError::NoFreePorts`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.udp_open()?;
    /// let bound = stack.udp_bind(&mut bc, s, "[::]:0".parse().unwrap())?;
    /// assert!(bound.port() >= 49152);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn udp_bind(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        local: SocketAddr,
    ) -> Result<SocketAddr, SocketError> {
        let socket = self.sockets.udp(id)?;
        if socket.local.is_some() {
            return Err(SocketError::AlreadyBound);
        }
        let ip = local.ip();
        let acceptable = unmap(ip).is_unspecified()
            || unmap(ip).is_multicast()
            || self.local_address_device(unmap(ip)).is_some();
        if !acceptable {
            return Err(SocketError::AddressNotAvailable);
        }
        let reuse = socket.reuse_address;
        let port = if local.port() == 0 {
            self.free_ephemeral_port(bc, ip)?
        } else {
            let conflict = self.sockets.udp_on_port(local.port()).any(|(other, s)| {
                other != id
                    && s.local
                        .is_some_and(|l| l.port() == local.port() && addresses_overlap(l.ip(), ip))
                    && !(reuse && s.reuse_address)
            });
            if conflict {
                return Err(SocketError::AddressInUse);
            }
            local.port()
        };
        let bound = SocketAddr::new(ip, port);
        self.sockets.udp_mut(id)?.local = Some(bound);
        self.sockets.index_udp_port(id, port);
        Ok(bound)
    }

    fn free_ephemeral_port(&self, bc: &mut impl Bindings, ip: IpAddr) -> Result<u16, SocketError> {
        let (lo, hi) = self.config.ephemeral_ports;
        if lo == 0 || hi < lo {
            return Err(SocketError::NoFreePorts);
        }
        let span = u32::from(hi - lo) + 1;
        // RFC 6056 section 3.3.1: a random starting point, then the next free port.
        let start = bc.below(u64::from(span)) as u32;
        for step in 0..span {
            let port = lo + ((start + step) % span) as u16;
            let taken = self.sockets.udp_on_port(port).any(|(_, s)| {
                s.local
                    .is_some_and(|l| l.port() == port && addresses_overlap(l.ip(), ip))
            });
            if !taken {
                return Ok(port);
            }
        }
        Err(SocketError::NoFreePorts)
    }

    /// Connects the socket to `remote` (binding it first to an ephemeral port if needed):
    /// only datagrams from `remote` are received, and [`Stack::udp_send`] goes there.
    ///
    /// # Errors
    /// [`SocketError::InvalidInput`] (port 0, unspecified address, family the socket cannot
    /// reach), routing errors, binding errors.
    pub fn udp_connect(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        remote: SocketAddr,
    ) -> Result<(), SocketError> {
        let remote = unmap_socket(remote);
        if remote.port() == 0 || remote.ip().is_unspecified() {
            return Err(SocketError::InvalidInput);
        }
        // As connect(2) does: fail now when there is no way to reach the peer.
        ip::route_output(self, bc.now(), remote.ip(), None, None)?;
        self.ensure_bound(bc, id, remote.ip())?;
        let socket = self.sockets.udp_mut(id)?;
        socket.remote = Some(remote);
        socket.error = None;
        Ok(())
    }

    fn ensure_bound(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        towards: IpAddr,
    ) -> Result<SocketAddr, SocketError> {
        if let Some(local) = self.sockets.udp(id)?.local {
            return Ok(local);
        }
        let any = if towards.is_ipv4() {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        };
        self.udp_bind(bc, id, SocketAddr::new(any, 0))
    }

    /// The bound local address (`None` before bind / connect / first send).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn udp_local_addr(&self, id: SocketId) -> Result<Option<SocketAddr>, SocketError> {
        Ok(self.sockets.udp(id)?.local)
    }

    /// The connected peer, if any.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn udp_peer_addr(&self, id: SocketId) -> Result<Option<SocketAddr>, SocketError> {
        Ok(self.sockets.udp(id)?.remote)
    }

    /// Sends one datagram to `remote`; returns the bytes sent. An unbound socket is bound to
    /// an ephemeral port first.
    ///
    /// # Errors
    /// [`SocketError::InvalidInput`] (port 0, family mismatch), [`SocketError::NoRoute`],
    /// [`SocketError::AddressNotAvailable`], [`SocketError::MessageTooLong`] (over 65507 /
    /// 65527 bytes of data), or a connected socket's pending ICMP error (returned once).
    pub fn udp_send_to(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        data: &[u8],
        remote: SocketAddr,
    ) -> Result<usize, SocketError> {
        let remote = unmap_socket(remote);
        if remote.port() == 0 || remote.ip().is_unspecified() {
            return Err(SocketError::InvalidInput);
        }
        {
            let socket = self.sockets.udp_mut(id)?;
            if socket.remote.is_some() {
                if let Some(e) = socket.error.take() {
                    return Err(e);
                }
            }
        }
        // The bound address read from the socket, not from `ensure_bound`'s result: that
        // result was stored as two 16-byte halves and read back across them (a stalled
        // store-to-load forward, 15 % of the inlined send's samples).
        if self.sockets.udp(id)?.local.is_none() {
            self.ensure_bound(bc, id, remote.ip())?;
        }
        let local = self
            .sockets
            .udp(id)?
            .local
            .ok_or(SocketError::InvalidInput)?;
        let pinned_src = match unmap(local.ip()) {
            a if a.is_unspecified() || a.is_multicast() => None,
            a => Some(a),
        };
        if pinned_src.is_some_and(|s| s.is_ipv4() != remote.ip().is_ipv4())
            || (local.ip() == IpAddr::V4(Ipv4Addr::UNSPECIFIED) && remote.is_ipv6())
        {
            return Err(SocketError::InvalidInput);
        }
        // A multicast datagram leaves through the device of the socket's first membership of
        // that family (IP_MULTICAST_IF-like), else by the routing table.
        let pin = if remote.ip().is_multicast() {
            self.sockets
                .udp(id)?
                .memberships
                .iter()
                .find(|(g, _)| g.is_ipv4() == remote.is_ipv4())
                .map(|(_, d)| *d)
        } else {
            None
        };
        let route = ip::route_output(self, bc.now(), remote.ip(), pinned_src, pin)?;
        let max = usize::from(u16::MAX)
            - zerocast_wire::udp::HEADER_LEN
            - if remote.is_ipv4() { 20 } else { 0 };
        if data.len() > max {
            return Err(SocketError::MessageTooLong);
        }
        let repr = UdpRepr {
            src_port: local.port(),
            dst_port: remote.port(),
        };
        let pseudo = pseudo_header(route.src, route.dst);
        let options = SendOptions {
            // Link-scoped multicast never crosses a router; others get the default TTL.
            hop_limit: remote.ip().is_multicast().then_some(1),
            dont_fragment: false,
        };
        let len = zerocast_wire::udp::HEADER_LEN + data.len();
        ip::send_ip_with(self, bc, &route, IpProto::UDP, len, options, |datagram| {
            datagram[zerocast_wire::udp::HEADER_LEN..].copy_from_slice(data);
            repr.emit(datagram, pseudo)
                .map_err(|_| SocketError::MessageTooLong)
        })?;
        self.counters.udp.tx += 1;
        self.run_loopback(bc);
        Ok(data.len())
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    /// [`SocketError::NotConnected`], or those of [`Stack::udp_send_to`].
    pub fn udp_send(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        data: &[u8],
    ) -> Result<usize, SocketError> {
        let remote = self
            .sockets
            .udp(id)?
            .remote
            .ok_or(SocketError::NotConnected)?;
        self.udp_send_to(bc, id, data, remote)
    }

    /// Takes the oldest queued datagram: copies as much as fits into `buf` (the rest of the
    /// datagram is discarded, as with `recv` on a datagram socket) and returns the copied
    /// length and the sender.
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when the queue is empty, [`SocketError::InvalidSocket`],
    /// or a connected socket's pending ICMP error (returned once).
    pub fn udp_recv_from(
        &mut self,
        id: SocketId,
        buf: &mut [u8],
    ) -> Result<(usize, SocketAddr), SocketError> {
        let socket = self.sockets.udp_mut(id)?;
        if socket.remote.is_some() {
            if let Some(e) = socket.error.take() {
                return Err(e);
            }
        }
        let d = socket.queue.pop_front().ok_or(SocketError::WouldBlock)?;
        socket.queued_bytes -= d.data.len() + DATAGRAM_OVERHEAD;
        let n = d.data.len().min(buf.len());
        buf[..n].copy_from_slice(&d.data[..n]);
        if d.data.capacity() <= RECYCLED_BUFFER_MAX && socket.spare.capacity() == 0 {
            socket.spare = d.data;
        }
        Ok((n, d.from))
    }

    /// Takes the socket's pending ICMP error, if any.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn udp_take_error(&mut self, id: SocketId) -> Result<Option<SocketError>, SocketError> {
        Ok(self.sockets.udp_mut(id)?.error.take())
    }

    /// Joins multicast `group` on `dev` for this socket (the device listens while any socket
    /// or the stack itself is a member).
    ///
    /// # Errors
    /// [`SocketError::InvalidInput`] for a non-multicast group or an unknown device.
    pub fn udp_join_multicast(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        group: IpAddr,
        dev: DeviceId,
    ) -> Result<(), SocketError> {
        let group = unmap(group);
        if !group.is_multicast() || self.devices.get(dev.index()).is_none() {
            return Err(SocketError::InvalidInput);
        }
        let socket = self.sockets.udp_mut(id)?;
        if socket.memberships.contains(&(group, dev)) {
            return Ok(());
        }
        if socket.memberships.len() >= MAX_MEMBERSHIPS {
            return Err(SocketError::TooManyMemberships);
        }
        socket.memberships.push((group, dev));
        self.join_multicast_group(bc, dev, group);
        Ok(())
    }

    /// Leaves a group joined with [`Stack::udp_join_multicast`].
    ///
    /// # Errors
    /// [`SocketError::InvalidInput`] when the socket is not a member.
    pub fn udp_leave_multicast(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        group: IpAddr,
        dev: DeviceId,
    ) -> Result<(), SocketError> {
        let group = unmap(group);
        let socket = self.sockets.udp_mut(id)?;
        let Some(i) = socket.memberships.iter().position(|m| *m == (group, dev)) else {
            return Err(SocketError::InvalidInput);
        };
        socket.memberships.swap_remove(i);
        self.leave_multicast_group(bc, dev, group);
        Ok(())
    }

    /// Closes the socket, leaving its multicast groups.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn udp_close(&mut self, bc: &mut impl Bindings, id: SocketId) -> Result<(), SocketError> {
        self.sockets.udp(id)?;
        self.transparent.forget(id);
        if let Some(Socket::Udp(s)) = self.sockets.remove(id) {
            for (group, dev) in s.memberships {
                self.leave_multicast_group(bc, dev, group);
            }
        }
        Ok(())
    }
}
