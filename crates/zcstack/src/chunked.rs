//! The HTTP/1.1 chunked transfer coding, decoding side (RFC 9112 section 7.1), shared by the
//! server's request bodies and the client's response bodies.
//!
//! The decoder is a byte-level state machine: it can be fed any split of the stream, keeps
//! no body bytes (each data slice is handed to a callback as it passes), and bounds every
//! line it must look at (size lines with their extensions, trailer fields), so a peer can
//! neither make it allocate nor make it panic.

use std::fmt;

/// The longest chunk-size line (size, extensions, CRLF) or trailer line accepted.
pub const MAX_LINE: usize = 4096;

/// The largest chunk size accepted (2^48 bytes: far beyond any real chunk, and small
/// enough that sums of sizes never overflow a `u64`).
pub const MAX_CHUNK: u64 = 1 << 48;

/// Why a chunked body is malformed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChunkedError {
    /// A chunk-size line did not start with a hexadecimal number.
    BadSize,
    /// A chunk size above [`MAX_CHUNK`].
    SizeTooLarge,
    /// The CRLF after a chunk's data is missing.
    MissingCrlf,
    /// A size or trailer line longer than [`MAX_LINE`].
    LineTooLong,
}

impl fmt::Display for ChunkedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChunkedError::BadSize => "a chunk size is not a hexadecimal number",
            ChunkedError::SizeTooLarge => "a chunk size is too large",
            ChunkedError::MissingCrlf => "a chunk's data is not followed by CRLF",
            ChunkedError::LineTooLong => "a chunk-size or trailer line is too long",
        })
    }
}

impl std::error::Error for ChunkedError {}

/// Where the decoder is in the stream.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum State {
    /// In a chunk-size line: the size so far, its digit count, whether the size has ended
    /// (an extension or whitespace follows), and the line's length.
    Size {
        size: u64,
        digits: u32,
        ended: bool,
        line: usize,
    },
    /// In a chunk's data, `left` bytes to go.
    Data { left: u64 },
    /// After a chunk's data: the CR (or a bare LF) of its CRLF.
    DataCr,
    /// After a chunk's data and its CR: the LF.
    DataLf,
    /// At the start of a trailer line (or of the final empty line).
    TrailerStart,
    /// Inside a trailer field line of `line` bytes so far.
    TrailerField { line: usize },
    /// After a CR at the start of a trailer line: the final LF.
    FinalLf,
    /// The last chunk and the trailer section have been read.
    Done,
}

/// A chunked-body decoder.
///
/// ```
/// use zcstack::chunked::ChunkedDecoder;
/// let mut decoder = ChunkedDecoder::new();
/// let mut body = Vec::new();
/// let wire = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\nNEXT";
/// let used = decoder.decode(wire, |data| body.extend_from_slice(data)).unwrap();
/// assert_eq!(body, b"hello world");
/// assert!(decoder.is_done());
/// assert_eq!(&wire[used..], b"NEXT"); // the bytes after the body are left alone
/// ```
#[derive(Clone, Debug)]
pub struct ChunkedDecoder {
    state: State,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        ChunkedDecoder::new()
    }
}

impl ChunkedDecoder {
    /// A decoder at the start of a chunked body.
    #[must_use]
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: State::Size {
                size: 0,
                digits: 0,
                ended: false,
                line: 0,
            },
        }
    }

    /// Whether the whole body (last chunk and trailers) has been read.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes from `input`, handing each run of body bytes to `on_data`. Returns how many
    /// bytes of `input` belong to the body (all of them unless the body ended inside it).
    ///
    /// # Errors
    /// The body is malformed; the connection cannot be resynchronised and should close.
    pub fn decode(
        &mut self,
        input: &[u8],
        mut on_data: impl FnMut(&[u8]),
    ) -> Result<usize, ChunkedError> {
        let mut pos = 0;
        while pos < input.len() {
            if let State::Data { left } = self.state {
                let rest = input.get(pos..).unwrap_or_default();
                let take = usize::try_from(left).map_or(rest.len(), |l| l.min(rest.len()));
                let (data, _) = rest.split_at(take);
                on_data(data);
                pos += take;
                let left = left - take as u64;
                self.state = if left == 0 {
                    State::DataCr
                } else {
                    State::Data { left }
                };
                continue;
            }
            if self.state == State::Done {
                return Ok(pos);
            }
            let byte = input.get(pos).copied().unwrap_or_default();
            pos += 1;
            self.state = step(self.state, byte)?;
        }
        Ok(pos)
    }
}

