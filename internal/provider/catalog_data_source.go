package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*catalogDataSource)(nil)

// NewCatalogDataSource is the entrupy_catalog data source.
func NewCatalogDataSource() datasource.DataSource { return &catalogDataSource{} }

type catalogDataSource struct{ data *providerData }

type catalogBrandModel struct {
	ID              types.String     `tfsdk:"id"`
	Display         types.String     `tfsdk:"display"`
	ProductCategory types.String     `tfsdk:"product_category"`
	Materials       []idDisplayModel `tfsdk:"materials"`
}

type catalogDataSourceModel struct {
	ProductCategory   types.String              `tfsdk:"product_category"`
	Brands            []catalogBrandModel       `tfsdk:"brands"`
	BrandIDs          map[string][]types.String `tfsdk:"brand_ids"`
	Results           []idDisplayModel          `tfsdk:"results"`
	InvalidReasons    []types.String            `tfsdk:"invalid_reasons"`
	Flags             []types.String            `tfsdk:"flags"`
	FormFactors       []types.String            `tfsdk:"form_factors"`
	ProductCategories []types.String            `tfsdk:"product_categories"`
}

func (d *catalogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog"
}

func idDisplayList(desc string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id":      computedString("Fixed identifier."),
			"display": computedString("Display name (in the provider's `accept_language` where Entrupy translates it)."),
		}},
	}
}

func stringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
}

func (d *catalogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The value listing of Entrupy's data model (v1.4): brands by product category with their materials, results, invalid reasons, flags, form factors and product categories. Built into the provider: it makes no API call. The same table checks the filters of `entrupy_authentications`. Entrupy may add values at any time: the provider accepts unknown values in what it reads, and searches for a brand, result, flag, form factor or product category this table does not list, with a warning naming the closest one it does.",
		Attributes: map[string]schema.Attribute{
			"product_category": schema.StringAttribute{
				MarkdownDescription: "List only the brands of this product category.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(entrupy.ProductCategories...)},
			},
			"brands": schema.ListNestedAttribute{
				MarkdownDescription: "Brands, with the materials they are authenticated in (luxury brands only).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":               computedString("Brand id, as in `properties.brand.id`."),
					"display":          computedString("Brand name."),
					"product_category": computedString("`luxury`, `sneakers` or `apparel`."),
					"materials":        idDisplayList("Materials of a luxury brand; empty for other brands."),
				}},
			},
			"brand_ids":          schema.MapAttribute{MarkdownDescription: "Brand ids by product category.", Computed: true, ElementType: types.ListType{ElemType: types.StringType}},
			"results":            idDisplayList("Result ids (`status.result.id`) with their display names."),
			"invalid_reasons":    stringList("Reasons an item is `invalid` (`status.result.reason`)."),
			"flags":              stringList("Values of `status.flag` other than null."),
			"form_factors":       stringList("Values of `activity.form_factor`."),
			"product_categories": stringList("Values of `activity.product_category`."),
		},
	}
}

func (d *catalogDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func stringValues(in []string) []types.String {
	out := make([]types.String, len(in))
	for i, s := range in {
		out[i] = types.StringValue(s)
	}
	return out
}

func (d *catalogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lang := ""
	if d.data != nil {
		lang = d.data.settings.AcceptLanguage
	}
	cfg.Brands, cfg.BrandIDs = []catalogBrandModel{}, map[string][]types.String{}
	for _, b := range entrupy.Brands {
		if !cfg.ProductCategory.IsNull() && b.ProductCategory != cfg.ProductCategory.ValueString() {
			continue
		}
		m := catalogBrandModel{
			ID: types.StringValue(b.ID), Display: types.StringValue(b.Localized(lang)),
			ProductCategory: types.StringValue(b.ProductCategory), Materials: []idDisplayModel{},
		}
		for _, mat := range b.Materials {
			m.Materials = append(m.Materials, idDisplayModel{ID: types.StringValue(mat.ID), Display: types.StringValue(mat.Localized(lang))})
		}
		cfg.Brands = append(cfg.Brands, m)
		cfg.BrandIDs[b.ProductCategory] = append(cfg.BrandIDs[b.ProductCategory], m.ID)
	}
	for _, r := range entrupy.Results {
		cfg.Results = append(cfg.Results, idDisplayModel{ID: types.StringValue(r.ID), Display: types.StringValue(r.Localized(lang))})
	}
	cfg.InvalidReasons = stringValues(entrupy.InvalidReasons)
	cfg.Flags = stringValues(entrupy.Flags)
	cfg.FormFactors = stringValues(entrupy.FormFactors)
	cfg.ProductCategories = stringValues(entrupy.ProductCategories)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
