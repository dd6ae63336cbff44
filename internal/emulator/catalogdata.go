package emulator

// Catalog data: what GET /v2/authentications/{id}?include_catalog=true adds
// to an item [doc] (its shape is [chosen]; see itemCatalog in wire.go).
// The emulator makes it from the item alone (catalogFor), so generated
// items, items of a seed or state file written before catalog data existed,
// and a restarted emulator all agree. A seed file can give an item its own
// catalog, or "catalog": null for an item without a catalog match.
//
// The tables below are plausible, not Entrupy's: a few styles per brand
// with style codes, colourways and US prices, and marketplace listings of
// similar items priced in their region's currency (first the region of the
// store that authenticated the item). The listings' URLs are under the
// reserved .example domain: they lead nowhere.

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// catalogCategories are the categories of the emulator's catalog; their
// display strings are product_information.category.
var catalogCategories = []entrupy.Value{
	{ID: "handbag", Display: "Handbag"},
	{ID: "wallet", Display: "Wallet"},
	{ID: "sneakers", Display: "Sneakers"},
	{ID: "tops", Display: "Tops"},
	{ID: "dresses", Display: "Dresses"},
	{ID: "outerwear", Display: "Outerwear"},
	{ID: "bottoms", Display: "Bottoms"},
}

func findCatalogCategory(id string) (entrupy.Value, bool) {
	i := slices.IndexFunc(catalogCategories, func(v entrupy.Value) bool { return v.ID == id })
	if i < 0 {
		return entrupy.Value{}, false
	}
	return catalogCategories[i], true
}

// catalogStyleEntry is one style of the emulator's catalog. resale is the
// typical US price in dollars of a listing of a rating A item; listings in
// other regions and ratings are priced from it.
type catalogStyleEntry struct {
	category   string // catalogCategories id
	name, code string
	resale     float64
	colorways  []string
	itemType   string // apparel: the item_type the style is for
}

