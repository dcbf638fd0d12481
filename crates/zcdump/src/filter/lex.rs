//! The tokenizer of the display-filter language.
//!
//! tshark's literals are mostly "words": `10.0.0.0/8`, `fe80::1`, `aa:bb:cc`, `0x12`,
//! `tcp.flags.syn`, `1..5` all lex as one [`Token::Word`], and the parser decides what a word
//! means once it knows the type on the other side of the operator (`33` is a byte in
//! `frame[0] == 33` but a number in `ip.ttl == 33`). Quoted strings keep their escapes
//! decoded; character constants (`'A'`) become their code. Every token carries its byte
//! offset so errors can point at it.

use super::FilterError;

/// A comparison, written as symbols or words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpTok {
    Eq,
    Ne,
    AllEq,
    AnyNe,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A field name, protocol name, function name or unquoted literal.
    Word(&'a str),
    /// A double-quoted string with its escapes decoded (bytes: `\xff` need not be UTF-8).
    Str(Vec<u8>),
    /// A character constant `'c'`: its byte value.
    Char(u8),
    Cmp(CmpTok),
    Contains,
    Matches,
    In,
    And,
    Or,
    Not,
    BitAnd,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-' | b'/')
}

fn keyword(word: &str) -> Option<Token<'static>> {
    Some(match word {
        "and" => Token::And,
        "or" => Token::Or,
        "not" => Token::Not,
        "eq" | "any_eq" => Token::Cmp(CmpTok::Eq),
        "ne" | "all_ne" => Token::Cmp(CmpTok::Ne),
        "all_eq" => Token::Cmp(CmpTok::AllEq),
        "any_ne" => Token::Cmp(CmpTok::AnyNe),
        "lt" => Token::Cmp(CmpTok::Lt),
        "gt" => Token::Cmp(CmpTok::Gt),
        "le" => Token::Cmp(CmpTok::Le),
        "ge" => Token::Cmp(CmpTok::Ge),
        "contains" => Token::Contains,
        "matches" => Token::Matches,
        "in" => Token::In,
        "bitwise_and" => Token::BitAnd,
        _ => return None,
    })
}

/// The longest symbol at the start of `rest`, with its length.
fn symbol(rest: &[u8]) -> Option<(Token<'static>, usize)> {
    let three = rest.get(..3).unwrap_or(&[]);
    let two = rest.get(..2).unwrap_or(&[]);
    let token = match (three, two, rest.first()?) {
        (b"===", _, _) => return Some((Token::Cmp(CmpTok::AllEq), 3)),
        (b"!==", _, _) => return Some((Token::Cmp(CmpTok::AnyNe), 3)),
        (_, b"==", _) => (Token::Cmp(CmpTok::Eq), 2),
        (_, b"!=", _) => (Token::Cmp(CmpTok::Ne), 2),
        (_, b"~=", _) => (Token::Cmp(CmpTok::AnyNe), 2),
        (_, b"<=", _) => (Token::Cmp(CmpTok::Le), 2),
        (_, b">=", _) => (Token::Cmp(CmpTok::Ge), 2),
        (_, b"&&", _) => (Token::And, 2),
        (_, b"||", _) => (Token::Or, 2),
        (_, b"~", _) => (Token::Matches, 1),
        (_, _, b'<') => (Token::Cmp(CmpTok::Lt), 1),
        (_, _, b'>') => (Token::Cmp(CmpTok::Gt), 1),
        (_, _, b'!') => (Token::Not, 1),
        (_, _, b'&') => (Token::BitAnd, 1),
        (_, _, b'(') => (Token::Open, 1),
        (_, _, b')') => (Token::Close, 1),
        (_, _, b'[') => (Token::OpenBracket, 1),
        (_, _, b']') => (Token::CloseBracket, 1),
        (_, _, b'{') => (Token::OpenBrace, 1),
        (_, _, b'}') => (Token::CloseBrace, 1),
        (_, _, b',') => (Token::Comma, 1),
        _ => return None,
    };
    Some(token)
}

/// Splits `text` into tokens with their byte offsets.
pub(super) fn tokenize(text: &str) -> Result<Vec<(usize, Token<'_>)>, FilterError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let (token, len) = if b == b'"' {
            quoted(text, i, false)?
        } else if rest.starts_with(b"r\"") {
            let (token, len) = quoted(text, i + 1, true)?;
            (token, len + 1)
        } else if b == b'\'' {
            character(text, i)?
        } else if let Some(found) = symbol(rest) {
            found
        } else if is_word_byte(b) {
            let len = rest.iter().take_while(|b| is_word_byte(**b)).count();
            let word = &text[i..i + len];
            (keyword(word).unwrap_or(Token::Word(word)), len)
        } else {
            let c = text[i..].chars().next().unwrap_or('?');
            return Err(FilterError::new(i, format!("unexpected character '{c}'")));
        };
        tokens.push((i, token));
        i += len;
    }
    Ok(tokens)
}

