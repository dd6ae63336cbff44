package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// The nested shape of one authentication (item), shared by the
// entrupy_authentication and entrupy_authentications data sources.

type idDisplayModel struct {
	ID      types.String `tfsdk:"id"`
	Display types.String `tfsdk:"display"`
}

type ownerModel struct {
	OrganizationName types.String `tfsdk:"organization_name"`
	Username         types.String `tfsdk:"username"`
	OrganizationID   types.String `tfsdk:"organization_id"`
	UserID           types.String `tfsdk:"user_id"`
}

type itemCertificateModel struct {
	CertificateID types.String `tfsdk:"certificate_id"`
	Site          types.String `tfsdk:"site"`
	Preview       types.String `tfsdk:"preview"`
}

type propertiesModel struct {
	Brand    *idDisplayModel `tfsdk:"brand"`
	Material *idDisplayModel `tfsdk:"material"`
	ItemType *idDisplayModel `tfsdk:"item_type"`
}

type resultModel struct {
	ID      types.String `tfsdk:"id"`
	Display types.String `tfsdk:"display"`
	Final   types.Bool   `tfsdk:"final"`
	Reason  types.String `tfsdk:"reason"`
}

type statusModel struct {
	Flag          types.String `tfsdk:"flag"`
	Result        *resultModel `tfsdk:"result"`
	InitialResult *resultModel `tfsdk:"initial_result"`
}

type textFieldsModel struct {
	Identifier     types.String `tfsdk:"identifier"`
	CustomerItemID types.String `tfsdk:"customer_item_id"`
	StyleCode      types.String `tfsdk:"style_code"`
	USSize         types.String `tfsdk:"us_size"`
}

type timestampModel struct {
	RFC3339   types.String `tfsdk:"rfc3339"`
	Epoch     types.Int64  `tfsdk:"epoch"`
	UpdatedAt types.String `tfsdk:"updated_at"`
}

type activityModel struct {
	Name            types.String `tfsdk:"name"`
	Mode            types.String `tfsdk:"mode"`
	FormFactor      types.String `tfsdk:"form_factor"`
	ProductCategory types.String `tfsdk:"product_category"`
}

type imageModel struct {
	RegionID   types.String `tfsdk:"region_id"`
	DeviceType types.String `tfsdk:"device_type"`
	URL        types.String `tfsdk:"url"`
}

// ItemModel is the computed part of an authentication.
type ItemModel struct {
	Owner       *ownerModel           `tfsdk:"owner"`
	Certificate *itemCertificateModel `tfsdk:"certificate"`
	Properties  *propertiesModel      `tfsdk:"properties"`
	Status      *statusModel          `tfsdk:"status"`
	TextFields  *textFieldsModel      `tfsdk:"text_fields"`
	Timestamp   *timestampModel       `tfsdk:"timestamp"`
	Activity    *activityModel        `tfsdk:"activity"`
	Images      []imageModel          `tfsdk:"images"`
	RawJSON     types.String          `tfsdk:"raw_json"`
}

func itemValue(v *entrupy.ItemValue) *idDisplayModel {
	if v == nil {
		return nil
	}
	return &idDisplayModel{ID: types.StringPointerValue(v.ID), Display: types.StringPointerValue(v.Display)}
}

func result(r *entrupy.Result) *resultModel {
	if r == nil {
		return nil
	}
	return &resultModel{
		ID:      types.StringPointerValue(r.ID),
		Display: types.StringPointerValue(r.Display),
		Final:   types.BoolPointerValue(r.Final),
		Reason:  types.StringPointerValue(r.Reason),
	}
}

