#!/usr/bin/env python3
"""Run zerocopy 0.8.64's documentation examples against zerocast.

The examples are read at run time from the cargo registry (nothing of zerocopy is stored in this
repository): nightly rustdoc's JSON output of zerocopy gives every public item's doc comment after
macro expansion, rustdoc's doctest rules turn each Rust code block into a program, and one
generated crate, which depends on zerocast under the name `zerocopy`, builds them all as binaries.

Usage: run.py [--jobs N] [--only SUBSTRING] [--json FILE]
Exit status: 0 when the examples that do not behave as under zerocopy are exactly those listed in
known-differences.txt (or when zerocopy's source or a nightly toolchain is missing: the harness
then says so and skips), 1 otherwise.
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys

ZEROCOPY = "zerocopy-0.8.64"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FEATURES = ["alloc", "std", "derive", "simd"]
RUN_TIMEOUT_SECONDS = 20


def skip(message):
    # CI (ZC_REQUIRE_ORACLES=1, set by .ci/run) must not pass by skipping.
    if os.environ.get("ZC_REQUIRE_ORACLES") == "1":
        print(f"compat/zerocopy-docs: FAILED: {message} (required: ZC_REQUIRE_ORACLES=1)")
        sys.exit(1)
    print(f"compat/zerocopy-docs: SKIPPED: {message}")
    sys.exit(0)


def find_zerocopy_source():
    cargo_home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    hits = sorted(glob.glob(os.path.join(cargo_home, "registry", "src", "*", ZEROCOPY)))
    hits = [h for h in hits if os.path.isfile(os.path.join(h, "src", "lib.rs"))]
    if not hits:
        skip(f"{ZEROCOPY} is not in {cargo_home}/registry/src "
             "(run `cargo fetch` in benches/core-codegen to put it there)")
    return hits[0]


def work_dir():
    base = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    path = os.path.join(base, "compat-zerocopy-docs")
    os.makedirs(path, exist_ok=True)
    return path


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as f:
        f.write(text)


def rustdoc_json(zerocopy_src, work):
    """Documents zerocopy (hidden items included, so that they can be counted) as JSON."""
    crate = os.path.join(work, "extract")
    features = ", ".join(f'"{f}"' for f in FEATURES)
    write_if_changed(os.path.join(crate, "Cargo.toml"), f"""[package]
