//! DNS names inside a message: labels (RFC 1035 3.1) and compression pointers (RFC 1035
//! 4.1.4), read the way tshark 4.0 reads them, including its texts for names it cannot
//! show (`<Root>`, `<Name too long>`, `<Name contains a pointer that loops>`).

use super::text::push_display;

/// tshark's text for the root name.
const ROOT: &[u8] = b"<Root>";
/// tshark's text for a name of [`TOO_LONG`] characters or more.
const NAME_TOO_LONG: &[u8] = b"<Name too long>";
/// tshark's text for a name whose pointers were followed for longer than the message.
const POINTER_LOOPS: &[u8] = b"<Name contains a pointer that loops>";
/// Names of this many characters (dots included) or more are not shown: a name is at most
/// 255 octets on the wire (RFC 1035 2.3.4), 253 characters as text.
const TOO_LONG: usize = 254;

/// RFC 2673 3: the extended label type (0b01) of a bit-string label (0b000001).
const BITSTRING_LABEL: u8 = 0x41;

/// Why a name could not be read; either way the message's dissection stops there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameError {
    /// The name runs past the captured bytes.
    Cut,
    /// A label type other than a plain label or a pointer (RFC 6891 reserves them).
    BadLabelType(u8),
}

/// A name that was read: where the message continues after it, and its raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Name {
    /// The offset just past the name where it was found (after the first pointer, if any).
    pub end: usize,
    /// The labels joined with `.`, bytes as they were, or one of tshark's texts.
    pub raw: Vec<u8>,
}

impl Name {
    /// tshark's `dns.count.labels`: the dots in the text plus one, for texts longer than
    /// one character (so `<Root>` counts one label, a one-letter name none).
    pub fn labels(&self) -> u64 {
        if self.raw.len() > 1 {
            self.raw.iter().filter(|b| **b == b'.').count() as u64 + 1
        } else {
            0
        }
    }

    /// The text as tshark prints it (control bytes escaped, invalid UTF-8 replaced).
    pub fn display(&self, out: &mut Vec<u8>) {
        push_display(out, &self.raw);
    }
}

