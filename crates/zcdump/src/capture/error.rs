//! Errors for structurally broken capture files, each tied to a byte offset.

use std::fmt;
use std::io;

/// A fault in the capture file itself (not in a packet's contents).
///
/// ```
/// use zcdump::capture::{CaptureError, CaptureErrorKind};
/// let e = CaptureError::new(24, CaptureErrorKind::BadMagic { magic: 0xdeadbeef });
/// assert_eq!(e.offset(), 24);
/// assert!(e.to_string().contains("byte offset 24"));
/// ```
#[derive(Debug)]
pub struct CaptureError {
    offset: u64,
    kind: CaptureErrorKind,
}

/// What was wrong with the capture file.
///
/// ```
/// use zcdump::capture::{CaptureErrorKind, CaptureReader};
/// let mut gif = [0u8; 24]; // as long as a pcap file header, but a GIF image
/// gif[..6].copy_from_slice(b"GIF89a");
/// let Err(e) = CaptureReader::open(&gif[..]) else { panic!("not a capture file") };
/// assert!(matches!(e.kind(), CaptureErrorKind::BadMagic { magic: 0x4749_4638 }));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum CaptureErrorKind {
    /// The first four bytes are neither a pcap nor a pcapng magic number.
    BadMagic {
        /// The bytes found, read big-endian.
        magic: u32,
    },
    /// The file ends inside a header or record.
    Truncated {
        /// Which structure was cut short.
        what: &'static str,
        /// Bytes the structure needs.
        need: u64,
        /// Bytes that were left in the file.
        have: u64,
    },
    /// A length field is larger than any real capture produces.
    AbsurdLength {
        /// Which length field.
        what: &'static str,
        /// Its value.
        value: u64,
    },
    /// A pcapng block is inconsistent with itself or with the section.
    BadBlock {
        /// What is inconsistent.
        reason: &'static str,
    },
    /// A packet names an interface that was never described.
    UnknownInterface {
        /// The interface index in the packet block.
        interface: u32,
        /// How many interfaces the section had described before the packet.
        described: usize,
    },
    /// Reading the input failed.
    Io(io::Error),
}

impl CaptureError {
    /// A new error found at byte `offset` of the input.
    ///
    /// ```
    /// use zcdump::capture::{CaptureError, CaptureErrorKind};
    /// let kind = CaptureErrorKind::Truncated { what: "record header", need: 16, have: 3 };
    /// let e = CaptureError::new(42, kind);
    /// assert_eq!(e.offset(), 42);
    /// assert!(e.to_string().contains("needs 16 bytes"));
    /// ```
    #[must_use]
    pub fn new(offset: u64, kind: CaptureErrorKind) -> Self {
        CaptureError { offset, kind }
    }

    pub(crate) fn io(offset: u64, e: io::Error) -> Self {
        CaptureError::new(offset, CaptureErrorKind::Io(e))
    }

    /// The byte offset in the input of the structure that is at fault.
    ///
    /// ```
    /// use zcdump::capture::{CaptureError, CaptureErrorKind};
    /// let e = CaptureError::new(7, CaptureErrorKind::BadBlock { reason: "x" });
    /// assert_eq!(e.offset(), 7);
    /// ```
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// What was wrong.
    ///
    /// ```
    /// use zcdump::capture::{CaptureError, CaptureErrorKind};
    /// let e = CaptureError::new(0, CaptureErrorKind::BadBlock { reason: "x" });
    /// assert!(matches!(e.kind(), CaptureErrorKind::BadBlock { reason: "x" }));
    /// ```
    #[must_use]
    pub fn kind(&self) -> &CaptureErrorKind {
        &self.kind
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A failed read says nothing about the file's structure.
        if let CaptureErrorKind::Io(e) = &self.kind {
            return write!(
                f,
                "cannot read the capture at byte offset {}: {e}",
                self.offset
            );
        }
        write!(f, "malformed capture file at byte offset {}: ", self.offset)?;
        match &self.kind {
            CaptureErrorKind::Truncated { have: 0, .. } if self.offset == 0 => {
                write!(
                    f,
                    "the input is empty (a pcap or pcapng file header was expected)"
                )
            }
            CaptureErrorKind::BadMagic { magic } => {
                write!(f, "unknown magic number 0x{magic:08x} (not pcap or pcapng)")
            }
            CaptureErrorKind::Truncated { what, need, have } => {
                write!(f, "truncated {what}: needs {need} bytes, file has {have}")
            }
            CaptureErrorKind::AbsurdLength { what, value } => {
                write!(f, "{what} {value} is larger than any capture allows")
            }
            CaptureErrorKind::BadBlock { reason } => write!(f, "bad pcapng block: {reason}"),
            CaptureErrorKind::UnknownInterface {
                interface,
                described: 0,
            } => write!(
                f,
                "packet block names interface {interface}, but no interface was described \
                 before it (an Interface Description Block must come first)"
            ),
            CaptureErrorKind::UnknownInterface {
                interface,
                described,
            } => write!(
                f,
                "packet block names interface {interface}, but only {described} interface(s) \
                 (numbered from 0) were described before it"
            ),
            CaptureErrorKind::Io(e) => write!(f, "read error: {e}"),
        }
    }
}

impl std::error::Error for CaptureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CaptureErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureReader;

    /// A reader whose every read fails, like a disk with a bad sector.
    struct Failing;

    impl io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("bad sector"))
        }
    }

    #[test]
    fn a_failed_read_is_not_called_a_malformed_file() {
        let Err(e) = CaptureReader::open(Failing) else {
            panic!("a failing reader opened");
        };
        assert_eq!(
            e.to_string(),
            "cannot read the capture at byte offset 0: bad sector"
        );
    }

    #[test]
    fn an_empty_input_is_named_as_such() {
        let Err(e) = CaptureReader::open(&[][..]) else {
            panic!("an empty input opened");
        };
        assert!(
            e.to_string()
                .ends_with("the input is empty (a pcap or pcapng file header was expected)"),
            "{e}"
        );
        // Three bytes are a cut header, not an empty input.
        let Err(e) = CaptureReader::open(&[0xd4, 0xc3, 0xb2][..]) else {
            panic!("a 3-byte input opened");
        };
        assert!(e.to_string().contains("truncated file header"), "{e}");
    }
}
