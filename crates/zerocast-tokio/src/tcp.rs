//! Async TCP on an [`AsyncStack`]: [`TcpListener`] and [`TcpStream`] (tokio's `AsyncRead`
//! and `AsyncWrite`), shaped like `tokio::net`'s.
//!
//! Each call is one core call through [`AsyncStack::poll_socket`]. A read with nothing
//! received parks the task until the core reports the socket readable (data, end of
//! stream, or an error); a write that finds the send buffer full parks it until ACKs make
//! room. No bytes are queued in this layer, so the send buffer's bound is the backpressure:
//! a slow peer stops the writer, and a reader that does not read closes our receive window.

use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use zerocast_stack::context::SocketId;
use zerocast_stack::tcp::{Shutdown, TcpSocketOptions, TcpState};
use zerocast_stack::SocketError;

use crate::error::io_error;
use crate::stack::AsyncStack;
use crate::wakers::Interest;

/// A listening TCP socket; closed on drop (connections not yet accepted are reset).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, tcp::*};
/// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 256);
/// let client = AsyncStack::spawn(a, &AsyncStackConfig::with_address("10.2.0.1".parse()?, 24))?;
/// let server = AsyncStack::spawn(b, &AsyncStackConfig::with_address("10.2.0.2".parse()?, 24))?;
/// let listener = TcpListener::bind(&server, "0.0.0.0:80".parse()?, 8)?;
/// let mut stream = TcpStream::connect(&client, "10.2.0.2:80".parse()?).await?;
/// let (mut accepted, peer) = listener.accept().await?;
/// assert_eq!(peer, stream.local_addr()?);
/// stream.write_all(b"GET /").await?;
/// let mut got = [0u8; 5];
/// accepted.read_exact(&mut got).await?;
/// assert_eq!(&got, b"GET /");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TcpListener {
    stack: AsyncStack,
    id: SocketId,
}

