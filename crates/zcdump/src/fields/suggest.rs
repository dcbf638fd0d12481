//! "Did you mean ...?" for a field name that zcdump does not know: the known name nearest
//! to a typo, so that `-e ip.sorc` or `-Y "ip.tll == 1"` tells a newcomer what to type.

use super::{Field, Proto};

/// The known name closest to `name` (protocol names too when `protocols`), if one is close
/// enough to be the likely intent: at most two edits away (a swap of neighbours is one
/// edit), and no farther than a third of the name's length, so short words are not
/// "corrected" into unrelated ones.
///
/// ```
/// use zcdump::fields::closest_name;
/// assert_eq!(closest_name("ip.tll", false), Some("ip.ttl"));
/// assert_eq!(closest_name("tcp.flag", false), Some("tcp.flags"));
/// assert_eq!(closest_name("udpp", true), Some("udp"));
/// assert_eq!(closest_name("colour", true), None);
/// ```
#[must_use]
pub fn closest_name(name: &str, protocols: bool) -> Option<&'static str> {
    let fields = Field::all().map(Field::name);
    let protos = Proto::ALL.iter().filter(|_| protocols).map(|p| p.name());
    let limit = 2.min(name.chars().count() / 3);
    fields
        .chain(protos)
        .map(|known| (edits(name, known), known))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, known)| known)
}

/// Edits (insert, delete, replace, or swap two neighbours) that turn `a` into `b`: the
/// optimal-string-alignment distance, computed over characters.
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the dynamic-programming table: two back (for swaps), one back, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let same = a[i - 1] == b[j - 1];
            let mut d = (last[j] + 1)
                .min(row[j - 1] + 1)
                .min(last[j - 1] + usize::from(!same));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_inserts_deletes_replacements_and_swaps() {
        assert_eq!(edits("ip.src", "ip.src"), 0);
        assert_eq!(edits("ip.sorc", "ip.src"), 1);
        assert_eq!(edits("ip.tll", "ip.ttl"), 1);
        assert_eq!(edits("ip.dts", "ip.dst"), 1);
        assert_eq!(edits("tcp", "udp"), 2);
        assert_eq!(edits("", "abc"), 3);
    }

    #[test]
    fn far_or_short_names_get_no_suggestion() {
        assert_eq!(closest_name("ip", true), Some("ip")); // known already: itself
        assert_eq!(closest_name("xy", true), None);
        assert_eq!(closest_name("frame.numbers.total", false), None);
        // Protocol names are offered only where a bare protocol is allowed (the filter).
        assert_eq!(closest_name("udpp", false), None);
    }
}
