//! Blocking, std-style TCP on a running [`NetStack`]: [`TcpListener`] and [`TcpStream`].
//!
//! They read like `std::net`'s: `bind`/`accept`, `connect`, `Read` and `Write`,
//! `shutdown`, `set_nodelay`, `peer_addr`, `local_addr`, timeouts. They are built as
//! [`crate::udp::UdpSocket`] is: each call takes the stack's lock and makes the core's
//! sans-IO call; when that would block, the caller waits on the condition variable the
//! stack's thread signals whenever the core reports a socket event, and tries again. The
//! application never polls, and errors arrive as `std::io::Error` with the kind a
//! BSD-socket programmer expects ([`io_error`]).

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use zerocast_stack::context::SocketId;
use zerocast_stack::tcp::{Shutdown, TcpState};
use zerocast_stack::{SocketError, Stack};

use crate::host::HostBindings;
use crate::netstack::{NetStack, Shared, State};

/// The accept queue a [`TcpListener`] asks for.
pub const LISTEN_BACKLOG: usize = 1024;

pub use crate::error::io_error;

/// Runs a core call under the lock, then wakes the loop and waiters as the call requires.
fn call<R>(
    shared: &Shared,
    state: &mut MutexGuard<'_, State>,
    f: impl FnOnce(&mut Stack, &mut HostBindings) -> R,
) -> R {
    let before = state.stack.next_deadline();
    let st = &mut **state;
    let result = f(&mut st.stack, &mut st.bindings);
    shared.after_call(st, before);
    result
}

/// Repeats `attempt` until it does not return `WouldBlock`, sleeping on socket events in
/// between, up to `timeout` (then `TimedOut` for connect-like waits, `WouldBlock` for
/// reads and writes, as std does).
fn blocking<R>(
    stack: &NetStack,
    timeout: Option<Duration>,
    timeout_kind: io::ErrorKind,
    mut attempt: impl FnMut(&mut Stack, &mut HostBindings) -> Result<R, SocketError>,
) -> io::Result<R> {
    let shared = &stack.shared;
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut state = shared.lock();
    loop {
        match call(shared, &mut state, &mut attempt) {
            Ok(r) => return Ok(r),
            Err(SocketError::WouldBlock) => {}
            Err(e) => return Err(io_error(e)),
        }
        state = match deadline {
            None => shared.ready.wait(state).unwrap_or_else(|p| p.into_inner()),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::Error::new(timeout_kind, "timed out"));
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

fn closed_socket() -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, "socket not bound")
}

/// A listening TCP socket of a [`NetStack`]; closed on drop (connections not yet
/// accepted are reset).
///
/// ```no_run
/// use std::io::{Read, Write};
/// use zerocast_tap::device::LinkKind;
/// use zerocast_tap::netstack::{NetStack, NetStackConfig};
/// use zerocast_tap::tcp::TcpListener;
/// let mut config = NetStackConfig::new("zc0", LinkKind::Tap);
/// config.addresses.push(("10.99.0.2".parse()?, 24));
/// let stack = NetStack::start(&config)?;
/// let listener = TcpListener::bind(&stack, "[::]:7".parse()?)?;
/// let (mut stream, peer) = listener.accept()?;
/// let mut buf = [0u8; 4096];
/// let n = stream.read(&mut buf)?;
/// stream.write_all(&buf[..n])?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TcpListener {
    stack: NetStack,
    id: SocketId,
}

impl TcpListener {
    /// Listens on `local` (port 0: an ephemeral port; `[::]`: every address of both
    /// families) with an accept queue of [`LISTEN_BACKLOG`].
    ///
    /// # Errors
    /// `AddrInUse`, `AddrNotAvailable`, or a full socket table.
    pub fn bind(stack: &NetStack, local: SocketAddr) -> io::Result<TcpListener> {
        let id = stack.with_stack(|s, bc| {
            let id = s.tcp_open().map_err(io_error)?;
            let listening = s
                .tcp_bind(id, local)
                .and_then(|()| s.tcp_listen(bc, id, LISTEN_BACKLOG));
            if let Err(e) = listening {
                let _ = s.tcp_close(bc, id);
                return Err(io_error(e));
            }
            Ok(id)
        })?;
        Ok(TcpListener {
            stack: stack.clone(),
            id,
        })
    }

