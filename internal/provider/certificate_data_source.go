package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*certificateDataSource)(nil)

// NewCertificateDataSource is the entrupy_certificate data source.
func NewCertificateDataSource() datasource.DataSource { return &certificateDataSource{} }

type certificateDataSource struct{ data *providerData }

type holderModel struct {
	Username types.String `tfsdk:"username"`
	Name     types.String `tfsdk:"name"`
}

type transferModel struct {
	TransferID     types.String `tfsdk:"transfer_id"`
	Status         types.String `tfsdk:"status"`
	RecipientEmail types.String `tfsdk:"recipient_email"`
	InitiatedAt    types.String `tfsdk:"initiated_at"`
}

type certificateDataSourceModel struct {
	CertificateID   types.String    `tfsdk:"certificate_id"`
	EntrupyID       types.String    `tfsdk:"entrupy_id"`
	Site            types.String    `tfsdk:"site"`
	Preview         types.String    `tfsdk:"preview"`
	AuthenticatedAt types.String    `tfsdk:"authenticated_at"`
	Brand           *idDisplayModel `tfsdk:"brand"`
	DateCode        types.String    `tfsdk:"date_code"`
	StyleCode       types.String    `tfsdk:"style_code"`
	SerialNumber    types.String    `tfsdk:"serial_number"`
	CustomerItemID  types.String    `tfsdk:"customer_item_id"`
	Photos          []types.String  `tfsdk:"photos"`
	Holder          *holderModel    `tfsdk:"holder"`
	Transfer        *transferModel  `tfsdk:"transfer"`
	Status          types.String    `tfsdk:"status"`
	RevokedAt       types.String    `tfsdk:"revoked_at"`
}

func (d *certificateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate"
}

func (d *certificateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oneOf := []validator.String{
		stringvalidator.LengthAtLeast(1),
		stringvalidator.ExactlyOneOf(path.MatchRoot("certificate_id"), path.MatchRoot("entrupy_id")),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Entrupy certificate of an authentic item, with its current holder, transfer status and whether it is still valid. " +
			"Only items whose result is `authentic` have a certificate. Entrupy can withdraw a result and revoke its certificate after issuing it: " +
			"a revoked certificate is read (with `status = \"revoked\"` and `revoked_at`), not an error, and every attribute is read afresh on each plan. " +
			"Check `status` with a `postcondition` before publishing a certificate.",
		Attributes: map[string]schema.Attribute{
			"certificate_id": schema.StringAttribute{
				MarkdownDescription: "Certificate ID to read. Exactly one of `certificate_id` and `entrupy_id` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          oneOf,
			},
			"entrupy_id": schema.StringAttribute{
				MarkdownDescription: "Entrupy ID of the authentication whose certificate to read. An item whose result was withdrawn no longer links its revoked certificate: read that one by `certificate_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          oneOf[:1],
			},
			"site":             computedString("URL of the certificate web page. Opaque: Entrupy may change it."),
			"preview":          computedString("URL of an image of the certificate. Opaque: Entrupy may change it."),
			"authenticated_at": computedString("Date of authentication (RFC 3339)."),
			"brand":            idDisplayAttribute("The item's brand.", "brand"),
			"date_code":        computedString("The item's date code, if any."),
			"style_code":       computedString("The item's style code, if any."),
			"serial_number":    computedString("The item's serial number, if any."),
			"customer_item_id": computedString("Your item identifier; null when hidden (Entrupy hides it unless enabled for the user or account)."),
			"photos": schema.ListAttribute{
				MarkdownDescription: "URLs of the item's photos on the certificate.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"holder": schema.SingleNestedAttribute{
				MarkdownDescription: "Who holds the certificate now: the authenticator, or the buyer it was transferred to.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"username": computedString("Entrupy username of the holder; null when the holder has no Entrupy account (a buyer)."),
					"name":     computedString("Holder's name."),
				},
			},
			"transfer": schema.SingleNestedAttribute{
				MarkdownDescription: "The latest transfer of the certificate to a buyer; null if it was never transferred.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"transfer_id":     computedString("Transfer ID."),
					"status":          computedString("`pending`, `accepted` or `cancelled`."),
					"recipient_email": computedString("Email address the transfer was sent to."),
					"initiated_at":    computedString("When the transfer was started (RFC 3339)."),
				},
			},
			"status":     computedString("`valid`, or `revoked` once Entrupy has withdrawn the certificate (its guarantee keeps a window to invalidate results and certificates); more values may come, so treat anything but `valid` as not valid."),
			"revoked_at": computedString("When Entrupy revoked the certificate (RFC 3339); null while it is valid."),
		},
	}
}

