#!/usr/bin/env python3
"""Latency of `followup lsp`: diagnostics after a keystroke.

Speaks JSON-RPC to the server over pipes (standard library only), types into a note one
character at a time (an incremental `didChange` per keystroke, 20 ms apart) and times
each keystroke until the `publishDiagnostics` for that version arrives. Two cases:

- a 2,000-line note (about 1,000 commitments) alone in its folder;
- a note of a 20,000-note workspace (`gen-notes.py --notes 20000 --customers 500 --seed 1`),
  after the background scan of the workspace has finished (its time is reported too).

Usage: bench/lsp.py --bin target/release/followup --workspace DIR [--keystrokes 200]
(bench/lsp.sh builds the binary and the corpus and runs this.) A benchmark, not a test:
it prints medians and never fails on a number.
"""

import argparse
import json
import os
import pathlib
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time


class Server:
    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.p.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.inbox.put((time.perf_counter(), json.loads(out.read(length))))

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)[1]

    def wait(self, pred, timeout=600):
        end = time.time() + timeout
        while True:
            at, m = self.inbox.get(timeout=max(0.01, end - time.time()))
            if "method" in m and "id" in m:  # a request from the server: say yes
                self.send({"id": m["id"], "result": None})
            if pred(m):
                return at, m

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait(timeout=30)


def session(binary, root, note, keystrokes):
    s = Server([binary, "lsp"])
    t0 = time.perf_counter()
    s.request("initialize", {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "capabilities": {"window": {"workDoneProgress": True}},
    })
    s.notify("initialized", {})
    at, _ = s.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")
    scan = at - t0
    uri = note.as_uri()
    text = note.read_text(encoding="utf-8")
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    is_diag = lambda v: lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and m["params"].get("version") == v
    s.wait(is_diag(1))
    # Type into the first commitment's line (or the middle of the note), then delete it
    # again: the note stays the size it is.
    lines = text.split("\n")
    target = next((i for i, l in enumerate(lines) if l.startswith(("* ", "- [ ]"))), len(lines) // 2)
    col = len(lines[target].encode("utf-16-le")) // 2
    times = []
    for k in range(keystrokes):
        version = k + 2
        if k % 2 == 0:
            change = {"range": {"start": {"line": target, "character": col}, "end": {"line": target, "character": col}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": target, "character": col}, "end": {"line": target, "character": col + 1}}, "text": ""}
        sent = time.perf_counter()
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        at, _ = s.wait(is_diag(version))
        times.append((at - sent) * 1000)
        time.sleep(0.02)
    s.stop()
    return scan, times


def long_note(path, lines=2000):
    out = ["---", "customer: Acme Corp", "date: 2026-11-16", "---", "# Big call 2026-11-16", ""]
    tags = ["@due(fri)", "due:tomorrow", "@due(2026-12-04)", "📅 2026-11-24", "", "@due(+2w)"]
    while len(out) < lines:
        n = len(out)
        if n % 2:
            out.append(f"* Follow up on item {n} with the team {tags[n % len(tags)]}")
        else:
            out.append(f"Some discussion about point {n}, with a few words of context.")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def report(name, times):
    times = sorted(times)
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"{name}: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms ({len(times)} keystrokes)")
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--workspace", required=True, type=pathlib.Path)
    ap.add_argument("--keystrokes", type=int, default=200)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        note = tmp / "big-call.md"
        long_note(note)
        _, t = session(a.bin, tmp, note, a.keystrokes)
        report("2,000-line note, alone", t)
    notes = sorted(p for p in a.workspace.rglob("*.md") if not p.name.startswith("_"))
    note = notes[len(notes) // 2]
    scan, t = session(a.bin, a.workspace.resolve(), note.resolve(), a.keystrokes)
    print(f"{len(notes):,}-note workspace: background scan {scan:.2f} s")
    report(f"a note in the {len(notes):,}-note workspace", t)


if __name__ == "__main__":
    sys.exit(main())
