"""The recogniser's output, per time step a probability for each character, read into text.

PaddleOCR's own CTC decoder gives the best path. A crop is also read over digits and signs only,
so that a lone "0" cannot come out as "。" or "O", with the readings one edit away that the
network gave some weight: where a rule fails, they are the candidates for the cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NUMERIC_CHARACTERS = "0123456789+-.,"
# shapes the recogniser gives for digits in a lone number cell ("0" as the full stop "。")
DIGIT_LOOKALIKES = {"。": "0", "O": "0", "o": "0", "〇": "0", "D": "0", "Ｏ": "0", "l": "1", "I": "1", "|": "1",
                    "!": "1", "！": "1"}  # a serif "1" blurred at 150 dpi reads as "!"
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


class CtcReader:
    """Reads one crop's probabilities (time steps by characters) with PaddleOCR's CTC decoder
    `base`, and again over digits and signs only."""

    def __init__(self, base) -> None:
        self.base = base
        allowed = [i for i, ch in enumerate(base.character) if ch in NUMERIC_CHARACTERS]
        self.columns = np.array([0, *allowed])  # 0 is CTC's blank
        self.characters = ["", *(base.character[i] for i in allowed)]
        # what the network gives a shape that looks like a digit ("O", "。" for 0) counts for it
        position = {ch: k for k, ch in enumerate(self.characters) if ch}
        self.lookalikes = [(position[digit], i) for i, ch in enumerate(base.character)
                           if (digit := DIGIT_LOOKALIKES.get(ch)) in position]

    def __call__(self, probs: np.ndarray) -> CropReading:
        ((text, confidence),) = self.base(probs[None])
        restricted = probs[:, self.columns].copy()
        for digit, lookalike in self.lookalikes:
            restricted[:, digit] += probs[:, lookalike]
        chars, scores, previous = [], [], 0
        for index, prob in zip(restricted.argmax(1), restricted.max(1)):
            if index and index != previous:
                chars.append(self.characters[index])
                scores.append(float(prob))
            previous = index
        return CropReading(text, float(confidence), "".join(chars), float(np.mean(scores)) if scores else 0.0,
                           _alternatives(restricted, self.characters))


def joined(parts: list[CropReading]) -> CropReading:
    """The readings of a line's pieces as one: their texts joined, the confidence the mean over
    all their characters (as PaddleOCR's for a line)."""
    if len(parts) == 1:
        return parts[0]

    def mean(pairs) -> float:
        weights = [max(len(text), 1) for text, _ in pairs]
        return sum(w * p for w, (_, p) in zip(weights, pairs)) / sum(weights)

    return CropReading("".join(p.text for p in parts), mean([(p.text, p.confidence) for p in parts]),
                       "".join(p.digits for p in parts), mean([(p.digits, p.digits_confidence) for p in parts]))