// instant is a time in RFC 3339, or null.
func instant(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// flattenItem maps an item, as the client read it from whichever shape
// Entrupy sent, onto the model: what the item does not carry is null;
// images stay null unless the item carries them.
func flattenItem(it *entrupy.Item) ItemModel {
	m := ItemModel{
		Owner: &ownerModel{
			OrganizationName: types.StringPointerValue(it.Owner.OrganizationName),
			Username:         types.StringPointerValue(it.Owner.Username),
			OrganizationID:   types.StringPointerValue(it.Owner.OrganizationID),
			UserID:           types.StringPointerValue(it.Owner.UserID),
		},
		Properties: &propertiesModel{
			Brand:    itemValue(it.Properties.Brand),
			Material: itemValue(it.Properties.Material),
			ItemType: itemValue(it.Properties.ItemType),
		},
		Status: &statusModel{
			Flag:          types.StringPointerValue(it.Status.Flag),
			Result:        result(it.Status.Result),
			InitialResult: result(it.Status.InitialResult),
		},
		TextFields: &textFieldsModel{
			Identifier:     types.StringPointerValue(it.TextFields.Identifier),
			CustomerItemID: types.StringPointerValue(it.TextFields.CustomerItemID),
			StyleCode:      types.StringPointerValue(it.TextFields.StyleCode),
			USSize:         types.StringPointerValue(it.TextFields.USSize),
		},
		Timestamp: &timestampModel{
			RFC3339:   instant(it.Timestamp.Created),
			Epoch:     types.Int64Null(),
			UpdatedAt: instant(it.Timestamp.Updated),
		},
		Activity: &activityModel{
			Name:            types.StringPointerValue(it.Activity.Name),
			Mode:            types.StringPointerValue(it.Activity.Mode),
			FormFactor:      types.StringPointerValue(it.Activity.FormFactor),
			ProductCategory: types.StringPointerValue(it.Activity.ProductCategory),
		},
		RawJSON: types.StringValue(strings.ToValidUTF8(string(it.Raw), "\uFFFD")),
	}
	if t := it.Timestamp.Created; t != nil {
		m.Timestamp.Epoch = types.Int64Value(t.Unix())
	}
	if c := it.Certificate; c != nil {
		m.Certificate = &itemCertificateModel{
			CertificateID: types.StringPointerValue(c.CertificateID),
			Site:          types.StringPointerValue(c.Site),
			Preview:       types.StringPointerValue(c.Preview),
		}
	}
	if it.Images != nil {
		m.Images = make([]imageModel, len(it.Images))
		for i, img := range it.Images {
			m.Images[i] = imageModel{RegionID: types.StringPointerValue(img.RegionID), DeviceType: types.StringPointerValue(img.DeviceType), URL: types.StringPointerValue(img.URL)}
		}
	}
	return m
}

// addUnreadWarning adds one warning for the items of one read: each member
// Entrupy sent in a shape the provider does not understand, with the
// Entrupy IDs of the items carrying it (a few, then how many more). It
// adds nothing when every member was read.
func addUnreadWarning(diags *diag.Diagnostics, items []entrupy.Item) {
	objects := make([]unreadOf, 0, len(items))
	for _, it := range items {
		objects = append(objects, unreadOf{it.EntrupyID, it.Unread})
	}
	warnUnread(diags, "items", "the items' Entrupy IDs", objects,
		"What they would fill is null unless another member gave it; everything else was read, and raw_json holds each item exactly as Entrupy sent it (read it with jsondecode).")
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func idDisplayAttribute(desc, what string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id":      computedString("Fixed identifier of the " + what + ", e.g. as listed by `entrupy_catalog`; it does not depend on the language."),
			"display": computedString("Display name of the " + what + " in the provider's `accept_language`."),
		},
	}
}

// itemValueAttribute is an enumerated property of an item, which Entrupy
// sends as an {id, display} object or as a display name alone.
func itemValueAttribute(desc, what string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id": computedString("Fixed identifier of the " + what + ", e.g. as listed by `entrupy_catalog`; it does not depend on the language. " +
				"When Entrupy sends only a display name (as its v2 samples do: `\"brand\": \"Louis Vuitton\"` or `\"brand_name\"`), this is the catalogue's id of that name in the provider's `accept_language`, and null when the catalogue has no such name."),
			"display": computedString("Display name of the " + what + " in the provider's `accept_language`; null when Entrupy sends only the id."),
		},
	}
}