// catalogStyles lists each brand's styles (entrupy.Brands ids).
var catalogStyles = map[string][]catalogStyleEntry{
	"hermes": {
		{category: "handbag", name: "Birkin 30", code: "H-BIRKIN30", resale: 21500, colorways: []string{"Gold", "Noir", "Etoupe", "Bleu Nuit"}},
		{category: "handbag", name: "Kelly 28 Sellier", code: "H-KELLY28S", resale: 19800, colorways: []string{"Noir", "Rouge Casaque", "Craie"}},
		{category: "wallet", name: "Bearn Wallet", code: "H-BEARN", resale: 2600, colorways: []string{"Gold", "Noir"}},
	},
	"chanel": {
		{category: "handbag", name: "Classic Flap Bag Medium", code: "A01112", resale: 9400, colorways: []string{"Black", "Beige Clair", "Navy"}},
		{category: "handbag", name: "Boy Bag", code: "A67086", resale: 5100, colorways: []string{"Black", "Dark Grey"}},
	},
	"louis_vuitton": {
		{category: "handbag", name: "Neverfull MM", code: "N41605", resale: 1650, colorways: []string{"Azur", "Ebene", "Monogram"}},
		{category: "handbag", name: "Speedy Bandoulière 25", code: "M41113", resale: 1800, colorways: []string{"Monogram", "Ebene"}},
		{category: "wallet", name: "Zippy Wallet", code: "M42616", resale: 720, colorways: []string{"Monogram", "Noir"}},
	},
	"dior": {
		{category: "handbag", name: "Lady Dior Medium", code: "M0565ONGE", resale: 4700, colorways: []string{"Black", "Latte", "Cloud Blue"}},
		{category: "handbag", name: "Book Tote Medium", code: "M1296ZRIW", resale: 2700, colorways: []string{"Blue Dior Oblique", "Ecru"}},
	},
	"goyard": {
		{category: "handbag", name: "Saint Louis PM", code: "STLOUIPMLTY01", resale: 1900, colorways: []string{"Black/Tan", "Grey", "Green"}},
		{category: "handbag", name: "Artois MM", code: "ARTOISMMLTY01", resale: 3000, colorways: []string{"Black/Tan", "Navy"}},
	},
	"celine": {
		{category: "handbag", name: "Triomphe Shoulder Bag", code: "188423BF4", resale: 2900, colorways: []string{"Tan", "Black"}},
		{category: "handbag", name: "Nano Luggage", code: "189243DRU", resale: 1900, colorways: []string{"Dune", "Black"}},
	},
	"gucci": {
		{category: "handbag", name: "GG Marmont Small Shoulder Bag", code: "443497 DTDIT 1000", resale: 1500, colorways: []string{"Black", "Dusty Pink"}},
		{category: "handbag", name: "Ophidia GG Medium Tote", code: "631685 96IWB 8745", resale: 1350, colorways: []string{"Beige/Ebony"}},
		{category: "handbag", name: "Jackie 1961 Small Shoulder Bag", code: "636709 HUHHG 8565", resale: 2100, colorways: []string{"Beige/Ebony", "Black"}},
	},
	"fendi": {
		{category: "handbag", name: "Baguette", code: "8BR600A72V", resale: 2500, colorways: []string{"Tobacco", "Black"}},
		{category: "handbag", name: "Peekaboo ISeeU Medium", code: "8BN321ABVL", resale: 4200, colorways: []string{"Black", "Dove Grey"}},
	},
	"bottega_veneta": {
		{category: "handbag", name: "The Pouch", code: "576227VCP40", resale: 1800, colorways: []string{"Black", "Parakeet"}},
		{category: "handbag", name: "Cassette", code: "578004VMAY1", resale: 2400, colorways: []string{"Fondant", "Black"}},
	},
	"yves_saint_laurent": {
		{category: "handbag", name: "Loulou Medium", code: "574946DV727", resale: 1750, colorways: []string{"Black", "Dark Beige"}},
		{category: "wallet", name: "Cassandre Matelassé Zip Around Wallet", code: "358094BOW01", resale: 450, colorways: []string{"Black"}},
	},
	"burberry": {
		{category: "handbag", name: "TB Bag Small", code: "80170661", resale: 1150, colorways: []string{"Archive Beige", "Black"}},
		{category: "handbag", name: "Lola Shoulder Bag", code: "80492471", resale: 1200, colorways: []string{"Black", "Dusky Pink"}},
	},
	"balenciaga": {
		{category: "handbag", name: "Le City Medium", code: "700940210B0", resale: 1700, colorways: []string{"Black", "Dark Grey"}},
		{category: "handbag", name: "Hourglass Small", code: "5935461QJ4M", resale: 1500, colorways: []string{"Black", "White"}},
	},
	"chloe": {
		{category: "handbag", name: "Marcie Small Saddle Bag", code: "CHC21US591", resale: 900, colorways: []string{"Tan", "Black"}},
		{category: "handbag", name: "Woody Tote Medium", code: "CHC22AS383", resale: 650, colorways: []string{"White/Beige", "Blue"}},
	},
	"prada": {
		{category: "handbag", name: "Re-Edition 2005 Re-Nylon", code: "1BH204R064", resale: 1300, colorways: []string{"Black", "Pink"}},
		{category: "handbag", name: "Galleria Saffiano Medium", code: "1BA863NZV", resale: 2300, colorways: []string{"Black", "Caramel"}},
	},
	"coach": {
		{category: "handbag", name: "Tabby Shoulder Bag 26", code: "76105", resale: 260, colorways: []string{"Black", "Chalk"}},
		{category: "handbag", name: "Willow Tote", code: "C0689", resale: 240, colorways: []string{"Brass/Black", "Sand"}},
	},
	"nike": {
		{category: "sneakers", name: "Dunk Low Retro", code: "DD1391-100", resale: 125, colorways: []string{"White/Black"}},
		{category: "sneakers", name: "Air Force 1 '07", code: "CW2288-111", resale: 95, colorways: []string{"White/White"}},
		{category: "sneakers", name: "Air Max 1 '86 OG", code: "DQ3989-100", resale: 170, colorways: []string{"White/University Red"}},
	},
	"jordan": {
		{category: "sneakers", name: "Air Jordan 1 Retro High OG", code: "DZ5485-612", resale: 210, colorways: []string{"Varsity Red/Black/Sail"}},
		{category: "sneakers", name: "Air Jordan 4 Retro", code: "FV5029-141", resale: 260, colorways: []string{"White/Military Blue/Neutral Grey"}},
		{category: "sneakers", name: "Air Jordan 11 Retro", code: "CT8012-170", resale: 240, colorways: []string{"White/Black/Gym Red"}},
	},
	"adidas": {
		{category: "sneakers", name: "Samba OG", code: "B75806", resale: 110, colorways: []string{"Cloud White/Core Black/Clear Granite"}},
		{category: "sneakers", name: "Gazelle Indoor", code: "IG4999", resale: 135, colorways: []string{"Blue Fusion/Cloud White/Gum"}},
	},
	"yeezy": {
		{category: "sneakers", name: "Yeezy Boost 350 V2", code: "CP9652", resale: 290, colorways: []string{"Core Black/Red"}},
		{category: "sneakers", name: "Yeezy Foam Runner", code: "GV7904", resale: 120, colorways: []string{"MX Cream Clay"}},
		{category: "sneakers", name: "Yeezy Slide", code: "FZ5897", resale: 95, colorways: []string{"Bone"}},
	},
	"new_balance": {
		{category: "sneakers", name: "550", code: "BB550WT1", resale: 115, colorways: []string{"White/Green"}},
		{category: "sneakers", name: "990v6 Made in USA", code: "M990GL6", resale: 185, colorways: []string{"Grey"}},
	},
	"essentials": {
		{category: "tops", itemType: "tops", name: "Essentials Hoodie", code: "192BT212050F", resale: 90, colorways: []string{"Light Oatmeal", "Black", "Jade Ash"}},
		{category: "tops", itemType: "tops", name: "Essentials Crewneck T-Shirt", code: "125SP212000F", resale: 45, colorways: []string{"Dark Oatmeal", "Black"}},
		{category: "outerwear", itemType: "outerwear", name: "Essentials Puffer Jacket", code: "130HO244100F", resale: 190, colorways: []string{"Iron", "Black"}},
		{category: "outerwear", itemType: "outerwear", name: "Essentials Textured Nylon Trucker Jacket", code: "130SP242100F", resale: 130, colorways: []string{"Desert Sand"}},
		{category: "dresses", itemType: "dresses", name: "Essentials Tee Dress", code: "260SP242000F", resale: 70, colorways: []string{"Heather Grey"}},
		{category: "bottoms", itemType: "bottoms", name: "Essentials Sweatpants", code: "130BT212000F", resale: 80, colorways: []string{"Light Oatmeal", "Dark Heather Oatmeal"}},
	},
}

