#!/usr/bin/env bash
# API fuzzing: schemathesis against the live OpenAPI schema of gunicorn on loopback (SQLite, the
# demo seeded, DEBUG off), as two users per role, with every check including the authorization
# ones. Exits non-zero on any finding. Settings: .ci/schemathesis.toml (and -logout.toml).
#
#   FUZZ_MAX_EXAMPLES  examples per operation (default 100; the issue's floor is 50)
#   FUZZ_WORKERS       schemathesis workers (default 1: with several worker threads, Python 3.11
#                      can fail schemathesis with `SystemError: AST constructor recursion depth
#                      mismatch` (CPython gh-106905), and one worker is no slower on two cores)
#   FUZZ_SEED          reproduce a run with the seed it printed
#   FUZZ_KEEP=1        keep the temporary directory (database, server log, reports) on success
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
ST=$ROOT/.venv/bin/schemathesis

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-api.XXXXXX")
# A fresh SQLite database in a fresh VAR_DIR; nothing from the caller's environment leaks in.
unset DATABASE_URL CACHE_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND
export VAR_DIR=$WORK/var DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 LOG_LEVEL=WARNING \
  LOG_FORMAT=text
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
export SECRET_KEY
export FUZZ_AUTH_DIR=$WORK/auth FUZZ_REPORT_DIR=$WORK/report
mkdir -p "$VAR_DIR" "$FUZZ_AUTH_DIR" "$FUZZ_REPORT_DIR"

server_pid=""
status=1
finish() {
  # The JUnit reports feed the CI summary line (one test case per operation and phase).
  if [[ -n ${CI_REPORTS:-} && -d $FUZZ_REPORT_DIR ]]; then
    mkdir -p "$CI_REPORTS/fuzzing"
    find "$FUZZ_REPORT_DIR" -name 'junit-*.xml' -exec cp {} "$CI_REPORTS/fuzzing/" \;
  fi
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 ]]; then
    if [[ -s $WORK/server.log ]]; then
      # 5xx tracebacks and gunicorn errors only (4xx are logged as one-line warnings).
      echo "--- server errors (full log: $WORK/server.log) ---"
      awk '/^127\.0\.0\.1 /{on=0; next} /(Internal Server Error|^Traceback)/{on=1}
           /^\[.*\] \[[0-9]+\] \[(ERROR|CRITICAL)\]/{print; next} on' "$WORK/server.log" |
        tail -n 300 || true
    fi
    echo "fuzzing work directory kept: $WORK"
  elif [[ ${FUZZ_KEEP:-0} == 1 ]]; then
    echo "fuzzing work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap finish EXIT

echo "migrate and seed the demo into $VAR_DIR"
"$PY" manage.py migrate --noinput -v0
# The demo's published logins are what the fuzzing identities sign in with: seed as local
# development does (with DEBUG off, seed_demo refuses or makes every password random).
DEBUG=1 "$PY" manage.py seed_demo | grep -v '^login:'
"$PY" .ci/fuzz_setup.py users "$WORK/users.json"

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# Two sync workers; generous timeout because whole-cohort matching runs are fuzzed too.
"$ROOT/.venv/bin/gunicorn" mentorship.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  --timeout 120 --graceful-timeout 5 --access-logfile - --error-logfile - \
  >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do
  curl -fsS -o "$WORK/schema.json" "$base/api/v1/schema/?format=json" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped"; exit 1; }
  sleep 0.5
done
[[ -s $WORK/schema.json ]] || { echo "the server never served its schema"; exit 1; }
echo "server on $base (pid $server_pid)"

# Tokens before any fuzzing, so the sign-in rate limit cannot get in the way.
"$PY" .ci/fuzz_setup.py tokens "$base" "$WORK/users.json" "$FUZZ_AUTH_DIR"

examples=${FUZZ_MAX_EXAMPLES:-100}
(( examples >= 50 )) || { echo "FUZZ_MAX_EXAMPLES must be at least 50"; exit 2; }
seed=()
[[ -n ${FUZZ_SEED:-} ]] && seed=(--seed "$FUZZ_SEED")
fuzz() {  # fuzz NAME CONFIG EXAMPLES WORKERS: one schemathesis run; a failure does not stop the next
  local name=$1 config=$2 rc=0
  echo
  echo "==> schemathesis: $name ($3 examples per operation, $4 workers)"
  "$ST" --config-file "$config" run "$base/api/v1/schema/" --max-examples "$3" --workers "$4" \
    "${seed[@]}" --no-color --report junit,ndjson --report-dir "$FUZZ_REPORT_DIR/$name" || rc=$?
  return "$rc"
}

failed=0
# Logging out revokes the caller's token, so it is fuzzed on its own, as a throwaway user that
# signs in again after each logout (one sign-in per example, all from 127.0.0.1, so it keeps to
# 50 examples and runs first: the per-address limit of 100 sign-ins must not be spent by the
# token endpoint's fuzzing before). Every other operation runs as the six fixed identities.
fuzz logout .ci/schemathesis-logout.toml 50 1 || failed=1
fuzz api .ci/schemathesis.toml "$examples" "${FUZZ_WORKERS:-1}" || failed=1
status=$failed
exit "$status"
