#!/usr/bin/env bash
# run_selfcheck.sh PYTHON WSCLI REPORT
# Starts the fuzzing server on a free port, runs `wscli autobahn` against it, always stops the
# server, and exits with wscli's status (0 when no case FAILED).
set -euo pipefail
python=$1 wscli=$2 report=$3
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap cleanup EXIT
"$python" "$here/fuzzingserver.py" --port 0 --report "$report" >"$log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(awk '/^listening/ {print $2; exit}' "$log")
    [[ -n $port ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[[ -n $port ]] || { echo "the fuzzing server did not start:" >&2; cat "$log" >&2; exit 1; }
status=0
"$wscli" autobahn "ws://127.0.0.1:$port" --agent wscli --case-timeout 60 || status=$?
exit $status
