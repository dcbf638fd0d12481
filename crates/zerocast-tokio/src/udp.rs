//! [`UdpSocket`]: an async UDP socket on an [`AsyncStack`], shaped like
//! `tokio::net::UdpSocket`.
//!
//! Receiving waits through [`AsyncStack::poll_socket`]: the task sleeps until the core
//! reports the socket readable. Sending never waits: the core builds and transmits the
//! datagram within the call (a full link drops it, as a full NIC ring would), so
//! `send_to` completes at its first poll; it is `async` so code written for tokio's socket
//! reads the same.

use std::future::poll_fn;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::task::{Context, Poll};

use crate::error::io_error;
use zerocast_stack::context::SocketId;

use crate::stack::AsyncStack;
use crate::wakers::Interest;

/// A UDP socket of an [`AsyncStack`]; closed on drop.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, udp::UdpSocket};
/// let (link, _peer) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
/// let stack = AsyncStack::spawn(link, &AsyncStackConfig::with_address("10.0.0.2".parse()?, 24))?;
/// let socket = UdpSocket::bind(&stack, "0.0.0.0:0".parse()?)?;
/// assert_ne!(socket.local_addr()?.port(), 0, "an ephemeral port was chosen");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct UdpSocket {
    stack: AsyncStack,
    id: SocketId,
}

