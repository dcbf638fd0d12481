//! `http`: HTTP/1.x messages (RFC 9112) on tshark's HTTP ports, where a segment starting
//! with a request line (a known method, RFC 9112 3) or a status line (`HTTP/`, RFC 9112 4)
//! is a message, and on any other TCP port by content, as tshark's heuristic finds them: a
//! whole first line that starts with `HTTP/1.` or ends with ` HTTP/1.x`. The first line's
//! parts, each header line and the common headers get tshark 4.0's fields. A body in the
//! same segment goes where its media type sends it (`http_body`), and bytes after it are a
//! further message or `data`. A segment on an HTTP port that starts no message is a
//! continuation (`http` and `data`), as tshark shows it without reassembly; bodies and
//! headers continued in later segments are not decoded.
//!
//! tshark reads a continuation by its conversation's state: it is HTTP (`http`, its bytes
//! after any header-like lines as `data`) only once the TCP conversation has shown a
//! request; before that only header-like lines are `http`, and anything else shows nothing
//! past `tcp` (short there when the capture cut a segment whose first byte is printable).
//! zcdump asks the conversation memory (`dissect::Conversations`) when frames come in file
//! order, and otherwise assumes a request was seen and records that for the statistics to
//! settle. Not modelled: a conversation tshark's heuristic found HTTP in (on a port that is
//! not an HTTP port) carries its later segments to HTTP too; zcdump reads those alone.

use super::http_body::BodyHeaders;
use super::table::{Dissector, Hook};
use super::text::push_display;
use super::{Cx, Unseen};
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Http, name: "http",
    HttpRequestMethod = "http.request.method", Str;
    HttpRequestUri = "http.request.uri", Str;
    HttpRequestUriPath = "http.request.uri.path", Str;
    HttpRequestUriQuery = "http.request.uri.query", Str;
    HttpRequestUriQueryParameter = "http.request.uri.query.parameter", Str;
    HttpRequestVersion = "http.request.version", Str;
    HttpRequestFullUri = "http.request.full_uri", Str;
    HttpResponseVersion = "http.response.version", Str;
    HttpResponseCode = "http.response.code", Dec;
    HttpResponsePhrase = "http.response.phrase", Str;
    HttpRequestLine = "http.request.line", Str;
    HttpResponseLine = "http.response.line", Str;
    HttpHost = "http.host", Str;
    HttpUserAgent = "http.user_agent", Str;
    HttpAccept = "http.accept", Str;
    HttpAcceptLanguage = "http.accept_language", Str;
    HttpAcceptEncoding = "http.accept_encoding", Str;
    HttpReferer = "http.referer", Str;
    HttpCookie = "http.cookie", Str;
    HttpCookiePair = "http.cookie_pair", Str;
    HttpAuthorization = "http.authorization", Str;
    HttpConnection = "http.connection", Str;
    HttpContentType = "http.content_type", Str;
    HttpContentLengthHeader = "http.content_length_header", Str;
    HttpContentLength = "http.content_length", Dec;
    HttpTransferEncoding = "http.transfer_encoding", Str;
    HttpUpgrade = "http.upgrade", Str;
    HttpServer = "http.server", Str;
    HttpDate = "http.date", Str;
    HttpLastModified = "http.last_modified", Str;
    HttpLocation = "http.location", Str;
    HttpCacheControl = "http.cache_control", Str;
    HttpXForwardedFor = "http.x_forwarded_for", Str;
}

/// HTTP on the TCP ports tshark 4.0 gives it.
pub(super) const DISSECTOR_PORTS: Dissector = Dissector {
    proto: Proto::Http,
    hook: Hook::TcpPort(
        &[
            80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371,
        ],
        dissect_port,
    ),
};

/// HTTP on any other TCP port, by content.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Http,
    hook: Hook::TcpHeuristic(dissect_heuristic),
};

