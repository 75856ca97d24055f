"""Damaged copies of every kind of input: each ends in a result or in one line and exit code 2,
never an internal error; a library's many warnings come out once each, on one line."""

import subprocess
import sys

import pytest

from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main
from synthetic.damage import damaged_word_parts, mutations
from synthetic.docx_render import render_docx
from synthetic.html_render import HTML_STYLES, render_html
from synthetic.values import random_truth
from tests.conftest import SAMPLES


def _docx_bytes() -> bytes:
    path = render_docx(random_truth(FORMATS["2021"], 3), "template", SAMPLES.parent / ".fuzz.docx", 3)
    try:
        return path.read_bytes()
    finally:
        path.unlink()


CORPORA = {
    "txt": lambda: mutations((SAMPLES / "zhenhai_hrss_2020.txt").read_bytes(), 100, 1),
    "html": lambda: mutations((SAMPLES / "shanghai_szfbgt_2019.html").read_bytes(), 60, 2)
    + mutations(render_html(random_truth(FORMATS["2019"], 4), HTML_STYLES["gbk"], 4), 40, 3),
    "docx": lambda: mutations(_docx_bytes(), 30, 4) + damaged_word_parts(_docx_bytes(), 30, 5),
    "pdf": lambda: mutations((SAMPLES / "huaian_city_2024.pdf").read_bytes(), 8, 6),
}


# the damaged PDFs and web pages take tens of seconds: the text and Word copies are the quick check
@pytest.mark.parametrize("kind", [pytest.param(k, marks=pytest.mark.slow) if k in ("pdf", "html") else k
                                  for k in sorted(CORPORA)])
def test_damaged_copies_end_in_a_result_or_one_line(tmp_path, capsys, kind):
    for index, data in enumerate(CORPORA[kind]()):
        path = tmp_path / f"damaged-{index}.{kind}"
        path.write_bytes(data)
        code = main(["inspect", str(path), "--json", "--max-pages", "3", "--timeout", "60"])
        captured = capsys.readouterr()
        assert code in (0, 1, 2), (index, code)
        lines = [line for line in captured.err.splitlines() if line.startswith("disclosure: error")]
        assert "internal error" not in captured.err, (index, captured.err)
        if code == 2:
            assert len(lines) == 1, (index, captured.err)


def test_a_library_s_warnings_come_out_once_each_on_one_line():
    script = ("import logging, warnings\n"
              "from disclosure.workers.cli import _configure_logging\n"
              "_configure_logging(False, False)\n"
              "for i in range(200):\n"
              "    try:\n"
              "        raise ValueError('bad stream')\n"
              "    except ValueError:\n"
              "        logging.getLogger('pdfminer.pdfpage').warning('Cannot read %s\\nmore detail', 'object',"
              " exc_info=True)\n"
              "    warnings.warn('deprecated thing')\n"
              "logging.getLogger('disclosure.workers.watch').warning('own message %d', 1)\n"
              "_report_library_messages()\n")
    script = script.replace("import _configure_logging", "import _configure_logging, _report_library_messages")
    err = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stderr
    assert err.splitlines() == ["disclosure: own message 1",
                                "disclosure: pdfminer: 200 messages, the first: Cannot read object "
                                "(--verbose shows every one)",
                                "disclosure: warnings: <string>:9: UserWarning: deprecated thing"]


def test_a_damaged_pdf_costs_a_line_per_library_and_shows_every_message_under_verbose(tmp_path):
    # bytes flipped in a compressed content stream: pdfminer complains about each broken operator
    path = tmp_path / "damaged.pdf"
    path.write_bytes(mutations((SAMPLES / "huaian_city_2024.pdf").read_bytes(), 8, 6)[6])

    def stderr(*flags: str) -> list[str]:
        cli = "import sys; from disclosure.workers.cli import main; sys.exit(main(sys.argv[1:]))"
        command = [sys.executable, "-c", cli, "inspect", str(path), "--json", "--max-pages", "1", *flags]
        return subprocess.run(command, capture_output=True, text=True, check=False).stderr.splitlines()

    quiet, verbose = stderr(), stderr("--verbose")
    every = [line for line in verbose if line.startswith("disclosure: pdfminer.")]
    assert len(every) > 3 and len(quiet) <= 3, (quiet, every)
    assert any(line.startswith(f"disclosure: pdfminer: {len(every)} messages, the first: ") for line in quiet), quiet


def test_inspect_gives_up_after_its_timeout_in_one_line(capsys):
    # paddle is loaded first, as any earlier OCR in this process would have: a deadline that cuts
    # its import short is reported as models not installed, and leaves it half imported for the
    # tests after this one
    import paddle  # noqa: F401

    capsys.readouterr()  # paddle's own warnings on import are no part of the answer
    code = main(["inspect", str(SAMPLES / "generated_sealed_scan_2021.pdf"), "--timeout", "0.5"])
    err = capsys.readouterr().err
    assert code == 2 and "not finished after 0.5 s" in err and len(err.strip().splitlines()) == 1
