//! A small TCP load tool for the TAP and relay benchmarks (std only, no crates), so every
//! contender is driven by the same compiled client and the kernel anchors use the same
//! servers. The scripts build it with `rustc -O` into their scratch directory.
//!
//! Modes (all bounded in time and count; numbers go to stdout as `key=value` words):
//!
//! - `echo-server ADDR` : echoes everything, closes on EOF (32 serving threads).
//! - `sink-server ADDR` : reads and discards; prints nothing (the client measures).
//! - `bytes-server ADDR` : answers each `GET /bytes/N` with N bytes (HTTP/1.1,
//!   Content-Length, then closes), so `zcstack fetch` can download from the kernel.
//! - `rr ADDR COUNT REPLY` : one connection (TCP_NODELAY), COUNT times writes 1 byte and
//!   reads REPLY bytes; prints the round trip's p50/p99/mean in microseconds and the rate.
//!   100 unmeasured round trips first.
//! - `crr ADDR SECONDS THREADS REPLY MAX` : THREADS loops of connect, write 1 byte, read
//!   REPLY bytes, close, until SECONDS pass or MAX connections are done in all; prints
//!   connections per second and the connect-to-reply time's p50/p99.
//! - `send ADDR MBYTES` : one connection, writes MBYTES MiB, half-closes, waits for EOF;
//!   prints Mbit/s (first write to the peer's close).
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: tcp_load echo-server ADDR | sink-server ADDR | bytes-server ADDR | rr ADDR COUNT REPLY | \
         crr ADDR SECONDS THREADS REPLY MAX | send ADDR MBYTES"
    );
    std::process::exit(2)
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize) -> T {
    args.get(i)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| usage())
}

fn addr(s: &str) -> std::net::SocketAddr {
    s.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .unwrap_or_else(|| usage())
}

