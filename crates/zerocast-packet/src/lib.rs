//! Zero-copy packet buffers, a parse cursor and a nested serializer, after the design of
//! netstack3's `packet` crate.
//!
//! A packet buffer is laid out as `prefix | body | suffix`. Parsing a layer *consumes*
//! bytes from the body (they move into the prefix or suffix, still in memory); serializing a
//! layer *grows* the body back over them and writes a header and footer in place around an
//! already-written body, so the bytes of a packet are copied at most once.
//!
//! The crate is organised as a table of contents:
//!
//! - [`buffer`]: the buffer traits ([`ParseBuffer`], [`GrowBuffer`], their `Mut` variants).
//! - [`buf`]: [`Buf`], the concrete buffer over any byte storage, and [`EmptyBuf`].
//! - [`either`]: [`Either`], a buffer that is one of two buffer types.
//! - [`fragmented`]: scatter-gather byte views ([`FragmentedBytes`]).
//! - [`view`]: the parse cursor [`BufferView`] / [`BufferViewMut`].
//! - [`parse`]: [`ParsablePacket`], [`ParseMetadata`] and [`MaybeParsed`] (lenient parsing).
//! - [`constraints`]: [`PacketConstraints`], the size rules a layer imposes on its body.
//! - [`builder`]: [`PacketBuilder`] (headers/footers around a body) and
//!   [`InnerPacketBuilder`] (the innermost payload).
//! - [`serialize`]: [`Serializer`], [`Nested`] and the serializers built from them.
//! - [`provider`]: [`BufferProvider`]s that reuse a received buffer or allocate.
//! - [`records`]: type-length-value record sequences (IP, TCP and NDP options).
//!
//! # How it relates to netstack3's `packet`
//!
//! The model (prefix | body | suffix, parse by consuming, serialize inside-out around an
//! in-place body, constraints combined outside-in, one buffer request per packet) is
//! netstack3's. What differs:
//!
//! - Four buffer traits instead of a tower of them: [`ParseBuffer`], [`ParseBufferMut`],
//!   [`GrowBuffer`], [`GrowBufferMut`]; fragmented access is a separate read-only
//!   [`FragmentedBuffer`] that every buffer also offers.
//! - A failed parse leaves the buffer as it was ([`Buf`] and `&[u8]`), so a caller can try
//!   another parser on the same bytes.
//! - Serializers take no context parameter; size limits ([`Serializer::with_size_limit`])
//!   are ordinary layers, and impossible nestings are a
//!   [`SerializeError::ConstraintsUnsatisfiable`] instead of an assertion.
//! - Allocation failure is an error ([`provider::AllocError`]), not an abort.
//! - `no_std`: without the `alloc` feature, serialize into an existing buffer with
//!   [`provider::NoAllocProvider`].
//! - Option framing for IPv4, TCP, IPv6 and NDP is shared ([`records::options`]), so a
//!   protocol writes only the per-kind value parser.
//!
//! # Example
//!
//! Serialize a payload inside a toy header:
//!
//! ```
//! use zerocast_packet::{InnerPacketBuilder, Serializer, PacketBuilder, PacketConstraints,
//!     SerializeTarget};
//!
//! /// A toy 2-byte header: a tag byte and the body length.
//! #[derive(Debug)]
//! struct Tag(u8);
//!
//! impl PacketBuilder for Tag {
//!     fn constraints(&self) -> PacketConstraints {
//!         PacketConstraints::new(2, 0, 0, 255).unwrap()
//!     }
//!     fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
//!         target.header[0] = self.0;
//!         // `constraints` caps the body at 255 bytes, so this never truncates.
//!         target.header[1] = body.len() as u8;
//!     }
//! }
//!
//! let payload = &b"hello"[..];
//! let buf = payload.into_serializer().wrap_in(Tag(7)).serialize_vec_outer().unwrap();
//! assert_eq!(buf.as_ref(), &[7, 5, b'h', b'e', b'l', b'l', b'o']);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;
pub mod buf;
pub mod buffer;
pub mod builder;
pub mod constraints;
pub mod either;
pub mod fragmented;
pub mod parse;
pub mod provider;
pub mod records;
pub mod serialize;
pub mod view;

pub use buf::{Buf, BufView, BufViewMut, EmptyBuf};
pub use buffer::{Buffer, BufferMut, GrowBuffer, GrowBufferMut, ParseBuffer, ParseBufferMut};
pub use builder::{InnerPacketBuilder, PacketBuilder, SerializeTarget};
pub use constraints::PacketConstraints;
pub use either::Either;
pub use fragmented::{FragmentedBuffer, FragmentedBytes, FragmentedBytesMut};
pub use parse::{MaybeParsed, ParsablePacket, ParseMetadata};
pub use provider::BufferProvider;
pub use serialize::{
    InnerSerializer, LimitedSizePacketBuilder, Nested, SerializeError, Serializer,
    TruncateDirection, TruncatingSerializer,
};
pub use view::{BufferView, BufferViewMut};
