#!/usr/bin/env bash
# Schema fuzzing with a larger budget than the test suite: every operation, as admin and as viewer.
#   bench/fuzz.sh                 # 50 examples per operation and role (SQLite)
#   FUZZ_EXAMPLES=200 DATABASE_URL=postgres://postgres@127.0.0.1:5432/sf_fuzz bench/fuzz.sh
# Fails on any 5xx or any response that does not match the schema; prints the reproducing example.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-50}"
export FUZZ_COVERAGE="${FUZZ_COVERAGE:-1}"   # boundary values for every parameter, too
exec bin/test tests/hardening/test_schema_fuzz.py "$@"
