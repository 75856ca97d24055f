"""PP-OCRv4's recogniser and detector with their learnable affine blocks folded into the
convolutions beside them.

PP-LCNetV3, the backbone of both, follows its convolutions and activations with learnable affine
blocks: the tensor times a scalar, plus a scalar. Paddle Inference runs each block as two passes
over the tensor, 56 of them in a run of the recogniser, which on two cores is a sixth of its time
(a seventh of the detector's). The blocks are linear, so they fold into a convolution's weights and
bias, as batch norm is folded when a model is exported:

- after a convolution and its bias, s(W∗x + c) + b is (sW)∗x + (sc + b);
- before a 1×1 convolution, which does not pad, W∗(sh + b) + c is (sW)∗h + (c + bΣW);
- before a depthwise convolution, which pads with zeros that the block never shifted, W∗pad(sh + b)
  is (sW)∗pad(h + b/s): the scale folds, the shift stays as one pass.

The network computes the same function; only the float rounding of its sums differs (a
probability moves by about 2e-6). A model of another shape, or in a format other than Paddle's
protobuf program, is left as it is (`fold` returns None) and runs as PaddleOCR loads it."""

from __future__ import annotations

import struct
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SMALLEST_SCALE = 1e-6  # a scale nearer 0 than this is not divided by (the depthwise fold)


@dataclass(frozen=True)
class FoldedModel:
    program: bytes  # a Paddle ProgramDesc
    params: bytes  # its persistable tensors, combined as Paddle saves them
    blocks: int  # affine blocks folded


def _tensors(params: bytes) -> list[tuple[bytes, np.ndarray]]:
    """Paddle's combined parameter file, tensor by tensor: each one's header (versions, LoD and
    TensorDesc) as it stands, and its values."""
    from paddle.base.proto import framework_pb2

    types = {framework_pb2.VarType.FP32: np.float32, framework_pb2.VarType.FP64: np.float64,
             framework_pb2.VarType.INT32: np.int32, framework_pb2.VarType.INT64: np.int64}
    out, at = [], 0
    while at < len(params):
        start = at
        (levels,) = struct.unpack_from("<Q", params, at + 4)
        at += 12
        for _ in range(levels):
            (size,) = struct.unpack_from("<Q", params, at)
            at += 8 + size
        (size,) = struct.unpack_from("<i", params, at + 4)
        at += 8
        desc = framework_pb2.VarType.TensorDesc()
        desc.ParseFromString(params[at:at + size])
        at += size
        dtype = np.dtype(types[desc.data_type])
        count = int(np.prod(desc.dims)) if desc.dims else 1
        out.append((params[start:at], np.frombuffer(params, dtype, count, at).reshape(tuple(desc.dims))))
        at += count * dtype.itemsize
    return out


class _Graph:
    """A program's one block as indices: who makes each variable, who reads it."""

    def __init__(self, ops) -> None:
        self.ops = ops
        self.maker = {name: k for k, op in enumerate(ops) for name in _outputs(op)}
        self.readers: dict[str, list[int]] = defaultdict(list)
        for k, op in enumerate(ops):
            for name in {a for slot in op.inputs for a in slot.arguments}:
                self.readers[name].append(k)

    def only_reader(self, name: str) -> int | None:
        readers = self.readers[name]
        return readers[0] if len(readers) == 1 else None


def _input(op, slot: str) -> str | None:
    return next((a for s in op.inputs if s.parameter == slot for a in s.arguments), None)


def _outputs(op) -> list[str]:
    return [a for slot in op.outputs for a in slot.arguments]


def _attr(op, name: str):
    return next((a for a in op.attrs if a.name == name), None)


def fold(program: bytes, params: bytes) -> FoldedModel | None:
    """The model with its affine blocks folded (see the module's word), or None where its program
    is not Paddle's protobuf, its parameters do not match it, or it has no such block."""
    from google.protobuf.message import DecodeError
    from paddle.base.proto import framework_pb2

    desc = framework_pb2.ProgramDesc()
    try:
        desc.ParseFromString(program)
        block = desc.blocks[0]
        persistable = {v.name: v for v in block.vars if v.persistable and v.name not in ("feed", "fetch")}
        names = sorted(persistable)
        tensors = _tensors(params)
    except (DecodeError, IndexError, KeyError, ValueError, struct.error):
        return None
    # Paddle saves a program's tensors in the order of their names; a file in another order, or of
    # another program, must not lend one tensor's values to another
    if len(tensors) != len(names) or any(array.shape != tuple(persistable[name].type.dense_tensor.tensor.dims)
                                         for name, (_, array) in zip(names, tensors)):
        return None
    value = {name: array for name, (_, array) in zip(names, tensors)}
    removed, renamed, blocks = _fold_blocks(_Graph(list(block.ops)), value)
    if not removed:
        return None
    kept = [op for k, op in enumerate(block.ops) if k not in removed]
    for op in kept:
        for slot in op.inputs:
            for k, name in enumerate(slot.arguments):
                while name in renamed:
                    name = renamed[name]
                slot.arguments[k] = name
    del block.ops[:]
    block.ops.extend(kept)
    combined = b"".join(head + np.ascontiguousarray(value[name]).tobytes() for name, (head, _) in zip(names, tensors))
    return FoldedModel(desc.SerializeToString(), combined, blocks)


