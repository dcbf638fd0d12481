//! IPv4 options (RFC 791 section 3.1, RFC 2113 router alert), read as type-length-value
//! records straight out of the header.
//!
//! EOL and NOP are single bytes; every other option is `kind, length, data` where length counts
//! the kind and length bytes. Unknown kinds are kept raw so a header re-emits byte for byte.

use crate::addr::Ipv4Addr;
use crate::error::{ErrorKind, IcmpReply, Layer, ParseError};

/// End of option list.
pub const KIND_EOL: u8 = 0;
/// No operation (padding between options).
pub const KIND_NOP: u8 = 1;
/// Record route.
pub const KIND_RECORD_ROUTE: u8 = 7;
/// Internet timestamp.
pub const KIND_TIMESTAMP: u8 = 68;
/// Loose source and record route.
pub const KIND_LSRR: u8 = 131;
/// Strict source and record route.
pub const KIND_SSRR: u8 = 137;
/// Router alert (RFC 2113).
pub const KIND_ROUTER_ALERT: u8 = 148;

/// One option, as raw kind and data (data excludes the kind and length bytes).
///
/// ```
/// use zerocast_wire::ipv4_options::{Ipv4Option, Ipv4Options, KIND_ROUTER_ALERT};
/// let mut opts = Ipv4Options::new(&[0x94, 0x04, 0x00, 0x00]);
/// let ra = opts.next().unwrap().unwrap();
/// assert_eq!(ra.kind, KIND_ROUTER_ALERT);
/// assert_eq!(ra.decode(), Ipv4Option::RouterAlert(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4OptionRecord<'a> {
    /// Option kind (copied flag, class, number).
    pub kind: u8,
    /// Bytes after the length byte (empty for EOL and NOP).
    pub data: &'a [u8],
}

impl<'a> Ipv4OptionRecord<'a> {
    /// Total length of the option on the wire.
    ///
    /// ```
    /// use zerocast_wire::ipv4_options::Ipv4OptionRecord;
    /// assert_eq!(Ipv4OptionRecord { kind: 1, data: &[] }.wire_len(), 1);
    /// assert_eq!(Ipv4OptionRecord { kind: 148, data: &[0, 0] }.wire_len(), 4);
    /// ```
    #[must_use]
    pub fn wire_len(&self) -> usize {
        match self.kind {
            KIND_EOL | KIND_NOP => 1,
            _ => self.data.len() + 2,
        }
    }

    /// Interprets the data of the options this crate knows.
    ///
    /// ```
    /// use zerocast_wire::ipv4_options::{Ipv4Option, Ipv4OptionRecord};
    /// let rr = Ipv4OptionRecord { kind: 7, data: &[4, 10, 0, 0, 1] };
    /// match rr.decode() {
    ///     Ipv4Option::RecordRoute { pointer, route } => {
    ///         assert_eq!(pointer, 4);
    ///         assert_eq!(route.count(), 1);
    ///     }
    ///     _ => unreachable!(),
    /// }
    /// ```
    #[must_use]
    pub fn decode(&self) -> Ipv4Option<'a> {
        let data = self.data;
        match (self.kind, data) {
            (KIND_EOL, _) => Ipv4Option::EndOfList,
            (KIND_NOP, _) => Ipv4Option::Nop,
            (KIND_RECORD_ROUTE, [pointer, rest @ ..]) => Ipv4Option::RecordRoute {
                pointer: *pointer,
                route: Addresses(rest),
            },
            (KIND_LSRR | KIND_SSRR, [pointer, rest @ ..]) => Ipv4Option::SourceRoute {
                strict: self.kind == KIND_SSRR,
                pointer: *pointer,
                route: Addresses(rest),
            },
            (KIND_TIMESTAMP, [pointer, oflw_flags, rest @ ..]) => Ipv4Option::Timestamp {
                pointer: *pointer,
                overflow: oflw_flags >> 4,
                flags: oflw_flags & 0x0f,
                data: rest,
            },
            (KIND_ROUTER_ALERT, [a, b]) => Ipv4Option::RouterAlert(u16::from_be_bytes([*a, *b])),
            _ => Ipv4Option::Unknown {
                kind: self.kind,
                data,
            },
        }
    }
}

/// A sequence of IPv4 addresses inside a route option.
///
/// ```
/// use zerocast_wire::ipv4_options::Addresses;
/// let a = Addresses(&[10, 0, 0, 1, 10, 0, 0, 2, 9]);
/// assert_eq!(a.count(), 2);
/// assert_eq!(a.iter().nth(1).unwrap().to_string(), "10.0.0.2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addresses<'a>(pub &'a [u8]);

