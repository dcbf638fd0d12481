//! zerocast-stack: a safe, `no_std`, sans-IO TCP/IP stack on zerocast's packet crates.
//!
//! The core performs no I/O. Each input — a received frame, an application's socket call,
//! a timer firing — is one call that runs to completion, and every output leaves through the
//! context traits in [`context`] that the embedder implements (clock, randomness, frame
//! transmit, socket readiness). A test therefore controls time completely and reproduces any
//! run from its seed; `zerocast-tap` runs the same core over Linux TAP/TUN devices.
//!
//! Received frames are parsed in place with `zerocast-wire` views over `zerocast-packet`
//! buffers, and replies that fit reuse the received buffer.
//!
//! # Layout (one protocol a file, bottom to top)
//! - [`time`], [`timer`], [`context`]: instants, deadlines, the embedder's traits.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(any(test, feature = "testutil"))]
extern crate std;

pub mod context;
#[cfg(any(test, feature = "testutil"))]
pub mod testutil;
pub mod time;
pub mod timer;
