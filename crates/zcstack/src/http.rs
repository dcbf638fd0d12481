//! The `zcstack serve --http` server, one connection at a time, sans-IO: feed it the bytes
//! a connection received ([`ServerConnection::receive`]), send what it has to say
//! ([`ServerConnection::pending_output`], then [`ServerConnection::consume_output`] with
//! what the socket took), and close when [`ServerConnection::should_close`] says so.
//!
//! It speaks enough HTTP/1.1 (RFC 9110, RFC 9112) for curl and load generators:
//! - `GET /` (and `HEAD`): a small HTML page naming the endpoints;
//! - `GET /bytes/N`: N bytes of [the pattern](pattern_byte), generated as they are sent, so
//!   N may be anything a `u64` holds (10 GB costs no memory);
//! - `POST /sink`: reads the body (`Content-Length` or chunked) and answers with its length
//!   and SHA-256, so an upload is checked end to end without being stored;
//! - keep-alive (HTTP/1.1's default; HTTP/1.0 with `Connection: keep-alive`), pipelined
//!   requests answered in order, `Connection: close`, `Expect: 100-continue`;
//! - errors with a plain-text body that says what was wrong: 400 (malformed), 404, 405 (with
//!   `Allow`), 413 (a body above [`MAX_BODY`]), 431 (a head above [`MAX_HEAD`]), 505.
//!
//! Memory per connection is bounded: at most [`INPUT_LIMIT`] bytes of unparsed input
//! ([`ServerConnection::input_space`] says how much more to read from the socket) and
//! [`OUTPUT_CHUNK`] bytes of output at a time.

use std::fmt::Write as _;

use crate::chunked::ChunkedDecoder;
use crate::sha256::Sha256;

/// The longest request head (request line and header fields) accepted; RFC 9112 section 3
/// lets a server refuse longer ones (RFC 6585 section 5: status 431).
pub const MAX_HEAD: usize = 8 * 1024;

/// The most unparsed input a connection holds (a pipelined request waiting for the
/// response before it to finish); the caller reads no more than
/// [`ServerConnection::input_space`] from the socket, so TCP's window pushes back.
pub const INPUT_LIMIT: usize = 16 * 1024;

/// How much output is generated at a time.
pub const OUTPUT_CHUNK: usize = 64 * 1024;

/// The largest request body accepted (1 TiB; a larger `Content-Length` gets 413).
pub const MAX_BODY: u64 = 1 << 40;

/// The period of the `/bytes/N` pattern (a prime, so a segment delivered at the wrong
/// offset shows, whatever the segment size).
pub const PATTERN_PERIOD: u64 = 251;

/// Byte `offset` of every `/bytes/N` body: `offset mod 251`.
///
/// ```
/// use zcstack::http::pattern_byte;
/// assert_eq!(pattern_byte(0), 0);
/// assert_eq!(pattern_byte(250), 250);
/// assert_eq!(pattern_byte(251), 0);
/// assert_eq!(pattern_byte(10_000_000_000), (10_000_000_000u64 % 251) as u8);
/// ```
#[must_use]
pub fn pattern_byte(offset: u64) -> u8 {
    // The remainder is below 251, so it fits.
    u8::try_from(offset % PATTERN_PERIOD).unwrap_or(0)
}

/// Fills `buf` with the pattern starting at `offset`.
///
/// ```
/// use zcstack::http::{fill_pattern, pattern_byte};
/// let mut buf = [0u8; 600];
/// fill_pattern(1000, &mut buf);
/// assert!(buf.iter().enumerate().all(|(i, &b)| b == pattern_byte(1000 + i as u64)));
/// ```
pub fn fill_pattern(offset: u64, buf: &mut [u8]) {
    let mut next = pattern_byte(offset);
    for b in buf {
        *b = next;
        next = if next == 250 { 0 } else { next + 1 };
    }
}

/// The page `GET /` returns.
const INDEX_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>zcstack</title></head><body>\n\
<h1>zcstack</h1>\n<p>Served by zerocast-stack over a TAP/TUN interface.</p>\n<ul>\n\
<li><code>GET /bytes/N</code>: N bytes, byte i being i mod 251</li>\n\
<li><code>POST /sink</code>: reads the body and reports its length and SHA-256</li>\n\
</ul>\n</body></html>\n";

