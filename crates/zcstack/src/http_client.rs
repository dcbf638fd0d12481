//! The `zcstack fetch` client, sans-IO: a [`Url`] names what to fetch;
//! [`ClientConnection`] gives the request bytes to send, takes the response bytes as they
//! arrive, and hands the body out as it passes (a 10 GB download keeps nothing).
//!
//! Responses are framed as RFC 9112 section 6.3 says: no body for 1xx (interim, skipped),
//! 204 and 304; otherwise chunked, `Content-Length`, or everything until the server
//! closes. The head is bounded by [`MAX_RESPONSE_HEAD`].

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use crate::chunked::{ChunkedDecoder, ChunkedError};

/// The longest response head accepted.
pub const MAX_RESPONSE_HEAD: usize = 16 * 1024;

/// An `http://` URL whose host is an IP literal (the stack has no resolver).
///
/// ```
/// use zcstack::http_client::Url;
/// let url: Url = "http://[fd99::2]:8080/bytes/10?x=1".parse().unwrap();
/// assert_eq!(url.addr, "[fd99::2]:8080".parse().unwrap());
/// assert_eq!(url.target, "/bytes/10?x=1");
/// let url: Url = "http://10.99.0.2".parse().unwrap();
/// assert_eq!((url.addr.port(), url.target.as_str()), (80, "/"));
/// assert!("https://10.0.0.1/".parse::<Url>().unwrap_err().to_string().contains("http://"));
/// assert!("http://example.com/".parse::<Url>().unwrap_err().to_string().contains("IP address"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// The server's address and port (80 by default).
    pub addr: SocketAddr,
    /// The request target: path and query (`/` when the URL has none).
    pub target: String,
    /// The authority as written (for the Host header).
    pub authority: String,
}

/// Why a URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError(String);

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UrlError {}

impl FromStr for Url {
    type Err = UrlError;

    fn from_str(s: &str) -> Result<Url, UrlError> {
        let rest = s
            .strip_prefix("http://")
            .ok_or_else(|| UrlError(format!("{s:?}: only http:// URLs are supported")))?;
        let (authority, target) = match rest.find(['/', '?']) {
            Some(i) => (
                rest.get(..i).unwrap_or_default(),
                rest.get(i..).unwrap_or("/"),
            ),
            None => (rest, "/"),
        };
        let target = if target.starts_with('?') {
            format!("/{target}")
        } else {
            target.to_owned()
        };
        if target
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(UrlError(format!(
                "{s:?}: the path has spaces or control characters"
            )));
        }
        let (host, port) = split_host_port(authority)
            .ok_or_else(|| UrlError(format!("{s:?}: malformed host or port")))?;
        let ip: IpAddr = host.parse().map_err(|_| {
            UrlError(format!(
                "{s:?}: the host must be an IP address (the stack has no DNS resolver)"
            ))
        })?;
        Ok(Url {
            addr: SocketAddr::new(ip, port),
            target,
            authority: authority.to_owned(),
        })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => 80,
        Some(p) => p.parse().ok().filter(|&p| p != 0)?,
    };
    (!host.is_empty()).then_some((host, port))
}

/// Why a response could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    /// The status line or a header is malformed.
    Malformed(String),
    /// The head is longer than [`MAX_RESPONSE_HEAD`].
    HeadTooLong,
    /// The chunked body is malformed.
    Chunked(ChunkedError),
    /// The server closed before the end of the response.
    Truncated {
        /// Body bytes received.
        received: u64,
        /// Body bytes announced (`None`: chunked).
        expected: Option<u64>,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Malformed(why) => write!(f, "malformed response: {why}"),
            ClientError::HeadTooLong => write!(f, "response head over {MAX_RESPONSE_HEAD} bytes"),
            ClientError::Chunked(e) => write!(f, "malformed chunked response body: {e}"),
            ClientError::Truncated { received, expected } => match expected {
                Some(n) => write!(f, "connection closed after {received} of {n} body bytes"),
                None => write!(
                    f,
                    "connection closed after {received} body bytes, before the last chunk"
                ),
            },
        }
    }
}

impl std::error::Error for ClientError {}

#[derive(Debug)]
enum Phase {
    Head,
    Body(Framing),
    Done,
}

#[derive(Debug)]
enum Framing {
    Length(u64),
    Chunked(ChunkedDecoder),
    UntilClose,
}

