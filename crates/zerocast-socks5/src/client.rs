//! [`ClientHandshake`]: the client side of RFC 1928 (method selection, request, reply) with
//! the username/password sub-negotiation of RFC 1929, fed bytes and yielding bytes.
//!
//! The handshake is strictly request/response: the client writes one message, then reads
//! exactly one reply, whose length it can tell from the bytes so far. `feed` therefore
//! never takes a byte past the end of the proxy's last reply.

use alloc::vec::Vec;

use crate::addr::{check_field, TargetAddr};
use crate::error::{ReplyCode, Socks5Error};

/// The SOCKS protocol version (RFC 1928 section 3).
pub const VERSION: u8 = 5;
/// The username/password sub-negotiation version (RFC 1929 section 2).
pub const USERPASS_VERSION: u8 = 1;
/// METHOD X'00': no authentication required.
pub const METHOD_NONE: u8 = 0x00;
/// METHOD X'02': username/password (RFC 1929).
pub const METHOD_USERPASS: u8 = 0x02;
/// METHOD X'FF': no acceptable methods.
pub const METHOD_NO_ACCEPTABLE: u8 = 0xff;

/// The request's command (RFC 1928 section 4). BIND is not offered: a relay never needs the
/// proxy to accept an inbound connection.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// CMD X'01': open a TCP connection to the target.
    Connect,
    /// CMD X'03': relay UDP datagrams; the reply names the proxy's UDP port.
    UdpAssociate,
}

impl Command {
    const fn byte(self) -> u8 {
        match self {
            Command::Connect => 1,
            Command::UdpAssociate => 3,
        }
    }
}

/// A username and password (RFC 1929), each 1 to 255 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: Vec<u8>,
    password: Vec<u8>,
}

impl core::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The password never reaches a log through Debug.
        f.debug_struct("Credentials")
            .field(
                "username",
                &alloc::string::String::from_utf8_lossy(&self.username),
            )
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Checks and keeps a username and password.
    ///
    /// ```
    /// use zerocast_socks5::Credentials;
    /// assert!(Credentials::new(b"alice", b"secret").is_ok());
    /// assert!(Credentials::new(b"", b"secret").is_err(), "RFC 1929: ULEN is 1 to 255");
    /// assert!(!format!("{:?}", Credentials::new(b"a", b"hunter2").unwrap()).contains("hunter2"));
    /// ```
    ///
    /// # Errors
    /// [`Socks5Error::FieldLength`] when either is empty or longer than 255 bytes.
    pub fn new(username: &[u8], password: &[u8]) -> Result<Credentials, Socks5Error> {
        check_field("username", username.len())?;
        check_field("password", password.len())?;
        Ok(Credentials {
            username: username.to_vec(),
            password: password.to_vec(),
        })
    }
}

/// Where the handshake stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the proxy (send [`ClientHandshake::output`] first if it is not empty).
    InProgress,
    /// Done: the proxy's bound address (BND.ADDR/BND.PORT), for UDP ASSOCIATE the address
    /// to send datagrams to (see [`crate::udp::relay_address`]). What follows on the
    /// connection is relayed data.
    Done(TargetAddr),
    /// Failed; the connection should be closed.
    Failed(Socks5Error),
}

/// The reply being waited for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Awaiting {
    /// VER, METHOD (RFC 1928 section 3).
    MethodSelection,
    /// VER, STATUS (RFC 1929 section 2).
    AuthenticationStatus,
    /// VER, REP, RSV, ATYP, BND.ADDR, BND.PORT (RFC 1928 section 6).
    Reply,
    /// Nothing: done or failed.
    Nothing,
}