impl TcpListener {
    /// Listens on `local` (port 0: an ephemeral port; `[::]` takes IPv4 too) with room for
    /// `backlog` connections waiting to be accepted.
    ///
    /// # Errors
    /// `AddrInUse`, `AddrNotAvailable`, a full socket table.
    pub fn bind(stack: &AsyncStack, local: SocketAddr, backlog: usize) -> io::Result<TcpListener> {
        let id = stack.with_stack(|s, bc| {
            let id = s.tcp_open().map_err(io_error)?;
            let listening = s
                .tcp_bind(id, local)
                .and_then(|()| s.tcp_listen(bc, id, backlog));
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

    /// A transparent listener (`Stack::tcp_listen_transparent`): besides an ephemeral
    /// port of its own it accepts every connection to a non-local address arriving on a
    /// device that accepts any destination; an accepted stream's
    /// [`local_addr`](TcpStream::local_addr) is the address the peer connected to. This is
    /// what a tun2socks-style relay listens with.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use tokio::io::AsyncWriteExt;
    /// use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, tcp::*};
    /// let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    /// let mut client_config = AsyncStackConfig::with_address("10.3.0.2".parse()?, 24);
    /// client_config.gateways.push("10.3.0.1".parse()?);
    /// let client = AsyncStack::spawn(left, &client_config)?;
    /// let relay = AsyncStack::spawn(right, &AsyncStackConfig::with_address("10.3.0.1".parse()?, 24))?;
    /// relay.with_stack(|s, _| s.set_accept_any_destination(relay.device_id(), true));
    /// let listener = TcpListener::bind_transparent(&relay, 8)?;
    /// let mut stream = TcpStream::connect(&client, "203.0.113.9:443".parse()?).await?;
    /// let (accepted, _) = listener.accept().await?;
    /// assert_eq!(accepted.local_addr()?, "203.0.113.9:443".parse()?);
    /// stream.shutdown().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A full socket table.
    pub fn bind_transparent(stack: &AsyncStack, backlog: usize) -> io::Result<TcpListener> {
        let id = stack.with_stack(|s, bc| {
            let id = s.tcp_open().map_err(io_error)?;
            if let Err(e) = s.tcp_listen_transparent(bc, id, backlog) {
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

    /// The address the listener is bound to.
    ///
    /// # Errors
    /// Never for an open listener.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        local_addr_of(&self.stack, self.id)
    }

    /// Polls for an established connection: the stream and the peer's address.
    ///
    /// # Errors
    /// A full socket table.
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        let accepted = ready!(self
            .stack
            .poll_socket(cx, self.id, Interest::Read, |s, bc| s
                .tcp_accept(bc, self.id)));
        Poll::Ready(
            accepted
                .map(|(id, peer)| {
                    let stream = TcpStream {
                        stack: self.stack.clone(),
                        id,
                        released: false,
                    };
                    (stream, peer)
                })
                .map_err(io_error),
        )
    }

    /// Waits for a connection; see [`TcpListener::poll_accept`].
    ///
    /// # Errors
    /// Those of [`TcpListener::poll_accept`].
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        poll_fn(|cx| self.poll_accept(cx)).await
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        let _ = self.stack.with_stack(|s, bc| s.tcp_close(bc, self.id));
        self.stack.forget_socket(self.id);
    }
}

/// A TCP connection; `AsyncRead` + `AsyncWrite`. Dropping it closes the connection
/// gracefully (FIN after the queued data; a reset if received data was left unread).
#[derive(Debug)]
pub struct TcpStream {
    stack: AsyncStack,
    id: SocketId,
    /// Set by [`TcpStream::abort`], which already freed the socket: Drop must not close an
    /// id the core may have handed out again.
    released: bool,
}

impl TcpStream {
    /// Connects to `remote` and waits for the handshake.
    ///
    /// # Errors
    /// `ConnectionRefused` (RST or ICMP unreachable), `TimedOut` (SYN retries exhausted),
    /// `NetworkUnreachable`, `AddrNotAvailable`.
    pub async fn connect(stack: &AsyncStack, remote: SocketAddr) -> io::Result<TcpStream> {
        let id = stack.with_stack(|s, bc| {
            let id = s.tcp_open().map_err(io_error)?;
            if let Err(e) = s.tcp_connect(bc, id, remote) {
                let _ = s.tcp_close(bc, id);
                return Err(io_error(e));
            }
            Ok(id)
        })?;
        // Owned from here: a failed handshake drops (and closes) it.
        let stream = TcpStream {
            stack: stack.clone(),
            id,
            released: false,
        };
        poll_fn(|cx| {
            stream
                .stack
                .poll_socket(cx, id, Interest::Write, |s, _| handshake_outcome(s, id))
        })
        .await
        .map_err(io_error)?;
        Ok(stream)
    }

    /// The local address.
    ///
    /// # Errors
    /// Never for an open stream.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        local_addr_of(&self.stack, self.id)
    }

    /// The core's id of the stream's socket, for calls this crate does not wrap (through
    /// [`AsyncStack::with_stack`]), such as resetting every connection at once on exit.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, tcp::*};
    /// # let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    /// # let client = AsyncStack::spawn(left, &AsyncStackConfig::with_address("10.5.0.1".parse()?, 24))?;
    /// # let server = AsyncStack::spawn(right, &AsyncStackConfig::with_address("10.5.0.2".parse()?, 24))?;
    /// # let _listener = TcpListener::bind(&server, "0.0.0.0:80".parse()?, 8)?;
    /// let stream = TcpStream::connect(&client, "10.5.0.2:80".parse()?).await?;
    /// let id = stream.socket_id();
    /// let state = client.with_stack(|s, _| s.tcp_state(id))?;
    /// assert_eq!(state, zerocast_stack::tcp::TcpState::Established);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn socket_id(&self) -> SocketId {
        self.id
    }

    /// The peer's address.
    ///
    /// # Errors
    /// `NotConnected` when the connection has gone.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stack
            .with_stack(|s, _| s.tcp_peer_addr(self.id))
            .map_err(io_error)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "no peer"))
    }

    /// The connection's RFC 9293 state.
    ///
    /// # Errors
    /// Never for an open stream.
    pub fn state(&self) -> io::Result<TcpState> {
        self.stack
            .with_stack(|s, _| s.tcp_state(self.id))
            .map_err(io_error)
    }

    /// Turns Nagle's algorithm off (`true`) or on.
    ///
    /// # Errors
    /// Never for an open stream.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.stack
            .with_stack(|s, _| {
                let options = s.tcp_options(self.id)?;
                s.tcp_set_options(self.id, TcpSocketOptions { nodelay, ..options })
            })
            .map_err(io_error)
    }

    /// Closes one or both directions now (`Write` sends a FIN after the queued data), like
    /// `std::net::TcpStream::shutdown`; `AsyncWriteExt::shutdown` is `Write`.
    ///
    /// # Errors
    /// `NotConnected`.
    pub fn shutdown_direction(&self, how: Shutdown) -> io::Result<()> {
        self.stack
            .with_stack(|s, bc| s.tcp_shutdown(bc, self.id, how))
            .map_err(io_error)
    }

    /// Resets the connection (RST) and closes the stream.
    pub fn abort(mut self) {
        let _ = self.stack.with_stack(|s, bc| s.tcp_abort(bc, self.id));
        self.stack.forget_socket(self.id);
        self.released = true;
    }

    /// Reads into `buf`; `Ok(0)` at the end of the stream.
    ///
    /// # Errors
    /// `ConnectionReset`, `TimedOut`, ... (the connection's error, once).
    pub fn poll_read_bytes(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.stack
            .poll_socket(cx, self.id, Interest::Read, |s, bc| {
                s.tcp_recv(bc, self.id, buf)
            })
            .map_err(io_error)
    }

    /// Queues as much of `data` as the send buffer takes; waits while it is full.
    ///
    /// # Errors
    /// `BrokenPipe` after shutdown, the connection's error.
    pub fn poll_write_bytes(&self, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        if data.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.stack
            .poll_socket(cx, self.id, Interest::Write, |s, bc| {
                s.tcp_send(bc, self.id, data)
            })
            .map_err(io_error)
    }
}

