//! Blocking, std-style UDP sockets on a running [`NetStack`].
//!
//! [`UdpSocket`] reads like `std::net::UdpSocket`: `bind`, `connect`, `send_to`,
//! `recv_from`, read timeouts, multicast joins. Each call takes the stack's lock, makes
//! the core's sans-IO socket call, and — when nothing is queued — waits on a condition
//! variable that the stack's thread signals whenever the core reports a socket event. The
//! application therefore never polls and never sees the core's types; errors arrive as
//! `std::io::Error` with the kinds a BSD-socket programmer expects.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use zerocast_stack::context::SocketId;
use zerocast_stack::SocketError;

use crate::netstack::NetStack;

pub use crate::error::io_error;

/// A UDP socket of a [`NetStack`]; closed on drop.
///
/// ```no_run
/// use zerocast_tap::device::LinkKind;
/// use zerocast_tap::netstack::{NetStack, NetStackConfig};
/// use zerocast_tap::udp::UdpSocket;
/// let mut config = NetStackConfig::new("zc0", LinkKind::Tap);
/// config.addresses.push(("10.99.0.2".parse()?, 24));
/// let stack = NetStack::start(&config)?;
/// let socket = UdpSocket::bind(&stack, "0.0.0.0:7".parse()?)?;
/// let mut buf = [0u8; 2048];
/// let (len, peer) = socket.recv_from(&mut buf)?;
/// socket.send_to(&buf[..len], peer)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct UdpSocket {
    stack: NetStack,
    id: SocketId,
    read_timeout: Option<Duration>,
}

impl UdpSocket {
    /// Opens a socket bound to `local` (port 0 picks an ephemeral port; an unspecified
    /// address accepts datagrams to any of the stack's addresses of that family, or of
    /// both families for `[::]`).
    ///
    /// # Errors
    /// `AddrInUse`, `AddrNotAvailable`, or a full socket table.
    pub fn bind(stack: &NetStack, local: SocketAddr) -> io::Result<UdpSocket> {
        let id = stack.with_stack(|s, bc| {
            let id = s.udp_open().map_err(io_error)?;
            if let Err(e) = s.udp_bind(bc, id, local) {
                let _ = s.udp_close(bc, id);
                return Err(io_error(e));
            }
            Ok(id)
        })?;
        Ok(UdpSocket {
            stack: stack.clone(),
            id,
            read_timeout: None,
        })
    }

    /// The address the socket is bound to.
    ///
    /// # Errors
    /// The socket was closed underneath (never, through this type).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.udp_local_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "socket not bound"))
    }

    /// Takes the pending ICMP error a datagram of this socket provoked (port unreachable,
    /// ...), like `std::net::UdpSocket::take_error`.
    ///
    /// # Errors
    /// The socket was closed underneath (never, through this type).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.stack
            .with_stack(|s, _| s.udp_take_error(self.id))
            .map(|e| e.map(io_error))
            .map_err(io_error)
    }

    /// Fixes the peer: `send` goes there and only its datagrams are received.
    ///
    /// # Errors
    /// `InvalidInput` (port 0, family mismatch), `NetworkUnreachable`.
    pub fn connect(&self, peer: SocketAddr) -> io::Result<()> {
        self.stack
            .with_stack(|s, bc| s.udp_connect(bc, self.id, peer))
            .map_err(io_error)
    }

    /// Sends one datagram to `dest`. Returns the payload length.
    ///
    /// # Errors
    /// `NetworkUnreachable`, `InvalidInput` (too long), or the ICMP error a previous
    /// datagram provoked (`ConnectionRefused` for port unreachable), reported once.
    pub fn send_to(&self, payload: &[u8], dest: SocketAddr) -> io::Result<usize> {
        self.stack
            .with_stack(|s, bc| s.udp_send_to(bc, self.id, payload, dest))
            .map_err(io_error)
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    /// `NotConnected`, and those of [`UdpSocket::send_to`].
    pub fn send(&self, payload: &[u8]) -> io::Result<usize> {
        self.stack
            .with_stack(|s, bc| s.udp_send(bc, self.id, payload))
            .map_err(io_error)
    }

    /// Waits for a datagram and copies it into `buf` (truncating a longer one, as
    /// `recv_from(2)` does). Returns its length as copied and its source.
    ///
    /// # Errors
    /// `WouldBlock`/`TimedOut` after the read timeout, or a pending ICMP error.
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let deadline = self.read_timeout.map(|t| Instant::now() + t);
        let shared = &self.stack.shared;
        let mut state = shared.lock();
        loop {
            match state.stack.udp_recv_from(self.id, buf) {
                Ok(datagram) => return Ok(datagram),
                Err(SocketError::WouldBlock) => {}
                Err(e) => return Err(io_error(e)),
            }
            state = match deadline {
                None => shared.ready.wait(state).unwrap_or_else(|p| p.into_inner()),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(io::Error::new(io::ErrorKind::WouldBlock, "read timed out"));
                    }
                    shared
                        .ready
                        .wait_timeout(state, left)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
    }

    /// Like [`UdpSocket::recv_from`] without the source address.
    ///
    /// # Errors
    /// Those of [`UdpSocket::recv_from`].
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.recv_from(buf).map(|(len, _)| len)
    }

    /// Limits how long a receive waits (`None`: forever), like
    /// `std::net::UdpSocket::set_read_timeout`.
    ///
    /// # Errors
    /// `InvalidInput` for a zero duration, as std does.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        if timeout == Some(Duration::ZERO) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "zero read timeout",
            ));
        }
        self.read_timeout = timeout;
        Ok(())
    }

    /// Joins multicast `group` on the stack's interface (IGMPv3 or MLDv2 report).
    ///
    /// # Errors
    /// `InvalidInput` when `group` is not multicast.
    pub fn join_multicast(&self, group: IpAddr) -> io::Result<()> {
        let dev = self.stack.shared.device_id;
        self.stack
            .with_stack(|s, bc| s.udp_join_multicast(bc, self.id, group, dev))
            .map_err(io_error)
    }
}

impl Drop for UdpSocket {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, bc| s.udp_close(bc, self.id));
    }
}
