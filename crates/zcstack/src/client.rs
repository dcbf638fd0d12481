//! The client modes, with the stack as the active opener: `zcstack fetch URL` (an HTTP GET,
//! the body to a file or standard output) and `zcstack send HOST:PORT` (standard input to
//! the peer, half-close, the peer's bytes to standard output until it closes).
//!
//! Both run the stack on its thread and use the blocking `zerocast_tap::tcp::TcpStream`
//! from the main thread. Errors say what went wrong in the words a person expects:
//! "connection refused", "timed out", a bad URL (rejected by the argument parser), an HTTP
//! error status.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerocast_stack::tcp::TcpState;
use zerocast_tap::netstack::NetStack;
use zerocast_tap::tcp::TcpStream;

use crate::cli::{FetchArgs, LinkArgs, SendArgs};
use crate::http_client::ClientConnection;
use crate::serve::{config, describe, ServeError};

/// Starts the stack for a client mode and says so on standard error.
fn start(link: &LinkArgs) -> Result<NetStack, ServeError> {
    let config = config(link);
    let stack = NetStack::start(&config).map_err(ServeError::Start)?;
    eprintln!("zcstack: ready on {}", describe(&stack, &config, link));
    Ok(stack)
}

/// Connects, retrying while the source address is not usable yet (an IPv6 address is
/// tentative until duplicate address detection ends, about a second after start).
fn connect(stack: &NetStack, peer: SocketAddr, timeout: Duration) -> Result<TcpStream, ServeError> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match TcpStream::connect_timeout(stack, peer, left.max(Duration::from_millis(1))) {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == io::ErrorKind::AddrNotAvailable && !left.is_zero() => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => {
                let why = match e.kind() {
                    io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                    io::ErrorKind::TimedOut => format!("timed out after {} s", timeout.as_secs()),
                    _ => e.to_string(),
                };
                return Err(ServeError::Client(format!(
                    "cannot connect to {peer}: {why}"
                )));
            }
        }
    }
}

/// Lets the stack finish the connection's closing handshake before the process exits
/// (exiting at once would leave the peer without our FIN). Bounded: at most `limit`.
fn finish(stream: &TcpStream, limit: Duration) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        match stream.state() {
            Ok(TcpState::Closed | TcpState::TimeWait) | Err(_) => return,
            Ok(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Runs `zcstack fetch`.
///
/// # Errors
/// The stack could not start; connecting failed; the response was malformed or cut
/// short; the status was not 2xx (the body is still written); the output failed.
pub fn fetch(args: &FetchArgs) -> Result<(), ServeError> {
    let stack = start(&args.link)?;
    let started = Instant::now();
    let mut stream = connect(
        &stack,
        args.url.addr,
        Duration::from_secs(args.connect_timeout),
    )?;
    let mut http = ClientConnection::get(&args.url);
    let io_err = |what: &str, e: io::Error| ServeError::Client(format!("{what}: {e}"));
    stream
        .write_all(http.pending_request())
        .map_err(|e| io_err("sending the request", e))?;
    http.consume_request(http.pending_request().len());
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            ServeError::Client(format!("cannot create {}: {e}", path.display()))
        })?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut write_error = None;
    while !http.is_done() {
        let n = stream
            .read(&mut buf)
            .map_err(|e| io_err("receiving the response", e))?;
        let result = if n == 0 {
            http.receive_eof()
        } else {
            http.receive(&buf[..n], |body| {
                if write_error.is_none() {
                    write_error = out.write_all(body).err();
                }
            })
        };
        result.map_err(|e| ServeError::Client(e.to_string()))?;
        if let Some(e) = write_error.take() {
            return Err(io_err("writing the body", e));
        }
    }
    out.flush().map_err(|e| io_err("writing the body", e))?;
    let _ = stream.shutdown(std::net::Shutdown::Both);
    finish(&stream, Duration::from_secs(1));
    let secs = started.elapsed().as_secs_f64();
    let bytes = http.body_received();
    let status = http.status().unwrap_or(0);
    eprintln!(
        "zcstack: HTTP {status} {}, {bytes} bytes in {secs:.3} s ({:.1} Mbit/s)",
        http.reason(),
        bytes as f64 * 8.0 / secs.max(1e-9) / 1e6
    );
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(ServeError::Client(format!(
            "the server answered {status} {}",
            http.reason()
        )))
    }
}

/// Runs `zcstack send`.
///
/// # Errors
/// The stack could not start; connecting failed; the connection was reset; standard
/// input or output failed.
pub fn send(args: &SendArgs) -> Result<(), ServeError> {
    let stack = start(&args.link)?;
    let stream = connect(&stack, args.peer, Duration::from_secs(args.connect_timeout))?;
    let started = Instant::now();
    // Both directions at once: a peer that answers as it reads (an echo) would otherwise
    // stop reading once its replies filled our receive window.
    let (sent, received) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| -> io::Result<u64> {
            let mut to_peer = &stream;
            let sent = io::copy(&mut io::stdin().lock(), &mut to_peer)?;
            stream.shutdown(std::net::Shutdown::Write)?;
            Ok(sent)
        });
        let mut from_peer = &stream;
        let mut stdout = io::stdout().lock();
        let received = io::copy(&mut from_peer, &mut stdout).and_then(|n| {
            stdout.flush()?;
            Ok(n)
        });
        let sent = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("sender thread panicked")));
        (sent, received)
    });
    let sent = sent.map_err(|e| ServeError::Client(format!("sending to {}: {e}", args.peer)))?;
    let received =
        received.map_err(|e| ServeError::Client(format!("receiving from {}: {e}", args.peer)))?;
    finish(&stream, Duration::from_secs(1));
    eprintln!(
        "zcstack: sent {sent} bytes, received {received} bytes in {:.3} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
