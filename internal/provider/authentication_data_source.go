package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ datasource.DataSource              = (*authenticationDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*authenticationDataSource)(nil)
)

// NewAuthenticationDataSource is the entrupy_authentication data source.
func NewAuthenticationDataSource() datasource.DataSource { return &authenticationDataSource{} }

type authenticationDataSource struct{ data *providerData }

type authenticationDataSourceModel struct {
	EntrupyID      types.String  `tfsdk:"entrupy_id"`
	CustomerItemID types.String  `tfsdk:"customer_item_id"`
	IncludeImages  types.Bool    `tfsdk:"include_images"`
	IncludeCatalog types.Bool    `tfsdk:"include_catalog"`
	AllowMissing   types.Bool    `tfsdk:"allow_missing"`
	Found          types.Bool    `tfsdk:"found"`
	Catalog        *catalogModel `tfsdk:"catalog"`
	ItemModel
}

func (d *authenticationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_authentication"
}

func (d *authenticationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"entrupy_id": schema.StringAttribute{
			MarkdownDescription: "Entrupy ID of the authentication to read. Exactly one of `entrupy_id` and `customer_item_id` must be set; when `customer_item_id` is used, this is the ID that was found.",
			Optional:            true,
			Computed:            true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ExactlyOneOf(path.MatchRoot("entrupy_id"), path.MatchRoot("customer_item_id")),
			},
		},
		"customer_item_id": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Your own item identifier (SKU, order ID) entered at authentication, 1 to %d characters. When several authentications carry it, the newest is read. When `entrupy_id` is used, this is the item's `customer_item_id` (null if none).", entrupy.MaxCustomerItemIDLength),
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{customerItemIDValidator()},
		},
		"include_images": schema.BoolAttribute{
			MarkdownDescription: "Also read the item's camera images into `images`. Defaults to false.",
			Optional:            true,
		},
		"include_catalog": schema.BoolAttribute{
			MarkdownDescription: "Also read the item's catalog data (product information, condition assessment, marketplace listings) into `catalog`. Defaults to false. " +
				"With `customer_item_id` this costs a second request (the lookup, then a read by Entrupy ID), as `include_images` does. " +
				"The `entrupy_authentications` search cannot read catalog data: use `for_each` over its `ids` into this data source instead.",
			Optional: true,
		},
		"allow_missing": schema.BoolAttribute{
			MarkdownDescription: "When true, an authentication that does not exist sets `found = false` and leaves the item attributes null instead of failing. Defaults to false: a missing item is an error.",
			Optional:            true,
		},
		"found": schema.BoolAttribute{
			MarkdownDescription: "Whether the authentication exists. Always true unless `allow_missing` is set.",
			Computed:            true,
		},
	}
	maps.Copy(attrs, itemAttributes())
	attrs["catalog"] = catalogAttribute()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Entrupy authentication, by Entrupy ID or by the newest item with a `customer_item_id`, with its result, certificate, properties and (optionally) images and catalog data.",
		Attributes:          attrs,
	}
}

func (d *authenticationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *authenticationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg authenticationDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.data.client
	withImages := cfg.IncludeImages.ValueBool()
	withCatalog := cfg.IncludeCatalog.ValueBool()
	opts := &entrupy.GetOptions{IncludeImages: withImages, IncludeCatalog: withCatalog}

	var (
		item   *entrupy.Item
		err    error
		lookup string
		attr   path.Path
	)
	if id := cfg.EntrupyID.ValueString(); id != "" {
		lookup, attr = fmt.Sprintf("entrupy_id %q", id), path.Root("entrupy_id")
		item, err = c.Authentications.Get(ctx, id, opts)
	} else {
		cid := cfg.CustomerItemID.ValueString()
		lookup, attr = fmt.Sprintf("customer_item_id %q", cid), path.Root("customer_item_id")
		item, err = c.Authentications.Lookup(ctx, cid)
		// The lookup route has neither include_images nor include_catalog:
		// read the found item again.
		if err == nil && (withImages || withCatalog) {
			item, err = c.Authentications.Get(ctx, item.EntrupyID, opts)
		}
	}
	switch {
	case entrupy.IsNotFound(err) && cfg.AllowMissing.ValueBool():
		cfg.Found = types.BoolValue(false)
		cfg.ItemModel = ItemModel{}
		cfg.Catalog = nil
		if cfg.EntrupyID.IsNull() {
			cfg.EntrupyID = types.StringNull()
		}
		if cfg.CustomerItemID.IsNull() {
			cfg.CustomerItemID = types.StringNull()
		}
	case entrupy.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(attr, "Authentication not found",
			fmt.Sprintf("Entrupy has no authentication with %s visible to this API token. Check the value, or set allow_missing = true to read found = false instead of failing.", lookup))
		return
	case err != nil:
		d.data.addAPIError(&resp.Diagnostics, "Cannot read authentication with "+lookup, err)
		return
	default:
		cfg.Found = types.BoolValue(true)
		cfg.ItemModel = flattenItem(item)
		cfg.Catalog = flattenCatalog(item.Catalog)
		cfg.EntrupyID = types.StringValue(item.EntrupyID)
		if cfg.CustomerItemID.IsNull() {
			// Found by entrupy_id. (Found by customer_item_id, the
			// configured value stays, whatever shape the item carries it in.)
			cfg.CustomerItemID = types.StringPointerValue(item.TextFields.CustomerItemID)
		}
		addUnreadWarning(&resp.Diagnostics, []entrupy.Item{*item})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
