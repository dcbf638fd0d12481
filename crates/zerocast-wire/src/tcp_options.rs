//! TCP options (RFC 9293 section 3.1, RFC 7323 window scale and timestamps, RFC 2018 SACK),
//! read as kind-length-value records straight out of the header.
//!
//! Unknown kinds are kept raw, so a header re-emits byte for byte.

use crate::error::{ErrorKind, Layer, ParseError};

/// End of option list.
pub const KIND_EOL: u8 = 0;
/// No operation.
pub const KIND_NOP: u8 = 1;
/// Maximum segment size.
pub const KIND_MSS: u8 = 2;
/// Window scale.
pub const KIND_WINDOW_SCALE: u8 = 3;
/// SACK permitted.
pub const KIND_SACK_PERMITTED: u8 = 4;
/// SACK blocks.
pub const KIND_SACK: u8 = 5;
/// Timestamps.
pub const KIND_TIMESTAMP: u8 = 8;

/// One option as raw kind and data (data excludes kind and length).
///
/// ```
/// use zerocast_wire::tcp_options::{TcpOption, TcpOptions};
/// let o = TcpOptions::new(&[2, 4, 0x05, 0xb4]).next().unwrap().unwrap();
/// assert_eq!(o.decode(), TcpOption::Mss(1460));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpOptionRecord<'a> {
    /// Option kind.
    pub kind: u8,
    /// Option data.
    pub data: &'a [u8],
}

impl<'a> TcpOptionRecord<'a> {
    /// Total length on the wire.
    ///
    /// ```
    /// use zerocast_wire::tcp_options::TcpOptionRecord;
    /// assert_eq!(TcpOptionRecord { kind: 1, data: &[] }.wire_len(), 1); // NOP
    /// assert_eq!(TcpOptionRecord { kind: 2, data: &[0x05, 0xb4] }.wire_len(), 4); // MSS
    /// ```
    #[must_use]
    pub fn wire_len(&self) -> usize {
        match self.kind {
            KIND_EOL | KIND_NOP => 1,
            _ => 2 + self.data.len(),
        }
    }

    /// The option's meaning; a known kind with the wrong length decodes as `Unknown`.
    ///
    /// ```
    /// use zerocast_wire::tcp_options::{TcpOption, TcpOptionRecord};
    /// let ts = TcpOptionRecord { kind: 8, data: &[0, 0, 0, 1, 0, 0, 0, 2] };
    /// assert_eq!(ts.decode(), TcpOption::Timestamp { tsval: 1, tsecr: 2 });
    /// ```
    #[must_use]
    pub fn decode(&self) -> TcpOption<'a> {
        match (self.kind, self.data) {
            (KIND_EOL, _) => TcpOption::EndOfList,
            (KIND_NOP, _) => TcpOption::Nop,
            (KIND_MSS, [a, b]) => TcpOption::Mss(u16::from_be_bytes([*a, *b])),
            (KIND_WINDOW_SCALE, [s]) => TcpOption::WindowScale(*s),
            (KIND_SACK_PERMITTED, []) => TcpOption::SackPermitted,
            (KIND_SACK, blocks) if !blocks.is_empty() && blocks.len() % 8 == 0 => {
                TcpOption::Sack(SackBlocks(blocks))
            }
            (KIND_TIMESTAMP, [a, b, c, d, e, f, g, h]) => TcpOption::Timestamp {
                tsval: u32::from_be_bytes([*a, *b, *c, *d]),
                tsecr: u32::from_be_bytes([*e, *f, *g, *h]),
            },
            (kind, data) => TcpOption::Unknown { kind, data },
        }
    }
}

/// SACK blocks, each a (left edge, right edge) pair of sequence numbers.
///
/// ```
/// use zerocast_wire::tcp_options::SackBlocks;
/// let b = SackBlocks(&[0, 0, 0, 1, 0, 0, 0, 9]);
/// assert_eq!(b.iter().collect::<Vec<_>>(), [(1, 9)]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SackBlocks<'a>(pub &'a [u8]);

impl<'a> SackBlocks<'a> {
    /// The blocks in order.
    ///
    /// ```
    /// use zerocast_wire::tcp_options::SackBlocks;
    /// let blocks = SackBlocks(&[0, 0, 0x03, 0xe8, 0, 0, 0x07, 0xd0, 0, 0, 0x0b, 0xb8, 0, 0, 0x0f, 0xa0]);
    /// assert_eq!(blocks.iter().collect::<Vec<_>>(), [(1000, 2000), (3000, 4000)]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + 'a {
        self.0.chunks_exact(8).map(|c| {
            (
                u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
                u32::from_be_bytes([c[4], c[5], c[6], c[7]]),
            )
        })
    }
}