/// One request and its response.
///
/// ```
/// use zcstack::http_client::{ClientConnection, Url};
/// let url: Url = "http://10.0.0.2/bytes/3".parse().unwrap();
/// let mut conn = ClientConnection::get(&url);
/// assert!(conn.pending_request().starts_with(b"GET /bytes/3 HTTP/1.1\r\nHost: 10.0.0.2\r\n"));
/// conn.consume_request(conn.pending_request().len());
/// let mut body = Vec::new();
/// conn.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", |b| body.extend_from_slice(b))
///     .unwrap();
/// assert_eq!((conn.status(), body.as_slice(), conn.is_done()), (Some(200), &b"abc"[..], true));
/// ```
#[derive(Debug)]
pub struct ClientConnection {
    request: Vec<u8>,
    sent: usize,
    head: Vec<u8>,
    phase: Phase,
    status: Option<u16>,
    reason: String,
    received: u64,
}

impl ClientConnection {
    /// A `GET` of `url`, asking the server to close after the response.
    #[must_use]
    pub fn get(url: &Url) -> ClientConnection {
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: zcstack\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            url.target, url.authority
        );
        ClientConnection {
            request: request.into_bytes(),
            sent: 0,
            head: Vec::new(),
            phase: Phase::Head,
            status: None,
            reason: String::new(),
            received: 0,
        }
    }

    /// Request bytes still to send.
    #[must_use]
    pub fn pending_request(&self) -> &[u8] {
        self.request.get(self.sent..).unwrap_or_default()
    }

    /// `n` request bytes were sent.
    pub fn consume_request(&mut self, n: usize) {
        self.sent = self.sent.saturating_add(n).min(self.request.len());
    }

    /// The final status code, once the head has come.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The status line's reason phrase.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Body bytes received so far.
    #[must_use]
    pub fn body_received(&self) -> u64 {
        self.received
    }

    /// Whether the whole response has come.
    #[must_use]
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// Takes response bytes; body bytes go to `on_body` as they pass. Bytes after the end
    /// of the response are ignored (the request asked the server to close).
    ///
    /// # Errors
    /// A malformed response; the connection should be dropped.
    pub fn receive(
        &mut self,
        mut data: &[u8],
        mut on_body: impl FnMut(&[u8]),
    ) -> Result<(), ClientError> {
        while !data.is_empty() {
            match &mut self.phase {
                Phase::Done => return Ok(()),
                Phase::Head => {
                    // Look for the end of the head across what was kept and what came.
                    let before = self.head.len();
                    let room = (MAX_RESPONSE_HEAD + 4).saturating_sub(before);
                    let take = data.len().min(room);
                    self.head
                        .extend_from_slice(data.get(..take).unwrap_or_default());
                    let Some(end) = head_end(&self.head) else {
                        if self.head.len() > MAX_RESPONSE_HEAD {
                            return Err(ClientError::HeadTooLong);
                        }
                        data = data.get(take..).unwrap_or_default();
                        continue;
                    };
                    let used = end - before;
                    data = data.get(used..).unwrap_or_default();
                    let head = std::mem::take(&mut self.head);
                    self.start_response(head.get(..end).unwrap_or_default())?;
                }
                Phase::Body(framing) => {
                    let received = &mut self.received;
                    let mut pass = |b: &[u8]| {
                        *received += b.len() as u64;
                        on_body(b);
                    };
                    let (used, done) = match framing {
                        Framing::Length(left) => {
                            let take =
                                usize::try_from(*left).map_or(data.len(), |l| l.min(data.len()));
                            pass(data.get(..take).unwrap_or_default());
                            *left -= take as u64;
                            (take, *left == 0)
                        }
                        Framing::Chunked(decoder) => {
                            let used = decoder.decode(data, pass).map_err(ClientError::Chunked)?;
                            (used, decoder.is_done())
                        }
                        Framing::UntilClose => {
                            pass(data);
                            (data.len(), false)
                        }
                    };
                    data = data.get(used..).unwrap_or_default();
                    if done {
                        self.phase = Phase::Done;
                    }
                }
            }
        }
        Ok(())
    }

    /// The server closed its side.
    ///
    /// # Errors
    /// The response was not complete ([`ClientError::Truncated`]), unless its body is
    /// delimited by the close.
    pub fn receive_eof(&mut self) -> Result<(), ClientError> {
        match &self.phase {
            Phase::Done => Ok(()),
            Phase::Body(Framing::UntilClose) => {
                self.phase = Phase::Done;
                Ok(())
            }
            Phase::Body(Framing::Length(left)) => Err(ClientError::Truncated {
                received: self.received,
                expected: Some(self.received + left),
            }),
            Phase::Body(Framing::Chunked(_)) => Err(ClientError::Truncated {
                received: self.received,
                expected: None,
            }),
            Phase::Head => Err(ClientError::Malformed(
                "the connection closed before a complete response head".to_owned(),
            )),
        }
    }

    /// Parses a head; an interim (1xx) one is skipped.
    fn start_response(&mut self, raw: &[u8]) -> Result<(), ClientError> {
        let bad = |why: &str| ClientError::Malformed(why.to_owned());
        let text = std::str::from_utf8(raw).map_err(|_| bad("the head is not UTF-8"))?;
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let status_line = lines.next().unwrap_or_default();
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default();
        if !version.starts_with("HTTP/1.") {
            return Err(bad(&format!("status line {status_line:?}")));
        }
        let code: u16 = parts
            .next()
            .filter(|c| c.len() == 3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad(&format!("status line {status_line:?}")))?;
        if (100..200).contains(&code) {
            return Ok(()); // interim: the final head follows
        }
        self.status = Some(code);
        self.reason = parts.next().unwrap_or_default().to_owned();
        let mut length = None;
        let mut chunked = false;
        for line in lines.take_while(|l| !l.is_empty()) {
            let (name, value) = line.split_once(':').ok_or_else(|| bad("a header line"))?;
            let value = value.trim_matches([' ', '\t']);
            if name.eq_ignore_ascii_case("content-length") {
                let n: u64 = value
                    .parse()
                    .map_err(|_| bad(&format!("Content-Length {value:?}")))?;
                if length.is_some_and(|l| l != n) {
                    return Err(bad("conflicting Content-Length values"));
                }
                length = Some(n);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value
                    .rsplit(',')
                    .next()
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked"));
            }
        }
        self.phase = if code == 204 || code == 304 {
            Phase::Done
        } else if chunked {
            Phase::Body(Framing::Chunked(ChunkedDecoder::new()))
        } else {
            match length {
                Some(0) => Phase::Done,
                Some(n) => Phase::Body(Framing::Length(n)),
                None => Phase::Body(Framing::UntilClose),
            }
        };
        Ok(())
    }
}

