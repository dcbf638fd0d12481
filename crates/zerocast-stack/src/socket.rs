//! Socket handles and the errors socket calls return.
//!
//! All sockets of a stack (UDP and ICMP echo) live in one `SocketTable`: a vector of
//! slots indexed by [`SocketId`], a closed socket's slot reused by the next open (lowest
//! free index first). The table is bounded by
//! [`StackConfig::max_sockets`](crate::StackConfig::max_sockets): opening past it fails with
//! [`SocketError::TooManySockets`] rather than evicting an application's socket.
//!
//! [`SocketError`] names errors the way an application programmer knows them from BSD
//! sockets (`ConnectionRefused` for an ICMP Port Unreachable, `WouldBlock` for an empty
//! queue, ...), so a std-style wrapper can map them one to one onto `std::io::ErrorKind`.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::context::SocketId;
use crate::icmp::socket::EchoSocket;
use crate::udp::UdpSocket;

/// Why a socket call failed (or the error an ICMP message reported for a socket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocketError {
    /// The id names no open socket of this kind.
    InvalidSocket,
    /// The socket table is full.
    TooManySockets,
    /// Nothing to receive now; retry after a readable event.
    WouldBlock,
    /// The local address and port are taken (and sharing was not allowed on both sides).
    AddressInUse,
    /// The local address is not one of ours, or no source address suits the destination.
    AddressNotAvailable,
    /// No ephemeral port is free.
    NoFreePorts,
    /// The socket is already bound.
    AlreadyBound,
    /// The call needs a connected socket.
    NotConnected,
    /// An argument is invalid (port 0 as destination, family mismatch, non-multicast group).
    InvalidInput,
    /// No route to the destination.
    NoRoute,
    /// Too large to send (over 65535 bytes, or DF and over the path MTU).
    MessageTooLong,
    /// ICMP Port (or Protocol) Unreachable from the peer.
    ConnectionRefused,
    /// ICMP Host Unreachable or Time Exceeded.
    HostUnreachable,
    /// ICMP Network Unreachable.
    NetworkUnreachable,
    /// ICMP Parameter Problem.
    ProtocolError,
    /// The socket already joined [`MAX_MEMBERSHIPS`](crate::udp::MAX_MEMBERSHIPS) groups.
    TooManyMemberships,
    /// The peer reset the connection (TCP RST).
    ConnectionReset,
    /// The connection was aborted locally.
    ConnectionAborted,
    /// The peer stopped answering (retransmissions, user timeout, keepalive, SYN retries).
    TimedOut,
    /// The socket is already connected.
    AlreadyConnected,
    /// Sending after shutdown(Write) or close.
    BrokenPipe,
    /// The call does not fit the socket's state (listen on a connected socket, accept on
    /// one that does not listen).
    InvalidState,
}

impl core::fmt::Display for SocketError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            SocketError::InvalidSocket => "no such socket",
            SocketError::TooManySockets => "socket table full",
            SocketError::WouldBlock => "operation would block",
            SocketError::AddressInUse => "address in use",
            SocketError::AddressNotAvailable => "address not available",
            SocketError::NoFreePorts => "no free ephemeral port",
            SocketError::AlreadyBound => "socket already bound",
            SocketError::NotConnected => "socket not connected",
            SocketError::InvalidInput => "invalid argument",
            SocketError::NoRoute => "no route to host",
            SocketError::MessageTooLong => "message too long",
            SocketError::ConnectionRefused => "connection refused",
            SocketError::HostUnreachable => "host unreachable",
            SocketError::NetworkUnreachable => "network unreachable",
            SocketError::ProtocolError => "protocol error",
            SocketError::TooManyMemberships => "too many multicast memberships",
            SocketError::ConnectionReset => "connection reset by peer",
            SocketError::ConnectionAborted => "connection aborted",
            SocketError::TimedOut => "connection timed out",
            SocketError::AlreadyConnected => "socket already connected",
            SocketError::BrokenPipe => "broken pipe",
            SocketError::InvalidState => "invalid socket state for this call",
        })
    }
}

impl core::error::Error for SocketError {}

