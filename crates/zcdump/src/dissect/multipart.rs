//! `mime_multipart`: a body of a multipart media type (RFC 2046 5.1), parts separated by
//! `--` and the `boundary` parameter. Each part's body goes where its own `Content-Type`
//! sends it (`data` without one), as tshark hands it on. Without a first delimiter the
//! whole body is `data` (a boundary longer than RFC 2046's 70 characters too, where tshark
//! would search on). Without a boundary parameter only tshark's protocol list names
//! `mime_multipart`; the body is `data` (see [`dissect`]). A multipart part inside a
//! multipart part is `data` here (tshark reads on; such bodies are rare in captures). The
//! part headers are not declared as fields.

use super::http_body::dissect_part;
use super::media_type::parameter;
use super::Cx;
use crate::fields::{declare_fields, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: MimeMultipart, name: "mime_multipart",
}

/// The longest boundary RFC 2046 5.1.1 allows.
const MAX_BOUNDARY: usize = 70;

/// Dissects multipart `body` of `Content-Type` value `content_type`.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, body: &[u8], content_type: &[u8]) {
    let Some(boundary) = parameter(content_type, "boundary").filter(|b| !b.is_empty()) else {
        // tshark's multipart dissector gives up before its protocol item: a filter finds no
        // `mime_multipart`, though tshark's protocol list names it.
        cx.out.list_only(Proto::MimeMultipart);
        cx.data(body);
        cx.out.note_tree(TreeNote::MultipartWithoutBoundary);
        return;
    };
    cx.out.enter(Proto::MimeMultipart);
    if boundary.len() > MAX_BOUNDARY {
        // Not a boundary RFC 2046 allows; searching for it would cost its length times
        // the body's.
        cx.data(body);
        return;
    }
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let Some(mut at) = first_delimiter(body, &delimiter) else {
        cx.data(body);
        return;
    };
    // Each turn: `at` is where a delimiter starts.
    loop {
        let after = at + delimiter.len();
        if body.get(after..after + 2) == Some(b"--") {
            return; // the close delimiter
        }
        // The rest of the delimiter line (transport padding) and its end.
        let Some(eol) = find(&body[after..], b"\n") else {
            return;
        };
        let part_start = after + eol + 1;
        let next = find(&body[part_start..], &[b"\r\n", &delimiter[..]].concat())
            .map(|at| part_start + at);
        let part = &body[part_start..next.unwrap_or(body.len())];
        part_body(cx, part);
        match next {
            Some(n) => at = n + 2,
            None => return,
        }
    }
}

/// Where the first delimiter starts: at the body's start or on a line of its own.
fn first_delimiter(body: &[u8], delimiter: &[u8]) -> Option<usize> {
    if body.starts_with(delimiter) {
        return Some(0);
    }
    find(body, &[b"\r\n", delimiter].concat()).map(|at| at + 2)
}

/// A part: header lines up to a blank line, then the body its `Content-Type` names.
fn part_body(cx: &mut Cx<'_, '_>, part: &[u8]) {
    let mut content_type = None;
    let mut at = 0;
    loop {
        let rest = &part[at..];
        let Some(end) = find(rest, b"\n") else {
            return; // headers without their end: no body
        };
        let line = rest[..end].strip_suffix(b"\r").unwrap_or(&rest[..end]);
        at += end + 1;
        if line.is_empty() {
            break;
        }
        if let Some(colon) = line.iter().position(|b| *b == b':') {
            if line[..colon]
                .trim_ascii()
                .eq_ignore_ascii_case(b"content-type")
            {
                content_type = Some(line[colon + 1..].trim_ascii());
            }
        }
    }
    dissect_part(cx, &part[at..], content_type);
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_found_at_the_start_or_after_a_line_end() {
        assert_eq!(first_delimiter(b"--XX\r\n", b"--XX"), Some(0));
        assert_eq!(first_delimiter(b"preamble\r\n--XX\r\n", b"--XX"), Some(10));
        assert_eq!(first_delimiter(b"a--XX", b"--XX"), None);
        assert_eq!(find(b"abc", b"c"), Some(2));
        assert_eq!(find(b"ab", b"abc"), None);
    }
}
