//! `json`: a message body of a JSON media type (RFC 8259). tshark 4.0 reads JSON texts
//! (objects or arrays) one after another from the body's start and hands any bytes it could
//! not read to `data-text-lines`, so an invalid body is `json` then `data-text-lines`. Its
//! members and values are not declared as fields; zcdump checks the grammar and records the
//! protocols.
//!
//! The grammar is RFC 8259's, read the way tshark's token-based reader reads it, checked on
//! tshark 4.0.17 (see the tests):
//! - blanks (space, tab, CR, LF) may stand before every token, which includes the pieces
//!   of a number: `[1 2]` reads as the number `12` and `[- 1]` as `-1`;
//! - a string may hold any byte but `"` and `\`, raw control characters included; an
//!   escape is one of `\" \\ \/ \b \f \n \r \t` or `\u` and four hex digits;
//! - `NaN` is a value besides `true`, `false` and `null`;
//! - several texts may follow each other (`{}{}`), and blanks after each are read, but a
//!   body of blanks alone is not JSON;
//! - nesting is bounded: the reader gives up at a recursion depth of 100, which an array
//!   level costs 4 of, an object level 5, and the innermost number 5 and other scalar 4.

use crate::fields::declare_fields;

declare_fields! {
    proto: Json, name: "json",
}

/// The recursion depth tshark's reader stops at.
const DEPTH_LIMIT: u32 = 100;

/// Whether tshark reads all of `body` as JSON (else what it could not read is
/// `data-text-lines`).
pub(super) fn reads_whole(body: &[u8]) -> bool {
    let mut r = Reader { bytes: body, at: 0 };
    loop {
        let start = r.at;
        let text = match r.peek() {
            Some(b'{') => r.object(DEPTH_LIMIT),
            Some(b'[') => r.array(DEPTH_LIMIT),
            _ => false,
        };
        if !text {
            // What was read before this text stays JSON; the rest is not.
            r.at = start;
            return r.at == body.len();
        }
        r.blanks();
    }
}

