"""The pieces of the scan path that need no OCR: seal removal, lines in a cell, rule positions,
value columns with a misread cell, and cells filled from page-level lines."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from disclosure.layout.page_rows import _value_columns, grid_rows
from disclosure.ocr.cell_reading import _paper, _text_lines, _with_faint_edges, _with_leading_minus
from disclosure.ocr.crop_shapes import (
    GAP,
    LONGEST,
    PAD_GREY,
    REC_HEIGHT,
    STRIP_HEIGHT,
    as_paddle_pads,
    at_rec_height,
    by_bucket,
    is_narrow,
    packed,
    pieces,
    to_bucket,
)
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.paddle_engine import threads_per_worker
from disclosure.ocr.page_model import Grid, GridCell, PageLine
from disclosure.ocr.same_print import same_print
from disclosure.ocr.scan import PAGE_INK, Rule, ScanPage, _painted_white, _table_boxes, find_rules, suppress_red
from disclosure.ocr.scan_grid import _positions, page_from_scan
from disclosure.pipeline.document import InspectOptions
from synthetic.scan_render import SEAL_SHADES, Seal, _stamp_seal


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def test_a_red_seal_is_taken_out_and_the_print_under_it_kept():
    page = np.full((600, 500, 3), 250, np.uint8)
    page[100:500:40, 20:480] = 0  # horizontal rules, two pixels thick
    page[101:500:40, 20:480] = 0
    page[50:550, 248:250] = 0  # a vertical rule through the seal's middle
    sealed = _jpeg(_stamp_seal(page, random.Random(3)), 70)
    gray = cv2.cvtColor(suppress_red(sealed), cv2.COLOR_BGR2GRAY)
    # where the seal lies: the same stamp on blank paper
    seal = (_stamp_seal(np.full_like(page, 250), random.Random(3)) < 240).any(axis=2)
    print_ = np.zeros(page.shape[:2], bool)
    print_[page[..., 0] == 0] = True
    under = seal & print_
    bare = seal & ~cv2.dilate(print_.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert under.sum() > 100 and bare.sum() > 1000
    assert np.median(gray[under]) < 100  # print under the seal stays ink
    assert (gray[bare] > 185).mean() > 0.97  # the seal over bare paper is gone, outline included


@pytest.mark.parametrize("shade", sorted(SEAL_SHADES))
@pytest.mark.parametrize("ink", [(0.3, 0.7), (0.7, 1.0)])
def test_a_lettered_seal_of_any_shade_and_ink_is_taken_out_and_numbers_under_it_kept(shade, ink):
    page = np.full((1400, 1100, 3), 250, np.uint8)
    page[100:1300:40, 20:1080] = 0  # rules
    for y in range(120, 1300, 40):
        for x in range(60, 1080, 120):  # counts, and an amount with its decimal point
            cv2.putText(page, "7730.28" if x == 540 else "80", (x, y + 15), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1,
                        cv2.LINE_AA)
    seal = Seal(SEAL_SHADES[shade], ink, text=True, over_numbers=True)
    stamped = _stamp_seal(page, random.Random(3), seal, "江苏省交通运输厅")
    noisy = np.clip(stamped + np.random.default_rng(1).normal(0, 5, stamped.shape), 0, 255).astype(np.uint8)
    gray = cv2.cvtColor(suppress_red(_jpeg(noisy, 80)), cv2.COLOR_BGR2GRAY)
    where = (_stamp_seal(np.full_like(page, 250), random.Random(3), seal, "江苏省交通运输厅") < 240).any(axis=2)
    print_ = page[..., 0] < 100
    under = where & print_
    bare = where & ~cv2.dilate(print_.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert under.sum() > 500 and bare.sum() > 5000
    # the print keeps its full darkness under ink of any density (dividing by the ink's own
    # transmission), where keeping the red channel alone leaves it greyer the thicker the ink
    assert np.median(gray[under]) < 10 and (gray[under] > 160).mean() < 0.02
    # the ring, the star and the lettering go: what is left is specks (JPEG's, on the darkest ink)
    assert (gray[bare] < 200).mean() < 0.12


def test_a_page_without_red_keeps_its_grey():
    page = np.full((50, 50, 3), 240, np.uint8)
    page[10:20, 10:40] = 30
    assert np.array_equal(cv2.cvtColor(suppress_red(page), cv2.COLOR_BGR2GRAY), cv2.cvtColor(page, cv2.COLOR_BGR2GRAY))


def _rows(*spans: tuple[int, int], height: int = 80) -> np.ndarray:
    ink = np.zeros((height, 10), bool)
    for start, end in spans:
        ink[start:end, 3] = True
    return ink


def test_a_glyph_broken_by_blur_is_one_line_and_two_printed_lines_stay_two():
    # a "2" whose thin middle stroke fell below the ink level: two short pieces, 4 px apart
    assert _text_lines(_rows((20, 27), (31, 40)), dpi=200) == [(20, 40)]
    # two lines of a wrapped label, a line gap apart
    assert _text_lines(_rows((5, 30), (42, 68)), dpi=200) == [(5, 30), (42, 68)]
    # a speck alone is no line
    assert _text_lines(_rows((40, 42)), dpi=200) == []


def test_the_faint_strokes_of_a_blurred_glyph_beside_its_stem_stay_in_its_crop():
    # a "4" at 150 dpi, blurred: only its stem is darker than print's level; cut there, it reads "1"
    line = np.full((20, 40), 245, np.uint8)
    line[2:18, 20:23] = 140  # the stem
    line[4:14, 12:20] = 205  # the diagonal and the bar, far lighter
    line[8:10, 2:4] = 205  # a speck apart from the glyph
    assert _with_faint_edges(line, 20, 22) == (12, 22)
    # on a page the scanner's lighting greyed, the paper is no faint stroke
    greyed = line - 45
    assert _with_faint_edges(greyed, 20, 22) == (12, 22)
    greyed[4:14, 12:20] = 200
    assert _with_faint_edges(greyed, 20, 22) == (20, 22)
    # a number as wide as it is high keeps its crop: a seal's specks touch it as faint strokes do
    line[2:18, 23:32] = 140
    assert _with_faint_edges(line, 20, 31) == (20, 31)


def test_a_faint_minus_sign_before_a_number_stays_in_its_crop_and_other_marks_do_not():
    # "-4" scanned at 150 dpi and blurred: the digit's print starts at column 20, the minus before
    # it is a bar three rows thick about the middle of the line, far lighter than print's level
    line = np.full((15, 40), 250, np.uint8)
    line[1:14, 20:30] = 120
    line[6:9, 11:19] = 200
    assert _with_leading_minus(line, 20) == 11
    # a dot on the baseline, a mark as tall as a glyph (a seal's remains), a bar too short, and a
    # bar a character away are no minus sign of the number
    for marks in [(slice(11, 14), slice(15, 18)), (slice(2, 13), slice(12, 19)), (slice(6, 9), slice(17, 19)),
                  (slice(6, 9), slice(2, 10))]:
        other = np.full((15, 40), 250, np.uint8)
        other[1:14, 20:30] = 120
        other[marks] = 200
        assert _with_leading_minus(other, 20) == 20, marks
    # on a page the scanner's lighting greyed, the bar is measured from its paper
    greyed = np.where(line == 250, 210, line).astype(np.uint8)
    assert _with_leading_minus(greyed, 20) == 20
    greyed[6:9, 11:19] = 170
    assert _with_leading_minus(greyed, 20) == 11


def _vertical(x: float, top: float, bottom: float) -> Rule:
    return Rule(False, Box(x - 1, top, x + 1, bottom))


def test_glyph_strokes_beside_a_rule_do_not_move_its_position():
    rules = [_vertical(200, 100, 900)] + [_vertical(x, 400, 420) for x in (186, 193, 206, 213, 219)]
    positions = _positions(rules, horizontal=False)
    assert 200 in positions and all(abs(p - 200) > 8 for p in positions if p != 200)


def _cell(text: str | None, x: int) -> GridCell:
    if text is None:
        return GridCell(None, None)
    return GridCell(text, Origin("s", text, page=1, box=Box(x, 0, x + 10, 10), confidence=0.9))


def _grid(*rows: tuple[str | None, ...]) -> Grid:
    return Grid(Box(0, 0, 100, 100), tuple(tuple(_cell(t, 10 * j) for j, t in enumerate(row)) for row in rows))


def test_one_misread_cell_does_not_turn_the_value_columns_into_labels():
    grid = _grid(("信息内容", "自然人", "商业企业", "总计"),
                 ("一、本年新收", "3", "No", "8"),
                 ("二、上年结转", "1", "0", "1"),
                 ("（七）总计", "4", "5", "9"))
    assert _value_columns(grid) == {1, 2, 3}
    rows = [row for _, row in grid_rows(grid, 1)]
    assert rows[1].label_lines == ("一、本年新收",) and [c.text for c in rows[1].cells] == ["3", "No", "8"]
    assert rows[0].cells == ()  # the header row is still a header


def test_a_grid_without_a_cell_reader_takes_its_text_from_the_page_lines():
    # full-page OCR lines (the baseline the bench compares against) land in the cells holding them
    image = np.full((220, 320, 3), 255, np.uint8)
    for y in (10, 110, 210):
        image[y - 1:y + 2, 10:310] = 0
    for x in (10, 160, 310):
        image[10:210, x - 1:x + 2] = 0
    rules = tuple([Rule(True, Box(10, y - 1, 310, y + 2)) for y in (10, 110, 210)] +
                  [Rule(False, Box(x - 1, 10, x + 2, 210)) for x in (10, 160, 310)])
    lines = tuple(PageLine(t, Origin("s", t, page=1, box=Box(*b), confidence=0.8)) for t, b in
                  [("规章", (40, 50, 100, 70)), ("12", (220, 50, 250, 70)), ("合计", (40, 150, 100, 170)),
                   ("12", (220, 150, 250, 170)), ("二、主动公开", (10, 0, 80, 8))])
    scan = ScanPage(1, 320, 220, lines, rules, 0.0, 0, image)
    page = page_from_scan(scan, "s")
    assert [[c.text for c in row] for row in page.grids[0].rows] == [["规章", "12"], ["合计", "12"]]
    assert [word.text for word in page.words] == ["二、主动公开"]  # outside the grid: layout makes it a line


def _printed(text: str, seed: int) -> np.ndarray:
    """A number as a cell crop holds it: tight to its print, with scanner noise and JPEG."""
    image = np.full((40, 30 * len(text) + 8, 3), 255, np.uint8)
    cv2.putText(image, text, (4, 32), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (0, 0, 0), 2, cv2.LINE_AA)
    noise = np.random.default_rng(seed).normal(0, 8, image.shape)
    return _jpeg(np.clip(image + noise, 0, 255).astype(np.uint8), 75)


def test_crops_of_the_same_print_are_recognised_once_and_different_digits_never_share():
    crops = [_printed("0", 1), _printed("8", 2), _printed("0", 3), _printed("6", 4), _printed("10", 5),
             _printed("0", 6), _printed("8", 7), _printed("3", 8)]
    assert same_print(crops) == [0, 1, 0, 3, 4, 0, 1, 7]


def test_number_cells_are_brought_to_a_few_recogniser_widths_with_their_print_untouched():
    rng = np.random.default_rng(2)
    widths = set()
    for _ in range(300):
        height, width = int(rng.integers(18, 70)), int(rng.integers(4, 400))
        crop = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        scaled = at_rec_height(crop)
        assert scaled.shape[0] == REC_HEIGHT and scaled.shape[1] == min(int(np.ceil(48 * width / height)), LONGEST * 48)
        if not is_narrow(scaled):
            continue
        padded = to_bucket(scaled)
        assert padded.shape[0] == 48 and padded.shape[1] >= scaled.shape[1]
        assert (padded[:, scaled.shape[1]:] == 128).all()  # the recogniser's own padding grey
        assert np.array_equal(padded[:, :scaled.shape[1]], scaled)
        widths.add(padded.shape[1])
    # a shape oneDNN has not cached costs a compilation; the cache holds 10
    assert 1 < len(widths) <= 4


def test_wider_crops_are_packed_into_strips_of_one_width_apart_and_untouched():
    rng = np.random.default_rng(5)
    crops = [rng.integers(0, 120, (STRIP_HEIGHT, int(w), 3), dtype=np.uint8)
             for w in rng.integers(100, LONGEST * STRIP_HEIGHT, 60)]
    strips = packed(crops)
    assert {strip.image.shape for strip in strips} == {(STRIP_HEIGHT, LONGEST * STRIP_HEIGHT + GAP, 3)}
    placed = sorted(index for strip in strips for index, _, _ in strip.spans)
    assert placed == list(range(len(crops)))  # each crop once
    for strip in strips:
        spans = sorted(strip.spans, key=lambda span: span[1])
        for index, x0, x1 in spans:
            assert np.array_equal(strip.image[:, x0:x1], crops[index])
        for (_, _, end), (_, start, _) in zip(spans, spans[1:]):
            assert start - end >= GAP and (strip.image[:, end:start] == 128).all()
        assert spans[0][1] >= GAP // 2 and strip.image.shape[1] - spans[-1][2] >= GAP // 2
    # first fit decreasing leaves little room unused
    used = sum(c.shape[1] + GAP for c in crops)
    assert len(strips) <= used / strips[0].image.shape[1] * 1.25 + 1


def _printed_line(text: str, size: int = 30) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A line of Chinese print as a detected line's crop, and each character's ink extent."""
    from PIL import Image, ImageDraw, ImageFont

    from synthetic.font_subset import FONT

    font = ImageFont.truetype(str(FONT), size)
    shape = (int(font.getlength(text)) + 20, int(size * 1.6))
    image = Image.new("RGB", shape, (255, 255, 255))
    ImageDraw.Draw(image).text((10, size * 0.3), text, font=font, fill=(0, 0, 0))
    extents = []
    for k, ch in enumerate(text):
        alone = Image.new("L", shape, 255)
        ImageDraw.Draw(alone).text((10 + font.getlength(text[:k]), size * 0.3), ch, font=font, fill=0)
        columns = np.flatnonzero((np.asarray(alone) < 128).any(axis=0))
        extents.append((int(columns.min()), int(columns.max()) + 1))
    return np.asarray(image)[:, :, ::-1].copy(), extents


