"""The recogniser's affine blocks folded into its convolutions (`ocr.folded_model`): the same
network, fewer passes; a model that does not fold is read as PaddleOCR loads it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from disclosure.ocr.folded_model import fold, folded_predictor, model_files
from disclosure.ocr.paddle_engine import OcrModels

REC = OcrModels.packaged().rec


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


def test_a_model_without_affine_blocks_is_left_as_it_is():
    classifier = OcrModels.packaged().cls  # MobileNetV3: no affine blocks
    program, params = model_files(classifier)
    assert fold(program.read_bytes(), params.read_bytes()) is None
    assert folded_predictor(classifier, 1) is None


def test_a_program_or_parameters_that_are_not_paddles_are_left_as_they_are():
    program, params = _packaged()
    assert fold(b"{\"program\": \"a PIR program in JSON\"}", params) is None
    assert fold(program, params[: len(params) // 2]) is None
    assert fold(program, b"") is None


def test_a_folder_without_a_paddle_program_keeps_paddleocrs_predictor(tmp_path):
    assert folded_predictor(tmp_path, 1) is None
    assert model_files(tmp_path) is None


def test_a_model_folder_named_as_paddleocr_also_names_it_is_folded(tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    program, params = model_files(REC)
    shutil.copy(program, folder / "model.pdmodel")
    shutil.copy(params, folder / "model.pdiparams")
    assert model_files(folder) == (folder / "model.pdmodel", folder / "model.pdiparams")
    assert folded_predictor(folder, 1) is not None


class _Predictor:
    def __init__(self, outputs: list[str]) -> None:
        self.outputs = outputs

    def get_input_names(self):
        return ["x"]

    def get_input_handle(self, name):
        return ("input", name)

    def get_output_names(self):
        return self.outputs

    def get_output_handle(self, name):
        return ("output", name)


@pytest.mark.parametrize("outputs, read", [(["softmax_0.tmp_0", "other"], [("output", "softmax_0.tmp_0")]),
                                           (["a", "b"], [("output", "a"), ("output", "b")])])
def test_the_recogniser_is_handed_the_folded_predictor_and_its_outputs(monkeypatch, outputs, read):
    import disclosure.ocr.folded_model as folded_model
    from disclosure.ocr.paddle_engine import _fold_recogniser

    predictor = _Predictor(outputs)
    asked = []
    monkeypatch.setattr(folded_model, "folded_predictor", lambda folder, threads: asked.append((folder, threads))
                        or predictor)
    recognizer = SimpleNamespace(predictor="paddleocr's", input_tensor=None, output_tensors=[])
    _fold_recogniser(recognizer, replace(OcrModels.packaged(), threads=2))
    assert asked == [(REC, 2)]
    assert recognizer.predictor is predictor and recognizer.input_tensor == ("input", "x")
    assert recognizer.output_tensors == read


def test_a_recogniser_whose_model_does_not_fold_keeps_its_predictor(monkeypatch):
    import disclosure.ocr.folded_model as folded_model
    from disclosure.ocr.paddle_engine import _fold_recogniser

    monkeypatch.setattr(folded_model, "folded_predictor", lambda folder, threads: None)
    recognizer = SimpleNamespace(predictor="paddleocr's", input_tensor="its input", output_tensors=["its output"])
    _fold_recogniser(recognizer, OcrModels.packaged())
    assert recognizer == SimpleNamespace(predictor="paddleocr's", input_tensor="its input",
                                         output_tensors=["its output"])
