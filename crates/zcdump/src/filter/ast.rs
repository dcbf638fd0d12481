//! The checked expression tree: every field resolved, every literal already converted to
//! the type of the field it is compared with, so evaluation never parses text. Its
//! `Display` prints an expression that parses back to the same tree (fully parenthesised,
//! literals in a canonical spelling), which the property tests rely on.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::schema::{FType, FieldRef};

/// A comparison with tshark 4.0's meaning for fields with several occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    /// `==`: some occurrence equals.
    AnyEq,
    /// `!=`: there are occurrences and none equals.
    AllNe,
    /// `===`: there are occurrences and all equal.
    AllEq,
    /// `!==`: some occurrence differs.
    AnyNe,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Cmp {
    fn symbol(self) -> &'static str {
        match self {
            Cmp::AnyEq => "==",
            Cmp::AllNe => "!=",
            Cmp::AllEq => "===",
            Cmp::AnyNe => "!==",
            Cmp::Lt => "<",
            Cmp::Gt => ">",
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
        }
    }
}

/// One byte range of a slice, as written: `[start:len]`, `[start-last]`, `[start]`,
/// `[start:]`. Negative starts count from the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub start: i64,
    pub end: RangeEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeEnd {
    /// `start:len`
    Len(u64),
    /// `start-last` (inclusive)
    Last(i64),
    /// `start:` (to the end)
    ToEnd,
}

impl Range {
    /// The byte positions in a value of `len` bytes, or `None` when the range does not fit
    /// (tshark then has no value for the slice).
    pub(crate) fn within(self, len: usize) -> Option<std::ops::Range<usize>> {
        let len_i = i64::try_from(len).ok()?;
        let start = if self.start < 0 {
            len_i.checked_add(self.start)?
        } else {
            self.start
        };
        let end = match self.end {
            RangeEnd::Len(n) => start.checked_add(i64::try_from(n).ok()?)?,
            RangeEnd::Last(last) => {
                let last = if last < 0 {
                    len_i.checked_add(last)?
                } else {
                    last
                };
                last.checked_add(1)?
            }
            RangeEnd::ToEnd => len_i,
        };
        if start < 0 || end < start || end > len_i {
            return None;
        }
        Some(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    }
}

/// A literal, already in the type of what it is compared with.
#[derive(Debug, Clone)]
pub(crate) enum Lit {
    Uint(u64),
    Bool(bool),
    Ipv4 {
        addr: u32,
        prefix: u8,
    },
    Ipv6 {
        addr: u128,
        prefix: u8,
    },
    Mac([u8; 6]),
    /// Bytes, or text for string fields.
    Bytes(Vec<u8>),
    /// A time in nanoseconds.
    Time(i128),
}

/// Something with values: a field (maybe sliced), a literal, or a function of a field.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    Field {
        field: FieldRef,
        slice: Vec<Range>,
    },
    Lit(Lit),
    /// `operand & literal`
    BitAnd(Box<Operand>, Lit),
    /// `len(operand)`: the byte length of each value.
    Len(Box<Operand>),
    /// `count(field)`: how many occurrences.
    Count(FieldRef),
}

impl Operand {
    /// The type of the operand's values.
    pub(crate) fn ftype(&self) -> FType {
        match self {
            Operand::Field { field, slice } if slice.is_empty() => field.ftype,
            Operand::Field { .. } => FType::Bytes,
            Operand::Lit(Lit::Uint(_)) | Operand::Len(_) | Operand::Count(_) => FType::Uint,
            Operand::Lit(Lit::Bool(_)) => FType::Bool,
            Operand::Lit(Lit::Ipv4 { .. }) => FType::Ipv4,
            Operand::Lit(Lit::Ipv6 { .. }) => FType::Ipv6,
            Operand::Lit(Lit::Mac(_)) => FType::Mac,
            Operand::Lit(Lit::Bytes(_)) => FType::Bytes,
            Operand::Lit(Lit::Time(_)) => FType::Time,
            Operand::BitAnd(inner, _) => inner.ftype(),
        }
    }
}