// resultAttribute is a verdict: status.result or status.initial_result.
func resultAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id": computedString("Result identifier, such as `authentic`, `unidentified`, `no_decision`, `error_processing`, `invalid`, `registered`, `match` or `no_match`. " +
				"Entrupy adds values (its SDKs name `needs_review`, `not_supported`, `analyzed`, `unknown`): any value is read as it is."),
			"display": computedString("Result in the provider's `accept_language`; null when Entrupy sends none (its v2 samples do not)."),
			"final": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether Entrupy marks the result final; null when not sent. Entrupy's guarantee keeps a window to invalidate results and certificates, so even a final result can change later (and its certificate be revoked): every read shows the result as it is now.",
			},
			"reason": computedString("Why an `invalid` item is invalid (`image_quality`, `item_not_supported`, `damaged_item`, `test_submission`, `other`, or a value Entrupy adds); null otherwise."),
		},
	}
}

// itemAttributes are the computed attributes of one authentication. A
// value Entrupy does not send is null.
func itemAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"owner": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Who performed the authentication. Entrupy's v1.4 items name the organization and user, its v2 samples give their ids: each attribute is null when Entrupy does not send it, and an id is never put into a name.",
			Attributes: map[string]schema.Attribute{
				"organization_name": computedString("The authenticator's organization name."),
				"username":          computedString("The authenticator's Entrupy username (`<Organization>-<unique_user_id>` for SDK users)."),
				"organization_id":   computedString("The authenticator's organization id (`owner.organization_id`)."),
				"user_id":           computedString("The authenticator's user id (`owner.user_id`)."),
			},
		},
		"certificate": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The item's certificate; null unless the result is `authentic`, and null again once Entrupy withdraws the result (its revoked certificate stays readable with `entrupy_certificate` by `certificate_id`). Each attribute is null when Entrupy does not send it.",
			Attributes: map[string]schema.Attribute{
				"certificate_id": computedString("Certificate ID, for the `entrupy_certificate` data source."),
				"site":           computedString("URL of the certificate web page. Opaque: Entrupy may change it."),
				"preview":        computedString("URL of an image of the certificate, as the app shows it. Opaque: Entrupy may change it."),
			},
		},
		"properties": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "What the item is.",
			Attributes: map[string]schema.Attribute{
				"brand":     itemValueAttribute("The item's brand.", "brand"),
				"material":  itemValueAttribute("The item's material; luxury items only, null otherwise.", "material"),
				"item_type": itemValueAttribute("The type of apparel item (tops, dresses, …); apparel only, null otherwise.", "item type"),
			},
		},
		"status": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The fields of the item that change over time.",
			Attributes: map[string]schema.Attribute{
				"flag": computedString("`flagged` when the user flagged the item to Entrupy Support, `resolved` once Support answered, null otherwise; " +
					"Entrupy adds values (its v2 samples show `reviewed_ok`), read as they are. When Entrupy sends the SDKs' flag object, this is its `id` (which may be `none`)."),
				"result":         resultAttribute("Entrupy's result; null when the item carries none."),
				"initial_result": resultAttribute("The result Entrupy gave first, when it sends it (`status.initial_result`, as its v2 samples do); null otherwise."),
			},
		},
		"text_fields": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Values the user entered.",
			Attributes: map[string]schema.Attribute{
				"identifier":       computedString("The item's date code or serial number, if any."),
				"customer_item_id": computedString(fmt.Sprintf("The user's own identifier for the item (SKU, order ID), if any: up to %d characters, from `text_fields` (v1.4) or `properties` (v2).", entrupy.MaxCustomerItemIDLength)),
				"style_code":       computedString("Sneaker style code; sneakers only."),
				"us_size":          computedString("Sneaker US size; sneakers only."),
			},
		},
		"timestamp": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "When the user started the authentication, from Entrupy's `epoch` (whole or fractional seconds, truncated) or its RFC 3339 `created_at`, whichever it sends; null when it sends neither.",
			Attributes: map[string]schema.Attribute{
				"rfc3339": computedString("The time in RFC 3339 format, UTC, whole seconds."),
				"epoch": schema.Int64Attribute{
					Computed:            true,
					MarkdownDescription: "The time in whole seconds since the Unix epoch.",
				},
				"updated_at": computedString("When the item last changed (RFC 3339, UTC), when Entrupy sends it (`timestamp.last_updated_at`); null otherwise."),
			},
		},
		"activity": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "How the item was authenticated or fingerprinted. Entrupy adds values to each of these; any value is read as it is.",
			Attributes: map[string]schema.Attribute{
				"name":             computedString("`authentication` or `fingerprint`."),
				"mode":             computedString("For fingerprints, `register` or `compare`; null for authentications in v1.4 items, `standard_authentication` in Entrupy's v2 samples."),
				"form_factor":      computedString("Device used: `microscopic`, `lightbox` or `free_camera`."),
				"product_category": computedString("`luxury`, `sneakers` or `apparel` for authentications; null for fingerprints."),
			},
		},
		"images": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Camera images, when `include_images` is true; null otherwise. A region is identified by `region_id` together with `device_type`. Entrupy may send images as a list or as an object of regions; both read into this list (regions in name order).",
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"region_id":   computedString("Region of the item the image shows."),
					"device_type": computedString("Device that took the image."),
					"url":         computedString("Image URL."),
				},
			},
		},
		"raw_json": computedString("The item exactly as Entrupy returned it, as a JSON string. Read what the provider does not model with `jsondecode()`, " +
			"e.g. `jsondecode(data.entrupy_authentication.bag.raw_json).properties.category`. Its shape is Entrupy's and varies between API versions: use `try()` for members that may be absent."),
	}
}

