"""The schema, as an ordered registry of small migrations keyed by `PRAGMA user_version`.

Append new steps to MIGRATIONS; never edit a released one. `migrate` runs the pending
ones inside the caller's transaction, so an upgrade either completes or leaves the file
exactly as it was. The tables are documented for other tools in docs/schema.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a database is opened (store.connection), not at start-up
    import sqlite_utils


def _m001_initial(db: sqlite_utils.Database) -> None:
    strict = db.supports_strict
    db.create_table(
        "teams",
        {
            "id": int,
            "code": str,
            "name": str,
            "force": str,
            "area": str,
            "sergeant": str,
            "contact": str,
            "setting": str,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null={"code", "name", "setting", "active", "created_at"},
        defaults={"setting": "urban", "active": 1},
        strict=strict,
    )
    db.table("teams").create_index(["code"], unique=True)
    db.create_table(
        "pledges",
        {
            "id": int,
            "ref": str,
            "team_id": int,
            "kind": str,
            "seq": int,
            "title": str,
            "description": str,
            "agreed_on": str,
            "meeting": str,
            "review_on": str,
            "status": str,
            "outcome": str,
            "closed_on": str,
            "target_type": str,
            "target_count": int,
            "target_unit": str,
            "target_action_kind": str,
            "target_within_minutes": int,
            "target_threshold_pct": float,
            "target_share_pct": float,
            "target_due": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"ref", "team_id", "kind", "seq", "title", "status", "target_type", "created_at"},
        defaults={"status": "active", "target_type": "none"},
        strict=strict,
    )
    db.table("pledges").create_index(["ref"], unique=True)
    db.table("pledges").create_index(["team_id", "kind", "seq"], unique=True)
    db.create_table(
        "actions",
        {
            "id": int,
            # team_id repeats the pledge's team so that "same --ref for the same team"
            # is a unique index and per-team queries need no join
            "team_id": int,
            "pledge_id": int,
            "occurred_at": str,
            "received_at": str,
            "description": str,
            "kind": str,
            "officer": str,
            "partner": str,
            "hours": float,
            "abstracted": int,
            "ext_ref": str,
            "voided_at": str,
            "void_reason": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id"), ("pledge_id", "pledges", "id")],
        not_null={"team_id", "pledge_id", "description", "abstracted", "created_at"},
        defaults={"abstracted": 0},
        strict=strict,
    )
    db.table("actions").create_index(["team_id", "ext_ref"], unique=True)
    db.table("actions").create_index(["pledge_id", "occurred_at"])
    db.table("actions").create_index(["occurred_at"])
    db.create_table(
        "changes",
        {
            "id": int,
            "at": str,
            "who": str,
            "entity": str,
            "entity_key": str,
            "op": str,
            "old": str,
            "new": str,
        },
        pk="id",
        not_null={"at", "who", "entity", "entity_key", "op"},
        strict=strict,
    )
    db.table("changes").create_index(["entity", "entity_key"])


def _m002_national_events(db: sqlite_utils.Database) -> None:
    """Details the national shortcuts record beside their action: meetings, victims' cases."""
    strict = db.supports_strict
    db.create_table(
        "meetings",  # one row per action logged by `meeting` (N7)
        {"action_id": int, "attendance": int},
        pk="action_id",
        foreign_keys=[("action_id", "actions", "id")],
        strict=strict,
    )
    db.create_table(
        "priorities",  # agreed at a meeting, ready to become local pledges
        {"id": int, "action_id": int, "position": int, "text": str},
        pk="id",
        foreign_keys=[("action_id", "meetings", "action_id")],
        not_null={"action_id", "position", "text"},
        strict=strict,
    )
    db.table("priorities").create_index(["action_id", "position"], unique=True)
    db.create_table(
        "victim_contacts",  # the case each N9 item belongs to
        {"action_id": int, "case_ref": str},
        pk="action_id",
        foreign_keys=[("action_id", "actions", "id")],
        not_null={"case_ref"},
        strict=strict,
    )
    db.table("victim_contacts").create_index(["case_ref"])


def _m003_response_index_and_reusable_refs(db: sqlite_utils.Database) -> None:
    """Index items by receipt; let a voided action's external ref be logged again, corrected.

    Response compliance selects items by `received_at` (a month of a million-row log: 530 ms
    without the index, 150 ms with it; the benchmark of the time). The unique external
    ref now applies to live actions only, which needs a partial index: sqlite-utils'
    create_index has no WHERE clause, so this one statement is written out.
    """
    db.table("actions").create_index(["received_at"])
    db.execute("DROP INDEX IF EXISTS idx_actions_team_id_ext_ref")
    db.execute(
        "CREATE UNIQUE INDEX idx_actions_team_id_ext_ref_live ON actions (team_id, ext_ref) "
        "WHERE ext_ref IS NOT NULL AND voided_at IS NULL"
    )


