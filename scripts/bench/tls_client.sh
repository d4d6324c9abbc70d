#!/usr/bin/env bash
# tls_client.sh LABEL SCHEME CLIENT [CLIENT_ARGS...] -- HARNESS_ARGS...
#
# The body of a wss column's wrapper (scripts/benchmark.sh writes one per wss client, named after
# its column). run.sh calls the wrapper with the harness contract, ending in ws://127.0.0.1:PORT;
# this runs CLIENT [CLIENT_ARGS...] with the same arguments except that URL_BASE becomes
# SCHEME://127.0.0.1:$WSW_BENCH_TLS_PORT, the TLS front (SCHEME wss for wscli; ws for
# qws_client_ca, which upgrades to wss itself, see bench_ca_from_env.cpp).
#
# It also appends one line to $WSW_BENCH_NGINX_LOG: LABEL, the workload (mode size count type),
# the nginx worker's CPU ticks and the wall microseconds spent while CLIENT ran, so that the report can
# tell how busy the TLS front was. It stays CLIENT's parent for that (not exec): /usr/bin/time
# then measures CLIENT plus a few milliseconds of this shell.
set -uo pipefail
label=$1 scheme=$2
shift 2
client=()
while (($#)) && [[ $1 != -- ]]; do client+=("$1"); shift; done
shift # --
args=() mode='?' size='?' count='?' type=binary
while (($#)); do
    case $1 in
    --mode) mode=$2 ;;
    --size) size=$2 ;;
    --count) count=$2 ;;
    --type) type=$2 ;;
    esac
    if [[ $1 == ws://* ]]; then
        args+=("$scheme://127.0.0.1:$WSW_BENCH_TLS_PORT")
    else
        args+=("$1")
    fi
    shift
done

ticks=0
worker_ticks() { # ticks = utime + stime of the nginx worker (fields 14 and 15 of /proc/PID/stat)
    local f
    ticks=0
    read -r -a f <"/proc/$WSW_BENCH_NGINX_WORKER/stat" 2>/dev/null && ticks=$((f[13] + f[14]))
}
worker_ticks
n0=$ticks t0=${EPOCHREALTIME/[.,]/}
"${client[@]}" "${args[@]}"
rc=$?
t1=${EPOCHREALTIME/[.,]/}
worker_ticks
printf '%s\t%s %s %s %s\t%s\t%s\n' "$label" "$mode" "$size" "$count" "$type" $((ticks - n0)) \
    $((t1 - t0)) >>"$WSW_BENCH_NGINX_LOG" # ticks, microseconds
exit $rc