name = "zerocopy-docs-extract"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
zerocopy = {{ path = "{zerocopy_src}", features = [{features}] }}
""")
    write_if_changed(os.path.join(crate, "src", "lib.rs"), "")
    cmd = ["cargo", "+nightly", "rustdoc", "-q", "-p", "zerocopy", "--",
           "-Zunstable-options", "--output-format", "json", "--document-hidden-items"]
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(crate, "target"))
    for extra in (["--offline"], []):
        full = cmd[:3] + extra + cmd[3:]
        if subprocess.run(full, cwd=crate, env=env).returncode == 0:
            break
    else:
        skip("`cargo +nightly rustdoc` could not document zerocopy (is a nightly toolchain installed?)")
    with open(os.path.join(crate, "target", "doc", "zerocopy.json")) as f:
        return json.load(f)


def documented_items(doc):
    """Yields (path, hidden, docs) for every documented item of zerocopy in the JSON.

    rustdoc's JSON holds exactly the public items (hidden ones too, as requested); an item is
    internal if it or any item containing it is `#[doc(hidden)]`.
    """
    index = doc["index"]
    parents = {}
    for item_id, item in index.items():
        inner = next(iter(item["inner"].values()))
        if not isinstance(inner, dict):
            continue
        for child in list(inner.get("items") or []) + list(inner.get("impls") or []):
            parents.setdefault(str(child), item_id)

    def own_hidden(item):
        return any("doc(hidden)" in str(a) for a in item.get("attrs", []))

    def describe(item_id, depth=0):
        item = index[item_id]
        hidden = own_hidden(item)
        summary = doc["paths"].get(item_id)
        if summary:
            path = "::".join(summary["path"])
        else:
            kind = next(iter(item["inner"]))
            if kind == "impl":
                target = item["inner"]["impl"].get("for") or {}
                resolved = target.get("resolved_path") if isinstance(target, dict) else None
                path = f"<impl {resolved['path'] if resolved else '?'}>"
            elif kind == "use":
                path = "zerocopy::" + item["inner"]["use"]["name"] + " (re-export)"
            else:
                path = item.get("name") or "?"
        parent = parents.get(item_id)
        if parent in index and depth < 16 and not summary:
            parent_path, parent_hidden = describe(parent, depth + 1)
            path = f"{parent_path}::{path}" if not path.startswith("zerocopy::") else path
            hidden = hidden or parent_hidden
        elif parent in index and depth < 16:
            hidden = hidden or describe(parent, depth + 1)[1]
        return path, hidden

    for item_id, item in index.items():
        if item.get("crate_id") != 0 or not item.get("docs"):
            continue
        path, hidden = describe(item_id)
        yield path.replace("::<impl ", "::<").replace("<impl ", "<"), hidden, item["docs"]


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
RUSTDOC_ATTRS = {"ignore", "should_panic", "no_run", "compile_fail", "test_harness", "rust",
                 "standalone_crate", "allow_fail"}


def code_blocks(docs):
    """Yields (info string, code) for each fenced block, as rustdoc's markdown parser sees it."""
    lines = docs.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        body = []
        i += 1
        while i < len(lines):
            close = FENCE.match(lines[i])
            if close and close.group(2)[0] == fence[0] and len(close.group(2)) >= len(fence) \
                    and not close.group(3).strip():
                break
            line = lines[i]
            strip = min(indent, len(line) - len(line.lstrip(" ")))
            body.append(line[strip:])
            i += 1
        i += 1
        yield info, "\n".join(body)


def classify(info):
    """rustdoc's reading of a code block's info string."""
    tokens = [t for t in re.split(r"[\s,]+", info.strip("{} ")) if t]
    attrs = {"rust": False, "other": False, "ignore": False, "no_run": False,
             "compile_fail": False, "should_panic": False, "codes": [], "edition": "2021"}
    for t in tokens:
        if t == "rust":
            attrs["rust"] = True
        elif t == "ignore" or t.startswith("ignore-"):
            attrs["ignore"] = True
        elif t in RUSTDOC_ATTRS:
            attrs[t] = True
        elif re.fullmatch(r"E\d{4}", t):
            attrs["codes"].append(t)
        elif re.fullmatch(r"edition\d{4}", t):
            attrs["edition"] = t[len("edition"):]
        else:
            attrs["other"] = True
    attrs["is_rust"] = attrs["rust"] or not attrs["other"]
    return attrs


def program(code, mode="alias"):
    """rustdoc's doctest wrapping: unhidden `# ` lines, crate attributes first, `fn main`.

    `mode` is how a user moves the code to zerocast: "alias" keeps the dependency names
    `zerocopy`/`zerocopy_derive` (renamed packages) and renames `#[zerocopy(..)]` attributes;
    "rename" replaces the crate names everywhere; "zerocopy" leaves the code as it is.
    """
    lines = []
    for line in code.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("##"):
            lines.append(line.replace("##", "#", 1))
        elif stripped == "#" or stripped.startswith("# "):
            lines.append(stripped[2:])
        else:
            lines.append(line)
    crate_attrs, body = [], []
    for line in lines:
        (crate_attrs if line.lstrip().startswith("#![") else body).append(line)
    text = "\n".join(body)
    renamed = 0
    head = "#![allow(unused)]\n" + "\n".join(crate_attrs) + "\n"
    if mode == "alias":
        renamed = len(re.findall(r"#\[\s*zerocopy\s*\(", text))
        text = re.sub(r"#\[(\s*)zerocopy(\s*)\(", r"#[\1zerocast\2(", text)
        # zerocast's derives name their crate `::zerocast` (as zerocopy's name `::zerocopy`): a
        # crate that keeps the dependency name `zerocopy` adds this alias once (see README).
        head += "extern crate zerocopy as zerocast;\n"
    elif mode == "rename":
        renamed = len(re.findall(r"\bzerocopy(_derive)?\b", text))
        text = re.sub(r"\bzerocopy(_derive)?\b", lambda m: "zerocast" + (m.group(1) or ""), text)
    if re.search(r"\bfn\s+main\s*\(", text):
        return head + text + "\n", renamed
    if text.rstrip().endswith("(())"):
        return (head + "fn main() { fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {\n"
                + text + "\n} _inner().unwrap() }\n"), renamed
    return head + "fn main() {\n" + text + "\n}\n", renamed


