//! Text as tshark prints string fields: bytes that are valid UTF-8 as they are, each
//! invalid sequence as U+FFFD, control characters as C escapes (`\t`, `\n`, ...) or three
//! octal digits (`\001`, DEL as `\177`). Backslashes are not escaped.

/// Appends `raw` to `out` in tshark's string display.
///
/// ```text
/// b"a\tb\x01\xe9x" -> "a\tb\001\u{fffd}x"
/// ```
pub(super) fn push_display(out: &mut Vec<u8>, raw: &[u8]) {
    for chunk in raw.utf8_chunks() {
        for &b in chunk.valid().as_bytes() {
            push_escaped(out, b);
        }
        if !chunk.invalid().is_empty() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
}

/// One byte of valid UTF-8 text, escaped if it is a control character.
fn push_escaped(out: &mut Vec<u8>, b: u8) {
    let letter = match b {
        0x07 => b'a',
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0b => b'v',
        0x0c => b'f',
        0x0d => b'r',
        0x00..=0x1f | 0x7f => {
            out.extend_from_slice(&[b'\\', b'0' + (b >> 6), b'0' + (b >> 3 & 7), b'0' + (b & 7)]);
            return;
        }
        _ => return out.push(b),
    };
    out.extend_from_slice(&[b'\\', letter]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(raw: &[u8]) -> String {
        let mut out = Vec::new();
        push_display(&mut out, raw);
        String::from_utf8(out).expect("display text is UTF-8")
    }

    #[test]
    fn control_characters_are_escaped_like_tshark() {
        // tshark 4.0 on a DNS name with these bytes.
        assert_eq!(shown(b"a\tb.\n\r"), "a\\tb.\\n\\r");
        assert_eq!(shown(b"\x01\x7f\"x\\y"), "\\001\\177\"x\\y");
    }

    #[test]
    fn invalid_utf8_becomes_one_replacement_character_per_sequence() {
        assert_eq!(shown("é".as_bytes()), "é");
        assert_eq!(shown(b"\xe9x"), "\u{fffd}x");
        assert_eq!(shown(b"\xff"), "\u{fffd}");
    }
}
