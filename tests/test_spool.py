"""services/spool.py: the checked rows an import keeps for its write come back exactly as
given, in order, in chunks of the writer's size, whether held in memory or on disk."""

from __future__ import annotations

import errno
import tempfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgetrack.errors import SystemRefusedError
from pledgetrack.services.spool import Spool

# what a stored action row holds: text (any), whole and real numbers, None, flags
values = st.one_of(st.text(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False),
                   st.none(), st.booleans())  # fmt: skip
rows = st.tuples(st.integers(0, 10**6), values, st.tuples(values, values))


def spooled(adds: list[list[tuple[Any, ...]]], size: int, held: int) -> list[tuple[Any, ...]]:
    """Every row back out of a spool, each chunk checked for its length."""
    out: list[tuple[Any, ...]] = []
    with Spool(3, size, held) as spool:
        for add in adds:
            spool.add([[r[i] for r in add] for i in range(3)])
        chunks = list(spool.chunks())
    total = sum(map(len, adds))
    assert [len(c[0]) for c in chunks] == [min(size, total - at) for at in range(0, total, size)]
    for chunk in chunks:
        out.extend(zip(*chunk, strict=True))
    return out


@given(st.lists(st.lists(rows, max_size=9), max_size=6), st.integers(1, 5), st.integers(0, 12))
def test_rows_come_back_as_given_in_order_in_chunks_of_the_size(
    adds: list[list[tuple[Any, ...]]], size: int, held: int
) -> None:
    given_rows = [row for add in adds for row in add]
    back = spooled(adds, size, held)
    assert back == given_rows
    # the same objects' values and types: 1 stays int, 1.0 float, True a flag, -0.0 signed
    assert [tuple(map(repr, r)) for r in back] == [tuple(map(repr, r)) for r in given_rows]


@pytest.mark.parametrize(("held", "on_disk"), [(0, True), (3, True), (4, False), (100, False)])
def test_only_rows_past_the_held_ones_use_the_disk(
    held: int, on_disk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 2, 4 rows: held 4 keeps both chunks in memory, 3 keeps one and writes one."""
    opened: list[object] = []
    real = tempfile.TemporaryFile

    def counted(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", counted)
    rows_in = [(n, f"row {n}", (None, 1.5)) for n in range(4)]
    assert spooled([rows_in], 2, held) == rows_in
    assert bool(opened) is on_disk


def test_a_disk_that_refuses_the_rows_is_the_system_refusing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(*_: Any, **__: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    with Spool(1, 2, 0) as spool, pytest.raises(SystemRefusedError) as refused:
        spool.add([[1, 2, 3]])
    assert str(refused.value) == (
        f"cannot keep the checked rows in a temporary file in {tempfile.gettempdir()}: "
        "No space left on device (set TMPDIR to a folder with room)"
    )


def test_no_folder_for_the_rows_anywhere_is_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere(*_: Any, **__: Any) -> Any:
        raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found")

    monkeypatch.setattr(tempfile, "TemporaryFile", nowhere)
    monkeypatch.setattr(tempfile, "gettempdir", nowhere)
    with Spool(1, 1, 0) as spool, pytest.raises(SystemRefusedError) as refused:
        spool.add([[1]])
    assert str(refused.value) == (
        "cannot keep the checked rows in a temporary file anywhere (TMPDIR, /tmp, /var/tmp, "
        "the current folder): No usable temporary directory found (set TMPDIR to a folder "
        "with room)"
    )
