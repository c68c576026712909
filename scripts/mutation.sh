#!/usr/bin/env bash
# Mutation testing of the pure rules (src/pledgetrack/domain/) with mutmut: every small
# change to a rule (a `<=` made `<`, a 7 made 8) that no test notices is printed, one line
# each, followed by the totals. Not part of CI; run it after changing a rule.
#
#   scripts/mutation.sh            # uses .venv/bin (pip install mutmut into it first)
#   PYTHON_BIN=/path/bin scripts/mutation.sh
#
# The mutants are judged by the unit tests named in pyproject.toml [tool.mutmut], which
# take seconds; the CLI suite would take hours here. It stops after 10 minutes (the
# figures are then partial, and it says so).
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${PYTHON_BIN:-.venv/bin}"
if [ ! -x "$bin/mutmut" ]; then
    echo "mutation.sh: no $bin/mutmut; install it: $bin/pip install mutmut" >&2
    exit 2
fi
rm -rf mutants  # a fresh run: mutmut otherwise reuses results for unchanged code
jobs="${MUTATION_JOBS:-$(nproc)}"
status=0
PLEDGETRACK_HYPOTHESIS_PROFILE=mutation timeout "${MUTATION_SECONDS:-600}" "$bin/mutmut" run --max-children "$jobs" >mutants.log 2>&1 || status=$?
if [ "$status" -eq 124 ]; then
    echo "mutation.sh: stopped after ${MUTATION_SECONDS:-600} s; the figures below are partial" >&2
elif [ "$status" -ne 0 ]; then
    tail -n 20 mutants.log >&2
    exit "$status"
fi
"$bin/mutmut" results --all true 2>/dev/null >mutants/results.txt || true
echo "survivors (mutmut show NAME for the diff):"
grep -E ': (survived|no tests)$' mutants/results.txt | sed 's/^ */  /'
awk -F': ' '
    NF == 2 { n[$2]++; total++ }
    END {
        printf "%d mutants: %d killed, %d survived, %d not covered by a test, %d timed out, %d other\n",
            total, n["killed"], n["survived"], n["no tests"], n["timeout"],
            total - n["killed"] - n["survived"] - n["no tests"] - n["timeout"]
    }' mutants/results.txt
