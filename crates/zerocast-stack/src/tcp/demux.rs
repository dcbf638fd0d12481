//! The stack's TCP tables: connections by 4-tuple, listeners and bound sockets by port, and
//! the sockets the application holds.
//!
//! A connection lives in a slot of its own (a [`ConnId`]) rather than inside a socket,
//! because it outlives its socket (after `tcp_close` it finishes the FIN handshake owned by
//! the stack) and exists before one (a listener's half-open and not-yet-accepted ones).

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use super::conn::Conn;
use super::isn::IsnGenerator;
use super::ports::PortAllocator;
use super::rules::ChallengeAckLimiter;
use super::socket_options::TcpSocketOptions;
use super::syn_cookie::SynCookies;
use crate::context::SocketId;
use crate::socket::SocketError;

/// Identifies a connection slot.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ConnId(pub(crate) u32);

/// A connection and who holds it.
#[derive(Debug)]
pub(crate) struct ConnEntry {
    /// Boxed: a connection is hundreds of bytes, and `run_conn` takes the entry out of the
    /// table and puts it back for every segment and call (two moves of the whole state).
    pub(crate) conn: Box<Conn>,
    /// The application's socket, if it has one (none: orphaned, or not yet accepted).
    pub(crate) socket: Option<SocketId>,
    /// The listener it came from, until it is accepted.
    pub(crate) listener: Option<SocketId>,
    /// Whether it is in `by_tuple` (closed connections a socket still holds are not).
    pub(crate) indexed: bool,
    /// It counts against its listener's SYN queue (SYN-RECEIVED from a listener), until
    /// it is established or ends.
    pub(crate) half_open: bool,
    /// The connection's `next_deadline` when its timer was last synced: `run_conn` compares
    /// against it instead of computing the deadline before every call as well as after.
    pub(crate) deadline: Option<crate::time::Instant>,
    /// The instant the stack's timer heap holds for it (at or before `deadline`; see
    /// `io::sync_timer`), so syncing needs no heap lookup.
    pub(crate) heap_at: Option<crate::time::Instant>,
}

/// A listening socket's queues.
#[derive(Debug, Default)]
pub(crate) struct Listener {
    pub(crate) backlog: usize,
    /// Established connections waiting for `tcp_accept`.
    pub(crate) accept_queue: VecDeque<ConnId>,
    /// Half-open connections (SYN-RECEIVED) it spawned.
    pub(crate) half_open: usize,
    /// When it last answered a SYN with a cookie; ACKs are checked as cookies only for
    /// two cookie periods after that (as Linux does), so a guessed cookie needs a flood.
    pub(crate) cookies_sent_at: Option<crate::time::Instant>,
}

/// What a TCP socket is.
#[derive(Debug)]
pub(crate) enum TcpSocketKind {
    /// Opened (maybe bound), not yet listening or connected.
    Idle,
    Listener(Listener),
    Conn(ConnId),
}

/// A TCP socket of the socket table.
#[derive(Debug)]
pub(crate) struct TcpSocket {
    pub(crate) local: Option<SocketAddr>,
    pub(crate) kind: TcpSocketKind,
    pub(crate) options: TcpSocketOptions,
    /// An error of a socket whose connection is gone.
    pub(crate) error: Option<SocketError>,
}

impl TcpSocket {
    pub(crate) fn new() -> TcpSocket {
        TcpSocket {
            local: None,
            kind: TcpSocketKind::Idle,
            options: TcpSocketOptions::default(),
            error: None,
        }
    }
}

/// A connection's 4-tuple as integers, the key of `by_tuple`: comparing `SocketAddr`
/// pairs (enum variants, then byte slices) made each step of the map's walk several times
/// dearer. Two keys are equal exactly when the two address pairs are (every field of
/// `SocketAddrV6` is kept); the order is another, which nothing depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TupleKey {
    /// Both ports, the field that differs first between a host's connections.
    ports: u32,
    remote: u128,
    local: u128,
    /// IPv6 scope ids and flow labels (zero for IPv4), and the families.
    extra: [u32; 4],
    v6: (bool, bool),
}