    /// The address the listener is bound to (with the port chosen for port 0).
    ///
    /// # Errors
    /// Never through this type.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.tcp_local_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(closed_socket)
    }

    /// Waits for a connection and returns it with the peer's address.
    ///
    /// # Errors
    /// Only if the stack has stopped underneath.
    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (id, peer) = blocking(&self.stack, None, io::ErrorKind::WouldBlock, |s, bc| {
            s.tcp_accept(bc, self.id)
        })?;
        Ok((TcpStream::from_id(&self.stack, id), peer))
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, bc| s.tcp_close(bc, self.id));
    }
}

/// A TCP connection of a [`NetStack`]; closed on drop (an orderly FIN after the queued
/// data, finished by the stack; a reset if received data was left unread, as Linux does).
///
/// ```no_run
/// use std::io::{Read, Write};
/// use zerocast_tap::device::LinkKind;
/// use zerocast_tap::netstack::{NetStack, NetStackConfig};
/// use zerocast_tap::tcp::TcpStream;
/// let mut config = NetStackConfig::new("zc0", LinkKind::Tap);
/// config.addresses.push(("10.99.0.2".parse()?, 24));
/// let stack = NetStack::start(&config)?;
/// let mut stream = TcpStream::connect(&stack, "10.99.0.1:80".parse()?)?;
/// stream.write_all(b"GET / HTTP/1.0\r\n\r\n")?;
/// stream.shutdown(std::net::Shutdown::Write)?;
/// let mut page = String::new();
/// stream.read_to_string(&mut page)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TcpStream {
    stack: NetStack,
    id: SocketId,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl TcpStream {
    fn from_id(stack: &NetStack, id: SocketId) -> TcpStream {
        TcpStream {
            stack: stack.clone(),
            id,
            read_timeout: None,
            write_timeout: None,
        }
    }

    /// Connects to `remote` and waits until the connection is established (or refused, or
    /// the SYN retries run out).
    ///
    /// # Errors
    /// `ConnectionRefused` (RST), `TimedOut`, `NetworkUnreachable` (no route),
    /// `InvalidInput` (port 0, ...).
    pub fn connect(stack: &NetStack, remote: SocketAddr) -> io::Result<TcpStream> {
        TcpStream::connect_inner(stack, remote, None)
    }

    /// Like [`TcpStream::connect`], giving up after `timeout` (`TimedOut`).
    ///
    /// # Errors
    /// Those of [`TcpStream::connect`].
    pub fn connect_timeout(
        stack: &NetStack,
        remote: SocketAddr,
        timeout: Duration,
    ) -> io::Result<TcpStream> {
        TcpStream::connect_inner(stack, remote, Some(timeout))
    }

    fn connect_inner(
        stack: &NetStack,
        remote: SocketAddr,
        timeout: Option<Duration>,
    ) -> io::Result<TcpStream> {
        let id = stack.with_stack(|s, bc| {
            let id = s.tcp_open().map_err(io_error)?;
            if let Err(e) = s.tcp_connect(bc, id, remote) {
                let _ = s.tcp_close(bc, id);
                return Err(io_error(e));
            }
            Ok(id)
        })?;
        // The stream owns the socket from here: an error below closes it on drop.
        let stream = TcpStream::from_id(stack, id);
        // The error is taken only once the connection closed: during the handshake
        // `tcp_take_error` may return a soft ICMP error the handshake retries through
        // (RFC 5461), which is no failure.
        blocking(stack, timeout, io::ErrorKind::TimedOut, |s, _| {
            match s.tcp_state(id)? {
                TcpState::SynSent | TcpState::SynReceived => Err(SocketError::WouldBlock),
                // Closed without an error recorded: the connection ended at once.
                TcpState::Closed => Err(s
                    .tcp_take_error(id)?
                    .unwrap_or(SocketError::ConnectionReset)),
                _ => Ok(()),
            }
        })?;
        Ok(stream)
    }

    /// The peer's address.
    ///
    /// # Errors
    /// `NotConnected` once the connection has ended.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.tcp_peer_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "not connected"))
    }

    /// The local address.
    ///
    /// # Errors
    /// Never through this type.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.tcp_local_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(closed_socket)
    }

    /// Closes the read side, the write side (FIN after the queued data) or both, like
    /// `std::net::TcpStream::shutdown`.
    ///
    /// # Errors
    /// `NotConnected`.
    pub fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        let how = match how {
            std::net::Shutdown::Read => Shutdown::Read,
            std::net::Shutdown::Write => Shutdown::Write,
            std::net::Shutdown::Both => Shutdown::Both,
        };
        self.stack
            .with_stack(|s, bc| s.tcp_shutdown(bc, self.id, how))
            .map_err(io_error)
    }

    /// Turns Nagle's algorithm off (`true`) or on.
    ///
    /// # Errors
    /// Never through this type.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.stack
            .with_stack(|s, _| {
                let mut options = s.tcp_options(self.id)?;
                options.nodelay = nodelay;
                s.tcp_set_options(self.id, options)
            })
            .map_err(io_error)
    }

    /// Whether Nagle's algorithm is off.
    ///
    /// # Errors
    /// Never through this type.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.stack
            .with_stack(|s, _| s.tcp_options(self.id).map(|o| o.nodelay))
            .map_err(io_error)
    }

    /// The connection's pending error (reset, timed out), taken.
    ///
    /// # Errors
    /// Never through this type.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.stack
            .with_stack(|s, _| s.tcp_take_error(self.id))
            .map(|e| e.map(io_error))
            .map_err(io_error)
    }

    /// Limits how long a read waits (`None`: forever; then `WouldBlock`, as std does).
    ///
    /// # Errors
    /// `InvalidInput` for a zero duration, as std does.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.read_timeout = nonzero(timeout)?;
        Ok(())
    }

    /// Limits how long a write waits for buffer space.
    ///
    /// # Errors
    /// `InvalidInput` for a zero duration, as std does.
    pub fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.write_timeout = nonzero(timeout)?;
        Ok(())
    }

    /// The connection's state in the core.
    ///
    /// # Errors
    /// Never through this type.
    pub fn state(&self) -> io::Result<TcpState> {
        self.stack
            .with_stack(|s, _| s.tcp_state(self.id))
            .map_err(io_error)
    }

    fn read_inner(&self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        blocking(
            &self.stack,
            self.read_timeout,
            io::ErrorKind::WouldBlock,
            |s, bc| s.tcp_recv(bc, self.id, buf),
        )
    }

    fn write_inner(&self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        blocking(
            &self.stack,
            self.write_timeout,
            io::ErrorKind::WouldBlock,
            |s, bc| s.tcp_send(bc, self.id, data),
        )
    }
}

