package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestUsageListsAdminRoutes: -h documents every admin route, reset included.
func TestUsageListsAdminRoutes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, &stdout, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{
		"GET    /_emulator/inventory", "GET    /_emulator/counters", `"writes"`,
		"DELETE /_emulator/counters", "POST   /_emulator/reset", "-state-file",
		`"format": 1`, "format 0", "-seed-file",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, stderr.String())
		}
	}
}
