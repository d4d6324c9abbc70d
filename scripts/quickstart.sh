#!/usr/bin/env bash
# quickstart.sh launch [workbench args...] | test [ctest args...]
#
# On Debian 12, as root: installs what is missing (apt-get; nothing when all is there),
# configures and builds into ./build, then either launches the workbench or runs the
# whole test suite followed by the memory-safety gate (scripts/sanitize.sh: ASan+UBSan build
# in ./build-asan, the engine and wscli suites again, 20 s of each fuzzer). Safe to run again.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
mode=${1:-}
case $mode in
launch | test) shift ;;
*)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
say() { printf 'quickstart: %s\n' "$*" >&2; }

# --- packages -------------------------------------------------------------------------------
packages=(
    # build (Qt Charts needs the OpenGL module's CMake files, which qt6-charts-dev does not pull in)
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev libssl-dev zlib1g-dev
    # run the workbench (platform plugins, the SVG plugin for its icon, a font, the system CAs)
    qt6-qpa-plugins libqt6svg6 fonts-dejavu-core ca-certificates
)
# Tests only -- the launch installs and builds nothing of this, so the window comes up fast:
# real peers (Python websockets, Node ws, Qt's QWebSocketServer), the openssl CLI, the
# memory-safety gate (clang with ASan, UBSan and libFuzzer), and nginx as the TLS-terminating
# proxy of the wss:// interop tests (the package `nginx` alone: core binary with ssl and proxy
# built in; nginx-light/-core/-full only add module packages on top of it), tinyproxy (HTTP
# CONNECT) and dante-server (SOCKS5) as the proxies of tests/engine/tst_proxy.cpp
if [[ $mode == test ]]; then
    packages+=(python3 python3-websockets nodejs npm qt6-websockets-dev openssl
        clang libclang-rt-14-dev llvm-14 nginx tinyproxy dante-server)
fi
# a command already on the machine stands for its package (e.g. a Node.js that bundles npm)
declare -A provided_by_command=([nodejs]=node [npm]=npm)
missing=()
for p in "${packages[@]}"; do
    command=${provided_by_command[$p]:-}
    [[ -n $command ]] && command -v "$command" >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $EUID -ne 0 ]]; then
        say "these packages are missing and installing them needs root: ${missing[*]}"
        exit 1
    fi
    say "installing ${#missing[@]} missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # nginx, tinyproxy and danted are tools of the tests, which start their own on a free port:
    # their packages must not start (or, with systemd, enable) a system web server on port 80 or
    # a proxy on 8888/1080. policy-rc.d is Debian's way to keep maintainer scripts from starting
    # services; ours is removed again at once.
    services=()
    [[ " ${missing[*]} " == *" nginx "* ]] && services+=(nginx)
    [[ " ${missing[*]} " == *" tinyproxy "* ]] && services+=(tinyproxy)
    [[ " ${missing[*]} " == *" dante-server "* ]] && services+=(danted)
    our_policy=""
    if ((${#services[@]})) && [[ ! -e /usr/sbin/policy-rc.d ]]; then
        our_policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' >"$our_policy" && chmod 755 "$our_policy"
        trap '[[ -n $our_policy ]] && rm -f "$our_policy"' EXIT
    fi
    apt_log=$(mktemp)
    if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
        tail -30 "$apt_log" >&2
        say "apt-get failed (the output above is the end of $apt_log)"
        exit 1
    fi
    rm -f "$apt_log"
    if [[ -n $our_policy ]]; then rm -f "$our_policy"; our_policy=""; fi
    if ((${#services[@]})) && [[ -d /run/systemd/system ]]; then
        systemctl disable --now --quiet "${services[@]}" 2>/dev/null || true
    fi
fi

# The TLS tests connect to wss://localhost (name checks, SNI). Every Debian system has the name
# in /etc/hosts, but a bare debootstrap tree has no /etc/hosts at all: then Debian's default
# entries are added, nothing else is touched.
if [[ $mode == test ]] && ! getent hosts localhost >/dev/null; then
    if [[ $EUID -ne 0 ]]; then
        say "the name localhost does not resolve (no entry in /etc/hosts) and fixing it needs root"
        exit 1
    fi
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >>/etc/hosts
    say "localhost did not resolve: added Debian's default localhost entries to /etc/hosts"
fi

# --- build ----------------------------------------------------------------------------------
# Release: no debug info to write, so a new machine sees the window sooner (and -O3 for the engine)
cmake_args=(-S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release)
command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# the libraries precompile Qt's headers; ccache caches such compiles only when told it may
export CCACHE_SLOPPINESS=pch_defines,time_macros
# CI builds treat warnings as errors; set explicitly either way, as the cache would keep it
if [[ ${CI:-} == true ]]; then cmake_args+=(-DWSW_WERROR=ON); else cmake_args+=(-DWSW_WERROR=OFF); fi
# The launch builds the workbench alone; a tree the test command configured keeps its tests.
build_args=(-j2)
if [[ $mode == test ]]; then
    cmake_args+=(-DWSW_BUILD_TESTS=ON)
else
    [[ -f build/CMakeCache.txt ]] || cmake_args+=(-DWSW_BUILD_TESTS=OFF)
    build_args+=(--target wsworkbench)
fi
say "configuring (build/)"
cmake "${cmake_args[@]}" >build.log 2>&1 || { cat build.log >&2; say "configure failed (see build.log)"; exit 1; }
say "building with 2 jobs"
if ! cmake --build build "${build_args[@]}" >>build.log 2>&1; then
    tail -40 build.log >&2
    say "build failed (the end of build.log is above)"
    exit 1
fi

# --- run ------------------------------------------------------------------------------------
if [[ $mode == launch ]]; then
    if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
        say "no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Run this from a desktop session,"
        say "or on a virtual screen: apt-get install xvfb && xvfb-run -a bash scripts/quickstart.sh launch"
        exit 1
    fi
    say "launching build/app/gui/wsworkbench"
    exec build/app/gui/wsworkbench "$@"
fi

say "running the test suite"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
ctest --test-dir build --output-on-failure -j2 "$@" || { say "the test suite failed"; exit 1; }
# the memory-safety gate: the engine and wscli suites again under ASan+UBSan, then each
# libFuzzer target for 20 s (scripts/sanitize.sh; its own build in build-asan/)
say "memory-safety gate: sanitizer build, suites and fuzzing (scripts/sanitize.sh)"
if [[ ${CI:-} == true ]]; then export WSW_WERROR=ON; else export WSW_WERROR=OFF; fi
exec bash scripts/sanitize.sh 20