INTERNAL = re.compile(r"zerocopy::(pointer|util|doctests|layout|__)|\b__[A-Za-z]|\bzerocopy::Ptr\b")


def collect(doc, only):
    examples = []
    for path, hidden, docs in documented_items(doc):
        for n, (info, code) in enumerate(code_blocks(docs)):
            attrs = classify(info)
            ex = {"item": path, "n": n, "info": info, "attrs": attrs, "hidden_item": hidden}
            if not attrs["is_rust"]:
                ex["skip"] = f"not Rust (```{info})"
            elif attrs["ignore"]:
                ex["skip"] = "ignore"
            elif attrs["edition"] != "2021":
                ex["skip"] = f"edition {attrs['edition']}"
            if only and only not in path:
                continue
            src, renamed = program(code)
            ex["source"], ex["renamed"] = src, renamed
            ex["zerocopy_source"] = program(code, "zerocopy")[0]
            ex["renamed_source"], ex["renamed_names"] = program(code, "rename")
            ex["internal"] = hidden or bool(INTERNAL.search(src))
            examples.append(ex)
    examples.sort(key=lambda e: (e["item"], e["n"], e["source"]))
    keys = {}
    for i, ex in enumerate(examples):
        ex["name"] = f"ex{i:04}"
        # Two impl blocks can document methods of the same name: number the repeats.
        key = f"{ex['item']} block {ex['n']}"
        keys[key] = keys.get(key, 0) + 1
        ex["key"] = key if keys[key] == 1 else f"{key} ({keys[key]})"
    return examples