/// One byte of the framing (everything but chunk data), RFC 9112 section 7.1:
/// `chunk-size [chunk-ext] CRLF`, data `CRLF`, and after the last chunk
/// `*(field-line CRLF) CRLF`. A bare LF is accepted where CRLF is due (section 2.2 lets a
/// recipient recognise LF alone as a line terminator).
fn step(state: State, byte: u8) -> Result<State, ChunkedError> {
    Ok(match state {
        State::Size {
            size,
            digits,
            ended,
            line,
        } => {
            if line >= MAX_LINE {
                return Err(ChunkedError::LineTooLong);
            }
            let line = line + 1;
            match (byte, ended) {
                (b'\n', _) => size_line_end(size, digits)?,
                (b'\r', _) => State::Size {
                    size,
                    digits,
                    ended: true,
                    line,
                },
                (_, false) if byte.is_ascii_hexdigit() => {
                    let digit = u64::from(hex_value(byte));
                    let size = size
                        .checked_mul(16)
                        .and_then(|s| s.checked_add(digit))
                        .filter(|&s| s <= MAX_CHUNK)
                        .ok_or(ChunkedError::SizeTooLarge)?;
                    State::Size {
                        size,
                        digits: digits + 1,
                        ended: false,
                        line,
                    }
                }
                // Extensions (`;name=value`) and whitespace before them are ignored, as
                // section 7.1.1 allows.
                (b';' | b' ' | b'\t', _) if digits > 0 => State::Size {
                    size,
                    digits,
                    ended: true,
                    line,
                },
                (_, true) => State::Size {
                    size,
                    digits,
                    ended: true,
                    line,
                },
                (_, false) => return Err(ChunkedError::BadSize),
            }
        }
        State::DataCr => match byte {
            b'\r' => State::DataLf,
            b'\n' => first_size_line(),
            _ => return Err(ChunkedError::MissingCrlf),
        },
        State::DataLf => match byte {
            b'\n' => first_size_line(),
            _ => return Err(ChunkedError::MissingCrlf),
        },
        State::TrailerStart => match byte {
            b'\r' => State::FinalLf,
            b'\n' => State::Done,
            _ => State::TrailerField { line: 1 },
        },
        State::TrailerField { line } => match byte {
            b'\n' => State::TrailerStart,
            _ if line >= MAX_LINE => return Err(ChunkedError::LineTooLong),
            _ => State::TrailerField { line: line + 1 },
        },
        State::FinalLf => match byte {
            b'\n' => State::Done,
            _ => return Err(ChunkedError::MissingCrlf),
        },
        State::Data { .. } | State::Done => state,
    })
}

fn first_size_line() -> State {
    State::Size {
        size: 0,
        digits: 0,
        ended: false,
        line: 0,
    }
}

/// The end of a chunk-size line: a size of zero is the last chunk (trailers follow).
fn size_line_end(size: u64, digits: u32) -> Result<State, ChunkedError> {
    if digits == 0 {
        return Err(ChunkedError::BadSize);
    }
    Ok(if size == 0 {
        State::TrailerStart
    } else {
        State::Data { left: size }
    })
}

fn hex_value(byte: u8) -> u8 {
    match byte {
        b'0'..=b'9' => byte - b'0',
        b'a'..=b'f' => byte - b'a' + 10,
        b'A'..=b'F' => byte - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(wire: &[u8]) -> Result<(Vec<u8>, usize, bool), ChunkedError> {
        let mut d = ChunkedDecoder::new();
        let mut body = Vec::new();
        let used = d.decode(wire, |b| body.extend_from_slice(b))?;
        Ok((body, used, d.is_done()))
    }

    #[test]
    fn every_split_of_a_body_decodes_the_same() {
        let wire =
            b"4\r\nWiki\r\n5;a=b\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nrest";
        let (whole, used, done) = decode_all(wire).unwrap();
        assert_eq!(whole, b"Wikipedia in\r\n\r\nchunks.");
        assert!(done);
        assert_eq!(&wire[used..], b"rest");
        for split in 0..=wire.len() {
            let mut d = ChunkedDecoder::new();
            let mut body = Vec::new();
            let (a, b) = wire.split_at(split);
            let first = d.decode(a, |x| body.extend_from_slice(x)).unwrap();
            let second = if d.is_done() {
                0
            } else {
                d.decode(b, |x| body.extend_from_slice(x)).unwrap()
            };
            assert_eq!(body, whole, "split at {split}");
            assert_eq!(first + second, used, "split at {split}");
        }
    }

    #[test]
    fn bare_lf_line_ends_are_accepted() {
        let (body, _, done) = decode_all(b"3\nabc\n0\n\n").unwrap();
        assert_eq!((body.as_slice(), done), (&b"abc"[..], true));
    }

    #[test]
    fn malformed_framing_is_an_error_not_a_panic() {
        assert_eq!(decode_all(b"zz\r\n"), Err(ChunkedError::BadSize));
        assert_eq!(decode_all(b"\r\n"), Err(ChunkedError::BadSize));
        assert_eq!(decode_all(b"3\r\nabcX"), Err(ChunkedError::MissingCrlf));
        assert_eq!(
            decode_all(b"1000000000000000000\r\n"),
            Err(ChunkedError::SizeTooLarge)
        );
        let long = [b"1;".as_slice(), &[b'x'; MAX_LINE]].concat();
        assert_eq!(decode_all(&long), Err(ChunkedError::LineTooLong));
    }

    #[test]
    fn an_unfinished_body_is_not_done() {
        let (body, used, done) = decode_all(b"5\r\nhel").unwrap();
        assert_eq!((body.as_slice(), used, done), (&b"hel"[..], 6, false));
    }
}
