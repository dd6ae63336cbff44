package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

// TestUsageListsAdminRoutes: -h documents every admin route, reset and
// withdraw included, and the file format the emulator writes.
func TestUsageListsAdminRoutes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, &stdout, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{
		"GET    /_emulator/inventory", "GET    /_emulator/counters", `"writes"`,
		"DELETE /_emulator/counters", "POST   /_emulator/reset", "-state-file",
		fmt.Sprintf(`"format": %d`, emulator.FileFormat), "format 0", "-seed-file",
		"POST   /_emulator/authentications/{entrupy_id}/withdraw",
		"-item-shapes", "v2-lookup", "mixed", "-signature", "plain", "-extra-events",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, stderr.String())
		}
	}
}

// TestIDsToTry: the startup message points at the inventory and names an
// authentication of the built-in data with a certificate; with no data, only
// the route.
func TestIDsToTry(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	got := idsToTry(srv, "http://127.0.0.1:8089")
	var example emulator.InventoryItem
	for _, it := range srv.Inventory().Items {
		if it.CustomerItemID != "" && it.CertificateID != "" {
			example = it
			break
		}
	}
	want := fmt.Sprintf("IDs to try: GET http://127.0.0.1:8089/_emulator/inventory\n  for example entrupy_id %s (customer_item_id %s, certificate_id %s)\n", example.EntrupyID, example.CustomerItemID, example.CertificateID)
	if example.EntrupyID == "" || got != want {
		t.Errorf("built-in data: %q, want %q", got, want)
	}

	empty, err := emulator.New(emulator.Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if got := idsToTry(empty, "http://127.0.0.1:8089"); got != "IDs to try: GET http://127.0.0.1:8089/_emulator/inventory\n" {
		t.Errorf("no data: %q", got)
	}
}