/// Request methods tshark recognises at the start of a segment (RFC 9110 9.1 and the
/// WebDAV and UPnP ones that tshark also knows).
const METHODS: &[&[u8]] = &[
    b"GET",
    b"PUT",
    b"POST",
    b"HEAD",
    b"DELETE",
    b"OPTIONS",
    b"TRACE",
    b"CONNECT",
    b"PATCH",
    b"PROPFIND",
    b"PROPPATCH",
    b"MKCOL",
    b"COPY",
    b"MOVE",
    b"LOCK",
    b"UNLOCK",
    b"SEARCH",
    b"NOTIFY",
    b"SUBSCRIBE",
    b"UNSUBSCRIBE",
    b"M-SEARCH",
];

/// Headers with a field of their own (names compare without regard to case, RFC 9110 5.1).
const HEADERS: &[(&str, Field)] = &[
    ("host", Field::HttpHost),
    ("user-agent", Field::HttpUserAgent),
    ("accept", Field::HttpAccept),
    ("accept-language", Field::HttpAcceptLanguage),
    ("accept-encoding", Field::HttpAcceptEncoding),
    ("referer", Field::HttpReferer),
    ("cookie", Field::HttpCookie),
    ("authorization", Field::HttpAuthorization),
    ("connection", Field::HttpConnection),
    ("content-type", Field::HttpContentType),
    ("content-length", Field::HttpContentLengthHeader),
    ("transfer-encoding", Field::HttpTransferEncoding),
    ("upgrade", Field::HttpUpgrade),
    ("server", Field::HttpServer),
    ("date", Field::HttpDate),
    ("last-modified", Field::HttpLastModified),
    ("location", Field::HttpLocation),
    ("cache-control", Field::HttpCacheControl),
    ("x-forwarded-for", Field::HttpXForwardedFor),
];

/// What the first line says the message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Request,
    Response,
}

/// Which kind of message `line` starts, if any: a status line starts with `HTTP/`, a
/// request line with a known method (followed by a space, or cut after it).
fn start_of(line: &[u8]) -> Option<Start> {
    if line.starts_with(b"HTTP/") {
        return Some(Start::Response);
    }
    let method = line.split(|b| *b == b' ').next()?;
    METHODS.contains(&method).then_some(Start::Request)
}

/// tshark's heuristic: a first line with its end of line, not 8 characters long, that
/// starts with `HTTP/1.` or whose last 8 characters start with `HTTP/1.` (case ignored).
fn looks_like_http(payload: &[u8]) -> bool {
    let Some(end) = line_end(payload) else {
        return false;
    };
    // A CR as the last captured byte may be the first half of a CRLF: not an end yet.
    if end + 1 == payload.len() && payload[end] == b'\r' {
        return false;
    }
    let line = &payload[..end];
    let token = |at: usize| {
        line.get(at..at + 7)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"HTTP/1."))
    };
    line.len() != 8 && (token(0) || line.len().checked_sub(8).is_some_and(token))
}

/// A payload on an HTTP port: a message if it starts one. Otherwise as tshark without
/// reassembly: header-like lines are `http` without `data` (see [`Continuation`]); any
/// other payload is a continuation (`http`, its bytes as `data`) in a conversation that
/// has shown a request, and nothing past `tcp` in one that has not.
fn dissect_port(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    // Text lines alone read no HTTP field and not the protocol path: tcpdump's HTTP words
    // come from the payload bytes (`output/text/tcp.rs`), so finding the message's
    // structure here (~440 instructions a frame on the benchmark) would be wasted.
    if cx.out.may_skip(Proto::Http) {
        return;
    }
    if dissect(cx, payload) {
        return;
    }
    let kind = continuation(payload);
    let header_lines = match kind {
        Continuation::HeaderLinesOnly | Continuation::HeaderLinesUnfinished => true,
        Continuation::NoLineEnd => cut_header_line(payload),
        Continuation::Body(_) => false,
    };
    // Header-like lines read the same whatever came before; anything else is HTTP only in
    // a conversation that has shown a request (see the module notes).
    let printable = first_read(payload, payload.len() + cx.uncaptured)
        .is_some_and(|b| (0x20..=0x7e).contains(&b));
    let unseen = Unseen {
        short: cx.snapped && printable,
    };
    if !header_lines && !cx.http_request_seen(unseen) {
        if cx.snapped && !printable {
            // tshark gives up on the first byte, before any read could meet the cut.
            cx.out.note_tree(TreeNote::FinishedBeforeCut);
        } else if unseen.short {
            // tshark's read met the cut inside HTTP and `data`, before either added its
            // item: its protocol list names both, its tree and filters neither.
            cx.out.list_only(Proto::Http);
            cx.out.list_only(Proto::Data);
        }
        return;
    }
    match kind {
        Continuation::HeaderLinesOnly => cx.out.enter(Proto::Http),
        Continuation::HeaderLinesUnfinished => {
            cx.out.enter(Proto::Http);
            cx.out.note_tree(TreeNote::Unreassembled);
        }
        Continuation::NoLineEnd if cut_header_line(payload) => cx.out.enter(Proto::Http),
        other => {
            cx.out.enter(Proto::Http);
            let body_at = match other {
                Continuation::Body(at) => at,
                _ => 0,
            };
            cx.data(payload.get(body_at..).unwrap_or(&[]));
            if cx.snapped && reads_as_body(payload) {
                cx.out.note_tree(TreeNote::BodyReadPastCut);
            }
        }
    }
}

