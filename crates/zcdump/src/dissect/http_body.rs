//! The body of an HTTP/1.x message that starts in the same segment as its header lines,
//! handed on by its media type as tshark 4.0 hands it on without reassembly: to `data`,
//! `data-text-lines`, `xml`, `json`, `mime_multipart`, `png`, `urlencoded-form` or `media`
//! (see `media_type`).
//!
//! The body's length (RFC 9112 6.3): none for a response with status 1xx, 204 or 304 (and
//! after a 101 the rest is the new protocol's, which zcdump does not decode); the
//! chunks of a `chunked` transfer coding; else `Content-Length`, or the rest of the segment
//! without it; in any case no further than the segment. Bytes after the body are another
//! message when they start one and `data` otherwise (inside HTTP's tree). Checked on
//! tshark 4.0.17:
//! - chunks (RFC 9112 7.1) are read as tshark reads them: a hex size with optional
//!   extensions and a line end, the data, then two bytes taken as the line end whatever
//!   they are. A first size that is not hex leaves the message without a body (and
//!   nothing after it); so does a chunk or size line the segment ends in, where tshark's
//!   read runs past the segment (`_ws.unreassembled`); a later size that is not hex ends
//!   the body there, the rest following it;
//! - a body the capture cut goes where a whole one goes, and the frame is short there (see
//!   [`Body::cut`]);
//! - a `Content-Encoding` other than `identity` is `data`: tshark fails to decompress such a
//!   body when it is not a whole compressed stream. zcdump does not decompress, so a whole
//!   compressed body in one segment, which tshark would decompress and hand on by its type,
//!   is `data` here too.

use super::media_type::{body_kind, image_signature, BodyKind};
use super::{json, multipart, png, Cx};
use crate::fields::Proto;
use crate::stats::TreeNote;

/// What a message's header lines say about its body.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct BodyHeaders<'a> {
    /// The last `Content-Type` value (tshark keeps the last of several).
    content_type: Option<&'a [u8]>,
    /// The `Content-Length`, when it is a number.
    length: Option<usize>,
    /// A `Transfer-Encoding` naming `chunked`.
    chunked: bool,
    /// A `Content-Encoding` other than `identity`.
    encoded: bool,
}

impl<'a> BodyHeaders<'a> {
    /// Notes header line `line` (`name: value`) if the body depends on it.
    pub(super) fn header(&mut self, line: &'a [u8]) {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"content-type") {
            self.content_type = Some(value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            self.length = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            self.chunked = value
                .split(|b| *b == b',')
                .any(|c| c.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case(b"content-encoding") {
            self.encoded = !value.is_empty() && !value.eq_ignore_ascii_case(b"identity");
        }
    }

    /// Dissects the body at the start of `rest` (the segment after the blank line) of a
    /// message with status code `status` (`None`: a request); returns the bytes after it.
    pub(super) fn dissect<'p>(
        self,
        cx: &mut Cx<'_, '_>,
        rest: &'p [u8],
        status: Option<u64>,
    ) -> &'p [u8] {
        if status == Some(101) {
            // Switching protocols: tshark hands the rest to the new protocol (WebSocket),
            // which zcdump does not decode.
            return &[];
        }
        if status.is_some_and(|s| (100..200).contains(&s) || s == 204 || s == 304) {
            return rest;
        }
        if self.chunked {
            return match chunks(rest) {
                Chunks::Whole { spans, end } => {
                    self.chunked_body(cx, rest, &spans);
                    &rest[end..]
                }
                Chunks::Unread => &[],
                Chunks::Unfinished => {
                    // tshark's read of the chunks ran past the segment.
                    cx.out.note_tree(TreeNote::Unreassembled);
                    &[]
                }
            };
        }
        let len = self.length.map_or(rest.len(), |n| n.min(rest.len()));
        // The body runs past what was captured: tshark's reads of it meet the cut.
        let cut = cx.uncaptured > 0 && self.length.is_none_or(|n| n > rest.len());
        self.hand_on(cx, &rest[..len], None, cut);
        &rest[len..]
    }

