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
//! - [`Stack`] and [`StackConfig`] (in `stack.rs`): devices, addresses, routes, the entry
//!   points `receive_frame`, `handle_timers`, `next_deadline`.
//! - [`device`]: Ethernet, 802.1Q VLAN, pure-IP and loopback devices, link framing, counters.
//! - [`neighbor`]: ARP and NDP resolution (one NUD state machine); [`ipv6`]: DAD, SLAAC,
//!   router discovery, MLD; [`igmp`] and [`membership`]: multicast source filters
//!   (any-source and source-specific joins, [`Stack::set_multicast_source_filter`]), their
//!   state-change reports and answers to general, group-specific and
//!   group-and-source-specific queries; a group's UDP datagrams are delivered only from
//!   the sources the interface's filter accepts.
//! - [`ip`]: routing (longest-prefix match), RFC 6724 source selection, IPv4 and IPv6
//!   receive, extension headers, reassembly, fragmentation, forwarding, path MTU.
//! - [`icmp`]: echo (replies built in place), errors (quoting, rate limit), echo sockets.
//! - [`udp`]: UDP sockets and demultiplexing; [`socket`]: socket errors and the table.
//! - [`counters`]: what each layer received, sent and dropped.
//!
//! ```
//! use zerocast_stack::{Stack, StackConfig};
//! # let mut bc = zerocast_stack::__doc_bindings();
//! let mut stack = Stack::new(StackConfig::default());
//! let tun = stack.add_pure_ip_device(1500);
//! stack.add_address(&mut bc, tun, "10.0.0.2".parse().unwrap(), 24).unwrap();
//! let sock = stack.udp_open().unwrap();
//! stack.udp_bind(&mut bc, sock, "0.0.0.0:7".parse().unwrap()).unwrap();
//! stack.udp_send_to(&mut bc, sock, b"hello", "10.0.0.1:9".parse().unwrap()).unwrap();
//! assert_eq!(stack.counters().udp.tx, 1);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(any(test, feature = "testutil"))]
extern crate std;

pub mod context;
pub mod counters;
pub mod device;
pub mod icmp;
pub mod igmp;
pub mod ip;
pub mod ipv6;
pub mod membership;
pub mod neighbor;
pub mod socket;
mod stack;
pub mod tcp;
#[cfg(any(test, feature = "testutil"))]
pub mod testutil;
pub mod time;
pub mod timer;
pub mod udp;

#[cfg(test)]
mod tests;

pub use context::{Bindings, DeviceId, Readiness, SocketId};
pub use counters::StackCounters;
pub use icmp::socket::EchoReply;
pub use socket::SocketError;
pub use stack::{Stack, StackConfig};
pub use zerocast_wire::MacAddr;

/// Bindings for documentation examples: time 0, a counter as RNG, frames discarded.
#[doc(hidden)]
#[must_use]
pub fn __doc_bindings() -> impl Bindings {
    struct DocBindings(u64);
    impl context::Clock for DocBindings {
        fn now(&self) -> time::Instant {
            time::Instant::ZERO
        }
    }
    impl context::Rng for DocBindings {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            self.0
        }
    }
    impl context::DeviceTx for DocBindings {
        fn transmit(&mut self, _: DeviceId, _: &[u8]) {}
    }
    impl context::SocketEvents for DocBindings {
        fn socket_ready(&mut self, _: SocketId, _: Readiness) {}
    }
    DocBindings(0)
}

/// An ICMPv4 echo request 10.0.0.1 -> 10.0.0.2 (id 1, seq 1, data "ping"), for examples.
#[doc(hidden)]
#[must_use]
pub fn __doc_echo_request() -> alloc::vec::Vec<u8> {
    let mut message = alloc::vec![0u8; 12];
    message[8..].copy_from_slice(b"ping");
    let _ = zerocast_wire::icmpv4::Icmpv4Repr::echo_request(1, 1).emit(&mut message);
    let repr = zerocast_wire::ipv4::Ipv4Repr::new(
        zerocast_wire::Ipv4Addr([10, 0, 0, 1]),
        zerocast_wire::Ipv4Addr([10, 0, 0, 2]),
        zerocast_wire::IpProto::ICMP,
        64,
    );
    let mut packet = alloc::vec![0u8; 20 + message.len()];
    let _ = repr.emit(&mut packet, message.len());
    packet[20..].copy_from_slice(&message);
    packet
}
