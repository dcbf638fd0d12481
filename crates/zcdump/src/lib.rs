//! zcdump: a zero-copy capture dissector that answers field for field like tshark.
//!
//! The pipeline is: [`capture`] streams frames out of pcap/pcapng files, [`dissect`] maps
//! zerocast-wire's parsed views of each frame into a [`fields::FrameFields`] set of tshark
//! field names and values, and the [`output`] writers, the [`filter`] language and the
//! [`stats`] collector all read that one set. [`cli`] ties them to the command line.
//!
//! Capture files are streamed through one reusable buffer rather than memory-mapped: the
//! crate forbids `unsafe` (mapping a file is an `unsafe` call, since another process may
//! change it underneath), and streaming keeps peak memory independent of the file's size
//! while working the same for `-r -` (standard input). `--stats`, which needs no output
//! order, hands whole read buffers ([`capture::Batch`]) to one worker thread per core and
//! merges their tallies in file order, so its report does not depend on the thread count.
//!
//! ```
//! use zcdump::capture::CaptureReader;
//! use zcdump::dissect::dissect;
//! use zcdump::fields::{Field, FrameFields};
//! use zcdump::output::{FieldsWriter, FrameMeta, LineWriter};
//!
//! let file = std::fs::File::open("../../samples/kernel-mix.pcap")?;
//! let mut reader = CaptureReader::open(file)?;
//! let mut writer = FieldsWriter::new(vec![Field::FrameNumber, Field::Ipv6Dst, Field::Icmpv6Type], b'\t');
//! let mut fields = FrameFields::default();
//! let mut out = Vec::new();
//! if let Some(packet) = reader.next_packet()? {
//!     dissect(&packet, 1, &mut fields);
//!     writer.frame(&FrameMeta::default(), &fields, &mut out);
//! }
//! assert_eq!(out, b"1\tff02::1:ff5d:1aad\t135\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod analysis;
pub mod capture;
pub mod cli;
pub mod dissect;
pub mod fields;
pub mod filter;
pub mod follow;
pub mod output;
pub mod run;
pub mod stats;