/// The client side of one SOCKS5 handshake.
///
/// Driving it over any byte stream: write [`output`](ClientHandshake::output), read, feed,
/// until [`status`](ClientHandshake::status) is no longer `InProgress`.
///
/// ```
/// use zerocast_socks5::{ClientHandshake, Command, Credentials, Status, TargetAddr};
/// // A scripted proxy that asks for username/password, accepts it, and connects.
/// let mut proxy_says: Vec<&[u8]> = vec![&[5, 2], &[1, 0], &[5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90]];
/// proxy_says.reverse();
/// let creds = Credentials::new(b"user", b"pass")?;
/// let target = TargetAddr::Domain("example.org".into(), 80);
/// let mut hs = ClientHandshake::new(Command::Connect, target, Some(creds))?;
/// let mut sent = Vec::new();
/// while hs.status() == Status::InProgress {
///     sent.extend_from_slice(hs.output()); // write(2) to the proxy
///     hs.clear_output();
///     let reply = proxy_says.pop().expect("the proxy answers");
///     hs.feed(reply)?;
/// }
/// assert_eq!(hs.status(), Status::Done(TargetAddr::Ip("127.0.0.1:8080".parse().unwrap())));
/// assert_eq!(&sent[..4], [5, 2, 0, 2], "offered: no auth, username/password");
/// # Ok::<(), zerocast_socks5::Socks5Error>(())
/// ```
#[derive(Debug)]
pub struct ClientHandshake {
    command: Command,
    target: TargetAddr,
    credentials: Option<Credentials>,
    awaiting: Awaiting,
    /// The bytes of the reply being waited for, received so far.
    partial: Vec<u8>,
    /// Bytes for the proxy, not yet taken by the caller.
    output: Vec<u8>,
    status: Status,
}

impl ClientHandshake {
    /// Starts a handshake for `command` to `target`, offering username/password when
    /// `credentials` are given (and "no authentication" always); the greeting is queued in
    /// [`ClientHandshake::output`].
    ///
    /// # Errors
    /// [`Socks5Error::FieldLength`] for a domain name SOCKS5 cannot carry.
    pub fn new(
        command: Command,
        target: TargetAddr,
        credentials: Option<Credentials>,
    ) -> Result<ClientHandshake, Socks5Error> {
        target.validate()?;
        let mut output = Vec::with_capacity(4);
        // RFC 1928 section 3: VER, NMETHODS, METHODS.
        match credentials {
            Some(_) => output.extend_from_slice(&[VERSION, 2, METHOD_NONE, METHOD_USERPASS]),
            None => output.extend_from_slice(&[VERSION, 1, METHOD_NONE]),
        }
        Ok(ClientHandshake {
            command,
            target,
            credentials,
            awaiting: Awaiting::MethodSelection,
            partial: Vec::new(),
            output,
            status: Status::InProgress,
        })
    }

    /// Bytes to write to the proxy.
    #[must_use]
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// Marks the first `n` bytes of [`ClientHandshake::output`] as written (all of them
    /// when `n` is larger).
    pub fn consume_output(&mut self, n: usize) {
        self.output.drain(..n.min(self.output.len()));
    }

    /// Marks all of [`ClientHandshake::output`] as written.
    pub fn clear_output(&mut self) {
        self.output.clear();
    }

