package provider

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccInterruptedApply: Ctrl-C in the middle of an apply (Terraform then
// cancels every in-flight request) leaves state and Entrupy consistent, and
// the next apply converges without duplicates.
func TestAccInterruptedApply(t *testing.T) {
	// Answers come 300 ms after the commit: an interrupt lands in that
	// window for every create in flight.
	emu := testsupport.StartEmulator(t, emulator.Options{ResponseDelay: 300 * time.Millisecond})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {}

resource "entrupy_webhook" "many" {
  count     = 40
  url       = "https://hooks.example.com/${count.index}"
  events    = ["session.completed"]
  secret_wo = "s"
}
`)
	var out bytes.Buffer
	apply := run.command(&out, nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(emu.Inventory().Webhooks) < 8 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := apply.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := apply.Wait(); err == nil {
		t.Logf("apply finished before the interrupt took effect:\n%s", out.String())
	}
	created, recorded := emu.WebhookIDs(), run.idsInState("entrupy_webhook")
	t.Logf("interrupted: %d webhooks at Entrupy, %d in state", len(created), len(recorded))
	if len(created) == 40 {
		t.Fatal("the interrupt came too late to test anything")
	}
	if !slices.Equal(created, recorded) {
		t.Fatalf("after the interrupt Entrupy holds %d webhooks but state %d:\nentrupy %v\nstate   %v\n%s", len(created), len(recorded), created, recorded, out.String())
	}

	run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	created, recorded = emu.WebhookIDs(), run.idsInState("entrupy_webhook")
	if len(created) != 40 || !slices.Equal(created, recorded) {
		t.Fatalf("after the second apply: %d at Entrupy, %d in state", len(created), len(recorded))
	}
	run.terraform(nil, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if n := len(emu.WebhookIDs()); n != 0 {
		t.Fatalf("%d webhooks left after destroy", n)
	}
}