// The catalog data of one authentication (include_catalog on the
// entrupy_authentication data source).

type productInformationModel struct {
	Brand        types.String `tfsdk:"brand"`
	Category     types.String `tfsdk:"category"`
	Style        types.String `tfsdk:"style"`
	Material     types.String `tfsdk:"material"`
	Colorway     types.String `tfsdk:"colorway"`
	Description  types.String `tfsdk:"description"`
	SerialNumber types.String `tfsdk:"serial_number"`
}

type conditionAssessmentModel struct {
	Rating types.String   `tfsdk:"rating"`
	Score  types.Float64  `tfsdk:"score"`
	Issues []types.String `tfsdk:"issues"`
	Notes  types.String   `tfsdk:"notes"`
}

type marketplaceListingModel struct {
	Platform types.String `tfsdk:"platform"`
	Title    types.String `tfsdk:"title"`
	URL      types.String `tfsdk:"url"`
	Price    types.String `tfsdk:"price"`
	Currency types.String `tfsdk:"currency"`
	Region   types.String `tfsdk:"region"`
}

type catalogModel struct {
	ProductInformation  *productInformationModel  `tfsdk:"product_information"`
	ConditionAssessment *conditionAssessmentModel `tfsdk:"condition_assessment"`
	MarketplaceListings []marketplaceListingModel `tfsdk:"marketplace_listings"`
}

