"""An archive seen whole: cross-year ties between one agency's consecutive reports, `archive.sqlite`,
reviewers' corrections, and `disclosure archive` rebuilding them from a results folder."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from disclosure.table_recon.agency import agency_key
from disclosure.table_recon.cross_year import YearReport, cross_year_ties
from disclosure.workers.cli import main
from synthetic.archive import AGENCY_SPELLINGS, PlantedBreak, agency_years, write_archive

CLI = [sys.executable, "-c", "from disclosure.workers.cli import entry_point; entry_point()"]
BREAKS = (PlantedBreak(0, 2020, "ties.carried_in.natural"), PlantedBreak(1, 2022, "ties.in_force.rules"),
          PlantedBreak(2, 2021, "ties.carried_in.legal"), PlantedBreak(3, 2022, "ties.in_force.normative"))


def _expected_failures(breaks) -> set[tuple[str, int, str]]:
    return {(agency_key(AGENCY_SPELLINGS[b.agency][0]), b.year, rule) for b in breaks for rule in b.failing_rules()}


def test_one_office_spelled_as_its_years_print_it_is_one_agency_and_others_stay_apart():
    for spellings in AGENCY_SPELLINGS:
        assert len({agency_key(s) for s in spellings}) == 1, spellings
    assert agency_key("宁波市镇海区人力资源和社会保障局") == agency_key("宁波市镇海区 人力资源社会保障局")
    assert agency_key("中华人民共和国生态环境部") == agency_key("生态环境部")
    assert agency_key("（上海市）浦东新区政府") == agency_key("(上海市)浦东新区人民政府")
    assert agency_key("杭州市西湖区教育局") != agency_key("杭州市上城区教育局")
    assert agency_key("") is None and agency_key(None) is None


def _year_reports(truths, agency: int) -> list[YearReport]:
    out = []
    for truth in truths:
        values = {k: (0 if v is None else v) for k, v in truth.values.items()}
        out.append(YearReport(f"{agency}-{truth.year}", agency_key(truth.agency), truth.year, truth.format.name, values))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_every_planted_break_is_one_failed_tie_of_its_rule_agency_and_year_and_nothing_else_fails(seed):
    reports = []
    for agency in range(len(AGENCY_SPELLINGS)):
        reports += _year_reports(agency_years(agency, 2019, 5, seed * 10 + agency, BREAKS), agency)
    ties, same_year = cross_year_ties(reports)
    failed = {(t.agency, t.year, t.rule) for t in ties if t.ok is False}
    assert failed == _expected_failures(BREAKS)
    assert not same_year
    # across the change of format: 2020 (format 2019) carried over into 2021 (format 2021)
    assert {t.ok for t in ties if t.year == 2021 and t.rule.startswith("ties.carried_in")} <= {True, False}
    # in force ties only between two years of format 2021; a first year has no prior report
    assert {t.year for t in ties if t.rule.startswith("ties.in_force")} == {2022, 2023}
    assert all(t.ok is None and t.prior_report is None for t in ties if t.year == 2019)
    assert all(t.ok is not None for t in ties if t.prior_report is not None)


def test_a_value_not_read_leaves_its_tie_unevaluated_and_a_revised_report_is_tied_once():
    truths = agency_years(0, 2019, 3, 7)
    reports = _year_reports(truths, 0)
    unread = dict(reports[1].values, **{"apply.carried_over.natural": None})
    reports[1] = YearReport(reports[1].report, reports[1].agency, 2020, "2019", unread, "incomplete", 1)
    revised = YearReport("0-2020-revised", reports[1].agency, 2020, "2019", _year_reports(truths, 0)[1].values)
    ties, same_year = cross_year_ties(reports + [revised])
    # the better read of the two 2020 reports is tied; the other is listed beside it
    assert [(g.year, g.tied, g.others) for g in same_year] == [(2020, "0-2020-revised", ("0-2020",))]
    assert len([t for t in ties if t.year == 2021 and t.rule == "ties.carried_in.natural"]) == 1
    reports[1] = YearReport("0-2020", reports[1].agency, 2020, "2019", unread)
    ties, _ = cross_year_ties(reports)
    natural = next(t for t in ties if t.year == 2021 and t.rule == "ties.carried_in.natural")
    assert natural.ok is None and natural.rhs is None and natural.prior_report == "0-2020"


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory):
    """A generated archive (five agencies, 2019-2022, one revised report, one PDF) backfilled
    without the report a break's pair needs, then again with it: the rerun brings the ties up to date."""
    root = tmp_path_factory.mktemp("archive")
    documents = write_archive(root / "in", agencies=5, years=4, seed=3, breaks=BREAKS[:3], revised=((4, 2021),),
                              as_pdf=((2, 2021),))
    held_back = next(d for d in documents if d.agency == 0 and d.truth.year == 2019)
    aside = root / "aside" / held_back.path.name
    aside.parent.mkdir()
    held_back.path.rename(aside)
    out = root / "results"
    first = subprocess.run([*CLI, "backfill", str(root / "in"), "--out", str(out), "--workers", "2"],
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(out / "archive.sqlite") as db:
        before = db.execute("select ok, prior_report from ties where year = 2020 and rule = 'ties.carried_in.natural' "
                            "and agency = ?", (agency_key(AGENCY_SPELLINGS[0][0]),)).fetchall()
    aside.rename(held_back.path)
    second = subprocess.run([*CLI, "backfill", str(root / "in"), "--out", str(out), "--workers", "2"],
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    return documents, out, before, second.stderr


@pytest.mark.slow
@pytest.mark.ray
def test_the_backfill_ties_every_agencys_years_and_a_rerun_brings_the_ties_up_to_date(backfilled):
    documents, out, before, stderr = backfilled
    assert before == [(None, None)]  # the agency's 2019 report was not there yet
    with sqlite3.connect(out / "archive.sqlite") as db:
        failed = set(db.execute("select agency, year, rule from ties where ok = 0").fetchall())
        statuses = db.execute("select status, count(*) from reports group by status").fetchall()
        pairs = db.execute("select count(*) from ties where prior_report is not null").fetchone()[0]
        same_year = db.execute("select agency_key, year from reports where same_year_as is not null").fetchall()
        tie = db.execute("select lhs, rhs, report, prior_report from ties where ok = 0 and rule = "
                         "'ties.carried_in.natural'").fetchone()
        indexes = {row[0] for row in db.execute("select name from sqlite_master where type = 'index'")}
    assert failed == _expected_failures(BREAKS[:3])
    assert statuses == [("verified", len(documents))]  # a failed tie never changes a report's status
    assert pairs == 5 * (3 * 7 + 1 * 2)  # 2020, 2021, 2022 carried-in; 2022 in force (2 rows)
    assert same_year == [(agency_key(AGENCY_SPELLINGS[4][1]), 2021)]
    assert tie[0] != tie[1] and tie[2] != tie[3]
    assert {"ties_ok", "checks_rule_ok", "reports_agency_year"} <= indexes
    assert re.search(rf"archive: {len(documents)} reports, 0 failed documents; ties \d+ \({len(failed)} failed", stderr)
    assert (out / "index.html").is_file() and (out / "ties.csv").is_file()
    pdf = next(d for d in documents if d.path.suffix == ".pdf")
    crops = list((out / "crops").glob("*/*.png"))
    assert crops and {p.stem for p in crops} >= {"apply.carried_in.legal", "apply.carried_over.total"}
    assert pdf.path.exists()


def _corrections(path: Path, rows: list[str]) -> Path:
    path.write_text("report,field,value,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.ray
def test_a_correction_keeps_the_printed_value_and_its_note_and_rechecks_the_report_and_its_ties(backfilled, tmp_path, capsys):
    documents, out, _, _ = backfilled
    with sqlite3.connect(out / "archive.sqlite") as db:
        report, rhs = db.execute("select report, rhs from ties where ok = 0 and rule = 'ties.carried_in.natural'").fetchone()
    name = Path(json.loads((out / "documents" / f"{report}.json").read_text())["paths"][0]).name
    other = next(d for d in documents if d.truth.year == 2022 and d.agency == 3)
    fixes = _corrections(tmp_path / "fixes.csv", [
        f"{name},apply.carried_in.natural,{int(rhs)},misprint: the office's register says {int(rhs)}",
        f"{report[:12]},apply.carried_in.total,,cell blank in the signed copy",
        f"{other.path.name},apply.received.natural,999,typed over",
    ])
    assert main(["archive", str(out), "--corrections", str(fixes)]) == 0
    with sqlite3.connect(out / "archive.sqlite") as db:
        natural = db.execute("select ok from ties where report = ? and rule = 'ties.carried_in.natural'", (report,)).fetchone()
        cell = db.execute("select value, state, printed, printed_state, correction from fields where report = ? and "
                          "key = 'apply.carried_in.natural'", (report,)).fetchone()
        status = dict(db.execute("select report, status from reports where corrected = 1").fetchall())
        failing = db.execute("select rule from checks where report = ? and ok = 0", (report,)).fetchall()
    assert natural == (1,)
    assert cell[0] == rhs and cell[1] == "read" and cell[2] != rhs and cell[3] == "read"
    assert cell[4].startswith("misprint")
    # the blank total and the changed count break the reports' own rules: recomputed, not mended
    assert status[report] == "failed_checks" and ("apply.row_sum.carried_in",) in failing
    assert len(status) == 2 and set(status.values()) == {"failed_checks"}
    # kept in the results folder: a later build applies it again without being told
    assert main(["archive", str(out)]) == 0
    with sqlite3.connect(out / "archive.sqlite") as db:
        assert db.execute("select count(*) from reports where corrected = 1").fetchone() == (2,)
    (out / "corrections.csv").unlink()
    assert main(["archive", str(out)]) == 0
    with sqlite3.connect(out / "archive.sqlite") as db:
        assert db.execute("select count(*) from reports where corrected = 1").fetchone() == (0,)
    capsys.readouterr()


@pytest.mark.parametrize("rows, says", [
    (["nosuchfile.txt,apply.received.natural,1,x"], "no report 'nosuchfile.txt'"),
    (["{name},apply.no_such_row.natural,1,x"], "has no field 'apply.no_such_row.natural'"),
    (["{name},active.rules.in_force,1,x"], "has no field 'active.rules.in_force'"),  # a 2019-format report
    (["{name},apply.received.natural,twelve,x"], "is not a number"),
    (["{name},apply.received.natural,1,x", "{name},apply.received.natural,2,y"], "is corrected on line 2 too"),
])
@pytest.mark.slow
@pytest.mark.ray
def test_a_correction_that_names_no_such_report_or_field_is_refused_in_one_line(backfilled, tmp_path, capsys, rows, says):
    documents, out, _, _ = backfilled
    name = next(d for d in documents if d.truth.year == 2019 and d.path.suffix == ".txt").path.name
    before = (out / "archive.sqlite").read_bytes()
    fixes = _corrections(tmp_path / "fixes.csv", [row.format(name=name) for row in rows])
    assert main(["archive", str(out), "--corrections", str(fixes)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "fixes.csv line" in err
    assert (out / "archive.sqlite").read_bytes() == before and not (out / "corrections.csv").exists()


def test_archive_refuses_a_folder_that_is_not_a_results_folder_and_a_headerless_file(tmp_path, capsys):
    assert main(["archive", str(tmp_path)]) == 2
    assert "not a results folder" in capsys.readouterr().err
    (tmp_path / "documents").mkdir()
    bad = tmp_path / "c.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["archive", str(tmp_path), "--corrections", str(bad)]) == 2
    assert "first line must be the header report,field,value,note" in capsys.readouterr().err
    assert main(["archive", str(tmp_path), "--corrections", str(tmp_path / "none.csv")]) == 2
    assert "cannot read the corrections file" in capsys.readouterr().err


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium on this machine (Debian: chromium, which .ci/run installs)")


def _browse(url: str, profile: Path, *more: str) -> subprocess.CompletedProcess:
    """The page as headless Chromium leaves it once its scripts, the report scripts they load and
    the pictures have run and loaded."""
    return subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--user-data-dir={profile}", "--virtual-time-budget=15000", *more, url],
                          capture_output=True, text=True, timeout=180, check=False)


def _view(out: Path, tmp_path: Path, fragment: str = "") -> BeautifulSoup:
    run = _browse((out / "index.html").as_uri() + fragment, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0 and "<body" in run.stdout, run.stderr[-2000:]
    return BeautifulSoup(run.stdout, "html.parser")


@pytest.mark.slow
@pytest.mark.ray
@pytest.mark.browser
def test_the_review_page_lists_every_report_and_a_filter_narrows_the_list(backfilled, tmp_path):
    documents, out, _, _ = backfilled
    page = (out / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # opens without network
    with sqlite3.connect(out / "archive.sqlite") as db:
        reports = dict(db.execute("select report, year from reports").fetchall())
        with_failed_ties = {r for (r,) in db.execute("select distinct report from ties where ok = 0")}
    view = _view(out, tmp_path)
    listed = [row["data-id"] for row in view.select("#reports tbody tr")]
    assert sorted(listed) == sorted(reports) and len(reports) == len(documents)
    assert view.select_one("#shown").get_text() == f"{len(reports)} of {len(reports)} reports"
    view = _view(out, tmp_path, "#year=2021&status=verified")
    rows = view.select("#reports tbody tr")
    assert {row["data-id"] for row in rows} == {r for r, year in reports.items() if year == 2021}
    assert view.select_one("#shown").get_text() == f"{len(rows)} of {len(reports)} reports"
    view = _view(out, tmp_path, "#ties=1")
    assert {row["data-id"] for row in view.select("#reports tbody tr")} == with_failed_ties


@pytest.mark.slow
@pytest.mark.ray
@pytest.mark.browser
def test_a_report_shows_its_failed_ties_cells_marked_with_their_crops_loaded(backfilled, tmp_path):
    documents, out, _, _ = backfilled
    pdf = next(d for d in documents if d.path.suffix == ".pdf")
    record = next(json.loads(p.read_text()) for p in (out / "documents").glob("*.json")
                  if pdf.path.name in json.loads(p.read_text())["paths"][0])
    view = _view(out, tmp_path, f"#report={record['sha256']}")
    marked = {td["data-key"] for td in view.select("table.fields td.tie")}
    assert marked == {"apply.carried_in.legal", "apply.carried_in.total"}
    assert any("ties.carried_in.legal" in p.get_text() and "fails" in p.get_text() for p in view.select("p.finding.bad"))
    crops = view.select("table.crops img")
    assert {img["alt"] for img in crops} == marked
    assert all(img.get("data-loaded") == "1" for img in crops)  # the pictures were found on disk and decoded
    shot = tmp_path / "review.png"
    run = _browse((out / "index.html").as_uri() + f"#report={record['sha256']}", tmp_path / "profile",
                  f"--screenshot={shot}", "--window-size=1280,1000")
    assert run.returncode == 0 and shot.stat().st_size > 20_000


def test_names_that_look_like_markup_stay_text_in_the_page(tmp_path):
    from disclosure.workers.document_job import process_document
    from disclosure.workers.result_store import DocumentRecord, ResultFolder
    from tests.conftest import SEED

    name = "</script><script>alert(1)</script><!--.txt"
    copy = tmp_path / "in" / name.replace("/", "∕")
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    folder = ResultFolder(tmp_path / "out")
    folder.prepare()
    outcome = process_document(copy, name=name)
    folder.save(DocumentRecord("ab" * 32, (name,), outcome, 1))
    assert main(["archive", str(tmp_path / "out"), "-q"]) == 0
    page = BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = page.find_all("script")
    assert len(scripts) == 2  # the data and the code: nothing the name opened or closed
    data = json.loads(scripts[0].string)
    assert [row[9] for row in data["reports"]] == [outcome.report.source]
