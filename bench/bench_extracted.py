"""Reports held as text a PDF-to-markdown tool made: per tool, fields right, ambiguous (the truth
among the candidates), wrong, unread, rules failed that the report does not break, and seconds a
report, against the tool's own extraction time in the same run as the baseline.

Corpus: the three real PDFs in samples/ (truth: tests/golden/) and generated born-digital PDFs
(synthetic/pdf_render.py, truth: the generated values). The tools are not dependencies of the
package: they run from a separate virtual environment, /tmp/tools by default, made with

    python3 -m venv /tmp/tools && /tmp/tools/bin/pip install 'markitdown[pdf]' 'pymupdf4llm<0.4' pdftext

(pymupdf4llm 0.3.x: later versions are empty shells). Without it, the stored extractions of the
real PDFs in tests/fixtures/extracted/ are read and no baseline time is given.

    PYTHONPATH=. python bench/bench_extracted.py [--generated 6] [--tools /tmp/tools]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from disclosure.layout.crawled_text import split_runs
from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.labels import TABLE_VOCABULARY
from disclosure.table_recon.recon import read_report
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.values import random_truth

ROOT = Path(__file__).resolve().parent.parent
REAL = ("huaian_city_2024", "huaian_hongze_2023", "huaian_hongze_2024")
TOOLS = ("markitdown", "pymupdf4llm", "pdftext")
# run inside the tools' environment: each PDF's text, and the seconds the tool took over it
_EXTRACT = r"""
import json, sys, time
tool, target, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
if tool == "markitdown":
    from markitdown import MarkItDown
    md = MarkItDown(); run = lambda p: md.convert(p).text_content
elif tool == "pymupdf4llm":
    import pymupdf4llm; run = pymupdf4llm.to_markdown
else:
    from pdftext.extraction import plain_text_output; run = plain_text_output
out = []
for p in paths:
    start = time.perf_counter(); text = run(p); out.append([text, time.perf_counter() - start])
open(target, "w", encoding="utf-8").write(json.dumps(out))  # stdout carries the tools' own chatter
"""


@dataclass
class Tally:
    reports: int = 0
    right: int = 0
    ambiguous: int = 0
    wrong: int = 0
    unread: int = 0
    false_failures: int = 0
    missed_failures: int = 0
    seconds: float = 0.0
    tool_seconds: float = 0.0


def _corpus(count: int, folder: Path) -> list[tuple[str, Path, dict, set]]:
    """(name, pdf, fields as printed, rules the report breaks)."""
    out = []
    for name in REAL:
        golden = json.loads((ROOT / "tests" / "golden" / f"{name}.json").read_text(encoding="utf-8"))
        out.append((name, ROOT / "samples" / f"{name}.pdf", golden["fields"], set(golden["failing"])))
    styles = list(PDF_STYLES.items())
    for i in range(count):
        style_name, style = styles[i % len(styles)]
        truth = random_truth(FORMATS[("2019", "2021")[i % 2]], 2000 + i,
                             blank_zeros=0.0 if style.empty == "0" else 0.4, plant_error=i % 3 == 2)
        pdf = render_pdf(truth, style, folder / f"{style_name}_{i}.pdf", i)
        out.append((pdf.stem, pdf, truth.expected_fields(), set(truth.failing_rules)))
    return out


def _extract(tool: str, python: Path, pdfs: list[Path]) -> list[tuple[str, float | None]]:
    if not python.exists():
        return [((ROOT / "tests" / "fixtures" / "extracted" / tool / f"{p.stem}.md").read_text(encoding="utf-8"), None)
                for p in pdfs if p.stem in REAL]
    with tempfile.NamedTemporaryFile(suffix=".json") as target:
        subprocess.run([str(python), "-c", _EXTRACT, tool, target.name, *map(str, pdfs)], capture_output=True,
                       check=True)
        return [(text, seconds) for text, seconds in json.loads(Path(target.name).read_text(encoding="utf-8"))]


def _score(tally: Tally, report, fields: dict, failing: set) -> None:
    candidates = {a["field"]: a["candidates"] for a in report.ambiguities}
    for key, value in fields.items():
        if key in candidates:
            if value in candidates[key] or (value is None and 0 in candidates[key]):
                tally.ambiguous += 1
            else:
                tally.wrong += 1
        elif key not in report.readings or report.readings[key].state.value == "missing":
            tally.unread += 1
        elif report.fields[key] == value:
            tally.right += 1
        else:
            tally.wrong += 1
    found = {check.rule for check in report.checks if check.ok is False}
    tally.false_failures += len(found - failing)
    tally.missed_failures += len(failing - found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generated", type=int, default=6)
    parser.add_argument("--tools", type=Path, default=Path("/tmp/tools"))
    args = parser.parse_args()
    python = args.tools / "bin" / "python"
    corpus = _corpus(args.generated if python.exists() else 0, Path(tempfile.mkdtemp()))
    print(f"{len(corpus)} reports: the 3 real PDFs of samples/ and {len(corpus) - 3} generated"
          + ("" if python.exists() else f" (no {python}: stored extractions, no tool times)") + "\n")
    print("| tool | reports | fields | right | ambiguous (truth among candidates) | wrong | unread | rules failed "
          "falsely | real failures missed | s/report (reading) | s/report (the tool, baseline) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for tool in TOOLS:
        tally = Tally()
        extracted = _extract(tool, python, [c[1] for c in corpus])
        for (name, pdf, fields, failing), (text, seconds) in zip(corpus, extracted):
            start = time.perf_counter()
            report = read_report(rows_from_text(split_runs(text_document_from_bytes(text.encode("utf-8"), f"{name}.md"),
                                                           TABLE_VOCABULARY)))
            tally.seconds += time.perf_counter() - start
            tally.tool_seconds += seconds or 0.0
            tally.reports += 1
            _score(tally, report, fields, failing)
        total = tally.right + tally.ambiguous + tally.wrong + tally.unread
        baseline = f"{tally.tool_seconds / tally.reports:.3f}" if python.exists() else "—"
        print(f"| {tool} | {tally.reports} | {total} | {tally.right / total:.1%} | {tally.ambiguous} | {tally.wrong} | "
              f"{tally.unread} | {tally.false_failures} | {tally.missed_failures} | "
              f"{tally.seconds / tally.reports:.3f} | {baseline} |")


if __name__ == "__main__":
    main()