/// What the connection is doing with its input.
#[derive(Debug)]
enum Phase {
    /// Waiting for (the rest of) a request head.
    Head,
    /// Reading a request's body, to answer once it has all come.
    Body {
        answer: Answer,
        head_only: bool,
        framing: BodyFraming,
        received: u64,
        hash: Option<Box<Sha256>>,
    },
    /// Producing a response; input waits until it is done.
    Responding,
    /// The connection ends once the output drains; input is ignored.
    Closing,
}

/// How a request body is delimited (RFC 9112 section 6.3).
#[derive(Debug)]
enum BodyFraming {
    Length(u64),
    Chunked(ChunkedDecoder),
}

/// The response a request will get once its body is read.
#[derive(Debug)]
enum Answer {
    Index,
    Bytes(u64),
    Sink,
    Error(Status, String),
}

/// A response status.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    BadRequest,
    NotFound,
    MethodNotAllowed(&'static str),
    ContentTooLarge,
    HeaderFieldsTooLarge,
    VersionNotSupported,
}

impl Status {
    fn line(self) -> &'static str {
        match self {
            Status::Ok => "200 OK",
            Status::BadRequest => "400 Bad Request",
            Status::NotFound => "404 Not Found",
            Status::MethodNotAllowed(_) => "405 Method Not Allowed",
            Status::ContentTooLarge => "413 Content Too Large",
            Status::HeaderFieldsTooLarge => "431 Request Header Fields Too Large",
            Status::VersionNotSupported => "505 HTTP Version Not Supported",
        }
    }
}

/// The body of the response being sent, generated as the output drains.
#[derive(Debug)]
enum BodySource {
    None,
    Text(Vec<u8>, usize),
    Pattern { offset: u64, end: u64 },
}

/// A parsed request head.
#[derive(Debug, Default)]
struct RequestHead {
    method: String,
    path: String,
    http10: bool,
    has_host: bool,
    content_length: Option<u64>,
    chunked: bool,
    other_transfer_coding: bool,
    close: bool,
    keep_alive: bool,
    expect_continue: bool,
}

/// What the connection has done so far.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Responses started (interim 100 Continue not counted).
    pub responses: u64,
    /// Body bytes sent in `/bytes/N` responses.
    pub pattern_bytes_sent: u64,
    /// Body bytes read by `POST /sink`.
    pub sink_bytes: u64,
}

/// One HTTP server connection.
///
/// ```
/// use zcstack::http::ServerConnection;
/// let mut conn = ServerConnection::new();
/// conn.receive(b"GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n");
/// let mut response = Vec::new();
/// while !conn.pending_output().is_empty() {
///     let chunk = conn.pending_output().to_vec();
///     response.extend_from_slice(&chunk);
///     conn.consume_output(chunk.len());
/// }
/// assert!(response.starts_with(b"HTTP/1.1 200 OK\r\n"));
/// assert!(response.ends_with(b"\r\n\r\n\x00\x01\x02\x03\x04"));
/// assert!(!conn.should_close()); // keep-alive
/// ```
#[derive(Debug)]
pub struct ServerConnection {
    input: Vec<u8>,
    phase: Phase,
    output: Vec<u8>,
    output_pos: usize,
    body: BodySource,
    close_after_response: bool,
    stats: ServerStats,
}

impl Default for ServerConnection {
    fn default() -> Self {
        ServerConnection::new()
    }
}

impl ServerConnection {
    /// A connection that has received nothing yet.
    #[must_use]
    pub fn new() -> ServerConnection {
        ServerConnection {
            input: Vec::new(),
            phase: Phase::Head,
            output: Vec::new(),
            output_pos: 0,
            body: BodySource::None,
            close_after_response: false,
            stats: ServerStats::default(),
        }
    }

    /// How many more bytes [`ServerConnection::receive`] takes now (0: read nothing from
    /// the socket until output has drained).
    #[must_use]
    pub fn input_space(&self) -> usize {
        match self.phase {
            Phase::Closing => 0,
            _ => INPUT_LIMIT.saturating_sub(self.input.len()),
        }
    }

    /// Takes bytes the peer sent. Bytes beyond [`ServerConnection::input_space`] are
    /// accepted too (the bound is the caller's to keep), and bytes after the connection
    /// decided to close are discarded.
    pub fn receive(&mut self, data: &[u8]) {
        if matches!(self.phase, Phase::Closing) {
            return;
        }
        self.input.extend_from_slice(data);
        self.advance();
    }

