package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSizes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		err  string
	}{
		{in: "", want: nil},
		{in: " 0 ", want: nil},
		{in: "1000, 100", want: []int{1000, 100}},
		{in: "1000", err: "want 2 comma-separated counts"},
		{in: "1000,0", err: `"0" is not a positive count`},
		{in: "1000,x", err: `"x" is not a positive count`},
	} {
		got, err := sizes("refresh", tc.in, 2)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "-refresh") {
				t.Errorf("sizes(%q) = %v, %v; want an error naming -refresh and containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("sizes(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRefreshScenarios(t *testing.T) {
	r, err := parseRefreshScenarios("1000,100", "0", "", "50", 3)
	if err != nil {
		t.Fatal(err)
	}
	if r.refresh == nil || *r.refresh != (refreshSpec{users: 1000, webhooks: 100}) || r.account != nil || r.planCPU != 50 || r.planRuns != 3 || r.empty() {
		t.Errorf("got %+v", r)
	}
	if r, err := parseRefreshScenarios("0", "", "0", "0", 0); err != nil || !r.empty() {
		t.Errorf("all skipped: got %+v, %v; want empty", r, err)
	}
	if _, err := parseRefreshScenarios("0", "0", "0", "10", 0); err == nil || !strings.Contains(err.Error(), "-plan-runs") {
		t.Errorf("-plan-runs 0 with -plan-cpu: got %v, want an error naming -plan-runs", err)
	}
}

func TestMedian(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * s}, 3 * s},
		{[]time.Duration{5 * s, 1 * s, 3 * s}, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 2 * s, 9 * s}, 3 * s},
	} {
		in := slices.Clone(tc.in)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median reordered its argument: %v", in)
		}
	}
}

func TestSplitRoutes(t *testing.T) {
	got := splitRoutes(map[string]int{
		"GET /v2/integrations/users": 40, "GET /v2/webhooks": 4,
		routeGetUser: 3, routeGetWebhook: 2, "GET /v1/health": 1, "POST /v2/webhooks": 7,
	})
	want := routeSplit{listUsers: 40, listWebhooks: 4, getUsers: 3, getWebhooks: 2, health: 1, other: 7}
	if got != want {
		t.Errorf("splitRoutes = %+v, want %+v", got, want)
	}
}

func TestQuietEnv(t *testing.T) {
	got := quietEnv([]string{"PATH=/bin", "TF_LOG=TRACE", "TF_LOG_SDK_FRAMEWORK=off", "TF_CLI_CONFIG_FILE=x"})
	if want := []string{"PATH=/bin", "TF_CLI_CONFIG_FILE=x"}; !slices.Equal(got, want) {
		t.Errorf("quietEnv = %v, want %v", got, want)
	}
}

func TestChangedAddresses(t *testing.T) {
	clean := `{"resource_changes":[{"address":"entrupy_webhook.w[0]","change":{"actions":["no-op"]}}]}`
	if got, err := changedAddresses([]byte(clean)); err != nil || len(got) != 0 {
		t.Errorf("no changes: got %v, %v", got, err)
	}
	drift := `{"resource_drift":[{"address":"entrupy_integration_user.u[7]"}],
	  "resource_changes":[{"address":"entrupy_webhook.w[1]","change":{"actions":["delete","create"]}}]}`
	got, err := changedAddresses([]byte(drift))
	want := []string{"entrupy_integration_user.u[7] (drift)", "entrupy_webhook.w[1] (delete, create)"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("changes: got %v, %v; want %v", got, err, want)
	}
	if _, err := changedAddresses([]byte("not json")); err == nil {
		t.Error("bad JSON: want an error")
	}
}

// A run of some scenarios rewrites their sections and keeps the others, in
// the fixed order, whatever order the file had.
func TestWriteSectionsKeepsSkippedScenarios(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.md")
	old := "# Scale benchmark\n\nold N table\n\n" + planCPUHeading + "\n\nold plan table\n\n" + sharedHeading + "\n\nold shared table\n"
	if err := os.WriteFile(out, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeSections(out, map[string]string{
		"": "", sharedHeading: "",
		refreshHeading: refreshHeading + "\n\nnew refresh table\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Scale benchmark\n\nold N table\n\n" + sharedHeading + "\n\nold shared table\n\n" +
		refreshHeading + "\n\nnew refresh table\n\n" + planCPUHeading + "\n\nold plan table\n"
	if string(b) != want {
		t.Errorf("results.md:\n%s\nwant:\n%s", b, want)
	}
}

func TestWriteSectionsNewFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.md")
	if err := writeSections(out, map[string]string{accountHeading: accountHeading + "\n\ntable\n"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# Scale benchmark\n\n" + accountHeading + "\n\ntable\n"; string(b) != want {
		t.Errorf("results.md:\n%q\nwant:\n%q", b, want)
	}
}
