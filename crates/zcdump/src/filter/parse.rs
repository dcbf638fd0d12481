//! The recursive-descent parser and type checker. Precedence from loosest to tightest:
//! `||`, `&&`, `!`, then one test (`a OP b`, `a contains b`, `a matches "re"`,
//! `a in {...}`, `a not in {...}`, or a bare operand). Literals are read only once the type
//! on the other side is known, exactly as tshark does, so `33` is a byte next to a slice and
//! a number next to `ip.ttl`. Trees are at most [`MAX_DEPTH`] deep, so neither parsing nor
//! evaluating nor dropping a hostile expression can exhaust the stack.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::ast::{Cmp, Expr, Lit, Operand, Range, RangeEnd, SetItem};
use super::lex::{tokenize, CmpTok, Token};
use super::schema::{lookup, FType, FieldRef};

/// The deepest tree a filter may build (nesting and chained `&&`/`||` both count).
pub const MAX_DEPTH: usize = 200;

/// Why a filter expression was rejected.
///
/// ```
/// use zcdump::filter::Filter;
/// let e = Filter::parse("ip.src == banana").unwrap_err();
/// assert_eq!(e.position(), 10);
/// assert!(e.to_string().contains("IPv4 address"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    position: usize,
    message: String,
    /// The whole expression, to point into when the error is shown.
    expression: String,
}

impl FilterError {
    pub(super) fn new(position: usize, message: impl Into<String>) -> Self {
        FilterError {
            position,
            message: message.into(),
            expression: String::new(),
        }
    }

    /// Byte offset in the expression where the problem starts.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// let e = Filter::parse("ip.ttl >").unwrap_err();
    /// assert_eq!(e.position(), 8); // the value is missing at the end
    /// ```
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }
}

impl fmt::Display for FilterError {
    /// The message, then the expression with a caret under the fault: a byte offset
    /// alone is hard to count off by eye.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// let e = Filter::parse("ip.ttl >> 3").unwrap_err();
    /// let text = e.to_string();
    /// let mut lines = text.lines();
    /// assert!(lines.next().unwrap().starts_with("invalid filter at character 8:"));
    /// assert_eq!(lines.next(), Some("  ip.ttl >> 3"));
    /// assert_eq!(lines.next(), Some("          ^"));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid filter at character {}: {}",
            self.position, self.message
        )?;
        if self.expression.is_empty() {
            return Ok(());
        }
        // Columns are characters, not bytes, so the caret lines up under non-ASCII text.
        let column = self
            .expression
            .get(..self.position)
            .map_or(self.position, |before| before.chars().count());
        write!(f, "\n  {}\n  {:column$}^", self.expression, "")
    }
}

impl std::error::Error for FilterError {}