    /// The peer will send nothing more (it sent FIN). A connection between requests, or
    /// in the middle of one (which can never complete now), closes once its output drains.
    pub fn receive_eof(&mut self) {
        match self.phase {
            Phase::Head | Phase::Body { .. } => self.phase = Phase::Closing,
            // The response in progress is finished first; then no request can follow.
            Phase::Responding | Phase::Closing => {}
        }
        self.close_after_response = true;
    }

    /// Output to send now (empty when there is none). Call
    /// [`ServerConnection::consume_output`] with how much of it the socket took.
    pub fn pending_output(&mut self) -> &[u8] {
        if self.output_pos >= self.output.len() {
            self.output.clear();
            self.output_pos = 0;
            self.generate_body();
        }
        self.output.get(self.output_pos..).unwrap_or_default()
    }

    /// `n` bytes of [`ServerConnection::pending_output`] were sent.
    pub fn consume_output(&mut self, n: usize) {
        self.output_pos = self.output_pos.saturating_add(n).min(self.output.len());
        if self.output_pos == self.output.len() && self.response_complete() {
            match self.phase {
                Phase::Responding if self.close_after_response => self.phase = Phase::Closing,
                Phase::Responding => {
                    self.phase = Phase::Head;
                    self.advance();
                }
                _ => {}
            }
        }
    }

    /// Whether the connection is finished: everything said, nothing more to read. The
    /// caller then closes the socket (which sends FIN after the queued bytes).
    #[must_use]
    pub fn should_close(&self) -> bool {
        matches!(self.phase, Phase::Closing)
            && self.output_pos >= self.output.len()
            && self.response_complete()
    }

    /// What the connection has done.
    #[must_use]
    pub fn stats(&self) -> ServerStats {
        self.stats
    }

    fn response_complete(&self) -> bool {
        matches!(self.body, BodySource::None)
    }

    /// Moves generated body bytes into the output buffer, up to [`OUTPUT_CHUNK`].
    fn generate_body(&mut self) {
        match &mut self.body {
            BodySource::None => {}
            BodySource::Text(text, pos) => {
                self.output
                    .extend_from_slice(text.get(*pos..).unwrap_or_default());
                self.body = BodySource::None;
            }
            BodySource::Pattern { offset, end } => {
                let left = *end - *offset;
                let n = usize::try_from(left).map_or(OUTPUT_CHUNK, |l| l.min(OUTPUT_CHUNK));
                self.output.resize(n, 0);
                fill_pattern(*offset, &mut self.output);
                *offset += n as u64;
                self.stats.pattern_bytes_sent += n as u64;
                if *offset == *end {
                    self.body = BodySource::None;
                }
            }
        }
        if self.output.is_empty() && self.response_complete() {
            // A response with no body left: let the phase move on.
            self.consume_output(0);
        }
    }

    /// Parses and answers as much of the input as the current phase allows.
    fn advance(&mut self) {
        let mut pos = 0;
        loop {
            let rest = self.input.get(pos..).unwrap_or_default();
            match &mut self.phase {
                Phase::Responding | Phase::Closing => break,
                Phase::Head => match find_head_end(rest) {
                    None => {
                        if rest.len() > MAX_HEAD {
                            self.fail(
                                Status::HeaderFieldsTooLarge,
                                format!("the request head is over {MAX_HEAD} bytes\n"),
                            );
                        }
                        break;
                    }
                    Some(end) => {
                        let head = parse_head(rest.get(..end).unwrap_or_default());
                        pos += end;
                        self.start_request(head);
                    }
                },
                Phase::Body {
                    framing,
                    received,
                    hash,
                    ..
                } => {
                    if rest.is_empty() {
                        break;
                    }
                    let mut count = |data: &[u8]| {
                        *received += data.len() as u64;
                        if let Some(h) = hash.as_mut() {
                            h.update(data);
                        }
                    };
                    let complete = match framing {
                        BodyFraming::Length(left) => {
                            let take =
                                usize::try_from(*left).map_or(rest.len(), |l| l.min(rest.len()));
                            count(rest.get(..take).unwrap_or_default());
                            pos += take;
                            *left -= take as u64;
                            *left == 0
                        }
                        BodyFraming::Chunked(decoder) => match decoder.decode(rest, count) {
                            Ok(used) => {
                                pos += used;
                                decoder.is_done()
                            }
                            Err(e) => {
                                self.fail(Status::BadRequest, format!("bad chunked body: {e}\n"));
                                break;
                            }
                        },
                    };
                    if complete {
                        self.finish_body();
                    }
                }
            }
        }
        self.input.drain(..pos.min(self.input.len()));
    }

