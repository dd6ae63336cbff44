package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ datasource.DataSourceWithConfigure      = (*authenticationsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*authenticationsDataSource)(nil)
)

// defaultMaxItems bounds a search unless max_items says otherwise;
// maxMaxItems is the largest max_items.
const (
	defaultMaxItems = 1000
	maxMaxItems     = 100000
)

// flagNone selects items that carry no flag (status.flag null).
const flagNone = "none"

// The values of the filters that the provider's catalogue knows. Every one
// is Entrupy's to extend between provider releases (seeds/001: "currently,
// the possible values are"; the v2 samples show the flag "reviewed_ok"): an
// unknown one is searched for, with a warning naming the closest known
// value. The flags are the seed's plus the provider's own "none".
var (
	brandFilterValues      = catalogueValues("brand id", brandValues())
	resultFilterValues     = catalogueValues("result id", entrupy.Results)
	categoryFilterValues   = catalogueIDs("product category", entrupy.ProductCategories)
	formFactorFilterValues = catalogueIDs("form factor", entrupy.FormFactors)
	flagFilterValues       = catalogueIDs("flag", append(slices.Clone(entrupy.Flags), flagNone))
)

// brandValues lists the catalogue's brands as values.
func brandValues() []entrupy.Value {
	out := make([]entrupy.Value, len(entrupy.Brands))
	for i, b := range entrupy.Brands {
		out[i] = b.Value
	}
	return out
}

// NewAuthenticationsDataSource is the entrupy_authentications data source.
func NewAuthenticationsDataSource() datasource.DataSource { return &authenticationsDataSource{} }

type authenticationsDataSource struct{ data *providerData }

type searchItemModel struct {
	EntrupyID types.String `tfsdk:"entrupy_id"`
	ItemModel
}

type authenticationsDataSourceModel struct {
	Usernames         []types.String    `tfsdk:"usernames"`
	CustomerItemIDs   []types.String    `tfsdk:"customer_item_ids"`
	Brands            []types.String    `tfsdk:"brands"`
	Results           []types.String    `tfsdk:"results"`
	Flags             []types.String    `tfsdk:"flags"`
	ProductCategories []types.String    `tfsdk:"product_categories"`
	FormFactors       []types.String    `tfsdk:"form_factors"`
	CreatedAfter      types.String      `tfsdk:"created_after"`
	CreatedBefore     types.String      `tfsdk:"created_before"`
	MaxItems          types.Int64       `tfsdk:"max_items"`
	TotalCount        types.Int64       `tfsdk:"total_count"`
	IDs               []types.String    `tfsdk:"ids"`
	Items             []searchItemModel `tfsdk:"items"`
}

func (d *authenticationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_authentications"
}

// valueList is a filter attribute: a list of 1 to entrupy.MaxFilterValues
// strings, none null, each 1 to entrupy.MaxFilterValueLength characters;
// values, when given, checks them against the values the provider knows.
func valueList(desc string, values ...enumValues) schema.ListAttribute {
	return filterList(desc, entrupy.MaxFilterValueLength, lengthValidator(1, entrupy.MaxFilterValueLength), values...)
}

// filterList is valueList with its own check of each value, which allows
// values of at most maxLength characters.
func filterList(desc string, maxLength int, each validator.String, values ...enumValues) schema.ListAttribute {
	validators := []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.SizeAtMost(entrupy.MaxFilterValues),
		noNullElements{},
		listvalidator.ValueStringsAre(each),
	}
	for _, v := range values {
		validators = append(validators, v)
	}
	return schema.ListAttribute{
		MarkdownDescription: desc + fmt.Sprintf(" At most %d values of at most %d characters each.", entrupy.MaxFilterValues, maxLength),
		Optional:            true,
		ElementType:         types.StringType,
		Validators:          validators,
	}
}

// catalogueFilterNote is what a filter of catalogue values says about
// values the provider does not know; typo and id are an example of a slip
// the warning points out.
func catalogueFilterNote(plural, typo, id string) string {
	return " Entrupy may add " + plural + " after this provider release: a value the provider's catalogue does not list is still searched for, with a warning that names the closest known value (so a typo such as `\"" + typo + "\"` for `" + id + "` stands out)."
}

// searchImagesAttribute is the items' images attribute of a search, whose
// results never carry images.
func searchImagesAttribute(a schema.Attribute) schema.Attribute {
	images, ok := a.(schema.ListNestedAttribute)
	if !ok {
		return a
	}
	images.MarkdownDescription = "Always null here: Entrupy's search does not return images. Read them one item at a time with `include_images` on the `entrupy_authentication` data source, with `for_each` over `ids`."
	return images
}