/// The end of a response head (past the empty line), if it has come.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b == b'\n' {
            let line = buf.get(line_start..i).unwrap_or_default();
            if line.is_empty() || line == b"\r" {
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        "http://10.0.0.2:8080/x".parse().unwrap()
    }

    fn run(wire: &[u8], splits: &[usize]) -> (Result<(), ClientError>, Vec<u8>, ClientConnection) {
        let mut conn = ClientConnection::get(&url());
        let mut body = Vec::new();
        let mut last = 0;
        for &s in splits.iter().chain([wire.len()].iter()) {
            if let Err(e) = conn.receive(&wire[last..s], |b| body.extend_from_slice(b)) {
                return (Err(e), body, conn);
            }
            last = s;
        }
        (Ok(()), body, conn)
    }

    #[test]
    fn every_split_of_a_chunked_response_gives_the_same_body() {
        let wire = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        for split in 0..=wire.len() {
            let (r, body, conn) = run(wire, &[split]);
            assert_eq!(r, Ok(()), "split {split}");
            assert_eq!(body, b"abcde", "split {split}");
            assert!(conn.is_done());
            assert_eq!(conn.status(), Some(200));
        }
    }

    #[test]
    fn a_body_until_close_ends_at_eof_and_a_short_one_is_an_error() {
        let (r, body, mut conn) = run(b"HTTP/1.0 200 OK\r\n\r\nall of it", &[]);
        assert_eq!((r, body.as_slice()), (Ok(()), &b"all of it"[..]));
        assert!(!conn.is_done());
        assert_eq!(conn.receive_eof(), Ok(()));
        assert!(conn.is_done());
        let (_, _, mut conn) = run(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", &[]);
        assert_eq!(
            conn.receive_eof(),
            Err(ClientError::Truncated {
                received: 3,
                expected: Some(10)
            })
        );
    }

    #[test]
    fn malformed_heads_are_errors() {
        for wire in [
            &b"SSH-2.0-OpenSSH\r\n\r\n"[..],
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        ] {
            assert!(
                matches!(run(wire, &[]).0, Err(ClientError::Malformed(_))),
                "{wire:?}"
            );
        }
        let long = [
            b"HTTP/1.1 200 OK\r\nX: ".as_slice(),
            &[b'a'; MAX_RESPONSE_HEAD],
        ]
        .concat();
        assert_eq!(run(&long, &[]).0, Err(ClientError::HeadTooLong));
    }

    #[test]
    fn urls_are_checked() {
        for bad in [
            "ftp://1.2.3.4/",
            "http://",
            "http://1.2.3.4:0/",
            "http://1.2.3.4:99999/",
            "http://[fd00::1/",
            "http://1.2.3.4/a b",
        ] {
            assert!(bad.parse::<Url>().is_err(), "{bad}");
        }
        let u: Url = "http://1.2.3.4?q".parse().unwrap();
        assert_eq!(u.target, "/?q");
    }
}
