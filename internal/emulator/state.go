package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// CertificateRecord is what the emulator keeps of a certificate beyond its
// item: the seeds' metadata, the holder and the transfer history.
type CertificateRecord struct {
	CertificateID string   `json:"certificate_id"`
	EntrupyID     string   `json:"entrupy_id"`
	DateCode      *string  `json:"date_code"`
	StyleCode     *string  `json:"style_code"`
	SerialNumber  *string  `json:"serial_number"`
	Photos        []string `json:"photos"`
	// HideCustomerItemID hides customer_item_id, the default at Entrupy
	// unless enabled for the account [doc].
	HideCustomerItemID bool           `json:"hide_customer_item_id"`
	Holder             entrupy.Holder `json:"holder"`
	// Transfers is the history, oldest first; the last one is current.
	Transfers []entrupy.Transfer `json:"transfers"`
}

// Seed is the data an emulator starts with: authentications in the API's
// item shape, and optional certificate records. An authentic item without a
// record gets one made from the item.
type Seed struct {
	Authentications []entrupy.Item      `json:"authentications"`
	Certificates    []CertificateRecord `json:"certificates"`
}

// LoadSeedFile reads a Seed from a JSON file.
func LoadSeedFile(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: reading seed file: %w", err)
	}
	var s Seed
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("emulator: seed file %s: %w", path, err)
	}
	return &s, nil
}

type storedUser struct {
	entrupy.User
	Active bool  `json:"active"`
	Seq    int64 `json:"seq"`
}

type storedWebhook struct {
	entrupy.Webhook
	Secret string `json:"secret"`
	Seq    int64  `json:"seq"`
}

type idempotencyRecord struct {
	At          time.Time `json:"at"`
	Fingerprint string    `json:"fingerprint"`
	Status      int       `json:"status"`
	Body        []byte    `json:"body"`
}

// state is everything the emulator holds; it is also the state file's shape.
type state struct {
	Items        map[string]*entrupy.Item      `json:"items"`
	Certificates map[string]*CertificateRecord `json:"certificates"`
	Users        map[string]*storedUser        `json:"users"`
	Webhooks     map[string]*storedWebhook     `json:"webhooks"`
	Idempotency  map[string]idempotencyRecord  `json:"idempotency"`
	Seq          int64                         `json:"seq"`

	newest []*entrupy.Item // Items, newest first (the search order)
}

func newState() *state {
	return &state{
		Items:        map[string]*entrupy.Item{},
		Certificates: map[string]*CertificateRecord{},
		Users:        map[string]*storedUser{},
		Webhooks:     map[string]*storedWebhook{},
		Idempotency:  map[string]idempotencyRecord{},
	}
}

func (st *state) nextSeq() int64 {
	st.Seq++
	return st.Seq
}

// load adds a seed's items and certificates.
func (st *state) load(seed *Seed, org string) error {
	for i := range seed.Authentications {
		it := seed.Authentications[i]
		if it.EntrupyID == "" {
			return fmt.Errorf("emulator: seed authentication %d has no entrupy_id", i)
		}
		if _, dup := st.Items[it.EntrupyID]; dup {
			return fmt.Errorf("emulator: seed authentication %q appears twice", it.EntrupyID)
		}
		fillDisplays(&it)
		if it.Status.Result.ID == "authentic" && it.Certificate == nil {
			it.Certificate = certificateRef(it.EntrupyID)
		}
		st.Items[it.EntrupyID] = &it
	}
	for i := range seed.Certificates {
		c := seed.Certificates[i]
		it, ok := st.Items[c.EntrupyID]
		if !ok {
			return fmt.Errorf("emulator: seed certificate %q names unknown authentication %q", c.CertificateID, c.EntrupyID)
		}
		if it.Certificate == nil {
			return fmt.Errorf("emulator: seed certificate %q: authentication %q is %s, and only authentic items have certificates", c.CertificateID, c.EntrupyID, it.Status.Result.ID)
		}
		if c.CertificateID == "" {
			c.CertificateID = it.Certificate.CertificateID
		}
		it.Certificate.CertificateID = c.CertificateID
		st.Certificates[c.CertificateID] = &c
	}
	for _, it := range st.Items {
		if it.Certificate != nil {
			if _, ok := st.Certificates[it.Certificate.CertificateID]; !ok {
				st.Certificates[it.Certificate.CertificateID] = defaultCertificate(it, org)
			}
		}
	}
	st.reindex()
	return nil
}

