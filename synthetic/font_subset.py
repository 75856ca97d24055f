"""The CJK font the PDF and scan generators typeset with: WenQuanYi Zen Hei, cut down to the
characters the generators print, and shipped in `synthetic/fonts/` so that no system font is needed.

Regenerate after changing any printed text (a test fails when a glyph is missing), on a machine
with Debian's fonts-wqy-zenhei:

    python -m synthetic.font_subset /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

FONT = Path(__file__).parent / "fonts" / "wqy-zenhei-subset.ttf"


def printed_characters() -> set[str]:
    """Every character a generator may print: template labels, headings, prose, agency names."""
    from disclosure.table_recon import formats
    from synthetic import pdf_render, report_text, scan_render, values

    texts = [string.printable, "０１２３４５６７８９＋－．，（）：；。、“”《》—/　", *values.AGENCIES,
             *pdf_render.PRINTED_TEXT, report_text.NARRATIVE_TEMPLATE, report_text.RULES_ANNOTATION,
             *report_text.CLOSING_TEXT, scan_render.SEAL_TEXT, scan_render.SEAL_NAME]
    for fmt in formats.FORMATS.values():
        texts += [label for _, label in fmt.column_labels + formats._COMMON_COLUMN_LABELS]
        for table in fmt.tables:
            for row in table.rows:
                texts += [row.label, *row.groups]
    texts += [formats.RESULT_GROUP, *formats.APPLY_GROUPS.values()]
    return {ch for text in texts for ch in text if not ch.isspace() or ch == " "}


def make_subset(source: Path, target: Path = FONT) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=0)
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text="".join(sorted(printed_characters())))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))


if __name__ == "__main__":
    make_subset(Path(sys.argv[1]))
