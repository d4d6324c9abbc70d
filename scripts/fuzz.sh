#!/usr/bin/env bash
# fuzz.sh [SECONDS]   (default 20 per target)
#
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer into
# build-libfuzzer/ and runs each for SECONDS over a copy of the committed seed corpus. A crash
# leaves its input in build-libfuzzer/crashes/<target>/: keep it in tests/fuzz/corpus/<target>/
# as a regression case once fixed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
build=$repo/build-libfuzzer
command -v clang++ >/dev/null || { echo "fuzz: needs clang (apt-get install clang libclang-rt-dev)" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSW_FUZZ=ON \
    -DWSW_BUILD_TESTS=ON >/dev/null
status=0
for target in inbound handshake extensions inflate; do
    cmake --build "$build" --target "fuzz_$target" -j2 >/dev/null
    work=$build/corpus/$target crashes=$build/crashes/$target
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    cp "$repo/tests/fuzz/corpus/$target/"* "$work/"
    echo "fuzz: $target for $seconds s" >&2
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
        -print_final_stats=1 "$work" 2>"$build/fuzz_$target.log"; then
        status=1
        echo "fuzz: $target FOUND A CRASH; inputs in $crashes" >&2
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz_$target.log" | sed "s/^/fuzz: $target /" >&2
done
exit $status