impl UdpSocket {
    /// Opens a socket bound to `local` (port 0 picks an ephemeral port; an unspecified
    /// address accepts datagrams to any of the stack's addresses of that family).
    ///
    /// # Errors
    /// `AddrInUse`, `AddrNotAvailable`, or a full socket table.
    pub fn bind(stack: &AsyncStack, local: SocketAddr) -> io::Result<UdpSocket> {
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
        })
    }

    /// The stack's transparent socket (`Stack::udp_bind_transparent`): it receives every
    /// datagram to a non-local address arriving on a device that accepts any destination,
    /// through [`UdpSocket::recv_transparent`], and answers with [`UdpSocket::send_from`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, udp::UdpSocket};
    /// let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    /// let mut client_config = AsyncStackConfig::with_address("10.4.0.2".parse()?, 24);
    /// client_config.gateways.push("10.4.0.1".parse()?);
    /// let client = AsyncStack::spawn(left, &client_config)?;
    /// let relay = AsyncStack::spawn(right, &AsyncStackConfig::with_address("10.4.0.1".parse()?, 24))?;
    /// relay.with_stack(|s, _| s.set_accept_any_destination(relay.device_id(), true));
    /// let transparent = UdpSocket::bind_transparent(&relay)?;
    /// let socket = UdpSocket::bind(&client, "0.0.0.0:0".parse()?)?;
    /// socket.send_to(b"dns?", "192.0.2.53:53".parse()?).await?;
    /// let mut buf = [0u8; 16];
    /// let (len, from, to) = transparent.recv_transparent(&mut buf).await?;
    /// assert_eq!((&buf[..len], to), (&b"dns?"[..], "192.0.2.53:53".parse()?));
    /// transparent.send_from(b"dns!", to, from).await?;
    /// let (len, answered_by) = socket.recv_from(&mut buf).await?;
    /// assert_eq!((&buf[..len], answered_by), (&b"dns!"[..], to));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A full socket table.
    pub fn bind_transparent(stack: &AsyncStack) -> io::Result<UdpSocket> {
        let id = stack.with_stack(|s, bc| {
            let id = s.udp_open().map_err(io_error)?;
            if let Err(e) = s.udp_bind_transparent(id) {
                let _ = s.udp_close(bc, id);
                return Err(io_error(e));
            }
            Ok(id)
        })?;
        Ok(UdpSocket {
            stack: stack.clone(),
            id,
        })
    }

    /// Waits for a datagram on the transparent socket: its copied length, its sender and
    /// the destination it was sent to.
    ///
    /// # Errors
    /// `InvalidInput`-like errors when this is not the transparent socket.
    pub async fn recv_transparent(
        &self,
        buf: &mut [u8],
    ) -> io::Result<(usize, SocketAddr, SocketAddr)> {
        poll_fn(|cx| {
            self.stack
                .poll_socket(cx, self.id, Interest::Read, |s, _| {
                    s.udp_recv_transparent(self.id, buf)
                })
                .map_err(io_error)
        })
        .await
    }

    /// Sends `payload` from `from` (any address) to `to` through the transparent socket.
    ///
    /// # Errors
    /// Those of `Stack::udp_send_from`.
    pub async fn send_from(
        &self,
        payload: &[u8],
        from: SocketAddr,
        to: SocketAddr,
    ) -> io::Result<usize> {
        self.stack
            .with_stack(|s, bc| s.udp_send_from(bc, self.id, from, to, payload))
            .map_err(io_error)
    }

    /// The address the socket is bound to.
    ///
    /// # Errors
    /// Never for a bound socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.udp_local_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "socket not bound"))
    }

    /// Fixes the peer: [`UdpSocket::send`] goes there and only its datagrams are received.
    ///
    /// # Errors
    /// `InvalidInput` (port 0, family mismatch), `NetworkUnreachable`.
    pub fn connect(&self, peer: SocketAddr) -> io::Result<()> {
        self.stack
            .with_stack(|s, bc| s.udp_connect(bc, self.id, peer))
            .map_err(io_error)
    }

    /// Sends one datagram to `dest`; returns the payload length.
    ///
    /// # Errors
    /// `NetworkUnreachable`, `InvalidInput` (too long), or the ICMP error an earlier
    /// datagram provoked (`ConnectionRefused` for port unreachable), reported once.
    pub async fn send_to(&self, payload: &[u8], dest: SocketAddr) -> io::Result<usize> {
        self.stack
            .with_stack(|s, bc| s.udp_send_to(bc, self.id, payload, dest))
            .map_err(io_error)
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    /// `NotConnected`, and those of [`UdpSocket::send_to`].
    pub async fn send(&self, payload: &[u8]) -> io::Result<usize> {
        self.stack
            .with_stack(|s, bc| s.udp_send(bc, self.id, payload))
            .map_err(io_error)
    }

    /// Polls for a datagram: copies it into `buf` (truncating a longer one, as
    /// `recvfrom(2)` does) and returns its copied length and source, or registers the task.
    ///
    /// # Errors
    /// A pending ICMP error on a connected socket.
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        self.stack
            .poll_socket(cx, self.id, Interest::Read, |s, _| {
                s.udp_recv_from(self.id, buf)
            })
            .map_err(io_error)
    }

    /// Waits for a datagram; see [`UdpSocket::poll_recv_from`].
    ///
    /// # Errors
    /// Those of [`UdpSocket::poll_recv_from`].
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        poll_fn(|cx| self.poll_recv_from(cx, buf)).await
    }

    /// Waits for a datagram and returns its copied length.
    ///
    /// # Errors
    /// Those of [`UdpSocket::poll_recv_from`].
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.recv_from(buf).await.map(|(len, _)| len)
    }

    /// Takes the pending ICMP error a datagram of this socket provoked.
    ///
    /// # Errors
    /// Never for an open socket.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.stack
            .with_stack(|s, _| s.udp_take_error(self.id))
            .map(|e| e.map(io_error))
            .map_err(io_error)
    }

    /// Joins multicast `group` on the stack's link.
    ///
    /// # Errors
    /// `InvalidInput` when `group` is not multicast.
    pub fn join_multicast(&self, group: IpAddr) -> io::Result<()> {
        let dev = self.stack.device_id();
        self.stack
            .with_stack(|s, bc| s.udp_join_multicast(bc, self.id, group, dev))
            .map_err(io_error)
    }
}

impl Drop for UdpSocket {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, bc| s.udp_close(bc, self.id));
        self.stack.forget_socket(self.id);
    }
}