/// Whether tshark 4.0 reads a continuation segment's bytes as a message body ("File
/// Data", over the segment's whole length, so a cut one is short) rather than handing them
/// to its `data` dissector (which shows what was captured): a first byte in printable
/// ASCII. Checked on every cut continuation of the samples (kernel-mix-snap80: 35 printable
/// ones short, 48 others not; app-http-snap100/160 frames 30, 42, 54), in a conversation
/// that has shown a request (see the module notes for one that has not).
fn reads_as_body(payload: &[u8]) -> bool {
    payload.first().is_some_and(|b| (0x20..=0x7e).contains(b))
}

/// A first line without its end (cut by the capture, or the whole segment), read by
/// tshark 4.0 as a header line (no `data`): it starts with a printable character and holds
/// a colon (kernel-mix-snap80 frame 129, `U\x10:` then binary). Without a colon the bytes
/// are `data`. A first byte outside printable ASCII makes tshark reject the segment when
/// the conversation has shown no request, and read it as `data` when it has
/// (kernel-mix-snap80 frame 138).
fn cut_header_line(payload: &[u8]) -> bool {
    payload.first().is_some_and(|b| (0x20..=0x7e).contains(b)) && payload.contains(&b':')
}

/// How tshark reads a segment on an HTTP port that starts no message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Continuation {
    /// No end of line at all: tshark waits for the rest of the line.
    NoLineEnd,
    /// It reads the segment line by line as it reads a message's header lines, taking every
    /// line that holds a colon for a header (flagging the illegal characters of a binary
    /// one's name); the header lines run to the end of the segment, or into a last line
    /// that does not end there (which it waits for), so it shows no `data`. It decides from
    /// the segment alone: a body segment cut out of its capture on its own decodes the
    /// same (tshark 4.0, kernel-mix frame 75). This variant: the last header line ends
    /// with the segment.
    HeaderLinesOnly,
    /// As [`HeaderLinesOnly`](Self::HeaderLinesOnly), but the last line runs to the end of
    /// the segment without an end of line: tshark's read runs past the segment, which with
    /// reassembly off it shows as `_ws.unreassembled` (kernel-mix frame 75, also alone in a
    /// capture of its own).
    HeaderLinesUnfinished,
    /// A line without a colon, or a blank line with bytes after it: the bytes from that
    /// line (or after the blank line) are `data`. A segment whose first byte is not
    /// printable is all `data` (tshark reads no lines in it).
    Body(usize),
}

/// Where tshark starts reading a segment of `reported` bytes on the wire: past one
/// leading CRLF (RFC 9112 2.2's robustness rule) when there are more than 3.
fn read_from(payload: &[u8], reported: usize) -> usize {
    if reported > 3 && payload.starts_with(b"\r\n") {
        2
    } else {
        0
    }
}

/// The first byte tshark looks at (see [`read_from`]), if it was captured.
fn first_read(payload: &[u8], reported: usize) -> Option<u8> {
    payload.get(read_from(payload, reported)).copied()
}

