"""Every command of ours answers `--help`; any command on an unmigrated database says what to do."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def our_commands() -> list[str]:
    ours = {config.name for config in apps.get_app_configs() if config.name.startswith("xinyong")}
    return sorted(name for name, app in get_commands().items() if app in ours)


def console(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
        "XINYONG_DATA_DIR": str(data_dir),
    }
    env.pop("DATABASE_URL", None)  # the fresh data directory's own SQLite file
    return subprocess.run(
        [sys.executable, "-m", "xinyong", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_the_list_of_our_commands_is_found():
    assert {"codes", "workdays", "daily", "import", "run", "catalog"} <= set(our_commands())


@pytest.mark.parametrize("name", our_commands())
def test_help_works_for_every_command(name, tmp_path):
    result = console(name, "--help", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"usage: xinyong {name}" in result.stdout


def test_a_command_on_an_unmigrated_database_says_to_migrate(tmp_path):
    result = console("daily", data_dir=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "xinyong migrate" in result.stderr
