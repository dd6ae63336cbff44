package emulator

// Catalog data: what GET /v2/authentications/{id}?include_catalog=true adds
// to an item [doc] (its shape is [chosen]; see itemCatalog in wire.go).
// The emulator makes it from the item alone (catalogFor), so generated
// items, items of a seed or state file written before catalog data existed,
// and a restarted emulator all agree. A seed file can give an item its own
// catalog, or "catalog": null for an item without a catalog match.
//
// The tables below are plausible, not Entrupy's: a few styles per brand
// with style codes, colourways and US list prices, priced in the item's
// market (the region of the store that authenticated it).

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// catalogCategories are the catalog's category values, with Japanese
// display strings for Accept-Language: ja.
var catalogCategories = []entrupy.Value{
	{ID: "handbag", Display: "Handbag", Ja: "ハンドバッグ"},
	{ID: "wallet", Display: "Wallet", Ja: "財布"},
	{ID: "sneakers", Display: "Sneakers", Ja: "スニーカー"},
	{ID: "tops", Display: "Tops", Ja: "トップス"},
	{ID: "dresses", Display: "Dresses", Ja: "ドレス"},
	{ID: "outerwear", Display: "Outerwear", Ja: "アウター"},
	{ID: "bottoms", Display: "Bottoms", Ja: "ボトムス"},
}

func findCatalogCategory(id string) (entrupy.Value, bool) {
	i := slices.IndexFunc(catalogCategories, func(v entrupy.Value) bool { return v.ID == id })
	if i < 0 {
		return entrupy.Value{}, false
	}
	return catalogCategories[i], true
}

// catalogStyleEntry is one style of the emulator's catalog. retail is the
// US list price in dollars (0: not sold new, retail_price null); resale the
// typical US resale price of a grade A item.
type catalogStyleEntry struct {
	category   string // catalogCategories id
	name, code string
	retail     float64
	resale     float64
	colorways  []string
	itemType   string // apparel: the item_type the style is for
}

