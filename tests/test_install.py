"""The installed package: one import name, beside PyPI's packages of the names our folders have, and
the debug pictures' font."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import ImageFont

from disclosure.pipeline import debug_pages
from synthetic.font_subset import FONT

ROOT = Path(__file__).resolve().parent.parent


def _wheel(folder: Path) -> Path:
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                          "-w", str(folder), str(ROOT)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return next(folder.glob("disclosure-*.whl"))


@pytest.mark.slow
@pytest.mark.network
def test_the_wheel_holds_one_import_name(tmp_path):
    with zipfile.ZipFile(_wheel(tmp_path)) as wheel:
        names = wheel.namelist()
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = wheel.read(entry_points).decode()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"disclosure"}
    assert {"disclosure/ocr/scan.py", "disclosure/layout/page_rows.py", "disclosure/table_recon/rules.py",
            "disclosure/workers/cli.py"} <= set(names)
    assert not any("synthetic" in name for name in names)  # the generators stay in the checkout
    assert "disclosure = disclosure.workers.cli:entry_point" in scripts


@pytest.mark.slow
@pytest.mark.network
def test_installed_beside_pypis_layout_and_workers_both_stay_whole(tmp_path):
    wheel = _wheel(tmp_path / "dist")
    target = tmp_path / "site"
    # PyPI's `layout` and `workers` are other projects with our folders' names; a clash would
    # overwrite one with the other in the same site-packages
    others = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                             "layout==0.4.1", "workers==0.1"], capture_output=True, text=True, check=False)
    if others.returncode != 0:
        pytest.skip(f"PyPI's layout and workers cannot be had here: {others.stderr.strip().splitlines()[-1:]}")
    ours = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, check=False)
    assert ours.returncode == 0, ours.stderr
    assert "already exists" not in ours.stderr
    sample = ROOT / "samples" / "zhenhai_hrss_2020.txt"
    # run from elsewhere so the checkout is not on the path; the dependencies come from this environment
    check = (
        "import importlib.util, json, layout, disclosure\n"
        "from disclosure.workers.cli import main\n"
        f"assert disclosure.__file__.startswith({str(target)!r}), disclosure.__file__\n"
        "assert hasattr(layout, 'cairo_utils') or importlib.util.find_spec('layout.cairo_utils')\n"
        # PyPI's workers 0.1 is Python 2 code: it cannot be imported, but its files must be its own
        f"assert importlib.util.find_spec('workers').origin == {str(target / 'workers' / '__init__.py')!r}\n"
        f"assert (__import__('pathlib').Path({str(target)!r}) / 'workers' / 'workerpool.py').is_file()\n"
        f"raise SystemExit(main(['inspect', {str(sample)!r}, '--json']))\n")
    run = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=False,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert '"status": "verified"' in run.stdout


def _draws(font_file: Path, character: str) -> bool:
    """Whether the font has a glyph of its own for the character (not the missing-glyph box)."""
    font = ImageFont.truetype(str(font_file), 32)
    return bytes(font.getmask(character)) != bytes(font.getmask("\ue000"))


def test_the_debug_pictures_draw_chinese_text_the_generator_never_prints():
    found = debug_pages.cjk_font_file()
    if found is None:
        pytest.skip("no font for Chinese text on this machine (Debian: fonts-wqy-zenhei, which .ci/run installs)")
    rare = "蝶鑫沪琼"  # printed in real reports' titles and prose, absent from the generator's subset
    assert not any(_draws(FONT, c) for c in rare)
    assert all(_draws(found, c) for c in rare + "镇海政务公开专用章")


def test_without_a_chinese_font_the_debug_pictures_still_draw_and_say_why_labels_are_boxes(monkeypatch, caplog):
    monkeypatch.setattr(debug_pages, "cjk_font_file", lambda: None)
    font = debug_pages._font(20)
    assert font.getbbox("12")[2] > 0
    assert "fonts-wqy-zenhei" in caplog.text
