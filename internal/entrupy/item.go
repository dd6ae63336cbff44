package entrupy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The one reader of items. Entrupy sends an item in several shapes
// (CONTRACT.md, "Authentications"), and a field in a shape the client does
// not expect must never fail a read: DecodeItem accepts each published
// shape, reads what it understands of any other, and names what it could
// not read in Item.Unread. GET, lookup and search all read items with it.

// DecodeItem reads one item from raw, a JSON object, into the client's
// model; lang is the request's Accept-Language ("en" when empty), the
// language in which a plain display string is matched to the catalogue's
// ids. The only errors are raw not being a JSON object and an item
// without an entrupy_id (a non-empty string, or a number); a member of any
// other shape is ignored and listed in Item.Unread, unknown members are
// ignored silently.
func DecodeItem(raw []byte, lang string) (Item, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Item{}, fmt.Errorf("an item is not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Item{}, errors.New("an item is not one JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Item{}, fmt.Errorf("an item must be a JSON object, got %s", jsonKind(v))
	}
	r := &itemReader{lang: lang}
	id := r.text(obj, "entrupy_id", "entrupy_id")
	if id == nil || *id == "" {
		return Item{}, errors.New("an item has no entrupy_id")
	}
	it := Item{EntrupyID: *id, Raw: bytes.Clone(raw)}
	it.Owner = r.owner(obj)
	it.Certificate = r.certificate(obj)
	props := r.object(obj, "properties", "properties")
	it.Properties = r.properties(props)
	it.Status = r.status(obj)
	it.TextFields = r.textFields(obj, props)
	it.Timestamp = r.timestamp(obj)
	it.Activity = r.activity(obj)
	it.Images = r.images(obj)
	it.Catalog = r.catalog(obj)
	sort.Strings(r.unread)
	it.Unread = slices.Compact(r.unread)
	return it, nil
}

// UnmarshalJSON reads an item with DecodeItem in English, the API's
// default language; the client's routes call DecodeItem with the language
// of their request.
func (it *Item) UnmarshalJSON(b []byte) error {
	v, err := DecodeItem(b, "")
	if err != nil {
		return err
	}
	*it = v
	return nil
}

// itemReader reads the members of one item, noting each it cannot read.
type itemReader struct {
	lang   string
	unread []string
}

func (r *itemReader) bad(path string) { r.unread = append(r.unread, path) }

// object returns m[key] as an object: nil when absent or null, and nil
// (noted) when it is something else.
func (r *itemReader) object(m map[string]any, key, path string) map[string]any {
	switch v := m[key].(type) {
	case nil:
		return nil
	case map[string]any:
		return v
	default:
		r.bad(path)
		return nil
	}
}

// text returns m[key] as text: a string, or a number as it was written
// (ids and sizes may come as numbers); nil when absent or null, and nil
// (noted) for a boolean, an object or an array.
func (r *itemReader) text(m map[string]any, key, path string) *string {
	switch v := m[key].(type) {
	case nil:
		return nil
	case string:
		return &v
	case json.Number:
		s := v.String()
		return &s
	default:
		r.bad(path)
		return nil
	}
}

