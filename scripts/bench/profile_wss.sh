#!/usr/bin/env bash
# profile_wss.sh BUILD_DIR [OUT_DIR]
#
# Where the time goes over wss: starts the harness's server and the nginx TLS front (as
# scripts/benchmark.sh does), then records `perf record -e cpu-clock --call-graph dwarf` of
# wscli and of QWebSocket (qws_client_ca) on the three wss rows (echo 32 B, receive and send
# 64 KiB), and prints each profile split by scripts/bench/profile_split.py (OpenSSL, Qt's socket
# buffers, the WebSocket layer, kernel...), plus `strace -c -f` syscall counts of the same runs.
# Needs perf and strace; run scripts/benchmark.sh once first (it builds BUILD_DIR/bench).
# perf data stays in OUT_DIR (default: a temporary directory, removed at the end).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: profile_wss.sh BUILD_DIR [OUT_DIR]}" && pwd)
bin=$build/bench
wscli=$build/app/cli/wscli
[[ -x $bin/qws_client_ca && -x $bin/server ]] || { echo "profile_wss: run scripts/benchmark.sh first ($bin)" >&2; exit 2; }
for tool in perf strace nginx; do command -v $tool >/dev/null || { echo "profile_wss: needs $tool" >&2; exit 2; }; done
tmp=$(mktemp -d)
out=${2:-$tmp}
mkdir -p "$out"
server_pid='' nginx_pid=''
cleanup() {
    for p in $nginx_pid $server_pid; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

"$here/tests/pki/make_test_pki.sh" "$tmp/pki"
ca=$tmp/pki/root-ca.pem
"$bin/server" --port 0 >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    port=$(awk '/^listening/ {print $3; exit}' "$tmp/server.log")
    [[ -n $port ]] && break
    sleep 0.1
done
tls_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nginx"
"$here/scripts/bench/nginx_conf.sh" stream "$tmp/nginx" "$tls_port" "$port" "$tmp/pki/server-chain.pem" \
    "$tmp/pki/server.key" >"$tmp/nginx/nginx.conf"
nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
nginx_pid=$!
sleep 0.5
kill -0 "$nginx_pid" || { cat "$tmp/nginx/error.log" >&2; exit 1; }

client_cmd() { # NAME MODE SIZE COUNT: sets cmd, the client's command line (the harness contract)
    local args=(--mode "$2" --size "$3" --count "$4")
    case $1 in
    wscli) cmd=("$wscli" bench --ca "$ca" "${args[@]}" "wss://127.0.0.1:$tls_port") ;;
    qws) cmd=(env "WSW_BENCH_CA=$ca" "$bin/qws_client_ca" "${args[@]}" "ws://127.0.0.1:$tls_port") ;;
    esac
}
for w in "echo 32 20000" "recv 65536 20000" "send 65536 20000"; do
    read -r mode size count <<<"$w"
    for c in wscli qws; do
        client_cmd "$c" "$mode" "$size" "$count"
        data=$out/$c-$mode.data
        echo "=== $c wss $mode $size x$count"
        perf record -q -e cpu-clock -F 997 --call-graph dwarf,65528 -o "$data" -- "${cmd[@]}" 2>/dev/null |
            grep -o '"[a-z_]*per_s": [0-9.]*' | tr '\n' ' '
        echo
        perf script -i "$data" 2>/dev/null | python3 "$here/scripts/bench/profile_split.py" --detail
        strace -c -f -S calls -o "$tmp/strace" -- "${cmd[@]}" >/dev/null 2>&1
        echo "syscalls (strace -c -f, whole process, most frequent 6):"
        sed -n '3,8p' "$tmp/strace" | awk '{printf "    %-14s %s calls\n", $NF, $4}'
    done
done