/// A position in the body being read.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn blanks(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    /// The next byte after any blanks (which are read).
    fn peek(&mut self) -> Option<u8> {
        self.blanks();
        self.bytes.get(self.at).copied()
    }

    /// Reads `byte` as the next token.
    fn token(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Reads one or more of the bytes `set` accepts (a run without blanks inside).
    fn run(&mut self, set: impl Fn(u8) -> bool) -> bool {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|b| set(*b)) {
            self.at += 1;
        }
        self.at > start
    }

    /// A value within `budget` of recursion depth.
    fn value(&mut self, budget: u32) -> bool {
        let Some(first) = self.peek() else {
            return false;
        };
        let rest = &self.bytes[self.at..];
        for literal in [&b"false"[..], b"null", b"true", b"NaN"] {
            if rest.starts_with(literal) {
                self.at += literal.len();
                return budget >= 4;
            }
        }
        match first {
            b'{' => self.object(budget),
            b'[' => self.array(budget),
            b'"' => budget >= 4 && self.string(),
            _ => budget >= 5 && self.number(),
        }
    }

    fn object(&mut self, budget: u32) -> bool {
        let Some(inner) = budget.checked_sub(5) else {
            return false;
        };
        if !self.token(b'{') {
            return false;
        }
        let at = self.at;
        if !self.member(inner) {
            self.at = at;
            return self.token(b'}');
        }
        loop {
            let at = self.at;
            if !(self.token(b',') && self.member(inner)) {
                self.at = at;
                return self.token(b'}');
            }
        }
    }

    fn member(&mut self, budget: u32) -> bool {
        self.peek() == Some(b'"') && self.string() && self.token(b':') && self.value(budget)
    }

    fn array(&mut self, budget: u32) -> bool {
        let Some(inner) = budget.checked_sub(4) else {
            return false;
        };
        if !self.token(b'[') {
            return false;
        }
        let at = self.at;
        if !self.value(inner) {
            self.at = at;
            return self.token(b']');
        }
        loop {
            let at = self.at;
            if !(self.token(b',') && self.value(inner)) {
                self.at = at;
                return self.token(b']');
            }
        }
    }

    /// A string from its opening quote (the reader stands on it).
    fn string(&mut self) -> bool {
        self.at += 1;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'"' => return true,
                b'\\' => match self.bytes.get(self.at) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.at += 1,
                    Some(b'u') => {
                        let hex = self.bytes.get(self.at + 1..self.at + 5);
                        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            return false;
                        }
                        self.at += 5;
                    }
                    _ => return false,
                },
                _ => {}
            }
        }
        false
    }

    /// A number (RFC 8259 6), blanks allowed between its pieces.
    fn number(&mut self) -> bool {
        self.token(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.at += 1;
                let at = self.at;
                self.blanks();
                if !self.run(|b| b.is_ascii_digit()) {
                    self.at = at;
                }
            }
            _ => return false,
        }
        let at = self.at;
        if !(self.token(b'.') && self.digits()) {
            self.at = at;
        }
        let at = self.at;
        if self.peek().is_some_and(|b| b == b'e' || b == b'E') {
            self.at += 1;
            let sign = self.at;
            if !(self.token(b'-') || self.token(b'+')) {
                self.at = sign;
            }
            if !self.digits() {
                self.at = at;
            }
        } else {
            self.at = at;
        }
        true
    }

    /// One or more digits as a token.
    fn digits(&mut self) -> bool {
        self.blanks();
        self.run(|b| b.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each answered by tshark 4.0.17 on a body of type `application/json`.
    #[test]
    fn tshark_reads_these_as_json() {
        for body in [
            &b"{\"a\": 1, \"b\": \"x\"}"[..],
            b"[]",
            b"  {\"a\":1}  ",
            b"{\"a\":[1,true,null]}",
            b"[1 2]",
            b"[\"a\nb\"]",
            b"[1e5,-2.5E-3,0]",
            b"[\"\\u00e9\"]",
            b"{}{}",
            b"[] []",
            b"[- 1]",
            b"[1 . 5]",
            b"[1 e 5]",
            b"{ \"a\" : 1 }",
            b"[NaN]",
            b"\t[1]\r\n",
            b"[\"\x00\"]",
            b"[\"\xff\"]",
            b"[1 , 2]",
        ] {
            assert!(reads_whole(body), "{}", String::from_utf8_lossy(body));
        }
    }

    /// Each answered by tshark 4.0.17: `json` then `data-text-lines`.
    #[test]
    fn tshark_stops_reading_these() {
        for body in [
            &b"{not json"[..],
            b"\"str\"",
            b"123",
            b"{\"a\":1}x",
            b"[1,]",
            b"{\"a\" 1}",
            b"{\"a\":}",
            b"[01]",
            b"[1.]",
            b"[tru]",
            b"[True]",
            b"{\"a\":1,}",
            b"[\"\\x\"]",
            b"{1:2}",
            b"[]]",
            b"\xef\xbb\xbf[]",
            b"[-]",
            b"[+1]",
            b"[nul]",
            b"{\"a\":1 \"b\":2}",
            b"[1,,2]",
            b"[,1]",
            b"[t rue]",
            b"[\"\\u12G4\"]",
            b"[1]\x0b",
            b"   ",
        ] {
            assert!(!reads_whole(body), "{}", String::from_utf8_lossy(body));
        }
    }

    /// The deepest nesting tshark 4.0.17 reads, and one level more, for each shape probed.
    #[test]
    fn nesting_stops_where_tshark_gives_up() {
        let nest = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n)).into_bytes()
        };
        for (open, inner, close, deepest) in [
            ("[", "", "]", 25),
            ("[", "1", "]", 23),
            ("[", "\"s\"", "]", 24),
            ("{\"a\":", "1", "}", 19),
            ("{\"a\":", "{}", "}", 19),
            ("[{\"a\":", "1", "}]", 10),
            ("{\"a\":[", "1", "]}", 10),
        ] {
            assert!(
                reads_whole(&nest(open, inner, close, deepest)),
                "{open}{inner}"
            );
            assert!(
                !reads_whole(&nest(open, inner, close, deepest + 1)),
                "{open}{inner}"
            );
        }
    }
}

#[cfg(test)]
mod properties {
    use super::reads_whole;
    use proptest::prelude::*;

    /// JSON values of RFC 8259 (strings of printable ASCII with escapes), at most four
    /// levels deep: well inside tshark's nesting limit.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e9f64..1e9).prop_map(serde_json::Value::from),
            "[ -~]{0,8}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[ -~]{0,6}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Every object or array serde_json writes, compact or pretty, reads whole; a
        /// scalar alone does not (tshark wants an object or an array at the top).
        #[test]
        fn every_json_text_within_the_nesting_limit_reads_whole(v in value()) {
            let compact = serde_json::to_vec(&v).unwrap();
            let pretty = serde_json::to_vec_pretty(&v).unwrap();
            let top = v.is_object() || v.is_array();
            prop_assert_eq!(reads_whole(&compact), top, "{}", String::from_utf8_lossy(&compact));
            prop_assert_eq!(reads_whole(&pretty), top, "{}", String::from_utf8_lossy(&pretty));
            if top {
                // Cut anywhere inside, a text no longer reads whole.
                let cut = &compact[..compact.len() - 1];
                prop_assert!(!reads_whole(cut), "{}", String::from_utf8_lossy(cut));
            }
        }

        /// Any bytes: an answer, never a panic, and deep nesting does not recurse further.
        #[test]
        fn any_bytes_get_an_answer(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = reads_whole(&bytes);
        }
    }

    #[test]
    fn a_million_open_brackets_are_refused_without_recursing_deeply() {
        assert!(!reads_whole(&vec![b'['; 1_000_000]));
        assert!(!reads_whole(&b"{\"a\":".repeat(200_000)));
    }
}