/// Classifies a continuation segment (see [`Continuation`]) in one pass over its lines.
fn continuation(payload: &[u8]) -> Continuation {
    let mut at = read_from(payload, payload.len());
    if payload.get(at).is_some_and(|b| !(0x20..=0x7e).contains(b)) {
        return Continuation::Body(0);
    }
    let mut headers = false;
    loop {
        let rest = payload.get(at..).unwrap_or(&[]);
        let Some(end) = line_end(rest) else {
            // A last line without its end: a header line too when it holds a colon;
            // otherwise tshark, having read header lines, reads on past the segment.
            return match (headers, rest.contains(&b':')) {
                (false, _) => Continuation::NoLineEnd,
                (true, true) => Continuation::HeaderLinesOnly,
                (true, false) => Continuation::HeaderLinesUnfinished,
            };
        };
        let line = &rest[..end];
        let eol = if rest.get(end..end + 2) == Some(b"\r\n") {
            2
        } else {
            1
        };
        let next = at + end + eol;
        if line.is_empty() {
            return if next >= payload.len() {
                Continuation::HeaderLinesOnly
            } else {
                Continuation::Body(next)
            };
        }
        if !line.contains(&b':') {
            return Continuation::Body(at);
        }
        headers = true;
        at = next;
        if at >= payload.len() {
            return Continuation::HeaderLinesOnly;
        }
    }
}

/// A payload on another port, if tshark's heuristic takes it. Only a payload whose first
/// word can start a message goes on to the heuristic's search for an end of line: that
/// search ran over every TCP payload and cost ~880 instructions a frame on the benchmark.
fn dissect_heuristic(cx: &mut Cx<'_, '_>, payload: &[u8]) -> bool {
    !cx.out.may_skip(Proto::Http)
        && may_start(payload)
        && looks_like_http(payload)
        && dissect(cx, payload)
}

/// Whether `payload`'s first word could pass [`start_of`]: `HTTP/`, or a known method ended
/// by a space, an end of line or the end of the payload. The first line's first word is
/// the payload's bytes up to the first space, CR or LF, so this looks at 12 bytes at most
/// (the longest method has 11) and never says no where `start_of` would say yes.
fn may_start(payload: &[u8]) -> bool {
    if payload.starts_with(b"HTTP/") {
        return true;
    }
    let head = &payload[..payload.len().min(12)];
    let word = head
        .iter()
        .position(|b| matches!(*b, b' ' | b'\r' | b'\n'))
        .map_or(head, |end| &head[..end]);
    word.len() < 12 && METHODS.contains(&word)
}