def test_a_line_longer_than_a_strip_is_cut_between_characters():
    text = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共受理政府信息公开申请件，已办结件，结转下年度办理件"
    crop, extents = _printed_line(text)
    parts = pieces(crop)
    assert len(parts) >= 2
    assert np.array_equal(np.concatenate(parts, axis=1), crop)
    assert all(part.shape[1] <= LONGEST * crop.shape[0] for part in parts)
    cuts = np.cumsum([part.shape[1] for part in parts])[:-1]
    for cut in cuts:  # never inside a character's ink, between 亻 and 本 of 体 say
        assert not any(left < cut < right - 1 for left, right in extents), (cut, extents)
    short, _ = _printed_line("（一）本机关不掌握相关政府信息")
    assert len(pieces(short)) == 1




@pytest.mark.parametrize("workers, cpus, threads", [(1, 2, 2), (1, 1, 1), (2, 2, 1), (3, 2, 1), (4, 16, 2), (16, 16, 1)])
def test_ocr_workers_share_the_cores_without_crowding_them(workers, cpus, threads):
    assert threads_per_worker(workers, cpus) == threads
    assert InspectOptions().for_workers(workers, cpus).ocr_threads == threads
    assert InspectOptions(ocr_threads=3).for_workers(workers, cpus).ocr_threads == 3  # asked for: kept


