//! The `-Y` display-filter language, a small subset of Wireshark's.
//!
//! `field OP value` with `== != < > <= >=` (or `eq ne lt gt le ge`), `&& || !` (or `and or
//! not`), parentheses, and a bare field or protocol name meaning "present". Values are typed
//! by the field: integers in decimal or `0x` hex, IPv4/IPv6/MAC addresses. As in Wireshark,
//! `==` and the orderings hold when *any* occurrence matches, `!=` when *no* occurrence
//! equals the value, and every comparison on an absent field is false. Expressions are
//! checked completely by [`Filter::parse`], before any packet is read.

mod parse;

pub use parse::FilterError;

use crate::fields::{Field, FieldMask, FrameFields, Value};

/// A comparison operator.
///
/// ```
/// use zcdump::fields::{Field, Value};
/// use zcdump::filter::{Expr, Filter, Op};
/// let f = Filter::parse("ip.ttl le 1")?; // `le` is `<=`
/// assert_eq!(f.expr(), &Expr::Compare(Field::IpTtl, Op::Le, Value::Uint(1)));
/// # Ok::<(), zcdump::filter::FilterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

/// A parsed filter expression.
///
/// ```
/// use zcdump::fields::{Field, Proto};
/// use zcdump::filter::{Expr, Filter};
/// let f = Filter::parse("udp && !icmp")?;
/// let present = |p| Box::new(Expr::Present(Field::Proto(p)));
/// let not_icmp = Box::new(Expr::Not(present(Proto::Icmp)));
/// assert_eq!(f.expr(), &Expr::And(present(Proto::Udp), not_icmp));
/// # Ok::<(), zcdump::filter::FilterError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// The field occurs at least once.
    Present(Field),
    /// A comparison of the field's occurrences with a literal.
    Compare(Field, Op, Value),
    /// Negation.
    Not(Box<Expr>),
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
}

/// A compiled `-Y` filter.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// use zcdump::filter::Filter;
/// let filter = Filter::parse("tcp.flags == 0x0002 && ip.dst == 10.77.0.2")?;
/// let mut f = FrameFields::default();
/// f.enter(Proto::Tcp);
/// f.push_uint(Field::TcpFlags, 2u16);
/// f.push(Field::IpDst, Value::Ipv4([10, 77, 0, 2]));
/// assert!(filter.matches(&f));
/// assert!(Filter::parse("tcp.flags ==").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    expr: Expr,
}

impl Filter {
    /// Parses and type-checks `text`.
    ///
    /// # Errors
    /// A [`FilterError`] naming the position and what was expected.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// assert!(Filter::parse("ip.src == 10.0.0.1 || ipv6.dst == fe80::1").is_ok());
    /// // Checked before any packet is read: the value must suit the field.
    /// let e = Filter::parse("tcp.srcport == fe80::1").unwrap_err();
    /// assert_eq!(e.position(), 15);
    /// ```
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        parse::parse(text).map(|expr| Filter { expr })
    }

    /// The expression tree.
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// use zcdump::filter::{Expr, Filter};
    /// let f = Filter::parse("not tcp")?;
    /// assert_eq!(f.expr(), &Expr::Not(Box::new(Expr::Present(Field::Proto(Proto::Tcp)))));
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The fields the expression reads.
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::filter::Filter;
    /// let f = Filter::parse("tcp && ip.ttl > 3")?;
    /// assert!(f.fields_read().contains(Field::IpTtl));
    /// assert!(!f.fields_read().contains(Field::IpSrc));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn fields_read(&self) -> FieldMask {
        fn walk(e: &Expr, mask: FieldMask) -> FieldMask {
            match e {
                Expr::Present(f) | Expr::Compare(f, _, _) => mask.with(*f),
                Expr::Not(a) => walk(a, mask),
                Expr::And(a, b) | Expr::Or(a, b) => walk(b, walk(a, mask)),
            }
        }
        walk(&self.expr, FieldMask::NONE)
    }

    /// Whether the frame passes the filter.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::filter::Filter;
    /// let mut frame = FrameFields::default();
    /// frame.push_uint(Field::TcpDstport, 443u16);
    /// assert!(Filter::parse("tcp.dstport == 443")?.matches(&frame));
    /// assert!(!Filter::parse("tcp.dstport != 443")?.matches(&frame));
    /// assert!(!Filter::parse("udp.dstport < 1000")?.matches(&frame)); // absent: false
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn matches(&self, frame: &FrameFields) -> bool {
        eval(&self.expr, frame)
    }
}

fn eval(expr: &Expr, frame: &FrameFields) -> bool {
    match expr {
        Expr::Present(field) => frame.has(*field),
        Expr::Not(e) => !eval(e, frame),
        Expr::And(a, b) => eval(a, frame) && eval(b, frame),
        Expr::Or(a, b) => eval(a, frame) || eval(b, frame),
        Expr::Compare(field, Op::Ne, lit) => {
            let mut any = false;
            for v in frame.all(*field) {
                if v == *lit {
                    return false;
                }
                any = true;
            }
            any
        }
        Expr::Compare(field, op, lit) => frame.all(*field).any(|v| compare(v, *op, *lit)),
    }
}

fn compare(v: Value, op: Op, lit: Value) -> bool {
    // Literals are typed from the field, so both sides are the same variant and the derived
    // order is numeric (integers) or bytewise big-endian (addresses).
    match op {
        Op::Eq => v == lit,
        Op::Ne => v != lit,
        Op::Lt => v < lit,
        Op::Gt => v > lit,
        Op::Le => v <= lit,
        Op::Ge => v >= lit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Proto;

    fn frame() -> FrameFields {
        let mut f = FrameFields::default();
        f.enter(Proto::Ip);
        f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 2]));
        f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 1]));
        f.push_uint(Field::IpTtl, 64u8);
        f.enter(Proto::Tcp);
        f.push_uint(Field::TcpFlags, 0x12u16);
        f.push_uint(Field::TcpSrcport, 8080u16);
        f
    }

    fn check(text: &str) -> bool {
        Filter::parse(text).unwrap().matches(&frame())
    }

    #[test]
    fn equality_holds_when_any_occurrence_matches() {
        assert!(check("ip.src == 10.77.0.1"));
        assert!(check("ip.src == 10.77.0.2"));
        assert!(!check("ip.src == 10.77.0.3"));
    }

    #[test]
    fn inequality_holds_only_when_no_occurrence_matches() {
        assert!(!check("ip.src != 10.77.0.1"));
        assert!(check("ip.src != 10.77.0.9"));
    }

    #[test]
    fn comparisons_on_absent_fields_are_false() {
        assert!(!check("udp.srcport == 53"));
        assert!(!check("udp.srcport != 53"));
        assert!(check("!(udp.srcport == 53)"));
    }

    #[test]
    fn orderings_compare_numbers() {
        assert!(check(
            "ip.ttl > 63 && ip.ttl <= 64 && ip.ttl >= 64 && ip.ttl < 65"
        ));
        assert!(!check("ip.ttl gt 64"));
        assert!(check("tcp.srcport == 0x1f90"));
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert!(check("udp || tcp && ip"));
        assert!(!check("!tcp || udp"));
        assert!(check("not udp and (tcp or udp)"));
        assert!(!check("(udp || tcp) && !ip"));
    }

    #[test]
    fn bare_names_test_presence() {
        assert!(check("tcp"));
        assert!(check("tcp.flags"));
        assert!(!check("icmp"));
        assert!(!check("icmp.type"));
    }
}
