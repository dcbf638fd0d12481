//! TCP (RFC 9293 and the RFCs it builds on): connections, listeners and their sockets.
//!
//! The module map:
//! - [`seq`]: sequence-number arithmetic, the only place raw `u32` sequence numbers are
//!   compared.
//! - `conn/`: one connection's state machine, driven by segments, user calls and timers,
//!   knowing nothing of the stack (`conn/input.rs` segment arrival, `conn/output.rs`
//!   what to send, `conn/timers.rs`, `conn/loss.rs` the retransmission/congestion seam).
//! - `rules.rs`: the per-segment RFC rules as small functions (acceptability, RFC 5961,
//!   PAWS, SWS, Nagle, window scale, challenge-ACK rate limit).
//! - `segment.rs`: parsed and outgoing segments, options in and out.
//! - `send_buffer.rs`, `recv_buffer.rs`, `assembler.rs`: bounded buffers and the
//!   out-of-order ranges behind SACK.
//! - `demux.rs`: connections by 4-tuple, listeners and bound sockets by port; `ports.rs`:
//!   RFC 6056 ephemeral port selection.
//! - `io.rs`: receive from IP, send through IP, timers; `icmp_error.rs`: ICMP errors about
//!   our segments (RFC 5927, RFC 5461, PMTU resend); `linger.rs`: close with a linger time;
//!   `api.rs`: the `tcp_*` calls on [`Stack`](crate::Stack).
//! - `rtt.rs` (RFC 6298, with `minmax.rs`'s windowed minimum RTT), `recovery/` (SACK
//!   scoreboard, RACK-TLP, PRR) and `cc/` (CUBIC, NewReno, HyStart++, RFC 7661).
//!
//! ```
//! use zerocast_stack::{Stack, StackConfig, tcp::TcpState};
//! # let mut bc = zerocast_stack::__doc_bindings();
//! let mut stack = Stack::new(StackConfig::default());
//! let listener = stack.tcp_open()?;
//! stack.tcp_bind(listener, "0.0.0.0:7".parse().unwrap())?;
//! stack.tcp_listen(&mut bc, listener, 8)?;
//! assert_eq!(stack.tcp_state(listener)?, TcpState::Listen);
//! # Ok::<(), zerocast_stack::SocketError>(())
//! ```

mod api;
mod assembler;
pub(crate) mod cc;
mod config;
pub(crate) mod conn;
mod deadline;
pub(crate) mod demux;
#[cfg(test)]
mod feature_tests;
pub(crate) mod icmp_error;
pub(crate) mod io;
pub(crate) mod isn;
mod linger;
mod minmax;
mod ports;
pub(crate) mod recovery;
mod recv_buffer;
pub(crate) mod rtt;
mod rules;
pub(crate) mod segment;
mod send_buffer;
pub mod seq;
mod siphash;
mod socket_options;
mod state;
pub(crate) mod syn_cookie;
mod transparent;
pub(crate) mod tso;

pub use cc::CongestionAlgorithm;
pub use config::TcpConfig;
pub use seq::SeqNum;
pub use socket_options::{Keepalive, TcpSocketOptions};
pub use state::{Shutdown, TcpState};

/// The bound on out-of-order ranges one connection holds (for the fuzzer's invariants).
#[cfg(any(test, feature = "testutil"))]
pub(crate) const fn assembler_max_ranges() -> usize {
    assembler::MAX_RANGES
}
