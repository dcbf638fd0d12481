//! zcdump: a zero-copy capture dissector that answers field for field like tshark.
//!
//! The pipeline is: [`capture`] streams frames out of pcap/pcapng files, [`dissect`] maps
//! zerocast-wire's parsed views of each frame into a [`fields::FrameFields`] set of tshark
//! field names and values, and the [`output`] writers, the [`filter`] language and the
//! [`stats`] collector all read that one set. [`cli`] ties them to the command line.
#![forbid(unsafe_code)]

pub mod capture;
pub mod cli;
pub mod dissect;
pub mod fields;
pub mod filter;
pub mod output;
pub mod run;
pub mod stats;
