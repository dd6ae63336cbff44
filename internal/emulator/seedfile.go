package emulator

import (
	"encoding/json"
	"fmt"
	"os"

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
// by field (no JSON), sharing no pointers with it.
func fromClientItem(c entrupy.Item) item {
	it := item{
		EntrupyID: c.EntrupyID,
		Owner:     itemOwner{Organization: orgName{Name: c.Owner.Organization.Name}, User: userName{Username: c.Owner.User.Username}},
		Properties: itemProps{
			Brand: fromClientIDDisplay(c.Properties.Brand), Material: fromClientIDDisplay(c.Properties.Material),
			ItemType: fromClientIDDisplay(c.Properties.ItemType),
		},
		Status: itemStatus{Flag: clonePtr(c.Status.Flag), Result: itemResult{
			ID: c.Status.Result.ID, Display: c.Status.Result.Display, Final: c.Status.Result.Final, Reason: clonePtr(c.Status.Result.Reason),
		}},
		TextFields: itemText{
			Identifier: clonePtr(c.TextFields.Identifier), CustomerItemID: clonePtr(c.TextFields.CustomerItemID),
			StyleCode: clonePtr(c.TextFields.StyleCode), USSize: clonePtr(c.TextFields.USSize),
		},
		Timestamp: itemTime{Display: c.Timestamp.Display, Epoch: c.Timestamp.Epoch},
		Activity: itemActivity{
			Name: c.Activity.Name, Mode: clonePtr(c.Activity.Mode), FormFactor: c.Activity.FormFactor,
			ProductCategory: clonePtr(c.Activity.ProductCategory),
		},
	}
	if cc := c.Certificate; cc != nil {
		it.Certificate = &itemCertRef{CertificateID: cc.CertificateID, Site: cc.Site, Preview: cc.Preview}
	}
	if c.Images != nil {
		it.Images = make([]itemImage, len(c.Images))
		for i, img := range c.Images {
			it.Images[i] = itemImage{RegionID: img.RegionID, DeviceType: img.DeviceType, URL: img.URL}
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
// field (no JSON), sharing no pointers with it.
func toClientItem(it item) entrupy.Item {
	var c entrupy.Item
	c.EntrupyID = it.EntrupyID
	c.Owner.Organization.Name = it.Owner.Organization.Name
	c.Owner.User.Username = it.Owner.User.Username
	if ic := it.Certificate; ic != nil {
		c.Certificate = &entrupy.ItemCertificate{CertificateID: ic.CertificateID, Site: ic.Site, Preview: ic.Preview}
	}
	c.Properties = entrupy.Properties{
		Brand: toClientIDDisplay(it.Properties.Brand), Material: toClientIDDisplay(it.Properties.Material),
		ItemType: toClientIDDisplay(it.Properties.ItemType),
	}
	c.Status = entrupy.Status{Flag: clonePtr(it.Status.Flag), Result: entrupy.Result{
		ID: it.Status.Result.ID, Display: it.Status.Result.Display, Final: it.Status.Result.Final, Reason: clonePtr(it.Status.Result.Reason),
	}}
	c.TextFields = entrupy.TextFields{
		Identifier: clonePtr(it.TextFields.Identifier), CustomerItemID: clonePtr(it.TextFields.CustomerItemID),
		StyleCode: clonePtr(it.TextFields.StyleCode), USSize: clonePtr(it.TextFields.USSize),
	}
	c.Timestamp = entrupy.Timestamp{Display: it.Timestamp.Display, Epoch: it.Timestamp.Epoch}
	c.Activity = entrupy.Activity{
		Name: it.Activity.Name, Mode: clonePtr(it.Activity.Mode), FormFactor: it.Activity.FormFactor,
		ProductCategory: clonePtr(it.Activity.ProductCategory),
	}
	if it.Images != nil {
		c.Images = make([]entrupy.Image, len(it.Images))
		for i, img := range it.Images {
			c.Images[i] = entrupy.Image{RegionID: img.RegionID, DeviceType: img.DeviceType, URL: img.URL}
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

func fromClientIDDisplay(v *entrupy.IDDisplay) *idDisplay {
	if v == nil {
		return nil
	}
	return &idDisplay{ID: v.ID, Display: v.Display}
}

func toClientIDDisplay(v *idDisplay) *entrupy.IDDisplay {
	if v == nil {
		return nil
	}
	return &entrupy.IDDisplay{ID: v.ID, Display: v.Display}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
