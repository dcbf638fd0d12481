//! TCP (RFC 9293 and the RFCs it builds on): connections, listeners and their sockets.
//!
//! Work in progress (issue 12). The module map:
//! - [`seq`]: sequence-number arithmetic, the only place raw `u32` sequence numbers are
//!   compared.

pub mod seq;

pub use seq::SeqNum;