/// Whether a connect has finished: `Ok` once synchronized, the error if it failed,
/// `WouldBlock` (wait for writability) while the handshake runs. The error is only taken
/// once the connection is closed: during the handshake `tcp_take_error` may return a soft
/// ICMP error the handshake retries through (RFC 5461), which is no failure.
fn handshake_outcome(s: &mut zerocast_stack::Stack, id: SocketId) -> Result<(), SocketError> {
    match s.tcp_state(id)? {
        TcpState::SynSent | TcpState::SynReceived => Err(SocketError::WouldBlock),
        // Gone without an error recorded: treat as refused rather than wait forever.
        TcpState::Closed => Err(s
            .tcp_take_error(id)?
            .unwrap_or(SocketError::ConnectionRefused)),
        _ => Ok(()),
    }
}

fn local_addr_of(stack: &AsyncStack, id: SocketId) -> io::Result<SocketAddr> {
    stack
        .with_stack(|s, _| s.tcp_local_addr(id))
        .map_err(io_error)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "not bound"))
}

impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = ready!(self.poll_read_bytes(cx, buf.initialize_unfilled()))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_bytes(cx, data)
    }

    /// Data handed to the stack is in its send buffer, which the stack transmits on its
    /// own; there is nothing to flush (as with `tokio::net::TcpStream`).
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown_direction(Shutdown::Write))
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        let _ = self.stack.with_stack(|s, bc| s.tcp_close(bc, self.id));
        self.stack.forget_socket(self.id);
    }
}
