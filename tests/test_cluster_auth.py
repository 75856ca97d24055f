"""A cluster started the way users start one, `ray start --head` and `ray start --address`, with
token authentication (Ray's default from 2.59 on): the backfill joins it with the token, and is
refused in one line without it or with a wrong one."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch_inputs import report_bytes

pytestmark = [pytest.mark.slow, pytest.mark.ray]

TOKEN = "disclosure-test-token-0123456789abcdef"
CLI = [sys.executable, "-c", "from disclosure.workers.cli import entry_point; entry_point()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def _start_node(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """`ray start ... --block` stays the parent of every process it starts, in a process group of
    its own: stopping it stops this node and nothing else on the machine (`ray stop` stops every Ray)."""
    with log.open("w") as out:
        node = subprocess.Popen([*command, "--block"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while "Ray runtime started" not in log.read_text(errors="replace"):
        if node.poll() is not None or time.monotonic() > deadline:
            _stop_node(node)
            pytest.fail(f"{' '.join(command[1:3])} did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    return node


def _stop_node(node: subprocess.Popen) -> None:
    # SIGTERM lets `ray start` take down the processes it started; whatever outlives that is still
    # in its process group
    node.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        node.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(node.pid, signal.SIGKILL)
    node.wait()


def _forget_address(port: str) -> None:
    """`ray start --head` leaves its address where ray.init() on this machine looks first; once the
    cluster is gone, a stale one would send the next ray.init() to a dead cluster. Another's stays.
    Ray writes the machine's own IP there, not the one given, so the port tells whose it is."""
    from ray._common.utils import get_ray_address_file

    recorded = Path(get_ray_address_file(None))
    with contextlib.suppress(OSError):
        if recorded.read_text().strip().rpartition(":")[2] == port:
            recorded.unlink()


@pytest.fixture(scope="module")
def token_cluster(tmp_path_factory):
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    if ray is None:
        pytest.skip("the `ray` command is not installed beside this Python")
    logs = tmp_path_factory.mktemp("ray-start")
    port = str(_free_port())
    address = f"127.0.0.1:{port}"
    env = _env(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=TOKEN)
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--disable-usage-stats"]
    head = _start_node([ray, "start", "--head", "--port", port, "--include-dashboard", "false", *common],
                       env, logs / "head.log")
    try:
        second = _start_node([ray, "start", "--address", address, *common], env, logs / "second.log")
        try:
            yield address
        finally:
            _stop_node(second)
    finally:
        _stop_node(head)
        _forget_address(port)


def _archive(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    archive.mkdir()
    for seed in range(2):
        (archive / f"report-{seed}.txt").write_bytes(report_bytes(seed))
    return archive


@pytest.mark.parametrize("token,words", [(None, "set RAY_AUTH_MODE=token"), ("wrong-token", "is not the cluster's")])
def test_a_driver_without_the_cluster_s_token_is_refused_in_one_line(tmp_path, token_cluster, token, words):
    env = _env(RAY_AUTH_MODE="token" if token else None, RAY_AUTH_TOKEN=token)
    result = subprocess.run([*CLI, "backfill", str(_archive(tmp_path)), "--out", str(tmp_path / "out"),
                             "--address", token_cluster], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "requires token authentication" in lines[0] and words in lines[0], result.stderr


def test_a_driver_with_the_token_reads_the_archive_on_the_cluster(tmp_path, token_cluster):
    env = _env(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=TOKEN)
    result = subprocess.run([*CLI, "backfill", str(_archive(tmp_path)), "--out", str(tmp_path / "out"),
                             "--address", token_cluster, "--workers", "2"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out" / "documents").glob("*.json"))) == 2


def test_without_an_address_the_backfill_starts_its_own_ray_beside_a_cluster_left_running(tmp_path, token_cluster):
    # `ray start` leaves this machine's latest cluster where ray.init() would join it and refuse
    # the CPUs the backfill asks for
    result = subprocess.run([*CLI, "backfill", str(_archive(tmp_path)), "--out", str(tmp_path / "out"),
                             "--workers", "1"], env=_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out" / "documents").glob("*.json"))) == 2