/// A double-quoted string starting at `start` (the quote): its bytes and its length.
fn quoted(text: &str, start: usize, raw: bool) -> Result<(Token<'static>, usize), FilterError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start + 1;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(FilterError::new(start, "string is not closed by '\"'"));
        };
        match b {
            b'"' => return Ok((Token::Str(out), i + 1 - start)),
            b'\\' if raw => {
                // A raw string keeps backslashes, but `\"` still does not end it.
                out.push(b);
                if bytes.get(i + 1) == Some(&b'"') {
                    out.push(b'"');
                    i += 1;
                }
                i += 1;
            }
            b'\\' => {
                let (byte, used) = escape(bytes, i)
                    .ok_or_else(|| FilterError::new(i, "invalid escape sequence in string"))?;
                out.push(byte);
                i += used;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
}

/// The escape at `at` (a backslash): the byte it stands for and how many bytes it used.
fn escape(bytes: &[u8], at: usize) -> Option<(u8, usize)> {
    let next = *bytes.get(at + 1)?;
    let simple = match next {
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(11),
        b'\\' | b'"' | b'\'' => Some(next),
        _ => None,
    };
    if let Some(byte) = simple {
        return Some((byte, 2));
    }
    let digits = |from: usize, max: usize, radix: u32| {
        let run = bytes
            .get(from..)?
            .iter()
            .take(max)
            .take_while(|d| char::from(**d).is_digit(radix))
            .count();
        let text = std::str::from_utf8(bytes.get(from..from + run)?).ok()?;
        let value = u8::try_from(u32::from_str_radix(text, radix).ok()?).ok()?;
        Some((value, run))
    };
    match next {
        b'x' => digits(at + 2, 2, 16).map(|(v, n)| (v, n + 2)),
        b'0'..=b'7' => digits(at + 1, 3, 8).map(|(v, n)| (v, n + 1)),
        _ => None,
    }
}

/// A character constant `'c'` or `'\n'` starting at `start`.
fn character(text: &str, start: usize) -> Result<(Token<'static>, usize), FilterError> {
    let bytes = text.as_bytes();
    let (value, used) = match bytes.get(start + 1) {
        Some(b'\\') => escape(bytes, start + 1),
        Some(&b) if b != b'\'' && b.is_ascii() => Some((b, 1)),
        _ => None,
    }
    .ok_or_else(|| FilterError::new(start, "invalid character constant"))?;
    if bytes.get(start + 1 + used) != Some(&b'\'') {
        return Err(FilterError::new(
            start,
            "character constant is not closed by \"'\"",
        ));
    }
    Ok((Token::Char(value), used + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token<'_>> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn longest_symbol_wins() {
        assert_eq!(
            tokens("a === b !== c ~= d"),
            [
                Token::Word("a"),
                Token::Cmp(CmpTok::AllEq),
                Token::Word("b"),
                Token::Cmp(CmpTok::AnyNe),
                Token::Word("c"),
                Token::Cmp(CmpTok::AnyNe),
                Token::Word("d"),
            ]
        );
        assert_eq!(
            tokens("!a&&b&c"),
            [
                Token::Not,
                Token::Word("a"),
                Token::And,
                Token::Word("b"),
                Token::BitAnd,
                Token::Word("c"),
            ]
        );
    }

    #[test]
    fn addresses_and_ranges_are_single_words() {
        assert_eq!(
            tokens("10.0.0.0/8 fe80::1 aa-bb 1..5"),
            [
                Token::Word("10.0.0.0/8"),
                Token::Word("fe80::1"),
                Token::Word("aa-bb"),
                Token::Word("1..5"),
            ]
        );
    }

    #[test]
    fn strings_decode_escapes() {
        assert_eq!(
            tokens(r#""a\"b\x41\101\n""#),
            [Token::Str(b"a\"bAA\n".to_vec())]
        );
        assert_eq!(tokens(r#"r"\d+""#), [Token::Str(br"\d+".to_vec())]);
        assert_eq!(tokens(r"'A' '\n'"), [Token::Char(b'A'), Token::Char(b'\n')]);
    }

    #[test]
    fn rejects_unclosed_strings_and_bad_escapes_with_positions() {
        assert_eq!(tokenize("x == \"abc").unwrap_err().position(), 5);
        assert_eq!(tokenize(r#"x == "\q""#).unwrap_err().position(), 6);
        assert_eq!(tokenize("x == 'ab'").unwrap_err().position(), 5);
        assert_eq!(tokenize("x $").unwrap_err().position(), 2);
    }
}