    /// Decides what a request gets and how its body is read.
    fn start_request(&mut self, head: Result<RequestHead, (Status, String)>) {
        let head = match head {
            Ok(head) => head,
            Err((status, why)) => return self.fail(status, why),
        };
        if head.close || (head.http10 && !head.keep_alive) {
            self.close_after_response = true;
        }
        if !head.has_host && !head.http10 {
            // RFC 9112 section 3.2: a 1.1 request without Host gets 400.
            return self.fail(
                Status::BadRequest,
                "an HTTP/1.1 request needs a Host header\n".to_owned(),
            );
        }
        let framing = match body_framing(&head) {
            Ok(framing) => framing,
            Err((status, why)) => return self.fail(status, why),
        };
        let answer = route(&head);
        let has_body = match &framing {
            BodyFraming::Length(n) => *n > 0,
            BodyFraming::Chunked(_) => true,
        };
        if head.expect_continue && has_body {
            if matches!(answer, Answer::Sink) {
                // RFC 9110 section 10.1.1: the client waits for this before the body.
                self.output
                    .extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
            } else {
                // The final answer without reading the body the client has not sent.
                self.close_after_response = true;
                return self.respond(head.method == "HEAD", answer, None);
            }
        }
        let hash = matches!(answer, Answer::Sink).then(|| Box::new(Sha256::new()));
        self.phase = Phase::Body {
            answer,
            head_only: head.method == "HEAD",
            framing,
            received: 0,
            hash,
        };
        if !has_body {
            self.finish_body();
        }
    }

    /// The body has all come: answer the request.
    fn finish_body(&mut self) {
        let phase = std::mem::replace(&mut self.phase, Phase::Responding);
        if let Phase::Body {
            answer,
            head_only,
            received,
            hash,
            ..
        } = phase
        {
            if matches!(answer, Answer::Sink) {
                self.stats.sink_bytes += received;
            }
            let digest = hash.map(|h| (received, h.hex_digest()));
            self.respond(head_only, answer, digest);
        }
    }

    /// Answers with an error and closes: the input can no longer be trusted to be framed.
    fn fail(&mut self, status: Status, why: String) {
        self.close_after_response = true;
        self.respond(false, Answer::Error(status, why), None);
    }

    /// Queues the response head and sets up its body.
    fn respond(&mut self, head_only: bool, answer: Answer, sink: Option<(u64, String)>) {
        let (status, content_type, body) = match answer {
            Answer::Index => (
                Status::Ok,
                "text/html; charset=utf-8",
                BodySource::Text(INDEX_PAGE.as_bytes().to_vec(), 0),
            ),
            Answer::Bytes(n) => (
                Status::Ok,
                "application/octet-stream",
                if n == 0 {
                    BodySource::None
                } else {
                    BodySource::Pattern { offset: 0, end: n }
                },
            ),
            Answer::Sink => {
                let (n, digest) = sink.unwrap_or_default();
                let text = format!("received {n} bytes, sha256 {digest}\n");
                (
                    Status::Ok,
                    "text/plain; charset=utf-8",
                    BodySource::Text(text.into_bytes(), 0),
                )
            }
            Answer::Error(status, why) => (
                status,
                "text/plain; charset=utf-8",
                BodySource::Text(why.into_bytes(), 0),
            ),
        };
        let length = match &body {
            BodySource::None => 0,
            BodySource::Text(t, _) => t.len() as u64,
            BodySource::Pattern { end, .. } => *end,
        };
        let mut head = format!(
            "HTTP/1.1 {}\r\nServer: zcstack\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n",
            status.line()
        );
        if let Status::MethodNotAllowed(allow) = status {
            let _ = write!(head, "Allow: {allow}\r\n");
        }
        if self.close_after_response {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        self.output.extend_from_slice(head.as_bytes());
        self.body = if head_only { BodySource::None } else { body };
        self.stats.responses += 1;
        self.phase = Phase::Responding;
    }
}

/// The end of the request head in `input` (just past the empty line), if it has come.
/// Lines end in CRLF or a bare LF (RFC 9112 section 2.2).
fn find_head_end(input: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in input.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let line = input.get(line_start..i).unwrap_or_default();
        // An empty line ends the head, except before the request line (RFC 9112 section
        // 2.2: empty lines before a request line are ignored), handled in parse_head.
        if (line.is_empty() || line == b"\r") && line_start > 0 && !only_blank(input, line_start) {
            return Some(i + 1);
        }
        line_start = i + 1;
    }
    None
}