    /// A chunked body: the chunks' data (`spans` of `rest`) read as one body.
    fn chunked_body(self, cx: &mut Cx<'_, '_>, rest: &[u8], spans: &[(usize, usize)]) {
        match spans {
            [] => {}
            [(start, len)] => self.hand_on(cx, &rest[*start..start + len], None, false),
            [(first, first_len), ..] => {
                let whole: Vec<u8> = spans
                    .iter()
                    .flat_map(|&(s, l)| rest[s..s + l].iter().copied())
                    .collect();
                // `data` records where its bytes are in the frame: the first chunk's.
                self.hand_on(cx, &whole, Some(&rest[*first..first + first_len]), false);
            }
        }
    }

    /// Hands `body` on by the message's media type; `in_frame` is where it sits in the
    /// frame when `body` is a copy (chunks joined), for `data`; `cut`: the capture ended
    /// inside the body.
    fn hand_on(self, cx: &mut Cx<'_, '_>, body: &[u8], in_frame: Option<&[u8]>, cut: bool) {
        if body.is_empty() {
            return;
        }
        let kind = if self.encoded {
            BodyKind::Untyped
        } else {
            body_kind(self.content_type)
        };
        let body = Body {
            bytes: body,
            in_frame: in_frame.unwrap_or(body),
            joined: in_frame.is_some(),
            content_type: self.content_type.unwrap_or_default(),
            cut,
        };
        dissect_kind(cx, kind, &body, true);
    }
}

/// A part of a multipart body: `body`, of `Content-Type` value `content_type` (`None`: no
/// such header).
pub(super) fn dissect_part(cx: &mut Cx<'_, '_>, body: &[u8], content_type: Option<&[u8]>) {
    if !body.is_empty() {
        let kind = body_kind(content_type);
        let body = Body {
            bytes: body,
            in_frame: body,
            joined: false,
            content_type: content_type.unwrap_or_default(),
            cut: false,
        };
        dissect_kind(cx, kind, &body, false);
    }
}

/// A body to hand on.
struct Body<'a> {
    /// Its bytes (a copy when chunks were joined).
    bytes: &'a [u8],
    /// Where it sits in the frame, for `data` (the first chunk of joined chunks).
    in_frame: &'a [u8],
    /// `bytes` is a copy of several chunks joined, not a slice of the frame: a multipart
    /// body's parts, which would be recorded by where they are in the frame, are not
    /// read (tshark reads them).
    joined: bool,
    /// The message's `Content-Type` value (empty without one).
    content_type: &'a [u8],
    /// The capture ended inside it (checked on tshark 4.0.17 by cutting bodies of each
    /// kind): every layer is entered as for a whole body, and the frame is short in the
    /// last; but JSON's read fails at the cut (`json` then `data-text-lines`), a multipart
    /// body shows no part, and `data` notes that HTTP's read ran past the cut.
    cut: bool,
}

/// Enters the protocols a body of `kind` is; `top`: a message's body (a multipart part
/// is not, and holds no further multipart).
fn dissect_kind(cx: &mut Cx<'_, '_>, kind: BodyKind, body: &Body<'_>, top: bool) {
    let data = |cx: &mut Cx<'_, '_>| {
        cx.data(body.in_frame);
        if body.cut {
            cx.out.note_tree(TreeNote::BodyReadPastCut);
        }
    };
    match kind {
        BodyKind::Untyped => data(cx),
        BodyKind::OctetStream => {
            data(cx);
            cx.out.note_tree(TreeNote::DataStep);
        }
        BodyKind::TextLines => cx.out.enter(Proto::DataTextLines),
        BodyKind::Xml => cx.out.enter(Proto::Xml),
        BodyKind::Json => {
            cx.out.enter(Proto::Json);
            if body.cut || !json::reads_whole(body.bytes) {
                cx.out.enter(Proto::DataTextLines);
            }
        }
        BodyKind::Multipart if !top => data(cx),
        BodyKind::Multipart if body.cut || body.joined => cx.out.enter(Proto::MimeMultipart),
        BodyKind::Multipart => multipart::dissect(cx, body.bytes, body.content_type),
        BodyKind::Png if png::takes(body.bytes) => cx.out.enter(Proto::Png),
        BodyKind::Png => cx.out.enter(Proto::Media),
        BodyKind::Media => match image_signature(body.content_type) {
            Some(signature) if body.bytes.starts_with(signature) => {}
            _ => cx.out.enter(Proto::Media),
        },
        BodyKind::Form => cx.out.enter(Proto::UrlencodedForm),
        BodyKind::NotDecoded => {}
    }
}