func (d *certificateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *certificateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg certificateDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.data.client
	certID := cfg.CertificateID.ValueString()
	if id := cfg.EntrupyID.ValueString(); id != "" {
		it, err := c.Authentications.Get(ctx, id, nil)
		if entrupy.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("entrupy_id"), "Authentication not found",
				fmt.Sprintf("Entrupy has no authentication with entrupy_id %q visible to this API token.", id))
			return
		}
		if err != nil {
			d.data.addAPIError(&resp.Diagnostics, "Cannot read authentication "+id, err)
			return
		}
		if it.Certificate == nil {
			resp.Diagnostics.AddAttributeError(path.Root("entrupy_id"), "Authentication has no certificate",
				fmt.Sprintf("Authentication %q has %s. Entrupy issues certificates only for authentic items; when it withdraws a result, the item no longer links its revoked certificate, which can still be read by certificate_id.",
					id, describeResult(it.Status.Result)))
			return
		}
		if it.Certificate.CertificateID == nil {
			resp.Diagnostics.AddAttributeError(path.Root("entrupy_id"), "Authentication names no certificate ID",
				fmt.Sprintf("Entrupy sent authentication %q with a certificate but no certificate_id, so its certificate cannot be found by entrupy_id. Set certificate_id instead (the entrupy_authentication data source shows the certificate's links in certificate.site and certificate.preview).", id))
			return
		}
		certID = *it.Certificate.CertificateID
	}
	cert, err := c.Certificates.Get(ctx, certID)
	if entrupy.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("certificate_id"), "Certificate not found",
			fmt.Sprintf("Entrupy has no certificate %q visible to this API token.", certID))
		return
	}
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot read certificate "+certID, err)
		return
	}
	warnUnreadCertificate(&resp.Diagnostics, cert)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenCertificate(cert))...)
}

// describeResult says what result an item has, for a message.
func describeResult(r *entrupy.Result) string {
	if r == nil || r.ID == nil {
		return "no result"
	}
	out := fmt.Sprintf("result %q", *r.ID)
	var about []string
	if r.Display != nil {
		about = append(about, *r.Display)
	}
	if r.Final != nil {
		about = append(about, fmt.Sprintf("final: %t", *r.Final))
	}
	if len(about) > 0 {
		out += " (" + strings.Join(about, ", ") + ")"
	}
	return out
}

func flattenCertificate(c *entrupy.Certificate) certificateDataSourceModel {
	m := certificateDataSourceModel{
		CertificateID:   types.StringValue(c.CertificateID),
		EntrupyID:       types.StringValue(c.EntrupyID),
		Site:            types.StringValue(c.Site),
		Preview:         types.StringValue(c.Preview),
		AuthenticatedAt: types.StringValue(c.AuthenticatedAt),
		Brand:           &idDisplayModel{ID: types.StringValue(c.Brand.ID), Display: types.StringValue(c.Brand.Display)},
		DateCode:        types.StringPointerValue(c.DateCode),
		StyleCode:       types.StringPointerValue(c.StyleCode),
		SerialNumber:    types.StringPointerValue(c.SerialNumber),
		CustomerItemID:  types.StringPointerValue(c.CustomerItemID),
		Photos:          make([]types.String, len(c.Photos)),
		Holder:          &holderModel{Username: types.StringValue(c.Holder.Username), Name: types.StringValue(c.Holder.Name)},
		Status:          types.StringValue(c.Status),
		RevokedAt:       types.StringPointerValue(c.RevokedAt),
	}
	if c.Holder.Username == "" {
		m.Holder.Username = types.StringNull()
	}
	for i, p := range c.Photos {
		m.Photos[i] = types.StringValue(p)
	}
	if t := c.Transfer; t != nil {
		m.Transfer = &transferModel{
			TransferID: types.StringValue(t.TransferID), Status: types.StringValue(t.Status),
			RecipientEmail: types.StringValue(t.RecipientEmail), InitiatedAt: types.StringValue(t.InitiatedAt),
		}
	}
	return m
}
