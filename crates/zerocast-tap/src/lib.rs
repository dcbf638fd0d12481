//! zerocast-tap: the Linux binding of zerocast-stack.
//!
//! The core (`zerocast-stack`) performs no I/O; this crate is the only place that knows
//! about Linux. It opens TAP (Ethernet) and TUN (bare IP) interfaces through `tun-rs`, which
//! holds the FFI, so this crate forbids unsafe code; it drives the core from a poll loop with
//! the real monotonic clock and an OS-seeded generator; it writes a pcapng capture of every
//! frame the stack receives or sends; it can drop and reorder frames from a seed; and it
//! offers blocking, std-style sockets backed by the stack running on its own thread.
//!
//! # Modules
//! - [`device`]: opening an interface, waiting on it with a timeout and a wake-up.
//! - [`pcapng`]: the capture writer.
//! - [`rng`]: the random source (OS-seeded or from a seed).
//! - [`fault`]: seeded drop/reorder between the device and the stack.
//! - [`host`]: the stack's bindings on Linux (clock, generator, transmit, socket events).
//! - [`netstack`]: the stack on its own thread, the poll loop.
//! - [`udp`]: blocking std-style UDP sockets on a running stack.
//! - [`tcp`]: blocking std-style TCP listeners and streams on a running stack.
//! - [`icmp`]: a blocking ICMP echo (ping) socket.
//! - `async_device` (feature `tokio`): the interface registered with tokio's reactor.
//! - [`rss`]: symmetric Toeplitz flow hashing for sharding traffic across stacks.
//! - [`uso`]: cutting a UDP GSO frame the kernel hands a device with offload.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "tokio")]
pub mod async_device;
pub mod burst;
pub mod device;
pub mod error;
pub mod fault;
pub mod host;
pub mod icmp;
pub mod netstack;
pub mod offload;
pub mod pcapng;
pub mod rng;
pub mod rss;
pub mod tcp;
pub mod udp;
pub mod uso;
