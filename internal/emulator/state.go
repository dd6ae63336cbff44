package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// FileFormat is the "format" of the state and seed files this emulator
// writes. The files are the emulator's own (their shapes are defined here
// and in wire.go, not by the client's structs), and the number says which
// shape a file has:
//
//   - 0: files written before the field existed (no "format" member). Their
//     members are those of format 1; they load unchanged.
//   - 1: {"format": 1, ...}: items in the contract's item shape, the
//     emulator's records of certificates, users, webhooks and idempotency
//     keys. Seed files: {"format": 1, "authentications", "certificates"}.
//     Item catalogs had the first catalog shape (id/display pairs, a
//     condition grade, a market's price bands); they load upgraded to the
//     current one (see legacyCatalog).
//   - 2: catalogs in the contract's current shape (product_information,
//     condition_assessment, marketplace_listings), and certificate records
//     that may carry revoked_at (with the certificate's site and preview).
//     Otherwise as format 1.
//
// A file with a greater format than FileFormat was written by a newer
// emulator and is refused rather than misread. When a shape changes,
// FileFormat goes up and the loader converts older files.
const FileFormat = 2

// checkFormat refuses a file format this emulator does not know.
func checkFormat(kind, path string, format int) error {
	if format < 0 || format > FileFormat {
		if path != "" {
			kind += " file " + path
		} else {
			kind += " file"
		}
		return fmt.Errorf("emulator: %s has format %d; this emulator reads formats 0 to %d (a newer emulator wrote it?)", kind, format, FileFormat)
	}
	return nil
}

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
	HideCustomerItemID bool   `json:"hide_customer_item_id"`
	Holder             Holder `json:"holder"`
	// Transfers is the history, oldest first; the last one is current.
	Transfers []TransferRecord `json:"transfers"`
	// RevokedAt (RFC 3339) is set when Entrupy withdrew the certificate
	// (WithdrawResult); files without it hold valid certificates. Site and
	// Preview keep the item's links, which the item no longer carries
	// once the certificate is revoked.
	RevokedAt *string `json:"revoked_at,omitempty"`
	Site      string  `json:"site,omitempty"`
	Preview   string  `json:"preview,omitempty"`
}

// TransferRecord is a transfer as the emulator keeps it: the contract's
// transfer object plus the recipient's name from the request, which
// becomes the holder's name when the buyer accepts. Answers show it as a
// Transfer (without the name).
type TransferRecord struct {
	TransferID     string `json:"transfer_id"`
	Status         string `json:"status"`
	RecipientEmail string `json:"recipient_email"`
	RecipientName  string `json:"recipient_name,omitempty"`
	InitiatedAt    string `json:"initiated_at"`
}

// view is the transfer as answers show it.
func (t TransferRecord) view() Transfer {
	return Transfer{TransferID: t.TransferID, Status: t.Status, RecipientEmail: t.RecipientEmail, InitiatedAt: t.InitiatedAt}
}

// storedUser is an integration user as the state file keeps it.
type storedUser struct {
	UniqueUserID string            `json:"unique_user_id"`
	Username     string            `json:"username"`
	Email        string            `json:"email"`
	FirstName    string            `json:"first_name"`
	LastName     string            `json:"last_name"`
	CreatedAt    string            `json:"created_at"`
	Metadata     map[string]string `json:"metadata"`
	Active       bool              `json:"active"` // false once deleted (deactivated)
	Seq          int64             `json:"seq"`    // creation order
}

