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
