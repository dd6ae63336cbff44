package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// render copies an item for an answer: display strings in the caller's
// language, images only when asked for, catalog null (getAuthentication
// adds it when asked for).
func render(it *item, lang string, withImages bool) item {
	out := *it
	if b := it.Properties.Brand; b != nil {
		nb := *b
		if cb, ok := findBrand(b.ID); ok {
			nb.Display = cb.Localized(lang)
		}
		out.Properties.Brand = &nb
	}
	if r, ok := findResult(it.Status.Result.ID); ok {
		out.Status.Result.Display = r.Localized(lang)
	}
	if withImages {
		out.Images = slices.Clone(it.Images)
		if out.Images == nil {
			out.Images = []itemImage{}
		}
	} else {
		out.Images = nil
	}
	out.Catalog = nil
	return out
}

func (s *Server) getAuthentication(c *call) response {
	id := c.r.PathValue("entrupy_id")
	it, ok := s.st.Items[id]
	if !ok {
		return notFound("authentication", id)
	}
	withImages, _ := strconv.ParseBool(c.r.URL.Query().Get(entrupy.QueryIncludeImages))
	out := render(it, c.lang, withImages)
	withCatalog, _ := strconv.ParseBool(c.r.URL.Query().Get(entrupy.QueryIncludeCatalog))
	if withCatalog {
		out.Catalog = renderCatalog(it.Catalog) // null without a match [doc]
	}
	return itemResponse(http.StatusOK, s.shaped(out, withCatalog))
}

// lookupAuthentication answers the latest item with the customer_item_id.
func (s *Server) lookupAuthentication(c *call) response {
	cid := c.r.PathValue("customer_item_id")
	if err := entrupy.CheckCustomerItemID(cid); err != nil {
		return badRequest("customer_item_id", "customer_item_id %v", err)
	}
	for _, it := range s.st.newest {
		if v := it.TextFields.CustomerItemID; v != nil && *v == cid {
			return itemResponse(http.StatusOK, s.shaped(render(it, c.lang, false), false))
		}
	}
	return notFound("authentication with customer_item_id", cid)
}

// filterField returns the value of a string filter key on an item.
func filterField(it *item, key string) *string {
	switch key {
	case entrupy.FilterUsername:
		return &it.Owner.User.Username
	case entrupy.FilterCustomerItemID:
		return it.TextFields.CustomerItemID
	case entrupy.FilterBrand:
		if it.Properties.Brand == nil {
			return nil
		}
		return &it.Properties.Brand.ID
	case entrupy.FilterResult:
		return &it.Status.Result.ID
	case entrupy.FilterFlag:
		return it.Status.Flag
	case entrupy.FilterProductCategory:
		return it.Activity.ProductCategory
	case entrupy.FilterFormFactor:
		return &it.Activity.FormFactor
	}
	return nil
}

func validateFilter(i int, f searchFilter) *response {
	field := fmt.Sprintf("filters[%d]", i)
	if !slices.Contains(entrupy.FilterKeys, f.Key) {
		r := badRequest(field+".key", "unknown filter key %q; allowed: %s", f.Key, strings.Join(entrupy.FilterKeys, ", "))
		return &r
	}
	isRange := f.GTE != nil || f.LT != nil
	isValue := f.Value != nil || f.Null || f.Values != nil
	switch {
	case f.Key == entrupy.FilterTimestamp && (!isRange || isValue):
		r := badRequest(field, "%s takes a range: gte and/or lt (epoch seconds)", f.Key)
		return &r
	case f.Key != entrupy.FilterTimestamp && isRange:
		r := badRequest(field, "only %s takes gte/lt", entrupy.FilterTimestamp)
		return &r
	case f.Key != entrupy.FilterTimestamp && !isValue:
		r := badRequest(field, "filter %q needs value or values", f.Key)
		return &r
	case f.Values != nil && len(f.Values) == 0:
		r := badRequest(field+".values", "values must not be empty")
		return &r
	case len(f.Values) > entrupy.MaxFilterValues:
		r := badRequest("filters", "%s: values holds at most %d entries, got %d", field, entrupy.MaxFilterValues, len(f.Values))
		return &r
	}
	strs := f.Values
	if f.Value != nil {
		strs = append([]string{*f.Value}, strs...)
	}
	for _, v := range strs {
		err := entrupy.CheckLength(v, 0, entrupy.MaxFilterValueLength)
		if f.Key == entrupy.FilterCustomerItemID {
			err = entrupy.CheckCustomerItemID(v)
		}
		if err != nil {
			r := badRequest("filters", "%s: a filter value %v", field, err)
			return &r
		}
	}
	return nil
}

