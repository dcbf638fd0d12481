//! Views of headers that a capture (or an ICMP error's quote) cut inside their fixed part.
//!
//! Each protocol's `parse_lenient` returns one of these as [`Lenient::Cut`](crate::Lenient)
//! when the bytes end before its fixed header does. A view keeps the captured bytes and
//! reads each field in place through [`Captured::field`], which yields the field only when
//! all of its bytes are there, so every accessor returns `Some` exactly for captured fields.
//! The views check what the full parsers check, as far as the captured fields go (version,
//! header length, length fields), so a cut header is never shown with values its whole form
//! would reject. They are re-exported from their protocols' modules (`ipv4::Ipv4Partial`).

use zerocast::{FromBytes, Immutable, KnownLayout, SplitByteSlice, Unaligned};

use crate::error::{Layer, ParseError};
use crate::parse::split_at_most;

mod icmp;
mod ip;
mod transport;

pub use icmp::{Icmpv4Partial, Icmpv6Partial, IgmpPartial};
pub use ip::{Ipv4Partial, Ipv6Partial};
pub use transport::{TcpPartial, UdpPartial};

/// The captured first bytes (at most `N`) of a header whose fixed part is `N` bytes long,
/// read one field at a time: a field exists only if every one of its bytes was captured.
pub(crate) struct Captured<B, const N: usize> {
    /// Invariant: `1 <= bytes.len() <= N`.
    bytes: B,
}

impl<B: SplitByteSlice, const N: usize> Captured<B, N> {
    /// Keeps the first `N` bytes of `bytes`; an empty slice has no fields to show.
    pub(crate) fn new(bytes: B, layer: Layer) -> Result<Self, ParseError> {
        if bytes.is_empty() {
            return Err(ParseError::truncated(layer, 1, 0));
        }
        let (bytes, _, _) = split_at_most(bytes, N);
        Ok(Captured { bytes })
    }

    /// The field of type `T` at `offset`, cast in place, if all of it was captured.
    pub(crate) fn field<T>(&self, offset: usize) -> Option<&T>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let from = self.bytes.get(offset..)?;
        T::ref_from_prefix(from).ok().map(|(field, _)| field)
    }

    /// The byte at `offset`, if captured.
    pub(crate) fn byte(&self, offset: usize) -> Option<u8> {
        self.bytes.get(offset).copied()
    }

    /// How many bytes of the fixed header were captured (1 to `N`).
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The captured bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Gives up the view, returning the captured bytes.
    pub(crate) fn into_bytes(self) -> B {
        self.bytes
    }
}
