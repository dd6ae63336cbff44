#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a
# free loopback port, point Terraform at the local build with dev_overrides,
# apply and destroy examples/demo, print its outputs, stop the emulator.
# ITEM_SHAPES (e.g. `make demo ITEM_SHAPES=mixed`) is the emulator's
# -item-shapes: the shape of the authentications it answers.
# Downloads nothing but Go modules.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}}
if [[ -z "$terraform" || ! -x "$terraform" ]]; then
  echo "make demo needs a Terraform CLI (>= 1.11): set TERRAFORM or TF_ACC_TERRAFORM_PATH, or put terraform on PATH." >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/entrupy-demo.XXXXXX")
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-entrupy" -ldflags "-X main.version=demo" "$root"
go build -o "$work/bin/entrupy-emulator" "$root/cmd/entrupy-emulator"
# The dev_overrides CLI configuration, written by the same Go code as the tests'.
go -C "$root" run ./internal/testsupport/cmd/cliconfig -dir "$work/bin" -out "$work/terraformrc"

echo "==> Starting the emulator on 127.0.0.1 (items in the ${ITEM_SHAPES:-contract} shape)"
"$work/bin/entrupy-emulator" -url-file "$work/url" -state-file "$work/emulator-state.json" -item-shapes "${ITEM_SHAPES:-contract}" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/url" ]] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    cat "$work/emulator.log" >&2
    echo "the emulator did not start" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -s "$work/url" ]] || { echo "the emulator did not report its URL" >&2; exit 1; }
base_url=$(cat "$work/url")
echo "    $base_url"

mkdir -p "$work/examples"
cp -R "$root/examples/demo" "$root/examples/modules" "$work/examples/"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export ENTRUPY_BASE_URL="$base_url"
export ENTRUPY_API_TOKEN="emulator-token"
# The webhooks' signing secret: an ephemeral variable, kept out of plan and state.
export TF_VAR_webhook_secret="demo-secret-$RANDOM$RANDOM"

tf() { "$terraform" -chdir="$work/examples/demo" "$@"; }

echo "==> terraform get (local modules; providers come from dev_overrides)"
tf get -no-color >/dev/null
echo "==> terraform apply"
# Show progress and the result; the outputs follow in full below.
tf apply -auto-approve -input=false -no-color -compact-warnings >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; exit 1; }
grep -E 'Read complete|Creation complete|Apply complete' "$work/apply.log" | sed 's/^/    /' 
echo "==> Outputs"
echo
tf output -raw summary
echo
echo "==> terraform destroy"
tf destroy -auto-approve -input=false -no-color -compact-warnings >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log" >&2; exit 1; }
grep -E 'Destruction complete|Destroy complete' "$work/destroy.log" | sed 's/^/    /' 
echo "==> Done: the emulator is stopped and $work removed."
