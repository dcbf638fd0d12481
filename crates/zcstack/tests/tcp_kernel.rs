//! zcstack's TCP against the Linux kernel (issue 12's kernel-interop list), over a TAP whose
//! kernel end sits in a namespace the test makes and deletes.
//!
//! The kernel end has 10.99.0.1/24 and fd99::1/64; zcstack has 10.99.0.2/24 and fd99::2/64.
//! The kernel's own tools are the peers: curl downloads from and uploads to
//! `zcstack serve --http` (bodies checked with `sha256sum`), socat and Python's http.server
//! serve `zcstack send` and `zcstack fetch` (the stack as the active opener), a Python
//! program holds 1,000 connections at once, and `nstat` shows the kernel's retransmissions
//! under `--drop`. Sizes are CI sizes (10 MB, a few seconds each); the 100 MB runs are by
//! hand. Runs with `ZC_KERNEL_TESTS=1` (scripts/test.sh sets it as root); needs root,
//! /dev/net/tun, curl, socat, sha256sum, nstat, ss, python3.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{serve, spawn, suite_skip_reason, Guarded, Netns};

const TOOLS: &[&str] = &["curl", "socat", "sha256sum", "nstat", "ss", "python3"];
const MB: usize = 1_000_000;

/// A namespace with a TAP and zcstack serving TCP echo on 7 and HTTP on 80 (fields drop in
/// order: the stack stops before the namespace goes).
struct Bench {
    stack: Guarded,
    ns: Netns,
}

impl Bench {
    fn new(test: &str, extra: &[&str]) -> Option<Bench> {
        let ns = tap_namespace(test)?;
        let mut args = vec![
            "--tap",
            "zctap0",
            "--mac",
            "02:00:00:00:00:02",
            "--addr",
            "10.99.0.2/24",
            "--addr",
            "fd99::2/64",
            "--tcp-echo",
            "7",
            "--http",
            "80",
        ];
        args.extend_from_slice(extra);
        let stack = serve(&ns, &args);
        Some(Bench { stack, ns })
    }
}

/// A namespace with the TAP `zctap0` (kernel end 10.99.0.1/24, fd99::1/64), or `None`
/// (with the reason printed) when the suite does not run here.
fn tap_namespace(test: &str) -> Option<Netns> {
    if suite_skip_reason(TOOLS).is_some() {
        return None;
    }
    let ns = Netns::new(test)?;
    ns.add_tuntap("zctap0", "tap", &["10.99.0.1/24", "fd99::1/64"]);
    Some(ns)
}

/// Writes `len` bytes of the `/bytes/N` pattern to `path`.
fn write_pattern(path: &Path, len: usize) {
    let mut buf = vec![0u8; len];
    zcstack::http::fill_pattern(0, &mut buf);
    std::fs::write(path, buf).expect("write the pattern file");
}

