package emulator

// Item shapes: the emulator can answer GET, lookup and search in the shapes
// Entrupy's own pages publish beside the contract's v1.4 data model
// (CONTRACT.md, "Authentications"), so that what reads items is tried
// against each of them (Options.ItemShapes, -item-shapes). The emulator
// keeps its items in the v1.4 model and writes them out in the shape asked
// for. Webhook deliveries and certificates keep the contract's shape.
//
// Where a published sample shows a member, the shape writes it as the
// sample does; members the samples do not show are written as the v1.4
// model has them (a v2 item still says its result's reason and its form
// factor). What no page shows is chosen here and marked so: the owner's ids,
// a v2 material as "material_name", and images of a v2 lookup-shaped item
// as an object of regions.

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Item shapes (Options.ItemShapes).
const (
	// ShapeContract is the v1.4 data model of the contract (the default).
	ShapeContract = "contract"
	// ShapeV2Get is the shape of the v2 reference's GET sample [doc]:
	// properties.brand_name and customer_item_id, timestamp.created_at,
	// owner ids, status.initial_result, results without display.
	ShapeV2Get = "v2-get"
	// ShapeV2Lookup is the shape of the v2 reference's lookup sample [doc]:
	// properties.brand a display string, timestamp.created_at and
	// last_updated_at, images an object, fingerprint_parent.
	ShapeV2Lookup = "v2-lookup"
	// ShapeV1Epoch is the v1.4 model with a fractional timestamp.epoch and
	// a display with microseconds, as the v0→v1 migration guide shows [doc].
	ShapeV1Epoch = "v1-epoch"
	// ShapeSDKFlag is the v1.4 model whose status.flag, when set, is the
	// SDKs' object {"id", "is_flaggable", "flag_info"} [doc: iOS SDK].
	ShapeSDKFlag = "sdk-flag"
	// ShapesMixed answers each item in one of the shapes above, the same
	// one every time (chosen from its entrupy_id).
	ShapesMixed = "mixed"
)

// ItemShapes lists the values of Options.ItemShapes, mixed last.
var ItemShapes = []string{ShapeContract, ShapeV2Get, ShapeV2Lookup, ShapeV1Epoch, ShapeSDKFlag, ShapesMixed}

// checkItemShapes accepts "" (the contract's) or one of ItemShapes.
func checkItemShapes(s string) error {
	if s == "" || slices.Contains(ItemShapes, s) {
		return nil
	}
	return fmt.Errorf("emulator: item shapes %q: want one of %s", s, strings.Join(ItemShapes, ", "))
}

// ItemShape returns the shape the emulator answers an item in.
func (s *Server) ItemShape(entrupyID string) string {
	switch s.opts.ItemShapes {
	case "":
		return ShapeContract
	case ShapesMixed:
		h := fnv.New32a()
		_, _ = h.Write([]byte(entrupyID))
		shapes := ItemShapes[:len(ItemShapes)-1]
		return shapes[h.Sum32()%uint32(len(shapes))]
	}
	return s.opts.ItemShapes
}

// shaped writes out an item (already rendered for the request's language,
// images and catalog) in the shape the emulator answers it in.
func (s *Server) shaped(it item, withCatalog bool) any {
	switch s.ItemShape(it.EntrupyID) {
	case ShapeV2Get:
		return v2GetItem(it, s.opts.Organization, withCatalog)
	case ShapeV2Lookup:
		return v2LookupItem(it, s.opts.Organization, withCatalog)
	case ShapeV1Epoch:
		return v1EpochItem(it)
	case ShapeSDKFlag:
		return sdkFlagItem(it)
	}
	return it
}

// v2Result is a result of the v2 samples: {"id", "final"}, with the
// reason on invalid items (as the v1.4 model has it).
type v2Result struct {
	ID     string  `json:"id"`
	Final  bool    `json:"final"`
	Reason *string `json:"reason,omitempty"`
}

// v2Status is "status" of the v2 samples: {"result", "initial_result",
// "flag"}.
type v2Status struct {
	Result        v2Result `json:"result"`
	InitialResult v2Result `json:"initial_result"`
	Flag          *string  `json:"flag"`
}

// v2Owner is "owner" of the v2 samples: {"organization_id", "user_id"}.
type v2Owner struct {
	OrganizationID string `json:"organization_id"`
	UserID         string `json:"user_id"`
}

// v2Text is "text_fields" of a v2 item: customer_item_id moved to
// properties.
type v2Text struct {
	Identifier *string `json:"identifier,omitempty"`
	StyleCode  *string `json:"style_code,omitempty"`
	USSize     *string `json:"us_size,omitempty"`
}

