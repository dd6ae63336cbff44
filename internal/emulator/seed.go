package emulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// BuiltinItems is the size of the built-in seed.
const BuiltinItems = 80

// SeedUsers are the unique_user_ids that own the generated authentications;
// usernames are "<Organization>-<id>".
var SeedUsers = []string{"store-tokyo-01", "store-paris-02", "store-nyc-03", "warehouse-04", "reseller-05", "auditor-06"}

// seedEpoch is the first generated item's time: 2026-01-05T09:00:00Z.
var seedEpoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Unix()

// BuiltinSeed is the realistic set the emulator starts with: 80 items spread
// over every brand, material, result, reason, flag, form factor and product
// category of the seeds, authentic ones with certificates, some transferred.
// It is deterministic.
func BuiltinSeed(org string) *Seed { return GenerateSeed(BuiltinItems, 1, org) }

var apparelTypes = []entrupy.Value{{ID: "tops", Display: "Tops"}, {ID: "dresses", Display: "Dresses"}, {ID: "outerwear", Display: "Outerwear"}, {ID: "bottoms", Display: "Bottoms"}}

// GenerateSeed makes n deterministic items (and their certificates) from a
// random seed. Item i is older than item i+1; every 7th item reuses an
// earlier item's customer_item_id, so lookups have several candidates.
func GenerateSeed(n int, seed uint64, org string) *Seed {
	if org == "" {
		org = DefaultOrganization
	}
	rng := rand.New(rand.NewPCG(seed, seed*31+7))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	str := func(s string) *string { return &s }
	byCategory := map[string][]entrupy.Brand{}
	for _, b := range entrupy.Brands {
		byCategory[b.ProductCategory] = append(byCategory[b.ProductCategory], b)
	}
	out := &Seed{}
	var items []item
	ids := map[string]bool{}
	visits := map[string]int{} // materials cycle per brand
	for i := range n {
		id := entrupyID(rng)
		for ids[id] {
			id = entrupyID(rng)
		}
		ids[id] = true
		it := item{EntrupyID: id}
		it.Owner.Organization.Name = org
		it.Owner.User.Username = org + "-" + SeedUsers[i%len(SeedUsers)]
		it.Timestamp.Epoch = seedEpoch + int64(i)*5*3600 + int64(rng.IntN(3600))
		it.Timestamp.Display = time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339)

		// Cycle deterministically through categories so every brand appears:
		// 11 of 20 luxury, 6 sneakers, 3 apparel.
		var category string
		switch k := i % 20; {
		case k < 11:
			category = entrupy.CategoryLuxury
		case k < 17:
			category = entrupy.CategorySneakers
		default:
			category = entrupy.CategoryApparel
		}
		brands := byCategory[category]
		brand := brands[(i/20*7+i)%len(brands)]
		it.Properties.Brand = &idDisplay{ID: brand.ID, Display: brand.Display}
		it.Activity.Name = "authentication"
		it.Activity.ProductCategory = str(category)
		switch category {
		case entrupy.CategoryLuxury:
			m := brand.Materials[visits[brand.ID]%len(brand.Materials)]
			visits[brand.ID]++
			it.Properties.Material = &idDisplay{ID: m.ID, Display: m.Display}
			it.Activity.FormFactor = pick([]string{"microscopic", "microscopic", "free_camera"})
			it.TextFields.Identifier = str(fmt.Sprintf("%s%04d", pick([]string{"SD", "AR", "MI", "FL", "TH"}), rng.IntN(10000)))
		case entrupy.CategorySneakers:
			it.Activity.FormFactor = pick([]string{"lightbox", "free_camera"})
			it.TextFields.StyleCode = str(fmt.Sprintf("%s%04d-%03d", pick([]string{"DD", "CW", "FZ", "GY"}), rng.IntN(10000), rng.IntN(1000)))
			it.TextFields.USSize = str(pick([]string{"7", "8.5", "9", "10", "10.5", "11", "12"}))
		default:
			t := apparelTypes[rng.IntN(len(apparelTypes))]
			it.Properties.ItemType = &idDisplay{ID: t.ID, Display: t.Display}
			it.Activity.FormFactor = "free_camera"
		}
		if i%10 != 9 {
			sku := fmt.Sprintf("SKU-%05d", 1000+i)
			if i%7 == 6 && i >= 7 {
				sku = fmt.Sprintf("SKU-%05d", 1000+i-7) // a repeat: lookups take the newest
			}
			it.TextFields.CustomerItemID = str(sku)
		}

		// Results: mostly authentic; every id and reason appears. Items 12
		// and 13 of each 40 are fingerprint sessions; the two newest items
		// are still in progress (final false, no certificate).
		r := "authentic"
		switch k := i % 40; {
		case k == 12:
			r = "registered"
		case k == 13:
			r = []string{"match", "no_match"}[(i/40)%2]
		case k%8 == 1:
			r = "unidentified"
		case k%8 == 3:
			r = "invalid"
		case k == 5:
			r = "no_decision"
		case k == 21:
			r = "error_processing"
		}
		pending := i >= n-2 // the two newest sessions are still in review
		if pending {
			r = "unidentified"
		}
		if r == "registered" || r == "match" || r == "no_match" {
			it.Activity.Name = "fingerprint"
			it.Activity.ProductCategory = nil
			it.Activity.FormFactor = pick([]string{"microscopic", "free_camera"})
			mode := "register"
			if r != "registered" {
				mode = "compare"
			}
			it.Activity.Mode = str(mode)
		}
		res, _ := findResult(r)
		it.Status.Result = itemResult{ID: res.ID, Display: res.Display, Final: true}
		if r == "invalid" {
			it.Status.Result.Reason = str(entrupy.InvalidReasons[(i/8)%len(entrupy.InvalidReasons)])
		}
		it.Status.Result.Final = !pending
		switch i % 9 {
		case 4:
			it.Status.Flag = str("flagged")
		case 7:
			it.Status.Flag = str("resolved")
		}
		it.Images = images(id, category, it.Activity.FormFactor)
		if r == "authentic" {
			it.Certificate = certificateRef(id)
		}
		it.Catalog = catalogFor(&it) // from the item alone: the rng is not drawn
		items = append(items, it)
		if it.Certificate != nil {
			out.Certificates = append(out.Certificates, seedCertificate(rng, &it, org, i))
		}
	}
	for _, it := range items {
		out.Authentications = append(out.Authentications, toClientItem(it))
	}
	return out
}

