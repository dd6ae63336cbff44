package entrupy

// The value listing of the API data model v1.4 (seeds/001). One table serves
// the emulator (display strings; its lookups are its own), the provider's
// validators and the entrupy_catalog data source. The API may add values at any time [doc]:
// decoding never rejects an unknown value; only user input is validated.

// Value is an enumerated id with its display strings.
type Value struct {
	ID      string
	Display string // English
	Ja      string // Japanese, for Accept-Language: ja; "" falls back to Display
}

// Localized returns the display string for lang ("en" or "ja").
func (v Value) Localized(lang string) string {
	if lang == "ja" && v.Ja != "" {
		return v.Ja
	}
	return v.Display
}

// Brand is a brand with the materials it can be authenticated in.
type Brand struct {
	Value
	ProductCategory string
	Materials       []Value // luxury only
}

// Product categories [doc].
const (
	CategoryLuxury   = "luxury"
	CategorySneakers = "sneakers"
	CategoryApparel  = "apparel"
)

// ProductCategories lists activity.product_category values [doc].
var ProductCategories = []string{CategoryLuxury, CategorySneakers, CategoryApparel}

// FormFactors lists activity.form_factor values [doc].
var FormFactors = []string{"microscopic", "lightbox", "free_camera"}

// Flags lists the non-null status.flag values [doc].
var Flags = []string{"flagged", "resolved"}

// ActivityNames lists activity.name values [doc].
var ActivityNames = []string{"authentication", "fingerprint"}

// FingerprintModes lists activity.mode values of fingerprint items [doc].
var FingerprintModes = []string{"register", "compare"}

// Results lists status.result values [doc].
var Results = []Value{
	{"authentic", "Authentic", "本物"},
	{"unidentified", "Unidentified", "判定不能"},
	{"no_decision", "Unable to Determine", "判定できません"},
	{"error_processing", "Error Processing", "処理エラー"},
	{"invalid", "Invalid", "無効"},
	{"registered", "Registered", "登録済み"},
	{"match", "Match", "一致"},
	{"no_match", "No Match", "不一致"},
}

// InvalidReasons lists status.result.reason values of invalid items [doc].
var InvalidReasons = []string{"image_quality", "item_not_supported", "damaged_item", "test_submission", "other"}

func mats(pairs ...string) []Value {
	out := make([]Value, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Value{ID: pairs[i], Display: pairs[i+1]})
	}
	return out
}

// Brands lists every brand by product category [doc].
var Brands = []Brand{
	{Value{"hermes", "Hermès", "エルメス"}, CategoryLuxury, mats("clemence_leather", "Clemence Leather", "togo_leather", "Togo Leather", "epsom_leather", "Epsom Leather", "box_calf_leather", "Box Calf Leather", "other", "Other")},
	{Value{"chanel", "Chanel", "シャネル"}, CategoryLuxury, mats("smooth_leather", "Calfskin/Lambskin Leather", "caviar_leather", "Caviar Leather", "patent_leather", "Patent Leather", "other", "Other")},
	{Value{"louis_vuitton", "Louis Vuitton", "ルイ・ヴィトン"}, CategoryLuxury, mats("monogram_canvas", "Monogram Canvas", "damier_ebene_canvas", "Damier Ebene Canvas", "damier_azur_canvas", "Damier Azur Canvas", "damier_graphite_canvas", "Damier Graphite Canvas", "epi_leather", "Epi Leather", "epi_electric_leather", "Epi Electric Leather", "monogram_vernis_leather", "Monogram Vernis Leather", "monogram_mat_leather", "Monogram Mat Leather", "monogram_empreinte_leather", "Monogram Empreinte Leather", "multicolore_canvas", "Multicolore Canvas", "other", "Other")},
	{Value{"dior", "Dior", "ディオール"}, CategoryLuxury, mats("canvas", "Canvas", "coated_canvas", "Coated Canvas", "leather", "Leather", "patent_leather", "Patent Leather", "other", "Other")},
	{Value{"goyard", "Goyard", "ゴヤール"}, CategoryLuxury, mats("goyardine_canvas", "Goyardine Canvas")},
	{Value{"celine", "Céline", "セリーヌ"}, CategoryLuxury, mats("other", "Other")},
	{Value{"gucci", "Gucci", "グッチ"}, CategoryLuxury, mats("gg_canvas", "GG Canvas", "gg_supreme_canvas", "GG Supreme Canvas", "guccissima_leather", "Guccissima Leather", "other", "Other")},
	{Value{"fendi", "Fendi", "フェンディ"}, CategoryLuxury, mats("canvas", "Canvas", "coated_canvas", "Coated Canvas", "leather", "Leather", "other", "Other")},
	{Value{"bottega_veneta", "Bottega Veneta", "ボッテガ・ヴェネタ"}, CategoryLuxury, mats("leather", "Leather", "rubberized_canvas", "Rubberized Canvas", "other", "Other")},
	{Value{"yves_saint_laurent", "Saint Laurent", "サンローラン"}, CategoryLuxury, mats("leather", "Leather", "other", "Other")},
	{Value{"burberry", "Burberry", "バーバリー"}, CategoryLuxury, mats("canvas", "Canvas", "coated_canvas", "Coated Canvas", "leather", "Leather", "other", "Other")},
	{Value{"balenciaga", "Balenciaga", "バレンシアガ"}, CategoryLuxury, mats("lambskin_leather", "Lambskin Leather", "goatskin_leather", "Goatskin Leather", "other", "Other")},
	{Value{"chloe", "Chloé", "クロエ"}, CategoryLuxury, mats("smooth_leather", "Smooth Leather", "grained_leather", "Grained Leather", "other", "Other")},
	{Value{"prada", "Prada", "プラダ"}, CategoryLuxury, mats("saffiano_leather", "Saffiano Leather", "nylon", "Nylon", "other", "Other")},
	{Value{"coach", "Coach", "コーチ"}, CategoryLuxury, mats("leather", "Leather", "canvas", "Canvas", "coated_canvas", "Coated Canvas", "signature_jacquard", "Signature Jacquard", "other", "Other")},
	{Value{"nike", "Nike", "ナイキ"}, CategorySneakers, nil},
	{Value{"jordan", "Jordan", "ジョーダン"}, CategorySneakers, nil},
	{Value{"adidas", "Adidas", "アディダス"}, CategorySneakers, nil},
	{Value{"yeezy", "Yeezy", "イージー"}, CategorySneakers, nil},
	{Value{"new_balance", "New Balance", "ニューバランス"}, CategorySneakers, nil},
	{Value{"essentials", "Essentials", "エッセンシャルズ"}, CategoryApparel, nil},
}

// BrandIDs lists every brand id, in the table's order.
func BrandIDs() []string {
	ids := make([]string, len(Brands))
	for i, b := range Brands {
		ids[i] = b.ID
	}
	return ids
}

// ResultIDs lists every result id, in the table's order.
func ResultIDs() []string {
	ids := make([]string, len(Results))
	for i, r := range Results {
		ids[i] = r.ID
	}
	return ids
}