def _fold_blocks(graph: _Graph, value: dict[str, np.ndarray]) -> tuple[set[int], dict[str, str], int]:
    """Each affine block folded where one of the three forms allows, the weights in `value`
    changed in place: the ops removed, the variables whose readers now read another, and how many
    blocks were folded."""
    ops, removed, renamed, blocks = graph.ops, set(), {}, 0

    def scalar(name: str | None) -> float | None:
        array = value.get(name) if name else None
        return float(array.astype(np.float64)[0]) if array is not None and array.shape == (1,) else None

    for k in range(len(ops) - 1):
        mul, add = ops[k], ops[k + 1]
        if mul.type != "elementwise_mul" or add.type != "elementwise_add" or _input(add, "X") != _outputs(mul)[0]:
            continue
        scale, shift = scalar(_input(mul, "X")), scalar(_input(add, "Y"))
        before, after = _input(mul, "Y"), _outputs(add)[0]
        alone = graph.only_reader(before) == k and graph.only_reader(_outputs(mul)[0]) == k + 1
        if scale is None or shift is None or not alone:
            continue
        conv = _convolution_before(graph, before, value)
        if conv is not None:
            weights, bias = conv
            value[weights] = (value[weights].astype(np.float64) * scale).astype(np.float32)
            value[bias] = (value[bias].astype(np.float64) * scale + shift).astype(np.float32)
            removed |= {k, k + 1}
            renamed[after] = before
            blocks += 1
            continue
        reader = graph.only_reader(after)
        pointwise = _pointwise_after(graph, reader, value) if reader is not None else None
        if pointwise is not None:
            weights, bias = pointwise
            w = value[weights].astype(np.float64)
            value[bias] = (value[bias].astype(np.float64) + shift * w.sum(axis=(1, 2, 3))).astype(np.float32)
            value[weights] = (w * scale).astype(np.float32)
            removed |= {k, k + 1}
            renamed[after] = before
            blocks += 1
            continue
        if (reader is not None and ops[reader].type == "depthwise_conv2d" and abs(scale) > _SMALLEST_SCALE
                and graph.only_reader(_input(ops[reader], "Filter")) == reader
                and graph.only_reader(_input(add, "Y")) == k + 1):
            weights = _input(ops[reader], "Filter")
            value[weights] = (value[weights].astype(np.float64) * scale).astype(np.float32)
            value[_input(add, "Y")] = np.array([shift / scale], np.float32)
            next(slot for slot in add.inputs if slot.parameter == "X").arguments[0] = before
            removed.add(k)
            blocks += 1
    return removed, renamed, blocks


def _bias_of(graph: _Graph, conv: int, value: dict[str, np.ndarray]) -> str | None:
    """The bias a convolution's output goes straight to and nowhere else, as PaddleOCR exports it
    (an elementwise_add of a persistable vector)."""
    output = next((a for slot in graph.ops[conv].outputs if slot.parameter == "Output" for a in slot.arguments), None)
    reader = graph.only_reader(output) if output else None
    if reader is None or graph.ops[reader].type != "elementwise_add":
        return None
    bias = _input(graph.ops[reader], "Y")
    return bias if bias in value and value[bias].ndim == 1 and graph.only_reader(bias) == reader else None


def _convolution_before(graph: _Graph, name: str, value: dict[str, np.ndarray]) -> tuple[str, str] | None:
    """The weights and bias of the convolution whose biased output `name` is, if that is all it is."""
    add = graph.maker.get(name)
    if add is None or graph.ops[add].type != "elementwise_add":
        return None
    conv = graph.maker.get(_input(graph.ops[add], "X"))
    if conv is None or graph.ops[conv].type not in ("conv2d", "depthwise_conv2d"):
        return None
    weights = _input(graph.ops[conv], "Filter")
    bias = _bias_of(graph, conv, value)
    if bias != _input(graph.ops[add], "Y") or graph.only_reader(weights) != conv:
        return None
    return weights, bias


def _pointwise_after(graph: _Graph, conv: int, value: dict[str, np.ndarray]) -> tuple[str, str] | None:
    """The weights and bias of a 1×1 convolution that does not pad and mixes all channels."""
    op = graph.ops[conv]
    if op.type != "conv2d":
        return None
    weights = _input(op, "Filter")
    paddings, groups = _attr(op, "paddings"), _attr(op, "groups")
    if (weights not in value or value[weights].shape[2:] != (1, 1) or graph.only_reader(weights) != conv
            or (paddings is not None and any(paddings.ints)) or (groups is not None and groups.i > 1)):
        return None
    bias = _bias_of(graph, conv, value)
    return (weights, bias) if bias is not None else None


def model_files(folder: Path) -> tuple[Path, Path] | None:
    """A folder's Paddle program and parameters, named as PaddleOCR looks for them and in its order:
    where a folder holds both, the model folded is the one PaddleOCR would have loaded."""
    for stem in ("model", "inference"):
        program, params = folder / f"{stem}.pdmodel", folder / f"{stem}.pdiparams"
        if program.is_file() and params.is_file():
            return program, params
    return None


def write_folded(folder: Path, into: Path) -> Path | None:
    """The model in `folder` folded, written to the folder `into` under the names PaddleOCR loads
    (`inference.pdmodel`, `inference.pdiparams`); None, and nothing written, where it does not
    fold. PaddleOCR then loads it as any model folder, once: a predictor made from the folded
    model in memory beside the one PaddleOCR makes held 50 MB more."""
    files = model_files(folder)
    folded = fold(files[0].read_bytes(), files[1].read_bytes()) if files else None
    if folded is None:
        return None
    into.mkdir(parents=True, exist_ok=True)
    (into / "inference.pdmodel").write_bytes(folded.program)
    (into / "inference.pdiparams").write_bytes(folded.params)
    return into
