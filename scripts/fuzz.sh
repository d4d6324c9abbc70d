#!/usr/bin/env bash
# fuzz.sh [SECONDS [TARGET...]]   (default 20 s for each of inbound handshake extensions inflate authchallenge)
#
# Longer fuzzing by hand. Builds only the libFuzzer targets (clang; they and their own copy of
# the codec with coverage, ASan and UBSan) into build-libfuzzer/ and runs each for SECONDS over
# build-libfuzzer/corpus/<target>/, which starts as a copy of the committed seed corpus and keeps
# what the fuzzer learns between runs (the repository's corpus is never written). A finding's
# input is left in build-libfuzzer/crashes/<target>/: once fixed, keep it in
# tests/fuzz/corpus/<target>/ as regression-<what>. The CI gate is scripts/sanitize.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
[[ $seconds =~ ^[0-9]+$ ]] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
targets=("$@")
((${#targets[@]})) || targets=(inbound handshake extensions inflate)
build=$repo/build-libfuzzer
blog=$build/fuzz-build.log
say() { printf 'fuzz: %s\n' "$*" >&2; }
command -v clang++ >/dev/null || { say "needs clang (apt-get install clang libclang-rt-14-dev llvm-14)"; exit 2; }
mkdir -p "$build"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSW_FUZZ=ON \
    -DWSW_BUILD_TESTS=ON "${launcher[@]}" >"$blog" 2>&1 || { tail -20 "$blog" >&2; exit 1; }
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in "${targets[@]}"; do
    cmake --build "$build" --target "fuzz_$target" -j2 >>"$blog" 2>&1 \
        || { tail -30 "$blog" >&2; say "building fuzz_$target failed"; exit 1; }
    work=$build/corpus/$target crashes=$build/crashes/$target
    mkdir -p "$work" "$crashes"
    cp -n "$repo/tests/fuzz/corpus/$target/"* "$work/"
    say "$target for $seconds s"
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -artifact_prefix="$crashes/" \
        -print_final_stats=1 "$work" 2>"$build/fuzz_$target.log"; then
        status=1
        grep -E '^ *#[0-9]+ |ERROR|SUMMARY|runtime error' "$build/fuzz_$target.log" | head -30 >&2
        say "$target FOUND A PROBLEM: $(sed -n 's/.*Test unit written to //p' "$build/fuzz_$target.log")"
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz_$target.log" | sed "s/^/fuzz: $target /" >&2
done
exit $status
