#!/usr/bin/env python3
"""Run the tests of published zerocopy 0.8 users, renamed to zerocast, against zerocopy's.

Issue 2 asks that code written against zerocopy 0.8 compile and behave the same once the crate
name is replaced by `zerocast`. This harness checks it on code that real users wrote: for each
crate pinned in Cargo.toml (fetched at the versions Cargo.lock records), it copies the published
source from the cargo registry into two scratch workspaces under the target directory (never into
the repository):

- `zerocopy/`: the source as published (the oracle: tests that fail there are not held against us);
- `zerocast/`: the same source with every `zerocopy` renamed to `zerocast` (so `zerocopy_derive`
  and `zerocopy-derive` become `zerocast_derive` and `zerocast-derive`) in Cargo.toml, in the
  source text and in file names; dependencies on zerocopy or zerocopy-derive get a path to this
  repository's crate and keep the crate's own features.

Crates of the set that depend on each other (igvm on igvm_defs, packet-formats on net-types and
fuchxia-packet, virtio-drivers on safe-mmio, everything that uses rand on ppv-lite86) are wired to
the copies in the same workspace with `[patch.crates-io]`, as a user migrating a whole dependency
chain would do. Every test target of each crate (lib, integration tests, doc tests) runs in both
workspaces and the outcomes are compared test by test.

Comparing outcomes alone could pass vacuously (a toolchain change that broke every zerocopy
build would leave nothing to compare), so expected-tests.txt records how many tests pass, fail
and are ignored on each side for each crate, and which test targets build on neither side: a
zerocopy target that does not build, or a count that differs, fails the run.

Usage: run.py [--only NAME] [--skip NAME]... [--json FILE] [--known FILE] [--expected FILE]
              [--clean]
Exit status: 0 when every difference from zerocopy is one listed in known-differences.txt and
every listed one still happens, and every crate ran the tests expected-tests.txt records; 1
otherwise. When the sources cannot be fetched the run is
skipped (exit 0) unless ZC_REQUIRE_ORACLES=1, which makes it fail.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# (package name, version, features enabled for its tests). Order: dependencies first.
CRATES = [
    ("safe-mmio", "0.3.2", []),
    ("virtio-drivers", "0.13.0", []),
    ("igvm_defs", "0.5.0", []),
    ("igvm", "0.5.0", []),
    ("half", "2.7.1", ["zerocopy"]),
    ("net-types", "0.1.0", []),
    ("fuchxia-packet", "0.1.0", []),
    ("packet-formats", "0.1.0", []),
    ("ppv-lite86", "0.2.21", []),
    ("ahash", "0.8.12", []),
    ("glam", "0.34.3", ["zerocopy-08"]),
]

# Tests skipped in both runs because they are flaky as published: a panic in a helper thread
# makes the test panic while panicking, which aborts the whole test binary (and so loses the
# outcomes of every test still running). Measured: 6 of 12 runs with zerocopy, 7 of 12 with
# zerocast, on the loaded 2-core machine.
FLAKY = {
    "virtio-drivers": ["device::console::embedded_io::tests::read_exact"],
}


# libtest's `--logfile` lines ("ok path", "failed path", "ignored path"): unlike its console
# output, they are not interleaved with what tests and their threads print.
LOG_LINE = re.compile(r"^(ok|failed|ignored) (.+)$")


def skip(message):
    # CI (ZC_REQUIRE_ORACLES=1, set by .ci/run) must not pass by skipping.
    if os.environ.get("ZC_REQUIRE_ORACLES") == "1":
        print(f"compat/real-crates: FAILED: {message} (required: ZC_REQUIRE_ORACLES=1)")
        sys.exit(1)
    print(f"compat/real-crates: SKIPPED: {message}")
    sys.exit(0)


def rename(text):
    """Replaces every `zerocopy` (hence `zerocopy_derive`, `zerocopy-derive`) by `zerocast`."""
    return text.replace("zerocopy", "zerocast"), text.count("zerocopy")


def fetch_sources():
    """`cargo fetch`es the pinned crates (offline first) and returns {name: registry dir}."""
    manifest = os.path.join(HERE, "Cargo.toml")
    for extra in (["--offline"], []):
        cmd = ["cargo", "fetch", "--locked", "--manifest-path", manifest] + extra
        if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            break
    else:
        skip("`cargo fetch` of compat/real-crates/Cargo.toml failed (no network, no registry cache?)")
    cargo_home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    sources = {}
    for name, version, _ in CRATES:
        hits = sorted(glob.glob(os.path.join(cargo_home, "registry", "src", "*", f"{name}-{version}")))
        hits = [h for h in hits if os.path.isfile(os.path.join(h, "Cargo.toml"))]
        if not hits:
            skip(f"{name}-{version} is not in {cargo_home}/registry/src after `cargo fetch`")
        sources[name] = hits[0]
    return sources


def rewrite_manifest(text):
    """Points a published (normalized) Cargo.toml's zerocopy dependencies at this repository.

    Published manifests give each dependency its own table (`[dependencies.zerocopy]`,
    `[target.'cfg(..)'.dev-dependencies.zerocopy-derive]`, ...). In those tables the registry
    `version` becomes a `path`; the crate's own feature list is kept (a crate that derives has
    asked for `derive`), and every other mention (`zerocopy/alloc`, `dep:zerocopy`, a feature
    named `zerocopy`) is renamed.
    """
    paths = {"zerocopy": os.path.join(REPO, "crates", "zerocast"),
             "zerocopy-derive": os.path.join(REPO, "crates", "zerocast-derive")}
    # Split into tables; a dependency table's package is its `package` key (glam depends on
    # `zerocopy-08 = { package = "zerocopy" }`) or else its own name.
    tables = [[]]
    for line in text.splitlines():
        if line.startswith("["):
            tables.append([])
        tables[-1].append(line)
    out = []
    for table in tables:
        header = re.match(r"^\[(?:.*\.)?(?:dev-|build-)?dependencies\.([^\]]+)\]\s*$",
                          table[0]) if table else None
        package = header.group(1).strip('"') if header else None
        for line in table:
            m = re.match(r'^package\s*=\s*"([^"]+)"', line)
            if header and m:
                package = m.group(1)
        for line in table:
            if package in paths and re.match(r"^version\s*=", line):
                line = f'path = "{paths[package]}"'
            out.append(line)
    return rename("\n".join(out) + "\n")


def copy_crate(src, dst, renamed):
    """Copies a published crate; in renamed mode renames zerocopy in file names and text.

    Files whose bytes are already right are left alone, so that cargo (which fingerprints
    path dependencies by modification time) does not rebuild unchanged crates on a warm run.
    Returns the number of renamed occurrences.
    """
    wanted, count = {}, 0
    for root, _, files in os.walk(src):
        for name in files:
            if name in ("Cargo.lock", "Cargo.toml.orig", ".cargo_vcs_info.json"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            with open(path, "rb") as f:
                data = f.read()
            if renamed:
                # File names too: glam's `mod impl_zerocopy_08;` needs `impl_zerocast_08.rs`.
                rel = rename(rel)[0]
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    text, n = rewrite_manifest(text) if rel == "Cargo.toml" else rename(text)
                    count += n
                    data = text.encode("utf-8")
            wanted[rel] = data
    for root, _, files in os.walk(dst) if os.path.isdir(dst) else ():
        for name in files:
            path = os.path.join(root, name)
            if os.path.relpath(path, dst) not in wanted:
                os.remove(path)
    for rel, data in wanted.items():
        path = os.path.join(dst, rel)
        try:
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return count


def make_workspace(base, mode, sources, crates):
    """Writes the scratch workspace for one mode ("zerocopy" or "zerocast")."""
    ws = os.path.join(base, mode)
    os.makedirs(ws, exist_ok=True)
    renamed = mode == "zerocast"
    counts, members, patches = {}, [], []
    for name, version, _ in crates:
        folder = f"{name}-{version}"
        counts[name] = copy_crate(sources[name], os.path.join(ws, folder), renamed)
        members.append(f'"{folder}"')
        patches.append(f'{name} = {{ path = "{folder}" }}')
    with open(os.path.join(ws, "Cargo.toml"), "w") as f:
        f.write("# Generated by compat/real-crates/run.py; rewritten on every run.\n"
                "[workspace]\nresolver = \"2\"\nmembers = [" + ", ".join(members) + "]\n\n"
                "[patch.crates-io]\n" + "\n".join(patches) + "\n")
    # Start from the committed lock so that dependencies resolve to the fetched versions.
    shutil.copyfile(os.path.join(HERE, "Cargo.lock"), os.path.join(ws, "Cargo.lock"))
    return ws, counts


def test_targets(ws):
    """{package: [target]} for the workspace: "lib", "doc" and "test:<name>" (integration tests)."""
    out = subprocess.run(["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
                         cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         check=True).stdout
    targets = {}
    for package in json.loads(out)["packages"]:
        names = []
        for t in package["targets"]:
            if "lib" in t["kind"] or "rlib" in t["kind"] or "proc-macro" in t["kind"]:
                names.append("lib")
                if t.get("doctest", True):
                    names.append("doc")
            elif "test" in t["kind"]:
                names.append(f"test:{t['name']}")
        targets[package["name"]] = names
    return targets


def run_target(ws, target_dir, name, version, features, target):
    """Builds and runs one test target of one crate; returns (built, {test: outcome}, errors)."""
    logfile = os.path.join(ws, f"{name}-{target.replace(':', '-')}.log")
    if os.path.exists(logfile):
        os.remove(logfile)
    selector = {"lib": ["--lib"], "doc": ["--doc"]}.get(target) or ["--test", target[5:]]
    cmd = ["cargo", "test", "--offline", "--ignore-rust-version", "-p", f"{name}@{version}",
           "--no-fail-fast"] + selector
    if features:
        cmd += ["--features", ",".join(features)]
    # libtest writes every outcome to the log file, away from what tests print.
    cmd += ["--", "--logfile", logfile]
    for flaky in FLAKY.get(name, []):
        cmd += ["--skip", flaky]
    # No incremental caches and no debug info: these builds are thrown away, and both cost
    # disk space and link time on the shared machine.
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir, RUST_BACKTRACE="0",
               CARGO_TERM_COLOR="never", CARGO_INCREMENTAL="0", CARGO_PROFILE_DEV_DEBUG="0",
               CARGO_PROFILE_TEST_DEBUG="0")
    env.pop("RUSTFLAGS", None)
    proc = subprocess.run(cmd, cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    outcomes = {}
    if os.path.exists(logfile):
        with open(logfile) as f:
            for line in f:
                m = LOG_LINE.match(line.rstrip("\n"))
                if m:
                    outcomes[m.group(2)] = m.group(1)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("error")]
    return os.path.exists(logfile), outcomes, errors[:20]


def run_crate(ws, target_dir, name, version, features, targets):
    """Runs every test target of one crate: {target: {"built", "tests", "errors"}}."""
    results = {}
    for target in targets:
        built, outcomes, errors = run_target(ws, target_dir, name, version, features, target)
        results[target] = {"built": built, "tests": outcomes, "errors": errors}
    return results


def compare(name, oracle, ours):
    """The differences of one crate: a target that no longer builds, a test that no longer passes."""
    diffs = set()
    for target, expected in oracle.items():
        got = ours.get(target, {"built": False, "tests": {}})
        if expected["built"] and not got["built"]:
            diffs.add((name, f"build {target}"))
        elif got["built"]:
            for test, outcome in expected["tests"].items():
                # Test paths are renamed too (glam's `impl_zerocopy_08::test::..`).
                if outcome == "ok" and got["tests"].get(rename(test)[0]) != "ok":
                    diffs.add((name, f"test {target}: {test}"))
    return diffs


def describe_targets(names):
    """"lib,doc,27 tests" for a crate's test targets."""
    tests = sum(1 for n in names if n.startswith("test:"))
    kinds = [n for n in names if not n.startswith("test:")]
    return ",".join(kinds + ([f"{tests} test" + ("s" if tests > 1 else "")] if tests else []))


