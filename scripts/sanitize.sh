#!/usr/bin/env bash
# sanitize.sh [SECONDS]   (default 20 per fuzz target)
#
# The memory-safety gate. Builds the codec, engine and wscli suites, the fuzz replays and the
# libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer (CMake preset
# "asan", build-asan/), runs those suites and the Autobahn-style self-check through wscli, then
# runs each libFuzzer target for SECONDS over a copy of its committed seed corpus. Any sanitizer
# report, test failure or fuzzer finding fails it; a finding's input is kept in
# build-asan/crashes/<target>/ (add it to tests/fuzz/corpus/<target>/ once fixed).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${1:-20}
build=$repo/build-asan
log=$build/sanitize.log
say() { printf 'sanitize: %s\n' "$*" >&2; }
command -v clang++ >/dev/null || { say "needs clang++ (apt-get install clang libclang-rt-14-dev)"; exit 2; }

mkdir -p "$build"
: >"$log"
say "configuring the ASan+UBSan build (build-asan/)"
cmake --preset asan ${WSW_WERROR:+-DWSW_WERROR=$WSW_WERROR} >>"$log" 2>&1 \
    || { tail -30 "$log" >&2; say "configure failed (see $log)"; exit 1; }
say "building the suites, wscli and the fuzzers with 2 jobs"
if ! cmake --build --preset asan >>"$log" 2>&1; then
    tail -40 "$log" >&2
    say "build failed (the end of $log is above)"
    exit 1
fi

say "running the codec, engine, wscli and fuzz-replay suites under the sanitizers"
ctest --preset asan
say "running the Autobahn-style self-check through wscli under the sanitizers"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
LSAN_OPTIONS="suppressions=$repo/tests/sanitizers/lsan.supp:print_suppressions=0" \
    sh tests/interop/fuzzingserver/run_selfcheck.sh "$build/app/cli/wscli" /usr/bin/python3 \
    "$build/autobahn-selfcheck-report.json" >"$build/autobahn-selfcheck.log" 2>&1 \
    || { tail -40 "$build/autobahn-selfcheck.log" >&2; say "the self-check failed under the sanitizers"; exit 1; }
grep -E '^autobahn:' "$build/autobahn-selfcheck.log" | sed 's/^/sanitize: /' >&2

status=0
for target in inbound handshake extensions inflate; do
    work=$build/corpus/$target crashes=$build/crashes/$target
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    cp "$repo/tests/fuzz/corpus/$target/"* "$work/" # new inputs go here, never into the repository
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
        -print_final_stats=1 "$work" >"$build/fuzz_$target.log" 2>&1; then
        status=1
        tail -30 "$build/fuzz_$target.log" >&2
        say "fuzz_$target FOUND A PROBLEM; its input is in $crashes"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz_$target.log")
    say "fuzz_$target: ${runs:-?} inputs in $seconds s"
done
[[ $status -eq 0 ]] && say "no sanitizer report, no fuzzer finding"
exit $status