// catalogStyles lists each brand's styles (entrupy.Brands ids).
var catalogStyles = map[string][]catalogStyleEntry{
	"hermes": {
		{category: "handbag", name: "Birkin 30", code: "H-BIRKIN30", resale: 21500, colorways: []string{"Gold", "Noir", "Etoupe", "Bleu Nuit"}},
		{category: "handbag", name: "Kelly 28 Sellier", code: "H-KELLY28S", resale: 19800, colorways: []string{"Noir", "Rouge Casaque", "Craie"}},
		{category: "wallet", name: "Bearn Wallet", code: "H-BEARN", retail: 3350, resale: 2600, colorways: []string{"Gold", "Noir"}},
	},
	"chanel": {
		{category: "handbag", name: "Classic Flap Bag Medium", code: "A01112", retail: 10800, resale: 9400, colorways: []string{"Black", "Beige Clair", "Navy"}},
		{category: "handbag", name: "Boy Bag", code: "A67086", retail: 7200, resale: 5100, colorways: []string{"Black", "Dark Grey"}},
	},
	"louis_vuitton": {
		{category: "handbag", name: "Neverfull MM", code: "N41605", retail: 2030, resale: 1650, colorways: []string{"Azur", "Ebene", "Monogram"}},
		{category: "handbag", name: "Speedy Bandoulière 25", code: "M41113", retail: 2200, resale: 1800, colorways: []string{"Monogram", "Ebene"}},
		{category: "wallet", name: "Zippy Wallet", code: "M42616", retail: 1050, resale: 720, colorways: []string{"Monogram", "Noir"}},
	},
	"dior": {
		{category: "handbag", name: "Lady Dior Medium", code: "M0565ONGE", retail: 6500, resale: 4700, colorways: []string{"Black", "Latte", "Cloud Blue"}},
		{category: "handbag", name: "Book Tote Medium", code: "M1296ZRIW", retail: 3650, resale: 2700, colorways: []string{"Blue Dior Oblique", "Ecru"}},
	},
	"goyard": {
		{category: "handbag", name: "Saint Louis PM", code: "STLOUIPMLTY01", retail: 1960, resale: 1900, colorways: []string{"Black/Tan", "Grey", "Green"}},
		{category: "handbag", name: "Artois MM", code: "ARTOISMMLTY01", retail: 3300, resale: 3000, colorways: []string{"Black/Tan", "Navy"}},
	},
	"celine": {
		{category: "handbag", name: "Triomphe Shoulder Bag", code: "188423BF4", retail: 3900, resale: 2900, colorways: []string{"Tan", "Black"}},
		{category: "handbag", name: "Nano Luggage", code: "189243DRU", retail: 2750, resale: 1900, colorways: []string{"Dune", "Black"}},
	},
	"gucci": {
		{category: "handbag", name: "GG Marmont Small Shoulder Bag", code: "443497 DTDIT 1000", retail: 2650, resale: 1500, colorways: []string{"Black", "Dusty Pink"}},
		{category: "handbag", name: "Ophidia GG Medium Tote", code: "631685 96IWB 8745", retail: 2100, resale: 1350, colorways: []string{"Beige/Ebony"}},
		{category: "handbag", name: "Jackie 1961 Small Shoulder Bag", code: "636709 HUHHG 8565", retail: 3200, resale: 2100, colorways: []string{"Beige/Ebony", "Black"}},
	},
	"fendi": {
		{category: "handbag", name: "Baguette", code: "8BR600A72V", retail: 3900, resale: 2500, colorways: []string{"Tobacco", "Black"}},
		{category: "handbag", name: "Peekaboo ISeeU Medium", code: "8BN321ABVL", retail: 6700, resale: 4200, colorways: []string{"Black", "Dove Grey"}},
	},
	"bottega_veneta": {
		{category: "handbag", name: "The Pouch", code: "576227VCP40", retail: 3200, resale: 1800, colorways: []string{"Black", "Parakeet"}},
		{category: "handbag", name: "Cassette", code: "578004VMAY1", retail: 3900, resale: 2400, colorways: []string{"Fondant", "Black"}},
	},
	"yves_saint_laurent": {
		{category: "handbag", name: "Loulou Medium", code: "574946DV727", retail: 2990, resale: 1750, colorways: []string{"Black", "Dark Beige"}},
		{category: "wallet", name: "Cassandre Matelassé Zip Around Wallet", code: "358094BOW01", retail: 895, resale: 450, colorways: []string{"Black"}},
	},
	"burberry": {
		{category: "handbag", name: "TB Bag Small", code: "80170661", retail: 2290, resale: 1150, colorways: []string{"Archive Beige", "Black"}},
		{category: "handbag", name: "Lola Shoulder Bag", code: "80492471", retail: 2350, resale: 1200, colorways: []string{"Black", "Dusky Pink"}},
	},
	"balenciaga": {
		{category: "handbag", name: "Le City Medium", code: "700940210B0", retail: 3100, resale: 1700, colorways: []string{"Black", "Dark Grey"}},
		{category: "handbag", name: "Hourglass Small", code: "5935461QJ4M", retail: 2950, resale: 1500, colorways: []string{"Black", "White"}},
	},
	"chloe": {
		{category: "handbag", name: "Marcie Small Saddle Bag", code: "CHC21US591", retail: 1990, resale: 900, colorways: []string{"Tan", "Black"}},
		{category: "handbag", name: "Woody Tote Medium", code: "CHC22AS383", retail: 1190, resale: 650, colorways: []string{"White/Beige", "Blue"}},
	},
	"prada": {
		{category: "handbag", name: "Re-Edition 2005 Re-Nylon", code: "1BH204R064", retail: 1950, resale: 1300, colorways: []string{"Black", "Pink"}},
		{category: "handbag", name: "Galleria Saffiano Medium", code: "1BA863NZV", retail: 4300, resale: 2300, colorways: []string{"Black", "Caramel"}},
	},
	"coach": {
		{category: "handbag", name: "Tabby Shoulder Bag 26", code: "76105", retail: 450, resale: 260, colorways: []string{"Black", "Chalk"}},
		{category: "handbag", name: "Willow Tote", code: "C0689", retail: 495, resale: 240, colorways: []string{"Brass/Black", "Sand"}},
	},
	"nike": {
		{category: "sneakers", name: "Dunk Low Retro", code: "DD1391-100", retail: 115, resale: 125, colorways: []string{"White/Black"}},
		{category: "sneakers", name: "Air Force 1 '07", code: "CW2288-111", retail: 115, resale: 95, colorways: []string{"White/White"}},
		{category: "sneakers", name: "Air Max 1 '86 OG", code: "DQ3989-100", retail: 150, resale: 170, colorways: []string{"White/University Red"}},
	},
	"jordan": {
		{category: "sneakers", name: "Air Jordan 1 Retro High OG", code: "DZ5485-612", retail: 180, resale: 210, colorways: []string{"Varsity Red/Black/Sail"}},
		{category: "sneakers", name: "Air Jordan 4 Retro", code: "FV5029-141", retail: 215, resale: 260, colorways: []string{"White/Military Blue/Neutral Grey"}},
		{category: "sneakers", name: "Air Jordan 11 Retro", code: "CT8012-170", retail: 230, resale: 240, colorways: []string{"White/Black/Gym Red"}},
	},
	"adidas": {
		{category: "sneakers", name: "Samba OG", code: "B75806", retail: 100, resale: 110, colorways: []string{"Cloud White/Core Black/Clear Granite"}},
		{category: "sneakers", name: "Gazelle Indoor", code: "IG4999", retail: 120, resale: 135, colorways: []string{"Blue Fusion/Cloud White/Gum"}},
	},
	"yeezy": {
		{category: "sneakers", name: "Yeezy Boost 350 V2", code: "CP9652", resale: 290, colorways: []string{"Core Black/Red"}},
		{category: "sneakers", name: "Yeezy Foam Runner", code: "GV7904", resale: 120, colorways: []string{"MX Cream Clay"}},
		{category: "sneakers", name: "Yeezy Slide", code: "FZ5897", resale: 95, colorways: []string{"Bone"}},
	},
	"new_balance": {
		{category: "sneakers", name: "550", code: "BB550WT1", retail: 110, resale: 115, colorways: []string{"White/Green"}},
		{category: "sneakers", name: "990v6 Made in USA", code: "M990GL6", retail: 200, resale: 185, colorways: []string{"Grey"}},
	},
	"essentials": {
		{category: "tops", itemType: "tops", name: "Essentials Hoodie", code: "192BT212050F", retail: 100, resale: 90, colorways: []string{"Light Oatmeal", "Black", "Jade Ash"}},
		{category: "tops", itemType: "tops", name: "Essentials Crewneck T-Shirt", code: "125SP212000F", retail: 50, resale: 45, colorways: []string{"Dark Oatmeal", "Black"}},
		{category: "outerwear", itemType: "outerwear", name: "Essentials Puffer Jacket", code: "130HO244100F", retail: 250, resale: 190, colorways: []string{"Iron", "Black"}},
		{category: "outerwear", itemType: "outerwear", name: "Essentials Textured Nylon Trucker Jacket", code: "130SP242100F", retail: 180, resale: 130, colorways: []string{"Desert Sand"}},
		{category: "dresses", itemType: "dresses", name: "Essentials Tee Dress", code: "260SP242000F", retail: 110, resale: 70, colorways: []string{"Heather Grey"}},
		{category: "bottoms", itemType: "bottoms", name: "Essentials Sweatpants", code: "130BT212000F", retail: 90, resale: 80, colorways: []string{"Light Oatmeal", "Dark Heather Oatmeal"}},
	},
}

