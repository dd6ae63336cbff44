package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	Flag   types.String `tfsdk:"flag"`
	Result resultModel  `tfsdk:"result"`
}

type textFieldsModel struct {
	Identifier     types.String `tfsdk:"identifier"`
	CustomerItemID types.String `tfsdk:"customer_item_id"`
	StyleCode      types.String `tfsdk:"style_code"`
	USSize         types.String `tfsdk:"us_size"`
}

type timestampModel struct {
	RFC3339 types.String `tfsdk:"rfc3339"`
	Epoch   types.Int64  `tfsdk:"epoch"`
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
}

func idDisplay(v *entrupy.IDDisplay) *idDisplayModel {
	if v == nil {
		return nil
	}
	return &idDisplayModel{ID: types.StringValue(v.ID), Display: types.StringValue(v.Display)}
}

// flattenItem maps an API item onto the model; images stay null unless the
// item carries them.
func flattenItem(it *entrupy.Item) ItemModel {
	m := ItemModel{
		Owner: &ownerModel{
			OrganizationName: types.StringValue(it.Owner.Organization.Name),
			Username:         types.StringValue(it.Owner.User.Username),
		},
		Properties: &propertiesModel{
			Brand:    idDisplay(it.Properties.Brand),
			Material: idDisplay(it.Properties.Material),
			ItemType: idDisplay(it.Properties.ItemType),
		},
		Status: &statusModel{
			Flag: types.StringPointerValue(it.Status.Flag),
			Result: resultModel{
				ID:      types.StringValue(it.Status.Result.ID),
				Display: types.StringValue(it.Status.Result.Display),
				Final:   types.BoolValue(it.Status.Result.Final),
				Reason:  types.StringPointerValue(it.Status.Result.Reason),
			},
		},
		TextFields: &textFieldsModel{
			Identifier:     types.StringPointerValue(it.TextFields.Identifier),
			CustomerItemID: types.StringPointerValue(it.TextFields.CustomerItemID),
			StyleCode:      types.StringPointerValue(it.TextFields.StyleCode),
			USSize:         types.StringPointerValue(it.TextFields.USSize),
		},
		Timestamp: &timestampModel{
			RFC3339: types.StringValue(time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339)),
			Epoch:   types.Int64Value(it.Timestamp.Epoch),
		},
		Activity: &activityModel{
			Name:            types.StringValue(it.Activity.Name),
			Mode:            types.StringPointerValue(it.Activity.Mode),
			FormFactor:      types.StringValue(it.Activity.FormFactor),
			ProductCategory: types.StringPointerValue(it.Activity.ProductCategory),
		},
	}
	if c := it.Certificate; c != nil {
		m.Certificate = &itemCertificateModel{
			CertificateID: types.StringValue(c.CertificateID),
			Site:          types.StringValue(c.Site),
			Preview:       types.StringValue(c.Preview),
		}
	}
	if it.Images != nil {
		m.Images = make([]imageModel, len(it.Images))
		for i, img := range it.Images {
			m.Images[i] = imageModel{RegionID: types.StringValue(img.RegionID), DeviceType: types.StringValue(img.DeviceType), URL: types.StringValue(img.URL)}
		}
	}
	return m
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

