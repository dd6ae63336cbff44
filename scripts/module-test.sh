#!/usr/bin/env bash
# make module-test: run the `terraform test` files of examples/modules/*
# against a fresh emulator, with the provider built from this repository
# (dev_overrides), twice, with POST /_emulator/reset in between (see README,
# "Testing your own modules with the emulator"). Downloads nothing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}}
[[ -n "$terraform" && -x "$terraform" ]] || { echo "module-test needs a Terraform CLI (>= 1.11)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/entrupy-module-test.XXXXXX")
emulator_pid=""
cleanup() {
  [[ -n "$emulator_pid" ]] && { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

go build -o "$work/bin/terraform-provider-entrupy" "$root"
go build -o "$work/bin/entrupy-emulator" "$root/cmd/entrupy-emulator"
# The dev_overrides CLI configuration, written by the same Go code as the tests'.
go -C "$root" run ./internal/testsupport/cmd/cliconfig -dir "$work/bin" -out "$work/terraformrc"
"$work/bin/entrupy-emulator" -url-file "$work/url" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/url" ]] && break; sleep 0.1; done
[[ -s "$work/url" ]] || { cat "$work/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }

export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export ENTRUPY_BASE_URL=$(cat "$work/url") ENTRUPY_API_TOKEN=emulator-token

base=$ENTRUPY_BASE_URL

# Two passes against the same emulator, with POST /_emulator/reset between
# them: the first pass's teardown deactivates its users for good, so the
# second pass passes only because the reset forgot them.
for pass in 1 2; do
  if [[ $pass -gt 1 ]]; then
    # Read the whole answer before matching: a grep -q that stops early would
    # kill the writer with SIGPIPE, which pipefail turns into a failure.
    inventory=$(curl -fsS "$base/_emulator/inventory" | tr -d ' \n')
    [[ $inventory == *'"deactivated_users":["'* ]] ||
      { echo "pass 1 left no deactivated users behind: nothing for the reset to prove" >&2; exit 1; }
    echo "==> POST /_emulator/reset"
    curl -fsS -X POST "$base/_emulator/reset"
  fi
  for module in "$root"/examples/modules/*/; do
    [[ -d "$module/tests" ]] || continue
    copy="$work/modules/$(basename "$module")"
    rm -rf "$copy" && mkdir -p "$copy" && cp -R "$module"/. "$copy"/
    echo "==> terraform test $(basename "$module") (pass $pass)"
    rc=0
    "$terraform" -chdir="$copy" test -no-color >"$work/test.log" 2>&1 || rc=$?
    if [[ $rc -ne 0 ]]; then
      cat "$work/test.log" >&2
      echo "terraform test failed for $(basename "$module") (pass $pass)" >&2
      exit "$rc"
    fi
    grep -E '^(tests/|  run |Success|Failure)' "$work/test.log"
  done
done