    /// Where the handshake stands.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status.clone()
    }

    /// Feeds bytes read from the proxy; returns how many belong to the handshake (the rest,
    /// after a successful reply, is relayed data).
    ///
    /// ```
    /// use zerocast_socks5::{ClientHandshake, Command, Status, TargetAddr};
    /// let mut hs = ClientHandshake::new(Command::Connect, TargetAddr::Ip("10.0.0.9:22".parse().unwrap()), None)?;
    /// // Split anywhere: one byte at a time works as well as whole replies.
    /// for byte in [5u8, 0, 5, 0, 0, 1, 10, 0, 0, 1, 0, 1] {
    ///     assert_eq!(hs.feed(&[byte])?, 1);
    /// }
    /// assert!(matches!(hs.status(), Status::Done(_)));
    /// assert_eq!(hs.feed(b"SSH-2.0")?, 0, "relayed data is not the handshake's");
    /// # Ok::<(), zerocast_socks5::Socks5Error>(())
    /// ```
    ///
    /// # Errors
    /// The failure (also kept in [`ClientHandshake::status`]); [`Socks5Error::Finished`] for
    /// bytes fed after the end.
    pub fn feed(&mut self, input: &[u8]) -> Result<usize, Socks5Error> {
        match self.status {
            // Relayed data fed by mistake stays the caller's; it is no error of the proxy.
            Status::Done(_) => return Ok(0),
            Status::Failed(_) => return Err(Socks5Error::Finished),
            Status::InProgress => {}
        }
        let mut used = 0;
        while self.awaiting != Awaiting::Nothing {
            let need = self.reply_len().map_err(|e| self.fail(e))?;
            match need {
                Some(n) if self.partial.len() >= n => {
                    let reply = core::mem::take(&mut self.partial);
                    self.on_reply(&reply).map_err(|e| self.fail(e))?;
                }
                _ => {
                    let rest = input.get(used..).unwrap_or(&[]);
                    if rest.is_empty() {
                        break;
                    }
                    // Unknown length (a reply's address type not seen yet): one byte at a
                    // time, so nothing past the reply is taken.
                    let take = need.map_or(1, |n| (n - self.partial.len()).min(rest.len()));
                    self.partial
                        .extend_from_slice(rest.get(..take).unwrap_or(rest));
                    used += take;
                }
            }
        }
        Ok(used)
    }

    /// The length of the reply awaited, once the bytes so far tell it.
    fn reply_len(&self) -> Result<Option<usize>, Socks5Error> {
        // The version is checked on the first byte, so a peer that is no SOCKS5 proxy (an
        // HTTP server, say) fails at once instead of after a reply's worth of bytes.
        if let Some(&version) = self.partial.first() {
            let expected = match self.awaiting {
                Awaiting::AuthenticationStatus => USERPASS_VERSION,
                _ => VERSION,
            };
            expect_version(expected, version)?;
        }
        match self.awaiting {
            Awaiting::MethodSelection | Awaiting::AuthenticationStatus => Ok(Some(2)),
            // VER, REP, RSV, then the address.
            Awaiting::Reply => Ok(self
                .partial
                .get(3..)
                .map(TargetAddr::encoded_len_at)
                .transpose()?
                .flatten()
                .map(|addr_len| 3 + addr_len)),
            Awaiting::Nothing => Ok(Some(0)),
        }
    }

    fn fail(&mut self, e: Socks5Error) -> Socks5Error {
        self.awaiting = Awaiting::Nothing;
        self.output.clear();
        self.status = Status::Failed(e.clone());
        e
    }

    /// Acts on one whole reply.
    fn on_reply(&mut self, reply: &[u8]) -> Result<(), Socks5Error> {
        match self.awaiting {
            Awaiting::MethodSelection => self.on_method_selection(reply),
            Awaiting::AuthenticationStatus => self.on_authentication_status(reply),
            Awaiting::Reply => self.on_request_reply(reply),
            Awaiting::Nothing => Err(Socks5Error::Finished),
        }
    }

    /// RFC 1928 section 3: the server's METHOD selects one of the offered methods, or
    /// X'FF' and the client must close the connection.
    fn on_method_selection(&mut self, reply: &[u8]) -> Result<(), Socks5Error> {
        let &[version, method] = reply else {
            return Err(Socks5Error::Truncated);
        };
        expect_version(VERSION, version)?;
        match method {
            METHOD_NONE => {
                self.queue_request();
                Ok(())
            }
            METHOD_USERPASS if self.credentials.is_some() => {
                self.queue_authentication();
                Ok(())
            }
            METHOD_NO_ACCEPTABLE => Err(Socks5Error::NoAcceptableMethod),
            other => Err(Socks5Error::UnofferedMethod(other)),
        }
    }

    /// RFC 1929 section 2: VER X'01', ULEN, UNAME, PLEN, PASSWD.
    fn queue_authentication(&mut self) {
        if let Some(c) = &self.credentials {
            self.output.push(USERPASS_VERSION);
            // Credentials::new bounded both lengths to 1..=255.
            self.output
                .push(u8::try_from(c.username.len()).unwrap_or(u8::MAX));
            self.output.extend_from_slice(&c.username);
            self.output
                .push(u8::try_from(c.password.len()).unwrap_or(u8::MAX));
            self.output.extend_from_slice(&c.password);
        }
        self.awaiting = Awaiting::AuthenticationStatus;
    }

    /// RFC 1929 section 2: STATUS X'00' is success; anything else and the client must
    /// close the connection.
    fn on_authentication_status(&mut self, reply: &[u8]) -> Result<(), Socks5Error> {
        let &[version, status] = reply else {
            return Err(Socks5Error::Truncated);
        };
        expect_version(USERPASS_VERSION, version)?;
        if status != 0 {
            return Err(Socks5Error::AuthenticationFailed(status));
        }
        self.queue_request();
        Ok(())
    }

    /// RFC 1928 section 4: VER, CMD, RSV X'00', ATYP, DST.ADDR, DST.PORT.
    fn queue_request(&mut self) {
        self.output
            .extend_from_slice(&[VERSION, self.command.byte(), 0]);
        self.target.encode(&mut self.output);
        self.awaiting = Awaiting::Reply;
    }

    /// RFC 1928 section 6: REP X'00' succeeded and BND is the bound address; any other
    /// code is a failure after which the server closes the connection.
    fn on_request_reply(&mut self, reply: &[u8]) -> Result<(), Socks5Error> {
        let (Some(&version), Some(&rep)) = (reply.first(), reply.get(1)) else {
            return Err(Socks5Error::Truncated);
        };
        expect_version(VERSION, version)?;
        if rep != 0 {
            return Err(Socks5Error::Rejected(ReplyCode::from_byte(rep)));
        }
        let bound = reply
            .get(3..)
            .map(TargetAddr::decode)
            .transpose()?
            .flatten()
            .ok_or(Socks5Error::Truncated)?
            .0;
        self.awaiting = Awaiting::Nothing;
        self.status = Status::Done(bound);
        Ok(())
    }
}

