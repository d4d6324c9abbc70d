#!/usr/bin/env bash
# screenshots.sh [build-dir] -- the README's screenshots: builds the screenshot tour, runs it
# under Xvfb (real X11 rendering, the Debian fonts) against the built-in echo server, and writes
# docs/screenshots/*.png (the statistics after 60 s of traffic). Needs xvfb and xauth (apt-get install xvfb xauth).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build}
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
cmake --build "$build" -j2 --target wsw_screenshot_tour
out=$repo/docs/screenshots
mkdir -p "$out"
WSW_TOUR_TRAFFIC_SECONDS=${WSW_TOUR_TRAFFIC_SECONDS:-60} QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/ui/wsw_screenshot_tour" "$out"
echo "screenshots: written to $out"