impl TupleKey {
    fn new(local: SocketAddr, remote: SocketAddr) -> TupleKey {
        fn ip(a: SocketAddr) -> (u128, u32, u32, bool) {
            match a {
                SocketAddr::V4(v4) => (u128::from(u32::from(*v4.ip())), 0, 0, false),
                SocketAddr::V6(v6) => (u128::from(*v6.ip()), v6.scope_id(), v6.flowinfo(), true),
            }
        }
        let (l, l_scope, l_flow, l_v6) = ip(local);
        let (r, r_scope, r_flow, r_v6) = ip(remote);
        TupleKey {
            ports: u32::from(local.port()) << 16 | u32::from(remote.port()),
            remote: r,
            local: l,
            extra: [l_scope, l_flow, r_scope, r_flow],
            v6: (l_v6, r_v6),
        }
    }
}

/// Per-stack TCP state.
#[derive(Debug, Default)]
pub(crate) struct TcpTable {
    conns: Vec<Option<ConnEntry>>,
    free: Vec<u32>,
    by_tuple: BTreeMap<TupleKey, ConnId>,
    /// The last 4-tuple `lookup_cached` found in `by_tuple`, cleared whenever `by_tuple`
    /// changes, so it always agrees with it: a bulk transfer's segments skip the map walk
    /// (a `BTreeMap::get` comparing `SocketAddr` pairs was 1 % of its instructions).
    last_found: Option<(SocketAddr, SocketAddr, ConnId)>,
    /// Sockets bound to each local port (listeners, connecting and idle bound sockets).
    pub(crate) bound: BTreeMap<u16, Vec<SocketId>>,
    pub(crate) challenge: ChallengeAckLimiter,
    /// RFC 6528 ISN and RFC 4987 SYN-cookie keys, drawn from the RNG on first use (the
    /// stack is created without bindings).
    secrets: Option<Secrets>,
    /// RFC 6056 ephemeral port selection, keyed from the RNG on the first `tcp_connect`.
    pub(crate) ports: Option<PortAllocator>,
    /// The segment list `run_conn` lends each call, kept with its capacity: a fresh `Vec`
    /// per call cost a `malloc` and a `free` for every segment sent (3 % of a round trip).
    pub(crate) out_scratch: Vec<super::segment::OutSegment>,
}

/// The stack's TCP secrets.
#[derive(Debug, Clone)]
pub(crate) struct Secrets {
    pub(crate) isn: IsnGenerator,
    pub(crate) cookies: SynCookies,
}