impl<'a> Addresses<'a> {
    /// Number of whole addresses (a trailing partial address is ignored).
    ///
    /// ```
    /// use zerocast_wire::ipv4_options::Addresses;
    /// // Two whole addresses and the first 2 bytes of a third:
    /// assert_eq!(Addresses(&[10, 0, 0, 1, 10, 0, 0, 2, 10, 0]).count(), 2);
    /// ```
    #[must_use]
    pub fn count(&self) -> usize {
        self.0.len() / 4
    }

    /// The addresses in order.
    ///
    /// ```
    /// use zerocast_wire::{ipv4_options::Addresses, Ipv4Addr};
    /// let route = Addresses(&[192, 0, 2, 1, 198, 51, 100, 7]);
    /// let hops: Vec<Ipv4Addr> = route.iter().collect();
    /// assert_eq!(hops, [Ipv4Addr([192, 0, 2, 1]), Ipv4Addr([198, 51, 100, 7])]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Addr> + 'a {
        self.0
            .chunks_exact(4)
            .map(|c| Ipv4Addr([c[0], c[1], c[2], c[3]]))
    }
}

/// The meaning of an option.
///
/// ```
/// use zerocast_wire::ipv4_options::{Ipv4Option, Ipv4OptionRecord};
/// assert_eq!(Ipv4OptionRecord { kind: 1, data: &[] }.decode(), Ipv4Option::Nop);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ipv4Option<'a> {
    /// End of option list.
    EndOfList,
    /// Padding.
    Nop,
    /// Record route: pointer (1-based, from the option start) and the address slots.
    RecordRoute {
        /// Pointer field.
        pointer: u8,
        /// Address slots (filled up to the pointer).
        route: Addresses<'a>,
    },
    /// Loose (strict = false) or strict source route.
    SourceRoute {
        /// SSRR rather than LSRR.
        strict: bool,
        /// Pointer field.
        pointer: u8,
        /// Route addresses.
        route: Addresses<'a>,
    },
    /// Internet timestamp.
    Timestamp {
        /// Pointer field.
        pointer: u8,
        /// Overflow count (4 bits).
        overflow: u8,
        /// Flags (4 bits): 0 timestamps only, 1 address+timestamp, 3 prespecified.
        flags: u8,
        /// Timestamp (and address) slots.
        data: &'a [u8],
    },
    /// Router alert with its value (0 = examine packet).
    RouterAlert(u16),
    /// Anything else, or a known kind with the wrong length.
    Unknown {
        /// Option kind.
        kind: u8,
        /// Option data.
        data: &'a [u8],
    },
}

/// Iterator over the options area of an IPv4 header.
///
/// Stops after End-of-List. A malformed option yields one `Err` (with the offset of the option
/// from the start of the IPv4 header and the ICMP Parameter Problem to send) and then stops.
///
/// ```
/// use zerocast_wire::ipv4_options::Ipv4Options;
/// let kinds: Vec<u8> = Ipv4Options::new(&[1, 1, 0x94, 4, 0, 0])
///     .map(|o| o.unwrap().kind).collect();
/// assert_eq!(kinds, [1, 1, 0x94]);
/// assert!(Ipv4Options::new(&[7, 9, 4]).next().unwrap().is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Ipv4Options<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Ipv4Options<'a> {
    /// Iterates over `bytes`, the header bytes after the fixed 20.
    ///
    /// ```
    /// use zerocast_wire::ipv4_options::{Ipv4Option, Ipv4Options};
    /// // A NOP, then a router alert (value 0: examine packet).
    /// let mut opts = Ipv4Options::new(&[0x01, 0x94, 0x04, 0x00, 0x00]);
    /// assert_eq!(opts.next().transpose()?.map(|o| o.decode()), Some(Ipv4Option::Nop));
    /// assert_eq!(opts.next().transpose()?.map(|o| o.decode()), Some(Ipv4Option::RouterAlert(0)));
    /// assert!(opts.next().is_none());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Ipv4Options {
            bytes,
            pos: 0,
            done: false,
        }
    }

    /// Checks every option, returning the first error.
    ///
    /// # Errors
    /// The first malformed option, as yielded by the iterator.
    ///
    /// ```
    /// use zerocast_wire::ipv4_options::Ipv4Options;
    /// assert!(Ipv4Options::new(&[1, 0, 0, 0]).validate().is_ok());
    /// assert!(Ipv4Options::new(&[68, 1]).validate().is_err());
    /// ```
    pub fn validate(self) -> Result<(), ParseError> {
        for opt in self {
            opt?;
        }
        Ok(())
    }
}