/// Serves connections with `handle` on 32 threads that each accept and serve one connection
/// at a time, so connection rates measure the network path, not thread creation. When
/// nearly all are busy (a peer left connections open), the connection gets a thread of its
/// own instead, so lingering connections never starve the next client.
fn serve(a: &str, handle: fn(TcpStream)) {
    static BUSY: AtomicU64 = AtomicU64::new(0);
    let listener = TcpListener::bind(addr(a)).expect("bind");
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let listener = listener.try_clone().expect("clone listener");
            std::thread::spawn(move || loop {
                match listener.accept() {
                    Ok((s, _)) => {
                        // An idle connection ends after 60 s (a peer that vanished).
                        let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
                        if BUSY.fetch_add(1, Ordering::SeqCst) >= 24 {
                            BUSY.fetch_sub(1, Ordering::SeqCst);
                            std::thread::spawn(move || handle(s));
                        } else {
                            handle(s);
                            BUSY.fetch_sub(1, Ordering::SeqCst);
                        }
                    }
                    Err(e) => eprintln!("accept: {e}"),
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}

fn echo(mut s: TcpStream) {
    let _ = s.set_nodelay(true);
    let mut buf = vec![0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if s.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

fn sink(mut s: TcpStream) {
    let mut buf = vec![0u8; 1 << 20];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            return;
        }
    }
}

/// Reads one request head and sends the `/bytes/N` body it asks for.
fn bytes(mut s: TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let n: u64 = head
        .split_whitespace()
        .nth(1)
        .and_then(|path| path.strip_prefix("/bytes/"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n");
    if s.write_all(reply.as_bytes()).is_err() {
        return;
    }
    let buf = vec![0x5au8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(buf.len() as u64) as usize;
        if s.write_all(&buf[..k]).is_err() {
            return;
        }
        left -= k as u64;
    }
    let _ = s.shutdown(Shutdown::Write);
    sink(s);
}

/// Percentile (0..=100) of sorted microsecond samples.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p / 100.0).round() as usize;
    sorted[i]
}

fn read_exact_or_eof(s: &mut TcpStream, buf: &mut [u8]) -> std::io::Result<()> {
    let mut got = 0;
    while got < buf.len() {
        match s.read(&mut buf[got..])? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    Ok(())
}

fn rr(a: &str, count: usize, reply: usize) {
    let mut s = TcpStream::connect_timeout(&addr(a), Duration::from_secs(5)).expect("connect");
    s.set_nodelay(true).expect("nodelay");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buf = vec![0u8; reply];
    let mut samples = Vec::with_capacity(count);
    let start = Instant::now();
    for i in 0..count + 100 {
        let t = Instant::now();
        s.write_all(b"x").expect("write");
        read_exact_or_eof(&mut s, &mut buf).expect("read");
        if i >= 100 {
            samples.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let total = start.elapsed().as_secs_f64();
    samples.sort_by(|x, y| x.total_cmp(y));
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    println!(
        "rr count={} p50_us={:.1} p99_us={:.1} mean_us={:.1} per_s={:.0}",
        samples.len(),
        pct(&samples, 50.0),
        pct(&samples, 99.0),
        mean,
        (count + 100) as f64 / total
    );
}

fn crr(a: &str, seconds: f64, threads: usize, reply: usize, max: u64) {
    let target = addr(a);
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (done, failed, stop, samples) =
                (done.clone(), failed.clone(), stop.clone(), samples.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let mut buf = vec![0u8; reply];
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    if done.fetch_add(1, Ordering::Relaxed) >= max {
                        stop.store(true, Ordering::Relaxed);
                        done.fetch_sub(1, Ordering::Relaxed);
                        break;
                    }
                    let t = Instant::now();
                    let ok = (|| -> std::io::Result<()> {
                        let mut s = TcpStream::connect_timeout(&target, Duration::from_secs(3))?;
                        s.set_nodelay(true)?;
                        s.set_read_timeout(Some(Duration::from_secs(3)))?;
                        s.write_all(b"x")?;
                        read_exact_or_eof(&mut s, &mut buf)?;
                        Ok(())
                    })();
                    match ok {
                        Ok(()) => mine.push(t.elapsed().as_secs_f64() * 1e6),
                        Err(_) => {
                            done.fetch_sub(1, Ordering::Relaxed);
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                samples.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let total = start.elapsed().as_secs_f64();
    let mut samples = samples.lock().unwrap().clone();
    samples.sort_by(|x, y| x.total_cmp(y));
    println!(
        "crr conns={} failed={} per_s={:.0} p50_us={:.1} p99_us={:.1}",
        samples.len(),
        failed.load(Ordering::Relaxed),
        samples.len() as f64 / total,
        pct(&samples, 50.0),
        pct(&samples, 99.0)
    );
}

fn send(a: &str, mbytes: u64) {
    let mut s = TcpStream::connect_timeout(&addr(a), Duration::from_secs(5)).expect("connect");
    let buf = vec![0x5au8; 1 << 20];
    let start = Instant::now();
    for _ in 0..mbytes {
        s.write_all(&buf).expect("write");
    }
    s.shutdown(Shutdown::Write).expect("shutdown");
    let mut rest = [0u8; 64];
    while s.read(&mut rest).map(|n| n > 0).unwrap_or(false) {}
    let secs = start.elapsed().as_secs_f64();
    println!(
        "send mbytes={mbytes} secs={secs:.3} mbit_s={:.0}",
        (mbytes << 20) as f64 * 8.0 / secs / 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("echo-server") => serve(&args.get(2).cloned().unwrap_or_else(|| usage()), echo),
        Some("sink-server") => serve(&args.get(2).cloned().unwrap_or_else(|| usage()), sink),
        Some("bytes-server") => serve(&args.get(2).cloned().unwrap_or_else(|| usage()), bytes),
        Some("rr") => rr(&arg::<String>(&args, 2), arg(&args, 3), arg(&args, 4)),
        Some("crr") => crr(
            &arg::<String>(&args, 2),
            arg(&args, 3),
            arg(&args, 4),
            arg(&args, 5),
            arg(&args, 6),
        ),
        Some("send") => send(&arg::<String>(&args, 2), arg(&args, 3)),
        _ => usage(),
    }
}