/// Where the first CR or LF of `bytes` is. Eight bytes at a time: the search runs over
/// whole binary payloads on HTTP ports, where a byte-at-a-time search for either byte cost
/// over 1,000 instructions a frame on the benchmark.
fn line_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` that is zero sets its high bit here; only bytes above (later than) a
    // zero byte can be set falsely, so the lowest set bit marks the first zero.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = zero_bytes(w ^ u64::from_ne_bytes([b'\n'; 8]))
            | zero_bytes(w ^ u64::from_ne_bytes([b'\r'; 8]));
        if hits != 0 {
            return Some(at + hits.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b == b'\n' || *b == b'\r')
        .map(|end| at + end)
}

/// One line of `bytes` from `at`: its text without the end of line, the text with it, and
/// where the next line starts. A line ends at CRLF, LF or a lone CR; the last line of a
/// segment may have no end.
fn line_at(bytes: &[u8], at: usize) -> Option<(&[u8], &[u8], usize)> {
    let rest = bytes.get(at..).filter(|r| !r.is_empty())?;
    match line_end(rest) {
        Some(end) => {
            let eol = if rest.get(end..end + 2) == Some(b"\r\n") {
                2
            } else {
                1
            };
            let whole = rest.get(..end + eol)?;
            Some((&rest[..end], whole, at + end + eol))
        }
        None => Some((rest, rest, bytes.len())),
    }
}

/// Pushes `raw` as a text field in tshark's display.
fn push_text(cx: &mut Cx<'_, '_>, field: Field, raw: &[u8]) {
    if cx.out.wants(field) {
        let mut text = Vec::with_capacity(raw.len() + 8);
        push_display(&mut text, raw);
        cx.out.push_text(field, &text);
    }
}

/// Dissects `payload` if it starts an HTTP message; says whether it did. Bytes after a
/// message's body are another message when they start one, and `data` otherwise.
fn dissect(cx: &mut Cx<'_, '_>, payload: &[u8]) -> bool {
    let Some(mut rest) = message(cx, payload, true) else {
        return false;
    };
    if !rest.is_empty() {
        cx.out.note_tree(TreeNote::FollowingMessage);
    }
    while !rest.is_empty() {
        match message(cx, rest, false) {
            Some(after) => rest = after,
            None => {
                cx.data(rest);
                cx.out.note_tree(TreeNote::DataNested);
                break;
            }
        }
    }
    true
}

/// Dissects the message `payload` starts with, if it starts one (`first`: the segment's
/// first; tshark lists `http` once however many messages follow); returns the bytes after
/// its body.
fn message<'p>(cx: &mut Cx<'_, '_>, payload: &'p [u8], first: bool) -> Option<&'p [u8]> {
    // The first word first: finding the first line's end scans a whole binary payload.
    if !may_start(payload) {
        return None;
    }
    let (first_line, _, mut at) = line_at(payload, 0)?;
    let start = start_of(first_line)?;
    if first {
        cx.out.enter(Proto::Http);
    }
    let (uri, status) = match start {
        Start::Request => {
            cx.http_request();
            (request_line(cx, first_line), None)
        }
        Start::Response => (None, status_line(cx, first_line)),
    };
    let line_field = match start {
        Start::Request => Field::HttpRequestLine,
        Start::Response => Field::HttpResponseLine,
    };
    let mut host = None;
    // A line without a colon (as a header cut short has) ends the headers, and tshark then
    // shows no full URI.
    let mut headers_ok = true;
    let mut body = BodyHeaders::default();
    let mut after = &payload[payload.len()..];
    while let Some((line, whole, next)) = line_at(payload, at) {
        if line.is_empty() {
            after = body.dissect(cx, &payload[next..], status);
            break;
        }
        if !line.contains(&b':') {
            headers_ok = false;
            break;
        }
        body.header(line);
        push_text(cx, line_field, whole);
        if let Some(value) = header(cx, line) {
            host = Some(value);
        }
        at = next;
    }
    if let (true, Some(host), Some(uri)) = (headers_ok, host, uri) {
        if cx.out.wants(Field::HttpRequestFullUri) {
            let mut full = b"http://".to_vec();
            full.extend_from_slice(host);
            full.extend_from_slice(uri);
            push_text(cx, Field::HttpRequestFullUri, &full);
        }
    }
    Some(after)
}

/// A request line (RFC 9112 3): method, target and version, separated by single spaces;
/// returns the target.
fn request_line<'a>(cx: &mut Cx<'_, '_>, line: &'a [u8]) -> Option<&'a [u8]> {
    let mut parts = line.splitn(3, |b| *b == b' ');
    push_text(cx, Field::HttpRequestMethod, parts.next()?);
    let uri = parts.next()?;
    push_text(cx, Field::HttpRequestUri, uri);
    // The path and query only when there is a query (RFC 3986 3.4), its parameters
    // without empty ones.
    if let Some(q) = uri.iter().position(|b| *b == b'?') {
        let query = &uri[q + 1..];
        if !query.is_empty() {
            push_text(cx, Field::HttpRequestUriPath, &uri[..q]);
            push_text(cx, Field::HttpRequestUriQuery, query);
            for parameter in query.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
                push_text(cx, Field::HttpRequestUriQueryParameter, parameter);
            }
        }
    }
    if let Some(version) = parts.next() {
        push_text(cx, Field::HttpRequestVersion, version);
    }
    Some(uri)
}

/// A status line (RFC 9112 4): version, three-digit code and reason phrase; returns the
/// code.
fn status_line(cx: &mut Cx<'_, '_>, line: &[u8]) -> Option<u64> {
    let mut parts = line.splitn(3, |b| *b == b' ');
    push_text(cx, Field::HttpResponseVersion, parts.next()?);
    // The status code is three digits (RFC 9110 15).
    let code = parts.next()?;
    let code = parse_decimal(code).filter(|_| code.len() == 3);
    if let Some(code) = code {
        cx.out.push_uint(Field::HttpResponseCode, code);
    }
    if let Some(phrase) = parts.next() {
        push_text(cx, Field::HttpResponsePhrase, phrase);
    }
    code
}

/// A decimal number of ASCII digits only, if it fits in 64 bits.
fn parse_decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, d| {
        let d = d.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// A header line (RFC 9112 5): a known header's value (leading blanks skipped) becomes its
/// field; returns the value of `Host`.
fn header<'a>(cx: &mut Cx<'_, '_>, line: &'a [u8]) -> Option<&'a [u8]> {
    let colon = line.iter().position(|b| *b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    let value = value.trim_ascii_start();
    let (_, field) = HEADERS
        .iter()
        .find(|(known, _)| name.eq_ignore_ascii_case(known.as_bytes()))?;
    push_text(cx, *field, value);
    match *field {
        Field::HttpContentLengthHeader => {
            if let Some(n) = parse_decimal(value) {
                cx.out.push_uint(Field::HttpContentLength, n);
            }
        }
        Field::HttpCookie => {
            for pair in value.split(|b| *b == b';') {
                let pair = pair.trim_ascii_start();
                if !pair.is_empty() {
                    push_text(cx, Field::HttpCookiePair, pair);
                }
            }
        }
        Field::HttpHost => return Some(value),
        _ => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9112_3_request_line_needs_a_known_method_and_a_space() {
        assert_eq!(start_of(b"GET / HTTP/1.1"), Some(Start::Request));
        assert_eq!(start_of(b"GET"), Some(Start::Request)); // cut after the method
        assert_eq!(start_of(b"GE"), None);
        assert_eq!(start_of(b"FETCH / HTTP/1.1"), None);
        assert_eq!(start_of(b"HTTP/1.0 200 OK"), Some(Start::Response));
    }

    #[test]
    fn heuristic_wants_a_whole_line_with_the_version_first_or_last() {
        assert!(looks_like_http(b"GET / HTTP/1.1\r\nHost: x\r\n"));
        assert!(looks_like_http(b"HTTP/1.0 200 OK\n"));
        assert!(!looks_like_http(b"GET / HTTP/1.1"), "no end of line yet");
        assert!(
            !looks_like_http(b"GET / HTTP/1.1\r"),
            "maybe half of a CRLF"
        );
        assert!(!looks_like_http(b"HTTP/1.1\r\n"), "8 characters");
        assert!(!looks_like_http(b"GET / HTTP/2\r\n"));
    }

    #[test]
    fn lines_end_at_crlf_lf_or_cr_and_the_last_may_be_cut() {
        let text = b"a\r\nb\nc\rd";
        assert_eq!(line_at(text, 0), Some((&b"a"[..], &b"a\r\n"[..], 3)));
        assert_eq!(line_at(text, 3), Some((&b"b"[..], &b"b\n"[..], 5)));
        assert_eq!(line_at(text, 5), Some((&b"c"[..], &b"c\r"[..], 7)));
        assert_eq!(line_at(text, 7), Some((&b"d"[..], &b"d"[..], 8)));
        assert_eq!(line_at(text, 8), None);
    }

    #[test]
    fn a_continuation_of_colon_lines_only_has_no_body() {
        use Continuation::*;
        // Every whole line holds a colon: header lines to tshark, no data.
        assert_eq!(
            continuation(b"\x7d\xcb:x\r\x9b\xff:\n\x01\x02"),
            HeaderLinesUnfinished
        );
        assert_eq!(continuation(b"a:b\r\nc:d\r\n"), HeaderLinesOnly);
        assert_eq!(continuation(b"a:b\r\n\r\n"), HeaderLinesOnly);
        // A line without a colon, or a blank line with bytes after it, starts the body.
        assert_eq!(continuation(b"a:b\r\nbody\r\nc:d\r\n"), Body(5));
        assert_eq!(continuation(b"a:b\r\n\r\nbody"), Body(7));
        assert_eq!(continuation(b"body"), NoLineEnd);
        assert_eq!(continuation(b"body\n"), Body(0));
        // A first byte that is not printable: all of it is the body.
        assert_eq!(continuation(b"\x00\x01\n:"), Body(0));
        assert_eq!(continuation(b"\x01a:b\r\n"), Body(0));
        // One leading CRLF is skipped before anything is read.
        assert_eq!(continuation(b"\r\na:b\r\n"), HeaderLinesOnly);
        assert_eq!(continuation(b"\r\nbody\n"), Body(2));
        // No whole line at all: tshark waits for it.
        assert_eq!(continuation(b"a:b"), NoLineEnd);
        assert_eq!(continuation(b""), NoLineEnd);
    }

    /// Answered by tshark 4.0.17 on cut single-segment captures from port 8080.
    #[test]
    fn a_cut_first_line_is_a_header_when_printable_first_with_a_colon() {
        assert!(cut_header_line(b"U\x10:\xf6\xc8"));
        assert!(cut_header_line(b"~a:"));
        assert!(!cut_header_line(b"Uab\x10cd"));
        assert!(!cut_header_line(b"U ab"));
        assert!(!cut_header_line(b"\xeaF\xa10\xc4$o:Y"));
        assert!(!cut_header_line(b""));
    }

    /// Answered by tshark 4.0.17 (app-http-snap100 frame 30, kernel-mix-snap80 71 and 72).
    #[test]
    fn a_continuation_starting_printable_is_read_as_a_body() {
        assert!(reads_as_body(b"<!DOCTYPE HTML>\n"));
        assert!(reads_as_body(b"=\xec\xb0"));
        assert!(reads_as_body(b"~"));
        assert!(!reads_as_body(b"\x01\x0f^"));
        assert!(!reads_as_body(b"\xa6?5"));
        assert!(!reads_as_body(b"\x7f"));
        assert!(!reads_as_body(b""));
    }

    #[test]
    fn line_end_finds_the_first_cr_or_lf_anywhere() {
        let slow = |b: &[u8]| b.iter().position(|c| *c == b'\n' || *c == b'\r');
        let mut bytes = vec![0x8a_u8; 40];
        assert_eq!(line_end(&bytes), None);
        for at in 0..bytes.len() {
            for end in [b'\n', b'\r'] {
                let mut b = bytes.clone();
                b[at] = end;
                // A later end of line, and bytes that differ from CR/LF by one bit.
                b[(at + 5).min(39)] = b'\r';
                b[at.saturating_sub(1)] = if at == 0 { end } else { 0x0b };
                assert_eq!(line_end(&b), slow(&b), "{b:?}");
                assert_eq!(line_end(&b[at..]), slow(&b[at..]));
            }
        }
        bytes[39] = b'\n';
        assert_eq!(line_end(&bytes), Some(39));
    }

    #[test]
    fn the_first_word_check_keeps_every_message_start() {
        for start in [
            &b"GET / HTTP/1.1\r\n"[..],
            b"HTTP/1.1 200 OK\r\n",
            b"UNSUBSCRIBE * HTTP/1.1\r\n",
            b"M-SEARCH\r\n",
            b"POST",
        ] {
            assert!(may_start(start), "{start:?}");
            assert_eq!(
                may_start(start),
                line_at(start, 0)
                    .and_then(|(l, _, _)| start_of(l))
                    .is_some()
            );
        }
        for other in [
            &b"\x16\x03\x01\x02\x00"[..],
            b"get / HTTP/1.1\r\n",
            b"GETX / HTTP/1.1\r\n",
            b"UNSUBSCRIBEX",
            b"",
        ] {
            assert!(!may_start(other), "{other:?}");
            assert!(line_at(other, 0)
                .and_then(|(l, _, _)| start_of(l))
                .is_none());
        }
    }

    #[test]
    fn decimal_numbers_reject_signs_and_overflow() {
        assert_eq!(parse_decimal(b"120000"), Some(120_000));
        assert_eq!(parse_decimal(b"+1"), None);
        assert_eq!(parse_decimal(b"99999999999999999999"), None);
        assert_eq!(parse_decimal(b""), None);
    }
}
