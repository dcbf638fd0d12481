//! A blocking ICMP echo ("ping") socket on a running [`NetStack`].
//!
//! [`EchoSocket`] sends echo requests with the socket's identifier and waits for the
//! replies the core matched to it, like an unprivileged `ping` socket on Linux. Waiting is
//! the same as for [`crate::udp::UdpSocket`]: a condition variable the stack's thread
//! signals on socket events.

use std::io;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use zerocast_stack::context::SocketId;
use zerocast_stack::{EchoReply, SocketError};

use crate::netstack::NetStack;
use crate::udp::io_error;

/// An ICMP/ICMPv6 echo socket of a [`NetStack`]; closed on drop.
///
/// ```no_run
/// use std::time::Duration;
/// use zerocast_tap::device::LinkKind;
/// use zerocast_tap::icmp::EchoSocket;
/// use zerocast_tap::netstack::{NetStack, NetStackConfig};
/// let mut config = NetStackConfig::new("zc0", LinkKind::Tap);
/// config.addresses.push(("10.99.0.2".parse()?, 24));
/// let stack = NetStack::start(&config)?;
/// let mut ping = EchoSocket::open(&stack)?;
/// ping.set_read_timeout(Some(Duration::from_secs(1)))?;
/// ping.send("10.99.0.1".parse()?, 1, b"hello")?;
/// let mut data = [0u8; 64];
/// let reply = ping.recv(&mut data)?;
/// assert_eq!(reply.seq, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EchoSocket {
    stack: NetStack,
    id: SocketId,
    read_timeout: Option<Duration>,
}

impl EchoSocket {
    /// Opens an echo socket with a fresh random identifier.
    ///
    /// # Errors
    /// A full socket table.
    pub fn open(stack: &NetStack) -> io::Result<EchoSocket> {
        let id = stack
            .with_stack(|s, bc| s.icmp_echo_open(bc))
            .map_err(io_error)?;
        Ok(EchoSocket {
            stack: stack.clone(),
            id,
            read_timeout: None,
        })
    }

    /// The identifier this socket's requests carry.
    ///
    /// # Errors
    /// The socket was closed underneath (never, through this type).
    pub fn ident(&self) -> io::Result<u16> {
        self.stack
            .with_stack(|s, _| s.icmp_echo_ident(self.id))
            .map_err(io_error)
    }

    /// Sends an echo request to `dst` with sequence number `seq` and `data`.
    ///
    /// # Errors
    /// `NetworkUnreachable`, `AddrNotAvailable` (no usable source address yet),
    /// `InvalidInput` (too long), or an ICMP error an earlier request provoked.
    pub fn send(&self, dst: IpAddr, seq: u16, data: &[u8]) -> io::Result<()> {
        self.stack
            .with_stack(|s, bc| s.icmp_echo_send(bc, self.id, dst, seq, data))
            .map_err(io_error)
    }

    /// Waits for the next echo reply and copies its data into `data`.
    ///
    /// # Errors
    /// `WouldBlock` after the read timeout, or a pending ICMP error (`HostUnreachable`,
    /// ...).
    pub fn recv(&self, data: &mut [u8]) -> io::Result<EchoReply> {
        let deadline = self.read_timeout.map(|t| Instant::now() + t);
        let shared = &self.stack.shared;
        let mut state = shared.lock();
        loop {
            match state.stack.icmp_echo_recv(self.id, data) {
                Ok(reply) => return Ok(reply),
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

    /// Limits how long [`EchoSocket::recv`] waits (`None`: forever).
    ///
    /// # Errors
    /// `InvalidInput` for a zero duration, as std does for sockets.
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
}

impl Drop for EchoSocket {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, _| s.icmp_echo_close(self.id));
    }
}
