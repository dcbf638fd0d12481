//! zcstack: zerocast-stack on a Linux TAP/TUN interface, as a command.
//!
//! - [`cli`]: the arguments and the parsers of addresses, MACs and probabilities.
//! - [`serve`]: `zcstack serve`, the stack with its echo and HTTP services.
//! - [`tcp_service`]: the TCP listeners and connections of `serve`, driven by readiness.
//! - [`client`]: `zcstack fetch` and `zcstack send`, the stack as the active opener.
//! - [`http`]: the sans-IO HTTP/1.1 server connection behind `serve --http`.
//! - [`http_client`]: the sans-IO HTTP/1.1 client behind `zcstack fetch`, and its URLs.
//! - [`chunked`]: the chunked transfer coding's decoder (both of the above).
//! - [`echo`]: the sans-IO TCP echo connection behind `serve --tcp-echo`.
//! - [`sha256`]: SHA-256, for checking transfers end to end.
//! - [`relay`]: `zcstack relay`, the tun2socks-style relay on the async stack.
//! - [`signals`]: SIGTERM/SIGINT reset the connections before zcstack exits.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chunked;
pub mod cli;
pub mod client;
pub mod echo;
pub mod http;
pub mod http_client;
pub mod relay;
pub mod serve;
pub mod sha256;
pub mod signals;
pub mod tcp_service;
