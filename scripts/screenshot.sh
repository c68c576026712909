#!/usr/bin/env bash
# Render `report hq` and `report update` from the demo database with headless Chromium
# (Debian's `chromium`) to PNG, at a desktop and a phone width, and prints them to A4 PDF
# (with page images when pdftoppm is installed), so a person can look at them.
#
#   scripts/screenshot.sh [OUT_DIR]     (default: ./screenshots)
#
# Needs: chromium (apt-get install -y chromium), and pledgetrack on PATH or in .venv/bin.
# Nothing is fetched from the network: the reports are self-contained files.
set -euo pipefail

out=${1:-screenshots}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
pt=${PLEDGETRACK:-$here/.venv/bin/pledgetrack}
[ -x "$pt" ] || pt=$(command -v pledgetrack)
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "error: chromium not found (apt-get update && apt-get install -y chromium)" >&2
    exit 69
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$pt" demo --out "$work/demo.db" --yes >/dev/null 2>&1
"$pt" --db "$work/demo.db" report hq --period 2008-10 --as-of 2008-11-01 -o "$work/hq.html"
"$pt" --db "$work/demo.db" report update CW01 --period 2008-10 --as-of 2008-11-01 \
    -f html -o "$work/update.html"

shoot() {  # shoot NAME WIDTH HEIGHT
    local name=$1 width=$2 height=$3 profile
    profile=$(mktemp -d)
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --hide-scrollbars --user-data-dir="$profile" \
        --screenshot="$out/$name-$width.png" --window-size="$width,$height" \
        "file://$work/$name.html" >/dev/null 2>&1
    rm -rf "$profile"
    echo "$out/$name-$width.png"
}

print_a4() {  # print_a4 NAME: the page as Chromium prints it (A4, from @media print)
    local name=$1 profile
    profile=$(mktemp -d)
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$profile" --no-pdf-header-footer \
        --print-to-pdf="$out/$name-a4.pdf" "file://$work/$name.html" >/dev/null 2>&1
    rm -rf "$profile"
    echo "$out/$name-a4.pdf"
    if command -v pdftoppm >/dev/null; then  # page images to look at (poppler-utils)
        pdftoppm -r 60 -png "$out/$name-a4.pdf" "$out/$name-a4"
    fi
}

for report in hq update; do
    shoot "$report" 1280 4200   # desktop (the page is taller than a screen: all of it)
    shoot "$report" 390 7000    # phone (iPhone 12-14 CSS width)
    print_a4 "$report"
done
cp "$work/hq.html" "$work/update.html" "$out/"
