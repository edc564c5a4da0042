# Sourced by bin/* scripts: makes sure a virtualenv with the given requirements file exists and is current.
# Usage: ensure_venv requirements.txt|requirements-dev.txt   (sets VENV and PY)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"

pick_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "salesforecast needs Python 3.11 or newer on PATH" >&2; return 1
}

ensure_venv() {
  local reqs="$1" stamp hash
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating virtualenv in $VENV" >&2
    "$(pick_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel >&2
  fi
  stamp="$VENV/.installed-$(basename "$reqs" .txt)"
  hash="$(cat "$ROOT/requirements.txt" "$ROOT/$reqs" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "==> installing $reqs (first run takes a few minutes)" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$reqs" >&2
    echo "$hash" > "$stamp"
  fi
  PY="$VENV/bin/python"
}