def summary(results):
    outcomes = [o for r in results.values() for o in r["tests"].values()]
    text = (f"ok {outcomes.count('ok')} fail {outcomes.count('failed')}"
            f" ign {outcomes.count('ignored')}")
    unbuilt = [t for t, r in results.items() if not r["built"]]
    return text + (f" NOBUILD {','.join(unbuilt)}" if unbuilt else "")


def read_known(path):
    """known-differences.txt: `<crate> | build` or `<crate> | test <name>`, then `# reason`."""
    known = set()
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                crate, what = (part.strip() for part in line.split("|", 1))
                known.add((crate, what))
    return known


def tally(results):
    """(passed, failed, ignored) over every test target of one crate on one side."""
    outcomes = [o for r in results.values() for o in r["tests"].values()]
    return outcomes.count("ok"), outcomes.count("failed"), outcomes.count("ignored")


def read_expected(path):
    """expected-tests.txt: `<crate> | P/F/I | P/F/I | <targets built on neither side>`."""
    expected = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            crate, zerocopy, zerocast, unbuilt = (part.strip() for part in line.split("|"))
            counts = [tuple(int(n) for n in side.split("/")) for side in (zerocopy, zerocast)]
            expected[crate] = {"zerocopy": counts[0], "zerocast": counts[1],
                               "unbuilt": set(unbuilt.split())}
    return expected


