#!/usr/bin/env bash
# benchmark.sh [--quick] [--reps N] [--workloads FILE] [--out FILE] [--report-only] [--no-wss] [--tls-front stream|http] BUILD_DIR
#
# Runs the shared benchmark harness (../shared/bench/run.sh) once, interleaved, with these columns:
#   ws:  qws_client (QWebSocket), qtcp_ceiling (raw QTcpSocket), wscli (`wscli bench`), beast_client
#   wss: wscli-wss and qws_client-wss, the same two Qt clients over TLS through an nginx front
# and writes the tables, the targets, the machine and its load to docs/PERFORMANCE.md. Before the harness it
# builds and runs our own two benchmarks (benchmarks/): wsw_maskkey_bench (ns per mask key of each CSPRNG
# on this CPU) and wsw_logingest_bench (messages/s into the workbench's log, and its longest stall).
# --no-wss leaves the wss columns out (no nginx needed). --tls-front http uses nginx's HTTP proxy
# instead of its stream (TCP) proxy, which is the default when the stream module is installed.
# --workloads FILE: run.sh's option (lines "MODE SIZE COUNT TYPE"), for a partial run; --out FILE
# writes the report there instead of docs/PERFORMANCE.md. --report-only writes the report again from
# the last run's files in BUILD_DIR/bench-run (after editing scripts/bench/notes-*.md), running nothing.
# A benchmark, not a test: it judges nothing, it reports. Needs nginx (+ libnginx-mod-stream),
# GNU time, cmake, ninja, python3, the openssl CLI, Qt 6 and Boost headers.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
quick=()
reps=()
workloads=()
out=$here/docs/PERFORMANCE.md
wss=1
report_only=0
front=
while (($#)); do
    case $1 in
    --quick) quick=(--quick); shift ;;
    --reps) reps=(--reps "$2"); shift 2 ;;
    --workloads) workloads=(--workloads "$(realpath "$2")"); shift 2 ;;
    --no-wss) wss=0; shift ;;
    --out) out=$(realpath "$2"); shift 2 ;;
    --report-only) report_only=1; shift ;;
    --tls-front) front=$2; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) break ;;
    esac
done
build=$(cd "${1:?usage: benchmark.sh [options] BUILD_DIR (see --help)}" && pwd)
bench_src=${WSW_SHARED_BENCH:-$here/../shared/bench}
bench_src=$(cd "$bench_src" 2>/dev/null && pwd) || true
[[ -x $bench_src/run.sh ]] || { echo "benchmark: no harness at $bench_src (set WSW_SHARED_BENCH)" >&2; exit 2; }
wscli=$build/app/cli/wscli
[[ -x $wscli ]] || { echo "benchmark: build wscli first ($wscli)" >&2; exit 2; }
for tool in /usr/bin/time cmake ninja python3; do
    command -v "$tool" >/dev/null || { echo "benchmark: needs $tool (apt-get install time cmake ninja-build)" >&2; exit 2; }
done
run=$build/bench-run
write_report() { # from $run/report.args (one argument a line), the prose in scripts/bench/notes-*.md
    local args
    mapfile -t args <"$run/report.args"
    python3 "$here/scripts/bench/report.py" "${args[@]}" --notes "$here/scripts/bench" --out "$out"
}
if ((report_only)); then
    [[ -s $run/report.args ]] || { echo "benchmark: no earlier run in $run" >&2; exit 2; }
    write_report
    exit 0
fi

if ((wss)); then
    command -v nginx >/dev/null || { echo "benchmark: wss needs nginx (apt-get install nginx-light libnginx-mod-stream), or --no-wss" >&2; exit 2; }
    [[ -n $front ]] || { [[ -e /usr/lib/nginx/modules/ngx_stream_module.so ]] && front=stream || front=http; }
    [[ $front == stream || $front == http ]] || { echo "benchmark: --tls-front stream or http" >&2; exit 2; }
fi

# Binaries: the harness's server and reference clients from its sources, plus qws_client_ca
bin=$build/bench
echo "benchmark: building the harness and reference clients into $bin" >&2
cmake -S "$here/scripts/bench" -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWSW_SHARED_BENCH="$bench_src" >/dev/null
cmake --build "$bin" -j2 >/dev/null

# run.sh's $BENCH_BUILD: its results.tsv, our client wrappers, and a `server` that run.sh starts
# as "server --port 0": a fixed port here, the one the TLS front forwards to
rm -rf "$run"
mkdir -p "$run"

# Our own benchmarks, in the same build as wscli: the key sources, then the workbench's log
echo "benchmark: building and running wsw_maskkey_bench and wsw_logingest_bench" >&2
cmake --build "$build" -j2 --target wsw_maskkey_bench wsw_logingest_bench >/dev/null
"$build/benchmarks/wsw_maskkey_bench" >"$run/maskkeys.md"
QT_QPA_PLATFORM=offscreen "$build/benchmarks/wsw_logingest_bench" --reps "$( ((${#quick[@]})) && echo 1 || echo 3)" \
    >"$run/logingest.json" 2>"$run/logingest.log" ||
    echo "benchmark: wsw_logingest_bench failed (see $run/logingest.log)" >&2
