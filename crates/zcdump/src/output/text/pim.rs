//! PIM as `tcpdump -n` prints it (without `-v`): `PIMv2, Hello, length 26`, the message
//! type named as tcpdump names RFC 7761's types and the length of the IP payload. A
//! message cut before its first byte ends in tcpdump's `[|pim]`.

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto};

/// PIM.
pub(super) const PIM: TextSummary = TextSummary {
    proto: Proto::Pim,
    fields: &[Field::PimVersion, Field::PimType],
    write: pim,
};

/// tcpdump's names of the PIMv2 message types 0 to 8 (RFC 7761 4.9, RFC 5059 for 4 and 8).
fn type_name(kind: u64) -> Option<&'static [u8]> {
    const NAMES: [&[u8]; 9] = [
        b"Hello",
        b"Register",
        b"Register Stop",
        b"Join / Prune",
        b"Bootstrap",
        b"Assert",
        b"Graft",
        b"Graft Acknowledgement",
        b"Candidate RP Advertisement",
    ];
    NAMES.get(usize::try_from(kind).ok()?).copied()
}

fn pim(line: &mut Line<'_>) {
    let (Some(version), Some(kind)) = (line.uint(Field::PimVersion), line.uint(Field::PimType))
    else {
        return line.put(b"[|pim]");
    };
    line.put(b"PIMv");
    line.dec(version);
    line.put(b", ");
    match type_name(kind) {
        Some(name) => line.put(name),
        None => {
            line.put(b"Unknown Type (");
            line.dec(kind);
            line.byte(b')');
        }
    }
    line.put(b", length ");
    let length = line.network.payload_len;
    line.dec(length);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_the_rfc_7761_types() {
        assert_eq!(type_name(0), Some(&b"Hello"[..]));
        assert_eq!(type_name(3), Some(&b"Join / Prune"[..]));
        assert_eq!(type_name(9), None);
    }
}
