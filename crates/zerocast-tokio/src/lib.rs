//! zerocast-tokio: zerocast-stack driven by one tokio task, with async sockets.
//!
//! The core performs no I/O; this crate runs it the way a tokio program expects. One task,
//! the [`Driver`](stack::Driver), owns the waiting: it sleeps until a frame arrives on the
//! link, the stack's next deadline passes (`tokio::time::sleep_until`), an application call
//! arms an earlier deadline, or the stack is shut down. It never wakes on a fixed tick, so
//! an idle stack costs nothing. Socket futures call the core's sans-IO socket functions
//! directly under a short lock; when one would block, the socket's waker is stored in a
//! table and woken from the core's `socket_ready` event, so no socket is ever polled.
//!
//! # Modules
//! - [`link`]: the [`FrameLink`](link::FrameLink) trait the driver reads and writes frames
//!   through; [`tun`]: a Linux TUN/TAP (zerocast-tap's device under `AsyncFd`);
//!   [`memory`]: an in-memory pair of links for tests and simulations (no root).
//! - [`stack`]: [`AsyncStack`](stack::AsyncStack), the handle sockets are made from, and its
//!   driver; [`bindings`]: the stack's clock, generator, transmit and socket events.
//! - [`wakers`]: the per-socket waker table.
//! - [`udp`]: the async UDP socket; [`tcp`]: the async TCP listener and stream.
//! - [`error`]: the core's socket errors as `std::io::Error`.
//!
//! # One seam for every socket kind
//! Every socket call goes through [`AsyncStack::poll_socket`](stack::AsyncStack::poll_socket):
//! it runs one core call under the lock and, on `WouldBlock`, registers the task's waker for
//! reading or writing. The TCP types are thin layers on it: a listener's `accept` polls
//! `tcp_accept` for reading; `TcpStream::connect` calls `tcp_connect` and then waits for
//! writability and `tcp_take_error`; `AsyncRead::poll_read` polls `tcp_recv` (`Ok(0)` is
//! end of stream) and `AsyncWrite::poll_write` polls `tcp_send` for writing, so a full send
//! buffer parks the writer until the peer's ACKs make room (backpressure with no queue of
//! our own); `poll_shutdown` is `tcp_shutdown(Write)`; dropping closes.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use zerocast_tap::device::LinkKind;
//! use zerocast_tokio::memory::MemoryLink;
//! use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
//! use zerocast_tokio::udp::UdpSocket;
//!
//! // Two stacks joined by an in-memory link, each driven by its own task.
//! let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
//! let a = AsyncStack::spawn(left, &AsyncStackConfig::with_address("10.1.0.1".parse().unwrap(), 24))?;
//! let b = AsyncStack::spawn(right, &AsyncStackConfig::with_address("10.1.0.2".parse().unwrap(), 24))?;
//! let server = UdpSocket::bind(&b, "10.1.0.2:7".parse().unwrap())?;
//! let client = UdpSocket::bind(&a, "0.0.0.0:0".parse().unwrap())?;
//! client.send_to(b"ping", "10.1.0.2:7".parse().unwrap()).await?;
//! let mut buf = [0u8; 16];
//! let (len, from) = server.recv_from(&mut buf).await?;
//! assert_eq!(&buf[..len], b"ping");
//! assert_eq!(from.ip().to_string(), "10.1.0.1");
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bindings;
pub mod error;
pub mod link;
pub mod memory;
pub mod stack;
pub mod tcp;
pub mod tun;
pub mod udp;
pub mod wakers;
