//! Tokenizer and recursive-descent parser for the filter language. Precedence from loosest
//! to tightest: `||`, `&&`, `!`, comparison.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Expr, Op};
use crate::fields::{Field, Kind, Value};

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
    fn new(position: usize, message: impl Into<String>) -> Self {
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token<'_>)>, FilterError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let two = bytes.get(i..i + 2).unwrap_or(&[]);
        let (token, len) = match (b, two) {
            (_, b"==") => (Token::Op(Op::Eq), 2),
            (_, b"!=") => (Token::Op(Op::Ne), 2),
            (_, b"<=") => (Token::Op(Op::Le), 2),
            (_, b">=") => (Token::Op(Op::Ge), 2),
            (_, b"&&") => (Token::And, 2),
            (_, b"||") => (Token::Or, 2),
            (b'<', _) => (Token::Op(Op::Lt), 1),
            (b'>', _) => (Token::Op(Op::Gt), 1),
            (b'!', _) => (Token::Not, 1),
            (b'(', _) => (Token::Open, 1),
            (b')', _) => (Token::Close, 1),
            (b, _) if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            (b, _) if is_word_byte(b) => {
                let len = bytes[i..].iter().take_while(|b| is_word_byte(**b)).count();
                let word = &text[i..i + len];
                let token = match word {
                    "and" => Token::And,
                    "or" => Token::Or,
                    "not" => Token::Not,
                    "eq" => Token::Op(Op::Eq),
                    "ne" => Token::Op(Op::Ne),
                    "lt" => Token::Op(Op::Lt),
                    "gt" => Token::Op(Op::Gt),
                    "le" => Token::Op(Op::Le),
                    "ge" => Token::Op(Op::Ge),
                    _ => Token::Word(word),
                };
                (token, len)
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or('?');
                return Err(FilterError::new(i, format!("unexpected character '{c}'")));
            }
        };
        tokens.push((i, token));
        i += len;
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<(usize, Token<'a>)>,
    pos: usize,
    end: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.not()?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            let right = self.not()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, FilterError> {
        if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let at = self.offset();
        match self.peek().cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(FilterError::new(self.offset(), "expected ')'"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Word(name)) => {
                self.pos += 1;
                let field = Field::from_name(name).ok_or_else(|| {
                    let hint = crate::fields::closest_name(name, true)
                        .map(|k| format!(" (did you mean '{k}'?)"))
                        .unwrap_or_default();
                    FilterError::new(at, format!("unknown field '{name}'{hint}"))
                })?;
                let Some(Token::Op(op)) = self.peek().cloned() else {
                    return Ok(Expr::Present(field));
                };
                self.pos += 1;
                let lit_at = self.offset();
                let Some(Token::Word(text)) = self.peek().cloned() else {
                    return Err(FilterError::new(lit_at, "expected a value after operator"));
                };
                self.pos += 1;
                let value = literal(field, text).map_err(|m| FilterError::new(lit_at, m))?;
                Ok(Expr::Compare(field, op, value))
            }
            Some(_) => Err(FilterError::new(at, "expected a field name or '('")),
            None => Err(FilterError::new(at, "unexpected end of expression")),
        }
    }
}

fn parse_uint(text: &str) -> Option<u64> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

fn parse_mac(text: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = text.split([':', '-']);
    for b in &mut mac {
        let p = parts.next()?;
        if p.len() != 2 {
            return None;
        }
        *b = u8::from_str_radix(p, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

/// Parses a literal as the type `field` holds.
fn literal(field: Field, text: &str) -> Result<Value, String> {
    let expected = match field.kind() {
        Kind::Protocol => {
            return Err(format!(
                "'{}' is a protocol and cannot be compared",
                field.name()
            ))
        }
        Kind::Mac => parse_mac(text).map(Value::Mac).ok_or("a MAC address"),
        Kind::Ipv4 => text
            .parse::<Ipv4Addr>()
            .map(|a| Value::Ipv4(a.octets()))
            .map_err(|_| "an IPv4 address"),
        Kind::Ipv6 => text
            .parse::<Ipv6Addr>()
            .map(|a| Value::Ipv6(a.octets()))
            .map_err(|_| "an IPv6 address"),
        _ => parse_uint(text).map(Value::Uint).ok_or("an integer"),
    };
    expected.map_err(|what| format!("'{}' expects {what}, got '{text}'", field.name()))
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
    let expr = parser.or()?;
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

    #[test]
    fn rejects_unknown_fields_with_position() {
        let e = err("tcp && ip.bogus == 1");
        assert_eq!(e.position(), 7);
        assert!(e.to_string().contains("unknown field 'ip.bogus'"));
    }

    #[test]
    fn rejects_missing_value_unbalanced_parens_and_trailing_text() {
        assert!(err("ip.ttl ==").to_string().contains("expected a value"));
        assert!(err("(tcp").to_string().contains("expected ')'"));
        assert!(err("tcp)").to_string().contains("after the expression"));
        assert!(err("").to_string().contains("unexpected end"));
        assert!(err("tcp &&").to_string().contains("unexpected end"));
        assert!(err("ip.ttl == 1 == 2").to_string().contains("after"));
        assert!(err("tcp $ udp")
            .to_string()
            .contains("unexpected character '$'"));
    }

    #[test]
    fn literals_are_typed_by_the_field() {
        assert!(err("ip.ttl == 10.0.0.1").to_string().contains("an integer"));
        assert!(err("eth.src == 1").to_string().contains("MAC address"));
        assert!(err("ipv6.src == 1.2.3.4").to_string().contains("IPv6"));
        assert!(err("tcp == 1").to_string().contains("protocol"));
        assert_eq!(
            parse("eth.src == 02:17:0d:e3:eb:36").unwrap(),
            Expr::Compare(
                Field::EthSrc,
                Op::Eq,
                Value::Mac([2, 0x17, 0x0d, 0xe3, 0xeb, 0x36])
            )
        );
        assert_eq!(
            parse("ipv6.dst == ff02::16").unwrap(),
            Expr::Compare(
                Field::Ipv6Dst,
                Op::Eq,
                Value::Ipv6("ff02::16".parse::<Ipv6Addr>().unwrap().octets())
            )
        );
    }

    #[test]
    fn word_operators_match_symbols() {
        assert_eq!(
            parse("not tcp and udp or ip").unwrap(),
            parse("!tcp && udp || ip").unwrap()
        );
    }
}