/// One element of an `in { ... }` set.
#[derive(Debug, Clone)]
pub(crate) enum SetItem {
    One(Lit),
    /// `low..high`, both included.
    Range(Lit, Lit),
}

/// A checked filter expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// A bare field or protocol: it occurs.
    Exists(FieldRef),
    /// A bare `x & mask` (or a bare slice): some value is non-zero / exists.
    Truthy(Operand),
    Compare(Operand, Cmp, Operand),
    Contains(Operand, Operand),
    /// The regex's source is kept for printing.
    Matches(Operand, Box<regex::bytes::Regex>, String),
    In(Operand, Vec<SetItem>),
}

fn write_bytes_as_string(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    for &b in bytes {
        match b {
            b'"' | b'\\' => write!(f, "\\{}", b as char)?,
            0x20..=0x7e => write!(f, "{}", b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Uint(v) => write!(f, "{v}"),
            Lit::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Lit::Ipv4 { addr, prefix } => write!(f, "{}/{prefix}", Ipv4Addr::from(*addr)),
            Lit::Ipv6 { addr, prefix } => write!(f, "{}/{prefix}", Ipv6Addr::from(*addr)),
            Lit::Mac(m) => write!(
                f,
                "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                m[0], m[1], m[2], m[3], m[4], m[5]
            ),
            Lit::Bytes(b) => write_bytes_as_string(f, b),
            Lit::Time(ns) => {
                let mut text = Vec::new();
                crate::analysis::write_seconds(&mut text, *ns);
                f.write_str(&String::from_utf8_lossy(&text))
            }
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            RangeEnd::Len(n) => write!(f, "{}:{n}", self.start),
            RangeEnd::Last(last) => write!(f, "{}-{last}", self.start),
            RangeEnd::ToEnd => write!(f, "{}:", self.start),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Field { field, slice } => {
                f.write_str(field.name)?;
                if !slice.is_empty() {
                    f.write_str("[")?;
                    for (i, r) in slice.iter().enumerate() {
                        if i > 0 {
                            f.write_str(",")?;
                        }
                        write!(f, "{r}")?;
                    }
                    f.write_str("]")?;
                }
                Ok(())
            }
            Operand::Lit(l) => write!(f, "{l}"),
            Operand::BitAnd(a, mask) => write!(f, "{a} & {mask}"),
            Operand::Len(a) => write!(f, "len({a})"),
            Operand::Count(field) => write!(f, "count({})", field.name),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(a, b) => write!(f, "({a} && {b})"),
            Expr::Or(a, b) => write!(f, "({a} || {b})"),
            Expr::Not(a) => write!(f, "!({a})"),
            Expr::Exists(field) => f.write_str(field.name),
            Expr::Truthy(o) => write!(f, "{o}"),
            Expr::Compare(a, op, b) => write!(f, "{a} {} {b}", op.symbol()),
            Expr::Contains(a, b) => write!(f, "{a} contains {b}"),
            Expr::Matches(a, _, source) => {
                write!(f, "{a} matches ")?;
                write_bytes_as_string(f, source.as_bytes())
            }
            Expr::In(a, items) => {
                write!(f, "{a} in {{")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match item {
                        SetItem::One(l) => write!(f, "{l}")?,
                        SetItem::Range(lo, hi) => write!(f, "{lo}..{hi}")?,
                    }
                }
                f.write_str("}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: i64, end: RangeEnd) -> Range {
        Range { start, end }
    }

    #[test]
    fn slices_select_tsharks_byte_positions() {
        assert_eq!(range(0, RangeEnd::Len(3)).within(6), Some(0..3));
        assert_eq!(range(1, RangeEnd::Last(2)).within(6), Some(1..3));
        assert_eq!(range(-3, RangeEnd::ToEnd).within(6), Some(3..6));
        assert_eq!(range(4, RangeEnd::Len(3)).within(6), None);
        assert_eq!(range(-7, RangeEnd::ToEnd).within(6), None);
        assert_eq!(range(i64::MAX, RangeEnd::Len(u64::MAX)).within(6), None);
    }
}