func (d *authenticationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	itemAttrs := itemAttributes()
	itemAttrs["entrupy_id"] = computedString("Entrupy ID of the authentication.")
	itemAttrs["images"] = searchImagesAttribute(itemAttrs["images"])
	resp.Schema = schema.Schema{
		MarkdownDescription: "Searches authentications, newest first, walking every page of results (25 a page) up to `max_items`. Filters of different attributes must all match; the values of one attribute are alternatives. " +
			"Items carry no catalog data, as Entrupy's search cannot include it: read it one item at a time with `include_catalog` on `entrupy_authentication`, with `for_each` over `ids`.",
		Attributes: map[string]schema.Attribute{
			"usernames":          valueList("Entrupy usernames of the authenticators (see `entrupy_integration_user.username`)."),
			"customer_item_ids":  filterList("Your own item identifiers (SKU, order ID).", entrupy.MaxCustomerItemIDLength, customerItemIDValidator()),
			"brands":             valueList("Brand ids such as `gucci` or `louis_vuitton`, as listed by `entrupy_catalog`."+catalogueFilterNote("brands", "Gucci", "gucci"), brandFilterValues),
			"results":            valueList("Result ids such as `authentic` or `unidentified`, as listed by `entrupy_catalog`."+catalogueFilterNote("results", "Authentic", "authentic"), resultFilterValues),
			"flags":              valueList("`flagged` or `resolved`; or `none` (alone) for items that were never flagged."+catalogueFilterNote("flags", "Flagged", "flagged"), flagFilterValues),
			"product_categories": valueList("Product categories: `luxury`, `sneakers` or `apparel`."+catalogueFilterNote("product categories", "sneaker", "sneakers"), categoryFilterValues),
			"form_factors":       valueList("Devices used (`activity.form_factor`): `microscopic`, `lightbox` or `free_camera`."+catalogueFilterNote("form factors", "light_box", "lightbox"), formFactorFilterValues),
			"created_after": schema.StringAttribute{
				MarkdownDescription: "Only authentications started at or after this time (RFC 3339, e.g. `2026-05-01T00:00:00Z`).",
				Optional:            true,
				Validators:          []validator.String{rfc3339Validator()},
			},
			"created_before": schema.StringAttribute{
				MarkdownDescription: "Only authentications started before this time (RFC 3339).",
				Optional:            true,
				Validators:          []validator.String{rfc3339Validator()},
			},
			"max_items": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Read at most this many items: a whole number from 1 to %d (default %d). When more match, a warning says so and `total_count` tells how many.", maxMaxItems, defaultMaxItems),
				Optional:            true,
				CustomType:          wholeNumber(1, maxMaxItems),
			},
			"total_count": schema.Int64Attribute{
				MarkdownDescription: "How many authentications match, even beyond `max_items`.",
				Computed:            true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "Entrupy IDs of the items read, newest first.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"items": schema.ListNestedAttribute{
				MarkdownDescription: "The items read, newest first, in the shape of the `entrupy_authentication` data source (`images` is always null here).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: itemAttrs},
			},
		},
	}
}

func (d *authenticationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig runs with values that may still be unknown (fed by
// resources), so it reads only the attributes it checks, as framework types.
func (d *authenticationsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var flags types.List
	var createdAfter, createdBefore types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("flags"), &flags)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_after"), &createdAfter)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_before"), &createdBefore)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !flags.IsUnknown() && len(flags.Elements()) > 1 && slices.ContainsFunc(flags.Elements(), func(v attr.Value) bool {
		s, ok := v.(types.String)
		return ok && s.ValueString() == flagNone
	}) {
		resp.Diagnostics.AddAttributeError(path.Root("flags"), "Invalid flags",
			`flags: "none" selects items that were never flagged and cannot be combined with "flagged" or "resolved". Use ["none"] alone, or leave flags out to get every item.`)
	}
	after, errA := time.Parse(time.RFC3339, createdAfter.ValueString())
	before, errB := time.Parse(time.RFC3339, createdBefore.ValueString())
	if errA == nil && errB == nil && !after.Before(before) {
		resp.Diagnostics.AddAttributeError(path.Root("created_before"), "Empty time range",
			fmt.Sprintf("created_before (%s) must be later than created_after (%s).", createdBefore.ValueString(), createdAfter.ValueString()))
	}
}

// filters maps the typed attributes onto the contract's filters.
func (m *authenticationsDataSourceModel) filters() []entrupy.Filter {
	var out []entrupy.Filter
	add := func(key string, vals []types.String) {
		if len(vals) == 0 {
			return
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			s[i] = v.ValueString()
		}
		if key == entrupy.FilterFlag && len(s) == 1 && s[0] == flagNone {
			out = append(out, entrupy.IsNull(key))
			return
		}
		out = append(out, entrupy.AnyOf(key, s...))
	}
	add(entrupy.FilterUsername, m.Usernames)
	add(entrupy.FilterCustomerItemID, m.CustomerItemIDs)
	add(entrupy.FilterBrand, m.Brands)
	add(entrupy.FilterResult, m.Results)
	add(entrupy.FilterFlag, m.Flags)
	add(entrupy.FilterProductCategory, m.ProductCategories)
	add(entrupy.FilterFormFactor, m.FormFactors)
	var gte, lt *int64
	if t, err := time.Parse(time.RFC3339, m.CreatedAfter.ValueString()); err == nil {
		e := t.Unix()
		gte = &e
	}
	if t, err := time.Parse(time.RFC3339, m.CreatedBefore.ValueString()); err == nil {
		e := t.Unix()
		lt = &e
	}
	if gte != nil || lt != nil {
		out = append(out, entrupy.EpochRange(gte, lt))
	}
	return out
}

func (d *authenticationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg authenticationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit := defaultMaxItems
	if !cfg.MaxItems.IsNull() {
		limit = int(cfg.MaxItems.ValueInt64())
	}
	res, err := d.data.client.Authentications.SearchAll(ctx, cfg.filters(), limit)
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot search authentications", err)
		return
	}
	if res.Truncated {
		resp.Diagnostics.AddAttributeWarning(path.Root("max_items"), "Search results were cut",
			fmt.Sprintf("%d authentications match, but only the newest %d were read (max_items = %d). Narrow the filters or raise max_items to read them all.", res.Total, len(res.Items), limit))
	}
	cfg.TotalCount = types.Int64Value(int64(res.Total))
	cfg.IDs = make([]types.String, len(res.Items))
	cfg.Items = make([]searchItemModel, len(res.Items))
	for i := range res.Items {
		it := &res.Items[i]
		cfg.IDs[i] = types.StringValue(it.EntrupyID)
		cfg.Items[i] = searchItemModel{EntrupyID: cfg.IDs[i], ItemModel: flattenItem(it)}
	}
	addUnreadWarning(&resp.Diagnostics, res.Items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