// catalogMarketEntry is a region with its currency, a US dollar rate, the
// unit prices are rounded to and the currency's decimal places.
type catalogMarketEntry struct {
	region, currency string
	rate, unit       float64
	decimals         int
	stores           []string // username parts of the stores in the region
}

// catalogMarkets are the regions the emulator's listings are in [chosen].
var catalogMarkets = []catalogMarketEntry{
	{region: "US", currency: "USD", rate: 1, unit: 5, decimals: 2, stores: []string{"nyc", "warehouse"}},
	{region: "EU", currency: "EUR", rate: 0.92, unit: 0.5, decimals: 2, stores: []string{"paris", "berlin", "milan"}},
	{region: "JP", currency: "JPY", rate: 150, unit: 100, decimals: 0, stores: []string{"tokyo", "osaka"}},
	{region: "GB", currency: "GBP", rate: 0.79, unit: 5, decimals: 2, stores: []string{"london", "reseller"}},
	{region: "HK", currency: "HKD", rate: 7.8, unit: 10, decimals: 2, stores: []string{"hongkong", "auditor"}},
}

// catalogPlatforms are the marketplaces listings are on, by product
// category.
var catalogPlatforms = map[string][]string{
	entrupy.CategoryLuxury:   {"The RealReal", "Vestiaire Collective", "Fashionphile", "eBay"},
	entrupy.CategorySneakers: {"StockX", "GOAT", "SNKRDUNK", "eBay"},
	entrupy.CategoryApparel:  {"Grailed", "Vestiaire Collective", "eBay"},
}

