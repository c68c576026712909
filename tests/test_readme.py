"""The README's promises about how to start are the ones CI keeps."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_the_demo_and_the_test_command() -> None:
    demo, tests = readme_commands()[:2]
    assert demo.endswith("pledgetrack demo")
    assert tests.endswith("-m pytest -q")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci_lines


def test_the_demo_data_is_shipped_in_the_wheel() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"examples/demo" = "pledgetrack/examples/demo"' in pyproject
    assert sorted(p.name for p in (ROOT / "examples" / "demo").glob("*.csv")) == [
        "actions.csv",
        "planned_meetings.csv",
        "pledges.csv",
        "teams.csv",
    ]
