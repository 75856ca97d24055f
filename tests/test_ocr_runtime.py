"""The OCR networks under Paddle Inference (the default) or ONNX Runtime (`OcrRuntime.ONNX`): the
same PP-OCRv4 models, the same reading of every crop."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from disclosure.ocr.errors import OcrError
from disclosure.ocr.paddle_engine import OcrModels, OcrRuntime

REPO = Path(__file__).resolve().parent.parent


def test_paddle_stays_the_default_runtime():
    assert OcrModels.packaged().runtime is OcrRuntime.PADDLE
    assert OcrModels.packaged("paddle") == OcrModels.packaged()


def test_the_packaged_onnx_models_are_found_offline():
    models = OcrModels.packaged("onnx")
    assert models == OcrModels.packaged_onnx() == OcrModels.packaged(OcrRuntime.ONNX)
    assert models.runtime is OcrRuntime.ONNX
    for path in (models.det, models.rec, models.cls):
        assert path.suffix == ".onnx" and path.stat().st_size > 100_000, path


def test_a_runtime_given_as_a_word_is_the_runtime():
    models = OcrModels(Path("d"), Path("r"), Path("c"), runtime="onnx")
    assert models.runtime is OcrRuntime.ONNX and replace(models, threads=1).runtime is OcrRuntime.ONNX
    assert str(OcrRuntime.ONNX) == "onnx"
    with pytest.raises(ValueError):
        OcrModels(Path("d"), Path("r"), Path("c"), runtime="tensorflow")


def test_the_onnx_recogniser_reads_with_the_dictionary_paddleocr_decodes_with():
    # the .onnx file carries its characters; PaddleOCR's decoder (and ctc_reading) uses its own
    # dictionary for lang="ch": the same 6,623 in the same order, or every class would shift
    import onnxruntime as ort
    import paddleocr

    session = ort.InferenceSession(str(OcrModels.packaged("onnx").rec), providers=["CPUExecutionProvider"])
    embedded = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    dictionary = Path(paddleocr.__file__).parent / "ppocr" / "utils" / "ppocr_keys_v1.txt"
    assert embedded == dictionary.read_text(encoding="utf-8").splitlines()
    assert session.get_outputs()[0].shape[-1] == len(embedded) + 2  # CTC's blank, and the space


def _onnx_folder(root: Path) -> Path:
    packaged = OcrModels.packaged("onnx")
    root.mkdir()
    for name, source in (("det.onnx", packaged.det), ("rec.onnx", packaged.rec), ("cls.onnx", packaged.cls)):
        shutil.copy(source, root / name)
    return root


def test_onnx_models_from_a_folder(tmp_path):
    folder = _onnx_folder(tmp_path / "models")
    models = OcrModels.from_folder(folder, "onnx")
    assert models == OcrModels(folder / "det.onnx", folder / "rec.onnx", folder / "cls.onnx", runtime=OcrRuntime.ONNX)


@pytest.mark.parametrize("spoil, message", [(None, "holds no ONNX model"), (b"not a model\n", "cannot be parsed"),
                                            (b"", "cannot be parsed")])
def test_onnx_models_that_are_missing_or_not_models_are_refused_in_one_line(tmp_path, spoil, message):
    folder = _onnx_folder(tmp_path / "models")
    if spoil is None:
        (folder / "rec.onnx").unlink()
    else:
        (folder / "rec.onnx").write_bytes(spoil)
    with pytest.raises(OcrError, match=message) as raised:
        OcrModels.from_folder(folder, "onnx")
    assert "\n" not in str(raised.value)


def test_a_damaged_onnx_model_is_refused_in_one_line_when_loaded(tmp_path):
    from disclosure.ocr.paddle_engine import engine

    folder = _onnx_folder(tmp_path / "models")
    (folder / "rec.onnx").write_bytes(b"\x08\x07" + b"junk" * 10)  # looks like a model's first field, and is not
    models = OcrModels(folder / "det.onnx", folder / "rec.onnx", folder / "cls.onnx", threads=1, runtime="onnx")
    with pytest.raises(OcrError, match="could not be loaded") as raised:
        engine(models)
    assert "\n" not in str(raised.value)


def test_a_paddle_folder_is_not_taken_for_onnx_models(tmp_path):
    with pytest.raises(OcrError, match="holds no ONNX model"):
        OcrModels.from_folder(tmp_path, "onnx")


@pytest.mark.slow
@pytest.mark.ocr
def test_the_onnx_engine_runs_with_the_threads_asked_for():
    from disclosure.ocr.paddle_engine import engine

    ocr = engine(replace(OcrModels.packaged("onnx"), threads=1))
    for predictor in (ocr.text_detector, ocr.text_recognizer, ocr.text_classifier):
        assert predictor.use_onnx and predictor.predictor.get_providers() == ["CPUExecutionProvider"]
        options = predictor.predictor.get_session_options()
        assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1


@pytest.mark.slow
@pytest.mark.ocr
def test_crops_read_under_onnx_runtime_read_as_under_paddle():
    # number cells in batches, labels and prose packed into strips, a line longer than a strip in
    # pieces: the same texts, digits-only readings and alternatives, confidences within a rounding
    from disclosure.ocr.paddle_engine import recognize_crops
    from tests.test_scan_parts import _printed, _printed_line

    texts = ["（一）本机关不掌握相关政府信息", "申请人情况", "法人或其他组织", "总计",
             "2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共受理政府信息公开申请",
             "5．其他处理"]
    numbers = ["0", "17", "305", "-4", "8"]
    crops = [_printed_line(text)[0] for text in texts] + [_printed(n, seed) for seed, n in enumerate(numbers)]
    paddle = recognize_crops(crops, OcrModels.packaged())
    onnx = recognize_crops(crops, OcrModels.packaged("onnx"))
    assert [r.text for r in onnx] == [r.text for r in paddle]
    assert [r.digits for r in onnx] == [r.digits for r in paddle]
    assert [[a for a, _ in r.alternatives] for r in onnx] == [[a for a, _ in r.alternatives] for r in paddle]
    assert np.allclose([r.confidence for r in onnx], [r.confidence for r in paddle], atol=1e-3)
    assert np.allclose([r.digits_confidence for r in onnx], [r.digits_confidence for r in paddle], atol=1e-3)


@pytest.mark.slow
@pytest.mark.ocr
def test_the_recogniser_gives_the_same_probabilities_under_either_runtime():
    # the same network: its softmax output (what ctc_reading reads) agrees to float rounding
    from disclosure.ocr.crop_shapes import at_rec_height, to_bucket
    from disclosure.ocr.paddle_engine import engine, recognize_crops
    from tests.test_scan_parts import _printed

    batch = [to_bucket(at_rec_height(_printed(n, seed))) for seed, n in enumerate(["0", "12", "7", "3", "0", "96"])]
    probs = {}
    for runtime in OcrRuntime:
        models = OcrModels.packaged(runtime)
        recognize_crops([batch[0]], models)  # puts in the decoder that hands back the probabilities
        probs[runtime] = engine(models).text_recognizer(batch)[0]
    assert [p.shape for p in probs[OcrRuntime.PADDLE]] == [p.shape for p in probs[OcrRuntime.ONNX]]
    assert max(np.abs(p - o).max() for p, o in zip(probs[OcrRuntime.PADDLE], probs[OcrRuntime.ONNX])) < 1e-4


@pytest.mark.slow
@pytest.mark.ocr
def test_a_sealed_scan_read_under_onnx_runtime_gives_the_same_report():
    from disclosure.pipeline.document import InspectOptions, inspect_file

    scan = REPO / "samples" / "generated_sealed_scan_2021.pdf"
    paddle = inspect_file(scan, InspectOptions())
    onnx = inspect_file(scan, InspectOptions(ocr_models=OcrModels.packaged("onnx")))
    assert onnx.status == paddle.status and onnx.status.value == "verified"
    assert onnx.fields == paddle.fields
    assert (onnx.agency, onnx.year) == (paddle.agency, paddle.year)


@pytest.mark.parametrize("command", [["inspect", "x.pdf"], ["backfill", "in", "--out", "out"], ["watch", "in", "--out", "out"]])
def test_the_cli_runtime_reaches_the_reading_options(command, tmp_path):
    from disclosure.workers.cli import _inspect_options, _parser

    onnx = _inspect_options(_parser().parse_args([*command, "--ocr-runtime", "onnx"]))
    assert onnx.ocr_models == OcrModels.packaged("onnx")
    assert _inspect_options(_parser().parse_args(command)).ocr_models is None  # paddle's packaged models
    folder = _onnx_folder(tmp_path / "models")
    own = _inspect_options(_parser().parse_args([*command, "--ocr-runtime", "onnx", "--ocr-models", str(folder)]))
    assert own.ocr_models.runtime is OcrRuntime.ONNX and own.ocr_models.rec == folder / "rec.onnx"
