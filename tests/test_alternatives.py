"""A failed rule and an unsure reading: the recogniser's alternative is taken only when the rules
single it out, and a confidently read printed error stays a failed rule."""

from __future__ import annotations

from disclosure.ocr.origin import Box, Origin
from disclosure.table_recon.alternatives import choose_alternatives, doubts
from disclosure.table_recon.report import FieldReading, FieldState
from disclosure.table_recon.rules import Rule, evaluate, evaluate_all

# total = a + b, and a column rule: a = c
RULES = (Rule("row", ("total",), ("a", "b")), Rule("column", ("a",), ("c",)))


def _read(value: int, raw: str | None = None, confidence: float = 0.99,
          alternatives: tuple[tuple[str, float], ...] = ()) -> FieldReading:
    origin = Origin("scan.pdf", raw if raw is not None else str(value), page=2, box=Box(0, 0, 10, 10),
                    confidence=confidence, alternatives=alternatives)
    return FieldReading(value, FieldState.READ, origin)


def _holds(readings) -> bool:
    values = {key: r.rule_value for key, r in readings.items()}
    return all(evaluate(rule, values).ok for rule in RULES)


def test_an_alternative_that_makes_every_rule_of_its_cell_hold_is_taken_and_said():
    readings = {"total": _read(3), "a": _read(6, confidence=0.62, alternatives=(("0", 0.15), ("8", 0.05))),
                "b": _read(3), "c": _read(0)}
    chosen, choices = choose_alternatives(readings, RULES)
    assert chosen["a"].value == 0 and _holds(chosen)
    assert chosen["a"].origin.raw == "6"  # what was read stays on record
    assert "'6'" in chosen["a"].note and "'0'" in chosen["a"].note and "row" in chosen["a"].note
    assert [(c.key, c.read, c.taken) for c in choices] == [("a", "6", "0")]


def test_an_alternative_that_breaks_another_rule_of_its_cell_is_not_taken():
    # "0" would make the row hold but break the column rule (c is 6)
    readings = {"total": _read(3), "a": _read(6, alternatives=(("0", 0.2),)), "b": _read(3), "c": _read(6)}
    chosen, choices = choose_alternatives(readings, RULES)
    assert choices == () and chosen == readings


def test_two_cells_whose_alternatives_both_mend_a_rule_leave_it_failed():
    rules = (Rule("row", ("total",), ("a", "b")),)
    readings = {"total": _read(3), "a": _read(6, alternatives=(("0", 0.2),)), "b": _read(3, alternatives=(("-3", 0.1),))}
    chosen, choices = choose_alternatives(readings, rules)
    assert choices == () and chosen["a"].value == 6 and chosen["b"].value == 3


def test_a_confidently_read_printed_error_stays_a_failed_rule_and_the_unsure_readings_are_named():
    readings = {"total": _read(4), "a": _read(0, confidence=0.7), "b": _read(3), "c": _read(0)}
    chosen, choices = choose_alternatives(readings, RULES)
    assert choices == () and not _holds(chosen)
    found = doubts(chosen, evaluate_all(RULES, {key: r.rule_value for key, r in chosen.items()}))
    assert len(found) == 1 and found[0].startswith("row fails") and "a (read '0', confidence 0.70, page 2)" in found[0]


def test_alternatives_travel_with_the_reading_into_the_json_detail():
    reading = _read(6, confidence=0.5, alternatives=(("0", 0.25),))
    assert reading.as_dict()["alternatives"] == [["0", 0.25]]


def _unreadable(raw: str, alternatives: tuple[tuple[str, float], ...]) -> FieldReading:
    origin = Origin("scan.pdf", raw, page=5, box=Box(0, 0, 10, 10), confidence=0.76, alternatives=alternatives)
    return FieldReading(None, FieldState.MISSING, origin)


def test_an_unreadable_cell_takes_the_alternative_under_which_each_of_its_rules_holds():
    # a thin serif "1" blurred at 150 dpi read as "!": no rule could be evaluated with it
    readings = {"total": _read(4), "a": _unreadable("!", (("1", 0.20), ("7", 0.03))), "b": _read(3), "c": _read(1)}
    chosen, choices = choose_alternatives(readings, RULES)
    assert chosen["a"].value == 1 and chosen["a"].state is FieldState.READ and _holds(chosen)
    assert chosen["a"].origin.raw == "!" and "'!'" in chosen["a"].note and "row, column" in chosen["a"].note
    assert [(c.key, c.taken) for c in choices] == [("a", "1")]


def test_an_unreadable_cell_stays_unread_where_a_rule_of_it_would_fail_or_stay_unevaluated():
    # "1" makes the row hold but breaks the column rule
    readings = {"total": _read(4), "a": _unreadable("!", (("1", 0.2),)), "b": _read(3), "c": _read(5)}
    assert choose_alternatives(readings, RULES) == (readings, ())
    # the column rule cannot be evaluated (c unread too): nothing but the row vouches for "1"
    readings = {"total": _read(4), "a": _unreadable("!", (("1", 0.2),)), "b": _read(3),
                "c": FieldReading(None, FieldState.MISSING)}
    assert choose_alternatives(readings, RULES) == (readings, ())
