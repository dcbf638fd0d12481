//! `zcstack` refuses bad input with a message and a non-zero status: bad address syntax
//! and bad client targets (URL, HOST:PORT) need nothing; an interface in use, a wrong interface kind
//! and a port given twice need root and /dev/net/tun (skipped otherwise).

mod common;

use std::process::Command;

use common::{serve, skip_reason, Netns};

fn zcstack_output(args: &[&str]) -> (i32, String) {
    let out = Command::new(common::zcstack())
        .args(args)
        .output()
        .expect("run zcstack");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_address_syntax_is_a_usage_error_naming_the_value() {
    let (status, err) = zcstack_output(&["serve", "--tap", "zc0", "--addr", "10.99.0.2"]);
    assert_eq!(status, 2, "{err}");
    assert!(
        err.contains("10.99.0.2") && err.contains("prefix length"),
        "{err}"
    );
    let (status, err) = zcstack_output(&["serve", "--tap", "zc0", "--addr", "fd99::zz/64"]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("not an IPv4 or IPv6 address"), "{err}");
    let (status, err) = zcstack_output(&[
        "serve",
        "--tap",
        "zc0",
        "--addr",
        "10.0.0.2/24",
        "--mac",
        "01:00:5e:00:00:01",
    ]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("multicast"), "{err}");
}

#[test]
fn client_modes_refuse_bad_targets_as_usage_errors() {
    let link = ["--tap", "zc0", "--addr", "10.0.0.2/24"];
    let cases: &[(&[&str], &str)] = &[
        (&["fetch", "https://10.0.0.1/"], "only http:// URLs"),
        (&["fetch", "http://example.com/"], "no DNS resolver"),
        (&["fetch", "http://10.0.0.1:0/"], "malformed host or port"),
        (&["send", "10.0.0.1"], "invalid socket address"),
    ];
    for (args, message) in cases {
        let mut argv = vec![args[0]];
        argv.extend_from_slice(&link);
        argv.extend_from_slice(&args[1..]);
        let (status, err) = zcstack_output(&argv);
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn an_interface_in_use_is_refused() {
    if skip_reason(&[]).is_some() {
        return;
    }
    let Some(ns) = Netns::new("inuse") else {
        return;
    };
    ns.add_tuntap("zctap0", "tap", &[]);
    let _first = serve(&ns, &["--tap", "zctap0", "--addr", "10.99.0.2/24"]);
    let out = ns.try_exec(&[
        common::zcstack(),
        "serve",
        "--tap",
        "zctap0",
        "--addr",
        "10.99.0.3/24",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("zctap0") && err.contains("in use"), "{err}");
}

#[test]
fn a_tap_opened_as_tun_is_refused() {
    if skip_reason(&[]).is_some() {
        return;
    }
    let Some(ns) = Netns::new("wrongkind") else {
        return;
    };
    ns.add_tuntap("zctap0", "tap", &[]);
    let out = ns.try_exec(&[
        common::zcstack(),
        "serve",
        "--tap",
        "zctap0",
        "--tun",
        "--addr",
        "10.99.0.2/24",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not a tun device"), "{err}");
}

#[test]
fn a_port_given_twice_is_in_use() {
    if skip_reason(&[]).is_some() {
        return;
    }
    let Some(ns) = Netns::new("portinuse") else {
        return;
    };
    ns.add_tuntap("zctap0", "tap", &[]);
    let out = ns.try_exec(&[
        common::zcstack(),
        "serve",
        "--tap",
        "zctap0",
        "--addr",
        "10.99.0.2/24",
        "--udp-echo",
        "7",
        "--udp-echo",
        "7",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("UDP port 7 is in use"), "{err}");
}

#[test]
fn a_missing_interface_is_created_and_removed_with_the_process() {
    if skip_reason(&[]).is_some() {
        return;
    }
    let Some(ns) = Netns::new("create") else {
        return;
    };
    let mut stack = serve(&ns, &["--tap", "zcnew0", "--addr", "10.99.0.2/24"]);
    let shown = ns.exec(&["ip", "-d", "link", "show", "zcnew0"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("tun type tap"));
    // zcstack configured no address on the kernel side.
    let addrs = ns.exec(&["ip", "-o", "addr", "show", "dev", "zcnew0"]);
    assert!(!String::from_utf8_lossy(&addrs.stdout).contains("inet "));
    stack.stop();
    let gone = ns.try_exec(&["ip", "link", "show", "zcnew0"]);
    assert!(
        !gone.status.success(),
        "a non-persistent TAP goes with its owner"
    );
}