/// Whether `input[..end]` is nothing but empty lines.
fn only_blank(input: &[u8], end: usize) -> bool {
    input
        .get(..end)
        .unwrap_or_default()
        .iter()
        .all(|&b| b == b'\r' || b == b'\n')
}

/// Parses a request head: request line (RFC 9112 section 3) and header fields (section 5).
fn parse_head(raw: &[u8]) -> Result<RequestHead, (Status, String)> {
    let bad = |why: String| (Status::BadRequest, why);
    let text = std::str::from_utf8(raw)
        .map_err(|_| bad("the request head is not UTF-8 text\n".to_owned()))?;
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad(format!(
            "malformed request line {request_line:?} (want METHOD TARGET HTTP/1.1)\n"
        )));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(bad(format!("malformed method {method:?}\n")));
    }
    let mut head = RequestHead {
        method: method.to_owned(),
        path: request_path(target).map_err(bad)?,
        ..RequestHead::default()
    };
    match version {
        "HTTP/1.1" => {}
        "HTTP/1.0" => head.http10 = true,
        _ if version.starts_with("HTTP/") => {
            return Err((
                Status::VersionNotSupported,
                format!("version {version} is not supported (HTTP/1.1 is)\n"),
            ))
        }
        _ => return Err(bad(format!("malformed version {version:?}\n"))),
    }
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("malformed header line {line:?}\n")))?;
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            // RFC 9112 section 5.1: no whitespace between name and colon.
            return Err(bad(format!("malformed header name {name:?}\n")));
        }
        let value = value.trim_matches([' ', '\t']);
        apply_header(&mut head, name, value).map_err(bad)?;
    }
    Ok(head)
}

/// Records the header fields the server acts on.
fn apply_header(head: &mut RequestHead, name: &str, value: &str) -> Result<(), String> {
    if name.eq_ignore_ascii_case("host") {
        head.has_host = true;
    } else if name.eq_ignore_ascii_case("content-length") {
        // RFC 9112 section 6.3: differing values are unrecoverable.
        let n = parse_content_length(value)?;
        if head.content_length.is_some_and(|old| old != n) {
            return Err("conflicting Content-Length values\n".to_owned());
        }
        head.content_length = Some(n);
    } else if name.eq_ignore_ascii_case("transfer-encoding") {
        for coding in value.split(',').map(|c| c.trim_matches([' ', '\t'])) {
            if coding.eq_ignore_ascii_case("chunked") && !head.chunked {
                head.chunked = true;
            } else if !coding.is_empty() {
                head.other_transfer_coding = true;
            }
        }
    } else if name.eq_ignore_ascii_case("connection") {
        for option in value.split(',').map(|c| c.trim_matches([' ', '\t'])) {
            head.close |= option.eq_ignore_ascii_case("close");
            head.keep_alive |= option.eq_ignore_ascii_case("keep-alive");
        }
    } else if name.eq_ignore_ascii_case("expect") {
        head.expect_continue = value.eq_ignore_ascii_case("100-continue");
    }
    Ok(())
}

/// A Content-Length value: one or more digits (a list of one repeated value, as RFC 9110
/// section 8.6 allows a recipient to accept, is folded by the caller's duplicate check).
fn parse_content_length(value: &str) -> Result<u64, String> {
    let mut result = None;
    for part in value.split(',').map(|p| p.trim_matches([' ', '\t'])) {
        let n = (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| format!("Content-Length {value:?} is not a byte count\n"))?;
        if result.is_some_and(|r| r != n) {
            return Err("conflicting Content-Length values\n".to_owned());
        }
        result = Some(n);
    }
    result.ok_or_else(|| "empty Content-Length\n".to_owned())
}

