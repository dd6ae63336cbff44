package provider

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// terraformStateID names the Terraform state this provider process's run
// writes to, for the markers of exactly-once creates (entrupy.CreateOnce):
// the backend and its configuration as `terraform init` recorded them in
// the data directory, and the selected workspace. A local state (no
// backend, or backend "local") is named by the absolute path of its file.
// Terraform starts providers in the root module's directory (after
// -chdir), so the data directory is found from there.
//
// Two states never share a name unless their backends are configured alike
// (then they are one state). What this cannot see, such as `-state=PATH` or
// credentials that pick another account, only gives two names to one state,
// which makes recovery ask for an import rather than take anything over.
func terraformStateID(getenv func(string) string) string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	data := getenv("TF_DATA_DIR")
	switch {
	case data == "":
		data = filepath.Join(wd, ".terraform")
	case !filepath.IsAbs(data):
		data = filepath.Join(wd, data)
	}
	ws := terraformWorkspace(data, getenv)
	typ, config := terraformBackend(data)
	var where string
	if typ == "" || typ == "local" {
		where = "local\x00" + localStatePath(wd, config, ws)
	} else {
		b, _ := json.Marshal(config) // map keys sorted: one spelling per configuration
		where = typ + "\x00" + string(b) + "\x00" + ws
	}
	sum := sha256.Sum256([]byte("entrupy terraform state\x00" + where))
	return hex.EncodeToString(sum[:8])
}

// terraformWorkspace is the selected workspace: TF_WORKSPACE, else what
// `terraform workspace select` wrote into the data directory, else default.
func terraformWorkspace(data string, getenv func(string) string) string {
	if ws := getenv("TF_WORKSPACE"); ws != "" {
		return ws
	}
	if b, err := os.ReadFile(filepath.Join(data, "environment")); err == nil {
		if ws := strings.TrimSpace(string(b)); ws != "" {
			return ws
		}
	}
	return "default"
}

// terraformBackend reads the backend `terraform init` recorded (type and
// configuration, -backend-config values merged in); "" without one.
func terraformBackend(data string) (typ string, config map[string]any) {
	b, err := os.ReadFile(filepath.Join(data, "terraform.tfstate"))
	if err != nil {
		return "", nil
	}
	var f struct {
		Backend *struct {
			Type   string         `json:"type"`
			Config map[string]any `json:"config"`
		} `json:"backend"`
	}
	if json.Unmarshal(b, &f) != nil || f.Backend == nil {
		return "", nil
	}
	return f.Backend.Type, f.Backend.Config
}

// localStatePath is where the local backend keeps the state of workspace
// ws, as an absolute path: terraform.tfstate (or the configured path) for
// default, terraform.tfstate.d/<ws>/terraform.tfstate (or under the
// configured workspace_dir) for the others.
func localStatePath(wd string, config map[string]any, ws string) string {
	str := func(k string) string { s, _ := config[k].(string); return s }
	p := cmp.Or(str("path"), "terraform.tfstate")
	if ws != "default" {
		p = filepath.Join(cmp.Or(str("workspace_dir"), "terraform.tfstate.d"), ws, "terraform.tfstate")
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(wd, p)
	}
	return filepath.Clean(p)
}