func entrupyID(rng *rand.Rand) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 8)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// images follows the seeds: microscopic bag sessions return camera images,
// sneakers box_label and size_tag, apparel front.
func images(id, category, formFactor string) []itemImage {
	var regions [][2]string
	switch {
	case category == entrupy.CategorySneakers:
		regions = [][2]string{{"box_label", "camera"}, {"size_tag", "camera"}}
	case category == entrupy.CategoryApparel:
		regions = [][2]string{{"front", "camera"}}
	case formFactor == "microscopic":
		regions = [][2]string{{"exterior", "camera"}, {"exterior", "microscope"}, {"interior_tag", "camera"}}
	default:
		regions = [][2]string{{"exterior", "camera"}, {"interior_tag", "camera"}}
	}
	out := make([]itemImage, len(regions))
	for i, r := range regions {
		out[i] = itemImage{RegionID: r[0], DeviceType: r[1], URL: fmt.Sprintf("https://images.entrupy.com/%s/%s-%s.jpg", id, r[0], r[1])}
	}
	return out
}

func seedCertificate(rng *rand.Rand, it *item, org string, i int) CertificateRecord {
	c := *defaultCertificate(it, org)
	if it.Activity.ProductCategory != nil && *it.Activity.ProductCategory == entrupy.CategoryLuxury && i%3 == 0 {
		s := fmt.Sprintf("SN%08d", rng.IntN(100000000))
		c.SerialNumber = &s
	}
	c.HideCustomerItemID = i%3 == 1
	initiated := time.Unix(it.Timestamp.Epoch+86400, 0).UTC().Format(time.RFC3339)
	buyer := fmt.Sprintf("buyer%02d@example.com", i)
	switch i % 6 {
	case 2: // transferred: the buyer holds it now
		c.Transfers = []TransferRecord{{TransferID: fmt.Sprintf("tr_seed%03d", i), Status: entrupy.TransferAccepted, RecipientEmail: buyer, RecipientName: fmt.Sprintf("Buyer %02d", i), InitiatedAt: initiated}}
		c.Holder = Holder{Username: "", Name: fmt.Sprintf("Buyer %02d", i)}
	case 4: // a transfer waiting for the buyer
		c.Transfers = []TransferRecord{{TransferID: fmt.Sprintf("tr_seed%03d", i), Status: entrupy.TransferPending, RecipientEmail: buyer, RecipientName: fmt.Sprintf("Buyer %02d", i), InitiatedAt: initiated}}
	}
	return c
}