// ratingFactors price a rating against an A item; ratingScores are the
// score range of each rating; ratingIssues the issues an assessment of a
// rating picks from, and ratingNotes its notes ("" is none), by product
// category.
var (
	ratingFactors = map[string]float64{"A": 1, "B": 0.85, "C": 0.7, "D": 0.5}
	ratingScores  = map[string][2]int{"A": {90, 100}, "B": {75, 89}, "C": {55, 74}, "D": {30, 54}}
	ratingIssues  = map[string]map[string][]string{
		entrupy.CategoryLuxury: {
			"B": {"Light wear on the corners", "Faint scratches on the hardware", "Light patina on the handles"},
			"C": {"Visible wear on the corners and edges", "Scratches on the hardware", "Darkened handles"},
			"D": {"Heavy wear on the corners", "Stains on the lining", "Cracked edge paint"},
		},
		entrupy.CategorySneakers: {
			"B": {"Light creasing on the toe box", "Faint yellowing of the midsole"},
			"C": {"Creasing on the toe box", "Sole wear at the heel"},
			"D": {"Heavy creasing", "Sole separation", "Missing insoles"},
		},
		entrupy.CategoryApparel: {
			"B": {"Light pilling", "Faint fading"},
			"C": {"Visible pilling", "Fading at the seams"},
			"D": {"Stains", "Small holes"},
		},
	}
	ratingNotes = map[string]map[string][]string{
		entrupy.CategoryLuxury: {
			"A": {"Pristine, with dust bag.", ""},
			"B": {"Corners clean; lining without stains.", ""},
			"C": {"Structure intact."},
			"D": {"Sold as is."},
		},
		entrupy.CategorySneakers: {
			"A": {"Deadstock, with the original box.", ""},
			"B": {"Worn once or twice.", ""},
			"C": {"Cleaned before assessment."},
			"D": {"Sold as is."},
		},
		entrupy.CategoryApparel: {
			"A": {"New with tags.", ""},
			"B": {"Lightly worn.", ""},
			"C": {"Washed before assessment."},
			"D": {"Sold as is."},
		},
	}
)

// catalogHash is a deterministic number for an item and a purpose.
func catalogHash(id, salt string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id + "\x00" + salt))
	return int(h.Sum32() & 0x7fffffff)
}

func strPtr(s string) *string { return &s }

// catalogFor makes an item's catalog data from the item, or nil when the
// emulator's Entrupy has no catalog match: about one item in seven, items
// it could not process (invalid, error_processing) and brands without
// styles in the tables.
func catalogFor(it *item) *itemCatalog {
	if it.Properties.Brand == nil {
		return nil
	}
	brand, ok := findBrand(it.Properties.Brand.ID)
	styles := catalogStyles[it.Properties.Brand.ID]
	if !ok || len(styles) == 0 {
		return nil
	}
	switch it.Status.Result.ID {
	case "invalid", "error_processing":
		return nil
	}
	id := it.EntrupyID
	if catalogHash(id, "match")%7 == 0 {
		return nil
	}
	if t := it.Properties.ItemType; t != nil && brand.ProductCategory == entrupy.CategoryApparel {
		var fit []catalogStyleEntry
		for _, s := range styles {
			if s.itemType == t.ID {
				fit = append(fit, s)
			}
		}
		if len(fit) > 0 {
			styles = fit
		}
	}
	style := styles[catalogHash(id, "style")%len(styles)]
	category, _ := findCatalogCategory(style.category)
	c := &itemCatalog{
		Product: catalogProduct{Brand: strPtr(brand.Display), Category: strPtr(category.Display), Style: strPtr(style.name)},
	}
	colorway := style.colorways[catalogHash(id, "colorway")%len(style.colorways)]
	if m := it.Properties.Material; m != nil && brand.ProductCategory == entrupy.CategoryLuxury {
		c.Product.Material = strPtr(m.Display)
	}
	if brand.ProductCategory != entrupy.CategoryLuxury || catalogHash(id, "colorway?")%5 != 0 {
		c.Product.Colorway = &colorway
	}
	if catalogHash(id, "description")%4 != 3 {
		d := fmt.Sprintf("%s %s in %s", brand.Display, style.name, strings.ToLower(colorway))
		if c.Product.Material != nil {
			d += " " + *c.Product.Material
		}
		d += "."
		c.Product.Description = &d
	}
	if brand.ProductCategory == entrupy.CategoryLuxury && it.TextFields.Identifier != nil {
		c.Product.SerialNumber = strPtr(*it.TextFields.Identifier)
	}
	rating := ""
	if it.Activity.Name != "fingerprint" {
		rating = entrupy.CatalogRatings[catalogHash(id, "grade")%len(entrupy.CatalogRatings)]
		c.Condition = catalogAssessmentFor(id, brand.ProductCategory, rating)
	}
	c.Listings = []catalogListing{}
	if catalogHash(id, "market")%9 != 4 {
		c.Listings = catalogListings(it, brand, style, colorway, rating)
	}
	return c
}

