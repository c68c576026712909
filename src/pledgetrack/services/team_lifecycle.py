"""Archiving a team: its pledges end with it, so reports keep its past and stop there."""

from __future__ import annotations

from datetime import date

from pledgetrack.domain.models import PledgeStatus, Team
from pledgetrack.errors import InputError
from pledgetrack.services.pledge_lifecycle import close_pledge
from pledgetrack.store.connection import Store
from pledgetrack.store.pledges import list_pledges
from pledgetrack.store.teams import get_team, update_team

ARCHIVE_OUTCOME = "team archived"


def archive_team(store: Store, code: str, on: date) -> tuple[Team, int]:
    """Archive the team and withdraw its active pledges as of `on`; returns (team, withdrawn).

    Withdrawing them, rather than leaving them active, is what lets `summary` and `overview`
    show an archived team for the periods it worked and for no later one.
    """
    with store.write():
        team = get_team(store, code)
        if not team.active:
            raise InputError(f"team {team.code} is already archived")
        active = list_pledges(store, team=team.code, statuses=[PledgeStatus.ACTIVE])
        for pledge in active:
            close_pledge(store, pledge.ref, PledgeStatus.WITHDRAWN, ARCHIVE_OUTCOME, on)
        return update_team(store, team.code, {"active": False}, op="archive"), len(active)
