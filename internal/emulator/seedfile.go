package emulator

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Seed is the data an emulator starts with: authentications and optional
// certificate records. An authentic item without a record gets one made
// from the item.
//
// In Go, Authentications are the client's entrupy.Item values: tests of
// the client and the provider read BuiltinSeed(...).Authentications as
// entrupy.Item to compare with what the client decodes. This is the one
// place the emulator touches a client struct, and only by Go field: items
// are copied field by field into the emulator's own item (fromClientItem,
// toClientItem), never through the client's JSON tags, so the emulator's
// answers and files do not depend on them. In JSON (a -seed-file,
// or json.Marshal of a Seed) a Seed is the emulator's own seed file format:
// {"format": FileFormat, "authentications": [items in the contract's item
// shape], "certificates": [CertificateRecord]}.
type Seed struct {
	Authentications []entrupy.Item
	Certificates    []CertificateRecord
}

// seedFile is the seed file format (see FileFormat). Format 0 files lack
// "format" and have the same members.
type seedFile struct {
	Format          int                 `json:"format"`
	Authentications []item              `json:"authentications"`
	Certificates    []CertificateRecord `json:"certificates"`
}

// MarshalJSON writes the seed file format.
func (s Seed) MarshalJSON() ([]byte, error) {
	f := seedFile{Format: FileFormat, Authentications: make([]item, len(s.Authentications)), Certificates: s.Certificates}
	for i, it := range s.Authentications {
		f.Authentications[i] = fromClientItem(it)
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads the seed file format, refusing a newer one.
func (s *Seed) UnmarshalJSON(b []byte) error {
	var f seedFile
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if err := checkFormat("seed", "", f.Format); err != nil {
		return err
	}
	if err := checkCatalogs(f.Authentications); err != nil {
		return fmt.Errorf("emulator: seed file: %w", err)
	}
	*s = Seed{Certificates: f.Certificates}
	for _, it := range f.Authentications {
		s.Authentications = append(s.Authentications, toClientItem(it))
	}
	return nil
}

// LoadSeedFile reads a Seed from a JSON file in the seed file format.
func LoadSeedFile(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: reading seed file: %w", err)
	}
	var f seedFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("emulator: seed file %s: %w", path, err)
	}
	if err := checkFormat("seed", path, f.Format); err != nil {
		return nil, err
	}
	if err := checkCatalogs(f.Authentications); err != nil {
		return nil, fmt.Errorf("emulator: seed file %s: %w", path, err)
	}
	s := &Seed{Certificates: f.Certificates}
	for _, it := range f.Authentications {
		s.Authentications = append(s.Authentications, toClientItem(it))
	}
	return s, nil
}

// fromClientItem copies a Go seed item into the emulator's own item, field
// by field (no JSON), sharing no pointers with it. A Go item is the
// client's reading of an item, so members it lacks (nil) become the v1.4
// model's empty values.
func fromClientItem(c entrupy.Item) item {
	it := item{
		EntrupyID: c.EntrupyID,
		Owner:     itemOwner{Organization: orgName{Name: deref(c.Owner.OrganizationName)}, User: userName{Username: deref(c.Owner.Username)}},
		Properties: itemProps{
			Brand: fromClientValue(c.Properties.Brand), Material: fromClientValue(c.Properties.Material),
			ItemType: fromClientValue(c.Properties.ItemType),
		},
		Status: itemStatus{Flag: clonePtr(c.Status.Flag)},
		TextFields: itemText{
			Identifier: clonePtr(c.TextFields.Identifier), CustomerItemID: clonePtr(c.TextFields.CustomerItemID),
			StyleCode: clonePtr(c.TextFields.StyleCode), USSize: clonePtr(c.TextFields.USSize),
		},
		Activity: itemActivity{
			Name: deref(c.Activity.Name), Mode: clonePtr(c.Activity.Mode), FormFactor: deref(c.Activity.FormFactor),
			ProductCategory: clonePtr(c.Activity.ProductCategory),
		},
	}
	if r := c.Status.Result; r != nil {
		it.Status.Result = itemResult{ID: deref(r.ID), Display: deref(r.Display), Final: r.Final != nil && *r.Final, Reason: clonePtr(r.Reason)}
	}
	if t := c.Timestamp.Created; t != nil {
		it.Timestamp = itemTime{Display: t.UTC().Format(time.RFC3339), Epoch: t.Unix()}
	}
	if cc := c.Certificate; cc != nil {
		it.Certificate = &itemCertRef{CertificateID: deref(cc.CertificateID), Site: deref(cc.Site), Preview: deref(cc.Preview)}
	}
	if c.Images != nil {
		it.Images = make([]itemImage, len(c.Images))
		for i, img := range c.Images {
			it.Images[i] = itemImage{RegionID: deref(img.RegionID), DeviceType: deref(img.DeviceType), URL: deref(img.URL)}
		}
	}
	if cc := c.Catalog; cc != nil {
		p := cc.ProductInformation
		it.Catalog = &itemCatalog{
			Product: catalogProduct{
				Brand: clonePtr(p.Brand), Category: clonePtr(p.Category), Style: clonePtr(p.Style), Material: clonePtr(p.Material),
				Colorway: clonePtr(p.Colorway), Description: clonePtr(p.Description), SerialNumber: clonePtr(p.SerialNumber),
			},
			Listings: make([]catalogListing, len(cc.MarketplaceListings)),
		}
		if a := cc.ConditionAssessment; a != nil {
			it.Catalog.Condition = &catalogAssessment{Rating: a.Rating, Score: clonePtr(a.Score), Issues: append([]string{}, a.Issues...), Notes: clonePtr(a.Notes)}
		}
		for i, l := range cc.MarketplaceListings {
			it.Catalog.Listings[i] = catalogListing{
				Platform: l.Platform, Title: l.Title, URL: l.URL, Price: l.Price, Currency: l.Currency, Region: clonePtr(l.Region),
			}
		}
	}
	return it
}

