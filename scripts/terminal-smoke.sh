#!/usr/bin/env bash
# A terminal check a person can repeat: run the demo database through tmux at 80 and 120
# columns and print what a sergeant would see for summary, overview, actions and agenda.
#
#   scripts/terminal-smoke.sh            # uses .venv/bin/pledgetrack, else pledgetrack on PATH
#   PLEDGETRACK=/path/to/pledgetrack scripts/terminal-smoke.sh
#
# Needs tmux (apt-get install tmux). Writes only into a temporary folder, removed at exit.
# Each screen is a real terminal (a tty, so tables and colour as a person gets them);
# the capture is printed without colour codes. Exit 1 if a line is wider than its screen.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
pt=${PLEDGETRACK:-$here/.venv/bin/pledgetrack}
[ -x "$pt" ] || pt=$(command -v pledgetrack)
command -v tmux >/dev/null || { echo "terminal-smoke: tmux is needed (apt-get install tmux)" >&2; exit 2; }

work=$(mktemp -d)
socket="$work/tmux.sock"
cleanup() { tmux -S "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

db="$work/demo.db"
"$pt" demo --out "$db" >/dev/null 2>"$work/demo.err"
head -1 "$work/demo.err"

views=(
  "summary --team CW01 --period 2008-10 --as-of 2008-11-01"
  "overview --period 2008-10 --as-of 2008-11-01"
  "actions --team CW01 --limit 12"
  "agenda --team CW01 --as-of '23/10/2008 10:00'"
  "agenda --as-of '23/10/2008 10:00'"
)
status=0
export LC_ALL=C.UTF-8  # count characters, not bytes
for width in 80 120; do
  for view in "${views[@]}"; do
    # tall enough that nothing scrolls away; the shell exits when the command is done
    tmux -S "$socket" new-session -d -x "$width" -y 200 -s smoke \
      "TERM=xterm-256color $pt --db '$db' $view; echo '[exit '\$?']'; sleep 30"
    for _ in $(seq 1 100); do
      tmux -S "$socket" capture-pane -p -t smoke | grep -q '^\[exit ' && break
      sleep 0.1
    done
    screen=$(tmux -S "$socket" capture-pane -p -t smoke | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
    tmux -S "$socket" kill-session -t smoke
    printf '\n===== %s columns: pledgetrack %s\n%s\n' "$width" "$view" "$screen"
    wide=0
    while IFS= read -r line; do [ "${#line}" -gt "$width" ] && wide=$((wide + 1)); done <<<"$screen"
    if [ "$wide" -gt 0 ]; then
      echo "terminal-smoke: $wide lines wider than $width columns" >&2
      status=1
    fi
  done
done
exit "$status"
