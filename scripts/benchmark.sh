#!/usr/bin/env bash
# benchmark.sh [--quick] [--reps N] BUILD_DIR
#
# Runs the shared benchmark harness (../shared/bench/run.sh) with `wscli bench` beside the
# reference clients (QWebSocket, the raw-QTcpSocket ceiling, Boost.Beast), interleaved in one
# run, and writes the tables, the date, the machine and the issue's targets to
# docs/PERFORMANCE.md. A benchmark, not a test: it judges nothing, it reports.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
quick=()
reps=()
while (($#)); do
    case $1 in
    --quick) quick=(--quick); shift ;;
    --reps) reps=(--reps "$2"); shift 2 ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) break ;;
    esac
done
build=$(cd "${1:?usage: benchmark.sh [--quick] [--reps N] BUILD_DIR}" && pwd)
bench_src=${WSW_SHARED_BENCH:-$here/../shared/bench}
[[ -x $bench_src/run.sh ]] || { echo "benchmark: no harness at $bench_src (set WSW_SHARED_BENCH)" >&2; exit 2; }
[[ -x $build/app/cli/wscli ]] || { echo "benchmark: build wscli first ($build/app/cli/wscli)" >&2; exit 2; }
for tool in /usr/bin/time cmake ninja; do
    command -v "$tool" >/dev/null || { echo "benchmark: needs $tool (apt-get install time cmake ninja-build)" >&2; exit 2; }
done

export BENCH_BUILD=$build/bench
echo "benchmark: building the harness and reference clients into $BENCH_BUILD" >&2
cmake -S "$bench_src" -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BENCH_BUILD" -j2 >/dev/null

# the harness calls CLIENT --mode ...; wscli takes the subcommand first
clients=$build/bench-clients
mkdir -p "$clients"
printf '#!/bin/sh\nexec "%s" bench "$@"\n' "$build/app/cli/wscli" >"$clients/wscli"
chmod +x "$clients/wscli"

tables=$(mktemp)
trap 'rm -f "$tables"' EXIT
"$bench_src/run.sh" "${quick[@]}" "${reps[@]}" qws_client qtcp_ceiling "$clients/wscli" beast_client | tee "$tables"

out=$here/docs/PERFORMANCE.md
mkdir -p "$(dirname "$out")"
python3 - "$BENCH_BUILD/results.tsv" "$tables" "$out" "${quick[*]:-full}" <<'PY'
import csv, json, platform, statistics, subprocess, sys, datetime

results, tables, out, kind = sys.argv[1:5]
rows = list(csv.DictReader(open(results), delimiter="\t"))

def cell(workload, client, key):
    vals = []
    for r in rows:
        if r["workload"].split(" x")[0] != workload.split(" x")[0] or r["client"] != client:
            continue
        try:
            j = json.loads(r["json"])
        except ValueError:
            continue
        if not j.get("ok"):
            continue
        vals.append(float(r["rss_kb"]) / 1024 if key == "rss" else j[r["metric"]])
    return statistics.median(vals) if vals else None

def find(prefix):
    names = list(dict.fromkeys(r["workload"] for r in rows))
    return next((n for n in names if n.startswith(prefix)), None)

targets = [
    ("echo 32 B", "echo 32 B", "qws_client", 1.2),
    ("receive 64 KiB binary", "recv binary 64 KiB", "qtcp_ceiling", 0.85),
    ("receive 64 KiB text", "recv text 64 KiB", "qws_client", 4.0),
    ("receive 16 B", "recv binary 16 B", "qws_client", 3.0),
    ("send 64 KiB", "send binary 64 KiB", "qws_client", 2.0),
    ("send 16 B", "send binary 16 B", "qws_client", 3.0),
    ("256 MiB message", "big binary", "qws_client", 1.4),
]
lines = ["| target | wscli / reference | required | met |", "|---|---|---|---|"]
for label, prefix, ref, need in targets:
    w = find(prefix)
    ours, theirs = (cell(w, "wscli", "v"), cell(w, ref, "v")) if w else (None, None)
    if ours is None or theirs is None:
        lines.append(f"| {label} | no result | ≥ {need}x {ref} | - |")
        continue
    ratio = ours / theirs
    lines.append(f"| {label} | {ratio:.2f}x {ref} | ≥ {need}x | {'yes' if ratio >= need else 'no'} |")
w = find("big binary")
if w:
    ours, ceiling = cell(w, "wscli", "rss"), cell(w, "qtcp_ceiling", "rss")
    if ours and ceiling:
        r = ours / ceiling
        lines.append(f"| 256 MiB peak RSS | {r:.2f}x qtcp_ceiling ({ours:.0f} vs {ceiling:.0f} MiB) | ≤ 1.1x | {'yes' if r <= 1.1 else 'no'} |")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
try:
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
except OSError:
    cores = "?"
with open(out, "w") as f:
    f.write("# Performance\n\n")
    f.write("Measured by `scripts/benchmark.sh` (CMake target `benchmark`), which runs the shared harness "
            "(`../shared/bench/run.sh`) with `wscli bench` beside the reference clients, interleaved in one run. "
            "Ratios are only meaningful within one run.\n\n")
    f.write(f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M %Z').strip()}\n")
    f.write(f"- machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}\n")
    f.write(f"- run: {kind}\n\n")
    f.write("## Targets\n\n" + "\n".join(lines) + "\n\n")
    f.write("## Tables (as printed by run.sh)\n\n")
    f.write(open(tables).read())
print(f"benchmark: wrote {out}", file=sys.stderr)
PY