def _two_by_two(image: np.ndarray, top: int = 40) -> ScanPage:
    """The page's rules as the scan path finds them, and page-level lines for a 2 x 2 table whose
    rows start at `top`: label and number in each."""
    rules, _, _ = find_rules(image)
    lines = tuple(PageLine(t, Origin("s", t, page=1, box=Box(*b), confidence=0.9)) for t, b in
                  [("规章", (60, top + 40, 120, top + 60)), ("12", (260, top + 40, 290, top + 60)),
                   ("合计", (60, top + 140, 120, top + 160)), ("7", (260, top + 140, 290, top + 160))])
    return ScanPage(1, image.shape[1], image.shape[0], lines, rules, 0.0, 0, image)


def _draw_table(image: np.ndarray, ys: tuple[int, ...], bottom: int, grey: int = 0, width: int = 3) -> None:
    for y in ys:
        image[y:y + width, 30:370] = grey
    for x in (30, 200, 370):
        image[ys[0]:bottom, x:x + width] = grey


def _table_texts(page) -> list[list[str]]:
    """The texts of the page's one grid, which must come from its rules (lines alone can make a
    table without rules of these four cells)."""
    (grid,) = page.grids
    assert grid.ruled
    return [[c.text for c in row] for row in grid.rows]


def test_hairline_rules_a_blurred_scan_turned_grey_still_make_the_grid():
    image = np.full((300, 400, 3), 245, np.uint8)
    _draw_table(image, (40, 140, 240), 243, grey=60, width=1)
    image = cv2.GaussianBlur(image, (0, 0), 1.3)
    assert image[100, 30:33].min() > PAGE_INK  # no pixel of a column rule is dark enough for a fixed level
    page = page_from_scan(_two_by_two(image), "s")
    assert _table_texts(page) == [["规章", "12"], ["合计", "7"]]