def generate(work, examples, zerocopy_src, mode):
    crate = os.path.join(work, {"alias": "examples", "rename": "examples-renamed",
                                "zerocopy": "examples-zerocopy"}[mode])
    # `include_value!` examples read zerocopy's test data relative to their source file.
    testdata = os.path.join(zerocopy_src, "testdata")
    if os.path.isdir(testdata):
        shutil.copytree(testdata, os.path.join(crate, "testdata"), dirs_exist_ok=True)
    features = ", ".join(f'"{f}"' for f in FEATURES)
    zerocast = os.path.join(REPO, "crates", "zerocast")
    bins = []
    for ex in examples:
        if "skip" in ex or ex["hidden_item"]:
            continue
        source = {"alias": ex["source"], "rename": ex["renamed_source"],
                  "zerocopy": ex["zerocopy_source"]}[mode]
        write_if_changed(os.path.join(crate, "src", ex["name"] + ".rs"),
                         f"// {ex['item']} (block {ex['n']}: ```{ex['info']})\n" + source)
        bins.append(f'[[bin]]\nname = "{ex["name"]}"\npath = "src/{ex["name"]}.rs"\n'
                    "test = false\nbench = false\ndoc = false\n")
    if mode == "zerocopy":
        # The harness's own check: under zerocopy itself, every example must pass.
        derive_src = zerocopy_src.replace("zerocopy-", "zerocopy-derive-")
        dependencies = (f'zerocopy = {{ path = "{zerocopy_src}", features = [{features}] }}\n'
                        f'zerocopy-derive = {{ path = "{derive_src}" }}')
    elif mode == "rename":
        dependencies = (f'zerocast = {{ path = "{zerocast}", features = [{features}] }}\n'
                        f'zerocast-derive = {{ path = "{zerocast}-derive" }}')
    else:
        dependencies = (f'zerocopy = {{ package = "zerocast", path = "{zerocast}", features = [{features}] }}\n'
                        f'zerocopy-derive = {{ package = "zerocast-derive", path = "{zerocast}-derive" }}')
    write_if_changed(os.path.join(crate, "Cargo.toml"), f"""[package]
name = "zerocopy-docs-examples"
version = "0.0.0"
edition = "2021"
publish = false
autobins = false

[workspace]

[dependencies]
{dependencies}

""" + "\n".join(bins))
    # Start from the workspace's lock file so that no new dependency versions are resolved.
    if not os.path.exists(os.path.join(crate, "Cargo.lock")):
        shutil.copyfile(os.path.join(REPO, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
    return crate


def build(crate, jobs):
    """Builds every example binary; returns {name: (executable or None, [error messages])}."""
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(crate, "target"))
    proc = subprocess.run(["cargo", "build", "--bins", "--keep-going", "-j", str(jobs),
                           "--message-format", "json"], cwd=crate, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        name = msg.get("target", {}).get("name", "")
        if not name.startswith("ex"):
            continue
        entry = results.setdefault(name, [None, []])
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            entry[0] = msg["executable"]
        elif msg.get("reason") == "compiler-message" and msg["message"]["level"] == "error":
            m = msg["message"]
            code = (m.get("code") or {}).get("code")
            entry[1].append((code, m["message"]))
    if "error: failed to load" in proc.stderr or "error: failed to parse" in proc.stderr:
        print(proc.stderr, file=sys.stderr)
        sys.exit(2)
    return results


def run_one(exe):
    try:
        p = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=RUN_TIMEOUT_SECONDS)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, "timed out"


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""


def evaluate(examples, built, jobs):
    runnable = []
    for ex in examples:
        if "skip" in ex:
            ex["outcome"] = "skipped"
            continue
        exe, errors = built.get(ex["name"], (None, []))
        attrs = ex["attrs"]
        if attrs["compile_fail"]:
            if exe:
                ex["outcome"] = "compile_fail compiled"
            elif attrs["codes"] and not set(attrs["codes"]) & {c for c, _ in errors}:
                ex["outcome"] = "compile_fail other error"
                ex["detail"] = f"wanted {attrs['codes']}, got " + \
                    "; ".join(f"{c}: {m}" for c, m in errors[:2])
            else:
                ex["outcome"] = "passed"
            continue
        if not exe:
            ex["outcome"] = "failed to compile"
            ex["detail"] = errors[0][1].splitlines()[0] if errors else "no error message (dependency failed?)"
            continue
        if attrs["no_run"]:
            ex["outcome"] = "passed"
            continue
        runnable.append(ex)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for ex, (code, stderr) in zip(runnable, pool.map(lambda e: run_one(built[e["name"]][0]), runnable)):
            should_panic = ex["attrs"]["should_panic"]
            if code is None:
                ex["outcome"], ex["detail"] = "wrong behaviour", "timed out"
            elif (code != 0) == should_panic:
                ex["outcome"] = "passed"
            else:
                ex["outcome"] = "wrong behaviour"
                ex["detail"] = "did not panic" if should_panic else first_line(
                    "\n".join(l for l in stderr.splitlines() if "panicked at" not in l) or stderr)


def report(examples, target):
    order = ["passed", "failed to compile", "wrong behaviour", "compile_fail compiled",
             "compile_fail other error", "skipped"]
    counts = {k: 0 for k in order}
    for ex in examples:
        # An example that uses zerocopy's internals (or documents a hidden item) keeps its
        # outcome: a failure is a failure, listed in known-differences.txt with its reason if
        # accepted. The note only helps whoever reads the report.
        if ex["outcome"] not in ("passed", "skipped") and ex["internal"]:
            ex["detail"] = "uses zerocopy internals: " + ex.get("detail", "")
        counts[ex["outcome"]] += 1
    field = "renamed_names" if target.startswith("zerocast (") else "renamed"
    renamed = sum(ex.get(field, 0) for ex in examples if "skip" not in ex)
    print(f"\nzerocopy 0.8.64 doc examples run against {target} ({len(examples)} code blocks)\n")
    print("| outcome | examples |\n|---|---:|")
    for k in order:
        print(f"| {k} | {counts[k]} |")
    print(f"| total | {len(examples)} |")
    print(f"\nmechanical renames (`#[zerocopy(..)]` attributes, or crate names with "
          f"--rename-everywhere): {renamed}")
    skips = {}
    for ex in examples:
        if "skip" in ex:
            reason = "not Rust" if ex["skip"].startswith("not Rust") else ex["skip"]
            skips[reason] = skips.get(reason, 0) + 1
    print("skipped: " + ", ".join(f"{v} {k}" for k, v in sorted(skips.items())))
    for k in order[1:-1]:
        rows = [ex for ex in examples if ex["outcome"] == k]
        if rows:
            print(f"\n## {k}")
            for ex in rows:
                print(f"- {ex['name']} {ex['key']} [{ex['info']}]: {ex.get('detail', '')}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="only items whose path contains this")
    parser.add_argument("--json", help="write every example's outcome here")
    parser.add_argument("--rename-everywhere", action="store_true",
                        help="replace `zerocopy`/`zerocopy_derive` by `zerocast`/`zerocast_derive` "
                             "in the code and depend on zerocast by its own name")
    parser.add_argument("--against-zerocopy", action="store_true",
                        help="run the examples against zerocopy itself (checks the harness: "
                             "all must pass)")
    parser.add_argument("--known", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                        "known-differences.txt"),
                        help="the accepted differences (see check_known)")
    args = parser.parse_args()
    zerocopy_src = find_zerocopy_source()
    work = work_dir()
    doc = rustdoc_json(zerocopy_src, work)
    examples = collect(doc, args.only)
    mode = "zerocopy" if args.against_zerocopy else "rename" if args.rename_everywhere else "alias"
    crate = generate(work, examples, zerocopy_src, mode)
    built = build(crate, args.jobs)
    evaluate(examples, built, args.jobs)
    counts = report(examples, {"zerocopy": "zerocopy itself", "alias": "zerocast",
                               "rename": "zerocast (crate name replaced in the code)"}[mode])
    print(f"\ngenerated crate: {crate}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{k: v for k, v in ex.items() if not k.endswith("source")} for ex in examples], f, indent=1)
    if mode == "zerocopy":
        sys.exit(0 if all(ex["outcome"] in ("passed", "skipped") for ex in examples) else 1)
    sys.exit(check_known(examples, args.known) if not args.only else 0)


def check_known(examples, known_path):
    """0 when the differences are exactly the known ones, 1 otherwise (with what changed).

    Each line of the known-differences file is `<example key> | <outcome>`, then optionally
    `# why`. Keys are item path and block number, stable across runs.
    """
    known = {}
    if os.path.exists(known_path):
        with open(known_path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    key, outcome = (part.strip() for part in line.split("|", 1))
                    known[key] = outcome
    status = 0
    for ex in examples:
        key = ex["key"]
        outcome = ex["outcome"]
        if outcome in ("passed", "skipped"):
            if key in known:
                print(f"NOW PASSES (remove from {os.path.basename(known_path)}): {key}")
                status = 1
        elif known.get(key) != outcome:
            print(f"UNEXPECTED: {key} | {outcome}: {ex.get('detail', '')}")
            status = 1
    present = {ex["key"] for ex in examples}
    for key in known:
        if key not in present:
            print(f"STALE (no such example): {key}")
            status = 1
    print("compat/zerocopy-docs: " + ("OK: only the known differences" if status == 0
                                       else "FAILED: results differ from the known differences"))
    return status


if __name__ == "__main__":
    main()