/// How the body is framed, or the error status (RFC 9112 section 6.1: chunked must be the
/// final coding; a request with both Transfer-Encoding and Content-Length is rejected
/// here, as section 6.1 allows, since it smells of request smuggling).
fn body_framing(head: &RequestHead) -> Result<BodyFraming, (Status, String)> {
    if head.other_transfer_coding {
        return Err((
            Status::BadRequest,
            "only the chunked transfer coding is accepted\n".to_owned(),
        ));
    }
    match (head.chunked, head.content_length) {
        (true, Some(_)) => Err((
            Status::BadRequest,
            "both Transfer-Encoding and Content-Length\n".to_owned(),
        )),
        (true, None) => Ok(BodyFraming::Chunked(ChunkedDecoder::new())),
        (false, Some(n)) if n > MAX_BODY => Err((
            Status::ContentTooLarge,
            format!("a body of {n} bytes is over the {MAX_BODY}-byte limit\n"),
        )),
        (false, n) => Ok(BodyFraming::Length(n.unwrap_or(0))),
    }
}

/// The path of a request target: origin-form (`/p?q`) or absolute-form (`http://h/p`),
/// without the query.
fn request_path(target: &str) -> Result<String, String> {
    let path = if let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("HTTP://"))
    {
        rest.find('/').map_or("/", |i| rest.get(i..).unwrap_or("/"))
    } else if target.starts_with('/') {
        target
    } else {
        return Err(format!("malformed request target {target:?}\n"));
    };
    Ok(path.split('?').next().unwrap_or("/").to_owned())
}