func matches(it *item, f searchFilter) bool {
	if f.Key == entrupy.FilterTimestamp {
		e := it.Timestamp.Epoch
		return (f.GTE == nil || e >= *f.GTE) && (f.LT == nil || e < *f.LT)
	}
	v := filterField(it, f.Key)
	switch {
	case f.Null:
		return v == nil
	case f.Value != nil:
		return v != nil && *v == *f.Value
	default:
		return v != nil && slices.Contains(f.Values, *v)
	}
}

// Cursors are opaque to clients; here they encode an offset [chosen].
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeCursor(cur string) (int, bool) {
	if cur == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[2:]))
	return n, err == nil && n >= 0
}

// pageOf cuts one page out of n results starting at a cursor.
func pageOf(n int, cursor string, size int) (lo, hi int, next *string, bad *response) {
	lo, ok := decodeCursor(cursor)
	if !ok || lo > n {
		r := badRequest("cursor", "cursor is not one this API returned")
		return 0, 0, nil, &r
	}
	hi = min(n, lo+size)
	if hi < n {
		c := encodeCursor(hi)
		next = &c
	}
	return lo, hi, next, nil
}

// listResponse answers a GET list route [chosen]: records in creation
// order (seq), listPageSize a page from the cursor query parameter, in the
// contract's list page {"items", "next_cursor"}.
func listResponse[R, T any](c *call, records []R, seq func(R) int64, item func(R) T) response {
	sort.Slice(records, func(i, j int) bool { return seq(records[i]) < seq(records[j]) })
	lo, hi, next, bad := pageOf(len(records), c.r.URL.Query().Get(entrupy.QueryCursor), listPageSize)
	if bad != nil {
		return *bad
	}
	page := listPage[T]{Items: make([]T, 0, hi-lo), NextCursor: next}
	for _, r := range records[lo:hi] {
		page.Items = append(page.Items, item(r))
	}
	return jsonResponse(http.StatusOK, page)
}

func (s *Server) searchAuthentications(c *call) response {
	var req searchRequest
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	limit := searchDefaultLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 1 || limit > entrupy.SearchMaxLimit {
		return badRequest("limit", "limit must be between 1 and %d, got %d", entrupy.SearchMaxLimit, limit)
	}
	for i, f := range req.Filters {
		if bad := validateFilter(i, f); bad != nil {
			return *bad
		}
	}
	var found []*item
	for _, it := range s.st.newest {
		ok := true
		for _, f := range req.Filters {
			if !matches(it, f) {
				ok = false
				break
			}
		}
		if ok {
			found = append(found, it)
		}
	}
	lo, hi, next, bad := pageOf(len(found), req.Cursor, limit)
	if bad != nil {
		return *bad
	}
	page := searchPage{Items: make([]any, 0, hi-lo), ItemCount: len(found), NextCursor: next}
	for _, it := range found[lo:hi] {
		page.Items = append(page.Items, s.shaped(render(it, c.lang, false), false))
	}
	return jsonResponse(http.StatusOK, page)
}

// ---------------------------------------------------------------------------
// Certificates.

func (s *Server) certificate(rec *CertificateRecord, lang string) certificate {
	it := s.st.Items[rec.EntrupyID]
	ri := render(it, lang, false)
	site, preview := rec.Site, rec.Preview // kept once the item no longer links the certificate
	if it.Certificate != nil {
		site, preview = it.Certificate.Site, it.Certificate.Preview
	}
	out := certificate{
		CertificateID:   rec.CertificateID,
		EntrupyID:       rec.EntrupyID,
		Site:            site,
		Preview:         preview,
		Status:          entrupy.CertificateValid,
		AuthenticatedAt: time.Unix(it.Timestamp.Epoch, 0).UTC().Format(time.RFC3339),
		DateCode:        rec.DateCode,
		StyleCode:       rec.StyleCode,
		SerialNumber:    rec.SerialNumber,
		Photos:          slices.Clone(rec.Photos),
		Holder:          rec.Holder,
	}
	if ri.Properties.Brand != nil {
		out.Brand = *ri.Properties.Brand
	}
	if out.Photos == nil {
		out.Photos = []string{}
	}
	if !rec.HideCustomerItemID {
		out.CustomerItemID = it.TextFields.CustomerItemID
	}
	if n := len(rec.Transfers); n > 0 {
		t := rec.Transfers[n-1].view()
		out.Transfer = &t
	}
	if rec.RevokedAt != nil {
		out.Status = entrupy.CertificateRevoked
		out.RevokedAt = clonePtr(rec.RevokedAt)
	}
	return out
}