/// `sha256sum FILE` (the kernel side's own tool, not our SHA-256).
fn sha256sum(path: &Path) -> String {
    let out = common::run(Command::new("sha256sum").arg(path));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Runs curl in the namespace; returns its `-w` output, failing on a non-zero exit.
fn curl(ns: &Netns, args: &[&str]) -> String {
    let mut all = vec!["curl", "-sS", "--max-time", "60"];
    all.extend_from_slice(args);
    let out = ns.try_exec(&all);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "curl {args:?} failed ({}): {text}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The kernel's count of retransmitted segments in the namespace.
fn kernel_retransmissions(ns: &Netns) -> u64 {
    let out = ns.exec(&["nstat", "-az", "TcpRetransSegs"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("TcpRetransSegs"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Downloads `len` bytes of /bytes/N from `host` with curl; checks status, size and the
/// SHA-256 of the body against the pattern's. Returns Mbit/s.
fn download_and_check(ns: &Netns, host: &str, len: usize) -> f64 {
    let expected = ns.path("expected.bin");
    if std::fs::metadata(&expected).map(|m| m.len()).ok() != Some(len as u64) {
        write_pattern(&expected, len);
    }
    let got = ns.path("download.bin");
    let url = format!("http://{host}/bytes/{len}");
    let w = curl(
        ns,
        &[
            "-o",
            got.to_str().unwrap(),
            "-w",
            "%{http_code} %{size_download} %{time_total}",
            &url,
        ],
    );
    let fields: Vec<&str> = w.split_whitespace().collect();
    assert_eq!(fields.first(), Some(&"200"), "{url}: {w}");
    assert_eq!(fields.get(1), Some(&len.to_string().as_str()), "{url}: {w}");
    assert_eq!(sha256sum(&got), sha256sum(&expected), "{url}: body differs");
    let secs: f64 = fields.get(2).and_then(|t| t.parse().ok()).unwrap_or(1.0);
    let mbit = len as f64 * 8.0 / secs / 1e6;
    eprintln!("download {len} bytes from {host}: {secs:.3} s, {mbit:.1} Mbit/s");
    mbit
}

/// Uploads `len` pattern bytes to /sink; checks the server's count and SHA-256 against
/// `sha256sum` of the file. `chunked` sends Transfer-Encoding: chunked.
fn upload_and_check(ns: &Netns, host: &str, len: usize, chunked: bool) -> f64 {
    let file = ns.path("upload.bin");
    write_pattern(&file, len);
    let data = format!("@{}", file.to_str().unwrap());
    let url = format!("http://{host}/sink");
    let mut args = vec!["--data-binary", &data, "-w", "\n%{time_total}"];
    if chunked {
        args.extend_from_slice(&["-H", "Transfer-Encoding: chunked"]);
    }
    args.push(&url);
    let out = curl(ns, &args);
    let (answer, time) = out.rsplit_once('\n').unwrap_or((&out, "1"));
    assert_eq!(
        answer,
        format!("received {len} bytes, sha256 {}\n", sha256sum(&file)),
        "{url} chunked={chunked}"
    );
    let secs: f64 = time.trim().parse().unwrap_or(1.0);
    let mbit = len as f64 * 8.0 / secs / 1e6;
    eprintln!("upload {len} bytes to {host} (chunked {chunked}): {secs:.3} s, {mbit:.1} Mbit/s");
    mbit
}

#[test]
fn curl_downloads_10_mb_over_ipv4_and_ipv6_intact() {
    let Some(bench) = Bench::new("tcpdl", &[]) else {
        return;
    };
    download_and_check(&bench.ns, "10.99.0.2", 10 * MB);
    download_and_check(&bench.ns, "[fd99::2]", 10 * MB);
}

#[test]
fn curl_uploads_10_mb_over_ipv4_and_ipv6_intact() {
    let Some(bench) = Bench::new("tcpul", &[]) else {
        return;
    };
    upload_and_check(&bench.ns, "10.99.0.2", 10 * MB, false);
    upload_and_check(&bench.ns, "[fd99::2]", 10 * MB, true);
}

/// curl's keep-alive: three requests on one connection (curl says "Re-using").
#[test]
fn curl_reuses_one_connection_for_several_requests() {
    let Some(bench) = Bench::new("tcpka", &[]) else {
        return;
    };
    let out = bench.ns.try_exec(&[
        "curl",
        "-sS",
        "-v",
        "-o",
        "/dev/null",
        "-o",
        "/dev/null",
        "-o",
        "/dev/null",
        "http://10.99.0.2/",
        "http://10.99.0.2/bytes/100000",
        "http://10.99.0.2/bytes/7",
    ]);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert_eq!(log.matches("< HTTP/1.1 200 OK").count(), 3, "{log}");
    assert!(
        log.contains("Re-using existing") || log.contains("Reusing existing"),
        "{log}"
    );
}

/// The kernel half-closes (socat shuts down its write side at the end of its input):
/// the echo service sends back everything, then closes its side too.
#[test]
fn kernel_half_close_to_the_echo_gets_everything_back() {
    let Some(bench) = Bench::new("tcphc1", &[]) else {
        return;
    };
    let input: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    for target in ["TCP4:10.99.0.2:7", "TCP6:[fd99::2]:7"] {
        let mut child = bench
            .ns
            .command(&["socat", "-t", "10", "-T", "10", "-", target])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run socat");
        let mut stdin = child.stdin.take().expect("stdin");
        let feed = input.clone();
        let writer = std::thread::spawn(move || stdin.write_all(&feed));
        let out = child.wait_with_output().expect("socat output");
        writer.join().unwrap().expect("feed socat");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout.len(), input.len(), "{target}");
        assert!(out.stdout == input, "{target}: echo differs");
    }
}

/// Runs `zcstack send` (or fetch) in the namespace with the stack on the TAP, feeding
/// `input`; returns (status, stdout, stderr).
fn zcstack_client(ns: &Netns, args: &[&str], input: &[u8]) -> (bool, Vec<u8>, String) {
    let mut all = vec![
        common::zcstack(),
        args[0],
        "--tap",
        "zctap0",
        "--mac",
        "02:00:00:00:00:02",
        "--addr",
        "10.99.0.2/24",
        "--addr",
        "fd99::2/64",
    ];
    all.extend_from_slice(&args[1..]);
    let mut child = ns
        .command(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zcstack");
    let mut stdin = child.stdin.take().expect("stdin");
    let feed = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&feed);
    });
    let out = child.wait_with_output().expect("zcstack output");
    let _ = writer.join();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    eprintln!("{err}");
    (out.status.success(), out.stdout, err)
}

/// Waits until something listens on `port` in `ns` (bounded).
fn wait_listening(ns: &Netns, port: u16) {
    let needle = format!(":{port} ");
    for _ in 0..250 {
        let out = ns.try_exec(&["ss", "-Hltn"]);
        if String::from_utf8_lossy(&out.stdout).contains(&needle) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("nothing listens on port {port}");
}

/// The stack as the active opener, both directions: `zcstack send` to a kernel socat that
/// writes what it gets to a file, and from one that sends a file; then to a kernel echo,
/// where the stack's half-close (after its input) lets the echo finish and close.
#[test]
fn stack_as_client_sends_to_and_receives_from_kernel_socat() {
    let Some(ns) = tap_namespace("tcpsend") else {
        return;
    };
    let input: Vec<u8> = (0..3 * MB as u32).map(|i| (i % 253) as u8).collect();
    // Stack -> kernel.
    let sink_file = ns.path("sink.bin");
    let sink_arg = format!("CREATE:{}", sink_file.to_str().unwrap());
    let mut sink = spawn(
        ns.command(&["socat", "-u", "TCP6-LISTEN:9000,ipv6only=0", &sink_arg]),
        "socat sink",
    );
    wait_listening(&ns, 9000);
    let (ok, _, err) = zcstack_client(&ns, &["send", "10.99.0.1:9000"], &input);
    assert!(ok, "{err}");
    let _ = sink.child.wait();
    assert!(std::fs::read(&sink_file).unwrap() == input, "sink differs");
    // Kernel -> stack.
    let source_file = ns.path("source.bin");
    std::fs::write(&source_file, &input).unwrap();
    let source_arg = format!("OPEN:{}", source_file.to_str().unwrap());
    let _source = spawn(
        ns.command(&["socat", "-u", &source_arg, "TCP6-LISTEN:9001,ipv6only=0"]),
        "socat source",
    );
    wait_listening(&ns, 9001);
    let (ok, out, err) = zcstack_client(&ns, &["send", "[fd99::1]:9001"], b"");
    assert!(ok, "{err}");
    assert!(out == input, "received {} bytes, differs", out.len());
    // Both at once through a kernel echo; the stack half-closes first.
    let _echo = spawn(
        ns.command(&["socat", "TCP6-LISTEN:9002,ipv6only=0", "EXEC:cat"]),
        "socat echo",
    );
    wait_listening(&ns, 9002);
    let (ok, out, err) = zcstack_client(&ns, &["send", "10.99.0.1:9002"], &input);
    assert!(ok, "{err}");
    assert!(out == input, "echo of {} bytes differs", out.len());
}

#[test]
fn stack_as_client_fetches_from_a_kernel_http_server() {
    let Some(ns) = tap_namespace("tcpfetch") else {
        return;
    };
    let dir = ns.path("www");
    std::fs::create_dir_all(&dir).unwrap();
    write_pattern(&dir.join("file.bin"), 10 * MB);
    let _server = spawn(
        ns.command(&[
            "python3",
            "-m",
            "http.server",
            "8000",
            "--bind",
            "::",
            "--directory",
            dir.to_str().unwrap(),
        ]),
        "python http.server",
    );
    wait_listening(&ns, 8000);
    for url in [
        "http://10.99.0.1:8000/file.bin",
        "http://[fd99::1]:8000/file.bin",
    ] {
        let out_file = ns.path("fetched.bin");
        let _ = std::fs::remove_file(&out_file);
        let (ok, _, err) =
            zcstack_client(&ns, &["fetch", url, "-o", out_file.to_str().unwrap()], b"");
        assert!(ok, "{url}: {err}");
        assert!(err.contains("HTTP 200"), "{err}");
        assert_eq!(
            sha256sum(&out_file),
            sha256sum(&dir.join("file.bin")),
            "{url}"
        );
    }
    // A 404 is an error that says so; a closed port is "connection refused".
    let (ok, _, err) = zcstack_client(&ns, &["fetch", "http://10.99.0.1:8000/none"], b"");
    assert!(!ok && err.contains("404"), "{err}");
    let (ok, _, err) = zcstack_client(&ns, &["fetch", "http://10.99.0.1:8001/"], b"");
    assert!(!ok && err.contains("connection refused"), "{err}");
    // Nobody has 10.99.0.77: no SYN can leave, the connect timeout says so.
    let started = Instant::now();
    let (ok, _, err) = zcstack_client(
        &ns,
        &["fetch", "--connect-timeout", "1", "http://10.99.0.77/"],
        b"",
    );
    assert!(
        !ok && err.contains("cannot connect to 10.99.0.77:80"),
        "{err}"
    );
    assert!(
        err.contains("timed out") || err.contains("unreachable"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
}

/// 1,000 connections held open at once, each then asking for 1,000 bytes.
#[test]
fn a_thousand_concurrent_connections_are_all_served() {
    let Some(bench) = Bench::new("tcpmany", &[]) else {
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/tcp_many.py");
    let started = Instant::now();
    let out = bench
        .ns
        .try_exec(&["python3", script, "10.99.0.2", "80", "1000", "1000"]);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report} ({:.2} s)", started.elapsed().as_secs_f64());
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("1000 of 1000 answered correctly"),
        "{report}"
    );
}

/// `--drop 0.02 --reorder 0.05`: the kernel retransmits what the stack's side dropped, the
/// stack retransmits what it lost, and the transfers are still byte-exact.
#[test]
fn transfers_survive_dropped_and_reordered_frames() {
    let faults = ["--drop", "0.02", "--reorder", "0.05", "--seed", "11"];
    let Some(bench) = Bench::new("tcpfault", &faults) else {
        return;
    };
    let before = kernel_retransmissions(&bench.ns);
    download_and_check(&bench.ns, "10.99.0.2", 2 * MB);
    upload_and_check(&bench.ns, "[fd99::2]", 2 * MB, false);
    let retransmitted = kernel_retransmissions(&bench.ns) - before;
    eprintln!("kernel retransmissions: {retransmitted}");
    assert!(
        retransmitted > 0,
        "the drops should have cost the kernel retransmissions"
    );
}

/// SIGTERM: zcstack resets its connections before it exits, so curl fails at once with
/// "Connection reset" and the kernel holds no socket to the stack afterwards.
#[test]
fn sigterm_resets_connections_and_leaves_no_kernel_socket() {
    let Some(mut bench) = Bench::new("tcpkill", &[]) else {
        return;
    };
    let mut download = bench
        .ns
        .command(&[
            "curl",
            "-sS",
            "--max-time",
            "30",
            "-o",
            "/dev/null",
            "http://10.99.0.2/bytes/100000000000",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start curl");
    // Kill only once the download is under way (an established connection to us).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = bench
            .ns
            .exec(&["ss", "-Htn", "state", "established", "dst", "10.99.0.2"]);
        if !String::from_utf8_lossy(&out.stdout).trim().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "curl never connected");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let pid = bench.stack.child.id().to_string();
    common::run(Command::new("kill").args(["-TERM", &pid]));
    let killed = Instant::now();
    let status = bench.stack.child.wait().expect("zcstack exits");
    assert_eq!(status.code(), Some(143), "exit status 128 + SIGTERM");
    let mut err = String::new();
    let curl_status = loop {
        if let Some(status) = download.try_wait().unwrap() {
            break status;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(5),
            "curl still running 5 s after zcstack was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(mut e) = download.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    assert_eq!(curl_status.code(), Some(56), "{err}");
    assert!(err.contains("reset"), "{err}");
    let sockets = bench.ns.exec(&["ss", "-Htn", "dst", "10.99.0.2"]);
    assert!(
        String::from_utf8_lossy(&sockets.stdout).trim().is_empty(),
        "kernel sockets left: {}",
        String::from_utf8_lossy(&sockets.stdout)
    );
}

/// The same services over a TUN (bare IP: no Ethernet, no ARP/NDP): a download and an
/// upload over IPv4 and IPv6.
#[test]
fn tcp_over_a_tun_downloads_and_uploads_intact() {
    if suite_skip_reason(TOOLS).is_some() {
        return;
    }
    let Some(ns) = Netns::new("tcptun") else {
        return;
    };
    ns.add_tuntap("zctun0", "tun", &["10.99.0.1/24", "fd99::1/64"]);
    let _stack = serve(
        &ns,
        &[
            "--tap",
            "zctun0",
            "--tun",
            "--addr",
            "10.99.0.2/24",
            "--addr",
            "fd99::2/64",
            "--http",
            "80",
        ],
    );
    download_and_check(&ns, "10.99.0.2", 2 * MB);
    upload_and_check(&ns, "[fd99::2]", 2 * MB, false);
}
