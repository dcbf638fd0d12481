//! The kernel-interop harness: a network namespace per test with a TAP or TUN whose kernel
//! end lives there, `zcstack serve` running inside it, and teardown in `Drop` (the
//! namespace, and everything in it, is deleted even when an assertion fails).
//!
//! Tests skip with a message when they cannot run here: not root, no `/dev/net/tun`, no
//! `ip`, namespaces not permitted, or a tool missing (`ping`, `socat`, `tcpdump`). The
//! kernel-interop suite runs only with `ZC_KERNEL_TESTS=1`, which the scripts/test.sh step
//! sets after installing the tools (so `cargo test --workspace` does not run it a second
//! time); with it set, a missing prerequisite fails the test instead of skipping.
#![allow(dead_code)] // each test file uses part of the harness

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Whether the kernel-interop suite was asked for (a missing prerequisite is then a
/// failure rather than a skip).
fn required() -> bool {
    std::env::var("ZC_KERNEL_TESTS").as_deref() == Ok("1")
}

/// For the kernel-interop suite: `Some(reason)` when it should not run (not asked for with
/// `ZC_KERNEL_TESTS=1`, or a prerequisite missing, which panics when it was asked for).
pub fn suite_skip_reason(tools: &[&str]) -> Option<String> {
    if !required() {
        let reason = "set ZC_KERNEL_TESTS=1 to run (scripts/test.sh does, as root)".to_owned();
        eprintln!("skipping kernel test: {reason}");
        return Some(reason);
    }
    skip_reason(tools)
}

/// Returns `Some(reason)` when tests needing root, `/dev/net/tun` and `tools` cannot run;
/// prints it (or panics when the suite was asked for with `ZC_KERNEL_TESTS=1`).
pub fn skip_reason(tools: &[&str]) -> Option<String> {
    let reason = (|| {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().next());
        if uid != Some("0") {
            return Some("not root".to_owned());
        }
        if !Path::new("/dev/net/tun").exists() {
            return Some("no /dev/net/tun".to_owned());
        }
        for tool in std::iter::once(&"ip").chain(tools) {
            if !have(tool) {
                return Some(format!("{tool} not installed"));
            }
        }
        None
    })();
    if let Some(reason) = &reason {
        if required() {
            panic!("kernel test cannot run (ZC_KERNEL_TESTS=1): {reason}");
        }
        eprintln!("skipping kernel test: {reason}");
    }
    reason
}

fn have(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false)
}

/// Runs a command, panicking with its output if it fails.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A network namespace owned by one test; deleted on drop.
pub struct Netns {
    pub name: String,
    /// A scratch directory for captures, deleted on drop.
    pub dir: PathBuf,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Netns {
    /// A fresh namespace named after the test and the process, so parallel tests and
    /// parallel runs never share one. `None` (with a message) if namespaces are refused.
    pub fn new(test: &str) -> Option<Netns> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let short: String = test
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect();
        let name = format!("zcst-{short}-{}-{n}", std::process::id());
        let out = Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .ok()?;
        if !out.status.success() {
            let msg = String::from_utf8_lossy(&out.stderr).into_owned();
            if required() {
                panic!("ip netns add failed: {msg}");
            }
            eprintln!("skipping kernel test: cannot create a network namespace: {msg}");
            return None;
        }
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let ns = Netns { name, dir };
        ns.exec(&["ip", "link", "set", "lo", "up"]);
        // No DAD on the kernel side (its addresses are usable at once, the tests need not
        // sleep) and no RA processing (the test's own RAs are for the stack).
        for key in ["all", "default"] {
            ns.exec(&[
                "sysctl",
                "-qw",
                &format!("net.ipv6.conf.{key}.accept_dad=0"),
            ]);
            ns.exec(&["sysctl", "-qw", &format!("net.ipv6.conf.{key}.accept_ra=0")]);
        }
        Some(ns)
    }

