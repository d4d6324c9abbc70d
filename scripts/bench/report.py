#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from one run of scripts/benchmark.sh.

Inputs: run.sh's results.tsv (one row per client run) and its printed tables, the nginx worker's
CPU per wss client run (tls_client.sh), nginx's per-connection TLS log, and the prose in
scripts/bench/notes-ws.md and notes-wss.md (explanations that do not depend on one run's numbers;
every number of the run itself comes from the inputs).
"""
import argparse
import collections
import csv
import datetime
import json
import os
import platform
import re
import statistics

p = argparse.ArgumentParser()
p.add_argument("--results", required=True)
p.add_argument("--tables", required=True)
p.add_argument("--out", required=True)
p.add_argument("--kind", default="full")
p.add_argument("--date", default=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
p.add_argument("--load-before", default="?")
p.add_argument("--load-after", default="?")
p.add_argument("--notes", required=True)
p.add_argument("--wss", action="store_true")
p.add_argument("--front", default="")
p.add_argument("--nginx", default="")
p.add_argument("--nginx-cpu", default="")
p.add_argument("--tls-log", default="")
p.add_argument("--wscli-build", default="", help="wscli's CMAKE_BUILD_TYPE")
p.add_argument("--keybench", default="", help="wsw_maskkey_bench's output (mask key sources, ns per key)")
p.add_argument("--logingest", default="", help="wsw_logingest_bench's JSON line (the workbench's log)")
a = p.parse_args()

HZ = os.sysconf("SC_CLK_TCK")
rows = list(csv.DictReader(open(a.results), delimiter="\t"))
names = list(dict.fromkeys(r["workload"] for r in rows))
reps = max((int(r["rep"]) for r in rows), default=0)


def find(prefix):
    return next((n for n in names if n.startswith(prefix)), None)


def good(workload, client):
    for r in rows:
        if r["workload"] != workload or r["client"] != client:
            continue
        try:
            j = json.loads(r["json"])
        except ValueError:
            continue
        if j.get("ok"):
            yield r, j


def median(xs):
    xs = list(xs)
    return statistics.median(xs) if xs else None


def value(workload, client):
    return median(j[r["metric"]] for r, j in good(workload, client)) if workload else None


def rss(workload, client):
    return median(float(r["rss_kb"]) / 1024 for r, _ in good(workload, client) if r["rss_kb"])


def client_cpu(workload, client):
    return median(float(r["cli_user"]) + float(r["cli_sys"]) for r, _ in good(workload, client) if r["cli_user"])


def server_cpu(workload, client):
    return median(float(r["srv_cpu"]) for r, _ in good(workload, client) if r["srv_cpu"])


def unit(workload):
    return "msg/s" if next(r["metric"] for r in rows if r["workload"] == workload) == "msgs_per_s" else "MiB/s"


def fnum(v):
    if v is None:
        return "-"
    for div, suf in ((1e6, "M"), (1e3, "k")):
        if v >= div:
            return f"{v / div:.3g}{suf}" if v / div < 100 else f"{v / div:.0f}{suf}"
    return f"{v:.3g}"


def workload_name(mode, size, count, typ):  # as run.sh's workload_name
    def human(s):
        if s % 1048576 == 0:
            return f"{s // 1048576} MiB"
        if s % 1024 == 0:
            return f"{s // 1024} KiB"
        return f"{s} B"

    n = f"{count // 1000}k" if count % 1000 == 0 else str(count)
    if mode == "echo":
        return f"echo {human(size)} x{n}"
    if mode == "big":
        return f"big {typ} {human(size)}"
    return f"{mode} {typ} {human(size)} x{n}"


def target_table(targets, with_cpu=False):
    cpu_head, cpu_rule = (" client CPU, wscli / reference |", "---|") if with_cpu else ("", "")
    lines = [f"| target | wscli / reference | required | met |{cpu_head}", f"|---|---|---|---|{cpu_rule}"]
    for label, prefix, ours, ref, need in targets:
        w = find(prefix)
        o, t = value(w, ours), value(w, ref)
        cpu = ""
        if with_cpu:
            co, ct = (client_cpu(w, ours), client_cpu(w, ref)) if w else (None, None)
            cpu = f" {co / ct:.2f}x ({co:.2f} vs {ct:.2f} s) |" if co and ct else " - |"
        if o is None or t is None:
            lines.append(f"| {label} | no result | ≥ {need}x {ref} | - |{cpu}")
            continue
        ratio = o / t
        lines.append(f"| {label} | {ratio:.2f}x {ref} ({fnum(o)} vs {fnum(t)} {unit(w)}) | ≥ {need}x | "
                     f"{'yes' if ratio >= need else 'no'} |{cpu}")
    return lines


# issue 18's goals (medians of one interleaved run); the RSS goal follows below
ws_targets = [
    ("echo 32 B", "echo 32 B", "wscli", "qtcp_ceiling", 0.95),
    ("receive 16 B", "recv binary 16 B", "wscli", "qtcp_ceiling", 0.6),
    ("send 16 B", "send binary 16 B", "wscli", "qws_client", 3.0),
    ("send 64 KiB", "send binary 64 KiB", "wscli", "qtcp_ceiling", 0.95),
    ("256 MiB message", "big binary", "wscli", "qtcp_ceiling", 0.95),
]
ws_lines = target_table(ws_targets)
w = find("big binary")
if w:
    ours, ceiling = rss(w, "wscli"), rss(w, "qtcp_ceiling")
    if ours and ceiling:
        r = ours / ceiling
        ws_lines.append(f"| 256 MiB peak RSS | {r:.2f}x qtcp_ceiling ({ours:.0f} vs {ceiling:.0f} MiB) | ≤ 1.02x | "
                        f"{'yes' if r <= 1.02 else 'no'} |")


def peers_table():
    """Every row against the better of the two libraries (QWebSocket, Boost.Beast): goal ≥ 1.0x."""
    out = ["| workload | wscli | best peer | wscli / best peer | ≥ 1.0x |", "|---|---|---|---|---|"]
    for wl in names:
        ours = value(wl, "wscli")
        peers = [(value(wl, c), c) for c in ("qws_client", "beast_client")]
        peers = [(v, c) for v, c in peers if v is not None]
        if ours is None or not peers:
            continue
        best, who = max(peers)
        out.append(f"| {wl} | {fnum(ours)} {unit(wl)} | {who} {fnum(best)} {unit(wl)} | {ours / best:.2f}x | "
                   f"{'yes' if ours >= best else 'no'} |")
    return out


def logingest_lines():
    """The workbench's log (wsw_logingest_bench): goals ≥ 200 000 msg/s and a longest stall ≤ 50 ms."""
    if not a.logingest or not os.path.exists(a.logingest):
        return []
    try:
        j = json.loads(open(a.logingest).read().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return ["The log-ingest benchmark printed no result (see its output in the build's bench-run directory)."]
    rate, stall = j["msgs_per_s"], j["longest_stall_ms"]
    return [
        f"`wsw_logingest_bench`: a server on loopback pushes a burst of {j['count']:,} text messages of "
        f"{j['size']} B; they go through the engine into a Session's message log with a MessageLogPanel shown "
        f"(offscreen platform: filter model with a text filter on, table view with auto-scroll). "
        f"{'Median of ' + str(j['reps']) + ' bursts' if j['reps'] > 1 else 'One burst'}"
        f"{'' if j.get('ok') else ' (NOT ok: a burst failed)'}.",
        "",
        "| target | measured | required | met |",
        "|---|---|---|---|",
        f"| messages ingested into the log | {fnum(rate)} msg/s (bursts: {fnum(j['msgs_per_s_min'])}-"
        f"{fnum(j['msgs_per_s_max'])}) | ≥ 200k msg/s | {'yes' if rate >= 200000 else 'no'} |",
        f"| longest event-loop stall during the burst | {stall:.1f} ms (worst burst {j['longest_stall_ms_max']:.1f} ms)"
        f" | ≤ 50 ms | {'yes' if stall <= 50 else 'no'} |",
    ]


wss_targets = [
    ("wss echo 32 B", "echo 32 B", "wscli-wss", "qws_client-wss", 1.2),
    ("wss receive 64 KiB binary", "recv binary 64 KiB", "wscli-wss", "qws_client-wss", 1.2),
    ("wss send 64 KiB", "send binary 64 KiB", "wscli-wss", "qws_client-wss", 1.2),
]

# nginx worker CPU per wss client run (tls_client.sh): (workload, client) -> [(cpu_s, wall_s)]
nginx_runs = collections.defaultdict(list)
if a.wss and a.nginx_cpu and os.path.exists(a.nginx_cpu):
    for line in open(a.nginx_cpu):
        label, wl, ticks, usec = line.rstrip("\n").split("\t")
        mode, size, count, typ = wl.split()
        nginx_runs[workload_name(mode, int(size), int(count), typ), label].append(
            (int(ticks) / HZ, int(usec) / 1e6))

sessions = collections.Counter()
if a.wss and a.tls_log and os.path.exists(a.tls_log):
    for line in open(a.tls_log):
        f = line.split()
        if len(f) >= 2 and not f[2].endswith("=0"):  # connections that carried data
            sessions[f"{f[0]} {f[1]}"] += 1


def nginx_cell(workload, client):
    """Median nginx CPU per run, and how busy it was over the timed data phase of that run (its
    CPU during the whole client process, of which the data phase is nearly all the work)."""
    runs = nginx_runs.get((workload, client))
    if not runs:
        return "-"
    reps = sorted((r for r in rows if r["workload"] == workload and r["client"] == client), key=lambda r: int(r["rep"]))
    busy = []
    for (cpu, _), r in zip(runs, reps):
        try:
            j = json.loads(r["json"])
        except ValueError:
            continue
        if j.get("ok") and j.get("seconds"):
            busy.append(cpu / j["seconds"] * 100)
    b = f" ({median(busy):.0f}%)" if busy else ""
    return f"{median(c for c, _ in runs):.2f}{b}"


def ratio_cell(x, y):
    return f"{x / y:.2f}x" if x and y else "-"


def tls_cost_table():
    out = ["| workload | wscli ws | wscli wss | wss / ws | QWebSocket ws | QWebSocket wss | wss / ws |"
           " wscli-wss / qws_client-wss |",
           "|---|---|---|---|---|---|---|---|"]
    for w in names:
        u = unit(w)
        ws_, wss_, qws, qwss = (value(w, c) for c in ("wscli", "wscli-wss", "qws_client", "qws_client-wss"))
        out.append(f"| {w} | {fnum(ws_)} {u} | {fnum(wss_)} {u} | {ratio_cell(wss_, ws_)} | {fnum(qws)} {u} | "
                   f"{fnum(qwss)} {u} | {ratio_cell(qwss, qws)} | {ratio_cell(wss_, qwss)} |")
    return out


def cpu_table():
    out = ["| workload | wscli ws: client / server | wscli wss: client / nginx (busy) / server |"
           " QWebSocket ws: client / server | QWebSocket wss: client / nginx (busy) / server |",
           "|---|---|---|---|---|"]

    def f(x):
        return "-" if x is None else f"{x:.2f}"

    for w in names:
        cells = []
        for c in ("wscli", "wscli-wss", "qws_client", "qws_client-wss"):
            mid = f" / {nginx_cell(w, c)}" if c.endswith("-wss") else ""
            cells.append(f"{f(client_cpu(w, c))}{mid} / {f(server_cpu(w, c))}")
        out.append(f"| {w} | " + " | ".join(cells) + " |")
    return out


def rss_table():
    out = ["| workload | wscli ws | wscli wss | QWebSocket ws | QWebSocket wss |", "|---|---|---|---|---|"]
    for w in names:
        vals = [rss(w, c) for c in ("wscli", "wscli-wss", "qws_client", "qws_client-wss")]
        out.append(f"| {w} | " + " | ".join("-" if v is None else f"{v:.0f}" for v in vals) + " |")
    return out


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
with open(a.out, "w") as f:
    w = f.write
    w("# Performance\n\n")
    w("Measured by `scripts/benchmark.sh BUILD_DIR` (CMake target `benchmark`), which runs the shared harness "
      "(`../shared/bench/run.sh`) once with `wscli bench` beside the reference clients, interleaved")
    w(", over ws and, through an nginx TLS front, over wss (columns `wscli-wss` and `qws_client-wss`). "
      if a.wss else ". ")
    w("Ratios are only meaningful within one run. The numbers below are written by the script; the prose "
      "under \"Where we stand\" comes from `scripts/bench/notes-*.md`.\n\n")
    w(f"- date: {a.date}\n")
    w(f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}\n")
    if a.wscli_build:
        w(f"- wscli: the build directory's `{a.wscli_build}` build; the harness's server and reference clients: "
          "`Release` (`-O3`), built by the script\n")
    w(f"- run: {a.kind} ({'counts and the big size halved, ' if a.kind == 'quick' else ''}{reps} interleaved "
      "repetitions)\n")
    w(f"- load average (1, 5, 15 min) before the run: {a.load_before}; after: {a.load_after} (the run's own "
      "client, server and nginx count in the latter)\n")
    if a.wss:
        tls = ", ".join(f"{k} ({n} connections)" for k, n in sessions.most_common()) or "no TLS log"
        w(f"- TLS front: {a.nginx}, {a.front} proxy, one worker; negotiated: {tls}\n")
    w("\n## Targets\n\n### ws\n\n" + "\n".join(ws_lines) + "\n")
    w("\nEvery row against the better of QWebSocket and Boost.Beast (medians of the same run):\n\n")
    w("\n".join(peers_table()) + "\n")
    ingest = logingest_lines()
    if ingest:
        w("\n### The workbench's log\n\n" + "\n".join(ingest) + "\n")
    if a.keybench and os.path.exists(a.keybench):
        w("\n### Mask keys\n\n`wsw_maskkey_bench` on the machine above (RFC 6455 §5.3 wants every key from a "
          "strong source of entropy; one key per frame sent):\n\n")
        w(open(a.keybench).read().strip() + "\n")
    if a.wss:
        w("\n### wss (both Qt clients through the same nginx TLS front)\n\n")
        w("\n".join(target_table(wss_targets, with_cpu=True)) + "\n")
        w("\n## What TLS costs\n\n")
        w("Medians from the same run; `wss / ws` is each client's own wss rate over its ws rate.\n\n")
        w("\n".join(tls_cost_table()) + "\n\n")
        w("CPU seconds per run (medians): the client process (whole process, setup included), the nginx worker "
          "while that client ran (and how busy that makes it over the timed data phase: 100% = one core), and the "
          "harness's server for that connection.\n\n")
        w("\n".join(cpu_table()) + "\n\n")
        w("Peak RSS, MiB (medians):\n\n")
        w("\n".join(rss_table()) + "\n")
    w("\n## Tables (as printed by run.sh)\n\n")
    if a.wss:
        w("All six columns ran interleaved; `(x)` is run.sh's ratio to its first column, `qws_client` over ws, "
          "so for the wss columns it mixes the client and the cost of TLS. The wss columns' client CPU includes "
          "a few milliseconds of the wrapper shell (`scripts/bench/tls_client.sh`), and \"everything else\" in "
          "the last line includes the nginx worker.\n\n")
    tables = open(a.tables).read()
    w(tables)
    m = re.search(r"Machine during the run: (\d+) s x (\d+) cores; server \+ clients used ([0-9.]+) CPU s, "
                  r"everything else ([0-9.]+) CPU s", tables)
    if a.wss and m and nginx_runs:
        wall, ours, other = float(m.group(1)), float(m.group(3)), float(m.group(4))
        ngx = sum(c for runs in nginx_runs.values() for c, _ in runs)
        rest = other - ngx
        w(f"\n\"Everything else\" above includes the nginx worker, which used {ngx:.1f} CPU s during the wss runs "
          "(from /proc/PID/stat), so run.sh's warning counts the TLS front as other load. ")
        if rest <= 0.05 * (ours + other):
            w(f"Clients, server and nginx account for all of the machine's busy time (their per-process counts "
              f"add up to {(ours + ngx) / (ours + other) * 100:.0f}% of the machine's): nothing else of note ran.\n")
        else:
            w(f"Other processes used about {rest:.1f} CPU s, {rest / wall * 100:.0f}% of one core over the run.\n")
    for name in ("notes-ws.md", "notes-wss.md") if a.wss else ("notes-ws.md",):
        path = os.path.join(a.notes, name)
        if os.path.exists(path):
            w("\n" + open(path).read())
print(f"benchmark: wrote {a.out}", file=__import__("sys").stderr)