// boolean returns m[key] as a boolean; nil when absent or null, and nil
// (noted) otherwise.
func (r *itemReader) boolean(m map[string]any, key, path string) *bool {
	switch v := m[key].(type) {
	case nil:
		return nil
	case bool:
		return &v
	default:
		r.bad(path)
		return nil
	}
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// owner reads names and ids apart: v1.4's organization.name and
// user.username, v2's organization_id and user_id. A plain string where
// v1.4 has an object could be a name or an id, so it is not read.
func (r *itemReader) owner(obj map[string]any) Owner {
	var o Owner
	m := r.object(obj, "owner", "owner")
	if m == nil {
		return o
	}
	if org := r.object(m, "organization", "owner.organization"); org != nil {
		o.OrganizationName = r.text(org, "name", "owner.organization.name")
		o.OrganizationID = r.text(org, "id", "owner.organization.id")
	}
	if user := r.object(m, "user", "owner.user"); user != nil {
		o.Username = r.text(user, "username", "owner.user.username")
		o.UserID = r.text(user, "id", "owner.user.id")
	}
	if o.OrganizationName == nil {
		o.OrganizationName = r.text(m, "organization_name", "owner.organization_name")
	}
	if o.Username == nil {
		o.Username = r.text(m, "username", "owner.username")
	}
	if o.OrganizationID == nil {
		o.OrganizationID = r.text(m, "organization_id", "owner.organization_id")
	}
	if o.UserID == nil {
		o.UserID = r.text(m, "user_id", "owner.user_id")
	}
	return o
}

// certificate reads whichever of certificate_id, site and preview come.
func (r *itemReader) certificate(obj map[string]any) *ItemCertificate {
	m := r.object(obj, "certificate", "certificate")
	if m == nil {
		return nil
	}
	return &ItemCertificate{
		CertificateID: r.text(m, "certificate_id", "certificate.certificate_id"),
		Site:          r.text(m, "site", "certificate.site"),
		Preview:       r.text(m, "preview", "certificate.preview"),
	}
}

// properties reads brand, material and item_type, each an {"id",
// "display"} object or a display string, or (v2) "<name>_name".
func (r *itemReader) properties(m map[string]any) Properties {
	if m == nil {
		return Properties{}
	}
	var p Properties
	p.Brand = r.value(m, "brand", "properties", func(display string) *string { return brandID(display, r.lang) })
	brand := ""
	if p.Brand != nil && p.Brand.ID != nil {
		brand = *p.Brand.ID
	}
	p.Material = r.value(m, "material", "properties", func(display string) *string { return materialID(brand, display, r.lang) })
	p.ItemType = r.value(m, "item_type", "properties", func(string) *string { return nil })
	return p
}

// value reads an enumerated property: an {"id", "display"} object, or a
// display string under key or key+"_name", whose id lookup finds.
func (r *itemReader) value(m map[string]any, key, parent string, lookup func(display string) *string) *ItemValue {
	path := joinPath(parent, key)
	var v *ItemValue
	switch x := m[key].(type) {
	case nil:
		if s := r.text(m, key+"_name", path+"_name"); s != nil {
			v = &ItemValue{Display: s}
		}
	case string, json.Number:
		v = &ItemValue{Display: r.text(m, key, path)}
	case map[string]any:
		v = &ItemValue{ID: r.text(x, "id", path+".id"), Display: r.text(x, "display", path+".display")}
	default:
		r.bad(path)
	}
	if v == nil || (v.ID == nil && v.Display == nil) {
		return nil
	}
	if v.ID == nil {
		v.ID = lookup(*v.Display)
	}
	return v
}

// status reads flag (a string, or an object's id), result and
// initial_result.
func (r *itemReader) status(obj map[string]any) Status {
	var s Status
	m := r.object(obj, "status", "status")
	if m == nil {
		return s
	}
	switch f := m["flag"].(type) {
	case map[string]any:
		s.Flag = r.text(f, "id", "status.flag.id")
	default:
		s.Flag = r.text(m, "flag", "status.flag")
	}
	s.Result = r.result(m, "result")
	s.InitialResult = r.result(m, "initial_result")
	return s
}

// result reads a verdict object, or a bare id.
func (r *itemReader) result(status map[string]any, key string) *Result {
	path := "status." + key
	switch v := status[key].(type) {
	case string, json.Number:
		return &Result{ID: r.text(status, key, path)}
	case map[string]any:
		return &Result{
			ID:      r.text(v, "id", path+".id"),
			Display: r.text(v, "display", path+".display"),
			Final:   r.boolean(v, "final", path+".final"),
			Reason:  r.text(v, "reason", path+".reason"),
		}
	case nil:
		return nil
	default:
		r.bad(path)
		return nil
	}
}

// textFields reads text_fields; customer_item_id also from properties (v2).
func (r *itemReader) textFields(obj, props map[string]any) TextFields {
	var t TextFields
	if m := r.object(obj, "text_fields", "text_fields"); m != nil {
		t = TextFields{
			Identifier:     r.text(m, "identifier", "text_fields.identifier"),
			CustomerItemID: r.text(m, "customer_item_id", "text_fields.customer_item_id"),
			StyleCode:      r.text(m, "style_code", "text_fields.style_code"),
			USSize:         r.text(m, "us_size", "text_fields.us_size"),
		}
	}
	if t.CustomerItemID == nil && props != nil {
		t.CustomerItemID = r.text(props, "customer_item_id", "properties.customer_item_id")
	}
	return t
}

// timestamp reads epoch (integer or fractional seconds), else created_at
// (RFC 3339), else an RFC 3339 display; and last_updated_at or
// updated_at. A bare number or string in place of the object is read as
// the creation time.
func (r *itemReader) timestamp(obj map[string]any) Timestamp {
	var t Timestamp
	switch v := obj["timestamp"].(type) {
	case nil:
	case json.Number, string:
		t.Created = r.instant(v, "timestamp")
	case map[string]any:
		t.Created = r.instant(v["epoch"], "timestamp.epoch")
		if t.Created == nil {
			t.Created = r.instant(v["created_at"], "timestamp.created_at")
		}
		if d, ok := v["display"].(string); ok && t.Created == nil {
			// Human-readable [doc]: read when it is RFC 3339, never an error.
			t.Created = parseInstant(d)
		}
		t.Updated = r.instant(v["last_updated_at"], "timestamp.last_updated_at")
		if t.Updated == nil {
			t.Updated = r.instant(v["updated_at"], "timestamp.updated_at")
		}
	default:
		r.bad("timestamp")
	}
	return t
}

// Instants outside years 1 to 9999 cannot be written in RFC 3339.
const (
	minInstant = -62135596800 // 0001-01-01T00:00:00Z
	maxInstant = 253402300799 // 9999-12-31T23:59:59Z
)

// instant reads a time: seconds since the epoch (a number, or a string of
// one), truncated to whole seconds, or an RFC 3339 string; nil when v is
// nil, and nil (noted) when it is neither.
func (r *itemReader) instant(v any, path string) *time.Time {
	var t *time.Time
	switch x := v.(type) {
	case nil:
		return nil
	case json.Number:
		t = epochInstant(x.String())
	case string:
		if t = parseInstant(x); t == nil {
			t = epochInstant(x)
		}
	}
	if t == nil {
		r.bad(path)
	}
	return t
}

// epochInstant reads seconds since the epoch, integer or fractional
// (truncated), within years 1 to 9999.
func epochInstant(s string) *time.Time {
	var sec int64
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		sec = n
	} else {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f < minInstant || f > maxInstant+1 {
			return nil
		}
		sec = int64(math.Trunc(f))
	}
	if sec < minInstant || sec > maxInstant {
		return nil
	}
	t := time.Unix(sec, 0).UTC()
	return &t
}