// storedWebhook is a webhook as the state file keeps it, secret included.
type storedWebhook struct {
	ID          string            `json:"id"`
	URL         string            `json:"url"`
	Events      []string          `json:"events"`
	Description string            `json:"description"`
	Enabled     bool              `json:"enabled"`
	Username    *string           `json:"username"`
	APIVersion  string            `json:"api_version"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	Metadata    map[string]string `json:"metadata"`
	Secret      string            `json:"secret"`
	Seq         int64             `json:"seq"` // creation order
}

// idempotencyRecord is the first answer to an Idempotency-Key.
type idempotencyRecord struct {
	At          time.Time `json:"at"`
	Fingerprint string    `json:"fingerprint"` // SHA-256 of the request body
	Status      int       `json:"status"`
	Body        []byte    `json:"body"`
}

// state is everything the emulator holds; it is also the state file's shape.
type state struct {
	Format       int                           `json:"format"`
	Items        map[string]*item              `json:"items"`
	Certificates map[string]*CertificateRecord `json:"certificates"`
	Users        map[string]*storedUser        `json:"users"`
	Webhooks     map[string]*storedWebhook     `json:"webhooks"`
	Idempotency  map[string]idempotencyRecord  `json:"idempotency"`
	Seq          int64                         `json:"seq"`

	newest []*item // Items, newest first (the search order)
}

func newState() *state {
	return &state{
		Format:       FileFormat,
		Items:        map[string]*item{},
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
		it := fromClientItem(seed.Authentications[i])
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

func certificateRef(entrupyID string) *itemCertRef {
	return &itemCertRef{
		CertificateID: certificateIDPrefix + entrupyID,
		Site:          certificateSiteBase + entrupyID,
		Preview:       certificateSiteBase + entrupyID + ".png",
	}
}

func defaultCertificate(it *item, org string) *CertificateRecord {
	c := &CertificateRecord{
		CertificateID: it.Certificate.CertificateID,
		EntrupyID:     it.EntrupyID,
		StyleCode:     it.TextFields.StyleCode,
		Holder:        Holder{Username: it.Owner.User.Username, Name: org},
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
func fillDisplays(it *item) {
	if b := it.Properties.Brand; b != nil && b.Display == "" {
		if cb, ok := findBrand(b.ID); ok {
			b.Display = cb.Display
		}
	}
	if m := it.Properties.Material; m != nil && m.Display == "" && it.Properties.Brand != nil {
		if v, ok := findMaterial(it.Properties.Brand.ID, m.ID); ok {
			m.Display = v.Display
		}
	}
	if r := &it.Status.Result; r.Display == "" {
		if v, ok := findResult(r.ID); ok {
			r.Display = v.Display
		}
	}
	if it.Timestamp.Display == "" && it.Timestamp.Epoch != 0 {
		it.Timestamp.Display = time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339)
	}
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
	st := &state{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("emulator: state file %s is corrupt: %w", path, err)
	}
	if err := checkFormat("state", path, st.Format); err != nil {
		return nil, err
	}
	if st.Format == 0 {
		st.migrateFormat0()
	}
	st.Format = FileFormat
	st.normalize()
	return st, nil
}

// migrateFormat0 brings a format 0 state (the members of format 1) up to
// date: answers to transfer creates recorded for Idempotency-Key replays
// carried the recipient's name, which the contract's transfer object does
// not have; they are rewritten without it.
func (st *state) migrateFormat0() {
	for k, rec := range st.Idempotency {
		// The key is "<method> <path> <Idempotency-Key>".
		method, rest, _ := strings.Cut(k, " ")
		path, _, _ := strings.Cut(rest, " ")
		var old itemEnvelope[TransferRecord]
		if method != http.MethodPost || !strings.HasSuffix(path, transfersSuffix) || rec.Status != http.StatusCreated ||
			json.Unmarshal(rec.Body, &old) != nil || old.Item.TransferID == "" {
			continue
		}
		if b, err := json.Marshal(itemEnvelope[Transfer]{Item: old.Item.view()}); err == nil {
			rec.Body = b
			st.Idempotency[k] = rec
		}
	}
}

// normalize completes a decoded state: maps a file held as null, metadata
// that files older than it lack ({}), and the search order.
func (st *state) normalize() {
	if st.Items == nil {
		st.Items = map[string]*item{}
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
	s.st.Format = FileFormat
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
