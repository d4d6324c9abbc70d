#!/usr/bin/env bash
# sanitize.sh [SECONDS]   (default 20 per fuzz target; 0 skips the fuzzing)
#
# The memory-safety gate. Builds the codec, engine and wscli suites, wscli, the fuzz replays and
# the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer (CMake preset
# "asan", build-asan/; the UI is not built), runs those suites (ctest -L 'codec|engine|cli|fuzz')
# and the Autobahn-style self-check through the sanitized wscli, then runs each libFuzzer target
# for SECONDS over a copy of its committed seed corpus (new inputs go to build-asan/corpus/, never
# into the repository). Any sanitizer report, test failure or fuzzer finding fails it; a
# finding's input is left in build-asan/crashes/<target>/ and its path printed.
#
# Needs clang, libclang-rt-14-dev (the sanitizer and libFuzzer run-times) and llvm-14 (the
# symbolizer, for readable stack traces). WSW_WERROR=ON|OFF is passed on to CMake when set.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${1:-20}
[[ $seconds =~ ^[0-9]+$ ]] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$repo/build-asan
log=$build/sanitize.log
targets=(inbound handshake extensions inflate authchallenge)
say() { printf 'sanitize: %s\n' "$*" >&2; }
started=$SECONDS
elapsed() { printf '%dm%02ds' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

command -v clang++ >/dev/null || { say "needs clang++ (apt-get install clang libclang-rt-14-dev llvm-14)"; exit 2; }
command -v ccache >/dev/null || { say "needs ccache (the preset uses it; apt-get install ccache)"; exit 2; }

mkdir -p "$build"
: >"$log"
say "configuring the ASan+UBSan build (build-asan/, preset asan)"
cmake --preset asan ${WSW_WERROR:+-DWSW_WERROR=$WSW_WERROR} >>"$log" 2>&1 \
    || { tail -30 "$log" >&2; say "configure failed (see $log)"; exit 1; }
say "building the codec, engine and wscli suites, wscli and the fuzzers with 2 jobs"
if ! cmake --build --preset asan >>"$log" 2>&1; then
    grep -E 'error|FAILED' "$log" | head -20 >&2
    tail -20 "$log" >&2
    say "build failed (the end of $log is above)"
    exit 1
fi
say "built in $(elapsed)"

# the run-time options (fatal, symbolized reports, leak checking) the build tree's CTest uses too
# shellcheck source=/dev/null
source "$build/sanitizer-env.sh"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

say "running the codec, engine, wscli and fuzz-replay suites under the sanitizers"
if ! ctest --preset asan; then
    say "a suite failed under the sanitizers; its output is above (an ASan/UBSan/LSan report, or for"
    say "fuzz_replay_* the name of the seed that failed an oracle, printed last)"
    say "(rerun one: ctest --test-dir build-asan -R NAME --output-on-failure)"
    exit 1
fi
say "running the Autobahn-style self-check through wscli under the sanitizers"
if ! sh tests/interop/fuzzingserver/run_selfcheck.sh "$build/app/cli/wscli" /usr/bin/python3 \
    "$build/autobahn-selfcheck-report.json" >"$build/autobahn-selfcheck.log" 2>&1; then
    tail -40 "$build/autobahn-selfcheck.log" >&2
    say "the self-check failed under the sanitizers (log: build-asan/autobahn-selfcheck.log)"
    exit 1
fi
grep -E '^autobahn:' "$build/autobahn-selfcheck.log" | sed 's/^/sanitize: /' >&2
say "suites done at $(elapsed)"

((seconds > 0)) || { say "fuzzing skipped (0 s); no sanitizer report"; exit 0; }
# libFuzzer's own handling: -timeout makes a hang a finding; UBSan already aborts (no recover)
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset ASAN_OPTIONS LSAN_OPTIONS
status=0
for target in "${targets[@]}"; do
    work=$build/corpus/$target crashes=$build/crashes/$target
    rm -rf "$work" "$crashes"
    mkdir -p "$work" "$crashes"
    cp "$repo/tests/fuzz/corpus/$target/"* "$work/" # new inputs go here, never into the repository
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" -print_final_stats=1 "$work" >"$build/fuzz_$target.log" 2>&1; then
        status=1
        grep -E '^ *#[0-9]+ |ERROR|SUMMARY|runtime error' "$build/fuzz_$target.log" | head -30 >&2
        for input in "$crashes"/*; do
            [[ -e $input ]] || continue
            say "fuzz_$target FOUND A PROBLEM; the input: ${input#"$repo"/}"
            say "  reproduce: ${build#"$repo"/}/tests/fuzz/fuzz_$target ${input#"$repo"/}"
            say "  once fixed, keep it: cp ${input#"$repo"/} tests/fuzz/corpus/$target/regression-NAME"
        done
        ls "$crashes"/* >/dev/null 2>&1 || say "fuzz_$target failed without leaving an input (see build-asan/fuzz_$target.log)"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz_$target.log")
    say "fuzz_$target: ${runs:-?} inputs in $seconds s"
done
say "done in $(elapsed)"
[[ $status -eq 0 ]] && say "no sanitizer report, no fuzzer finding"
exit $status