/// How a chunked body reads.
#[derive(Debug, PartialEq, Eq)]
enum Chunks {
    /// The chunks' data as `(start, len)` spans, and where the body ends.
    Whole {
        spans: Vec<(usize, usize)>,
        end: usize,
    },
    /// No body: the first size is not hex.
    Unread,
    /// No body: a chunk, or the line of its size, runs past the segment.
    Unfinished,
}

/// Reads the chunks at the start of `bytes` (see the module notes).
fn chunks(bytes: &[u8]) -> Chunks {
    let mut spans = Vec::new();
    let mut at = 0;
    loop {
        if !bytes[at..].contains(&b'\n') {
            // The segment ends before the next size line does.
            return Chunks::Unfinished;
        }
        let Some((size, data)) = chunk_size(bytes, at) else {
            return if spans.is_empty() {
                Chunks::Unread
            } else {
                Chunks::Whole { spans, end: at }
            };
        };
        if size == 0 {
            // Trailer lines up to a blank line; the segment may end first.
            let mut line = data;
            while let Some(eol) = bytes[line..].iter().position(|b| *b == b'\n') {
                let text = &bytes[line..line + eol];
                line += eol + 1;
                if text.is_empty() || text == b"\r" {
                    return Chunks::Whole { spans, end: line };
                }
            }
            return Chunks::Whole {
                spans,
                end: bytes.len(),
            };
        }
        let Some(end) = data.checked_add(size).filter(|e| *e + 2 <= bytes.len()) else {
            return Chunks::Unfinished;
        };
        spans.push((data, size));
        at = end + 2;
    }
}