// catalogAssessmentFor assesses an item of a product category at a rating:
// a score in the rating's range (null for one item in six), some of the
// rating's issues and perhaps notes.
func catalogAssessmentFor(id, category, rating string) *catalogAssessment {
	a := &catalogAssessment{Rating: rating, Issues: []string{}}
	if catalogHash(id, "score?")%6 != 0 {
		r := ratingScores[rating]
		v := float64(r[0] + catalogHash(id, "score")%(r[1]-r[0]+1))
		if catalogHash(id, "half")%4 == 0 && v < float64(r[1]) {
			v += 0.5
		}
		a.Score = &v
	}
	if issues := ratingIssues[category][rating]; len(issues) > 0 {
		n := 1 + catalogHash(id, "issues")%len(issues)
		from := catalogHash(id, "issue")
		for k := range n {
			a.Issues = append(a.Issues, issues[(from+k)%len(issues)])
		}
	}
	if notes := ratingNotes[category][rating]; len(notes) > 0 {
		if n := notes[catalogHash(id, "notes")%len(notes)]; n != "" {
			a.Notes = &n
		}
	}
	return a
}

// catalogListings lists one to three listings of similar items: the first
// in the market of the store that authenticated the item (by its username,
// or a market picked from the item's id for other users), the others in
// other markets; a listing's region is null now and then, as marketplaces
// do not always say.
func catalogListings(it *item, brand entrupy.Brand, style catalogStyleEntry, colorway, rating string) []catalogListing {
	id := it.EntrupyID
	home := catalogHash(id, "region") % len(catalogMarkets)
	user := strings.ToLower(it.Owner.User.Username)
	for i, m := range catalogMarkets {
		if slices.ContainsFunc(m.stores, func(s string) bool { return strings.Contains(user, s) }) {
			home = i
			break
		}
	}
	f := 0.9
	if rating != "" {
		f = ratingFactors[rating]
	}
	platforms := catalogPlatforms[brand.ProductCategory]
	n := 1 + catalogHash(id, "listings")%3
	out := make([]catalogListing, 0, n)
	for k := range n {
		salt := fmt.Sprintf("listing%d", k)
		mk := catalogMarkets[(home+k*(1+catalogHash(id, "step")%(len(catalogMarkets)-1)))%len(catalogMarkets)]
		platform := platforms[(catalogHash(id, "platform")+k)%len(platforms)]
		spread := 0.85 + float64(catalogHash(id, salt+"price")%31)/100 // 0.85..1.15
		price := math.Round(style.resale*f*spread*mk.rate/mk.unit) * mk.unit
		l := catalogListing{
			Platform: platform,
			Title:    fmt.Sprintf("%s %s %s", brand.Display, style.name, colorway),
			URL:      fmt.Sprintf("https://%s.example/listings/%s-%d", catalogSlug(platform), catalogSlug(style.code), catalogHash(id, salt)%100000),
			Price:    strconv.FormatFloat(price, 'f', mk.decimals, 64),
			Currency: mk.currency,
		}
		if catalogHash(id, salt+"region")%5 != 0 {
			l.Region = strPtr(mk.region)
		}
		out = append(out, l)
	}
	return out
}

// catalogSlug makes a lower-case URL segment of letters, digits and dashes.
func catalogSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// renderCatalog copies an item's catalog for an answer. Its strings are
// plain display strings, the same in every language.
func renderCatalog(c *itemCatalog) *itemCatalog {
	if c == nil {
		return nil
	}
	p := c.Product
	out := &itemCatalog{
		Product: catalogProduct{
			Brand: clonePtr(p.Brand), Category: clonePtr(p.Category), Style: clonePtr(p.Style), Material: clonePtr(p.Material),
			Colorway: clonePtr(p.Colorway), Description: clonePtr(p.Description), SerialNumber: clonePtr(p.SerialNumber),
		},
		Listings: make([]catalogListing, len(c.Listings)),
	}
	if a := c.Condition; a != nil {
		out.Condition = &catalogAssessment{Rating: a.Rating, Score: clonePtr(a.Score), Issues: append([]string{}, a.Issues...), Notes: clonePtr(a.Notes)}
	}
	for i, l := range c.Listings {
		l.Region = clonePtr(l.Region)
		out.Listings[i] = l
	}
	return out
}

