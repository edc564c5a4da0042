"""The lock files are what every install uses (bin/_venv.sh, hence bin/test and CI; the Dockerfile), so they must
match the requirements files: a requirements change without `bin/lock` fails here."""

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(text: str) -> dict[str, str]:
    return {_name(name): version for name, version in PIN.findall(text)}


def _inputs(requirements: str) -> list[Path]:
    """The file and those it includes with -r, in the order bin/_venv.sh's lock_inputs_digest reads them."""
    path = ROOT / requirements
    return [path] + [path.parent / line[3:].strip() for line in path.read_text().splitlines()
                     if line.startswith("-r ")]


@pytest.mark.parametrize("requirements, lock", [("requirements.txt", "requirements.lock"),
                                                ("requirements-dev.txt", "requirements-dev.lock")])
def test_lock_matches_its_requirements(requirements, lock):
    text = (ROOT / lock).read_text()
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in _inputs(requirements))).hexdigest()
    assert text.splitlines()[0] == f"# inputs-sha256: {digest}", (
        f"{requirements} changed since {lock} was compiled: run bin/lock and commit the lock files")
    locked = _pins(text)
    for path in _inputs(requirements):
        for name, version in _pins(path.read_text()).items():
            assert locked.get(name) == version, f"{name}=={version} from {path.name} is not in {lock}"
    # Every entry carries hashes, so pip --require-hashes installs exactly these files.
    starts = [m.start() for m in PIN.finditer(text)] + [len(text)]
    for start, end in zip(starts, starts[1:], strict=False):
        assert "--hash=sha256:" in text[start:end], text[start:end].splitlines()[0]


def test_the_image_gets_the_versions_the_tests_ran_on():
    runtime = _pins((ROOT / "requirements.lock").read_text())
    dev = _pins((ROOT / "requirements-dev.lock").read_text())
    assert runtime and set(runtime) <= set(dev)
    assert {n: v for n, v in runtime.items() if dev[n] != v} == {}


def test_every_install_uses_the_lock_with_hashes():
    venv = (ROOT / "bin" / "_venv.sh").read_text()
    assert "--require-hashes" in venv and '"${reqs%.txt}.lock"' in venv
    assert "ensure_venv requirements-dev.txt" in (ROOT / ".ci" / "run").read_text()
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r /app/requirements.lock" in dockerfile
    assert "requirements.txt" not in dockerfile
    assert (ROOT / "bin" / "lock").stat().st_mode & 0o111


def test_runtime_requirements_hold_no_test_or_benchmark_tools():
    runtime = _pins((ROOT / "requirements.txt").read_text())
    for tool in ("pytest", "pytest-django", "pytest-httpserver", "ruff", "schemathesis", "pyyaml", "mlforecast",
                 "statsforecast", "pip-tools"):
        assert tool not in runtime, f"{tool} is a test or bench tool, not a runtime requirement"
    # scikit-learn is the product's since the Dask engine backend: lightgbm.dask's estimators are scikit-learn's
    assert {"dask", "distributed", "scikit-learn"} <= set(runtime)