// flattenCatalog maps an item's catalog data onto the model; nil (not
// asked for, or no catalog match) stays null. Prices stay the decimal
// strings the API sends.
func flattenCatalog(c *entrupy.Catalog) *catalogModel {
	if c == nil {
		return nil
	}
	p := c.ProductInformation
	m := &catalogModel{
		ProductInformation: &productInformationModel{
			Brand:        types.StringPointerValue(p.Brand),
			Category:     types.StringPointerValue(p.Category),
			Style:        types.StringPointerValue(p.Style),
			Material:     types.StringPointerValue(p.Material),
			Colorway:     types.StringPointerValue(p.Colorway),
			Description:  types.StringPointerValue(p.Description),
			SerialNumber: types.StringPointerValue(p.SerialNumber),
		},
		MarketplaceListings: make([]marketplaceListingModel, len(c.MarketplaceListings)),
	}
	if a := c.ConditionAssessment; a != nil {
		m.ConditionAssessment = &conditionAssessmentModel{
			Rating: types.StringValue(a.Rating),
			Score:  types.Float64PointerValue(a.Score),
			Issues: make([]types.String, len(a.Issues)),
			Notes:  types.StringPointerValue(a.Notes),
		}
		for i, issue := range a.Issues {
			m.ConditionAssessment.Issues[i] = types.StringValue(issue)
		}
	}
	for i, l := range c.MarketplaceListings {
		m.MarketplaceListings[i] = marketplaceListingModel{
			Platform: types.StringValue(l.Platform),
			Title:    types.StringValue(l.Title),
			URL:      types.StringValue(l.URL),
			Price:    types.StringValue(l.Price),
			Currency: types.StringValue(l.Currency),
			Region:   types.StringPointerValue(l.Region),
		}
	}
	return m
}

// catalogAttribute is the catalog data of one authentication.
func catalogAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "The item's catalog data, in the three parts Entrupy describes: product information, a condition assessment and " +
			"links to marketplace listings of similar items. " +
			"Read only when `include_catalog` is true; null otherwise, and null when Entrupy has no catalog match for the item. " +
			"Its strings are display strings that Entrupy may change at any time, so do not compare them with fixed values; " +
			"fields Entrupy adds later are ignored until the provider maps them.",
		Attributes: map[string]schema.Attribute{
			"product_information": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "What the catalog says the item is, as plain display strings (not identifiers); each is null when Entrupy gives none.",
				Attributes: map[string]schema.Attribute{
					"brand":         computedString("Brand, e.g. `Louis Vuitton`. For the brand's identifier, read `properties.brand.id`."),
					"category":      computedString("Category, e.g. `Tote Bag` or `Sneakers`."),
					"style":         computedString("Style (model), e.g. `Neverfull MM` or `Air Jordan 1 Retro High OG`."),
					"material":      computedString("Material, e.g. `Monogram Canvas`."),
					"colorway":      computedString("Colourway, e.g. `Beige/Brown` or `Varsity Red/Black/Sail`."),
					"description":   computedString("Entrupy's description of the product."),
					"serial_number": computedString("Serial number or date code of the item."),
				},
			},
			"condition_assessment": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Entrupy's assessment of the item's condition; null when the item was not assessed (fingerprints, for instance).",
				Attributes: map[string]schema.Attribute{
					"rating": computedString("Condition rating, `A` (best) to `D` today; Entrupy may add ratings, so do not validate against a fixed list."),
					"score": schema.Float64Attribute{
						Computed:            true,
						MarkdownDescription: "Condition score from 0 to 100; null when Entrupy gives none.",
					},
					"issues": schema.ListAttribute{
						Computed:            true,
						ElementType:         types.StringType,
						MarkdownDescription: "Issues the assessment found, e.g. `Light patina on the handles`; empty when none.",
					},
					"notes": computedString("Notes on the assessment; null when there are none."),
				},
			},
			"marketplace_listings": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Listings of similar items on marketplaces, each priced in its own region's currency; empty when Entrupy links none.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"platform": computedString("Marketplace, e.g. `The RealReal`."),
						"title":    computedString("Title of the listing."),
						"url":      computedString("URL of the listing. Opaque: listings come and go."),
						"price": computedString("Price of the listing exactly as the API sends it: a decimal string in `currency`'s major unit, e.g. `1250.00` or `28600` (yen). " +
							"A string, not a number, so that no rounding creeps in; convert it with `tonumber()` where you need arithmetic."),
						"currency": computedString("ISO 4217 code of the price's currency, e.g. `USD`, `EUR`, `JPY`."),
						"region":   computedString("Region the price is local to, e.g. `US`, `EU`, `JP`; null when the marketplace does not say."),
					},
				},
			},
		},
	}
}
