package entrupy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// TestDecodeItemShapes: each shape a member may come in, published or not,
// reads into the model or is ignored and named in Unread; never an error.
func TestDecodeItemShapes(t *testing.T) {
	t.Parallel()
	epoch := func(sec int64) *time.Time { v := time.Unix(sec, 0).UTC(); return &v }
	for _, tc := range []struct {
		name   string
		item   string // members beside "entrupy_id": "E"
		check  func(it entrupy.Item) bool
		unread string // Unread joined by ","
	}{
		{
			"integer epoch", `"timestamp": {"epoch": 1777629600}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1777629600)) }, "",
		},
		{
			"fractional epoch, truncated", `"timestamp": {"epoch": 1566879268.942735, "display": "someday"}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1566879268)) }, "",
		},
		{
			"epoch as a string", `"timestamp": {"epoch": "1777629600"}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1777629600)) }, "",
		},
		{
			"created_at with an offset and fraction", `"timestamp": {"created_at": "2026-05-01T12:00:00.75+02:00", "updated_at": 1777633200}`,
			func(it entrupy.Item) bool {
				return it.Timestamp.Created.Equal(*epoch(1777629600)) && it.Timestamp.Updated.Equal(*epoch(1777633200))
			}, "",
		},
		{
			"a bare timestamp", `"timestamp": "2026-05-01T10:00:00Z"`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1777629600)) }, "",
		},
		{
			"an RFC 3339 display alone", `"timestamp": {"display": "2026-05-01T10:00:00Z"}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1777629600)) }, "",
		},
		{
			"an unreadable epoch, created_at used", `"timestamp": {"epoch": true, "created_at": "2026-05-01T10:00:00Z"}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created.Equal(*epoch(1777629600)) }, "timestamp.epoch",
		},
		{
			"an epoch beyond year 9999", `"timestamp": {"epoch": 1e400, "last_updated_at": "soon"}`,
			func(it entrupy.Item) bool { return it.Timestamp.Created == nil && it.Timestamp.Updated == nil }, "timestamp.epoch,timestamp.last_updated_at",
		},
		{
			"a timestamp array", `"timestamp": [1]`,
			func(it entrupy.Item) bool { return it.Timestamp.Created == nil }, "timestamp",
		},
		{
			"brand_name beside a brand object", `"properties": {"brand": {"id": "gucci"}, "brand_name": "Chanel"}`,
			func(it entrupy.Item) bool {
				return *it.Properties.Brand.ID == "gucci" && it.Properties.Brand.Display == nil
			}, "",
		},
		{
			"a brand the catalogue lacks", `"properties": {"brand": " Acme Couture "}`,
			func(it entrupy.Item) bool {
				return it.Properties.Brand.ID == nil && *it.Properties.Brand.Display == " Acme Couture "
			}, "",
		},
		{
			"a brand in another case", `"properties": {"brand_name": "louis vuitton", "material": "Monogram Canvas"}`,
			func(it entrupy.Item) bool {
				return *it.Properties.Brand.ID == "louis_vuitton" && *it.Properties.Material.ID == "monogram_canvas"
			}, "",
		},
		{
			"a material shared by brands under other ids", `"properties": {"material": "Leather"}`,
			func(it entrupy.Item) bool { return *it.Properties.Material.ID == "leather" }, "",
		},
		{
			"an item type string", `"properties": {"item_type": "Tops"}`,
			func(it entrupy.Item) bool {
				return it.Properties.ItemType.ID == nil && *it.Properties.ItemType.Display == "Tops"
			}, "",
		},
		{
			"a brand array", `"properties": {"brand": ["gucci"], "customer_item_id": 1234}`,
			func(it entrupy.Item) bool {
				return it.Properties.Brand == nil && *it.TextFields.CustomerItemID == "1234"
			}, "properties.brand",
		},
		{
			"properties an array", `"properties": []`,
			func(it entrupy.Item) bool { return it.Properties.Brand == nil }, "properties",
		},
		{
			"text_fields customer_item_id wins over properties", `"text_fields": {"customer_item_id": "A", "us_size": 10.5}, "properties": {"customer_item_id": "B"}`,
			func(it entrupy.Item) bool {
				return *it.TextFields.CustomerItemID == "A" && *it.TextFields.USSize == "10.5"
			}, "",
		},
		{
			"owner names and ids apart", `"owner": {"organization": {"name": "Acme", "id": 7}, "user": {"username": "Acme-u"}, "user_id": "U1"}`,
			func(it entrupy.Item) bool {
				o := it.Owner
				return *o.OrganizationName == "Acme" && *o.OrganizationID == "7" && *o.Username == "Acme-u" && *o.UserID == "U1"
			}, "",
		},
		{
			"an owner organization given as a string", `"owner": {"organization": "ORG_1", "username": "Acme-u"}`,
			func(it entrupy.Item) bool {
				return it.Owner.OrganizationName == nil && it.Owner.OrganizationID == nil && *it.Owner.Username == "Acme-u"
			}, "owner.organization",
		},
		{
			"a flag object", `"status": {"flag": {"id": "resolved", "is_flaggable": false}, "result": "authentic"}`,
			func(it entrupy.Item) bool {
				return *it.Status.Flag == "resolved" && *it.Status.Result.ID == "authentic"
			}, "",
		},
		{
			"a flag object without id", `"status": {"flag": {"is_flaggable": true}}`,
			func(it entrupy.Item) bool { return it.Status.Flag == nil }, "",
		},
		{
			"a result whose final is a string", `"status": {"result": {"id": "unknown", "final": "yes"}, "initial_result": null}`,
			func(it entrupy.Item) bool {
				return *it.Status.Result.ID == "unknown" && it.Status.Result.Final == nil && it.Status.InitialResult == nil
			}, "status.result.final",
		},
		{"images null", `"images": null`, func(it entrupy.Item) bool { return it.Images == nil }, ""},
		{"images []", `"images": []`, func(it entrupy.Item) bool { return it.Images != nil && len(it.Images) == 0 }, ""},
		{"images {}", `"images": {}`, func(it entrupy.Item) bool { return it.Images != nil && len(it.Images) == 0 }, ""},
		{
			"images by region", `"images": {"front": "https://i/f.jpg", "back": [{"device_type": "camera", "url": "https://i/b.jpg"}, 5], "tag": {"region_id": "tag_x"}}`,
			func(it entrupy.Item) bool {
				return len(it.Images) == 3 && *it.Images[0].RegionID == "back" && *it.Images[0].DeviceType == "camera" &&
					*it.Images[1].RegionID == "front" && *it.Images[1].URL == "https://i/f.jpg" && *it.Images[2].RegionID == "tag_x"
			}, "images.back[1]",
		},
		{"images a string", `"images": "none"`, func(it entrupy.Item) bool { return it.Images == nil }, "images"},
		{
			"a catalog of another shape", `"catalog": {"marketplace_listings": {"a": 1}}`,
			func(it entrupy.Item) bool { return it.Catalog == nil }, "catalog",
		},
		{
			"a certificate with an id only", `"certificate": {"certificate_id": 101}`,
			func(it entrupy.Item) bool {
				return *it.Certificate.CertificateID == "101" && it.Certificate.Site == nil
			}, "",
		},
		{
			"a certificate as a URL", `"certificate": "https://cert.entrupy.com/E"`,
			func(it entrupy.Item) bool { return it.Certificate == nil }, "certificate",
		},
		{
			"activity of open values", `"activity": {"name": "inspection", "mode": "standard_authentication", "form_factor": "hologram", "product_category": "watches"}`,
			func(it entrupy.Item) bool {
				a := it.Activity
				return *a.Name == "inspection" && *a.Mode == "standard_authentication" && *a.FormFactor == "hologram" && *a.ProductCategory == "watches"
			}, "",
		},
		{"unknown members", `"fingerprint_parent": null, "x": {"y": [1]}`, func(entrupy.Item) bool { return true }, ""},
	} {
		raw := `{"entrupy_id": "E", ` + tc.item + `}`
		it, err := entrupy.DecodeItem([]byte(raw), "en")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := strings.Join(it.Unread, ","); got != tc.unread || !tc.check(it) {
			t.Errorf("%s: read %s, unread %q (want %q)", tc.name, wireJSONText(wireModel(it)), got, tc.unread)
		}
	}
}

// TestDecodeItemRefuses: what is not an item with an entrupy_id is an
// error; a number is an id.
func TestDecodeItemRefuses(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{``, `null`, `[]`, `"E"`, `{}`, `{"entrupy_id": ""}`, `{"entrupy_id": null}`, `{"entrupy_id": {"id": "E"}}`, `{"entrupy_id": "E"} {}`, `{"entrupy_id": "E"`} {
		if it, err := entrupy.DecodeItem([]byte(raw), "en"); err == nil {
			t.Errorf("%s read as %+v", raw, it)
		}
	}
	it, err := entrupy.DecodeItem([]byte(`{"entrupy_id": 1234}`), "en")
	if err != nil || it.EntrupyID != "1234" {
		t.Errorf("a numeric entrupy_id: %+v %v", it, err)
	}
}