// catalogMarketEntry is a region with its currency, a US dollar rate and the
// unit prices are rounded to.
type catalogMarketEntry struct {
	region, currency string
	rate, unit       float64
	stores           []string // username parts of the stores in the region
}

// catalogMarkets are the regions the emulator prices in [chosen].
var catalogMarkets = []catalogMarketEntry{
	{region: "US", currency: "USD", rate: 1, unit: 5, stores: []string{"nyc", "warehouse"}},
	{region: "EU", currency: "EUR", rate: 0.92, unit: 5, stores: []string{"paris", "berlin", "milan"}},
	{region: "JP", currency: "JPY", rate: 150, unit: 100, stores: []string{"tokyo", "osaka"}},
	{region: "GB", currency: "GBP", rate: 0.79, unit: 5, stores: []string{"london", "reseller"}},
	{region: "HK", currency: "HKD", rate: 7.8, unit: 10, stores: []string{"hongkong", "auditor"}},
}

// gradeFactors price a grade against a grade A item; gradeNotes describe
// a grade per product category ("" is no notes).
var (
	gradeFactors = map[string]float64{"A": 1, "B": 0.85, "C": 0.7, "D": 0.5}
	gradeNotes   = map[string]map[string][]string{
		entrupy.CategoryLuxury: {
			"A": {"Pristine, with dust bag.", ""},
			"B": {"Light wear on the corners.", "Faint scratches on the hardware.", ""},
			"C": {"Visible wear on the corners and edges."},
			"D": {"Heavy wear; stains on the lining."},
		},
		entrupy.CategorySneakers: {
			"A": {"Deadstock, with the original box.", ""},
			"B": {"Worn once or twice; light creasing.", ""},
			"C": {"Creasing and sole wear."},
			"D": {"Heavy creasing; sole separation."},
		},
		entrupy.CategoryApparel: {
			"A": {"New with tags.", ""},
			"B": {"Lightly worn; no pilling.", ""},
			"C": {"Visible pilling and fading."},
			"D": {"Stains and small holes."},
		},
	}
)