def test_a_table_left_open_at_a_page_break_keeps_its_last_row():
    image = np.full((300, 400, 3), 255, np.uint8)
    _draw_table(image, (40, 140), bottom=240)  # no rule under the last row: it goes on overleaf
    page = page_from_scan(_two_by_two(image), "s")
    assert _table_texts(page) == [["规章", "12"], ["合计", "7"]]
    assert abs(page.grids[0].box.bottom - 240) <= 8  # the row ends where its column rules do


def _heading_strokes(image: np.ndarray, top_rule: int) -> None:
    """A bold heading set just above the table: strokes of "二" and of a few glyphs, reaching down
    to the top rule."""
    for x0 in (60, 120, 180):
        image[top_rule - 26:top_rule - 22, x0:x0 + 50] = 0  # horizontal strokes, longer than a rule's least
        image[top_rule - 12:top_rule - 8, x0:x0 + 50] = 0
        for x in (x0 + 10, x0 + 30):
            image[top_rule - 34:top_rule, x:x + 4] = 0  # vertical strokes down to the rule


def test_a_heading_just_above_a_table_is_neither_a_row_of_it_nor_painted_out():
    image = np.full((340, 400, 3), 255, np.uint8)
    _draw_table(image, (80, 180, 280), 283)
    _heading_strokes(image, 80)
    page = page_from_scan(_two_by_two(image, top=80), "s")
    assert _table_texts(page) == [["规章", "12"], ["合计", "7"]]
    _, horizontal, vertical = find_rules(image)
    cleaned = _painted_white(image, _table_boxes(horizontal, vertical))
    assert (cleaned[46:78, 60:230] < 128).sum() == (image[46:78, 60:230] < 128).sum()  # the heading kept
    assert (cleaned[82:280, 30:373] < 128).sum() == 0  # the table painted out


