"""EngineError belongs to the product's one error vocabulary, and the engine still imports nothing of Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import DomainError
from forecasting.engine import EngineError, make_config

ROOT = Path(__file__).resolve().parents[3]


def test_engine_errors_are_domain_errors_naming_the_field():
    with pytest.raises(EngineError) as refused:
        make_config({"learning_rate": 5})
    error = refused.value
    assert isinstance(error, DomainError) and isinstance(error, ValueError)  # callers catching ValueError still do
    assert (error.status, error.code, error.field) == (422, "engine_error", "learning_rate")
    assert error.as_dict()["learning_rate"] == ["learning_rate: must be in (0, 1]"]
    assert EngineError("the panel has no rows").field is None


def test_importing_the_engine_loads_no_django():
    code = ("import sys, forecasting.engine, core.errors; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')); "
            "print(loaded); sys.exit(1 if loaded else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
