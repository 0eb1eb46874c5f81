#!/usr/bin/env python3
"""Maintainer tool: a seeded sweep of malformed inputs through the real command line.

It mutates the .dxp programs of corpus/ and findings/ (tokens deleted, duplicated or swapped,
truncation, random bytes, NULs, huge and malformed numbers, CR/LF mixes, invalid UTF-8, very
long lines, huge data literals), writes random raw fuzzer inputs, adds /dev/zero, /dev/urandom, a
FIFO and a directory, runs `explore` on every program and `repro` and `decode` on every raw input,
and checks what a user of daxfuzz is promised:

  * exit 1 only for a real finding: a program with a `bug NAME` line or the `daxfile rfc-v1`
    design (whose findings are documented); any other exit 1 is a suspected false positive;
  * exit 4 never (an internal error), except the out-of-memory banner; no stack trace otherwise;
  * every parse error (exit 2) names FILE:LINE:COLUMN; the other usage errors name the file.

Run from the repository root:  tools/sweep-inputs.py [--programs 500] [--raw 100] [--seed 1]
It prints one line per problem and a summary, and exits 1 when it found a problem. The same seed
gives the same inputs (and, daxfuzz being deterministic, the same results).
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

EDGE_NUMBERS = ["0", "1", "4095", "4096", "48K", "4243455", "4243456", "2147483647", "2147483648", "4294967296",
                "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
                "99999999999999999999999999", "0x7fffffffffffffff", "0x8000000000000000", "-1", "1024M", "1048576K",
                "0x", "0xZZ", "1e9", "1G", "08", "1MM", "K"]
HUGE_DATA = ["fill:0x41*1024M", "fill:0x41*1073741825", "fill:0x41*64M", "fill:0x100*1", "fill:0x41*", "fill:*4",
             "hex:abc", "hex:" + "00" * 70000, "u64:18446744073709551616", "u8:256", "u16:-1", "\"unterminated",
             "\"bad \\q escape\"", "\"" + "x" * 100000 + "\""]
USAGE_PHRASES = ("no such file", "is a directory", "not a regular file", "larger than", "cannot read",
                 "expected a program that fits the Java heap", "not encodable", "has no file system",
                 "observes raw device addresses", "unknown file-system design")


def mutate(rng, data):
    """One random mutation of the bytes of a program."""
    text = data
    kind = rng.randrange(14)
    tokens = [m for m in re.finditer(rb"[^\s]+", text)]
    if kind == 0 and tokens:  # delete a token
        t = rng.choice(tokens)
        return text[:t.start()] + text[t.end():]
    if kind == 1 and tokens:  # duplicate a token
        t = rng.choice(tokens)
        return text[:t.end()] + b" " + t.group() + text[t.end():]
    if kind == 2:  # truncate
        return text[:rng.randrange(len(text) + 1)]
    if kind == 3:  # random bytes
        at = rng.randrange(len(text) + 1)
        return text[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 17))) + text[at:]
    if kind == 4:  # a number replaced by an edge or a malformed one
        nums = [m for m in re.finditer(rb"\b(0x[0-9a-fA-F]+|[0-9]+[KM]?)\b", text)]
        if nums:
            t = rng.choice(nums)
            return text[:t.start()] + rng.choice(EDGE_NUMBERS).encode() + text[t.end():]
        return text + b"\nwrite f " + rng.choice(EDGE_NUMBERS).encode() + b" \"x\"\n"
    if kind == 5:  # line endings
        style = rng.choice([b"\r", b"\r\n", b"\n\r", b"\r\r\n"])
        lines = text.split(b"\n")
        return b"".join(l + (style if rng.random() < 0.5 else b"\n") for l in lines)
    if kind == 6:  # NULs
        at = rng.randrange(len(text) + 1)
        return text[:at] + b"\0" * rng.randrange(1, 4) + text[at:]
    if kind == 7:  # a very long line
        filler = rng.choice([b"# " + b"c" * 300000, b"sync " * 60000, b"mkdir /" + b"a" * 200000,
                             b"write f 0 \"" + b"y" * 300000 + b"\""])
        at = text.find(b"\n", rng.randrange(len(text) + 1))
        at = len(text) if at < 0 else at
        return text[:at] + b"\n" + filler + text[at:]
    if kind == 8:  # swap or duplicate lines
        lines = text.split(b"\n")
        if len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, lines[j])
        return b"\n".join(lines)
    if kind == 9:  # invalid UTF-8, a BOM, a lone surrogate's encoding
        junk = rng.choice([b"\xff", b"\xc0\x80", b"\xe2\x82", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
        at = rng.randrange(len(text) + 1)
        return text[:at] + junk + text[at:]
    if kind == 10:  # a data literal replaced by a huge or malformed one
        lits = [m for m in re.finditer(rb"(\"[^\"\n]*\"|hex:[0-9a-fA-F]*|fill:[^\s]*|u(8|16|32|64):[^\s]*)", text)]
        rep = rng.choice(HUGE_DATA).encode()
        if lits:
            t = rng.choice(lits)
            return text[:t.start()] + rep + text[t.end():]
        return text + b"\nstore 0 " + rep + b"\n"
    if kind == 11:  # an expectation appended to a line
        lines = text.split(b"\n")
        i = rng.randrange(len(lines))
        lines[i] += b" => " + rng.choice([b"ok", b"ENOENT", b"EBOGUS", b"SIGBUS", b"SIGSEGV", b"static", b"hex:00",
                                          b"", b"=>"])
        return b"\n".join(lines)
    if kind == 12:  # a header line added or changed
        header = rng.choice([b"device 4096", b"device 1024M", b"device 1G", b"device 60K", b"fs ext4", b"fs none",
                             b"fs journal", b"persistency tso", b"daxfile rfc-v1", b"bug no-such-bug",
                             b"sync-fault drop-lock-retry", b"journal-commit async", b"device 0"])
        return header + b"\n" + text if rng.random() < 0.5 else text + b"\n" + header + b"\n"
    # a statement with edge arguments
    stmt = rng.choice([b"write f {} \"x\"", b"read f {} {}", b"truncate f {}", b"fallocate f zero {} {}",
                       b"mmap m f {} {} shared", b"mstore m {} \"x\"", b"persist m {} {}", b"msync m {} {}",
                       b"mload m {} {}", b"store {} \"x\"", b"load {} {}", b"clwb {}"])
    while b"{}" in stmt:
        stmt = stmt.replace(b"{}", rng.choice(EDGE_NUMBERS).encode(), 1)
    # At the end half the time, where the program's descriptors and mappings are bound.
    at = rng.randrange(len(text) + 1) if rng.random() < 0.5 else len(text)
    at = text.find(b"\n", at)
    at = len(text) if at < 0 else at
    return text[:at] + b"\n" + stmt + text[at:]


def expects_findings(data):
    """Whether a program asks for a design or bug whose findings are real: a bug line or rfc-v1."""
    return re.search(rb"(?m)^[ \t]*(bug[ \t]+\S|daxfile[ \t]+rfc-v1)", data) is not None


def classify(path, args, code, out, err, data, raw):
    """A problem description, or None when the run kept every promise."""
    name = str(path)
    if code is None:
        return "TIMEOUT"
    if code == 4:
        if "daxfuzz: out of memory" in err:
            return None
        return "INTERNAL ERROR (exit 4): " + err.strip().splitlines()[2 if len(err.splitlines()) > 2 else 0][:200]
    if "\tat " in err or "Exception" in err:
        return "STACK TRACE with exit %d: %s" % (code, err.strip().splitlines()[0][:200])
    if code == 1:
        if args[0] in ("repro", "explore") and "VIOLATION" in out:
            if not raw and expects_findings(data):
                return None
            first = [l for l in out.splitlines() if l.startswith("  what:")]
            return "EXIT 1 ON THE CORRECT DESIGN (suspected false positive): " + (first[0].strip() if first else out[:200])
        return "EXIT 1 WITHOUT A VIOLATION: " + (err or out)[:200]
    if code == 2:
        first = err.strip().splitlines()[0] if err.strip() else ""
        if args[0] == "decode" or args[0] == "repro" or args[0] == "explore":
            if re.match(re.escape(name) + r":\d+:\d+: \S", first):
                return None
            if first.startswith(name + ": ") and any(p in first for p in USAGE_PHRASES):
                return None
            return "EXIT 2 WITHOUT FILE:LINE:COLUMN: " + first[:200]
    if code not in (0, 1, 2, 3):
        return "UNEXPECTED EXIT %d" % code
    return None


def run(jar, args, timeout):
    try:
        p = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar] + args,
                           capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--programs", type=int, default=500)
    ap.add_argument("--raw", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120, help="seconds per run")
    ap.add_argument("--keep", help="write the inputs here (default: a temporary directory, deleted)")
    a = ap.parse_args()
    if not os.path.exists("daxfuzz"):
        sys.exit("run from the repository root")
    subprocess.run(["./daxfuzz", "--version"], check=True, stdout=subprocess.DEVNULL)
    jar = os.path.abspath("harness/target/daxfuzz.jar")
    rng = random.Random(a.seed)
    seeds = []
    for top in ("corpus", "findings"):
        for d, _, files in sorted(os.walk(top)):
            for f in sorted(files):
                if f.endswith(".dxp"):
                    with open(os.path.join(d, f), "rb") as fh:
                        seeds.append(fh.read())
    work = a.keep or tempfile.mkdtemp(prefix="daxfuzz-sweep-")
    os.makedirs(work, exist_ok=True)
    jobs = []
    for i in range(a.programs):
        data = rng.choice(seeds)
        for _ in range(1 + rng.randrange(3)):
            data = mutate(rng, data)
        path = os.path.join(work, "p%04d.dxp" % i)
        with open(path, "wb") as fh:
            fh.write(data)
        jobs.append((path, ["explore", path], data, False))
    sizes = [0, 1, 2, 3, 5, 8, 13, 32, 64, 100, 256, 1000, 4096, 65536, 1 << 20, (1 << 20) + 1]
    for i in range(a.raw):
        n = sizes[i % len(sizes)] if i < len(sizes) else rng.choice(sizes[:14])
        data = rng.randbytes(n)
        path = os.path.join(work, "r%04d.bin" % i)
        with open(path, "wb") as fh:
            fh.write(data)
        jobs.append((path, ["repro", path], data, True))
        jobs.append((path, ["decode", path], data, True))
    fifo = os.path.join(work, "fifo.dxp")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    directory = os.path.join(work, "dir.dxp")
    os.makedirs(directory, exist_ok=True)
    for special in ("/dev/zero", "/dev/urandom", fifo, directory):
        for cmd in ("explore", "repro", "decode"):
            jobs.append((special, [cmd, special], b"", True))
    results = [None] * len(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futures = {ex.submit(run, jar, j[1], a.timeout): k for k, j in enumerate(jobs)}
        for f in concurrent.futures.as_completed(futures):
            results[futures[f]] = f.result()
    problems = 0
    counts = {}
    for (path, args, data, raw), (code, out, err) in zip(jobs, results):
        key = (args[0], "timeout" if code is None else code)
        counts[key] = counts.get(key, 0) + 1
        problem = classify(path, args, code, out, err, data, raw)
        if problem:
            problems += 1
            print("PROBLEM: daxfuzz %s: %s" % (" ".join(args), problem))
    print("sweep (seed %d): %d programs through explore, %d raw inputs through repro and decode, 12 special files"
          % (a.seed, a.programs, a.raw))
    for (cmd, code), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        print("  %-8s exit %-7s %5d" % (cmd, code, n))
    print("%d problems" % problems)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
