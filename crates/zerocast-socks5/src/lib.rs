//! zerocast-socks5: a SOCKS5 client that performs no I/O.
//!
//! The handshake of RFC 1928 (with the username/password sub-negotiation of RFC 1929) is a
//! state machine: the caller writes what [`ClientHandshake::output`] holds to the proxy,
//! feeds every byte it reads back to [`ClientHandshake::feed`], and repeats until the
//! handshake is done or has failed. Bytes may arrive split anywhere; `feed` takes only the
//! bytes that belong to the handshake and reports how many, so data the proxy relays right
//! after its reply stays with the caller. The same code runs over blocking sockets, tokio,
//! or a userspace stack's TCP. UDP ASSOCIATE's per-datagram header (RFC 1928 section 7) is
//! in [`udp`].
//!
//! # Modules
//! - [`addr`]: the address forms (IPv4, IPv6, domain name) and their encoding.
//! - [`client`]: the handshake.
//! - [`udp`]: the UDP request header.
//! - [`error`]: what went wrong, with the proxy's reply codes.
//!
//! ```
//! use zerocast_socks5::{ClientHandshake, Command, Status, TargetAddr};
//! let target = TargetAddr::Ip("192.0.2.7:80".parse().unwrap());
//! let mut hs = ClientHandshake::new(Command::Connect, target, None).unwrap();
//! assert_eq!(hs.output(), [5, 1, 0], "greeting: version 5, one method, no auth");
//! hs.clear_output();
//! // The proxy picks "no authentication"; the client then sends its CONNECT request.
//! assert_eq!(hs.feed(&[5, 0]).unwrap(), 2);
//! assert_eq!(hs.output(), [5, 1, 0, 1, 192, 0, 2, 7, 0, 80]);
//! hs.clear_output();
//! // Success, bound to 10.0.0.1:4000, followed by the first relayed bytes.
//! let reply = [5, 0, 0, 1, 10, 0, 0, 1, 0x0f, 0xa0, b'H', b'i'];
//! assert_eq!(hs.feed(&reply).unwrap(), 10, "the relayed bytes are not the handshake's");
//! assert_eq!(hs.status(), Status::Done(TargetAddr::Ip("10.0.0.1:4000".parse().unwrap())));
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod addr;
pub mod client;
pub mod error;
pub mod udp;

pub use addr::TargetAddr;
pub use client::{ClientHandshake, Command, Credentials, Status};
pub use error::{ReplyCode, Socks5Error};
