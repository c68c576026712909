#!/bin/sh
# A month at force headquarters, end to end, on the demo data (October 2008):
#
#   1. each of three teams keeps its own database (built here from `pledgetrack demo`'s data
#      through `import pledges` / `import actions`, the way a team loads another system's log);
#   2. on the 1st, each team exports last month's summary to a dated file (atomic -o);
#   3. HQ rolls the files up into one force-wide table and prints the league table.
#
#   sh examples/hq-pipeline.sh [WORK_DIR]        (default: a new temporary folder)
#
# Needs `pledgetrack` on PATH (or PT="python -m pledgetrack").
set -eu

PT=${PT:-pledgetrack}
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/pt-hq.XXXXXX")}
MONTH=2008-10
AS_OF="2008-11-01 06:00"          # as things stood at 06:00 on the 1st, when cron runs
export PLEDGETRACK_TZ=Europe/London
mkdir -p "$WORK/teams" "$WORK/hq/$MONTH"
echo "working in $WORK"

# The demo database holds all three teams; each team's own data is taken from it.
$PT demo --out "$WORK/demo.db" --format csv > /dev/null 2>&1
DEMO_DIR=$(dirname "$0")/demo    # examples/demo: the CSVs `pledgetrack demo` loads

tail -n +2 "$DEMO_DIR/teams.csv" | while IFS=, read -r code name force area sergeant contact setting since; do
    db="$WORK/teams/$code.db"
    rm -f "$db" "$db-wal" "$db-shm"
    # 1. the team's own database: the team (with the national commitments in force since
    #    the date in teams.csv), its local pledges, its action log
    $PT --db "$db" team add "$code" --name "$name" --force "$force" --area "$area" \
        --sergeant "$sergeant" --contact "$contact" --setting "$setting" --since "$since" 2> /dev/null
    { head -n 1 "$DEMO_DIR/pledges.csv"; grep "^$code," "$DEMO_DIR/pledges.csv"; } > "$WORK/teams/$code-pledges.csv"
    $PT --db "$db" import pledges "$WORK/teams/$code-pledges.csv" > /dev/null
    $PT --db "$WORK/demo.db" export actions --team "$code" -o "$WORK/teams/$code-actions.csv" 2> /dev/null
    $PT --db "$db" import actions "$WORK/teams/$code-actions.csv"
    # 2. 06:00 on the 1st: the team's cron job sends last month's figures to HQ
    $PT --db "$db" export summary --period "$MONTH" --as-of "$AS_OF" \
        -o "$WORK/hq/$MONTH/$code-$MONTH.csv"
done

# 3. HQ: one force-wide table (same columns), and the league table on stdout
echo
$PT rollup "$WORK/hq/$MONTH"/*.csv --period "$MONTH" -o "$WORK/hq/force-$MONTH.csv" --league
echo
echo "force-wide table: $WORK/hq/force-$MONTH.csv ($(($(wc -l < "$WORK/hq/force-$MONTH.csv") - 1)) rows)"
if $PT --db "$WORK/demo.db" export summary --period "$MONTH" --as-of "$AS_OF" \
        | cmp -s - "$WORK/hq/force-$MONTH.csv"; then
    echo "check: identical to the summary of the one database holding all three teams"
else
    echo "check FAILED: the roll-up differs from the demo database's own summary" >&2
    exit 1
fi
