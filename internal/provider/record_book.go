package provider

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Exactly-once creates (entrupy.CreateOnce) need two facts from the
// provider: a marker naming the configuration, left on what its creates make,
// and which marked objects are already recorded in its state, so that only
// the ones its interrupted creates left behind are adopted.

// configFingerprint names the Terraform configuration this provider process
// serves: its working directory (Terraform starts providers in the root
// module's directory), taken relative to the enclosing git repository so
// that checkouts in different places (CI runners) agree, and its workspace.
// Two workspaces, or two directories, are two configurations.
func configFingerprint() string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	where := wd
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil {
				where = filepath.Base(dir) + "/" + filepath.ToSlash(rel)
			}
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	sum := sha256.Sum256([]byte(where + "\x00" + terraformWorkspace(wd)))
	return hex.EncodeToString(sum[:8])
}

// terraformWorkspace is the selected workspace: TF_WORKSPACE, else what
// `terraform workspace select` wrote into the data directory, else default.
func terraformWorkspace(wd string) string {
	if ws := os.Getenv("TF_WORKSPACE"); ws != "" {
		return ws
	}
	data := os.Getenv("TF_DATA_DIR")
	switch {
	case data == "":
		data = filepath.Join(wd, ".terraform")
	case !filepath.IsAbs(data):
		data = filepath.Join(wd, data)
	}
	if b, err := os.ReadFile(filepath.Join(data, "environment")); err == nil {
		if ws := strings.TrimSpace(string(b)); ws != "" {
			return ws
		}
	}
	return "default"
}

// recordBook remembers which Entrupy objects this configuration's state
// records: every refresh (a read, so also during plan) notes the object it
// read, in a small file on this machine shared by the configuration's
// provider processes. The apply of `terraform apply` runs in another process
// than its plan, after the plan's refresh: it finds there every object the
// state holds, and so never adopts one of them as an orphan.
//
// Entries are only added; an object that is gone no longer matters.
type recordBook struct {
	path string

	mu     sync.Mutex
	loaded bool
	known  map[string]bool // kind + "\t" + id
}

// recordBookMaxAge is when an unused book file is removed.
const recordBookMaxAge = 30 * 24 * time.Hour

// newRecordBook opens the book of one configuration at one API and token
// (the token only hashed into the name).
func newRecordBook(fingerprint, baseURL, token string) *recordBook {
	dir := entrupy.DefaultSharedRateDir()
	sum := sha256.Sum256([]byte("entrupy record book\x00" + fingerprint + "\x00" + baseURL + "\x00" + token))
	entrupy.RemoveStaleFiles(dir, "recorded-", recordBookMaxAge, time.Now())
	return &recordBook{path: filepath.Join(dir, "recorded-"+hex.EncodeToString(sum[:12]))}
}

// loadLocked reads the book once.
func (b *recordBook) loadLocked() {
	if b.loaded {
		return
	}
	b.loaded, b.known = true, map[string]bool{}
	f, err := os.Open(b.path)
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		b.known[sc.Text()] = true
	}
}

// note records that the state holds this object. Best effort: a book that
// cannot be written only makes adoption more cautious elsewhere.
func (b *recordBook) note(kind, id string) {
	if b == nil || id == "" {
		return
	}
	key := kind + "\t" + id
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loadLocked()
	if b.known[key] {
		return
	}
	b.known[key] = true
	if err := os.MkdirAll(filepath.Dir(b.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(b.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	_, _ = f.WriteString(key + "\n") // one short append: whole lines even with other writers
	_ = f.Close()
}

// recorded reports whether a refresh of this configuration saw the object.
func (b *recordBook) recorded(kind, id string) bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loadLocked()
	return b.known[kind+"\t"+id]
}