def check_expected(name, row, expected):
    """What in one crate's run disagrees with expected-tests.txt: counts on either side, and
    zerocopy targets that did not build (the oracle must build; zerocast's are compared)."""
    if name not in expected:
        return [f"{name}: no line in expected-tests.txt"]
    want, problems = expected[name], []
    for mode in ("zerocopy", "zerocast"):
        got = tally(row[mode])
        if got != want[mode]:
            problems.append(f"{name}: {mode} passed/failed/ignored "
                            f"{'/'.join(map(str, got))}, expected "
                            f"{'/'.join(map(str, want[mode]))}")
    for target, result in row["zerocopy"].items():
        if not result["built"] and target not in want["unbuilt"]:
            problems.append(f"{name}: {target} does not build with zerocopy as published: "
                            + "; ".join(result["errors"][:3]))
        elif result["built"] and target in want["unbuilt"]:
            problems.append(f"{name}: {target} builds now; remove it from expected-tests.txt")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run only the crate of this name (and no others)")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out the crate of this name (repeatable; e.g. glam, the slowest)")
    parser.add_argument("--json", help="write per-test outcomes to this file")
    parser.add_argument("--known", default=os.path.join(HERE, "known-differences.txt"))
    parser.add_argument("--expected", default=os.path.join(HERE, "expected-tests.txt"))
    parser.add_argument("--clean", action="store_true",
                        help="delete the scratch workspaces and their target dir at the end "
                             "(about 1 GB; for CI, where the disk is shared)")
    args = parser.parse_args()
    started = time.time()

    sources = fetch_sources()
    base = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target"),
                        "compat-real-crates")
    target_dir = os.path.join(base, "target")
    workspaces = {}
    for mode in ("zerocopy", "zerocast"):
        workspaces[mode] = make_workspace(base, mode, sources, CRATES)
    known = read_known(args.known)
    expected = read_expected(args.expected)
    miscounted = []

    selected = [c for c in CRATES
                if (not args.only or c[0] == args.only) and c[0] not in args.skip]
    targets = test_targets(workspaces["zerocopy"][0])
    observed, report, unexpected = set(), {}, []
    print(f"{'crate':<15} {'version':<7} {'renames':>7}  {'targets':<14} "
          f"{'zerocopy':<25} {'zerocast':<25} verdict")
    for name, version, features in selected:
        crate_started = time.time()
        row = {}
        for mode, (ws, _) in workspaces.items():
            feats = [rename(f)[0] for f in features] if mode == "zerocast" else features
            row[mode] = run_crate(ws, target_dir, name, version, feats, targets[name])
        oracle, ours = row["zerocopy"], row["zerocast"]
        diffs = compare(name, oracle, ours)
        observed |= diffs
        problems = check_expected(name, row, expected)
        miscounted += problems
        new = sorted(d for d in diffs if d not in known)
        gone = sorted(k for k in known if k[0] == name and k not in diffs)
        unexpected += [("new", d) for d in new] + [("fixed", k) for k in gone]
        verdict = "same" if not diffs else f"{len(diffs)} difference(s)"
        if new or gone or problems:
            verdict += " UNEXPECTED"
        elif diffs:
            verdict += " (all known)"
        print(f"{name:<15} {version:<7} {workspaces['zerocast'][1][name]:>7}  "
              f"{describe_targets(targets[name]):<14} "
              f"{summary(oracle):<25} {summary(ours):<25} {verdict}"
              f" ({time.time() - crate_started:.0f} s)", flush=True)
        for test_target, r in ours.items():
            if not r["built"] and oracle[test_target]["built"]:
                for e in r["errors"][:8]:
                    print(f"  zerocast {test_target}: {e}")
        report[name] = {"version": version, **row, "differences": sorted(map(list, diffs))}

    # The renamed crates must really have been tested against zerocast: zerocopy must not be
    # in their dependency graph at all (the lock lists every package the workspace can build).
    with open(os.path.join(workspaces["zerocast"][0], "Cargo.lock")) as f:
        leftovers = re.findall(r'^name = "(zerocopy(?:-derive)?)"$', f.read(), re.M)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
    if args.clean:
        shutil.rmtree(base, ignore_errors=True)
    if leftovers:
        print(f"compat/real-crates: FAILED: the renamed workspace still resolves {leftovers}")
        return 1
    elapsed = time.time() - started
    for problem in miscounted:
        print(f"NOT AS EXPECTED: {problem}")
    if unexpected or miscounted:
        for kind, (crate, what) in unexpected:
            if kind == "new":
                print(f"NEW DIFFERENCE: {crate} | {what}")
            else:
                print(f"LISTED BUT NOT SEEN: {crate} | {what} (remove it from {args.known})")
        print(f"compat/real-crates: FAILED ({elapsed:.0f} s)")
        return 1
    crates_same = sum(1 for r in report.values() if not r["differences"])
    passed = sum(tally(r["zerocast"])[0] for r in report.values())
    print(f"compat/real-crates: ok: {crates_same} of {len(report)} crates behave as with zerocopy,"
          f" the rest only by the {len(observed)} known difference(s); {passed} tests passed"
          f" on zerocast, as expected-tests.txt records ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
