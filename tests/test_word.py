"""Word files: the official 2021 template filled in, both formats typeset with merged cells, `.doc`
and `.wps` through LibreOffice, and files that only look like Word."""

import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from disclosure.ocr.errors import InputError
from disclosure.ocr.word_file import read_binary_word, read_docx
from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main
from synthetic.docx_render import render_docx
from synthetic.scoring import score
from synthetic.values import random_truth

# six typeset files take seconds to write and read: the filled-in official template is the quick check
CASES = [("2021", "template"), pytest.param("2021", "built", marks=pytest.mark.slow),
         pytest.param("2019", "built", marks=pytest.mark.slow)]


@pytest.mark.parametrize("fmt,style", CASES)
def test_word_files_read_every_field_and_exactly_the_findings(tmp_path, fmt, style):
    for seed in range(3):
        for plant in (False, True):
            truth = random_truth(FORMATS[fmt], seed + 30 * plant, plant_error=plant, blank_zeros=0.4)
            path = render_docx(truth, style, tmp_path / f"{seed}-{plant}.docx", seed, empty=("", "/", "—")[seed])
            report = inspect_file(path)
            result = score(truth, report)
            assert result.right == result.fields, (seed, plant, result.wrong, result.unread)
            assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules


def test_merged_cells_appear_once_with_their_table_row_and_column(tmp_path):
    truth = random_truth(FORMATS["2021"], 2)
    document = read_docx(render_docx(truth, "template", tmp_path / "r.docx", 2))
    grids = [piece for piece in document.pages[0].flow if type(piece).__name__ == "Grid"]
    apply = grids[1]
    # 三、本年度办理结果 spans 22 rows of the label column (vMerge): its text once, None below it;
    # 一、本年新收… spans three columns (gridSpan): None right of it
    column = [row[0].text for row in apply.rows]
    start = column.index("三、本年度办理结果")
    assert column[start + 1:start + 22] == [None] * 21 and column[start + 22] == "四、结转下年度继续办理"
    assert column.count("三、本年度办理结果") == 1
    received = next(row for row in apply.rows if row[0].text == "一、本年新收政府信息公开申请数量")
    assert [cell.text for cell in received[1:3]] == [None, None] and received[3].text is not None
    report = inspect_file(tmp_path / "r.docx")
    origin = report.readings["apply.received.natural"].origin
    assert origin.cell == (2, 4, 4) and origin.raw == str(truth.values["apply.received.natural"])


@pytest.fixture(scope="module")
def soffice_available():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui); .ci/run installs it")


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
@pytest.mark.slow
@pytest.mark.libreoffice
def test_binary_word_files_are_converted_by_libreoffice(tmp_path, soffice_available, suffix):
    truth = random_truth(FORMATS["2021"], 6, plant_error=True, blank_zeros=0.4)
    docx = render_docx(truth, "template", tmp_path / "r.docx", 6)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(docx)],
                   check=True, capture_output=True, timeout=180)
    binary = tmp_path / f"report{suffix}"
    (tmp_path / "doc" / "r.doc").rename(binary)
    assert binary.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    report = inspect_file(binary)
    assert report.source == binary.name and score(truth, report).right == len(FORMATS["2021"].keys())
    assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules


def _ole_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    return path


def test_binary_word_without_libreoffice_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    code = main(["inspect", str(_ole_file(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2 and "libreoffice-writer-nogui" in err and len(err.strip().splitlines()) == 1


def test_a_hanging_libreoffice_is_stopped(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ.get("PATH", ""))
    with pytest.raises(InputError, match="did not convert it within 1 s"):
        read_binary_word(_ole_file(tmp_path), timeout_s=1)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_damaged_binary_word_is_refused(tmp_path, soffice_available):
    with pytest.raises(InputError, match="could not convert it"):
        read_binary_word(_ole_file(tmp_path))


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_files_that_only_look_like_word_are_refused_in_one_line(tmp_path, capsys):
    truth = random_truth(FORMATS["2021"], 1)
    good = render_docx(truth, "template", tmp_path / "good.docx", 1).read_bytes()
    cases = {
        "renamed.docx": _zip(tmp_path / "renamed.docx", {"notes.txt": b"hello"}),
        "sheet.docx": _zip(tmp_path / "sheet.docx", {"xl/workbook.xml": b"<workbook/>"}),
        "bomb.docx": _zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (64 * 1024 * 1024)}),
        "truncated.docx": tmp_path / "truncated.docx",
        "broken.docx": _zip(tmp_path / "broken.docx", {"word/document.xml": b"<not xml", "[Content_Types].xml": b"x"}),
    }
    cases["truncated.docx"].write_bytes(good[: len(good) // 2])
    expected = {"renamed.docx": "not a Word document", "sheet.docx": "an Excel workbook",
                "bomb.docx": "zip bomb", "truncated.docx": "damaged", "broken.docx": "damaged Word file"}
    for name, path in cases.items():
        code = main(["inspect", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and expected[name] in err and len(err.strip().splitlines()) == 1, (name, err)