/// tchar of RFC 9110 section 5.6.2.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Which resource a request names, and whether its method is allowed there.
fn route(head: &RequestHead) -> Answer {
    let method = head.method.as_str();
    let get_or_head = method == "GET" || method == "HEAD";
    let not_allowed = |allow: &'static str| {
        Answer::Error(
            Status::MethodNotAllowed(allow),
            format!("{method} is not allowed on {} (use {allow})\n", head.path),
        )
    };
    if head.path == "/" {
        return if get_or_head {
            Answer::Index
        } else {
            not_allowed("GET, HEAD")
        };
    }
    if head.path == "/sink" {
        return if method == "POST" {
            Answer::Sink
        } else {
            not_allowed("POST")
        };
    }
    if let Some(n) = head.path.strip_prefix("/bytes/") {
        if !get_or_head {
            return not_allowed("GET, HEAD");
        }
        let digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
        return match n.parse::<u64>() {
            Ok(count) if digits => Answer::Bytes(count),
            _ => Answer::Error(
                Status::BadRequest,
                format!("/bytes/N needs N as a decimal byte count, not {n:?}\n"),
            ),
        };
    }
    Answer::Error(
        Status::NotFound,
        format!("no resource {} (try /, /bytes/N, /sink)\n", head.path),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends everything the connection has to say (in pieces of at most `step` bytes).
    fn drain(conn: &mut ServerConnection, step: usize, out: &mut Vec<u8>) {
        loop {
            let pending = conn.pending_output();
            if pending.is_empty() {
                return;
            }
            let n = pending.len().min(step);
            out.extend_from_slice(&pending[..n]);
            conn.consume_output(n);
        }
    }

    /// Feeds `input` in the given pieces, draining after each, then sends EOF.
    fn converse(pieces: &[&[u8]], step: usize) -> (Vec<u8>, ServerConnection) {
        let mut conn = ServerConnection::new();
        let mut out = Vec::new();
        for piece in pieces {
            conn.receive(piece);
            drain(&mut conn, step, &mut out);
        }
        conn.receive_eof();
        drain(&mut conn, step, &mut out);
        (out, conn)
    }

    fn one_shot(input: &[u8]) -> (String, ServerConnection) {
        let (out, conn) = converse(&[input], usize::MAX);
        (String::from_utf8_lossy(&out).into_owned(), conn)
    }

    const PIPELINE: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\
GET /bytes/300 HTTP/1.1\r\nHost: a\r\n\r\n\
POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc\
POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x\r\nc\r\n0\r\n\r\n\
GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n\
HEAD /bytes/7 HTTP/1.1\r\nhost: a\r\n\r\n\
GET /bytes/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n\
GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn a_pipeline_is_answered_in_order_and_stops_at_connection_close() {
        let (raw, _) = converse(&[PIPELINE], usize::MAX);
        let (out, conn) = one_shot(PIPELINE);
        let statuses: Vec<&str> = out
            .match_indices("HTTP/1.1 ")
            .map(|(i, _)| &out[i + 9..i + 12])
            .collect();
        // The last GET / comes after Connection: close and is not answered.
        assert_eq!(
            statuses,
            ["200", "200", "200", "200", "404", "200", "200"],
            "{out}"
        );
        assert!(out.contains(INDEX_PAGE));
        let pattern: Vec<u8> = (0..300u64).map(pattern_byte).collect();
        let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
        let bytes_at = find(&raw, b"Content-Length: 300\r\n").unwrap();
        let body_at = bytes_at + find(&raw[bytes_at..], b"\r\n\r\n").unwrap() + 4;
        assert_eq!(&raw[body_at..body_at + 300], pattern.as_slice());
        assert_eq!(
            out.matches(&format!("received 3 bytes, sha256 {ABC_SHA256}\n"))
                .count(),
            2
        );
        assert!(out.contains("HTTP/1.1 200 OK\r\nServer: zcstack\r\nContent-Type: application/octet-stream\r\nContent-Length: 7\r\n\r\nHTTP/1.1"));
        assert!(out.ends_with("Content-Length: 2\r\nConnection: close\r\n\r\n\x00\x01"));
        assert!(conn.should_close());
        assert_eq!(conn.stats().responses, 7);
        assert_eq!(conn.stats().sink_bytes, 6);
        assert_eq!(conn.stats().pattern_bytes_sent, 302);
    }

    #[test]
    fn every_split_position_gives_the_same_bytes() {
        let (whole, _) = converse(&[PIPELINE], usize::MAX);
        for split in 0..=PIPELINE.len() {
            let (a, b) = PIPELINE.split_at(split);
            let (out, conn) = converse(&[a, b], 1000);
            assert_eq!(out, whole, "split at {split}");
            assert!(conn.should_close());
        }
    }

    #[test]
    fn byte_at_a_time_input_and_output_gives_the_same_bytes() {
        let (whole, _) = converse(&[PIPELINE], usize::MAX);
        let pieces: Vec<&[u8]> = PIPELINE.chunks(1).collect();
        let (out, _) = converse(&pieces, 1);
        assert_eq!(out, whole);
    }

    #[test]
    fn a_large_download_is_streamed_in_bounded_chunks() {
        let mut conn = ServerConnection::new();
        conn.receive(b"GET /bytes/10000000000 HTTP/1.1\r\nHost: a\r\n\r\n");
        let head = conn.pending_output().to_vec();
        assert!(String::from_utf8_lossy(&head).contains("Content-Length: 10000000000\r\n"));
        conn.consume_output(head.len());
        let mut offset = 0u64;
        for _ in 0..20 {
            let chunk = conn.pending_output().to_vec();
            assert_eq!(chunk.len(), OUTPUT_CHUNK);
            assert!(chunk
                .iter()
                .enumerate()
                .all(|(i, &b)| b == pattern_byte(offset + i as u64)));
            offset += chunk.len() as u64;
            conn.consume_output(chunk.len());
        }
        assert_eq!(conn.input_space(), INPUT_LIMIT);
    }

    #[test]
    fn a_download_ends_exactly_at_its_length() {
        let n = 3 * OUTPUT_CHUNK as u64 + 17;
        let (out, _) = converse(
            &[
                format!("GET /bytes/{n} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            ],
            4096,
        );
        let body_at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let body = &out[body_at..];
        assert_eq!(body.len() as u64, n);
        assert!(body
            .iter()
            .enumerate()
            .all(|(i, &b)| b == pattern_byte(i as u64)));
    }

    #[test]
    fn expect_100_continue_is_answered_before_the_body() {
        let mut conn = ServerConnection::new();
        conn.receive(
            b"POST /sink HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
        );
        let mut out = Vec::new();
        drain(&mut conn, usize::MAX, &mut out);
        assert_eq!(out, b"HTTP/1.1 100 Continue\r\n\r\n");
        conn.receive(b"abc");
        drain(&mut conn, usize::MAX, &mut out);
        assert!(String::from_utf8_lossy(&out)
            .ends_with(&format!("received 3 bytes, sha256 {ABC_SHA256}\n")));
    }

    #[test]
    fn expect_100_continue_on_a_wrong_resource_gets_the_final_answer_and_close() {
        let (out, conn) = one_shot(
            b"POST /nothing HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 404 Not Found\r\n"), "{out}");
        assert!(out.contains("Connection: close\r\n"));
        assert!(conn.should_close());
    }

    /// Each error: its status, a body that says why, and whether the connection closes
    /// (it does whenever the framing of what follows cannot be trusted).
    #[test]
    fn errors_say_what_was_wrong() {
        let cases: &[(&[u8], &str, &str, bool)] = &[
            (b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n", "404 Not Found", "no resource /x", false),
            (b"DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", "405 Method Not Allowed", "Allow: GET, HEAD", false),
            (b"GET /sink HTTP/1.1\r\nHost: a\r\n\r\n", "405 Method Not Allowed", "Allow: POST", false),
            (b"GET /bytes/12a HTTP/1.1\r\nHost: a\r\n\r\n", "400 Bad Request", "decimal byte count", false),
            (b"GET /bytes/99999999999999999999 HTTP/1.1\r\nHost: a\r\n\r\n", "400 Bad Request", "decimal byte count", false),
            (b"GET / HTTP/1.1\r\n\r\n", "400 Bad Request", "needs a Host header", true),
            (b"GET /\r\n\r\n", "400 Bad Request", "malformed request line", true),
            (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505 HTTP Version Not Supported", "not supported", true),
            (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", "400 Bad Request", "malformed header name", true),
            (b"GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", "400 Bad Request", "malformed header line", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "400 Bad Request", "conflicting", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "400 Bad Request", "not a byte count", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400 Bad Request", "both", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "400 Bad Request", "only the chunked", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400 Bad Request", "bad chunked body", true),
            (b"POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 1099511627777\r\n\r\n", "413 Content Too Large", "over the", true),
            (b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n", "400 Bad Request", "not UTF-8", true),
        ];
        for &(input, status, why, closes) in cases {
            let mut conn = ServerConnection::new();
            conn.receive(input);
            let mut out = Vec::new();
            drain(&mut conn, usize::MAX, &mut out);
            let text = String::from_utf8_lossy(&out);
            let input = String::from_utf8_lossy(input);
            assert!(
                text.starts_with(&format!("HTTP/1.1 {status}\r\n")),
                "{input:?}: {text}"
            );
            assert!(text.contains(why), "{input:?}: {text}");
            assert_eq!(conn.should_close(), closes, "{input:?}: {text}");
            assert_eq!(text.contains("Connection: close\r\n"), closes, "{input:?}");
        }
    }

    #[test]
    fn an_oversized_head_gets_431_without_waiting_for_its_end() {
        let mut conn = ServerConnection::new();
        conn.receive(b"GET / HTTP/1.1\r\nX: ");
        conn.receive(&[b'a'; MAX_HEAD]);
        let mut out = Vec::new();
        drain(&mut conn, usize::MAX, &mut out);
        assert!(out.starts_with(b"HTTP/1.1 431 "));
        assert!(conn.should_close());
        assert_eq!(conn.input_space(), 0);
    }

    #[test]
    fn http10_closes_unless_asked_to_keep_alive() {
        let (out, conn) = one_shot(b"GET / HTTP/1.0\r\n\r\n");
        assert!(out.contains("Connection: close\r\n") && conn.should_close());
        let mut conn = ServerConnection::new();
        conn.receive(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        let mut out = Vec::new();
        drain(&mut conn, usize::MAX, &mut out);
        assert!(out.starts_with(b"HTTP/1.1 200 OK"));
        assert!(!conn.should_close());
    }

    #[test]
    fn eof_in_the_middle_of_a_request_closes_without_an_answer() {
        let (out, conn) =
            one_shot(b"POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assert!(out.is_empty(), "{out}");
        assert!(conn.should_close());
        let (out, conn) = one_shot(b"GET / HT");
        assert!(out.is_empty() && conn.should_close());
    }

    #[test]
    fn leading_empty_lines_and_absolute_targets_are_accepted() {
        let (out, _) = one_shot(b"\r\n\r\nGET http://a/bytes/1?x HTTP/1.1\r\nHost: a\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.ends_with("\r\n\r\n\x00"), "{out}");
    }

    #[test]
    fn a_pipelined_request_waits_while_a_response_is_in_progress() {
        let mut conn = ServerConnection::new();
        conn.receive(
            b"GET /bytes/200000 HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        );
        // Only the first response is being produced; the second request stays queued.
        assert!(conn.input_space() < INPUT_LIMIT);
        let mut out = Vec::new();
        drain(&mut conn, 1448, &mut out);
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2);
        assert!(text.ends_with(INDEX_PAGE));
        assert_eq!(conn.input_space(), INPUT_LIMIT);
    }
}