def _m004_highlights_and_planned_meetings(db: sqlite_utils.Database) -> None:
    """What a team's public update shows beyond the figures: actions marked as notable
    outcomes (`log --highlight`) and the public meetings announced ahead (`next-meeting`)."""
    db.execute("ALTER TABLE actions ADD COLUMN highlight INTEGER NOT NULL DEFAULT 0")
    db.create_table(
        "planned_meetings",  # a meeting not yet held: `meeting` logs it once it has been
        {"id": int, "team_id": int, "starts_at": str, "place": str, "note": str, "created_at": str},
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"team_id", "starts_at", "created_at"},
        strict=db.supports_strict,
    )
    db.table("planned_meetings").create_index(["team_id", "starts_at"])


def _m005_covering_report_indexes(db: sqlite_utils.Database) -> None:
    """Let every report read a pledge's rows for a period from one index range alone.

    Reports are driven from the pledges in scope: each pledge seeks its own rows, by
    `occurred_at` (frequency, share, activity) or by `received_at` (response items). With
    the columns the aggregates read in the index, no row is looked up in the table: on the
    national benchmark (10M actions) a month's summary of every team went from 10.3 to
    6.7 CPU seconds (docs/performance.md). Each replaces the narrower index it extends,
    which served only the same seeks.
    """
    db.execute(
        "CREATE INDEX idx_actions_pledge_occurred ON actions "
        "(pledge_id, occurred_at, voided_at, kind, hours, abstracted)"
    )
    db.execute("DROP INDEX IF EXISTS idx_actions_pledge_id_occurred_at")
    db.execute(
        "CREATE INDEX idx_actions_pledge_received ON actions "
        "(pledge_id, received_at, occurred_at, voided_at)"
    )
    db.execute("DROP INDEX IF EXISTS idx_actions_received_at")


def _m006_officer_as_given(db: sqlite_utils.Database) -> None:
    """The audit's `who` is the operating-system account; beside it, the officer's name as
    the user gave it (--officer, PLEDGETRACK_OFFICER), which nothing verifies."""
    db.execute("ALTER TABLE changes ADD COLUMN officer TEXT")


def _m007_deadline_deliveries(db: sqlite_utils.Database) -> None:
    """Which action delivers a deadline pledge (`log --delivers`): any other is progress.

    Actions logged before this migration deliver nothing; a deadline met by one of them is
    recorded by `log --delivers` or by closing the pledge as achieved.
    """
    db.execute("ALTER TABLE actions ADD COLUMN delivers INTEGER NOT NULL DEFAULT 0")


def _m008_open_items_index(db: sqlite_utils.Database) -> None:
    """The response items by when they were dealt with (and received), for `check`'s open
    items: those not dealt with yet, and, for an as-of in the past, those dealt with only
    after it, read from the index alone. Partial: response items only.

    Without it, a `check` as of a past day read every action logged since, each looked up
    in the table (docs/performance.md).
    """
    db.execute(
        "CREATE INDEX idx_actions_open_items ON actions (occurred_at, received_at) "
        "WHERE received_at IS NOT NULL"
    )


def _m009_cancelled_meetings(db: sqlite_utils.Database) -> None:
    """A meeting announced with `next-meeting` can be called off (`--cancel`): the row
    stays, with when it was cancelled, so an update as of earlier still shows it."""
    db.execute("ALTER TABLE planned_meetings ADD COLUMN cancelled_at TEXT")


def _m010_report_order_and_response_times(db: sqlite_utils.Database) -> None:
    """Two indexes that save national reports work per row (docs/performance.md).

    The response items' index holds each item's times as epoch seconds beside their text,
    in the one form store.queries converts them with, so response compliance reads the
    elapsed times from the index instead of converting two times per item; it is partial
    (response items only), so the other actions no longer pay for it. The pledges' unique
    index lists a team's national pledges before its local ones, the order reports show,
    so loading them sorts nothing.
    """
    epoch = "CAST(strftime('%s', {}) AS INTEGER)"  # queries.EPOCH_SQL: it must be the same text
    db.execute(
        "CREATE INDEX idx_actions_response_items ON actions "
        "(pledge_id, received_at, occurred_at, voided_at, "
        f"{epoch.format('received_at')}, {epoch.format('occurred_at')}) "
        "WHERE received_at IS NOT NULL"
    )
    db.execute("DROP INDEX IF EXISTS idx_actions_pledge_received")
    db.execute("DROP INDEX idx_pledges_team_id_kind_seq")
    db.execute(
        "CREATE UNIQUE INDEX idx_pledges_team_id_kind_seq ON pledges (team_id, kind DESC, seq)"
    )



