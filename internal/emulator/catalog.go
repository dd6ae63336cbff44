package emulator

import "github.com/entrupy/terraform-provider-entrupy/internal/entrupy"

// Identifiers and page sizes only the emulator makes or applies [chosen
// unless marked]; the client takes what the API gives.
const (
	certificateIDPrefix = "C-"                        // as in the contract's example
	certificateSiteBase = "https://cert.entrupy.com/" // [doc] as in the contract's example
	eventIDPrefix       = "evt_"                      // webhook delivery ids
	transferIDPrefix    = "tr_"
	transfersSuffix     = "/transfers"         // POST /v2/certificates/{certificate_id}/transfers
	searchDefaultLimit  = 10                   // [doc] the search "limit" when none is sent
	listPageSize        = entrupy.ListPageSize // GET list routes
)

// findBrand returns the catalogue's brand with this id.
func findBrand(id string) (entrupy.Brand, bool) {
	for _, b := range entrupy.Brands {
		if b.ID == id {
			return b, true
		}
	}
	return entrupy.Brand{}, false
}

// findResult returns the catalogue's result with this id.
func findResult(id string) (entrupy.Value, bool) {
	for _, r := range entrupy.Results {
		if r.ID == id {
			return r, true
		}
	}
	return entrupy.Value{}, false
}

// findMaterial returns a brand's material with this id.
func findMaterial(brandID, materialID string) (entrupy.Value, bool) {
	b, ok := findBrand(brandID)
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
