//! zcstack: zerocast-stack on a Linux TAP/TUN interface, as a command.
//!
//! - [`cli`]: the arguments and the parsers of addresses, MACs and probabilities.
//! - [`serve`]: `zcstack serve`, the stack with its echo services.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod serve;