/// One socket of any kind.
#[derive(Debug)]
pub(crate) enum Socket {
    Udp(UdpSocket),
    IcmpEcho(EchoSocket),
    Tcp(crate::tcp::demux::TcpSocket),
}

/// The sockets of a stack.
#[derive(Debug, Default)]
pub(crate) struct SocketTable {
    slots: Vec<Option<Socket>>,
    open: usize,
    /// Bound UDP sockets by local port, so demultiplexing and port allocation look at the
    /// sockets of one port instead of all of them.
    udp_ports: BTreeMap<u16, Vec<SocketId>>,
}

impl SocketTable {
    /// Stores `socket` in the lowest free slot, if fewer than `max` are open.
    pub(crate) fn insert(&mut self, socket: Socket, max: usize) -> Result<SocketId, SocketError> {
        if self.open >= max {
            return Err(SocketError::TooManySockets);
        }
        let index = match self.slots.iter().position(Option::is_none) {
            Some(i) => {
                self.slots[i] = Some(socket);
                i
            }
            None => {
                self.slots.push(Some(socket));
                self.slots.len() - 1
            }
        };
        self.open += 1;
        u32::try_from(index)
            .map(SocketId)
            .map_err(|_| SocketError::TooManySockets)
    }

    /// Closes `id`.
    pub(crate) fn remove(&mut self, id: SocketId) -> Option<Socket> {
        let s = self.slots.get_mut(id.index())?.take();
        if s.is_some() {
            self.open -= 1;
        }
        if let Some(Socket::Udp(u)) = &s {
            if let Some(port) = u.local_port() {
                if let Some(ids) = self.udp_ports.get_mut(&port) {
                    ids.retain(|i| *i != id);
                    if ids.is_empty() {
                        self.udp_ports.remove(&port);
                    }
                }
            }
        }
        s
    }

    /// Records that UDP socket `id` is now bound to `port`.
    pub(crate) fn index_udp_port(&mut self, id: SocketId, port: u16) {
        self.udp_ports.entry(port).or_default().push(id);
    }

    /// The UDP sockets bound to `port`, in binding order.
    pub(crate) fn udp_on_port(&self, port: u16) -> impl Iterator<Item = (SocketId, &UdpSocket)> {
        self.udp_ports
            .get(&port)
            .into_iter()
            .flatten()
            .filter_map(|&id| self.udp(id).ok().map(|s| (id, s)))
    }

    pub(crate) fn udp(&self, id: SocketId) -> Result<&UdpSocket, SocketError> {
        match self.slots.get(id.index()) {
            Some(Some(Socket::Udp(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    pub(crate) fn udp_mut(&mut self, id: SocketId) -> Result<&mut UdpSocket, SocketError> {
        match self.slots.get_mut(id.index()) {
            Some(Some(Socket::Udp(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    pub(crate) fn echo(&self, id: SocketId) -> Result<&EchoSocket, SocketError> {
        match self.slots.get(id.index()) {
            Some(Some(Socket::IcmpEcho(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    pub(crate) fn echo_mut(&mut self, id: SocketId) -> Result<&mut EchoSocket, SocketError> {
        match self.slots.get_mut(id.index()) {
            Some(Some(Socket::IcmpEcho(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    pub(crate) fn tcp(&self, id: SocketId) -> Result<&crate::tcp::demux::TcpSocket, SocketError> {
        match self.slots.get(id.index()) {
            Some(Some(Socket::Tcp(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    pub(crate) fn tcp_mut(
        &mut self,
        id: SocketId,
    ) -> Result<&mut crate::tcp::demux::TcpSocket, SocketError> {
        match self.slots.get_mut(id.index()) {
            Some(Some(Socket::Tcp(s))) => Ok(s),
            _ => Err(SocketError::InvalidSocket),
        }
    }

    /// Every open echo socket with its id.
    pub(crate) fn echo_sockets(&self) -> impl Iterator<Item = (SocketId, &EchoSocket)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| match s {
            Some(Socket::IcmpEcho(e)) => u32::try_from(i).ok().map(|i| (SocketId(i), e)),
            _ => None,
        })
    }

    /// How many sockets are open.
    pub(crate) fn len(&self) -> usize {
        self.open
    }
}
