"""One or two examples for every command's `--help`, in one place so none is forgotten.

Keyed by the words after `pledgetrack` ("" is the program itself). `tests/test_help.py`
fails when a command has none, or when a line of help is wider than 80 columns: a long
example goes on over lines as a shell would read it (` \\`, a newline, an indent).
Dates and teams are the demo's (autumn 2008, CW01).
"""

from __future__ import annotations

MORE = " \\\n    "  # a shell's line continuation: the example goes on below, indented

EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "pledgetrack demo",
        "pledgetrack agenda --team CW01",
    ),
    "log": (
        f'pledgetrack log CW01-L1 "High-visibility patrol" --when "yesterday 19:30"{MORE}'
        "--kind patrol",
        f'pledgetrack log CW01-N4 "Email about parking"{MORE}--received "25/10/2008 10:00" --open',
    ),
    "respond": ('pledgetrack respond 2 --when "26/10/2008 09:30"',),
    "void": ('pledgetrack void 17 --reason "logged against the wrong pledge"',),
    "actions": (
        "pledgetrack actions --team CW01 --from 01/10/2008 --limit 20",
        "pledgetrack actions --pledge CW01-L1 --format csv > patrols.csv",
    ),
    "history": ("pledgetrack history CW01-L1", "pledgetrack history --limit 50"),
    "message": (
        f'pledgetrack message CW01 --received "25/10/2008 10:00"{MORE}--when "25/10/2008 16:20"',
        f'pledgetrack message CW01 --received "today 08:10" --open{MORE}--note "from Mrs Patel"',
    ),
    "meeting": (
        f'pledgetrack meeting CW01 --when "14/10/2008 19:00" --attendance 23{MORE}'
        '--priorities "parking; Castle Park"',
    ),
    "next-meeting": (
        'pledgetrack next-meeting CW01 --when "11/11/2008 19:00" --place "Library"',
        "pledgetrack next-meeting CW01 --cancel",
    ),
    "update": ('pledgetrack update CW01 --when "30/10/2008" --channel newsletter',),
    "duty": (
        "pledgetrack duty CW01 --hours 8",
        'pledgetrack duty CW01 --hours 4 --abstracted --note "football match"',
    ),
    "attend": (
        'pledgetrack attend CW01 --emergency --received "21:02" --when "21:13"',
        'pledgetrack attend CW01 --vulnerable --received "10:05" --when "10:50"',
    ),
    "victim-update": (
        'pledgetrack victim-update CW01 --case LE/1234/08 --when "today 11:00"',
        "pledgetrack victim-update CW01 --case LE/1234/08 --when today --final",
    ),
    "priorities": ("pledgetrack priorities CW01",),
    "summary": (
        "pledgetrack summary --team CW01 --period 2008-10",
        "pledgetrack summary --period last-month --trend 6",
    ),
    "overview": (
        "pledgetrack overview --period 2008-Q4",
        "pledgetrack overview --period 2008-10 --sort -red",
    ),
    "check": (
        f"pledgetrack check > due.txt; [ $? -eq 1 ] &&{MORE}"
        'mail -s "pledges needing action" sergeant@example.org < due.txt',
        "pledgetrack check --team CW01 --warn 6h --format table",
    ),
    "agenda": (
        "pledgetrack agenda --team CW01",
        'pledgetrack agenda --days 14 --as-of "23/10/2008 10:00"',
    ),
    "demo": ("pledgetrack demo", "pledgetrack demo --out /tmp/demo.db"),
    "rollup": (
        "pledgetrack rollup teams/*.db --period 2008-10 -o force-2008-10.csv",
        "pledgetrack rollup cw01.csv bl02.csv --league",
    ),
    "backup": ("pledgetrack backup backups/pt-2008-10-31.db",),
    "team": ("pledgetrack team list", "pledgetrack team show CW01"),
    "team add": (
        f'pledgetrack team add CW01 --name "Castle Ward"{MORE}'
        '--force "Leicestershire Police" --since 01/09/2008',
    ),
    "team list": ("pledgetrack team list --all",),
    "team show": (
        "pledgetrack team show CW01",
        "pledgetrack team show CW01 --as-of 2008-11-01 --format json",
    ),
    "team edit": ('pledgetrack team edit CW01 --sergeant "Sgt Jo Bloggs" --setting rural',),
    "team archive": ("pledgetrack team archive MH03",),
    "team restore": ("pledgetrack team restore MH03",),
    "team national": ("pledgetrack team national CW01 --since 31/12/2008 --only N4,N7",),
    "pledge": ("pledgetrack pledge list --team CW01", "pledgetrack pledge show CW01-L1"),
    "pledge add": (
        f'pledgetrack pledge add CW01 "Two patrols a week in Castle Park"{MORE}'
        "--at-least 2 --per week --action-kind patrol --agreed 10/09/2008",
        'pledgetrack pledge add CW01 "Street lights fixed on Vine St" --by 28/11/2008',
    ),
    "pledge list": ("pledgetrack pledge list --team CW01 --status all",),
    "pledge show": ("pledgetrack pledge show CW01-L1 --recent 5",),
    "pledge edit": ("pledgetrack pledge edit CW01-L1 --at-least 3 --review 01/01/2009",),
    "pledge close": (
        'pledgetrack pledge close CW01-L2 --status achieved --outcome "lights repaired"',
    ),
    "pledge reopen": ("pledgetrack pledge reopen CW01-L2",),
    "national": ("pledgetrack national", "pledgetrack national show N4"),
    "national show": ("pledgetrack national show N7",),
    "config": ("pledgetrack config show",),
    "config show": ("PLEDGETRACK_TEAM=CW01 pledgetrack config show",),
    "export": ("pledgetrack export summary --period 2008-10 -o cw01-2008-10.csv",),
    "export summary": (
        "pledgetrack export summary --period 2008-10 -o cw01-2008-10.csv",
        "pledgetrack export summary --period 2008-07..2008-12 --format jsonl",
    ),
    "export actions": ("pledgetrack export actions --from 01/10/2008 --to 31/10/2008 -o oct.csv",),
    "export pledges": (
        "pledgetrack export pledges --team CW01 -o cw01-pledges.csv",
        "pledgetrack export pledges --format jsonl",
    ),
    "import": ("pledgetrack import actions actions.csv --dry-run",),
    "import actions": (
        "pledgetrack import actions actions.csv --dry-run",
        "pledgetrack import actions actions.csv --on-duplicate skip",
    ),
    "export teams": ("pledgetrack export teams --team CW01 -o cw01-team.csv",),
    "import teams": (
        "pledgetrack import teams cw01-team.csv",
        "pledgetrack import teams teams.csv --dry-run",
    ),
    "import pledges": (
        "pledgetrack import pledges pledges.csv",
        "pledgetrack import pledges cw01-pledges.csv --dry-run",
    ),
    "export next-meetings": (
        "pledgetrack export next-meetings --team CW01 -o cw01-meetings.csv",
    ),
    "import next-meetings": ("pledgetrack import next-meetings cw01-meetings.csv",),
    "db": ("pledgetrack db check", "pledgetrack db info"),
    "db check": ("pledgetrack db check || echo 'restore from backup'",),
    "db info": ("pledgetrack db info",),
    "db upgrade": ("pledgetrack db upgrade",),
    "report": ("pledgetrack report update CW01 --period 2008-10 -o update.md",),
    "report update": (
        "pledgetrack report update CW01 --period 2008-10 -o update.md",
        "pledgetrack report update CW01 --period last-month --format html --no-names",
    ),
    "report hq": (
        "pledgetrack report hq --period 2008-10 -o hq-2008-10.html",
        "pledgetrack report hq incoming/*.csv --period 2008-10 -o hq-2008-10.html",
    ),
    "report inspect": (
        "pledgetrack report inspect CW01 --as-of 2008-11-01",
        "pledgetrack report inspect CW01 --as-of 2008-11-01 --breaches",
    ),
}
