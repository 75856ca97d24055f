"""Damaged copies of good inputs, for fuzz tests and the damaged-input bench."""

from __future__ import annotations

import io
import random
import zipfile


def mutations(data: bytes, count: int, seed: int) -> list[bytes]:
    """Bytes flipped, a stretch cut out or repeated, the end cut off: what transfers and disks do."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        copy = bytearray(data)
        kind = rng.choice(("flip", "cut", "repeat", "truncate"))
        at = rng.randrange(len(copy))
        span = rng.randint(1, max(1, len(copy) // 20))
        if kind == "flip":
            for i in rng.sample(range(len(copy)), min(len(copy), rng.randint(1, 40))):
                copy[i] = rng.randrange(256)
        elif kind == "cut":
            del copy[at:at + span]
        elif kind == "repeat":
            copy[at:at] = copy[at:at + span]
        else:
            del copy[at:]
        out.append(bytes(copy))
    return out


def damaged_word_parts(data: bytes, count: int, seed: int) -> list[bytes]:
    """A Word file whose zip is intact but whose XML parts are damaged."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            victim = rng.choice([i.filename for i in source.infolist() if i.filename.endswith(".xml")])
            for info in source.infolist():
                part = source.read(info.filename)
                target.writestr(info.filename, mutations(part, 1, rng.randrange(10**6))[0] if info.filename == victim else part)
        out.append(buffer.getvalue())
    return out


def repeated_stretches(data: bytes, count: int, seed: int, start: int = 0) -> list[bytes]:
    """A stretch of the bytes from `start` on repeated in place: in a JPEG's scan data, the picture
    below it is drawn again, shifted (a transfer that resent a block)."""
    rng = random.Random(seed)
    body = len(data) - start
    out = []
    for _ in range(count):
        at = start + rng.randrange(body // 8, body * 7 // 8)
        span = rng.randint(max(1, body // 60), max(2, body // 8))
        out.append(data[:at] + data[at:at + span] + data[at:])
    return out