/// An IPv4-mapped IPv6 address as the IPv4 address it stands for.
pub(crate) fn unmap(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(a) => a.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

pub(crate) fn unmap_socket(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(unmap(addr.ip()), addr.port())
}

/// How well a socket bound to `bound` matches a packet to `dst` (None: not at all):
/// a specific address beats a wildcard; `[::]` takes IPv4 too (dual stack, as UDP).
pub(crate) fn local_match(bound: IpAddr, dst: IpAddr) -> Option<u8> {
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

/// Whether two bound addresses could both match one packet.
pub(crate) fn addresses_overlap(a: IpAddr, b: IpAddr) -> bool {
    let (a, b) = (unmap(a), unmap(b));
    a == b
        || (a.is_unspecified() && (a.is_ipv6() || b.is_ipv4()))
        || (b.is_unspecified() && (b.is_ipv6() || a.is_ipv4()))
}

impl TcpTable {
    /// The ISN generator and SYN-cookie maker, keyed from `bc` the first time.
    pub(crate) fn secrets(&mut self, bc: &mut impl crate::context::Rng) -> &Secrets {
        self.secrets.get_or_insert_with(|| {
            let mut key = || {
                let mut k = [0u8; 16];
                k[..8].copy_from_slice(&bc.next_u64().to_le_bytes());
                k[8..].copy_from_slice(&bc.next_u64().to_le_bytes());
                k
            };
            Secrets {
                isn: IsnGenerator::new(key()),
                cookies: SynCookies::new(key()),
            }
        })
    }

    /// The ephemeral port allocator, keyed from `bc` the first time.
    pub(crate) fn key_ports(&mut self, bc: &mut impl crate::context::Rng) {
        if self.ports.is_none() {
            let mut key = || {
                let mut k = [0u8; 16];
                k[..8].copy_from_slice(&bc.next_u64().to_le_bytes());
                k[8..].copy_from_slice(&bc.next_u64().to_le_bytes());
                k
            };
            let (f, g) = (key(), key());
            self.ports = Some(PortAllocator::new(f, g));
        }
    }

    /// Stores a connection; returns its id.
    pub(crate) fn insert(&mut self, entry: ConnEntry) -> ConnId {
        let key = (entry.conn.local, entry.conn.remote);
        let id = match self.free.pop() {
            Some(i) => {
                if let Some(slot) = self.conns.get_mut(i as usize) {
                    *slot = Some(entry);
                }
                ConnId(i)
            }
            None => {
                self.conns.push(Some(entry));
                ConnId(u32::try_from(self.conns.len() - 1).unwrap_or(u32::MAX))
            }
        };
        self.last_found = None;
        self.by_tuple.insert(TupleKey::new(key.0, key.1), id);
        if let Some(Some(e)) = self.conns.get_mut(id.0 as usize) {
            e.indexed = true;
        }
        id
    }

    pub(crate) fn get(&self, id: ConnId) -> Option<&ConnEntry> {
        self.conns.get(id.0 as usize)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, id: ConnId) -> Option<&mut ConnEntry> {
        self.conns.get_mut(id.0 as usize)?.as_mut()
    }

    /// Takes a connection out to work on it while the stack is borrowed; `put_back` returns it.
    pub(crate) fn take(&mut self, id: ConnId) -> Option<ConnEntry> {
        self.conns.get_mut(id.0 as usize)?.take()
    }

    pub(crate) fn put_back(&mut self, id: ConnId, entry: ConnEntry) {
        if let Some(slot) = self.conns.get_mut(id.0 as usize) {
            *slot = Some(entry);
        }
    }

    /// Removes the 4-tuple index of a connection (new segments for it find no connection).
    pub(crate) fn unindex(&mut self, id: ConnId, key: (SocketAddr, SocketAddr)) {
        self.unindex_key(id, TupleKey::new(key.0, key.1));
    }

    /// Drops `key` from the 4-tuple index if it names `id` (a newer connection may have
    /// taken the tuple over): one walk of the map, through its entry, instead of a lookup
    /// and then a remove (every connection's teardown comes here).
    fn unindex_key(&mut self, id: ConnId, key: TupleKey) {
        if let alloc::collections::btree_map::Entry::Occupied(entry) = self.by_tuple.entry(key) {
            if *entry.get() == id {
                self.last_found = None;
                entry.remove();
            }
        }
    }

    /// Frees a slot (its entry must already be taken or unindexed).
    pub(crate) fn free_slot(&mut self, id: ConnId) {
        if let Some(slot) = self.conns.get_mut(id.0 as usize) {
            if let Some(e) = slot.take() {
                self.unindex_key(id, TupleKey::new(e.conn.local, e.conn.remote));
            }
            self.free.push(id.0);
        }
    }

    /// The connection for a segment from `remote` to `local`.
    pub(crate) fn lookup(&self, local: SocketAddr, remote: SocketAddr) -> Option<ConnId> {
        self.by_tuple.get(&TupleKey::new(local, remote)).copied()
    }

    /// [`TcpTable::lookup`] that remembers its answer for the next segment of the same
    /// connection.
    pub(crate) fn lookup_cached(
        &mut self,
        local: SocketAddr,
        remote: SocketAddr,
    ) -> Option<ConnId> {
        if let Some((l, r, id)) = self.last_found {
            if l == local && r == remote {
                return Some(id);
            }
        }
        let id = self.lookup(local, remote)?;
        self.last_found = Some((local, remote, id));
        Some(id)
    }

    /// Whether the 4-tuple is in use.
    pub(crate) fn tuple_in_use(&self, local: SocketAddr, remote: SocketAddr) -> bool {
        self.by_tuple.contains_key(&TupleKey::new(local, remote))
    }

    /// Records that socket `id` is bound to `port`.
    pub(crate) fn index_port(&mut self, id: SocketId, port: u16) {
        let ids = self.bound.entry(port).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    pub(crate) fn unindex_port(&mut self, id: SocketId, port: u16) {
        if let Some(ids) = self.bound.get_mut(&port) {
            ids.retain(|i| *i != id);
            if ids.is_empty() {
                self.bound.remove(&port);
            }
        }
    }

    /// The sockets bound to `port`.
    pub(crate) fn bound_on(&self, port: u16) -> &[SocketId] {
        self.bound.get(&port).map_or(&[], Vec::as_slice)
    }

    /// Live connections (for tests and the fuzzer's invariants).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (ConnId, &ConnEntry)> {
        self.conns
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((ConnId(u32::try_from(i).ok()?), e.as_ref()?)))
    }

    /// How many connections are stored.
    #[cfg(any(test, feature = "testutil"))]
    pub(crate) fn len(&self) -> usize {
        self.conns.iter().filter(|e| e.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::{ConnId, TcpTable, TupleKey};
    use core::net::{Ipv6Addr, SocketAddr, SocketAddrV6};

    /// Unindexing an older connection leaves the tuple to the newer one that took it over
    /// (TIME-WAIT reuse); unindexing the owner removes it.
    #[test]
    fn unindex_removes_the_tuple_only_for_the_connection_it_names() {
        let local: SocketAddr = "10.0.0.2:80".parse().unwrap();
        let remote: SocketAddr = "10.0.0.1:1000".parse().unwrap();
        let mut t = TcpTable::default();
        t.by_tuple.insert(TupleKey::new(local, remote), ConnId(2));
        t.unindex(ConnId(1), (local, remote));
        assert_eq!(t.lookup(local, remote), Some(ConnId(2)));
        t.unindex(ConnId(2), (local, remote));
        assert_eq!(t.lookup(local, remote), None);
    }

    /// The integer key tells apart exactly the address pairs that differ: family (an IPv4
    /// address and its IPv4-mapped IPv6 form), ports either way round, IPv6 scope and flow.
    #[test]
    fn tuple_keys_are_equal_exactly_when_the_addresses_are() {
        let v6 = |ip: Ipv6Addr, port, flow, scope| {
            SocketAddr::V6(SocketAddrV6::new(ip, port, flow, scope))
        };
        let a4: SocketAddr = "10.0.0.1:1000".parse().unwrap();
        let b4: SocketAddr = "10.0.0.2:80".parse().unwrap();
        let link = "fe80::1".parse().unwrap();
        let addrs = [
            a4,
            b4,
            "10.0.0.1:80".parse().unwrap(),
            v6("::ffff:10.0.0.1".parse().unwrap(), 1000, 0, 0),
            v6(link, 1000, 0, 0),
            v6(link, 1000, 0, 2),
            v6(link, 1000, 7, 0),
            v6("fe80::2".parse().unwrap(), 80, 0, 0),
        ];
        for &l1 in &addrs {
            for &r1 in &addrs {
                for &l2 in &addrs {
                    for &r2 in &addrs {
                        assert_eq!(
                            TupleKey::new(l1, r1) == TupleKey::new(l2, r2),
                            (l1, r1) == (l2, r2),
                            "{l1} {r1} / {l2} {r2}"
                        );
                    }
                }
            }
        }
    }
}