// catalogHash is a deterministic number for an item and a purpose.
func catalogHash(id, salt string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id + "\x00" + salt))
	return int(h.Sum32() & 0x7fffffff)
}

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
		Brand:    idDisplay{ID: brand.ID, Display: brand.Display},
		Category: idDisplay{ID: category.ID, Display: category.Display},
		Style:    catalogStyle{Name: style.name, Code: style.code},
	}
	colorway := style.colorways[catalogHash(id, "colorway")%len(style.colorways)]
	if m := it.Properties.Material; m != nil && brand.ProductCategory == entrupy.CategoryLuxury {
		c.Material = &idDisplay{ID: m.ID, Display: m.Display}
	}
	if brand.ProductCategory != entrupy.CategoryLuxury || catalogHash(id, "colorway?")%5 != 0 {
		c.Colorway = &colorway
	}
	if catalogHash(id, "description")%4 != 3 {
		d := fmt.Sprintf("%s %s in %s", brand.Display, style.name, strings.ToLower(colorway))
		if c.Material != nil {
			d += " " + c.Material.Display
		}
		d += "."
		c.Description = &d
	}
	if brand.ProductCategory == entrupy.CategoryLuxury && it.TextFields.Identifier != nil {
		s := *it.TextFields.Identifier
		c.SerialNumber = &s
	}
	grade := ""
	if it.Activity.Name != "fingerprint" {
		grade = entrupy.CatalogGrades[catalogHash(id, "grade")%len(entrupy.CatalogGrades)]
		c.Condition = &catalogCondition{Grade: grade}
		if notes := gradeNotes[brand.ProductCategory][grade]; len(notes) > 0 {
			if n := notes[catalogHash(id, "notes")%len(notes)]; n != "" {
				c.Condition.Notes = &n
			}
		}
	}
	if catalogHash(id, "market")%9 != 4 {
		c.Market = catalogPrices(it, style, grade)
	}
	return c
}