// parseInstant reads an RFC 3339 time (fractional seconds allowed),
// truncated to whole seconds, in UTC.
func parseInstant(s string) *time.Time {
	p, err := time.Parse(time.RFC3339, s)
	if err != nil || p.Unix() < minInstant || p.Unix() > maxInstant {
		return nil
	}
	t := time.Unix(p.Unix(), 0).UTC()
	return &t
}

// activity reads name, mode, form_factor and product_category.
func (r *itemReader) activity(obj map[string]any) Activity {
	m := r.object(obj, "activity", "activity")
	if m == nil {
		return Activity{}
	}
	return Activity{
		Name:            r.text(m, "name", "activity.name"),
		Mode:            r.text(m, "mode", "activity.mode"),
		FormFactor:      r.text(m, "form_factor", "activity.form_factor"),
		ProductCategory: r.text(m, "product_category", "activity.product_category"),
	}
}

// images reads null, an array of images, or an object of regions (the v2
// lookup sample sends {}), each region an image object, a URL, or an array
// of them; regions in key order.
func (r *itemReader) images(obj map[string]any) []Image {
	switch v := obj["images"].(type) {
	case nil:
		return nil
	case []any:
		out := []Image{}
		for i, e := range v {
			out = append(out, r.image(e, nil, fmt.Sprintf("images[%d]", i))...)
		}
		return out
	case map[string]any:
		out := []Image{}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			region := k
			out = append(out, r.image(v[k], &region, "images."+k)...)
		}
		return out
	default:
		r.bad("images")
		return nil
	}
}

// image reads one image object, a URL, or (in a region) an array of them;
// region is the region's key, for an image that does not name its own.
func (r *itemReader) image(v any, region *string, path string) []Image {
	switch x := v.(type) {
	case map[string]any:
		img := Image{
			RegionID:   r.text(x, "region_id", path+".region_id"),
			DeviceType: r.text(x, "device_type", path+".device_type"),
			URL:        r.text(x, "url", path+".url"),
		}
		if img.RegionID == nil {
			img.RegionID = region
		}
		return []Image{img}
	case string:
		return []Image{{RegionID: region, URL: &x}}
	case []any:
		if region != nil {
			var out []Image
			for i, e := range x {
				out = append(out, r.image(e, region, fmt.Sprintf("%s[%d]", path, i))...)
			}
			return out
		}
	case nil:
		return nil
	}
	r.bad(path)
	return nil
}

// catalog reads the item's catalog data [chosen shape]; one that does not
// fit the shape is ignored as a whole.
func (r *itemReader) catalog(obj map[string]any) *Catalog {
	m := r.object(obj, "catalog", "catalog")
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	var c Catalog
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		r.bad("catalog")
		return nil
	}
	return &c
}

// brandID is the catalogue's id of the brand whose display string in lang
// is display (case and surrounding spaces aside), or nil.
func brandID(display, lang string) *string {
	for _, b := range Brands {
		if sameDisplay(b.Localized(catalogueLanguage(lang)), display) {
			id := b.ID
			return &id
		}
	}
	return nil
}

// materialID is the id of the material whose display string in lang is
// display: among brand's materials when the brand is known, else among
// every brand's when they agree on one id; or nil.
func materialID(brand, display, lang string) *string {
	var found *string
	for _, b := range Brands {
		if brand != "" && b.ID != brand {
			continue
		}
		for _, m := range b.Materials {
			if !sameDisplay(m.Localized(catalogueLanguage(lang)), display) {
				continue
			}
			if found != nil && *found != m.ID {
				return nil
			}
			id := m.ID
			found = &id
		}
	}
	return found
}

// catalogueLanguage is the catalogue's language for an Accept-Language value.
func catalogueLanguage(lang string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "ja") {
		return "ja"
	}
	return "en"
}

func sameDisplay(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// jsonKind names the JSON type of a decoded value, for errors.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}
