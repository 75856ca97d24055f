"""The recogniser's and the detector's affine blocks folded into their convolutions
(`ocr.folded_model`): the same networks, fewer passes; a model that does not fold runs as
PaddleOCR loads it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from disclosure.ocr.folded_model import fold, model_files, write_folded
from disclosure.ocr.paddle_engine import OcrModels

REC, DET = OcrModels.packaged().rec, OcrModels.packaged().det


def _program_ops(program: bytes) -> list[str]:
    from paddle.base.proto import framework_pb2

    desc = framework_pb2.ProgramDesc()
    desc.ParseFromString(program)
    return [op.type for op in desc.blocks[0].ops]


def _packaged() -> tuple[bytes, bytes]:
    program, params = model_files(REC)
    return program.read_bytes(), params.read_bytes()


def test_every_affine_block_of_the_packaged_recogniser_is_folded_where_a_convolution_takes_it():
    program, params = _packaged()
    folded = fold(program, params)
    before, after = _program_ops(program), _program_ops(folded.program)
    # 28 after a convolution, 12 before a 1x1 one, 13 before a depthwise one (their shift stays);
    # the three before a pooling or the squeeze-and-excite product stay whole
    assert folded.blocks == 53
    assert before.count("elementwise_mul") - after.count("elementwise_mul") == 53
    assert before.count("elementwise_add") - after.count("elementwise_add") == 40
    assert len(folded.params) == len(params)  # the same tensors, new values


def _predictor(program: bytes, params: bytes):
    from paddle import inference

    config = inference.Config()
    config.set_model_buffer(program, len(program), params, len(params))
    config.disable_gpu()
    config.enable_mkldnn()
    config.set_cpu_math_library_num_threads(1)
    config.switch_use_feed_fetch_ops(False)
    return inference.create_predictor(config)


def _run(predictor, batch: np.ndarray) -> np.ndarray:
    predictor.get_input_handle(predictor.get_input_names()[0]).copy_from_cpu(batch)
    predictor.run()
    return predictor.get_output_handle(predictor.get_output_names()[0]).copy_to_cpu()


@pytest.mark.parametrize("height, width", [(32, 560), (48, 48), (48, 144)])
def test_the_folded_recogniser_computes_what_the_model_does(height, width):
    # print reaching every edge of the input: the depthwise convolutions' padding is where a fold
    # that moved a shift past it would differ
    program, params = _packaged()
    folded = fold(program, params)
    rng = np.random.default_rng(7)
    batch = rng.uniform(-1, 1, (3, 3, height, width)).astype(np.float32)
    want, got = _run(_predictor(program, params), batch), _run(_predictor(folded.program, folded.params), batch)
    assert want.shape == got.shape
    assert np.abs(want - got).max() < 1e-4
    assert (want.argmax(-1) == got.argmax(-1)).all()


def test_the_folded_detector_computes_the_map_the_model_does():
    program, params = (path.read_bytes() for path in model_files(DET))
    folded = fold(program, params)
    assert folded.blocks == 48
    # lines of print on paper, normalised as PaddleOCR's detector normalises a page
    import cv2

    paper = np.full((320, 256, 3), 255, np.uint8)
    for row in range(8):
        cv2.putText(paper, "2024 1203 85279", (4 + 9 * row, 30 + 38 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 2)
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    page = ((paper / 255.0 - mean) / std).astype(np.float32).transpose(2, 0, 1)[None]
    want, got = _run(_predictor(program, params), page), _run(_predictor(folded.program, folded.params), page)
    assert np.abs(want - got).max() < 1e-4
    assert (want > 0.3).any() and (want <= 0.3).any()  # some of it print, some paper
    assert ((want > 0.3) == (got > 0.3)).all()  # the map PaddleOCR thresholds for its boxes


def test_a_model_without_affine_blocks_is_left_as_it_is():
    classifier = OcrModels.packaged().cls  # MobileNetV3: no affine blocks
    program, params = model_files(classifier)
    assert fold(program.read_bytes(), params.read_bytes()) is None
    assert write_folded(classifier, classifier.parent / "never written") is None
    assert not (classifier.parent / "never written").exists()


def test_a_program_or_parameters_that_are_not_paddles_are_left_as_they_are():
    program, params = _packaged()
    assert fold(b"{\"program\": \"a PIR program in JSON\"}", params) is None
    assert fold(program, params[: len(params) // 2]) is None
    assert fold(program, b"") is None


def test_parameters_in_another_order_are_not_lent_to_the_wrong_tensors():
    from disclosure.ocr.folded_model import _tensors

    program, params = _packaged()
    tensors = _tensors(params)
    first = next(k for k, (_, array) in enumerate(tensors) if array.shape != tensors[0][1].shape)
    swapped = [tensors[first], *tensors[1:first], tensors[0], *tensors[first + 1:]]
    assert fold(program, b"".join(head + array.tobytes() for head, array in swapped)) is None


def test_a_folder_holding_both_names_is_folded_from_the_one_paddleocr_loads(tmp_path):
    program, params = model_files(REC)
    classifier = model_files(OcrModels.packaged().cls)
    shutil.copy(program, tmp_path / "inference.pdmodel")
    shutil.copy(params, tmp_path / "inference.pdiparams")
    shutil.copy(classifier[0], tmp_path / "model.pdmodel")
    shutil.copy(classifier[1], tmp_path / "model.pdiparams")
    assert model_files(tmp_path) == (tmp_path / "model.pdmodel", tmp_path / "model.pdiparams")
    assert write_folded(tmp_path, tmp_path / "out") is None  # PaddleOCR loads the classifier's, which does not fold


def test_a_folder_without_a_paddle_program_is_not_folded(tmp_path):
    (tmp_path / "inference.json").write_text("{}")  # a PIR program: PaddleOCR 3's models
    assert write_folded(tmp_path, tmp_path / "out") is None
    assert model_files(tmp_path) is None


def test_a_model_folder_named_as_paddleocr_also_names_it_is_folded(tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    program, params = model_files(REC)
    shutil.copy(program, folder / "model.pdmodel")
    shutil.copy(params, folder / "model.pdiparams")
    assert model_files(folder) == (folder / "model.pdmodel", folder / "model.pdiparams")
    out = write_folded(folder, tmp_path / "folded")
    assert out == tmp_path / "folded" and model_files(out) == (out / "inference.pdmodel", out / "inference.pdiparams")
    assert fold(*(path.read_bytes() for path in model_files(REC))).program == (out / "inference.pdmodel").read_bytes()


def test_the_engine_loads_folded_copies_of_the_detector_and_recogniser_and_leaves_none_behind(monkeypatch):
    import disclosure.ocr.folded_model as folded_model
    from disclosure.ocr.paddle_engine import _loaded

    written, loaded = [], []
    real = folded_model.write_folded
    monkeypatch.setattr(folded_model, "write_folded", lambda folder, into: written.append(real(folder, into))
                        or written[-1])

    class Loader:
        def __init__(self, **kwargs) -> None:
            loaded.append(kwargs)
            # what PaddleOCR is handed is there while it loads
            assert all(Path(kwargs[key], "inference.pdiparams").is_file() for key in ("det_model_dir", "rec_model_dir"))

    monkeypatch.setattr("paddleocr.PaddleOCR", Loader)
    models = replace(OcrModels.packaged(), threads=1)
    assert isinstance(_loaded(models), Loader)
    det, rec = written
    assert (loaded[0]["det_model_dir"], loaded[0]["rec_model_dir"]) == (str(det), str(rec))
    assert loaded[0]["cls_model_dir"] == str(models.cls)
    assert det.parent == rec.parent and not det.parent.exists()  # the copies are gone once loaded


def test_a_model_that_does_not_fold_is_loaded_from_its_own_folder(monkeypatch):
    from disclosure.ocr.paddle_engine import _loaded

    loaded = []
    monkeypatch.setattr("paddleocr.PaddleOCR", lambda **kwargs: loaded.append(kwargs))
    models = OcrModels.packaged()
    classifier_as_recogniser = replace(models, rec=models.cls)  # no affine blocks to fold
    _loaded(classifier_as_recogniser)
    assert loaded[0]["rec_model_dir"] == str(models.cls)
    assert loaded[0]["det_model_dir"] != str(models.det)  # the detector folds


def test_without_a_temporary_folder_the_models_are_loaded_unfolded(monkeypatch, tmp_path):
    from disclosure.ocr.paddle_engine import _loaded

    loaded = []
    monkeypatch.setattr("paddleocr.PaddleOCR", lambda **kwargs: loaded.append(kwargs))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "gone"))
    models = OcrModels.packaged()
    _loaded(models)
    assert (loaded[0]["det_model_dir"], loaded[0]["rec_model_dir"]) == (str(models.det), str(models.rec))


def test_a_copy_that_cannot_be_written_leaves_the_model_unfolded(tmp_path):
    from disclosure.ocr.paddle_engine import _folded

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    assert _folded(REC, blocked / "rec") == REC
    assert _folded(REC, tmp_path / "rec") == tmp_path / "rec"
    assert model_files(tmp_path / "rec") == (tmp_path / "rec" / "inference.pdmodel",
                                              tmp_path / "rec" / "inference.pdiparams")


def test_the_folded_engine_reads_a_number_cell():
    import cv2

    from disclosure.ocr.paddle_engine import engine, recognize_crops

    models = replace(OcrModels.packaged(), threads=1)
    engine(models)
    cell = np.full((40, 90, 3), 255, np.uint8)
    cv2.putText(cell, "352", (8, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (0, 0, 0), 2)
    assert recognize_crops([cell], models)[0].text == "352"