// v2GetProps is "properties" of the GET sample: {"customer_item_id",
// "brand_name", "category_name"}; material_name and item_type_name
// [chosen] after brand_name.
type v2GetProps struct {
	CustomerItemID *string `json:"customer_item_id"`
	BrandName      *string `json:"brand_name"`
	MaterialName   *string `json:"material_name,omitempty"`
	ItemTypeName   *string `json:"item_type_name,omitempty"`
	CategoryName   *string `json:"category_name,omitempty"`
}

// v2GetTime is "timestamp" of the GET sample: {"created_at"}.
type v2GetTime struct {
	CreatedAt string `json:"created_at"`
}

// v2GetShape is an item in the shape of the GET sample.
type v2GetShape struct {
	EntrupyID   string       `json:"entrupy_id"`
	Timestamp   v2GetTime    `json:"timestamp"`
	Status      v2Status     `json:"status"`
	Activity    v2Activity   `json:"activity"`
	Properties  v2GetProps   `json:"properties"`
	Owner       v2Owner      `json:"owner"`
	Certificate *itemCertRef `json:"certificate"`
	TextFields  v2Text       `json:"text_fields"`
	Images      []itemImage  `json:"images"`
	Catalog     *itemCatalog `json:"catalog"`
}

// v2Activity is "activity" of a v2 item: mode "standard_authentication"
// for authentications, as the samples show.
type v2Activity struct {
	Name            string  `json:"name"`
	Mode            string  `json:"mode"`
	FormFactor      string  `json:"form_factor"`
	ProductCategory *string `json:"product_category"`
}

// v2LookupProps is "properties" of the lookup sample: {"customer_item_id",
// "brand", "category"}, brand a display string; material and item_type
// likewise [chosen].
type v2LookupProps struct {
	CustomerItemID *string `json:"customer_item_id"`
	Brand          *string `json:"brand"`
	Material       *string `json:"material,omitempty"`
	ItemType       *string `json:"item_type,omitempty"`
	Category       *string `json:"category,omitempty"`
}

// v2LookupTime is "timestamp" of the lookup sample: {"created_at",
// "last_updated_at"}.
type v2LookupTime struct {
	CreatedAt     string `json:"created_at"`
	LastUpdatedAt string `json:"last_updated_at"`
}

// v2RegionImage is one image of a region in a lookup-shaped item's images
// object [chosen]: {"device_type", "url"}.
type v2RegionImage struct {
	DeviceType string `json:"device_type"`
	URL        string `json:"url"`
}

// v2LookupShape is an item in the shape of the lookup sample. Images is
// the sample's {} without include_images, else the images by region
// [chosen]; catalog appears only when asked for.
type v2LookupShape struct {
	EntrupyID         string                     `json:"entrupy_id"`
	Timestamp         v2LookupTime               `json:"timestamp"`
	Status            v2Status                   `json:"status"`
	Activity          v2Activity                 `json:"activity"`
	Properties        v2LookupProps              `json:"properties"`
	Owner             v2Owner                    `json:"owner"`
	Certificate       *itemCertRef               `json:"certificate"`
	TextFields        v2Text                     `json:"text_fields"`
	Images            map[string][]v2RegionImage `json:"images"`
	FingerprintParent *string                    `json:"fingerprint_parent"`
	Catalog           *itemCatalog               `json:"catalog,omitempty"`
}

// v1EpochTime is "timestamp" with a fractional epoch: {"display", "epoch"}.
type v1EpochTime struct {
	Display string  `json:"display"`
	Epoch   float64 `json:"epoch"`
}

// v1EpochShape is the v1.4 item with a fractional epoch.
type v1EpochShape struct {
	item
	Timestamp v1EpochTime `json:"timestamp"`
}

// sdkFlag is the SDKs' flag object [doc: iOS SDK].
type sdkFlag struct {
	ID          string `json:"id"`
	IsFlaggable bool   `json:"is_flaggable"`
	FlagInfo    any    `json:"flag_info"`
}

// sdkStatus is "status" with the SDKs' flag object.
type sdkStatus struct {
	Flag   *sdkFlag   `json:"flag"`
	Result itemResult `json:"result"`
}

// sdkFlagShape is the v1.4 item whose flag, when set, is the SDKs' object.
type sdkFlagShape struct {
	item
	Status sdkStatus `json:"status"`
}

// idCharsRE is what is not kept of a name in an id.
var idCharsRE = regexp.MustCompile(`[^A-Z0-9]+`)