/// The meaning of a TCP option.
///
/// ```
/// use zerocast_wire::tcp_options::{TcpOption, TcpOptionRecord};
/// assert_eq!(TcpOptionRecord { kind: 3, data: &[7] }.decode(), TcpOption::WindowScale(7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpOption<'a> {
    /// End of option list.
    EndOfList,
    /// Padding.
    Nop,
    /// Maximum segment size (`tcp.options.mss_val`).
    Mss(u16),
    /// Window scale shift count (`tcp.options.wscale.shift`).
    WindowScale(u8),
    /// SACK permitted.
    SackPermitted,
    /// SACK blocks.
    Sack(SackBlocks<'a>),
    /// Timestamps (`tcp.options.timestamp.tsval` / `tsecr`).
    Timestamp {
        /// Sender's timestamp value.
        tsval: u32,
        /// Echoed timestamp.
        tsecr: u32,
    },
    /// Any other kind, or a known kind with the wrong length.
    Unknown {
        /// Option kind.
        kind: u8,
        /// Option data.
        data: &'a [u8],
    },
}

/// Iterator over the options area of a TCP header. Stops after End-of-List; a malformed option
/// yields one error (offset from the start of the TCP header) and ends the iteration.
///
/// ```
/// use zerocast_wire::tcp_options::TcpOptions;
/// let syn_opts = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
/// assert_eq!(TcpOptions::new(&syn_opts).count(), 5);
/// assert!(TcpOptions::new(&[2, 9, 0]).next().unwrap().is_err());
/// ```
#[derive(Debug, Clone)]
pub struct TcpOptions<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> TcpOptions<'a> {
    /// Iterates over the header bytes after the fixed 20.
    ///
    /// ```
    /// use zerocast_wire::tcp_options::{TcpOption, TcpOptions};
    /// // MSS 1460, NOP, window scale 7
    /// let opts: Vec<TcpOption> = TcpOptions::new(&[2, 4, 0x05, 0xb4, 1, 3, 3, 7])
    ///     .map(|o| o.map(|o| o.decode()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(opts, [TcpOption::Mss(1460), TcpOption::Nop, TcpOption::WindowScale(7)]);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        TcpOptions {
            bytes,
            pos: 0,
            done: false,
        }
    }

    /// Checks every option's framing and the lengths of the kinds this crate knows.
    ///
    /// # Errors
    /// The first malformed option.
    ///
    /// ```
    /// use zerocast_wire::tcp_options::TcpOptions;
    /// assert!(TcpOptions::new(&[2, 3, 5, 1]).validate().is_err()); // MSS of length 3
    /// assert!(TcpOptions::new(&[1, 1, 0, 0]).validate().is_ok());
    /// ```
    pub fn validate(self) -> Result<(), ParseError> {
        // Nearly every segment of a connection with timestamps carries exactly NOP NOP
        // Timestamps (RFC 7323 appendix A's layout, Linux's and zerocast-stack's): valid at
        // a glance, without walking three records (this runs on every segment received).
        let ts_only = [KIND_NOP, KIND_NOP, KIND_TIMESTAMP, 10];
        if !self.done
            && self
                .bytes
                .get(self.pos..)
                .is_some_and(|rest| rest.len() == 12 && rest.starts_with(&ts_only))
        {
            return Ok(());
        }
        self.validate_walk()
    }

    /// [`TcpOptions::validate`] record by record.
    fn validate_walk(self) -> Result<(), ParseError> {
        let mut pos = 0;
        for opt in self {
            let opt = opt?;
            let bad = matches!(
                (opt.kind, opt.data.len()),
                (KIND_MSS, l) if l != 2
            ) || matches!((opt.kind, opt.data.len()), (KIND_WINDOW_SCALE, l) if l != 1)
                || matches!((opt.kind, opt.data.len()), (KIND_SACK_PERMITTED, l) if l != 0)
                || matches!((opt.kind, opt.data.len()), (KIND_TIMESTAMP, l) if l != 8)
                || matches!((opt.kind, opt.data.len()), (KIND_SACK, l) if l == 0 || l % 8 != 0);
            if bad {
                return Err(ParseError::new(
                    Layer::Tcp,
                    ErrorKind::BadOption { kind: opt.kind },
                    20 + pos,
                ));
            }
            pos += opt.wire_len();
        }
        Ok(())
    }
}

impl<'a> Iterator for TcpOptions<'a> {
    type Item = Result<TcpOptionRecord<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.bytes.get(self.pos..)?;
        let (&kind, after) = rest.split_first()?;
        match kind {
            KIND_EOL => {
                self.done = true;
                Some(Ok(TcpOptionRecord { kind, data: &[] }))
            }
            KIND_NOP => {
                self.pos += 1;
                Some(Ok(TcpOptionRecord { kind, data: &[] }))
            }
            _ => match after.split_first() {
                Some((&len, data)) if len >= 2 && usize::from(len) - 2 <= data.len() => {
                    self.pos += usize::from(len);
                    Some(Ok(TcpOptionRecord {
                        kind,
                        data: &data[..usize::from(len) - 2],
                    }))
                }
                _ => {
                    self.done = true;
                    Some(Err(ParseError::new(
                        Layer::Tcp,
                        ErrorKind::BadOption { kind },
                        20 + self.pos,
                    )))
                }
            },
        }
    }
}

