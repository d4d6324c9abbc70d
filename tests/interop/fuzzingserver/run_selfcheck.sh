#!/bin/sh
# Autobahn-style self check: starts the project's fuzzing server (fuzzingserver.py) on a free port, runs
# `wscli autobahn` against it and exits with wscli's status (0 only when no case FAILED). The cases are
# Autobahn's sections 1-7, 10, 12 and 13; 12 and 13 (216 of the 471) need permessage-deflate, which
# `wscli autobahn` offers by default (with --no-deflate they come out UNIMPLEMENTED, which passes).
#
# usage: run_selfcheck.sh WSCLI [PYTHON [REPORT [WSCLI-ARGS...]]]
#   WSCLI       the wscli executable
#   PYTHON      interpreter for the server (default /usr/bin/python3; the standard library is enough)
#   REPORT      JSON report the server writes on /updateReports (default: none)
#   WSCLI-ARGS  more arguments for `wscli autobahn`, e.g. --cases 1-16, --cases 256-471 (sections 12, 13),
#               "--deflate=client_max_window_bits; server_max_window_bits=8" or --no-deflate
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 WSCLI [PYTHON [REPORT [WSCLI-ARGS...]]]" >&2
    exit 2
fi
wscli=$1
python=${2:-/usr/bin/python3}
report=${3:-}
if [ $# -gt 3 ]; then shift 3; else shift $#; fi
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wsw-autobahn.XXXXXX") || exit 2
server_pid=
# shellcheck disable=SC2317 # called through trap
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# "$@" now holds the extra wscli arguments
if [ -n "$report" ]; then
    "$python" "$here/fuzzingserver.py" --port 0 --report "$report" >"$tmp/server.out" 2>"$tmp/server.log" &
else
    "$python" "$here/fuzzingserver.py" --port 0 >"$tmp/server.out" 2>"$tmp/server.log" &
fi
server_pid=$!

port=
tries=0
while [ -z "$port" ]; do
    port=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$tmp/server.out")
    [ -n "$port" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run_selfcheck: the fuzzing server exited before listening:" >&2
        cat "$tmp/server.log" >&2
        exit 2
    fi
    tries=$((tries + 1))
    if [ $tries -gt 200 ]; then
        echo "run_selfcheck: the fuzzing server did not report its port within 20 s" >&2
        cat "$tmp/server.log" >&2
        exit 2
    fi
    sleep 0.1
done

echo "run_selfcheck: fuzzing server (pid $server_pid) listening on 127.0.0.1:$port"
"$wscli" autobahn "ws://127.0.0.1:$port" --agent wscli "$@"
status=$?

if [ -s "$tmp/server.log" ]; then
    echo "--- fuzzing server log (cases that did not pass, and the report summary)"
    cat "$tmp/server.log"
fi
[ -n "$report" ] && echo "run_selfcheck: report written to $report"
echo "run_selfcheck: wscli autobahn exited with status $status"
exit $status
