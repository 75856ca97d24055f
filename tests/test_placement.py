from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.layout.rows import Cell
from disclosure.ocr.origin import Origin
from disclosure.table_recon.formats import FORMAT_2021
from disclosure.table_recon.placement import solve
from disclosure.table_recon.row_readings import HowRead, Unit, row_candidates, split_digit_run
from disclosure.table_recon.rules import build_rules

RULES = build_rules(FORMAT_2021)
ORIGIN = Origin("t", "")


def cells(*texts, glued=False):
    return tuple(Cell(t, ORIGIN, glued) for t in texts)


def keys(row):
    return tuple(f"apply.{row}.{c}" for c in ("natural", "business", "research", "ngo", "legal", "other", "total"))


def test_split_digit_runs_without_leading_zeros():
    assert list(split_digit_run("4000004", 7)) == [("4", "0", "0", "0", "0", "0", "4")]
    assert ("6", "23", "3440") in list(split_digit_run("6233440", 3))
    assert all(not p.startswith("0") or p == "0" for parts in split_digit_run("10203", 3) for p in parts)


def test_dropped_blanks_are_placed_by_the_row_total():
    row_keys = keys("received")
    local = [r for r in RULES if set(r.keys) <= set(row_keys)]
    candidates = row_candidates(cells("2", "1", "3"), row_keys, local)
    assert all(c[-1].value == 3 for c in candidates)  # 3 = 2 + 1 can only be the total


def test_joined_row_is_cut_by_its_rules():
    row_keys = keys("received")
    local = [r for r in RULES if set(r.keys) <= set(row_keys)]
    (only,) = row_candidates(cells("4000004", glued=True), row_keys, local)
    assert [p.value for p in only] == [4, 0, 0, 0, 0, 0, 4]


def test_symmetric_placements_are_reported_ambiguous_not_picked():
    # one request, natural or business: nothing else in the table tells them apart
    units = []
    for row in ("received", "granted", "total"):
        row_keys = keys(row)
        local = [r for r in RULES if set(r.keys) <= set(row_keys)]
        units.append(Unit(row_keys, row_candidates(cells("1", "1"), row_keys, local)))
    placement = solve(units, RULES)
    assert "apply.received.natural" in placement.ambiguous
    assert placement.placed["apply.received.total"].value == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 999), min_size=2, max_size=6))
def test_every_split_joins_back_to_the_run(numbers):
    text = "".join(map(str, numbers))
    splits = list(split_digit_run(text, len(numbers)))
    assert tuple(map(str, numbers)) in splits
    assert all("".join(s) == text for s in splits)


def test_each_piece_says_how_it_was_read():
    row_keys = keys("received")
    local = [r for r in RULES if set(r.keys) <= set(row_keys)]
    (joined,) = row_candidates(cells("4000004", glued=True), row_keys, local)
    assert {p.how for p in joined} == {HowRead.SPLIT}
    dropped = row_candidates(cells("2", "—", "1", "3"), row_keys, local)
    assert {p.how for c in dropped for p in c} == {HowRead.READ, HowRead.EMPTY, HowRead.DROPPED}
    assert all(isinstance(p.how, HowRead) for c in dropped for p in c)