/// Writes `options` into the front of `out` and pads with End-of-List to a multiple of 4;
/// returns the length (use it as [`TcpRepr::options`](crate::tcp::TcpRepr::options)).
///
/// # Errors
/// `BadOption` for an EOL/NOP record with data or data over 38 bytes; `BadHeaderLength`
/// beyond the 40 bytes of option space; `Truncated` if `out` is too short.
///
/// ```
/// use zerocast_wire::tcp_options::{write_options, TcpOptionRecord, TcpOptions, TcpOption};
/// let mut b = [0u8; 40];
/// let mss = 1460u16.to_be_bytes();
/// let n = write_options(&mut b, &[
///     TcpOptionRecord { kind: 2, data: &mss },
///     TcpOptionRecord { kind: 1, data: &[] },
///     TcpOptionRecord { kind: 3, data: &[7] },
/// ])?;
/// assert_eq!(&b[..n], &[2, 4, 5, 0xb4, 1, 3, 3, 7]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_options(out: &mut [u8], options: &[TcpOptionRecord<'_>]) -> Result<usize, ParseError> {
    let mut len = 0;
    for o in options {
        let single = matches!(o.kind, KIND_EOL | KIND_NOP);
        if (single && !o.data.is_empty()) || o.data.len() > 38 {
            return Err(ParseError::new(
                Layer::Tcp,
                ErrorKind::BadOption { kind: o.kind },
                20 + len,
            ));
        }
        len += o.wire_len();
    }
    let total = len.div_ceil(4) * 4;
    if total > 40 {
        return Err(ParseError::new(
            Layer::Tcp,
            ErrorKind::BadHeaderLength(20 + total),
            12,
        ));
    }
    let available = out.len();
    let area = out
        .get_mut(..total)
        .ok_or(ParseError::truncated(Layer::Tcp, total, available))?;
    let mut at = 0;
    for o in options {
        area[at] = o.kind;
        if !matches!(o.kind, KIND_EOL | KIND_NOP) {
            // Checked above: at most 38 data bytes.
            area[at + 1] = (o.data.len() + 2) as u8;
            area[at + 2..at + 2 + o.data.len()].copy_from_slice(o.data);
        }
        at += o.wire_len();
    }
    area[at..].fill(KIND_EOL);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: if cfg!(miri) { 8 } else { 256 },
            // Miri's isolation has no working directory to persist failures in.
            failure_persistence: if cfg!(miri) {
                None
            } else {
                ProptestConfig::default().failure_persistence
            },
            ..ProptestConfig::default()
        })]
        /// The timestamp-only shortcut answers as the record walk does, also for areas
        /// that only start like it (other lengths, kinds, trailing bytes).
        #[test]
        fn validate_shortcut_agrees_with_the_walk(
            head in proptest::sample::select(vec![1u8, 8, 10, 0, 2, 9, 11]),
            len_delta in 0usize..3,
            rest in proptest::collection::vec(any::<u8>(), 0..14),
            tweak in 0usize..4,
        ) {
            let mut bytes = vec![1u8, 1, 8, 10];
            bytes[tweak] = if tweak == 3 { head } else { bytes[tweak] ^ (head & 1) };
            bytes.extend_from_slice(&rest);
            bytes.truncate(12 + len_delta.min(rest.len().saturating_sub(8)));
            let opts = TcpOptions::new(&bytes);
            prop_assert_eq!(opts.clone().validate(), opts.validate_walk(), "{:?}", bytes);
        }
    }

    #[test]
    fn nop_nop_timestamps_is_valid_and_a_bad_timestamp_length_is_not() {
        let mut o = [1u8, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(TcpOptions::new(&o).validate(), Ok(()));
        o[3] = 9;
        assert!(TcpOptions::new(&o).validate().is_err());
        // Two more bytes: a third record to check (a bad MSS).
        let long = [1u8, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 2];
        assert!(TcpOptions::new(&long).validate().is_err());
    }

    #[test]
    fn decodes_linux_syn_options() {
        // MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (Linux SYN layout).
        let o = [
            2u8, 4, 5, 0xb4, 4, 2, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 1, 3, 3, 7,
        ];
        let decoded: Vec<_> = TcpOptions::new(&o).map(|r| r.unwrap().decode()).collect();
        assert_eq!(
            decoded,
            [
                TcpOption::Mss(1460),
                TcpOption::SackPermitted,
                TcpOption::Timestamp {
                    tsval: 0xdead_beef,
                    tsecr: 0
                },
                TcpOption::Nop,
                TcpOption::WindowScale(7)
            ]
        );
    }

    #[test]
    fn zero_length_option_is_an_error_not_a_loop() {
        let e = TcpOptions::new(&[1, 30, 0]).nth(1).unwrap().unwrap_err();
        assert_eq!(e.offset(), 21);
    }

    #[test]
    fn unknown_kind_kept_raw() {
        let r = TcpOptions::new(&[0xfe, 4, 1, 2]).next().unwrap().unwrap();
        assert_eq!(
            r.decode(),
            TcpOption::Unknown {
                kind: 0xfe,
                data: &[1, 2]
            }
        );
    }
}