// itemAttributes are the computed attributes of one authentication.
func itemAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"owner": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Who performed the authentication.",
			Attributes: map[string]schema.Attribute{
				"organization_name": computedString("The authenticator's organization name."),
				"username":          computedString("The authenticator's Entrupy username (`<Organization>-<unique_user_id>` for SDK users)."),
			},
		},
		"certificate": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The item's certificate; null unless the result is `authentic`.",
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
				"brand":     idDisplayAttribute("The item's brand.", "brand"),
				"material":  idDisplayAttribute("The item's material; luxury items only, null otherwise.", "material"),
				"item_type": idDisplayAttribute("The type of apparel item (tops, dresses, …); apparel only, null otherwise.", "item type"),
			},
		},
		"status": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The fields of the item that change over time.",
			Attributes: map[string]schema.Attribute{
				"flag": computedString("`flagged` when the user flagged the item to Entrupy Support, `resolved` once Support answered, null otherwise."),
				"result": schema.SingleNestedAttribute{
					Computed:            true,
					MarkdownDescription: "Entrupy's result.",
					Attributes: map[string]schema.Attribute{
						"id":      computedString("Result identifier: `authentic`, `unidentified`, `no_decision`, `error_processing`, `invalid`, `registered`, `match` or `no_match` (more may come)."),
						"display": computedString("Result in the provider's `accept_language`."),
						"final": schema.BoolAttribute{
							Computed:            true,
							MarkdownDescription: "Whether the result is final.",
						},
						"reason": computedString("Why an `invalid` item is invalid (`image_quality`, `item_not_supported`, `damaged_item`, `test_submission`, `other`); null otherwise."),
					},
				},
			},
		},
		"text_fields": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Values the user entered.",
			Attributes: map[string]schema.Attribute{
				"identifier":       computedString("The item's date code or serial number, if any."),
				"customer_item_id": computedString("The user's own identifier for the item (SKU, order ID), if any."),
				"style_code":       computedString("Sneaker style code; sneakers only."),
				"us_size":          computedString("Sneaker US size; sneakers only."),
			},
		},
		"timestamp": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "When the user started the authentication.",
			Attributes: map[string]schema.Attribute{
				"rfc3339": computedString("The time in RFC 3339 format, UTC."),
				"epoch": schema.Int64Attribute{
					Computed:            true,
					MarkdownDescription: "The time in seconds since the Unix epoch.",
				},
			},
		},
		"activity": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "How the item was authenticated or fingerprinted.",
			Attributes: map[string]schema.Attribute{
				"name":             computedString("`authentication` or `fingerprint`."),
				"mode":             computedString("For fingerprints, `register` or `compare`; null otherwise."),
				"form_factor":      computedString("Device used: `microscopic`, `lightbox` or `free_camera`."),
				"product_category": computedString("`luxury`, `sneakers` or `apparel` for authentications; null for fingerprints."),
			},
		},
		"images": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Camera images, when `include_images` is true; null otherwise. A region is identified by `region_id` together with `device_type`.",
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"region_id":   computedString("Region of the item the image shows."),
					"device_type": computedString("Device that took the image."),
					"url":         computedString("Image URL."),
				},
			},
		},
	}
}

// The catalog data of one authentication (include_catalog on the
// entrupy_authentication data source).

type catalogStyleModel struct {
	Name types.String `tfsdk:"name"`
	Code types.String `tfsdk:"code"`
}

type catalogConditionModel struct {
	Grade types.String `tfsdk:"grade"`
	Notes types.String `tfsdk:"notes"`
}

type catalogMarketModel struct {
	Region      types.String  `tfsdk:"region"`
	Currency    types.String  `tfsdk:"currency"`
	RetailPrice types.Float64 `tfsdk:"retail_price"`
	ResaleLow   types.Float64 `tfsdk:"resale_low"`
	ResaleHigh  types.Float64 `tfsdk:"resale_high"`
}

type catalogModel struct {
	Brand        *idDisplayModel        `tfsdk:"brand"`
	Category     *idDisplayModel        `tfsdk:"category"`
	Style        *catalogStyleModel     `tfsdk:"style"`
	Material     *idDisplayModel        `tfsdk:"material"`
	Colorway     types.String           `tfsdk:"colorway"`
	Description  types.String           `tfsdk:"description"`
	SerialNumber types.String           `tfsdk:"serial_number"`
	Condition    *catalogConditionModel `tfsdk:"condition"`
	Market       *catalogMarketModel    `tfsdk:"market"`
}

