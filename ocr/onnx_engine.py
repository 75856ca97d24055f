"""The same PP-OCRv4 networks under ONNX Runtime, offline: the `.onnx` files ship inside the
rapidocr_onnxruntime wheel (converted from PaddleOCR's inference models with paddle2onnx).

PaddleOCR's own predictors run an ONNX file where they are asked to (`use_onnx`): its resizing,
normalising, batching and decoding stay the same, only the network runs in ONNX Runtime, so a
crop goes through `ocr.crop_shapes` and `ocr.ctc_reading` exactly as under Paddle Inference.
"""

from __future__ import annotations

from pathlib import Path

from disclosure.ocr.errors import OcrError

# the files of rapidocr_onnxruntime's models/ folder: detection, recognition, angle classifier
PACKAGED_FILES = ("ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx")
# the names a folder of the user's own ONNX models gives them (`OcrModels.from_folder`)
FOLDER_FILES = ("det.onnx", "rec.onnx", "cls.onnx")


def packaged_paths() -> tuple[Path, Path, Path]:
    """Detection, recognition and angle models as shipped in the rapidocr_onnxruntime wheel."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr_onnxruntime")  # found, not imported: its import loads its engine
    if spec is None or not spec.submodule_search_locations:
        raise OcrError("the ONNX OCR models are not installed: pip install 'disclosure[onnx]'")
    root = Path(next(iter(spec.submodule_search_locations))) / "models"
    det, rec, cls = (root / name for name in PACKAGED_FILES)
    return det, rec, cls


def check_model_file(path: Path) -> None:
    """Refuse, in one line, a path that holds no ONNX model: a missing file or one that is not a
    protobuf (ONNX Runtime raises on those, it does not end the process, but its words are long)."""
    if path.is_dir():
        raise OcrError(f"{path} is a folder, not an ONNX model (.onnx)")
    if not path.is_file():
        raise OcrError(f"{path} holds no ONNX model")
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError as err:
        raise OcrError(f"cannot read the model {path}: {err.strerror or err}") from None
    # a serialized ModelProto starts with field 1 (ir_version, a varint): the byte 0x08
    if head[:1] != b"\x08":
        raise OcrError(f"{path} is not an ONNX model (it cannot be parsed)")


def session_options(threads: int):
    """ONNX Runtime's options for every session of one engine: `threads` threads inside an
    operator, one at a time across operators, and no spinning between runs, so that a thread
    waiting for the next crop gives its core to the page's other work (and to other workers)."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise OcrError("ONNX Runtime is not installed: pip install 'disclosure[onnx]'") from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # errors only: it warns of initialisers it keeps as inputs
    return options


def load_errors() -> tuple[type[BaseException], ...]:
    """What ONNX Runtime raises for a file it cannot load (its errors derive from RuntimeError, or
    are its own pybind classes, depending on the release)."""
    try:
        from onnxruntime.capi import onnxruntime_pybind11_state as state
    except ImportError:
        return (RuntimeError,)
    names = ("Fail", "InvalidArgument", "InvalidProtobuf", "InvalidGraph", "NoSuchFile", "RuntimeException")
    found = tuple(getattr(state, name) for name in names if isinstance(getattr(state, name, None), type))
    return (RuntimeError, *found)