// decimalPrice is the contract's price: a decimal string such as "1250.00".
var decimalPrice = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// check reports what in a seed file's catalog the contract does not allow.
func (c *itemCatalog) check() error {
	if a := c.Condition; a != nil {
		switch {
		case a.Rating == "":
			return fmt.Errorf("catalog.condition_assessment.rating is empty; use condition_assessment null for an item not assessed")
		case a.Score != nil && (*a.Score < 0 || *a.Score > entrupy.CatalogScoreMax || math.IsNaN(*a.Score)):
			return fmt.Errorf("catalog.condition_assessment.score is %v; want 0 to %d, or null", *a.Score, entrupy.CatalogScoreMax)
		}
	}
	for i, l := range c.Listings {
		at := fmt.Sprintf("catalog.marketplace_listings[%d]", i)
		switch {
		case l.Platform == "":
			return fmt.Errorf("%s.platform is empty", at)
		case !strings.HasPrefix(l.URL, "https://") && !strings.HasPrefix(l.URL, "http://"):
			return fmt.Errorf("%s.url is %q; want an http(s) URL", at, l.URL)
		case !decimalPrice.MatchString(l.Price):
			return fmt.Errorf("%s.price is %q; want a decimal string such as \"1250.00\"", at, l.Price)
		case len(l.Currency) != 3 || strings.ToUpper(l.Currency) != l.Currency:
			return fmt.Errorf("%s.currency is %q; want an ISO 4217 code such as USD", at, l.Currency)
		}
	}
	return nil
}

// checkCatalogs checks the catalogs of a seed file's items.
func checkCatalogs(items []item) error {
	for _, it := range items {
		if it.Catalog == nil {
			continue
		}
		if err := it.Catalog.check(); err != nil {
			return fmt.Errorf("authentication %q: %w", it.EntrupyID, err)
		}
	}
	return nil
}

// legacyCatalog is the catalog shape of format 1 files: id/display pairs, a
// style name and code, a condition grade and a market's price bands.
type legacyCatalog struct {
	Brand    idDisplay `json:"brand"`
	Category idDisplay `json:"category"`
	Style    struct {
		Name string `json:"name"`
	} `json:"style"`
	Material     *idDisplay `json:"material"`
	Colorway     *string    `json:"colorway"`
	Description  *string    `json:"description"`
	SerialNumber *string    `json:"serial_number"`
	Condition    *struct {
		Grade string  `json:"grade"`
		Notes *string `json:"notes"`
	} `json:"condition"`
}

// upgrade brings a format 1 catalog to the current shape: the display
// strings become the product information, the grade the rating (with no
// score and no issues, which format 1 did not have). Format 1 had price
// bands of one market, not listings: the catalog has none.
func (l legacyCatalog) upgrade() *itemCatalog {
	c := &itemCatalog{
		Product: catalogProduct{
			Brand: strPtr(l.Brand.Display), Category: strPtr(l.Category.Display), Style: strPtr(l.Style.Name),
			Colorway: l.Colorway, Description: l.Description, SerialNumber: l.SerialNumber,
		},
		Listings: []catalogListing{},
	}
	if l.Material != nil {
		c.Product.Material = strPtr(l.Material.Display)
	}
	if l.Condition != nil {
		c.Condition = &catalogAssessment{Rating: l.Condition.Grade, Issues: []string{}, Notes: l.Condition.Notes}
	}
	return c
}

// UnmarshalJSON reads an item of a seed or state file. An item without a
// "catalog" key comes from a file written before catalog data existed (or
// a seed file that leaves it to the emulator): it gets the catalog
// catalogFor gives it. "catalog": null is an item without a match. A
// catalog without "product_information" is in the shape of format 1 files
// and is upgraded.
func (it *item) UnmarshalJSON(b []byte) error {
	type plain item // without this method
	var v struct {
		plain
		Catalog json.RawMessage `json:"catalog"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*it = item(v.plain)
	switch raw := strings.TrimSpace(string(v.Catalog)); raw {
	case "":
		it.Catalog = catalogFor(it)
	case "null":
		it.Catalog = nil
	default:
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(v.Catalog, &keys); err != nil {
			return fmt.Errorf("authentication %q: catalog: %w", it.EntrupyID, err)
		}
		if _, current := keys["product_information"]; !current {
			var old legacyCatalog
			if err := json.Unmarshal(v.Catalog, &old); err != nil {
				return fmt.Errorf("authentication %q: catalog (format 1): %w", it.EntrupyID, err)
			}
			it.Catalog = old.upgrade()
			return nil
		}
		var c itemCatalog
		if err := json.Unmarshal(v.Catalog, &c); err != nil {
			return fmt.Errorf("authentication %q: catalog: %w", it.EntrupyID, err)
		}
		if c.Listings == nil {
			c.Listings = []catalogListing{}
		}
		if c.Condition != nil && c.Condition.Issues == nil {
			c.Condition.Issues = []string{}
		}
		it.Catalog = &c
	}
	return nil
}
