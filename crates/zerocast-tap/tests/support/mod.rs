//! What the kernel tests of this crate share: the `ZC_KERNEL_TESTS=1` gate, running `ip`,
//! and a namespace holding the kernel end of the interface (deleted, with the processes
//! started in it, on drop). Each test file includes it with `mod support;`.

#![allow(dead_code)] // each test file uses part of it

use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Whether `tool` is on the PATH.
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// True (with a message) unless `ZC_KERNEL_TESTS=1`; with it set, panics when the test
/// cannot run here (not root, no /dev/net/tun, one of `tools` missing): a gated test that
/// silently skipped would pass for the wrong reason.
pub fn skip(tools: &[&str]) -> bool {
    if std::env::var("ZC_KERNEL_TESTS").as_deref() != Ok("1") {
        eprintln!("skipping kernel test: set ZC_KERNEL_TESTS=1 to run (scripts/test.sh does)");
        return true;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next())
        == Some("0");
    let reason = if !root {
        Some("not root".to_owned())
    } else if !std::path::Path::new("/dev/net/tun").exists() {
        Some("no /dev/net/tun".to_owned())
    } else {
        tools
            .iter()
            .find(|t| !have(t))
            .map(|t| format!("{t} not installed"))
    };
    if let Some(reason) = reason {
        panic!("kernel test cannot run (ZC_KERNEL_TESTS=1): {reason}");
    }
    false
}

/// Runs `cmd`, panicking with its stderr when it fails.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run a command");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A network namespace (deleted on drop) and the processes started in it (killed first).
pub struct Namespace {
    pub name: String,
    pub children: Vec<Child>,
}

impl Namespace {
    /// Creates the namespace `name`.
    pub fn new(name: String) -> Namespace {
        run(Command::new("ip").args(["netns", "add", &name]));
        Namespace {
            name,
            children: Vec::new(),
        }
    }

    /// `args` run inside the namespace.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.name]).args(args);
        cmd
    }

    /// Starts a process in the namespace (stdin, stdout, stderr null).
    pub fn spawn(&mut self, args: &[&str]) {
        let child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a process in the namespace");
        self.children.push(child);
    }

    /// Moves interface `ifname` here and gives it `addrs` (`ip addr add` arguments, e.g.
    /// `10.95.0.1/24`; IPv6 ones without DAD), then brings it and `lo` up.
    pub fn take_interface(&self, ifname: &str, addrs: &[&str]) {
        run(Command::new("ip").args(["link", "set", ifname, "netns", &self.name]));
        for addr in addrs {
            let mut args = vec!["ip", "addr", "add", addr, "dev", ifname];
            if addr.contains(':') {
                args.push("nodad");
            }
            run(&mut self.command(&args));
        }
        run(&mut self.command(&["ip", "link", "set", ifname, "up"]));
        run(&mut self.command(&["ip", "link", "set", "lo", "up"]));
    }

    /// Waits until something in the namespace listens on TCP `port` (bounded: 5 s).
    pub fn wait_listening(&self, port: u16) {
        let needle = format!(":{port} ");
        for _ in 0..250 {
            let out = run(&mut self.command(&["ss", "-Hltn"]));
            if String::from_utf8_lossy(&out.stdout).contains(&needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("nothing listens on port {port}");
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}