def _m011_unsound_judged_times(db: sqlite_utils.Database) -> None:
    """The actions whose `received_at` or `voided_at` another tool wrote in a form
    pledgetrack does not (`2008/10/14 09:00`, no offset, an empty text): a partial index
    of those rows only, normally empty, so every report finds them by one seek and refuses
    to count them (store.stored_times.refuse_unplaced) rather than judge a wait or a void
    wrong, and SQLite keeps it whichever program writes. Its WHERE is
    stored_times.UNSOUND_JUDGED_SQL as it was at schema 11 (schema 14 widened it): a
    query must repeat it exactly to use it."""
    from pledgetrack.store.stored_times import unsound_sql  # imports store.connection

    where = unsound_sql(("received_at", "voided_at"))
    db.execute(f"CREATE INDEX idx_actions_unsound_times ON actions (pledge_id) WHERE {where}")


def _m012_refs_whatever_their_case(db: sqlite_utils.Database) -> None:
    """A team's external refs are one id whatever their case (`INC123`, `inc123`): the live
    actions' refs indexed as SQLite's NOCASE compares them, for `log --ref` and the import's
    duplicate check (domain.models.ref_key folds alike).

    Not unique: a database may already hold `INC1` and `inc1` for one team, logged when case
    told them apart; both are kept as they are (nothing is changed or lost), and `db check`
    names them. The store refuses a new clash inside its write transaction; the unique index
    on the exact text (schema 3) stays, for any other tool writing the table.
    """
    db.execute(
        "CREATE INDEX idx_actions_team_ext_ref_nocase ON actions (team_id, ext_ref COLLATE NOCASE) "
        "WHERE ext_ref IS NOT NULL AND voided_at IS NULL"
    )


def _m013_settings(db: sqlite_utils.Database) -> None:
    """What the database says of itself: first, the time zone its times are kept in
    (store.zones), recorded by the command that creates or upgrades the file, since the
    local days, periods and typed times of every later command are that zone's."""
    db.create_table(
        "settings", {"key": str, "value": str}, pk="key", not_null={"value"},
        strict=db.supports_strict,
    )


def _m014_unsound_occurred_times(db: sqlite_utils.Database) -> None:
    """Schema 11's partial index of unsound rows holds occurred_at too: a time another tool
    wrote with a good day but no offset (`2008-10-30T21:00:00`) failed a response item's
    wait with a traceback, and `2008-10-28Tgarbage` counted by its day. Its WHERE is
    stored_times.UNSOUND_JUDGED_SQL; the reports' walk of the stored days is no longer
    needed (this index finds every such row)."""
    from pledgetrack.store.stored_times import UNSOUND_JUDGED_SQL  # imports store.connection

    db.execute("DROP INDEX IF EXISTS idx_actions_unsound_times")
    db.execute(
        f"CREATE INDEX idx_actions_unsound_times ON actions (pledge_id) WHERE {UNSOUND_JUDGED_SQL}"
    )


def _m015_listing_order_indexes(db: sqlite_utils.Database) -> None:
    """The listings' order, newest first, in three indexes: `actions --limit 20` read and
    sorted every action to show 20 (6.7 CPU s at ten million, FRESH2 G28); it now reads the
    rows it shows from the end of one of these (docs/performance.md, "Listings"). The key is
    store.stored_times.LISTED_ORDER_SQL, the instant (a julian day, exact through the repeated
    hour in autumn; `now`, which SQLite refuses in an index, never reaches julianday),
    alone, after a team or after a kind; the index's row id is the tie's `a.id DESC`. A
    pledge's listing sorts that pledge's own rows (idx_actions_pledge_occurred).
    """
    when = "COALESCE(occurred_at, received_at)"
    when = f"julianday(CASE WHEN {when} GLOB '[0-9]*' THEN {when} END)"  # LISTED_ORDER_SQL
    # IF NOT EXISTS: a file another tool set back to 14 (user_version) upgrades again as is
    for name, columns in (("listed", ""), ("team_listed", "team_id, "), ("kind_listed", "kind, ")):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_actions_{name} ON actions ({columns}{when})")