/// An operand before its literal (if any) is typed.
enum Raw<'a> {
    Field(FieldRef, Vec<Range>),
    Word(&'a str),
    Str(Vec<u8>),
    Char(u8),
    BitAnd(Box<(usize, Raw<'a>)>, Box<(usize, Raw<'a>)>),
    Len(Box<(usize, Raw<'a>)>),
    Count(FieldRef),
}

impl Raw<'_> {
    fn is_literal(&self) -> bool {
        matches!(self, Raw::Word(_) | Raw::Str(_) | Raw::Char(_))
    }
}

struct Parser<'a> {
    tokens: Vec<(usize, Token<'a>)>,
    pos: usize,
    end: usize,
}

type Parsed = Result<(Expr, usize), FilterError>;

fn deeper(depth: usize, at: usize) -> Result<usize, FilterError> {
    if depth >= MAX_DEPTH {
        return Err(FilterError::new(
            at,
            format!("expression nested more than {MAX_DEPTH} deep"),
        ));
    }
    Ok(depth + 1)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Token<'a>> {
        self.tokens.get(self.pos + ahead).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn eat(&mut self, token: &Token<'_>) -> bool {
        let found = self.peek() == Some(token);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, token: &Token<'_>, what: &str) -> Result<(), FilterError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(FilterError::new(self.offset(), format!("expected {what}")))
        }
    }

    /// `and ( "||" and )*`, each link one level deeper.
    fn or(&mut self, nest: usize) -> Parsed {
        let (mut left, mut depth) = self.and(nest)?;
        while self.peek() == Some(&Token::Or) {
            let at = self.offset();
            self.pos += 1;
            let (right, right_depth) = self.and(nest)?;
            depth = deeper(depth.max(right_depth), at)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    fn and(&mut self, nest: usize) -> Parsed {
        let (mut left, mut depth) = self.not(nest)?;
        while self.peek() == Some(&Token::And) {
            let at = self.offset();
            self.pos += 1;
            let (right, right_depth) = self.not(nest)?;
            depth = deeper(depth.max(right_depth), at)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    fn not(&mut self, nest: usize) -> Parsed {
        let at = self.offset();
        if self.eat(&Token::Not) {
            let nest = deeper(nest, at)?;
            let (inner, depth) = self.not(nest)?;
            return Ok((Expr::Not(Box::new(inner)), deeper(depth, at)?));
        }
        self.primary(nest)
    }

    fn primary(&mut self, nest: usize) -> Parsed {
        let at = self.offset();
        if self.eat(&Token::Open) {
            let (inner, depth) = self.or(deeper(nest, at)?)?;
            self.expect(&Token::Close, "')'")?;
            return Ok((inner, depth));
        }
        self.test().map(|e| (e, nest + 1))
    }

    fn test(&mut self) -> Result<Expr, FilterError> {
        let at = self.offset();
        let left = self.operand()?;
        if let Raw::Word(w) = &left.1 {
            if looks_like_name(w) && !self.next_is_comparison() {
                return Err(unknown_field(at, w));
            }
        }
        let op_at = self.offset();
        let Some(token) = self.peek().cloned() else {
            return bare(left);
        };
        match token {
            Token::Cmp(op) => {
                self.pos += 1;
                let right = self.operand()?;
                compare(left, cmp(op), right, op_at)
            }
            Token::Contains => {
                self.pos += 1;
                let right = self.operand()?;
                let left = sequence(left, "contains")?;
                let right = resolve(right, Some(FType::Bytes))?;
                Ok(Expr::Contains(left, right))
            }
            Token::Matches => {
                self.pos += 1;
                self.matches(left)
            }
            Token::In => {
                self.pos += 1;
                self.membership(left)
            }
            Token::Not if self.peek_at(1) == Some(&Token::In) => {
                self.pos += 2;
                Ok(Expr::Not(Box::new(self.membership(left)?)))
            }
            _ => bare(left),
        }
    }

    fn next_is_comparison(&self) -> bool {
        matches!(self.peek(), Some(Token::Cmp(_)))
            && matches!(self.peek_at(1), Some(Token::Word(w)) if lookup(w).is_some())
    }

    fn matches(&mut self, left: (usize, Raw<'a>)) -> Result<Expr, FilterError> {
        let at = self.offset();
        let Some((_, Token::Str(pattern))) = self.tokens.get(self.pos).cloned() else {
            return Err(FilterError::new(
                at,
                "'matches' needs a quoted regular expression",
            ));
        };
        self.pos += 1;
        let left = sequence(left, "matches")?;
        let source = String::from_utf8(pattern)
            .map_err(|_| FilterError::new(at, "regular expression is not valid UTF-8"))?;
        // tshark's `matches` ignores case; (?-i) in the pattern turns that off. Unicode
        // off: frames are bytes, and `.` must match any byte.
        let regex = regex::bytes::RegexBuilder::new(&source)
            .case_insensitive(true)
            .unicode(false)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| {
                let first = e.to_string();
                let short = first.lines().last().unwrap_or("invalid").trim().to_string();
                FilterError::new(at, format!("invalid regular expression: {short}"))
            })?;
        Ok(Expr::Matches(left, Box::new(regex), source))
    }

    fn membership(&mut self, left: (usize, Raw<'a>)) -> Result<Expr, FilterError> {
        let set_at = self.offset();
        self.expect(&Token::OpenBrace, "'{' to open a set")?;
        let left_at = left.0;
        let left = resolve(left, None)?;
        let ftype = left.ftype();
        let mut items = Vec::new();
        loop {
            let at = self.offset();
            let item = match self.tokens.get(self.pos).cloned() {
                Some((_, Token::Word(w))) => {
                    self.pos += 1;
                    self.set_word(w, at, ftype)?
                }
                Some((_, Token::Str(s))) => {
                    self.pos += 1;
                    SetItem::One(literal(ftype, &Raw::Str(s), at)?)
                }
                Some((_, Token::Char(c))) => {
                    self.pos += 1;
                    SetItem::One(literal(ftype, &Raw::Char(c), at)?)
                }
                _ => return Err(FilterError::new(at, "expected a value in the set")),
            };
            items.push(item);
            if self.eat(&Token::CloseBrace) {
                break;
            }
            if !self.eat(&Token::Comma) {
                return Err(FilterError::new(
                    self.offset(),
                    "expected ',' or '}' in the set",
                ));
            }
        }
        if items.is_empty() {
            return Err(FilterError::new(set_at, "empty set"));
        }
        let _ = left_at;
        Ok(Expr::In(left, items))
    }

    /// A set element written as a word: `80`, `1..5`, or `1 .. 5` across tokens.
    fn set_word(&mut self, word: &'a str, at: usize, ftype: FType) -> Result<SetItem, FilterError> {
        let (low, high) = if let Some((low, high)) = word.split_once("..") {
            let high = if high.is_empty() {
                self.range_high()?
            } else {
                (at + low.len() + 2, high)
            };
            ((at, low), Some(high))
        } else if let Some(Token::Word(next)) = self.peek() {
            let next = *next;
            if let Some(rest) = next.strip_prefix("..") {
                let next_at = self.offset();
                self.pos += 1;
                let high = if rest.is_empty() {
                    self.range_high()?
                } else {
                    (next_at + 2, rest)
                };
                ((at, word), Some(high))
            } else {
                ((at, word), None)
            }
        } else {
            ((at, word), None)
        };
        let low_lit = literal(ftype, &Raw::Word(low.1), low.0)?;
        match high {
            None => Ok(SetItem::One(low_lit)),
            Some((high_at, text)) => {
                if !matches!(ftype, FType::Uint | FType::Ipv4 | FType::Ipv6 | FType::Mac) {
                    return Err(FilterError::new(at, "ranges need an ordered type"));
                }
                let high_lit = literal(ftype, &Raw::Word(text), high_at)?;
                Ok(SetItem::Range(low_lit, high_lit))
            }
        }
    }

    fn range_high(&mut self) -> Result<(usize, &'a str), FilterError> {
        let at = self.offset();
        match self.peek().cloned() {
            Some(Token::Word(w)) => {
                self.pos += 1;
                Ok((at, w))
            }
            _ => Err(FilterError::new(at, "expected the end of the range")),
        }
    }

    /// A field (maybe sliced), function call or literal, then any `& literal`.
    fn operand(&mut self) -> Result<(usize, Raw<'a>), FilterError> {
        let at = self.offset();
        let raw = match self.peek().cloned() {
            Some(Token::Word(w)) if self.peek_at(1) == Some(&Token::Open) => {
                self.pos += 2;
                let inner_at = self.offset();
                let inner = self.operand()?;
                self.expect(&Token::Close, "')' after the function's argument")?;
                match (w, inner.1) {
                    ("len", inner_raw) => Raw::Len(Box::new((inner.0, inner_raw))),
                    ("count", Raw::Field(field, slice)) if slice.is_empty() => Raw::Count(field),
                    ("count", _) => {
                        return Err(FilterError::new(inner_at, "count() takes a field"))
                    }
                    _ => {
                        return Err(FilterError::new(
                            at,
                            format!("unknown function '{w}' (known: len, count)"),
                        ))
                    }
                }
            }
            Some(Token::Word(w)) => {
                self.pos += 1;
                match lookup(w) {
                    Some(field) => {
                        let slice = self.slice(field)?;
                        Raw::Field(field, slice)
                    }
                    None => Raw::Word(w),
                }
            }
            Some(Token::Str(s)) => {
                self.pos += 1;
                Raw::Str(s)
            }
            Some(Token::Char(c)) => {
                self.pos += 1;
                Raw::Char(c)
            }
            Some(_) => return Err(FilterError::new(at, "expected a field or a value")),
            None => return Err(FilterError::new(at, "unexpected end of expression")),
        };
        if self.peek() == Some(&Token::BitAnd) {
            let and_at = self.offset();
            self.pos += 1;
            let mask = self.operand()?;
            if !mask.1.is_literal() {
                return Err(FilterError::new(mask.0, "'&' needs a literal mask"));
            }
            let _ = and_at;
            return Ok((at, Raw::BitAnd(Box::new((at, raw)), Box::new(mask))));
        }
        Ok((at, raw))
    }

    fn slice(&mut self, field: FieldRef) -> Result<Vec<Range>, FilterError> {
        let at = self.offset();
        if !self.eat(&Token::OpenBracket) {
            return Ok(Vec::new());
        }
        if !field.ftype.is_sequence() {
            return Err(FilterError::new(
                at,
                format!(
                    "'{}' is {} and cannot be sliced",
                    field.name,
                    field.ftype.describe()
                ),
            ));
        }
        let mut ranges = Vec::new();
        loop {
            let range_at = self.offset();
            let Some(Token::Word(text)) = self.peek().cloned() else {
                return Err(FilterError::new(range_at, "expected a byte range"));
            };
            self.pos += 1;
            ranges.push(range(text).ok_or_else(|| {
                FilterError::new(range_at, format!("invalid byte range '{text}'"))
            })?);
            if self.eat(&Token::CloseBracket) {
                return Ok(ranges);
            }
            self.expect(&Token::Comma, "',' or ']'")?;
        }
    }
}

fn looks_like_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.contains(|c: char| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
        && !word.contains(':')
}

fn unknown_field(at: usize, name: &str) -> FilterError {
    let hint = crate::fields::closest_name(name, true)
        .map(|k| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default();
    FilterError::new(at, format!("unknown field '{name}'{hint}"))
}

fn cmp(op: CmpTok) -> Cmp {
    match op {
        CmpTok::Eq => Cmp::AnyEq,
        CmpTok::Ne => Cmp::AllNe,
        CmpTok::AllEq => Cmp::AllEq,
        CmpTok::AnyNe => Cmp::AnyNe,
        CmpTok::Lt => Cmp::Lt,
        CmpTok::Gt => Cmp::Gt,
        CmpTok::Le => Cmp::Le,
        CmpTok::Ge => Cmp::Ge,
    }
}

/// `a OP b` read from the other side: `80 < tcp.port` is `tcp.port > 80`.
fn mirrored(op: Cmp) -> Cmp {
    match op {
        Cmp::Lt => Cmp::Gt,
        Cmp::Gt => Cmp::Lt,
        Cmp::Le => Cmp::Ge,
        Cmp::Ge => Cmp::Le,
        other => other,
    }
}

fn compare(
    left: (usize, Raw<'_>),
    op: Cmp,
    right: (usize, Raw<'_>),
    op_at: usize,
) -> Result<Expr, FilterError> {
    match (left.1.is_literal(), right.1.is_literal()) {
        (true, true) => Err(FilterError::new(
            left.0,
            "a comparison needs a field on at least one side",
        )),
        (true, false) => {
            let right = resolve(right, None)?;
            let left = resolve(left, Some(right.ftype())).map_err(|e| for_operand(e, &right))?;
            Ok(Expr::Compare(right, mirrored(op), left))
        }
        (false, true) => {
            let left = resolve(left, None)?;
            let right = resolve(right, Some(left.ftype())).map_err(|e| for_operand(e, &left))?;
            Ok(Expr::Compare(left, op, right))
        }
        (false, false) => {
            let left = resolve(left, None)?;
            let right = resolve(right, None)?;
            let (a, b) = (left.ftype(), right.ftype());
            if a != b && !(a.is_sequence() && b.is_sequence()) {
                return Err(FilterError::new(
                    op_at,
                    format!("cannot compare {} with {}", a.describe(), b.describe()),
                ));
            }
            Ok(Expr::Compare(left, op, right))
        }
    }
}

/// Names the operand a literal was read for: "'ip.src' expects an IPv4 address, ...".
fn for_operand(mut e: FilterError, operand: &Operand) -> FilterError {
    if let Some(rest) = e.message.strip_prefix("expected ") {
        e.message = format!("'{operand}' expects {rest}");
    }
    e
}

/// A test that is just an operand.
fn bare(left: (usize, Raw<'_>)) -> Result<Expr, FilterError> {
    match left.1 {
        Raw::Field(field, slice) if slice.is_empty() => Ok(Expr::Exists(field)),
        Raw::Field(..) | Raw::BitAnd(..) => Ok(Expr::Truthy(resolve(left, None)?)),
        Raw::Word(w) => Err(unknown_field(left.0, w)),
        _ => Err(FilterError::new(
            left.0,
            "a value alone is not a test (compare it with a field)",
        )),
    }
}

fn sequence(left: (usize, Raw<'_>), op: &str) -> Result<Operand, FilterError> {
    let at = left.0;
    let operand = resolve(left, None)?;
    if !matches!(operand.ftype(), FType::Bytes | FType::Str | FType::Protocol) {
        return Err(FilterError::new(
            at,
            format!(
                "'{op}' needs bytes, text or a protocol, not {}",
                operand.ftype().describe()
            ),
        ));
    }
    Ok(operand)
}

/// Types an operand; `expected` is the type a literal must have.
fn resolve(raw: (usize, Raw<'_>), expected: Option<FType>) -> Result<Operand, FilterError> {
    let (at, raw) = raw;
    match raw {
        Raw::Field(field, slice) => Ok(Operand::Field { field, slice }),
        Raw::Count(field) => Ok(Operand::Count(field)),
        Raw::Len(inner) => {
            let inner_at = inner.0;
            let inner = resolve(*inner, None)?;
            if !inner.ftype().is_sequence() {
                return Err(FilterError::new(
                    inner_at,
                    format!("len() needs a sequence, not {}", inner.ftype().describe()),
                ));
            }
            Ok(Operand::Len(Box::new(inner)))
        }
        Raw::BitAnd(value, mask) => {
            let value_at = value.0;
            let value = resolve(*value, None)?;
            let ftype = value.ftype();
            if !matches!(ftype, FType::Uint | FType::Bytes | FType::Protocol) {
                return Err(FilterError::new(
                    value_at,
                    format!("'&' needs an integer or bytes, not {}", ftype.describe()),
                ));
            }
            let mask_at = mask.0;
            let mask = literal(ftype, &mask.1, mask_at)?;
            Ok(Operand::BitAnd(Box::new(value), mask))
        }
        literal_raw => {
            let Some(ftype) = expected else {
                return Err(FilterError::new(at, "expected a field here"));
            };
            literal(ftype, &literal_raw, at).map(Operand::Lit)
        }
    }
}

fn parse_uint(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
        u64::from_str_radix(bin, 2).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u64::from_str_radix(&text[1..], 8).ok()
    } else if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Hex bytes separated by `:`, `-` or `.` (`aa:bb`), or one byte (`33`, `0x33`).
fn parse_bytes(text: &str) -> Option<Vec<u8>> {
    if let Some(hex) = text.strip_prefix("0x") {
        return (hex.len() <= 2).then(|| u8::from_str_radix(hex, 16).ok().map(|b| vec![b]))?;
    }
    let separator = text.bytes().find(|b| matches!(b, b':' | b'-' | b'.'));
    let parts: Vec<&str> = match separator {
        Some(s) => text.split(s as char).collect(),
        None if text.len() <= 2 => vec![text],
        None => return None,
    };
    parts
        .iter()
        .map(|p| {
            (matches!(p.len(), 1 | 2))
                .then(|| u8::from_str_radix(p, 16).ok())
                .flatten()
        })
        .collect()
}

fn parse_mac(text: &str) -> Option<[u8; 6]> {
    let bytes = if text.len() == 14 && text.as_bytes().get(4) == Some(&b'.') {
        // Cisco style: aabb.ccdd.eeff
        let hex: String = text.split('.').collect();
        (0..6)
            .map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?
    } else {
        parse_bytes(text)?
    };
    bytes.try_into().ok()
}

fn prefixed<A: std::str::FromStr>(text: &str, max: u8) -> Option<(A, u8)> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, p.parse::<u8>().ok().filter(|p| *p <= max)?),
        None => (text, max),
    };
    Some((addr.parse().ok()?, prefix))
}

/// Reads a literal as `ftype`.
fn literal(ftype: FType, raw: &Raw<'_>, at: usize) -> Result<Lit, FilterError> {
    let text = match raw {
        Raw::Word(w) => *w,
        Raw::Char(c) => {
            return match ftype {
                FType::Uint => Ok(Lit::Uint(u64::from(*c))),
                FType::Bytes | FType::Str | FType::Protocol => Ok(Lit::Bytes(vec![*c])),
                _ => Err(FilterError::new(
                    at,
                    format!("expected {}, got a character", ftype.describe()),
                )),
            }
        }
        Raw::Str(s) => {
            if matches!(ftype, FType::Bytes | FType::Str | FType::Protocol) {
                return Ok(Lit::Bytes(s.clone()));
            }
            // tshark reads a time only from a bare number.
            if ftype == FType::Time {
                return Err(FilterError::new(
                    at,
                    "expected a time in seconds, got a string",
                ));
            }
            // An address or number may be quoted.
            let Ok(text) = std::str::from_utf8(s) else {
                return Err(FilterError::new(
                    at,
                    format!("expected {}", ftype.describe()),
                ));
            };
            return literal(ftype, &Raw::Word(text), at);
        }
        _ => return Err(FilterError::new(at, "expected a value")),
    };
    let value = match ftype {
        FType::Uint => parse_uint(text).map(Lit::Uint),
        FType::Bool => match text {
            "1" | "True" | "TRUE" => Some(Lit::Bool(true)),
            "0" | "False" | "FALSE" => Some(Lit::Bool(false)),
            _ => None,
        },
        FType::Ipv4 => prefixed::<Ipv4Addr>(text, 32).map(|(a, prefix)| Lit::Ipv4 {
            addr: u32::from(a),
            prefix,
        }),
        FType::Ipv6 => prefixed::<Ipv6Addr>(text, 128).map(|(a, prefix)| Lit::Ipv6 {
            addr: u128::from(a),
            prefix,
        }),
        FType::Mac => parse_mac(text).map(Lit::Mac),
        FType::Bytes | FType::Protocol => parse_bytes(text).map(Lit::Bytes),
        FType::Str => Some(Lit::Bytes(text.as_bytes().to_vec())),
        FType::Time => parse_seconds(text).map(Lit::Time),
    };
    value
        .ok_or_else(|| FilterError::new(at, format!("expected {}, got '{text}'", ftype.describe())))
}

/// A time literal as tshark 4.0 reads one: decimal seconds with an optional sign and up
/// to nine decimals (`1`, `0.25`, `-3.5`); no exponent, no leading point.
fn parse_seconds(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !decimal(whole) || !(fraction.is_empty() || decimal(fraction)) || fraction.len() > 9 {
        return None;
    }
    let seconds: i128 = whole.parse().ok()?;
    let nanos: i128 = format!("{fraction:0<9}").parse().ok()?;
    let ns = seconds.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if negative { -ns } else { ns })
}

/// One slice range: `i:j`, `i:`, `i-j` or `i`.
fn range(text: &str) -> Option<Range> {
    let int = |s: &str| s.parse::<i64>().ok();
    if let Some((start, len)) = text.split_once(':') {
        let end = if len.is_empty() {
            RangeEnd::ToEnd
        } else {
            RangeEnd::Len(len.parse().ok()?)
        };
        return Some(Range {
            start: int(start)?,
            end,
        });
    }
    // A '-' after the first character separates start and last; a leading one is a sign.
    if let Some(dash) = text.get(1..).and_then(|rest| rest.find('-')) {
        let (start, last) = text.split_at(dash + 1);
        return Some(Range {
            start: int(start)?,
            end: RangeEnd::Last(int(&last[1..])?),
        });
    }
    Some(Range {
        start: int(text)?,
        end: RangeEnd::Len(1),
    })
}

/// Parses a complete expression; an error carries the expression, to point into it.
pub(super) fn parse(text: &str) -> Result<Expr, FilterError> {
    parse_expression(text).map_err(|e| FilterError {
        expression: text.to_string(),
        ..e
    })
}

fn parse_expression(text: &str) -> Result<Expr, FilterError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.len(),
    };
    let (expr, _) = parser.or(0)?;
    if parser.pos < parser.tokens.len() {
        return Err(FilterError::new(
            parser.offset(),
            "unexpected text after the expression",
        ));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> FilterError {
        parse(text).unwrap_err()
    }

    fn canonical(text: &str) -> String {
        parse(text).unwrap().to_string()
    }

    #[test]
    fn rejects_unknown_fields_with_position() {
        let e = err("tcp && ip.bogus == 1");
        assert_eq!(e.position(), 7);
        assert!(e.to_string().contains("unknown field 'ip.bogus'"), "{e}");
    }

    #[test]
    fn rejects_missing_value_unbalanced_parens_and_trailing_text() {
        assert!(err("ip.ttl ==").to_string().contains("unexpected end"));
        assert!(err("(tcp").to_string().contains("expected ')'"));
        assert!(err("tcp)").to_string().contains("after the expression"));
        assert!(err("").to_string().contains("unexpected end"));
        assert!(err("tcp &&").to_string().contains("unexpected end"));
        assert!(err("ip.ttl == 1 == 2").to_string().contains("after"));
        assert!(err("tcp $ udp")
            .to_string()
            .contains("unexpected character '$'"));
        assert!(err("tcp.port in {80 443}").to_string().contains("','"));
        assert!(err("tcp.srcport[0] == 0").to_string().contains("sliced"));
        assert!(err("frame matches \"(\"").to_string().contains("regular"));
        assert!(err("1 == 2").to_string().contains("field"));
    }

    #[test]
    fn literals_are_typed_by_the_other_side() {
        assert!(err("ip.ttl == 10.0.0.1").to_string().contains("integer"));
        assert!(err("eth.src == 1").to_string().contains("Ethernet"));
        assert!(err("ipv6.src == 1.2.3.4").to_string().contains("IPv6"));
        assert!(err("tcp.flags.syn == true").to_string().contains("boolean"));
        assert_eq!(canonical("frame[0] == 33"), "frame[0:1] == \"3\"");
        assert_eq!(canonical("ip.ttl == 0x40"), "ip.ttl == 64");
        assert_eq!(canonical("ip.ttl == 0100"), "ip.ttl == 64");
        assert_eq!(canonical("ip.ttl == 'A'"), "ip.ttl == 65");
        assert_eq!(
            canonical("eth.dst == ffff.ffff.ffff"),
            "eth.dst == ff:ff:ff:ff:ff:ff"
        );
        assert_eq!(canonical("ip.src == 10.0.0.0/8"), "ip.src == 10.0.0.0/8");
        assert_eq!(canonical("64 < ip.ttl"), "ip.ttl > 64");
    }

    #[test]
    fn word_and_symbol_operators_are_the_same() {
        assert_eq!(
            canonical("not tcp and udp or ip"),
            canonical("!tcp && udp || ip")
        );
        assert_eq!(
            canonical("ip.ttl eq 1 and ip.ttl any_eq 1"),
            canonical("ip.ttl == 1 && ip.ttl == 1")
        );
        assert_eq!(canonical("ip.ttl all_ne 1"), canonical("ip.ttl != 1"));
        assert_eq!(canonical("ip.ttl any_ne 1"), canonical("ip.ttl ~= 1"));
        assert_eq!(canonical("ip.ttl all_eq 1"), canonical("ip.ttl === 1"));
    }

    #[test]
    fn sets_slices_and_functions_parse() {
        assert_eq!(
            canonical("tcp.port in {80, 443, 1000..2000}"),
            "tcp.port in {80, 443, 1000..2000}"
        );
        assert_eq!(canonical("tcp.port in {1 .. 5}"), "tcp.port in {1..5}");
        assert_eq!(canonical("tcp.port not in {80}"), "!(tcp.port in {80})");
        assert_eq!(
            canonical("eth.src[1-2,-1:] == 1"),
            "eth.src[1-2,-1:] == \"\\x01\""
        );
        assert_eq!(canonical("len(tcp.payload) > 3"), "len(tcp.payload) > 3");
        assert_eq!(canonical("count(ip.src) == 2"), "count(ip.src) == 2");
        assert_eq!(canonical("tcp.flags & 0x12"), "tcp.flags & 18");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}tcp{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(err(&deep).to_string().contains("nested"));
        let nots = format!("{}tcp", "!".repeat(10_000));
        assert!(err(&nots).to_string().contains("nested"));
        let chain = vec!["tcp"; 10_000].join(" && ");
        assert!(err(&chain).to_string().contains("nested"));
        let fine = vec!["tcp"; 100].join(" || ");
        assert!(parse(&fine).is_ok());
    }
}