/// The chunk size line at `at`: the size, and where its data starts.
fn chunk_size(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let rest = bytes.get(at..)?;
    let eol = rest.iter().position(|b| *b == b'\n')?;
    let line = rest[..eol].strip_suffix(b"\r").unwrap_or(&rest[..eol]);
    let digits = line.split(|b| *b == b';').next()?.trim_ascii();
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let size = usize::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    Some((size, at + eol + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FrameFields;

    /// Ethernet + IPv4 + TCP from port 80 around `payload`, of which the capture kept
    /// `kept` bytes of the frame.
    fn decode(payload: &[u8], kept: Option<usize>) -> FrameFields {
        let mut frame = vec![2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 8, 0];
        let total = (40 + payload.len()) as u16;
        frame.extend_from_slice(&[0x45, 0]);
        frame.extend_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, 2, 192, 0, 2, 1]);
        frame.extend_from_slice(&[0, 80, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1]);
        frame.extend_from_slice(&[0x50, 0x18, 0x20, 0, 0, 0, 0, 0]);
        frame.extend_from_slice(payload);
        let len = frame.len() as u32;
        crate::dissect::ethernet_frame(&frame[..kept.unwrap_or(frame.len())], len)
    }

    /// The protocols after HTTP.
    fn after_http(f: &FrameFields) -> Vec<&'static str> {
        let path = f.path();
        let at = path.iter().position(|p| *p == Proto::Http).expect("http");
        path[at + 1..].iter().map(|p| p.name()).collect()
    }

    fn response(content_type: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        r.extend_from_slice(body);
        r
    }

    /// Each answered by tshark 4.0.17 (frame.protocols after `http`).
    #[test]
    fn bodies_go_where_tshark_hands_them() {
        for (content_type, body, want) in [
            ("text/plain", &b"a\n"[..], &["data-text-lines"][..]),
            ("application/json", b"{\"a\": 1}", &["json"]),
            (
                "application/json",
                b"{not json",
                &["json", "data-text-lines"],
            ),
            ("application/xml", b"not xml at all", &["xml"]),
            ("image/png", b"not a png", &["media"]),
            ("application/octet-stream", b"\x00\x01", &["data"]),
            (
                "multipart/mixed; boundary=XX",
                b"--XX\r\nContent-Type: text/plain\r\n\r\nv\r\n--XX--\r\n",
                &["mime_multipart", "data-text-lines"],
            ),
            ("multipart/mixed", b"--XX\r\n\r\nv\r\n--XX--\r\n", &["data"]),
            ("image/jpeg", b"\xff\xd8\xff\xe0", &[]),
            ("message/http", b"GET / HTTP/1.1\r\n\r\n", &[]),
        ] {
            let f = decode(&response(content_type, body), None);
            assert_eq!(after_http(&f), want, "{content_type}");
        }
        let untyped = decode(b"HTTP/1.1 200 OK\r\n\r\nbytes", None);
        assert_eq!(after_http(&untyped), ["data"]);
    }

    #[test]
    fn bytes_after_the_body_are_a_message_or_data() {
        let excess = decode(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\na\nEXTRA",
            None,
        );
        assert_eq!(after_http(&excess), ["data-text-lines", "data"]);
        let two = decode(
            b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            None,
        );
        assert!(after_http(&two).is_empty(), "http is listed once");
        assert_eq!(two.all(crate::fields::Field::HttpResponseCode).count(), 2);
        let stray = decode(b"HTTP/1.1 304 Not Modified\r\n\r\nstray\n", None);
        assert_eq!(after_http(&stray), ["data"]);
    }

    #[test]
    fn joined_chunks_are_read_as_one_body() {
        let json = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
            Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
        assert_eq!(after_http(&decode(json, None)), ["json"]);
        // A multipart body in several chunks: no parts, and nothing recorded from the copy.
        let multipart = b"HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=X\r\n\
            Transfer-Encoding: chunked\r\n\r\n3\r\n--X\r\n9\r\n\r\n\r\nabc\r\n\r\n0\r\n\r\n";
        let f = decode(multipart, None);
        assert_eq!(after_http(&f), ["mime_multipart"]);
        assert_eq!(f.layer(Proto::Data), None);
    }

    #[test]
    fn a_cut_body_keeps_its_layer_but_json_stops_reading() {
        let text = response("text/plain", &[b'a'; 40]);
        let kept = 54 + text.len() - 20;
        assert_eq!(after_http(&decode(&text, Some(kept))), ["data-text-lines"]);
        let json = response(
            "application/json",
            b"{\"a\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
        );
        let kept = 54 + json.len() - 20;
        assert_eq!(
            after_http(&decode(&json, Some(kept))),
            ["json", "data-text-lines"]
        );
    }

    /// The cases answered by tshark 4.0.17 (see the module notes).
    #[test]
    fn chunks_read_as_tshark_reads_them() {
        assert_eq!(
            chunks(b"4\r\nabc\n\r\n3\r\ndef\r\n0\r\n\r\nnext"),
            Chunks::Whole {
                spans: vec![(3, 4), (12, 3)],
                end: 22
            }
        );
        // The two bytes after a chunk are taken whatever they are; the next size is then
        // not hex, which ends the body.
        assert_eq!(
            chunks(b"4\r\nabc\n3\r\ndef\r\n0\r\n\r\n"),
            Chunks::Whole {
                spans: vec![(3, 4)],
                end: 9
            }
        );
        assert_eq!(chunks(b"4\r\nabc\n\r\n3\r\nde"), Chunks::Unfinished);
        assert_eq!(chunks(b"zz\r\nabc\n"), Chunks::Unread);
        assert_eq!(
            chunks(b"4;x=y\r\nabc\n\r\n0\r\nTrailer: v\r\n\r\n"),
            Chunks::Whole {
                spans: vec![(7, 4)],
                end: 30
            }
        );
        assert_eq!(chunks(b"ffffffffff\r\n"), Chunks::Unread);
        assert_eq!(chunks(b"1\r\na\r\n"), Chunks::Unfinished);
    }

    #[test]
    fn the_last_content_type_counts_and_chunked_may_be_one_of_several() {
        let mut h = BodyHeaders::default();
        h.header(b"Content-Type: text/html");
        h.header(b"content-type:application/json");
        h.header(b"Transfer-Encoding: gzip, Chunked");
        h.header(b"Content-Encoding: identity");
        h.header(b"Content-Length: 12");
        assert_eq!(h.content_type, Some(&b"application/json"[..]));
        assert!(h.chunked && !h.encoded);
        assert_eq!(h.length, Some(12));
        h.header(b"Content-Encoding: gzip");
        assert!(h.encoded);
    }
}
