//! zerocast-tap: the Linux binding of zerocast-stack (TAP/TUN devices through `tun-rs`, the
//! poll loop with the real clock, pcapng capture, blocking std-style sockets).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
