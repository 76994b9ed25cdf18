# Helpers for the corpus checks (sourced by sample-apps/real/*/check.sh).
# TAP-like output: one "ok N - what" / "not ok N - what" line per assertion, then
# "# passed N/M"; finish() exits 0 iff every assertion passed.
set -u
CHECK_TMP=$(mktemp -d)
trap 'rm -rf "$CHECK_TMP"' EXIT
_n=0 _pass=0

# t "description" CMD...: one assertion; passes when CMD exits 0.
t() {
  local what=$1; shift
  _n=$((_n + 1))
  if "$@" >/dev/null 2>&1; then
    _pass=$((_pass + 1)); echo "ok $_n - $what"
  else
    echo "not ok $_n - $what"
  fi
}
finish() {
  echo "# passed $_pass/$_n"
  [ "$_pass" -eq "$_n" ] && [ "$_n" -gt 0 ]
}
need() { command -v "$1" >/dev/null 2>&1 || { echo "# missing host tool $1 (scripts/corpus.sh installs it)"; echo "not ok 1 - host tool $1"; echo "# passed 0/1"; exit 1; }; }

# wait_until SECONDS CMD...: retries CMD every 0.5 s until it succeeds; 1 after SECONDS.
wait_until() {
  local secs=$1 i; shift
  for ((i = 0; i < secs * 2; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "# not ready after ${secs}s: $*"
  return 1
}

# req NAME CURL-ARGS... URL: one HTTP request; keeps $CHECK_TMP/NAME.{code,hdr,body}.
req() {
  local name=$1; shift
  curl -s -S --max-time 20 -D "$CHECK_TMP/$name.hdr" -o "$CHECK_TMP/$name.body" -w '%{http_code}' "$@" \
    >"$CHECK_TMP/$name.code" 2>"$CHECK_TMP/$name.err" || true
  [ -s "$CHECK_TMP/$name.code" ] || echo 000 >"$CHECK_TMP/$name.code"
  touch "$CHECK_TMP/$name.hdr" "$CHECK_TMP/$name.body"
}
body() { cat "$CHECK_TMP/$1.body"; }
status_is() { [ "$(cat "$CHECK_TMP/$1.code")" = "$2" ]; }
# header_is NAME HEADER REGEX: the (last) header's value matches the extended regex
header_is() { tr -d '\r' <"$CHECK_TMP/$1.hdr" | grep -i "^$2:" | tail -n1 | sed 's/^[^:]*: *//' | grep -Eq -- "$3"; }
has_header() { tr -d '\r' <"$CHECK_TMP/$1.hdr" | grep -qi "^$2:"; }
body_has() { grep -qF -- "$2" "$CHECK_TMP/$1.body"; }
body_matches() { grep -Eq -- "$2" "$CHECK_TMP/$1.body"; }
body_lacks() { ! grep -qF -- "$2" "$CHECK_TMP/$1.body"; }
body_sha256() { [ "$(sha256sum <"$CHECK_TMP/$1.body" | cut -d' ' -f1)" = "$2" ]; }
body_same_as_file() { cmp -s "$CHECK_TMP/$1.body" "$2"; }
# json NAME JQ-EXPR EXPECTED: jq -r of the body equals EXPECTED
json_is() { [ "$(jq -r "$2" <"$CHECK_TMP/$1.body")" = "$3" ]; }
# eq A B
eq() { [ "$1" = "$2" ]; }
