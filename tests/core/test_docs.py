"""What the issue 12 "done when" asks of the documentation: the README states
the limits of a file and a request, and docs/deploy.md covers the data key
(where it lives, backup, rotation, what is lost without it) and the retention."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_states_the_limits():
    readme = (ROOT / "README.md").read_text()
    limits = readme[readme.index("## Limits") :]
    for variable in (
        "XINYONG_MAX_UPLOAD_MB",
        "XINYONG_MAX_ROWS",
        "XINYONG_MAX_COLUMNS",
        "XINYONG_MAX_CELL_CHARS",
        "XINYONG_MAX_LINE_CHARS",
    ):
        assert variable in limits, variable
    assert "2.5 MB" in limits and "413" in limits  # the request body


def test_deploy_covers_the_data_key():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    section = deploy[deploy.index("## The data key") :]
    section = section[: section.index("\n## ", 1)]
    for words in (
        "XINYONG_DATA_KEY",
        "**Backup.**",
        "**Rotation.** `xinyong datakey rotate`",
        "**What is lost without it.**",
        "**Retention.**",
        "five years",
    ):
        assert words in section, words