// flattenCatalog maps an item's catalog data onto the model; nil (not
// asked for, or no catalog match) stays null.
func flattenCatalog(c *entrupy.Catalog) *catalogModel {
	if c == nil {
		return nil
	}
	m := &catalogModel{
		Brand:        idDisplay(&c.Brand),
		Category:     idDisplay(&c.Category),
		Style:        &catalogStyleModel{Name: types.StringValue(c.Style.Name), Code: types.StringValue(c.Style.Code)},
		Material:     idDisplay(c.Material),
		Colorway:     types.StringPointerValue(c.Colorway),
		Description:  types.StringPointerValue(c.Description),
		SerialNumber: types.StringPointerValue(c.SerialNumber),
	}
	if cd := c.Condition; cd != nil {
		m.Condition = &catalogConditionModel{Grade: types.StringValue(cd.Grade), Notes: types.StringPointerValue(cd.Notes)}
	}
	if mk := c.Market; mk != nil {
		m.Market = &catalogMarketModel{
			Region:      types.StringValue(mk.Region),
			Currency:    types.StringValue(mk.Currency),
			RetailPrice: types.Float64PointerValue(mk.RetailPrice),
			ResaleLow:   types.Float64PointerValue(mk.ResaleLow),
			ResaleHigh:  types.Float64PointerValue(mk.ResaleHigh),
		}
	}
	return m
}

func computedPrice(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{
		Computed:            true,
		MarkdownDescription: desc + " A Float64 number in `currency`'s major unit (dollars, euros, yen; not cents), e.g. `2030` or `1150.5`; null when Entrupy has no figure.",
	}
}

// catalogAttribute is the catalog data of one authentication.
func catalogAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "The item's catalog data: the catalog entry Entrupy matched the item to, its condition and regional prices. " +
			"Read only when `include_catalog` is true; null otherwise, and null when Entrupy has no catalog match for the item. " +
			"Values Entrupy adds to the catalog later are ignored until the provider maps them.",
		Attributes: map[string]schema.Attribute{
			"brand": idDisplayAttribute("The catalog entry's brand.", "brand"),
			"category": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The catalog entry's category.",
				Attributes: map[string]schema.Attribute{
					"id":      computedString("Category identifier, e.g. `handbag`, `wallet`, `sneakers`, `tops`, `outerwear` (more may come); it does not depend on the language."),
					"display": computedString("Display name of the category in the provider's `accept_language`."),
				},
			},
			"style": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The style (model) the item was matched to.",
				Attributes: map[string]schema.Attribute{
					"name": computedString("Style name, e.g. `Neverfull MM` or `Air Jordan 1 Retro High OG`."),
					"code": computedString("The brand's style code, e.g. `N41605` or `DZ5485-612`."),
				},
			},
			"material":      idDisplayAttribute("The catalog entry's material; null when the catalog names none (sneakers, apparel).", "material"),
			"colorway":      computedString("Colour name of the style, e.g. `Varsity Red/Black/Sail`; null when unknown."),
			"description":   computedString("Entrupy's description of the catalog entry; null when there is none."),
			"serial_number": computedString("Serial number or date code Entrupy read from the item; null when there is none."),
			"condition": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The item's condition; null when it was not graded (fingerprints, for instance).",
				Attributes: map[string]schema.Attribute{
					"grade": computedString("Condition grade, `A` (best) to `D`."),
					"notes": computedString("What the grade is based on; null when there are no notes."),
				},
			},
			"market": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Prices of the style in one market (regional: the region of the account or store); null when Entrupy has no market data.",
				Attributes: map[string]schema.Attribute{
					"region":       computedString("Market region, e.g. `US`, `EU`, `JP`, `GB` (more may come)."),
					"currency":     computedString("ISO 4217 currency code of the prices, e.g. `USD`, `EUR`, `JPY`, `GBP`."),
					"retail_price": computedPrice("The style's retail (list) price new."),
					"resale_low":   computedPrice("Low end of the resale price range for an item in this condition."),
					"resale_high":  computedPrice("High end of the resale price range for an item in this condition."),
				},
			},
		},
	}
}
