"""The lock files pin every dependency of pyproject.toml, with hashes, and every install uses them."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^ \\]+) \\$")


def pins(name: str) -> dict[str, str]:
    """Package → pinned version; fails when a pin has no hash."""
    lines = (ROOT / name).read_text().splitlines()
    found = {}
    for index, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert lines[index + 1].strip().startswith("--hash=sha256:"), f"{name}: {line} has no hash"
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def test_every_runtime_dependency_is_pinned_within_its_range():
    locked = pins("requirements.txt")
    for spec in PYPROJECT["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is in pyproject.toml but not in requirements.txt: run `make lock`"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is outside {spec}"


def test_dev_lock_holds_the_runtime_pins_and_the_dev_tools():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime, (
        "the two lock files disagree: run `make lock`"
    )
    for spec in PYPROJECT["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in dev and requirement.specifier.contains(dev[name]), f"{spec}: run `make lock`"


def test_make_ci_and_docker_install_only_from_the_lock_files():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes" in makefile
    assert "-r requirements.txt" in makefile and "-r requirements-dev.txt" in makefile
    assert "pip install -e" not in makefile and "pip install ." not in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