def test_the_crossing_strokes_of_a_bold_glyph_are_no_table():
    image = np.full((200, 200, 3), 255, np.uint8)
    for y in (60, 80, 100):
        image[y:y + 4, 50:110] = 0
    for x in (55, 80, 105):
        image[55:110, x:x + 4] = 0
    rules, _, _ = find_rules(image)
    assert page_from_scan(ScanPage(1, 200, 200, (), rules, 0.0, 0, image), "s").grids == ()


def test_a_scanners_pale_streaks_across_a_table_are_no_rows_of_it():
    # a dirty roller draws lines across the page far paler than the rules, through the cells
    image = np.full((300, 400, 3), 245, np.uint8)
    _draw_table(image, (40, 140, 240), 243)
    for y in (90, 115, 175):
        image[y:y + 3, :] = 222
    page = page_from_scan(_two_by_two(image), "s")
    assert _table_texts(page) == [["规章", "12"], ["合计", "7"]]


def _recognised_as(page: list, monkeypatch) -> list:
    """`scan.recognize_lines` reading each box as `page` (a list of (box, text), which the test may
    change as it goes) says; the boxes it was asked to read are returned, and added to as it is."""
    from disclosure.ocr import scan
    from disclosure.ocr.paddle_engine import OcrLine

    asked = []

    def recognize(image, boxes, models):
        asked.extend(boxes)
        return [OcrLine(dict(page)[box], 0.99, tuple(map(float, box))) for box in boxes]

    monkeypatch.setattr(scan, "recognize_lines", recognize)
    return asked