/// Every message starts with its protocol's version byte.
fn expect_version(expected: u8, got: u8) -> Result<(), Socks5Error> {
    if got == expected {
        Ok(())
    } else {
        Err(Socks5Error::BadVersion { expected, got })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn v4(s: &str) -> TargetAddr {
        TargetAddr::Ip(s.parse().unwrap())
    }

    /// The proxy's side of one exchange: what the client must have written, then the
    /// proxy's reply.
    struct Exchange<'a> {
        client_writes: &'a [u8],
        proxy_replies: &'a [u8],
    }

    /// Runs a whole handshake with the proxy's bytes split at `split` (each chunk fed
    /// separately) and returns the final status and the bytes left over after the
    /// handshake (relayed data).
    fn run(
        mut hs: ClientHandshake,
        script: &[Exchange<'_>],
        trailing: &[u8],
        split: &[usize],
    ) -> (Status, Vec<u8>) {
        let mut proxy_bytes = Vec::new();
        for (i, step) in script.iter().enumerate() {
            assert_eq!(hs.output(), step.client_writes, "client message {i}");
            hs.clear_output();
            proxy_bytes.clear();
            proxy_bytes.extend_from_slice(step.proxy_replies);
            if i + 1 == script.len() {
                proxy_bytes.extend_from_slice(trailing);
            }
            let mut leftover = Vec::new();
            let mut start = 0;
            let mut cuts: Vec<usize> = split
                .iter()
                .copied()
                .filter(|&c| c > 0 && c < proxy_bytes.len())
                .collect();
            cuts.push(proxy_bytes.len());
            for cut in cuts {
                let chunk = &proxy_bytes[start..cut];
                start = cut;
                if !leftover.is_empty() || matches!(hs.status(), Status::Done(_)) {
                    leftover.extend_from_slice(chunk);
                    continue;
                }
                match hs.feed(chunk) {
                    Ok(used) => leftover.extend_from_slice(&chunk[used..]),
                    Err(_) => return (hs.status(), leftover),
                }
            }
            if i + 1 == script.len() {
                return (hs.status(), leftover);
            }
            assert!(leftover.is_empty(), "no bytes past a reply before the last");
        }
        unreachable!("the script has at least one step")
    }

    /// Every way to cut `len` bytes into two pieces, and into single bytes.
    fn splits(len: usize) -> Vec<Vec<usize>> {
        let mut all: Vec<Vec<usize>> = (0..=len).map(|c| vec![c]).collect();
        all.push((1..len).collect());
        all
    }

    const CONNECT_NO_AUTH: [Exchange<'static>; 2] = [
        Exchange {
            client_writes: &[5, 1, 0],
            proxy_replies: &[5, 0],
        },
        Exchange {
            client_writes: &[5, 1, 0, 1, 192, 0, 2, 7, 0, 80],
            proxy_replies: &[5, 0, 0, 1, 10, 0, 0, 1, 0x0f, 0xa0],
        },
    ];

    #[test]
    fn rfc1928_connect_without_authentication_at_every_split() {
        for split in splits(12) {
            let hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
            let (status, leftover) = run(hs, &CONNECT_NO_AUTH, b"hi", &split);
            assert_eq!(status, Status::Done(v4("10.0.0.1:4000")), "split {split:?}");
            assert_eq!(leftover, b"hi", "split {split:?}");
        }
    }

    #[test]
    fn rfc1929_username_password_at_every_split() {
        let script = [
            Exchange {
                client_writes: &[5, 2, 0, 2],
                proxy_replies: &[5, 2],
            },
            Exchange {
                client_writes: &[1, 5, b'a', b'l', b'i', b'c', b'e', 2, b'p', b'w'],
                proxy_replies: &[1, 0],
            },
            Exchange {
                client_writes: &[
                    5, 1, 0, 3, 11, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'o', b'r',
                    b'g', 1, 0xbb,
                ],
                proxy_replies: &[
                    5, 0, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x12,
                    0x34,
                ],
            },
        ];
        for split in splits(22) {
            let creds = Credentials::new(b"alice", b"pw").unwrap();
            let target = TargetAddr::Domain("example.org".into(), 443);
            let hs = ClientHandshake::new(Command::Connect, target, Some(creds)).unwrap();
            let (status, leftover) = run(hs, &script, &[], &split);
            let bound = TargetAddr::Ip("[2001:db8::1]:4660".parse().unwrap());
            assert_eq!(status, Status::Done(bound), "split {split:?}");
            assert!(leftover.is_empty());
        }
    }

    #[test]
    fn udp_associate_reply_with_a_domain_name_at_every_split() {
        let script = [
            Exchange {
                client_writes: &[5, 1, 0],
                proxy_replies: &[5, 0],
            },
            Exchange {
                client_writes: &[5, 3, 0, 1, 0, 0, 0, 0, 0, 0],
                proxy_replies: &[5, 0, 0, 3, 5, b'p', b'r', b'o', b'x', b'y', 0x04, 0x38],
            },
        ];
        for split in splits(12) {
            let hs = ClientHandshake::new(Command::UdpAssociate, v4("0.0.0.0:0"), None).unwrap();
            let (status, _) = run(hs, &script, &[], &split);
            assert_eq!(
                status,
                Status::Done(TargetAddr::Domain("proxy".into(), 1080)),
                "{split:?}"
            );
        }
    }

    #[test]
    fn rfc1928_section3_no_acceptable_method_fails() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        assert_eq!(hs.feed(&[5, 0xff]), Err(Socks5Error::NoAcceptableMethod));
        assert_eq!(hs.status(), Status::Failed(Socks5Error::NoAcceptableMethod));
        assert_eq!(hs.feed(&[5]), Err(Socks5Error::Finished));
    }

    #[test]
    fn a_method_the_client_did_not_offer_fails() {
        // Username/password chosen although no credentials were offered.
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        assert_eq!(hs.feed(&[5, 2]), Err(Socks5Error::UnofferedMethod(2)));
        // GSSAPI (X'01') is never offered.
        let creds = Credentials::new(b"u", b"p").unwrap();
        let mut hs =
            ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), Some(creds)).unwrap();
        assert_eq!(hs.feed(&[5, 1]), Err(Socks5Error::UnofferedMethod(1)));
    }

    #[test]
    fn rfc1929_a_non_zero_status_is_a_rejection() {
        let creds = Credentials::new(b"u", b"wrong").unwrap();
        let mut hs =
            ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), Some(creds)).unwrap();
        hs.clear_output();
        assert_eq!(hs.feed(&[5, 2]), Ok(2));
        hs.clear_output();
        assert_eq!(hs.feed(&[1, 1]), Err(Socks5Error::AuthenticationFailed(1)));
        assert!(
            hs.output().is_empty(),
            "nothing more is sent after a failure"
        );
    }

    #[test]
    fn rfc1928_section6_failure_codes_are_reported() {
        for (byte, code) in [
            (1, ReplyCode::GeneralFailure),
            (5, ReplyCode::ConnectionRefused),
            (7, ReplyCode::CommandNotSupported),
            (0x20, ReplyCode::Unassigned(0x20)),
        ] {
            let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
            hs.feed(&[5, 0]).unwrap();
            let reply = [5, byte, 0, 1, 0, 0, 0, 0, 0, 0];
            assert_eq!(hs.feed(&reply), Err(Socks5Error::Rejected(code)));
        }
    }

    #[test]
    fn a_wrong_version_is_not_a_socks5_proxy() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        // An HTTP server answering the greeting.
        assert_eq!(
            hs.feed(b"HTTP/1.1 400"),
            Err(Socks5Error::BadVersion {
                expected: 5,
                got: b'H'
            })
        );
        let creds = Credentials::new(b"u", b"p").unwrap();
        let mut hs =
            ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), Some(creds)).unwrap();
        hs.feed(&[5, 2]).unwrap();
        assert_eq!(
            hs.feed(&[5, 0]),
            Err(Socks5Error::BadVersion {
                expected: 1,
                got: 5
            })
        );
    }

    #[test]
    fn a_reply_with_an_unknown_address_type_fails_before_its_end() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        hs.feed(&[5, 0]).unwrap();
        assert_eq!(hs.feed(&[5, 0, 0, 9]), Err(Socks5Error::BadAddressType(9)));
    }

    #[test]
    fn feed_takes_nothing_past_the_reply_and_no_bytes_after_it() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        assert_eq!(hs.feed(&[5, 0]), Ok(2));
        assert_eq!(hs.feed(&[5, 0, 0, 1, 1, 2, 3, 4, 0, 9, b'x']), Ok(10));
        assert_eq!(hs.status(), Status::Done(v4("1.2.3.4:9")));
        assert_eq!(hs.feed(b"more data"), Ok(0));
    }

    #[test]
    fn a_wrong_version_fails_on_its_first_byte() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        hs.feed(&[5, 0]).unwrap();
        assert_eq!(
            hs.feed(&[4]),
            Err(Socks5Error::BadVersion {
                expected: 5,
                got: 4
            })
        );
    }

    #[test]
    fn consume_output_takes_a_prefix() {
        let mut hs = ClientHandshake::new(Command::Connect, v4("192.0.2.7:80"), None).unwrap();
        hs.consume_output(1);
        assert_eq!(hs.output(), [1, 0]);
        hs.consume_output(10);
        assert!(hs.output().is_empty());
    }
}
