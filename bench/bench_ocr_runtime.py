"""The same PP-OCRv4 networks under Paddle Inference (the default) and under ONNX Runtime
(`OcrModels.packaged("onnx")`: the `.onnx` files of the rapidocr_onnxruntime wheel), side by side in
one run, on the same inputs, with the same threads. Baseline: Paddle Inference.

1. The networks alone, on the inputs the scan path gives them: every list of crops that
   `recognize_crops` was asked to read (number cells, labels, prose) and every page the text
   detector was asked to search, collected once from the corpus below. Time a crop and a page,
   and agreement: the recogniser's probabilities (largest difference), each crop's text,
   digits-only reading and confidence, the detector's boxes.
2. End to end: `inspect_file` on the scan bench's reports, each runtime in a process of its own
   (its peak RSS its own): seconds a page, fields right against the truth `bench_scan.py` uses,
   wrong numbers, statuses right, reports falsely failed.

    PYTHONPATH=. python bench/bench_ocr_runtime.py [--quick] [--seeds 1] [--styles clean,sealed,rough]
        [--real sealed] [--threads 2] [--rounds 1]

`--quick`: one seed, sealed only, and the real reports sealed (5 reports). With `--rounds N` each
runtime's processes run N times, alternating with the other's, and each figure of time is the
least of its rounds (the machine is shared; accuracy does not change between rounds). Beside the
wall-clock time, the CPU time the process spent (all its threads), which other work on the
machine moves less.
"""

from __future__ import annotations

import argparse
import multiprocessing
import pickle
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RUNTIMES = ("paddle", "onnx")


