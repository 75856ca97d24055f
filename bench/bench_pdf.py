"""Born-digital PDFs: seconds per report and field accuracy, the default path against camelot's
lattice parser alone, on the same generated PDFs in one run.

Default path: pdfplumber's ruled grids, with camelot refereeing only where the rules fail.
Baseline: camelot lattice as the only grid reader (text lines still from pdfplumber).

    PYTHONPATH=. python bench/bench_pdf.py [--per-style 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from disclosure.pipeline.document import InspectOptions, inspect_file
from disclosure.table_recon.formats import FORMATS
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.scoring import score
from synthetic.values import random_truth

PATHS = {"default (pdfplumber, camelot referee)": InspectOptions(),
         "camelot lattice alone": InspectOptions(grid_readers=("camelot",))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-style", type=int, default=3)
    args = parser.parse_args()
    corpus = []
    folder = Path(tempfile.mkdtemp())
    for style_name, style in PDF_STYLES.items():
        for i in range(args.per_style):
            fmt = FORMATS[("2019", "2021")[i % 2]]
            truth = random_truth(fmt, 1000 + i, blank_zeros=0.0 if style.empty == "0" else 0.4, plant_error=i == 2)
            corpus.append((truth, render_pdf(truth, style, folder / f"{style_name}_{i}.pdf", i)))
    subsets = {"all": corpus, "clean": [c for c in corpus if not c[0].planted_key],
               "planted error": [c for c in corpus if c[0].planted_key]}
    results = {}
    for name, options in PATHS.items():
        for subset, items in subsets.items():
            right = fields = 0
            start = time.perf_counter()
            for truth, path in items:
                result = score(truth, inspect_file(path, options))
                right, fields = right + result.right, fields + result.fields
            results[name, subset] = ((time.perf_counter() - start) / len(items), right / fields)
    print(f"{len(corpus)} generated reports ({len(PDF_STYLES)} styles, both formats, "
          f"{len(subsets['planted error'])} with a planted error)\n")
    print("| path | reports | seconds / report | fields right | speed vs camelot alone |")
    print("|---|---|---|---|---|")
    for (name, subset), (seconds, accuracy) in results.items():
        baseline = results["camelot lattice alone", subset][0]
        print(f"| {name} | {subset} ({len(subsets[subset])}) | {seconds:.3f} | {accuracy:.2%} | "
              f"{baseline / seconds:.1f}× |")


if __name__ == "__main__":
    main()