    /// `ip netns exec NAME args...` as a Command.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.name]).args(args);
        cmd
    }

    /// Runs `args` in the namespace; panics on failure.
    pub fn exec(&self, args: &[&str]) -> Output {
        run(&mut self.command(args))
    }

    /// Runs `args` in the namespace and returns the output whatever the status.
    pub fn try_exec(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {args:?}: {e}"))
    }

    /// Creates a TAP (`mode` "tap") or TUN ("tun") named `dev` in the namespace, up, with
    /// the kernel-side addresses `addrs` (IPv6 ones without DAD so tests need not wait).
    pub fn add_tuntap(&self, dev: &str, mode: &str, addrs: &[&str]) {
        self.exec(&["ip", "tuntap", "add", "dev", dev, "mode", mode]);
        for addr in addrs {
            let mut args = vec!["ip", "addr", "add", addr, "dev", dev];
            if addr.contains(':') {
                args.push("nodad");
            }
            self.exec(&args);
        }
        self.exec(&["ip", "link", "set", dev, "up"]);
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        // Deleting the namespace kills nothing by itself, but every child of a test is a
        // Guarded process killed before this runs (fields drop in reverse order of
        // declaration in the tests), and the TAP/TUN goes with the namespace.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A child process killed (by its pid) on drop.
pub struct Guarded {
    pub child: Child,
    pub stderr_lines: Option<mpsc::Receiver<String>>,
    pub what: String,
}

impl Guarded {
    /// Stops the process (SIGKILL by pid) and waits for it.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Asks the process to finish (SIGINT by pid, so tcpdump writes out what it holds),
    /// waits up to 5 s, then kills it.
    pub fn interrupt(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
    }

    /// Waits until a stderr line contains `needle`, up to `timeout`; returns the lines seen.
    pub fn wait_for_stderr(&mut self, needle: &str, timeout: Duration) -> Vec<String> {
        let rx = self.stderr_lines.as_ref().expect("stderr is captured");
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    seen.push(line);
                    if hit {
                        return seen;
                    }
                }
                Err(_) => {
                    let status = self.child.try_wait().ok().flatten();
                    panic!(
                        "{}: no line with {needle:?} within {timeout:?} (exit: {status:?}); \
                         stderr so far:\n{}",
                        self.what,
                        seen.join("\n")
                    );
                }
            }
        }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Spawns `cmd` with stderr read line by line in a thread.
pub fn spawn(mut cmd: Command, what: &str) -> Guarded {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("  [{line}]");
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Guarded {
        child,
        stderr_lines: Some(rx),
        what: what.to_owned(),
    }
}

/// The zcstack binary under test.
pub fn zcstack() -> &'static str {
    env!("CARGO_BIN_EXE_zcstack")
}

/// Starts `zcstack serve args...` inside `ns` and waits for its "ready" line.
pub fn serve(ns: &Netns, args: &[&str]) -> Guarded {
    let mut cmd = ns.command(&[zcstack(), "serve"]);
    cmd.args(args);
    let mut guard = spawn(cmd, "zcstack serve");
    guard.wait_for_stderr("zcstack: ready", Duration::from_secs(10));
    guard
}

/// Starts tcpdump on `dev` in `ns` writing `file`, and waits until it listens.
pub fn tcpdump(ns: &Netns, dev: &str, file: &Path) -> Guarded {
    let file = file.to_str().expect("utf-8 path");
    // Immediate mode: frames reach the file as they arrive, not in 1-second batches.
    let cmd = ns.command(&[
        "tcpdump",
        "--immediate-mode",
        "-i",
        dev,
        "-n",
        "-U",
        "-s",
        "0",
        "-w",
        file,
    ]);
    let mut guard = spawn(cmd, "tcpdump");
    guard.wait_for_stderr("listening on", Duration::from_secs(10));
    guard
}

/// The test-owned ICMP sender (RAs, Packet Too Big, Fragmentation Needed).
pub fn send_icmp(ns: &Netns, args: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/send_icmp.py");
    let mut all = vec!["python3", script];
    all.extend_from_slice(args);
    ns.exec(&all);
}

/// Lines of `tshark -r file -Y filter -T fields -e fields...`.
pub fn tshark_fields(file: &Path, filter: &str, fields: &[&str]) -> Vec<String> {
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"])
        .arg(file)
        .args(["-Y", filter, "-T", "fields"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = run(&mut cmd);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}