def test_the_paragraphs_below_the_heading_after_the_tables_are_not_read(monkeypatch):
    from disclosure.ocr import scan
    from disclosure.pipeline.policies import tables_end_within

    # (box, text): a table's heading, the heading after the tables, a paragraph under it, a page number
    page = [((100, 100, 900, 150), "四、政府信息公开行政复议、行政诉讼情况"),
            ((100, 800, 700, 850), "五、存在的主要问题及改进情况"),
            ((100, 900, 1300, 950), "2023年，本机关政府信息公开工作取得一定成效，但仍存在差距。"),
            ((600, 2200, 660, 2240), "-4-")]
    asked = _recognised_as(page, monkeypatch)
    boxes = [box for box, _ in page]
    read = [line.text for line in scan._lines_needed(None, boxes, None, 700, tables_end_within([]))]
    assert read == [page[0][1], page[1][1], page[3][1]]  # the page number was read with the headings
    assert page[2][0] not in asked
    # where the tables have not ended, the paragraph is read
    page[0] = ((100, 100, 900, 150), "二、主动公开政府信息情况")
    assert len(scan._lines_needed(None, boxes, None, 700, tables_end_within([]))) == 4
    assert len(scan._lines_needed(None, boxes, None, 700, None)) == 4
    # a page without ruled tables is read whole
    page[0] = ((100, 100, 900, 150), "四、政府信息公开行政复议、行政诉讼情况")
    assert len(scan._lines_needed(None, boxes, None, None, tables_end_within([]))) == 4


def test_without_prose_only_headings_short_lines_and_the_title_are_read(monkeypatch):
    from disclosure.ocr import scan

    # (box, text): a title as wide as the paragraphs, a heading, two paragraph lines, a page number
    page = [((100, 100, 1300, 150), "某某县人民政府办公室2023年政府信息公开工作年度报告"),
            ((100, 200, 500, 250), "一、总体情况"),
            ((100, 300, 1300, 350), "2023年，本机关全年共受理政府信息公开申请12件，已办结12件。"),
            ((100, 400, 1300, 450), "本机关坚持以公开为常态、不公开为例外，推进政务公开。"),
            ((600, 2200, 660, 2240), "-1-")]
    asked = _recognised_as(page, monkeypatch)
    boxes = [box for box, _ in page]
    opening = [line.text for line in scan._lines_needed(None, boxes, None, None, None, prose=False, opening=True)]
    assert opening == [page[0][1], page[1][1], page[2][1], page[4][1]]  # the first three lines, however wide
    assert page[3][0] not in asked
    # on a later page the first lines are paragraphs like the others
    later = [line.text for line in scan._lines_needed(None, boxes[1:], None, None, None, prose=False)]
    assert later == [page[1][1], page[4][1]]
    # with prose every line is read
    assert len(scan._lines_needed(None, boxes, None, None, None)) == 5


@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 120)),
              elements=st.one_of(st.integers(0, 255), st.sampled_from([0, 128, 200, 255]))))
@example(np.array([[0] * 11 + [157, 206, 206]], np.uint8))  # interpolated from below, it is one bit off
def test_a_lines_paper_is_its_90th_percentile_to_the_last_bit(gray):
    assert _paper(gray) == float(np.percentile(gray, 90))


def test_number_cells_are_padded_as_paddleocr_pads_them_three_to_a_run_then_grouped_by_width():
    # filled up to six with the narrowest, in PaddleOCR's order of widths: runs 48 48 52 | 56 72 96
    widths = [48, 72, 52, 96, 56]
    crops = [(k, np.full((REC_HEIGHT, w, 3), k, np.uint8)) for k, w in enumerate(widths)]
    padded = dict(as_paddle_pads(crops, 3))
    assert {k: crop.shape[1] for k, crop in padded.items()} == {0: 52, 2: 52, 4: 96, 1: 96, 3: 96}
    assert (padded[1][:, :72] == 1).all() and (padded[1][:, 72:] == PAD_GREY).all()
    groups = by_bucket(list(padded.items()))
    assert [sorted(k for k, _ in group) for group in groups] == [[0, 2], [1, 3, 4]]


def test_a_pdf_page_is_rendered_in_opencvs_channel_order_with_its_colours():
    # a red seal must stay red for the seal's removal: blue first, red last, as OpenCV reads
    import pypdfium2

    from disclosure.ocr.input_kind import InputKind
    from disclosure.ocr.scan import SCAN_DPI, page_images

    path = Path(__file__).resolve().parent.parent / "samples" / "generated_sealed_scan_2021.pdf"
    number, image = next(page_images(path, InputKind.PDF, 1))
    page = pypdfium2.PdfDocument(str(path))[0]
    rgb = np.asarray(page.render(scale=SCAN_DPI / 72).to_pil().convert("RGB"))
    assert number == 1 and image.flags.c_contiguous and image.dtype == np.uint8
    assert np.array_equal(image, rgb[..., ::-1])
    reddish = (image[..., 2].astype(int) - image[..., 0]) > 80
    assert reddish.sum() > 1000  # the sample's seal, red in the BGR order