impl<'a> Iterator for Ipv4Options<'a> {
    type Item = Result<Ipv4OptionRecord<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.bytes.get(self.pos..)?;
        let (&kind, after_kind) = rest.split_first()?;
        let at = self.pos;
        match kind {
            KIND_EOL => {
                self.done = true;
                Some(Ok(Ipv4OptionRecord { kind, data: &[] }))
            }
            KIND_NOP => {
                self.pos += 1;
                Some(Ok(Ipv4OptionRecord { kind, data: &[] }))
            }
            _ => {
                let len = after_kind.first().map(|&l| usize::from(l));
                match len {
                    Some(len) if len >= 2 && len <= rest.len() => {
                        self.pos += len;
                        Some(Ok(Ipv4OptionRecord {
                            kind,
                            data: &rest[2..len],
                        }))
                    }
                    _ => {
                        self.done = true;
                        // The pointer names the length byte when there is one.
                        let offset = 20 + at + usize::from(len.is_some());
                        let pointer = u8::try_from(offset).unwrap_or(u8::MAX);
                        Some(Err(ParseError::new(
                            Layer::Ipv4,
                            ErrorKind::BadOption { kind },
                            offset,
                        )
                        .with_icmp(IcmpReply::Ipv4ParameterProblem { pointer })))
                    }
                }
            }
        }
    }
}

/// Writes `options` into the front of `out` and pads with End-of-List to a multiple of 4;
/// returns the length (use it as [`Ipv4Repr::options`](crate::ipv4::Ipv4Repr::options)).
///
/// # Errors
/// `BadOption` for an EOL/NOP record with data or data over 253 bytes; `BadHeaderLength`
/// beyond the 40 bytes of option space; `Truncated` if `out` is too short.
///
/// ```
/// use zerocast_wire::ipv4_options::{write_options, Ipv4OptionRecord, Ipv4Options, KIND_ROUTER_ALERT};
/// let mut b = [0u8; 40];
/// let n = write_options(&mut b, &[Ipv4OptionRecord { kind: KIND_ROUTER_ALERT, data: &[0, 0] }])?;
/// assert_eq!(&b[..n], &[0x94, 4, 0, 0]);
/// let mut rr = [0u8; 40];
/// let n = write_options(&mut rr, &[Ipv4OptionRecord { kind: 7, data: &[4, 0, 0, 0, 0] }])?;
/// assert_eq!(&rr[..n], &[7, 7, 4, 0, 0, 0, 0, 0]); // padded with EOL
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_options(
    out: &mut [u8],
    options: &[Ipv4OptionRecord<'_>],
) -> Result<usize, ParseError> {
    let mut len = 0;
    for o in options {
        let single = matches!(o.kind, KIND_EOL | KIND_NOP);
        if (single && !o.data.is_empty()) || o.data.len() > 253 {
            return Err(ParseError::new(
                Layer::Ipv4,
                ErrorKind::BadOption { kind: o.kind },
                20 + len,
            ));
        }
        len += o.wire_len();
    }
    let total = len.div_ceil(4) * 4;
    if total > 40 {
        return Err(ParseError::new(
            Layer::Ipv4,
            ErrorKind::BadHeaderLength(20 + total),
            0,
        ));
    }
    let available = out.len();
    let area = out
        .get_mut(..total)
        .ok_or(ParseError::truncated(Layer::Ipv4, total, available))?;
    let mut at = 0;
    for o in options {
        area[at] = o.kind;
        if !matches!(o.kind, KIND_EOL | KIND_NOP) {
            // Checked above: at most 253 data bytes.
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

    #[test]
    fn decodes_timestamp_fields() {
        let ts = [68u8, 12, 5, 0x10 | 1, 10, 0, 0, 1, 0, 0, 0, 9];
        let rec = Ipv4Options::new(&ts).next().unwrap().unwrap();
        match rec.decode() {
            Ipv4Option::Timestamp {
                pointer,
                overflow,
                flags,
                data,
            } => {
                assert_eq!((pointer, overflow, flags, data.len()), (5, 1, 1, 8));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn option_length_past_end_is_an_error_with_pointer() {
        let e = Ipv4Options::new(&[1, 7, 39, 4])
            .nth(1)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.offset(), 22);
        assert_eq!(
            e.icmp_reply(),
            Some(IcmpReply::Ipv4ParameterProblem { pointer: 22 })
        );
    }

    #[test]
    fn stops_after_end_of_list() {
        assert_eq!(Ipv4Options::new(&[0, 7, 0xff, 0xff]).count(), 1);
    }

    #[test]
    fn unknown_kind_is_kept_raw() {
        let rec = Ipv4Options::new(&[0x99, 3, 0xab]).next().unwrap().unwrap();
        assert_eq!(
            rec.decode(),
            Ipv4Option::Unknown {
                kind: 0x99,
                data: &[0xab]
            }
        );
    }
}