// ownerIDs are the owner's ids [chosen]: ORG_<ORGANIZATION> and
// USER_<UNIQUE_USER_ID>, upper case, as the samples' ORG_ABC and USER_XYZ.
func ownerIDs(it item, org string) v2Owner {
	uid := strings.TrimPrefix(it.Owner.User.Username, org+"-")
	return v2Owner{
		OrganizationID: "ORG_" + strings.Trim(idCharsRE.ReplaceAllString(strings.ToUpper(org), "_"), "_"),
		UserID:         "USER_" + strings.Trim(idCharsRE.ReplaceAllString(strings.ToUpper(uid), "_"), "_"),
	}
}

func v2StatusOf(it item) v2Status {
	r := it.Status.Result
	st := v2Status{Result: v2Result{ID: r.ID, Final: r.Final, Reason: clonePtr(r.Reason)}, Flag: clonePtr(it.Status.Flag)}
	st.InitialResult = v2Result{ID: r.ID, Final: false, Reason: clonePtr(r.Reason)}
	return st
}

func v2ActivityOf(it item) v2Activity {
	a := v2Activity{Name: it.Activity.Name, Mode: "standard_authentication", FormFactor: it.Activity.FormFactor, ProductCategory: clonePtr(it.Activity.ProductCategory)}
	if it.Activity.Mode != nil {
		a.Mode = *it.Activity.Mode
	}
	return a
}

func displayOf(v *idDisplay) *string {
	if v == nil {
		return nil
	}
	d := v.Display
	return &d
}

// categoryOf is the item's catalog category, as the samples' "Handbag".
func categoryOf(it item) *string {
	if c := catalogFor(&it); c != nil {
		return clonePtr(c.Product.Category)
	}
	return nil
}

func createdAt(it item) string {
	return time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339)
}

func v2TextOf(it item) v2Text {
	return v2Text{Identifier: clonePtr(it.TextFields.Identifier), StyleCode: clonePtr(it.TextFields.StyleCode), USSize: clonePtr(it.TextFields.USSize)}
}

func v2GetItem(it item, org string, withCatalog bool) v2GetShape {
	out := v2GetShape{
		EntrupyID: it.EntrupyID,
		Timestamp: v2GetTime{CreatedAt: createdAt(it)},
		Status:    v2StatusOf(it),
		Activity:  v2ActivityOf(it),
		Properties: v2GetProps{
			CustomerItemID: clonePtr(it.TextFields.CustomerItemID), BrandName: displayOf(it.Properties.Brand),
			MaterialName: displayOf(it.Properties.Material), ItemTypeName: displayOf(it.Properties.ItemType), CategoryName: categoryOf(it),
		},
		Owner:       ownerIDs(it, org),
		Certificate: it.Certificate,
		TextFields:  v2TextOf(it),
		Images:      it.Images,
	}
	if withCatalog {
		out.Catalog = it.Catalog
	}
	return out
}

func v2LookupItem(it item, org string, withCatalog bool) v2LookupShape {
	out := v2LookupShape{
		EntrupyID: it.EntrupyID,
		Timestamp: v2LookupTime{CreatedAt: createdAt(it), LastUpdatedAt: createdAt(it)}, // no later change is recorded
		Status:    v2StatusOf(it),
		Activity:  v2ActivityOf(it),
		Properties: v2LookupProps{
			CustomerItemID: clonePtr(it.TextFields.CustomerItemID), Brand: displayOf(it.Properties.Brand),
			Material: displayOf(it.Properties.Material), ItemType: displayOf(it.Properties.ItemType), Category: categoryOf(it),
		},
		Owner:       ownerIDs(it, org),
		Certificate: it.Certificate,
		TextFields:  v2TextOf(it),
		Images:      map[string][]v2RegionImage{},
	}
	for _, img := range it.Images {
		out.Images[img.RegionID] = append(out.Images[img.RegionID], v2RegionImage{DeviceType: img.DeviceType, URL: img.URL})
	}
	if withCatalog {
		out.Catalog = it.Catalog // absent without a catalog match, as null reads
	}
	return out
}

func v1EpochItem(it item) v1EpochShape {
	t := time.Unix(it.Timestamp.Epoch, 250_000_000).UTC()
	return v1EpochShape{item: it, Timestamp: v1EpochTime{Display: t.Format("2006-01-02T15:04:05.000000Z"), Epoch: float64(it.Timestamp.Epoch) + 0.25}}
}

func sdkFlagItem(it item) sdkFlagShape {
	out := sdkFlagShape{item: it, Status: sdkStatus{Result: it.Status.Result}}
	if f := it.Status.Flag; f != nil {
		out.Status.Flag = &sdkFlag{ID: *f, IsFlaggable: false}
	}
	return out
}
