//! The default text line against `tcpdump -nS` (absolute sequence numbers) on the bundled
//! sample. tcpdump decodes TCP options, HTTP and ICMPv6 details that are not in zcdump's
//! field set; those parts are removed from its lines (options, the `: HTTP` suffix) or the
//! lines skipped (ICMPv6, IPv6 extension headers, later fragments). Everything else must
//! be identical. zcdump always shows VLAN tags (tcpdump only with `-e`), so they are removed
//! from zcdump's lines before comparing. Skipped when tcpdump is not installed.

mod common;

use std::process::Command;

use common::{sample, zcdump};

/// zcdump's line without the VLAN tag prefix (`802.1ad N, vlan N, p N, `).
fn without_tags(line: &str) -> String {
    let Some((time, mut rest)) = line.split_once(' ') else {
        return line.to_string();
    };
    // Drops "<word> <value>, " from the front of `s` when it starts with `word`.
    let drop = |s: &'static str, text: &str| -> Option<usize> {
        let after = text.strip_prefix(s)?;
        after.find(", ").map(|i| text.len() - after.len() + i + 2)
    };
    while let Some(n) = drop("802.1ad ", rest)
        .or_else(|| drop("vlan ", rest))
        .or_else(|| drop("p ", rest))
    {
        rest = &rest[n..];
    }
    format!("{time} {rest}")
}

fn strip_unmodelled(line: &str) -> String {
    let mut s = line.to_string();
    if let Some(start) = s.find(", options [") {
        if let Some(end) = s[start..].find(']') {
            s.replace_range(start..start + end + 1, "");
        }
    }
    if let Some(at) = s.find(": HTTP") {
        s.truncate(at);
    }
    s
}

#[test]
#[cfg_attr(miri, ignore)]
fn text_lines_match_tcpdump_for_what_both_decode() {
    let path = sample("kernel-mix.pcap");
    let Ok(td) = Command::new("tcpdump")
        .env("TZ", "UTC")
        .args(["-nS", "-r"])
        .arg(&path)
        .output()
    else {
        eprintln!("tcpdump not installed: text comparison skipped");
        return;
    };
    let expected = String::from_utf8_lossy(&td.stdout).into_owned();
    let got = String::from_utf8(zcdump(&["-r", path.to_str().expect("path")]).stdout)
        .expect("UTF-8 output");
    let exp: Vec<&str> = expected.lines().collect();
    let act: Vec<&str> = got.lines().collect();
    assert_eq!(exp.len(), act.len());
    let mut compared = 0;
    let mut diffs = Vec::new();
    for (e, a) in exp.iter().zip(&act) {
        if ["ICMP6", "HBH", "frag", "ip-proto", "[|", "igmp"]
            .iter()
            .any(|skip| e.contains(skip))
        {
            continue;
        }
        compared += 1;
        let e = strip_unmodelled(e);
        let a = without_tags(a);
        if e != a {
            diffs.push(format!("tcpdump: {e}\nzcdump:  {a}"));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    assert!(compared >= 300, "only {compared} lines compared");
}