export BENCH_BUILD=$run
tmp=$(mktemp -d)
nginx_pid=
stop_nginx() {
    [[ -n $nginx_pid ]] || return 0
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=
}
trap 'stop_nginx; rm -rf "$tmp"' EXIT

free_ports() { # two free loopback ports
    python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))'
}
read -r server_port tls_port < <(free_ports)

# the harness calls CLIENT --mode ...; wscli takes the subcommand first
printf '#!/bin/sh\nexec "%s" bench "$@"\n' "$wscli" >"$run/wscli"
clients=("$bin/qws_client" "$bin/qtcp_ceiling" "$run/wscli" "$bin/beast_client")

if ((wss)); then
    pki=$tmp/pki
    "$here/tests/pki/make_test_pki.sh" "$pki"
    ca=$pki/root-ca.pem
    mkdir -p "$tmp/nginx"
    for attempt in 1 2 3; do # a port taken between free_ports and nginx's bind(): try others
        "$here/scripts/bench/nginx_conf.sh" "$front" "$tmp/nginx" "$tls_port" "$server_port" \
            "$pki/server-chain.pem" "$pki/server.key" >"$tmp/nginx/nginx.conf"
        nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
        nginx_pid=$!
        worker=
        for _ in $(seq 50); do
            worker=$(pgrep -P "$nginx_pid" | head -1 || true)
            [[ -n $worker ]] || ! kill -0 "$nginx_pid" 2>/dev/null && break
            sleep 0.1
        done
        [[ -n $worker ]] && break
        stop_nginx
        echo "benchmark: nginx did not start (attempt $attempt):" >&2
        sed 's/^/    /' "$tmp/nginx/error.log" >&2
        grep -q 'bind()' "$tmp/nginx/error.log" || exit 1 # only a taken port is worth another try
        : >"$tmp/nginx/error.log"
        read -r server_port tls_port < <(free_ports)
    done
    [[ -n $worker ]] || exit 1
    export WSW_BENCH_TLS_PORT=$tls_port WSW_BENCH_NGINX_WORKER=$worker WSW_BENCH_NGINX_LOG=$run/nginx-cpu.tsv
    : >"$WSW_BENCH_NGINX_LOG"
    tls_client=$here/scripts/bench/tls_client.sh
    printf '#!/bin/sh\nexec "%s" wscli-wss wss "%s" bench --ca "%s" -- "$@"\n' \
        "$tls_client" "$wscli" "$ca" >"$run/wscli-wss"
    printf '#!/bin/sh\nWSW_BENCH_CA="%s" exec "%s" qws_client-wss ws "%s" -- "$@"\n' \
        "$ca" "$tls_client" "$bin/qws_client_ca" >"$run/qws_client-wss"
    chmod +x "$run/wscli-wss" "$run/qws_client-wss"
    clients+=("$run/wscli-wss" "$run/qws_client-wss")

    # Both really speak TLS and check the chain: with another CA they must fail the handshake
    for c in "$run/wscli-wss" "$run/qws_client-wss"; do
        if sed "s|$ca|$pki/other-root-ca.pem|" "$c" | sh -s -- --mode echo --size 32 --count 1 \
            ws://127.0.0.1:1 >/dev/null 2>"$tmp/check.err"; then
            echo "benchmark: $(basename "$c") accepted a server whose CA it was not given: not TLS?" >&2
            exit 1
        fi
        grep -qi 'issuer\|certificate' "$tmp/check.err" || {
            echo "benchmark: $(basename "$c") with a wrong CA failed, but not for its certificate:" >&2
            cat "$tmp/check.err" >&2
            exit 1
        }
    done
    : >"$WSW_BENCH_NGINX_LOG"
    : >"$tmp/nginx/tls.log"
    echo "benchmark: TLS front: nginx $front proxy, pid $nginx_pid, 127.0.0.1:$tls_port -> :$server_port;" \
        "both wss clients refuse a server from another CA" >&2
fi
# run.sh's "--port 0" is dropped: the server listens where the TLS front forwards to
printf '#!/bin/sh\nexec "%s" --port %s\n' "$bin/server" "$server_port" >"$run/server"
chmod +x "$run/server" "$run/wscli"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
date=$(date '+%Y-%m-%d %H:%M %Z')
"$bench_src/run.sh" "${quick[@]}" "${reps[@]}" "${workloads[@]}" "${clients[@]}" | tee "$run/tables.md"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_nginx

# what the report needs besides the run's files, kept so that --report-only can write it again
report_args=(--results "$run/results.tsv" --tables "$run/tables.md" --date "$date"
    --kind "$( ((${#quick[@]})) && echo quick || echo full)" --load-before "$load_before"
    --load-after "$load_after"
    --wscli-build "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null)"
    --keybench "$run/maskkeys.md" --logingest "$run/logingest.json")
if ((wss)); then
    cp "$tmp/nginx/tls.log" "$run/tls.log"
    report_args+=(--wss --front "$front" --nginx "$(nginx -v 2>&1 | sed 's/^nginx version: //')"
        --nginx-cpu "$run/nginx-cpu.tsv" --tls-log "$run/tls.log")
fi
printf '%s\n' "${report_args[@]}" >"$run/report.args"
write_report
