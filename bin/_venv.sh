# Sourced by bin/* scripts: makes sure a virtualenv with the given requirements exists and is current.
# Usage: ensure_venv requirements.txt|requirements-dev.txt   (sets VENV and PY)
# It installs the matching lock file (requirements.lock / requirements-dev.lock: every package pinned with hashes,
# nothing floats); bin/lock refreshes the locks after a requirements file changes.
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

# sha256 of a requirements file and every file it includes with -r (what a lock was compiled from).
lock_inputs_digest() {
  local input="$1" files=("$1") line
  while read -r line; do
    case "$line" in -r\ *) files+=("$(dirname "$input")/${line#-r }") ;; esac
  done < "$ROOT/$input"
  (cd "$ROOT" && cat "${files[@]}") | sha256sum | cut -d' ' -f1
}

ensure_venv() {
  local reqs="$1" lock stamp hash
  lock="${reqs%.txt}.lock"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating virtualenv in $VENV" >&2
    "$(pick_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel >&2
  fi
  stamp="$VENV/.installed-$(basename "$reqs" .txt)"
  hash="$(sha256sum "$ROOT/$lock" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "==> installing $lock (first run takes a few minutes)" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
      -r "$ROOT/$lock" >&2
    echo "$hash" > "$stamp"
  fi
  PY="$VENV/bin/python"
}
