"""Where a scanned page's time goes: seconds a page in each stage of the scan path, on two cores.

Each stage's function is timed around every call (its own time: what the stages it calls took is
counted in theirs), over every page of the corpus, after one page read first so that loading the
models is no stage's. Baseline, in the same run on the same rendered pages: PaddleOCR's detection
and recognition over the whole page (`ocr.paddle_engine.read_lines`, the models already loaded),
the least a full-page OCR pays.

    PYTHONPATH=. python bench/bench_scan_stages.py [--seeds 2] [--styles clean,sealed,rough] [--real sealed]

Corpus: generated reports of both formats scanned in each style (`synthetic/scan_render.py`), and
with `--real` the real reports in samples/ scanned likewise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (module, function, stage); a function called from another timed one is that one's child
STAGES = (
    ("disclosure.ocr.scan", "page_images", "render the page (pdfium, 200 dpi)"),
    ("disclosure.ocr.seal", "unmix_seal", "take the seal out"),
    ("disclosure.ocr.orientation", "detected_lines", "text detection over the page"),
    ("disclosure.ocr.orientation", "upside_down", "upside down? (angle classifier)"),
    ("disclosure.ocr.scan", "deskew", "measure and undo skew"),
    ("disclosure.ocr.scan", "find_rules", "ruling lines (OpenCV)"),
    ("disclosure.ocr.paddle_engine", "recognize_lines", "the page's lines outside the tables"),
    ("disclosure.ocr.scan", "read_scan_page", "rest of the page's cleaning"),
    ("disclosure.ocr.scan_grid", "page_from_scan", "grids from rules and text"),
    ("disclosure.pipeline.document", "with_tables", "tables set without rules"),
    ("disclosure.ocr.cell_reading", "read_cells", "cell crops: lines of print found"),
    ("disclosure.ocr.paddle_engine", "recognize_crops", "recognition"),  # less the network's own runs
    ("disclosure.pipeline.document", "_fields_of", "rows, fields and rules"),
)


class StageClock:
    """Own time per stage: a call's time less that of the timed calls inside it."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.pages = 0  # pages rendered, which the pipeline then read
        self.stack: list[list] = []

    def timed(self, stage: str, fn):
        clock = self

        def wrapper(*args, **kwargs):
            # recognition is told apart by what asked for it: cells' crops or the page's lines
            name = stage if stage != "recognition" else (
                "recognition of the page's lines: cutting, packing, decoding" if clock.stack and clock.stack[-1][0]
                .startswith("the page's lines") else "recognition of cells: cutting, packing, decoding")
            clock.stack.append([name, 0.0])
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                clock._close(start)

        def generator(*args, **kwargs):
            inner = fn(*args, **kwargs)
            while True:
                clock.stack.append([stage, 0.0])
                start = time.perf_counter()
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    clock._close(start)
                clock.pages += 1
                yield item

        return generator if fn.__name__ == "page_images" else wrapper

    def _close(self, start: float) -> None:
        elapsed = time.perf_counter() - start
        name, children = self.stack.pop()
        self.own[name] += elapsed - children
        if self.stack:
            self.stack[-1][1] += elapsed


def _time_the_network(clock: StageClock, recognizer) -> None:
    """The recogniser's own runs, told apart by their inputs: number cells in batches padded to a
    few narrow widths, labels and prose in strips many heights wide (`ocr.crop_shapes`)."""
    kind = type(recognizer)
    original = kind.__call__

    def call(self, images, *args, **kwargs):
        wide = max((image.shape[1] for image in images), default=0) > 4 * 48
        clock.stack.append(["the network: labels and prose (strips)" if wide else "the network: number cells (batches)",
                            0.0])
        start = time.perf_counter()
        try:
            return original(self, images, *args, **kwargs)
        finally:
            clock._close(start)

    kind.__call__ = call


def _install(clock: StageClock) -> None:
    """Every loaded module's name for each timed function points at its timed wrapper."""
    import importlib

    for module_name, function, stage in STAGES:
        original = getattr(importlib.import_module(module_name), function)
        wrapped = clock.timed(stage, original)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("disclosure") and getattr(module, function, None) is original:
                setattr(module, function, wrapped)


def _corpus(folder: Path, seeds: int, styles: list[str], real: list[str]) -> list[Path]:
    from disclosure.table_recon.formats import FORMATS
    from synthetic.scan_render import scanned_copy, scanned_pdf
    from synthetic.values import random_truth

    paths = [scanned_pdf(random_truth(FORMATS[fmt], seed, blank_zeros=0.3), style, folder, seed,
                         f"{fmt}-{seed}-{style}")[0]
             for style in styles for fmt in sorted(FORMATS) for seed in range(seeds)]
    for style in real:
        for pdf in sorted((REPO / "samples").glob("huaian_*.pdf")):
            paths.append(scanned_copy(pdf, style, folder, 0)[0])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--styles", default="clean,sealed,rough")
    parser.add_argument("--real", default="")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    sys.path.insert(0, str(REPO))
    from disclosure.ocr.input_kind import InputKind
    from disclosure.ocr.paddle_engine import OcrModels, read_lines
    from disclosure.ocr.scan import page_images
    from disclosure.pipeline.document import inspect_file

    folder = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    paths = _corpus(folder, args.seeds, [s for s in args.styles.split(",") if s],
                    [s for s in args.real.split(",") if s])
    inspect_file(paths[0])  # the models loaded once, before any stage is timed
    models = OcrModels.packaged()
    baseline, baseline_pages = 0.0, 0
    for path in paths:
        for _, image in page_images(path, InputKind.PDF, 99):
            start = time.perf_counter()
            read_lines(image, models)
            baseline += time.perf_counter() - start
            baseline_pages += 1
    baseline /= baseline_pages  # seconds a page
    clock = StageClock()
    _install(clock)
    from disclosure.ocr.paddle_engine import engine

    _time_the_network(clock, engine(models).text_recognizer)
    start = time.perf_counter()
    for path in paths:
        inspect_file(path)
    total = time.perf_counter() - start
    pages = clock.pages
    baseline *= pages  # what the full page would cost over the pages the pipeline read
    print(f"{len(paths)} documents, {pages} pages read; {total / pages:.2f} s a page in all; "
          f"PaddleOCR's full page: {baseline / pages:.2f} s a page\n")
    print("| stage | s / page | share | / PaddleOCR's full page |")
    print("|---|---|---|---|")
    for stage, seconds in sorted(clock.own.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {seconds / pages:.3f} | {seconds / total:.0%} | {seconds / baseline:.2f}× |")
    rest = total - sum(clock.own.values())
    print(f"| everything else (reading the file, the PDF check, pages' text model) | {rest / pages:.3f} | "
          f"{rest / total:.0%} | {rest / baseline:.2f}× |")
    print(f"| **all** | **{total / pages:.3f}** | 100% | {total / baseline:.2f}× |")


if __name__ == "__main__":
    main()