// catalogPrices prices a style in the market of the store that
// authenticated the item (by its username), or of a market picked from the
// item's id for other users.
func catalogPrices(it *item, style catalogStyleEntry, grade string) *catalogMarket {
	id := it.EntrupyID
	mk := catalogMarkets[catalogHash(id, "region")%len(catalogMarkets)]
	user := strings.ToLower(it.Owner.User.Username)
	for _, m := range catalogMarkets {
		if slices.ContainsFunc(m.stores, func(s string) bool { return strings.Contains(user, s) }) {
			mk = m
			break
		}
	}
	price := func(usd float64) *float64 {
		v := math.Round(usd*mk.rate/mk.unit) * mk.unit
		return &v
	}
	out := &catalogMarket{Region: mk.region, Currency: mk.currency}
	if style.retail > 0 {
		out.RetailPrice = price(style.retail)
	}
	if catalogHash(id, "sales")%11 != 0 { // otherwise too few sales for a range
		f := 0.9
		if grade != "" {
			f = gradeFactors[grade]
		}
		out.ResaleLow = price(style.resale * f * 0.85)
		out.ResaleHigh = price(style.resale * f * 1.15)
	}
	return out
}

// renderCatalog copies an item's catalog for an answer, with the brand and
// category display strings in the caller's language.
func renderCatalog(c *itemCatalog, lang string) *itemCatalog {
	if c == nil {
		return nil
	}
	out := *c
	if b, ok := findBrand(c.Brand.ID); ok {
		out.Brand.Display = b.Localized(lang)
	}
	if v, ok := findCatalogCategory(c.Category.ID); ok {
		out.Category.Display = v.Localized(lang)
	}
	out.Material = clonePtr(c.Material)
	out.Colorway = clonePtr(c.Colorway)
	out.Description = clonePtr(c.Description)
	out.SerialNumber = clonePtr(c.SerialNumber)
	if c.Condition != nil {
		out.Condition = &catalogCondition{Grade: c.Condition.Grade, Notes: clonePtr(c.Condition.Notes)}
	}
	if m := c.Market; m != nil {
		out.Market = &catalogMarket{
			Region: m.Region, Currency: m.Currency,
			RetailPrice: clonePtr(m.RetailPrice), ResaleLow: clonePtr(m.ResaleLow), ResaleHigh: clonePtr(m.ResaleHigh),
		}
	}
	return &out
}

// check reports what in a seed file's catalog the contract does not allow.
func (c *itemCatalog) check() error {
	switch {
	case c.Brand.ID == "":
		return fmt.Errorf("catalog.brand.id is empty")
	case c.Category.ID == "":
		return fmt.Errorf("catalog.category.id is empty")
	case c.Material != nil && c.Material.ID == "":
		return fmt.Errorf("catalog.material.id is empty; use null for none")
	case c.Condition != nil && !slices.Contains(entrupy.CatalogGrades, c.Condition.Grade):
		return fmt.Errorf("catalog.condition.grade is %q; want one of %s", c.Condition.Grade, strings.Join(entrupy.CatalogGrades, ", "))
	}
	if m := c.Market; m != nil {
		if m.Region == "" {
			return fmt.Errorf("catalog.market.region is empty")
		}
		if len(m.Currency) != 3 || strings.ToUpper(m.Currency) != m.Currency {
			return fmt.Errorf("catalog.market.currency is %q; want an ISO 4217 code such as USD", m.Currency)
		}
		for name, p := range map[string]*float64{"retail_price": m.RetailPrice, "resale_low": m.ResaleLow, "resale_high": m.ResaleHigh} {
			if p != nil && (*p < 0 || math.IsInf(*p, 0) || math.IsNaN(*p)) {
				return fmt.Errorf("catalog.market.%s is %v; want a price ≥ 0 or null", name, *p)
			}
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

// UnmarshalJSON reads an item of a seed or state file. An item without a
// "catalog" key comes from a file written before catalog data existed (or
// a seed file that leaves it to the emulator): it gets the catalog
// catalogFor gives it. "catalog": null is an item without a match.
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
		var c itemCatalog
		if err := json.Unmarshal(v.Catalog, &c); err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
		it.Catalog = &c
	}
	return nil
}
