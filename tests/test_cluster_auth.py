"""A cluster started the way users start one, `ray start --head` and `ray start --address`, with
token authentication (Ray's default from 2.59 on): the backfill joins it with the token, and is
refused in one line without it or with a wrong one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.batch_inputs import report_bytes

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


@pytest.fixture(scope="module")
def token_cluster(tmp_path_factory):
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    if ray is None:
        pytest.skip("the `ray` command is not installed beside this Python")
    port = _free_port()
    env = _env(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=TOKEN)
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--disable-usage-stats"]
    subprocess.run([ray, "start", "--head", "--port", str(port), "--include-dashboard", "false", *common],
                   env=env, check=True, capture_output=True, timeout=180)
    try:
        subprocess.run([ray, "start", "--address", f"127.0.0.1:{port}", *common],
                       env=env, check=True, capture_output=True, timeout=180)
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True, timeout=120)


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
