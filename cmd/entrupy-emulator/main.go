// Command entrupy-emulator runs the in-memory Entrupy API on 127.0.0.1, so
// that the provider (or your own modules, in CI) can be tried without an
// Entrupy account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "entrupy-emulator:", err)
		os.Exit(1)
	}
}

const usageText = `Usage: entrupy-emulator [flags]

Runs an in-memory Entrupy API on 127.0.0.1 and prints the base URL and token to use.

Admin routes (no token needed; the emulator listens on loopback only):
  GET    /_emulator/inventory      what the emulator holds: webhooks, users, transfers, and
                                   the authentications (entrupy_id, customer_item_id, result,
                                   certificate_id) and certificate IDs to try
  GET    /_emulator/counters       requests per route, answers per status, and
                                   "writes": API requests that changed anything
  DELETE /_emulator/counters       reset the counters
  POST   /_emulator/reset          forget everything: back to the seeded start (no users,
                                   webhooks, idempotency keys or pending deliveries;
                                   counters zeroed) and rewrite -state-file, so that
                                   repeated test runs can share one emulator
  GET    /_emulator/deliveries     webhook delivery attempts
  POST   /_emulator/authentications/{entrupy_id}/complete {"result": "authentic"}
         finalize an in-progress authentication (emits session.completed)
  POST   /_emulator/authentications/{entrupy_id}/support-messages {"message": "..."}
         emits support.message
  POST   /_emulator/certificates/{certificate_id}/transfers/{transfer_id}/accept
         the buyer accepts a transfer (emits certificate.transfer)
  POST   /_emulator/authentications/{entrupy_id}/withdraw {"result": "unidentified"}
         withdraw a final result: the item gets the new result (default unidentified),
         its certificate becomes null and reads as revoked; no webhook event

Files (-state-file, -seed-file) are the emulator's own JSON format, versioned by a
top-level "format" member; this emulator writes "format": 2:
  state file  {"format": 2, "items", "certificates", "users", "webhooks", "idempotency", "seq"}
  seed file   {"format": 2, "authentications": [items in the API's item shape, "catalog"
               included: {"product_information", "condition_assessment",
               "marketplace_listings"}; an item without it gets generated catalog data],
               "certificates": [{"certificate_id", "entrupy_id", "holder", "transfers",
               "revoked_at", ...}]}
Item shapes (-item-shapes): the emulator keeps items in the contract's v1.4 model and
answers GET, lookup and search in one of the shapes Entrupy's pages publish:
  contract   the v1.4 data model (the default)
  v2-get     as the v2 reference's GET sample: properties.brand_name and customer_item_id,
             timestamp.created_at, owner.organization_id and user_id, status.initial_result
  v2-lookup  as its lookup sample: properties.brand a display string, timestamp.created_at
             and last_updated_at, images an object of regions, fingerprint_parent
  v1-epoch   the v1.4 model with a fractional timestamp.epoch
  sdk-flag   the v1.4 model with status.flag as the SDKs' object {"id", "is_flaggable"}
  mixed      each item in one of the above, the same one every time
Webhook deliveries keep the contract's shape.

Format 1 files (catalog data in the old shape) and files without "format"
(format 0, written before it existed) still load;
a state file is rewritten in the current format at its next change. A file with a
newer format than this emulator knows is refused.

Flags:
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("entrupy-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		port       = fs.Int("port", 0, "TCP port on 127.0.0.1 to listen on (0 picks a free one)")
		token      = fs.String("token", emulator.DefaultToken, "API token the emulator accepts (Authorization: Token <token>)")
		org        = fs.String("org", emulator.DefaultOrganization, "organization name; usernames are <org>-<unique_user_id>")
		seedFile   = fs.String("seed-file", "", "JSON file of authentications and certificates to start with, instead of the built-in set (format: see above)")
		generate   = fs.Int("generate", 0, "start with N generated authentications instead of the built-in set of "+strconv.Itoa(emulator.BuiltinItems))
		noSeed     = fs.Bool("no-seed", false, "start with no authentications at all")
		stateFile  = fs.String("state-file", "", "persist all data to this JSON file (loaded at start if it exists) so separate terraform runs see the same data (format: see above)")
		rateLimit  = fs.Float64("rate-limit", 0, "server-side limit in requests/second (0 = off); over it the answer is 429 with Retry-After")
		rateBurst  = fs.Int("rate-burst", 0, "burst of the server-side limit (default: the rate rounded up)")
		rlHeaders  = fs.String("rate-limit-headers", "", "with -rate-limit, say in every answer how much of the limit is left: "+emulator.RateLimitHeadersIETF+" (RateLimit and RateLimit-Policy, IETF httpapi draft) or "+emulator.RateLimitHeadersX+" (X-RateLimit-Limit, -Remaining, -Reset); Entrupy documents neither (default: none)")
		latency    = fs.Duration("latency", 0, "latency added to every request, e.g. 20ms")
		respDelay  = fs.Duration("response-delay", 0, "delay of every answer after the request's change is committed")
		spikeRate  = fs.Float64("latency-spike-rate", 0, "probability (0..1) that a request waits -latency-spike more")
		spike      = fs.Duration("latency-spike", 200*time.Millisecond, "length of a latency spike")
		fault5xx   = fs.Float64("fault-5xx", 0, "probability (0..1) of answering 500")
		faultReset = fs.Float64("fault-reset", 0, "probability (0..1) of resetting the connection")
		fault429   = fs.Float64("fault-429", 0, "probability (0..1) of a spurious 429 with Retry-After: 1")
		afterShare = fs.Float64("fault-after-commit", 0.5, "share (0..1) of 500s and resets injected after the request's change is committed")
		faultSeed  = fs.Uint64("fault-seed", 1, "seed of the fault and latency-spike draws (same seed, same faults)")
		attempts   = fs.Int("delivery-attempts", 6, "tries of one webhook delivery before giving up")
		backoff    = fs.Duration("delivery-backoff", time.Second, "first wait between webhook delivery tries (doubles each time)")
		urlFile    = fs.String("url-file", "", "write the base URL to this file once listening (for scripts)")
		itemShapes = fs.String("item-shapes", emulator.ShapeContract, "shape of the items GET, lookup and search answer: "+strings.Join(emulator.ItemShapes, ", ")+" (see above)")
		signature  = fs.String("signature", emulator.SignTimestamped, "how deliveries are signed: "+emulator.SignTimestamped+" (t=…,v1=…) or "+emulator.SignPlain+" (the hex HMAC-SHA256 of the body)")
		extra      = fs.String("extra-events", "", "comma-separated webhook events the emulator knows beyond the provider's list, e.g. item.updated")
	)
	fs.Usage = func() {
		_, _ = fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := emulator.Options{
		Token: *token, Organization: *org, StateFile: *stateFile, NoSeed: *noSeed,
		RateLimit: *rateLimit, RateBurst: *rateBurst, RateLimitHeaders: *rlHeaders,
		Latency: *latency, LatencySpikeRate: *spikeRate, LatencySpike: *spike, ResponseDelay: *respDelay,
		FaultRate5xx: *fault5xx, FaultRateReset: *faultReset, FaultRate429: *fault429,
		AfterCommitShare: *afterShare, FaultSeed: *faultSeed,
		DeliveryAttempts: *attempts, DeliveryBackoff: *backoff,
		ItemShapes: *itemShapes, SignatureMode: *signature,
	}
	for _, e := range strings.Split(*extra, ",") {
		if e = strings.TrimSpace(e); e != "" {
			opts.ExtraEvents = append(opts.ExtraEvents, e)
		}
	}
	switch {
	case *seedFile != "":
		seed, err := emulator.LoadSeedFile(*seedFile)
		if err != nil {
			return err
		}
		opts.Seed = seed
	case *generate > 0:
		opts.Seed = emulator.GenerateSeed(*generate, 1, *org)
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(base+"\n"), 0o644); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(stdout, "Entrupy emulator listening on %s\n  export ENTRUPY_BASE_URL=%s\n  export ENTRUPY_API_TOKEN=%s\n%s", base, base, *token, idsToTry(srv, base)); err != nil {
		return err
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdown)
	srv.Close()
	return err
}

// idsToTry names where to find the IDs the emulator holds, with one
// authentication that has a customer_item_id and a certificate.
func idsToTry(srv *emulator.Server, base string) string {
	out := fmt.Sprintf("IDs to try: GET %s/_emulator/inventory\n", base)
	for _, it := range srv.Inventory().Items {
		if it.CustomerItemID != "" && it.CertificateID != "" {
			return out + fmt.Sprintf("  for example entrupy_id %s (customer_item_id %s, certificate_id %s)\n", it.EntrupyID, it.CustomerItemID, it.CertificateID)
		}
	}
	return out
}