fn nonzero(timeout: Option<Duration>) -> io::Result<Option<Duration>> {
    if timeout == Some(Duration::ZERO) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "zero timeout"));
    }
    Ok(timeout)
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_inner(buf)
    }
}

impl Read for &TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_inner(buf)
    }
}

impl Write for TcpStream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_inner(data)
    }

    /// Nothing to do: written bytes are already the stack's to send (as with std).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &TcpStream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_inner(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, bc| s.tcp_close(bc, self.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tcp_error_has_its_own_kind() {
        use io::ErrorKind as K;
        let cases = [
            (SocketError::WouldBlock, K::WouldBlock),
            (SocketError::AddressInUse, K::AddrInUse),
            (SocketError::AddressNotAvailable, K::AddrNotAvailable),
            (SocketError::NotConnected, K::NotConnected),
            (SocketError::ConnectionRefused, K::ConnectionRefused),
            (SocketError::ConnectionReset, K::ConnectionReset),
            (SocketError::ConnectionAborted, K::ConnectionAborted),
            (SocketError::TimedOut, K::TimedOut),
            (SocketError::BrokenPipe, K::BrokenPipe),
            (SocketError::AlreadyConnected, K::AlreadyExists),
            (SocketError::InvalidState, K::InvalidInput),
            (SocketError::NoRoute, K::NetworkUnreachable),
        ];
        for (e, kind) in cases {
            let err = io_error(e);
            assert_eq!(err.kind(), kind, "{e:?}");
            assert_eq!(err.to_string(), e.to_string(), "the message is the core's");
        }
    }

    #[test]
    fn zero_timeouts_are_refused_as_std_does() {
        assert!(nonzero(Some(Duration::ZERO)).is_err());
        assert_eq!(nonzero(None).unwrap(), None);
    }
}