def _cpu() -> float:
    """This process's CPU seconds, all its threads: on a shared machine, what the work itself cost."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _models(runtime: str, threads: int):
    from dataclasses import replace

    from disclosure.ocr.paddle_engine import OcrModels

    return replace(OcrModels.packaged(runtime), threads=threads)


def _collect(corpus, threads: int, out: Path) -> None:
    """Read every report of the corpus with Paddle and keep what the networks were given: each
    list of crops `recognize_crops` read, each page the text detector searched."""
    warnings.simplefilter("ignore")
    import numpy as np

    from disclosure.ocr import paddle_engine
    from disclosure.pipeline.document import InspectOptions, inspect_file

    crop_calls, pages = [], []
    recognize = paddle_engine.recognize_crops
    ocr = paddle_engine.engine(_models("paddle", threads))
    detector = ocr.text_detector

    def recording_recognize(crops, models):
        crop_calls.append([np.ascontiguousarray(crop) for crop in crops])
        return recognize(crops, models)

    def recording_detector(image, *args, **kwargs):
        pages.append(image.copy())
        return detector(image, *args, **kwargs)

    paddle_engine.recognize_crops = recording_recognize
    ocr.text_detector = recording_detector
    options = InspectOptions(ocr_models=_models("paddle", threads), ocr_threads=threads)
    for _, path, *_ in corpus:
        inspect_file(path, options)
    out.write_bytes(pickle.dumps((crop_calls, pages)))


def _networks_alone(runtime: str, threads: int, inputs: Path, queue) -> None:
    """Each list of crops read by `recognize_crops` and each page searched by the text detector,
    once to warm up and once timed; the probabilities of the first crops read as narrow batches."""
    warnings.simplefilter("ignore")
    from disclosure.ocr.crop_shapes import REC_HEIGHT, at_rec_height, is_narrow, to_bucket
    from disclosure.ocr.paddle_engine import REC_BATCH, _recognized, engine, recognize_crops

    crop_calls, pages = pickle.loads(inputs.read_bytes())
    models = _models(runtime, threads)
    recognizer, detector = engine(models).text_recognizer, engine(models).text_detector
    for crops in crop_calls:  # warm: every shape the timed run meets has been met
        recognize_crops(crops, models)
    detector(pages[0])
    start, cpu = time.perf_counter(), _cpu()
    readings = [recognize_crops(crops, models) for crops in crop_calls]
    rec_seconds, rec_cpu = time.perf_counter() - start, _cpu() - cpu
    start, cpu = time.perf_counter(), _cpu()
    found = [detector(page)[0] for page in pages]
    det_seconds, det_cpu = time.perf_counter() - start, _cpu() - cpu
    # the raw probabilities (softmax) of up to 120 narrow crops, in batches of the recogniser's size
    narrow = [to_bucket(crop) for crops in crop_calls for crop in map(at_rec_height, (c for c in crops if c.size))
              if is_narrow(crop)][:120]
    size = REC_BATCH
    probs = []
    for at in range(0, len(narrow), size):
        batch = narrow[at:at + size]
        if len(batch) == size and len({c.shape for c in batch}) == 1:
            probs.extend(_recognized(recognizer, batch, REC_HEIGHT, size)[0])
    boxes = [sorted((int(q[:, 0].min()), int(q[:, 1].min()), int(q[:, 0].max()), int(q[:, 1].max()))
                    for q in (quads if quads is not None else [])) for quads in found]
    flat = [(r.text, r.confidence, r.digits, r.digits_confidence, r.alternatives) for call in readings for r in call]
    queue.put((rec_seconds, det_seconds, flat, boxes, probs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               rec_cpu, det_cpu))


def _end_to_end(runtime: str, threads: int, corpus, queue) -> None:
    warnings.simplefilter("ignore")
    from bench.bench_scan import _right, _wrong
    from disclosure.pipeline.document import InspectOptions, inspect_file

    options = InspectOptions(ocr_models=_models(runtime, threads), ocr_threads=threads)
    inspect_file(corpus[0][1], options)  # models loaded and warmed before timing
    rows = []
    for style, path, pages, expected, failing in corpus:
        start, cpu = time.perf_counter(), _cpu()
        report = inspect_file(path, options)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        found = {check.rule for check in report.checks if check.ok is False}
        status_right = report.status.value == ("failed_checks" if failing else "verified")
        rows.append((style, seconds, pages, _right(expected, report), len(expected), status_right,
                     _wrong(expected, report), bool(found - set(failing)),
                     {k: report.fields.get(k) for k in expected}, cpu))
    queue.put((rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _in_process(target, *args):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode:
        raise SystemExit(f"{target.__name__} ended with {process.exitcode}")
    return result


def _agreement(paddle, onnx) -> dict:
    """Of the crops both read: how many have the same text, digits and alternatives, and the
    largest difference in confidence."""
    same_text = sum(p[0] == o[0] for p, o in zip(paddle, onnx))
    same_digits = sum(p[2] == o[2] for p, o in zip(paddle, onnx))
    same_alternatives = sum([a for a, _ in p[4]] == [a for a, _ in o[4]] for p, o in zip(paddle, onnx))
    confidence = max((abs(p[1] - o[1]) for p, o in zip(paddle, onnx)), default=0.0)
    digits_confidence = max((abs(p[3] - o[3]) for p, o in zip(paddle, onnx)), default=0.0)
    differing = [(p[0], o[0], round(p[1], 3), round(o[1], 3)) for p, o in zip(paddle, onnx) if p[0] != o[0]]
    return dict(crops=len(paddle), same_text=same_text, same_digits=same_digits, same_alternatives=same_alternatives,
                confidence=confidence, digits_confidence=digits_confidence, differing=differing)


def _box_agreement(paddle, onnx) -> tuple[int, int, int]:
    """Pages with the same number of boxes, boxes in all, and the largest shift of a box's edge in pixels."""
    same = sum(len(p) == len(o) for p, o in zip(paddle, onnx))
    shift = max((max(abs(a - b) for a, b in zip(pb, ob)) for p, o in zip(paddle, onnx) if len(p) == len(o)
                 for pb, ob in zip(sorted(p), sorted(o))), default=0)
    return same, sum(len(p) for p in paddle), shift


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one seed, sealed, the real reports sealed")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--styles", default="clean,sealed,rough")
    parser.add_argument("--real", default="sealed", metavar="STYLES")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.styles, args.real = 1, "sealed", "sealed"
    import numpy as np

    from bench.bench_scan import _make_corpus

    folder = Path(tempfile.mkdtemp())
    styles = args.styles.split(",") if args.styles else []
    corpus = _make_corpus(folder, args.seeds, styles, args.real.split(",") if args.real else [])
    inputs = folder / "inputs.pickle"
    _in_process(_collect_entry, corpus, args.threads, inputs)
    crop_calls, pages = pickle.loads(inputs.read_bytes())
    crops = sum(len(call) for call in crop_calls)

    alone: dict[str, list] = {name: [] for name in RUNTIMES}
    whole: dict[str, list] = {name: [] for name in RUNTIMES}
    for round_ in range(args.rounds):
        order = RUNTIMES if round_ % 2 == 0 else RUNTIMES[::-1]
        for name in order:
            alone[name].append(_in_process(_networks_alone, name, args.threads, inputs))
        for name in order:
            whole[name].append(_in_process(_end_to_end, name, args.threads, corpus))

    pages_read = sum(r[2] for r in corpus)
    print(f"{len(corpus)} scanned reports, {pages_read} pages ({args.seeds} seeds x 2 formats x "
          f"{args.styles or 'none'} generated; the real ones in samples/ x {args.real or 'none'}); "
          f"{args.threads} threads; {args.rounds} round(s), times the least of the rounds\n")

    print(f"Networks alone: {crops} crops in {len(crop_calls)} calls of recognize_crops, "
          f"{len(pages)} pages searched by the text detector\n")
    print("| runtime | ms / crop (recognize_crops) | vs paddle | CPU ms / crop | vs paddle | "
          "ms / page (text detector) | vs paddle | CPU ms / page | vs paddle | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    rec = {name: min(r[0] for r in alone[name]) for name in RUNTIMES}
    det = {name: min(r[1] for r in alone[name]) for name in RUNTIMES}
    rec_cpu = {name: min(r[6] for r in alone[name]) for name in RUNTIMES}
    det_cpu = {name: min(r[7] for r in alone[name]) for name in RUNTIMES}
    for name in RUNTIMES:
        print(f"| {name} | {1000 * rec[name] / crops:.1f} | {rec['paddle'] / rec[name]:.2f}× | "
              f"{1000 * rec_cpu[name] / crops:.1f} | {rec_cpu['paddle'] / rec_cpu[name]:.2f}× | "
              f"{1000 * det[name] / len(pages):.0f} | {det['paddle'] / det[name]:.2f}× | "
              f"{1000 * det_cpu[name] / len(pages):.0f} | {det_cpu['paddle'] / det_cpu[name]:.2f}× | "
              f"{max(r[5] for r in alone[name]):.0f} MB |")
    agreement = _agreement(alone["paddle"][0][2], alone["onnx"][0][2])
    probs_p, probs_o = alone["paddle"][0][4], alone["onnx"][0][4]
    largest = max((float(np.abs(p - o).max()) for p, o in zip(probs_p, probs_o)), default=float("nan"))
    same, boxes, shift = _box_agreement(alone["paddle"][0][3], alone["onnx"][0][3])
    print(f"\nAgreement (onnx against paddle): of {agreement['crops']} crops, text the same in "
          f"{agreement['same_text']}, digits-only reading in {agreement['same_digits']}, alternatives in "
          f"{agreement['same_alternatives']}; largest difference in confidence {agreement['confidence']:.4f} "
          f"(digits-only {agreement['digits_confidence']:.4f}); the probabilities of {len(probs_p)} narrow crops "
          f"differ by at most {largest:.2e}. Detector: {same} of {len(pages)} pages with the same number of "
          f"boxes ({boxes} boxes), edges at most {shift} px apart.")
    for text_p, text_o, conf_p, conf_o in agreement["differing"][:12]:
        print(f"  paddle {text_p!r} ({conf_p}) / onnx {text_o!r} ({conf_o})")

    print("\nEnd to end (inspect_file):\n")
    print("| runtime | seconds / page | vs paddle | CPU seconds / page | vs paddle | fields right | wrong numbers | "
          "status right | falsely failed | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    seconds = {name: min(sum(r[1] for r in rows) for rows, _ in whole[name]) for name in RUNTIMES}
    cpu = {name: min(sum(r[9] for r in rows) for rows, _ in whole[name]) for name in RUNTIMES}
    for name in RUNTIMES:
        rows, _ = whole[name][0]
        right, fields = sum(r[3] for r in rows), sum(r[4] for r in rows)
        print(f"| {name} | {seconds[name] / pages_read:.2f} | {seconds['paddle'] / seconds[name]:.2f}× | "
              f"{cpu[name] / pages_read:.2f} | {cpu['paddle'] / cpu[name]:.2f}× | "
              f"{right}/{fields} ({right / fields:.2%}) | {sum(r[6] for r in rows)} | "
              f"{sum(r[5] for r in rows)}/{len(rows)} | {sum(r[7] for r in rows)} | "
              f"{max(peak for _, peak in whole[name]):.0f} MB |")
    fields_p = [r[8] for r in whole["paddle"][0][0]]
    fields_o = [r[8] for r in whole["onnx"][0][0]]
    differ = sum(1 for p, o in zip(fields_p, fields_o) for k in p if p[k] != o.get(k))
    print(f"\nFields read otherwise by the two runtimes: {differ} of {sum(len(p) for p in fields_p)}.")
    print("\nPer report, seconds (paddle / onnx):")
    for k, (style, path, pages_, *_rest) in enumerate(corpus):
        times = {name: min(rows[k][1] for rows, _ in whole[name]) for name in RUNTIMES}
        print(f"  {style:14} {path.name:40} {pages_} pages  {times['paddle']:.2f} / {times['onnx']:.2f}")


def _collect_entry(corpus, threads, out, queue) -> None:
    _collect(corpus, threads, out)
    queue.put(None)


if __name__ == "__main__":
    main()