/// Reads the name at `start` of `msg` (the DNS message, so that pointers, which are
/// offsets from its first byte, can be followed).
///
/// Every step of the walk counts the bytes it consumed; once that count reaches the
/// message's length, the pointers must be going round in a circle, which bounds the walk
/// on any input (RFC 1035 4.1.4 allows pointers only to earlier names, but tshark, like
/// most decoders, follows any pointer).
pub(super) fn read_name(msg: &[u8], start: usize) -> Result<Name, NameError> {
    let mut raw = Vec::new();
    let mut at = start;
    let mut end = None;
    let mut consumed = 0usize;
    loop {
        let len = *msg.get(at).ok_or(NameError::Cut)?;
        at += 1;
        if len == 0 {
            break;
        }
        consumed += 1;
        match len & 0xc0 {
            0x00 => {
                let label = msg.get(at..at + usize::from(len)).ok_or(NameError::Cut)?;
                if !raw.is_empty() {
                    raw.push(b'.');
                }
                raw.extend_from_slice(label);
                at += usize::from(len);
                consumed += usize::from(len);
            }
            0xc0 => {
                let low = *msg.get(at).ok_or(NameError::Cut)?;
                at += 1;
                consumed += 1;
                end.get_or_insert(at);
                if consumed >= msg.len() {
                    return Ok(Name {
                        end: end.unwrap_or(at),
                        raw: POINTER_LOOPS.to_vec(),
                    });
                }
                at = usize::from(len & 0x3f) << 8 | usize::from(low);
            }
            _ => {
                if len == BITSTRING_LABEL {
                    // tshark reads a bit-string label (RFC 2673 3.1) whole: its count of
                    // bits, then the bytes that hold them. Past the captured bytes, that
                    // is a cut, not a label type it rejects.
                    let bits = usize::from(*msg.get(at).ok_or(NameError::Cut)?);
                    let bytes = bits.saturating_sub(1) / 8 + 1;
                    msg.get(at + 1..at + 1 + bytes).ok_or(NameError::Cut)?;
                }
                return Err(NameError::BadLabelType(len));
            }
        }
    }
    let end = end.unwrap_or(at);
    let raw = if raw.is_empty() {
        ROOT.to_vec()
    } else if raw.len() >= TOO_LONG {
        NAME_TOO_LONG.to_vec()
    } else {
        raw
    };
    Ok(Name { end, raw })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message with a 12-byte header of zeros followed by `body`.
    fn message(body: &[u8]) -> Vec<u8> {
        let mut m = vec![0u8; 12];
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn labels_join_with_dots_and_end_after_the_zero_byte() {
        let m = message(b"\x03www\x07example\x03com\x00\x00\x01");
        let name = read_name(&m, 12).expect("name");
        assert_eq!(
            (name.raw.as_slice(), name.end),
            (&b"www.example.com"[..], 29)
        );
        assert_eq!(name.labels(), 3);
    }

    #[test]
    fn rfc1035_4_1_4_pointer_continues_at_an_earlier_name() {
        // "www.example.com" at 12, then "mail" + pointer to "example.com" at 16.
        let m = message(b"\x03www\x07example\x03com\x00\x04mail\xc0\x10");
        let name = read_name(&m, 29).expect("name");
        assert_eq!(name.raw, b"mail.example.com");
        assert_eq!(name.end, 29 + 7, "the name ends after its pointer");
    }

    #[test]
    fn the_root_name_is_shown_as_tshark_shows_it() {
        let name = read_name(&message(b"\x00"), 12).expect("name");
        assert_eq!(
            (name.raw.as_slice(), name.end, name.labels()),
            (ROOT, 13, 1)
        );
    }

    #[test]
    fn a_pointer_to_the_root_is_the_root() {
        let name = read_name(&message(b"\x00\xc0\x0c"), 13).expect("name");
        assert_eq!((name.raw.as_slice(), name.end), (ROOT, 15));
    }

    #[test]
    fn a_pointer_to_itself_is_a_loop_not_a_hang() {
        let name = read_name(&message(b"\xc0\x0c\x00\x01"), 12).expect("name");
        assert_eq!((name.raw.as_slice(), name.end), (POINTER_LOOPS, 14));
    }

    #[test]
    fn two_pointers_to_each_other_are_a_loop() {
        let name = read_name(&message(b"\xc0\x0e\xc0\x0c"), 12).expect("name");
        assert_eq!(name.raw, POINTER_LOOPS);
    }

    #[test]
    fn names_of_254_characters_or_more_are_too_long() {
        // tshark 4.0: four labels of 63, 63, 63 and 61 characters (253 with the dots) are
        // shown; 63, 63, 63 and 62 are not.
        let labels = |last: u8| {
            let mut body = Vec::new();
            for len in [63, 63, 63, last] {
                body.push(len);
                body.extend(std::iter::repeat_n(b'a', usize::from(len)));
            }
            body.push(0);
            message(&body)
        };
        assert_eq!(read_name(&labels(61), 12).expect("name").raw.len(), 253);
        let long = read_name(&labels(62), 12).expect("name");
        assert_eq!((long.raw.as_slice(), long.end), (NAME_TOO_LONG, 12 + 256));
    }

    #[test]
    fn cut_names_and_extended_labels_are_errors() {
        assert_eq!(read_name(&message(b"\x03ww"), 12), Err(NameError::Cut));
        assert_eq!(read_name(&message(b"\x03www"), 12), Err(NameError::Cut));
        assert_eq!(read_name(&message(b"\xc0"), 12), Err(NameError::Cut));
        // A bit-string label of 8 bits (one byte) whole, and one of 0x61 bits (13 bytes)
        // cut; another extended label type.
        assert_eq!(
            read_name(&message(b"\x41\x08\xff\x00"), 12),
            Err(NameError::BadLabelType(0x41))
        );
        assert_eq!(read_name(&message(b"\x41abc\x00"), 12), Err(NameError::Cut));
        assert_eq!(
            read_name(&message(b"\x7fabc\x00"), 12),
            Err(NameError::BadLabelType(0x7f))
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_end_in_a_name_or_an_error(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300), start in 0usize..320) {
            let m = message(&body);
            if let Ok(name) = read_name(&m, start) {
                proptest::prop_assert!(name.end <= m.len());
                proptest::prop_assert!(name.raw.len() < TOO_LONG.max(POINTER_LOOPS.len() + 1));
            }
        }
    }
}
