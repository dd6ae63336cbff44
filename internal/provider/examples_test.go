package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccExamplesValidate runs `terraform validate` on every directory of
// examples/ (what the docs show), against the provider built from this
// repository, so that a renamed attribute cannot leave a broken example.
func TestAccExamplesValidate(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, "")
	root := filepath.Join("..", "..", "examples")
	copyRoot := filepath.Join(run.dir, "examples")
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		dst := filepath.Join(copyRoot, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tf") && !strings.Contains(filepath.ToSlash(rel), "/tests/") {
			dirs[filepath.Dir(dst)] = true
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 12 {
		t.Fatalf("only %d example directories found", len(dirs))
	}
	for dir := range dirs {
		name, _ := filepath.Rel(copyRoot, dir)
		t.Run(name, func(t *testing.T) {
			// A CLI without actions does not know action blocks;
			// TestExamplesActionBlocks checks them against the schema.
			if anyConfigFile(t, dir, hasActionBlock) {
				requireCLI(t, featureActions)
			}
			if anyConfigFile(t, dir, usesCaller) {
				requireCLI(t, featureCaller)
			}
			// Snippets for the docs have no terraform block: give them one.
			if b, _ := os.ReadFile(filepath.Join(dir, "versions.tf")); len(b) == 0 && !anyConfigFile(t, dir, func(src string) bool { return hasTopLevelBlock(src, "terraform {") }) {
				versions := "terraform {\n  required_providers {\n    entrupy = { source = \"entrupy/entrupy\" }\n  }\n}\n"
				if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			sub := &cliRun{t: t, dir: dir, env: run.env}
			sub.terraform(nil, "get", "-no-color")
			sub.terraform(nil, "validate", "-no-color")
		})
	}
}

// anyConfigFile reports whether one of a directory's .tf files satisfies has.
func anyConfigFile(t *testing.T, dir string, has func(src string) bool) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if has(string(b)) {
			return true
		}
	}
	return false
}

// hasTopLevelBlock reports whether src has a line starting with opening
// (such as `terraform {` or `action "`).
func hasTopLevelBlock(src, opening string) bool {
	return strings.HasPrefix(src, opening) || strings.Contains(src, "\n"+opening)
}

// TestAccExamplesReadSeededData plans the examples of the data sources that
// read what Entrupy holds (authentications, certificates, the catalogue)
// against an emulator with its built-in data, as someone trying the docs
// would: every ID or customer_item_id they name is there, and their
// postconditions hold.
func TestAccExamplesReadSeededData(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, "")
	for _, name := range []string{"entrupy_authentication", "entrupy_authentications", "entrupy_certificate", "entrupy_catalog"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", name, "data-source.tf"))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(run.dir, name)
			versions := "terraform {\n  required_providers {\n    entrupy = { source = \"entrupy/entrupy\" }\n  }\n}\n"
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			for file, text := range map[string]string{"main.tf": string(src), "versions.tf": versions} {
				if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			sub := &cliRun{t: t, dir: dir, env: run.env}
			sub.terraform(nil, "plan", "-no-color", "-input=false")
		})
	}
}