func certificateRef(entrupyID string) *entrupy.ItemCertificate {
	return &entrupy.ItemCertificate{
		CertificateID: entrupy.CertificateIDPrefix + entrupyID,
		Site:          entrupy.CertificateSiteBase + entrupyID,
		Preview:       entrupy.CertificateSiteBase + entrupyID + ".png",
	}
}

func defaultCertificate(it *entrupy.Item, org string) *CertificateRecord {
	c := &CertificateRecord{
		CertificateID: it.Certificate.CertificateID,
		EntrupyID:     it.EntrupyID,
		StyleCode:     it.TextFields.StyleCode,
		Holder:        entrupy.Holder{Username: it.Owner.User.Username, Name: org},
		Photos:        []string{},
	}
	if it.Activity.ProductCategory != nil && *it.Activity.ProductCategory == entrupy.CategoryLuxury {
		c.DateCode = it.TextFields.Identifier
	}
	for _, img := range it.Images {
		c.Photos = append(c.Photos, img.URL)
	}
	return c
}

// fillDisplays completes English display strings from the catalogue.
func fillDisplays(it *entrupy.Item) {
	if b := it.Properties.Brand; b != nil && b.Display == "" {
		if cb, ok := entrupy.FindBrand(b.ID); ok {
			b.Display = cb.Display
		}
	}
	if m := it.Properties.Material; m != nil && m.Display == "" && it.Properties.Brand != nil {
		if v, ok := findMaterial(it.Properties.Brand.ID, m.ID); ok {
			m.Display = v.Display
		}
	}
	if r := &it.Status.Result; r.Display == "" {
		if v, ok := entrupy.FindResult(r.ID); ok {
			r.Display = v.Display
		}
	}
	if it.Timestamp.Display == "" && it.Timestamp.Epoch != 0 {
		it.Timestamp.Display = time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339)
	}
}

func findMaterial(brandID, materialID string) (entrupy.Value, bool) {
	b, ok := entrupy.FindBrand(brandID)
	if !ok {
		return entrupy.Value{}, false
	}
	for _, m := range b.Materials {
		if m.ID == materialID {
			return m, true
		}
	}
	return entrupy.Value{}, false
}

// reindex rebuilds the newest-first order: timestamp.epoch descending, then
// entrupy_id descending so that the order is total [chosen].
func (st *state) reindex() {
	st.newest = st.newest[:0]
	for _, it := range st.Items {
		st.newest = append(st.newest, it)
	}
	sort.Slice(st.newest, func(i, j int) bool {
		a, b := st.newest[i], st.newest[j]
		if a.Timestamp.Epoch != b.Timestamp.Epoch {
			return a.Timestamp.Epoch > b.Timestamp.Epoch
		}
		return a.EntrupyID > b.EntrupyID
	})
}

// loadState reads a state file; a missing file is (nil, nil).
func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("emulator: reading state file: %w", err)
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("emulator: state file %s is corrupt: %w", path, err)
	}
	st.normalize()
	return st, nil
}

// normalize completes a decoded state: maps a file held as null, metadata
// that files older than it lack ({}), and the search order.
func (st *state) normalize() {
	if st.Items == nil {
		st.Items = map[string]*entrupy.Item{}
	}
	if st.Certificates == nil {
		st.Certificates = map[string]*CertificateRecord{}
	}
	if st.Users == nil {
		st.Users = map[string]*storedUser{}
	}
	if st.Webhooks == nil {
		st.Webhooks = map[string]*storedWebhook{}
	}
	if st.Idempotency == nil {
		st.Idempotency = map[string]idempotencyRecord{}
	}
	for _, u := range st.Users {
		if u.Metadata == nil {
			u.Metadata = map[string]string{}
		}
	}
	for _, w := range st.Webhooks {
		if w.Metadata == nil {
			w.Metadata = map[string]string{}
		}
	}
	st.reindex()
}

// persistLocked rewrites the state file atomically. Called with s.mu held.
func (s *Server) persistLocked() {
	if s.opts.StateFile == "" {
		return
	}
	b, err := json.Marshal(s.st)
	if err == nil {
		tmp := s.opts.StateFile + ".tmp"
		if err = os.WriteFile(tmp, b, 0o600); err == nil {
			err = os.Rename(tmp, s.opts.StateFile)
		}
	}
	if err != nil {
		log.Printf("emulator: writing state file %s: %v", filepath.Base(s.opts.StateFile), err)
	}
}
