#!/usr/bin/env bash
# Starts the README's run command with no configuration, waits for the app,
# signs in as the demo admin over HTTP, then stops it and checks that nothing
# it started is left running.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=3000
LOG="$(mktemp)"
export PORT
unset DATABASE_URL COURSERA_API_BASE_URL || true
ROOT="$(pwd)"

setsid npm run dev >"$LOG" 2>&1 &
DEV_PID=$!
cleanup() {
  kill -INT -- -"$DEV_PID" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$DEV_PID" 2>/dev/null || break; sleep 1; done
  kill -KILL -- -"$DEV_PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  grep -q "Coursera connector is running at" "$LOG" && break
  kill -0 "$DEV_PID" 2>/dev/null || { cat "$LOG"; echo "npm run dev exited early"; exit 1; }
  sleep 1
done
grep -q "Coursera connector is running at" "$LOG" || { cat "$LOG"; echo "npm run dev did not come up"; exit 1; }
grep -E "Demo log-ins|admin@acme.test" "$LOG"

JAR="$(mktemp)"
BASE="http://localhost:$PORT"
CSRF=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/api/auth/csrf" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrfToken))')
curl -sf -o /dev/null -c "$JAR" -b "$JAR" -X POST "$BASE/api/auth/callback/credentials" \
  --data-urlencode "csrfToken=$CSRF" --data-urlencode "email=admin@acme.test" --data-urlencode "password=connector-demo" \
  --data-urlencode "json=true"
SESSION=$(curl -sf -b "$JAR" "$BASE/api/auth/session")
echo "session: $SESSION"
echo "$SESSION" | grep -q '"email":"admin@acme.test"' || { cat "$LOG"; echo "demo admin could not sign in"; exit 1; }
HOME_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE/platforms")
echo "admin on /platforms (CSM only): $HOME_STATUS"
[ "$HOME_STATUS" = "403" ] || { echo "expected the admin to be refused the CSM page"; exit 1; }

cleanup
trap - EXIT
sleep 1
if pgrep -f "scripts/dev.ts|$ROOT/node_modules/next" >/dev/null; then
  pgrep -af "scripts/dev.ts|$ROOT/node_modules/next"
  echo "processes left behind after Ctrl-C"
  exit 1
fi
if curl -s -o /dev/null "http://localhost:$PORT/api/health"; then echo "the app still answers after Ctrl-C"; exit 1; fi
echo "embedded default: up, demo admin signed in, stopped cleanly"