def _m016_contact_frequency(db: sqlite_utils.Database) -> None:
    """How often each victim agreed to hear from us (`victim-update --every 7d`), on the
    contact's row of its case: the item that contact opens is judged against it, in place
    of N9's own limit (31 days), and so is every later one until another is agreed. NULL:
    none agreed (every contact stored before this release), N9's limit applies."""
    # only if missing: a file another tool set back to an earlier user_version upgrades again
    if "every_days" not in db.table("victim_contacts").columns_dict:
        db.execute("ALTER TABLE victim_contacts ADD COLUMN every_days INTEGER")


def _m017_refs_shared_by_actions(db: sqlite_utils.Database) -> None:
    """One incident or crime number on several actions (a patrol, then a message about the
    same incident: FRESH4 G16): schema 3's unique index on a team's live refs goes. An
    import identifies a row by its team, ref, pledge and times instead
    (store.actions.ref_identity), inside its write transaction; schema 12's NOCASE index
    still finds a ref's actions."""
    db.execute("DROP INDEX IF EXISTS idx_actions_team_id_ext_ref_live")


def _m018_received_in_the_reports_index(db: sqlite_utils.Database) -> None:
    """Schema 5's index of each pledge's rows by occurred_at holds received_at too, so
    every report's check for a response pledge's action of the period with no received
    time (stored_values.refuse_untimed, ATTACK4 A8) reads the index alone: it looked each
    response action of the month up in the table, 0.19 CPU s warm and about 2 s cold a
    month of the nation (docs/performance.md). A NULL costs a byte in the other actions'
    entries. Rebuilding it reads every action once: about 24 CPU s at ten million."""
    db.execute("DROP INDEX IF EXISTS idx_actions_pledge_occurred")
    db.execute(
        "CREATE INDEX idx_actions_pledge_occurred ON actions "
        "(pledge_id, occurred_at, voided_at, kind, hours, abstracted, received_at)"
    )


Migration = Callable[["sqlite_utils.Database"], None]

MIGRATIONS: list[Migration] = [
    _m001_initial,
    _m002_national_events,
    _m003_response_index_and_reusable_refs,
    _m004_highlights_and_planned_meetings,
    _m005_covering_report_indexes,
    _m006_officer_as_given,
    _m007_deadline_deliveries,
    _m008_open_items_index,
    _m009_cancelled_meetings,
    _m010_report_order_and_response_times,
    _m011_unsound_judged_times,
    _m012_refs_whatever_their_case,
    _m013_settings,
    _m014_unsound_occurred_times,
    _m015_listing_order_indexes,
    _m016_contact_frequency,
    _m017_refs_shared_by_actions,
    _m018_received_in_the_reports_index,
]

LATEST_VERSION = len(MIGRATIONS)
# the first version whose file records its time zone (store.zones)
ZONE_RECORDED_SINCE = MIGRATIONS.index(_m013_settings) + 1


# What a migration leaves that shows its schema was reached: (version, type, name)
_MARKS = (
    (11, "index", "idx_actions_unsound_times"),
    (12, "index", "idx_actions_team_ext_ref_nocase"),
    (13, "table", "settings"),
)


def version_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """A schema version no release wrote, or one below what the tables already hold
    (another tool set `PRAGMA user_version`, or page 1 is damaged): `db upgrade` would
    replay migrations onto tables that have them (`table "teams" already exists`). One
    look at sqlite_master, asked only of a version below LATEST_VERSION."""
    if version < 0:
        return f"schema version {version} is not one pledgetrack wrote"
    names = {(t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master")}
    reached = max((v for v, t, n in _MARKS if (t, n) in names), default=0)
    core = {("table", t) for t in ("teams", "pledges", "actions", "changes")}
    if version == 0 and core <= names:  # schema 1 made them: 0 is no release's for them
        reached = max(reached, 1)
    if reached > version:
        return f"schema version {version}, but its tables are those of schema {reached} or later"
    return None


def user_version(db: sqlite_utils.Database | sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations; the caller holds the write transaction. Returns steps applied."""
    current = user_version(db)
    for step in MIGRATIONS[current:]:
        step(db)
    if current < LATEST_VERSION:
        # PRAGMA takes no bound parameters; LATEST_VERSION is our own integer constant
        db.execute(f"PRAGMA user_version = {int(LATEST_VERSION)}")
    return LATEST_VERSION - current