func (s *Server) getCertificate(c *call) response {
	id := c.r.PathValue("certificate_id")
	rec, ok := s.st.Certificates[id]
	if !ok {
		return notFound("certificate", id)
	}
	return itemResponse(http.StatusOK, s.certificate(rec, c.lang))
}

func randomID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (s *Server) createTransfer(c *call) response {
	id := c.r.PathValue("certificate_id")
	rec, ok := s.st.Certificates[id]
	if !ok {
		return notFound("certificate", id)
	}
	var req transferRequest
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if bad := checkEmail("recipient_email", req.RecipientEmail); bad != nil {
		return *bad
	}
	if rec.RevokedAt != nil { // [chosen] a revoked certificate cannot change hands
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, fmt.Sprintf("certificate %s was revoked at %s and cannot be transferred", id, *rec.RevokedAt), "")
	}
	if n := len(rec.Transfers); n > 0 && rec.Transfers[n-1].Status == entrupy.TransferPending {
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, fmt.Sprintf("certificate %s already has a pending transfer %s", id, rec.Transfers[n-1].TransferID), "")
	}
	t := TransferRecord{
		TransferID:     randomID(transferIDPrefix),
		Status:         entrupy.TransferPending,
		RecipientEmail: req.RecipientEmail,
		RecipientName:  req.RecipientName,
		InitiatedAt:    c.now.Format(time.RFC3339),
	}
	rec.Transfers = append(rec.Transfers, t)
	s.emitTransferLocked(rec, c.now)
	return itemResponse(http.StatusCreated, t.view())
}

// transfer finds a certificate's transfer for the two transfer routes.
func (s *Server) transfer(certID, transferID string) (*CertificateRecord, *TransferRecord, *response) {
	rec, ok := s.st.Certificates[certID]
	if !ok {
		r := notFound("certificate", certID)
		return nil, nil, &r
	}
	for i := range rec.Transfers {
		if rec.Transfers[i].TransferID == transferID {
			return rec, &rec.Transfers[i], nil
		}
	}
	r := notFound("transfer", transferID)
	return nil, nil, &r
}

// cancelTransfer answers 204 like the other DELETE routes [chosen].
func (s *Server) cancelTransfer(c *call) response {
	rec, t, bad := s.transfer(c.r.PathValue("certificate_id"), c.r.PathValue("transfer_id"))
	if bad != nil {
		return *bad
	}
	if t.Status != entrupy.TransferPending {
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, fmt.Sprintf("transfer %s is %s; only a pending transfer can be cancelled", t.TransferID, t.Status), "")
	}
	t.Status = entrupy.TransferCancelled
	s.emitTransferLocked(rec, c.now)
	return response{status: http.StatusNoContent}
}

// AcceptTransfer plays the buyer: the pending transfer is accepted and the
// recipient becomes the certificate's holder.
func (s *Server) AcceptTransfer(certificateID, transferID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, t, bad := s.transfer(certificateID, transferID)
	if bad != nil {
		return fmt.Errorf("emulator: %s", bad.body)
	}
	if t.Status != entrupy.TransferPending {
		return fmt.Errorf("emulator: transfer %s is %s, not pending", transferID, t.Status)
	}
	if rec.RevokedAt != nil {
		return fmt.Errorf("emulator: certificate %s was revoked at %s; its transfer %s cannot be accepted", certificateID, *rec.RevokedAt, transferID)
	}
	t.Status = entrupy.TransferAccepted
	rec.Holder = Holder{Name: t.RecipientName}
	s.persistLocked()
	s.emitTransferLocked(rec, s.opts.Now().UTC())
	return nil
}
