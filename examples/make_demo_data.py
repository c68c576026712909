"""Regenerate examples/demo/*.csv: three fictional teams, autumn 2008, a seeded random log.

    python examples/make_demo_data.py

The output is committed; `pledgetrack demo` loads it. Same seed, same files.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from pledgetrack.csvcodec import write_csv  # the one CSV writer: `demo` reads these back

OUT = Path(__file__).parent / "demo"
FORCE = "Leicestershire Police"
START, END = date(2008, 9, 1), date(2008, 11, 30)

TEAMS = [
    ("CW01", "Castle Ward", "Leicester city centre", "Sgt Asha Patel", "castle.npt@example.police.uk", "urban"),
    ("BL02", "Belgrave", "Belgrave and Rushey Mead", "Sgt Tom Hughes", "belgrave.npt@example.police.uk", "urban"),
    ("MH03", "Market Harborough Rural", "Harborough villages", "Sgt Ruth Owen", "harborough.npt@example.police.uk", "rural"),
]

# team, title, target columns, agreed, review, meeting, kind of action logged, weekly rate
PLEDGES = [
    ("CW01", "Anti-social behaviour in Castle Park: two high-visibility patrols a week",
     {"at_least": 2, "per": "week", "action_kind": "patrol"}, "2008-09-10", "2008-12-10",
     "PACT meeting, Castle Ward, 10 Sep 2008", "patrol", 3.0),
    ("CW01", "Report back on every resident report of drug dealing within 48 hours",
     {"within": "48h", "threshold": 90}, "2008-09-10", "2008-12-10",
     "PACT meeting, Castle Ward, 10 Sep 2008", "report", 1.5),
    ("CW01", "Bede Park alleyway lighting repaired with the city council",
     {"by": "2008-11-28"}, "2008-10-08", None, "PACT meeting, Castle Ward, 8 Oct 2008", "partner", 0.3),
    ("BL02", "Belgrave Road late-night disorder: three patrols a week on Friday and Saturday nights",
     {"at_least": 3, "per": "week", "action_kind": "patrol"}, "2008-09-03", "2008-12-03",
     "PACT meeting, Belgrave, 3 Sep 2008", "patrol", 3.8),
    ("BL02", "Youth diversion sessions with youth services every week",
     {"at_least": 1, "per": "week"}, "2008-09-03", None, "PACT meeting, Belgrave, 3 Sep 2008",
     "youth", 1.4),
    ("BL02", "Graffiti reports passed to the council and answered within 72 hours",
     {"within": "72h"}, "2008-10-01", None, "PACT meeting, Belgrave, 1 Oct 2008", "report", 1.2),
    ("MH03", "Farm Watch: four visits to outlying farms a month",
     {"at_least": 4, "per": "month", "action_kind": "visit"}, "2008-09-17", "2008-12-17",
     "Harborough rural PACT, 17 Sep 2008", "visit", 1.4),
    ("MH03", "Speeding through the villages: two speed checks a week with the community speed watch",
     {"at_least": 2, "per": "week", "action_kind": "speed-check"}, "2008-09-17", None,
     "Harborough rural PACT, 17 Sep 2008", "speed-check", 2.8),
    ("MH03", "At least 80% of the team's duty hours spent in the villages",
     {"share": 80}, "2008-09-17", None, "Harborough rural PACT, 17 Sep 2008", "duty", 5.0),
]

OFFICERS = {
    "CW01": ["PC Jones", "PCSO Begum", "PCSO Clarke"],
    "BL02": ["PC Mistry", "PCSO Walsh", "PCSO Ahmed"],
    "MH03": ["PC Lloyd", "PCSO Fenton"],
}
DESCRIPTIONS = {
    "patrol": ["High-visibility foot patrol", "Evening patrol with dispersal checks", "Joint patrol with street wardens"],
    "report": ["Resident report by email", "Call to the team mobile", "Report at the surgery"],
    "partner": ["Chased council highways team", "Site visit with council lighting engineer"],
    "youth": ["Football session at the community centre", "Youth club drop-in"],
    "visit": ["Farm Watch visit", "Crime prevention visit to farm"],
    "speed-check": ["Speed check with community speed watch", "Mobile speed camera session"],
    "duty": ["Neighbourhood shift", "Abstracted to city centre event"],
}


def main() -> None:
    rng = random.Random(2008)
    OUT.mkdir(exist_ok=True)
    with (OUT / "teams.csv").open("w", newline="") as fh:
        header = ["code", "name", "force", "area", "sergeant", "contact", "setting", "national_since"]
        write_csv(
            ([code, name, FORCE, area, sgt, contact, setting, NATIONAL_SINCE] for code, name, area, sgt, contact, setting in TEAMS),
            header,
            fh,
        )
    with (OUT / "pledges.csv").open("w", newline="") as fh:
        cols = ["team", "title", "at_least", "per", "action_kind", "within", "threshold", "share", "by", "agreed", "review", "meeting"]
        write_csv(
            (
                [team, title, *(target.get(c, "") for c in cols[2:9]), agreed, review or "", meeting]
                for team, title, target, agreed, review, meeting, _k, _r in PLEDGES
            ),
            cols,
            fh,
        )
    rows = []
    seqs: dict[str, int] = {}
    for team, _title, target, agreed, _rev, _m, kind, weekly in PLEDGES:
        seqs[team] = seqs.get(team, 0) + 1
        ref = f"{team}-L{seqs[team]}"
        day = max(START, date.fromisoformat(agreed))
        while day <= END:
            # a few weeks are thin: real teams get pulled away
            rate = weekly * (0.4 if rng.random() < 0.15 else 1.0)
            for _ in range(_poisson(rng, rate / 7)):
                at = datetime.combine(day, datetime.min.time()) + timedelta(
                    hours=rng.choice([9, 11, 14, 16, 19, 21]), minutes=rng.choice([0, 15, 30, 45])
                )
                row = {
                    "team": team, "pledge": ref, "when": at.strftime("%Y-%m-%d %H:%M"), "received": "",
                    "description": rng.choice(DESCRIPTIONS[kind]), "kind": kind,
                    "officer": rng.choice(OFFICERS[team]), "partner": "", "hours": "", "abstracted": "", "ref": "",
                }
                if "within" in target:
                    limit_h = int(target["within"][:-1])
                    late = rng.random() < 0.12
                    delay = rng.uniform(limit_h * 1.05, limit_h * 2) if late else rng.uniform(1, limit_h * 0.9)
                    received = at - timedelta(hours=delay)
                    row["received"] = received.strftime("%Y-%m-%d %H:%M")
                    row["ref"] = f"{team}-R{len(rows) + 1:04d}"
                if kind == "partner":
                    row["partner"] = "Leicester City Council"
                if kind == "youth":
                    row["partner"] = "Youth services"
                if kind == "duty":
                    row["hours"] = rng.choice([7.5, 8, 8, 10])
                    row["abstracted"] = "yes" if rng.random() < 0.17 else ""
                    if row["abstracted"]:
                        row["description"] = DESCRIPTIONS["duty"][1]
                    else:
                        row["description"] = DESCRIPTIONS["duty"][0]
                rows.append(row)
            day += timedelta(days=1)
    rows.extend(national_rows(rng))  # after the local rows: those stay as they were
    rows.sort(key=lambda r: (r["when"], r["team"], r["pledge"]))
    with (OUT / "actions.csv").open("w", newline="") as fh:
        keys = list(rows[0])
        write_csv(([row[k] for k in keys] for row in rows), keys, fh)
    print(f"wrote {len(TEAMS)} teams, {len(PLEDGES)} pledges, {len(rows)} actions to {OUT}")


# The national commitments (N1-N10 from NATIONAL_SINCE), logged as the shortcuts log them.
# Each team has its own weak spot, so `overview` has something to show HQ.
NATIONAL_SINCE = "2008-09-01"
# team: (share of shifts abstracted, share of messages late, months with no meeting/update)
NATIONAL_HABITS = {
    "CW01": (0.08, 0.04, {"meeting": [], "update": []}),
    "BL02": (0.30, 0.15, {"meeting": [11], "update": []}),
    "MH03": (0.12, 0.08, {"meeting": [], "update": [10]}),
}
EMERGENCY_LIMIT = {"urban": 15, "rural": 20}


def national_rows(rng: random.Random) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for code, _name, _area, _sgt, _contact, setting in TEAMS:
        abstracted_share, late_share, missed = NATIONAL_HABITS[code]
        officers = OFFICERS[code]

        def add(pledge: int, at: datetime, description: str, kind: str, **extra: str) -> None:
            rows.append({
                "team": code, "pledge": f"{code}-N{pledge}", "when": at.strftime("%Y-%m-%d %H:%M"),
                "received": "", "description": description, "kind": kind,
                "officer": rng.choice(officers), "partner": "", "hours": "", "abstracted": "",
                "ref": "", **extra,
            })

        day = START
        while day <= END:
            morning = datetime.combine(day, datetime.min.time())
            if day.weekday() < 5:  # N3: the day's duty hours
                hours = rng.choice([16, 24, 24, 32])
                away = rng.random() < abstracted_share
                where = "abstracted from" if away else "in"
                add(3, morning + timedelta(hours=17), f"Duty {where} the neighbourhood", "duty",
                    hours=str(hours), abstracted="yes" if away else "")
            for _ in range(_poisson(rng, 0.8)):  # N4: messages, answered within the day mostly
                received = morning + timedelta(hours=rng.choice([8, 10, 13, 16, 20]))
                delay = rng.uniform(26, 60) if rng.random() < late_share else rng.uniform(0.5, 20)
                add(4, received + timedelta(hours=delay), "Message to the team", "message",
                    received=received.strftime("%Y-%m-%d %H:%M"))
            for _ in range(_poisson(rng, 0.12)):  # N5: emergencies
                received = morning + timedelta(hours=rng.choice([1, 14, 18, 22, 23]))
                limit = EMERGENCY_LIMIT[setting]
                minutes = rng.uniform(limit + 2, limit * 2) if rng.random() < 0.1 else rng.uniform(5, limit - 1)
                add(5, received + timedelta(minutes=minutes), "Emergency attendance", "emergency",
                    received=received.strftime("%Y-%m-%d %H:%M"))
            for _ in range(_poisson(rng, 0.2)):  # N6: vulnerable callers, priority calls
                received = morning + timedelta(hours=rng.choice([9, 12, 15, 19]))
                minutes = rng.uniform(65, 120) if rng.random() < 0.1 else rng.uniform(15, 58)
                vulnerable = rng.random() < 0.5
                add(6, received + timedelta(minutes=minutes),
                    "Attended a vulnerable caller" if vulnerable else "Attended a call about a neighbourhood priority",
                    "vulnerable" if vulnerable else "priority", received=received.strftime("%Y-%m-%d %H:%M"))
            if day.day == 10 and day.month not in missed["meeting"]:  # N7
                add(7, morning + timedelta(hours=19), "Public meeting", "meeting")
            if day.day == 20 and day.month not in missed["update"]:  # N8
                channel = rng.choice(["web", "newsletter", "leaflet"])
                add(8, morning + timedelta(hours=12), f"Progress update published ({channel})", "update")
            day += timedelta(days=1)
        for case in range(1, 4):  # N9: each gap between contacts with a victim is one item
            ref = f"CR/{code}/{case:03d}/08"
            contact = datetime.combine(START + timedelta(days=rng.randint(0, 20)), datetime.min.time())
            contact += timedelta(hours=rng.choice([10, 14, 16]))
            while True:
                gap = timedelta(days=rng.choice([14, 21, 28, 30, 38]))
                if contact + gap > datetime.combine(END, datetime.min.time()):
                    break
                add(9, contact + gap, f"Victim update, case {ref}", "victim-update",
                    received=contact.strftime("%Y-%m-%d %H:%M"))
                contact += gap
    return rows


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method: fine for the small rates used here
    import math

    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


if __name__ == "__main__":
    main()