// toClientItem copies the emulator's item into a Go seed item, field by
// field (no JSON), sharing no pointers with it: the item as the client
// reads the v1.4 model (empty names and ids are absent).
func toClientItem(it item) entrupy.Item {
	var c entrupy.Item
	c.EntrupyID = it.EntrupyID
	c.Owner = entrupy.Owner{OrganizationName: nonEmpty(it.Owner.Organization.Name), Username: nonEmpty(it.Owner.User.Username)}
	if ic := it.Certificate; ic != nil {
		c.Certificate = &entrupy.ItemCertificate{CertificateID: nonEmpty(ic.CertificateID), Site: nonEmpty(ic.Site), Preview: nonEmpty(ic.Preview)}
	}
	c.Properties = entrupy.Properties{
		Brand: toClientValue(it.Properties.Brand), Material: toClientValue(it.Properties.Material),
		ItemType: toClientValue(it.Properties.ItemType),
	}
	final := it.Status.Result.Final
	c.Status = entrupy.Status{Flag: clonePtr(it.Status.Flag), Result: &entrupy.Result{
		ID: nonEmpty(it.Status.Result.ID), Display: nonEmpty(it.Status.Result.Display), Final: &final, Reason: clonePtr(it.Status.Result.Reason),
	}}
	c.TextFields = entrupy.TextFields{
		Identifier: clonePtr(it.TextFields.Identifier), CustomerItemID: clonePtr(it.TextFields.CustomerItemID),
		StyleCode: clonePtr(it.TextFields.StyleCode), USSize: clonePtr(it.TextFields.USSize),
	}
	created := time.Unix(it.Timestamp.Epoch, 0).UTC()
	c.Timestamp = entrupy.Timestamp{Created: &created}
	c.Activity = entrupy.Activity{
		Name: nonEmpty(it.Activity.Name), Mode: clonePtr(it.Activity.Mode), FormFactor: nonEmpty(it.Activity.FormFactor),
		ProductCategory: clonePtr(it.Activity.ProductCategory),
	}
	if it.Images != nil {
		c.Images = make([]entrupy.Image, len(it.Images))
		for i, img := range it.Images {
			c.Images[i] = entrupy.Image{RegionID: nonEmpty(img.RegionID), DeviceType: nonEmpty(img.DeviceType), URL: nonEmpty(img.URL)}
		}
	}
	if ic := it.Catalog; ic != nil {
		p := ic.Product
		c.Catalog = &entrupy.Catalog{
			ProductInformation: entrupy.ProductInformation{
				Brand: clonePtr(p.Brand), Category: clonePtr(p.Category), Style: clonePtr(p.Style), Material: clonePtr(p.Material),
				Colorway: clonePtr(p.Colorway), Description: clonePtr(p.Description), SerialNumber: clonePtr(p.SerialNumber),
			},
			MarketplaceListings: make([]entrupy.MarketplaceListing, len(ic.Listings)),
		}
		if a := ic.Condition; a != nil {
			c.Catalog.ConditionAssessment = &entrupy.ConditionAssessment{Rating: a.Rating, Score: clonePtr(a.Score), Issues: append([]string{}, a.Issues...), Notes: clonePtr(a.Notes)}
		}
		for i, l := range ic.Listings {
			c.Catalog.MarketplaceListings[i] = entrupy.MarketplaceListing{
				Platform: l.Platform, Title: l.Title, URL: l.URL, Price: l.Price, Currency: l.Currency, Region: clonePtr(l.Region),
			}
		}
	}
	return c
}

func fromClientValue(v *entrupy.ItemValue) *idDisplay {
	if v == nil {
		return nil
	}
	return &idDisplay{ID: deref(v.ID), Display: deref(v.Display)}
}

func toClientValue(v *idDisplay) *entrupy.ItemValue {
	if v == nil {
		return nil
	}
	return &entrupy.ItemValue{ID: nonEmpty(v.ID), Display: nonEmpty(v.Display)}
}

// deref is *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// nonEmpty is a pointer to a copy of s, or nil for "".
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
