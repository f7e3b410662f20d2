package httpplane_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, which the browser test drives.
const chromiumPath = "/usr/bin/chromium"

// fetchResult is what the page's fetch() reports to the test.
type fetchResult struct {
	OK     bool   `json:"ok"`
	Status int    `json:"status"`
	Body   string `json:"body"`
	Error  string `json:"error"`
}

// The user-reported bug: a browser calling an HTTP API whose only route is
// ANY /{proxy+} was blocked on every preflighted request. A real Chromium
// sends the preflight and enforces the answer; the test reads the page's own
// fetch() outcome.
func TestBrowserCallsAnAPIWithOnlyAGreedyRoute(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs Debian's Chromium at %s (apt-get install chromium): %v", chromiumPath, err)
	}
	var backendCalls atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		backendCalls.Add(1)
		body, _ := io.ReadAll(r.Body)
		// The backend's own CORS header, which the gateway must replace.
		w.Header().Set("Access-Control-Allow-Origin", "https://backend.example")
		_, _ = fmt.Fprintf(w, "%s %s %s %s", r.Method, r.URL.Path, r.Header.Get("X-Custom"), body)
	}))
	t.Cleanup(backend.Close)
	pageA, pageB := newPageServer(t), newPageServer(t)

	client, baseURL := startTestEmulator(t)
	apiID := buildGreedyCORSAPI(t, client, backend.URL, pageA.URL)
	endpoint, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	apiURL := "http://" + apiID + ".execute-api.localhost:" + endpoint.Port() + "/items/1"

	browser := newBrowser(t)
	fromA := fetchFromPage(browser, t, pageA.URL, apiURL)
	if !fromA.OK || fromA.Status != http.StatusOK || fromA.Body != `PUT /items/1 hello {"n":1}` {
		t.Errorf("fetch from the allowed origin = %+v, want 200 with the backend's echo", fromA)
	}
	callsAfterA := backendCalls.Load()
	if callsAfterA != 1 {
		t.Errorf("backend calls after the allowed origin = %d, want 1 (the PUT; the gateway answers the preflight)", callsAfterA)
	}

	fromB := fetchFromPage(browser, t, pageB.URL, apiURL)
	if fromB.OK || fromB.Error == "" {
		t.Errorf("fetch from another origin = %+v, want the browser to block it", fromB)
	}
	if calls := backendCalls.Load(); calls != callsAfterA {
		t.Errorf("backend calls after the refused origin = %d, want %d: the failed preflight must stop the PUT", calls, callsAfterA)
	}
}

// newPageServer serves an empty page; its origin is http://127.0.0.1:{port}.
func newPageServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>page</title>")
	}))
	t.Cleanup(page.Close)
	return page
}

// buildGreedyCORSAPI builds, with the SDK, the API of the bug report: CORS
// for one origin, a custom header and PUT allowed, and ANY /{proxy+} as the
// only route, proxied to backendURL.
func buildGreedyCORSAPI(t *testing.T, client *apigatewayv2.Client, backendURL, origin string) string {
	t.Helper()
	ctx := context.Background()
	api, err := client.CreateApi(ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("browser"), ProtocolType: types.ProtocolTypeHttp,
		CorsConfiguration: &types.Cors{
			AllowOrigins: []string{origin},
			AllowMethods: []string{"GET", "PUT"},
			AllowHeaders: []string{"x-custom", "content-type"},
			MaxAge:       aws.Int32(0),
		},
	})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	integration, err := client.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("ANY"),
		IntegrationUri: aws.String(backendURL + "/{proxy}"), PayloadFormatVersion: aws.String("1.0"),
	})
	if err != nil {
		t.Fatalf("CreateIntegration: %v", err)
	}
	if _, err := client.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
		ApiId: api.ApiId, RouteKey: aws.String("ANY /{proxy+}"), Target: aws.String("integrations/" + *integration.IntegrationId),
	}); err != nil {
		t.Fatalf("CreateRoute: %v", err)
	}
	if _, err := client.CreateStage(ctx, &apigatewayv2.CreateStageInput{
		ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
	}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	return *api.ApiId
}

// newBrowser starts a headless Chromium with a fresh profile for the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	options := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), options...)
	browser, cancelBrowser := chromedp.NewContext(allocator)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAllocator()
	})
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return browser
}

// fetchFromPage opens pageURL in a new tab and runs, from that origin, a
// fetch() that needs a preflight: a PUT with a custom header and a JSON body.
func fetchFromPage(browser context.Context, t *testing.T, pageURL, apiURL string) fetchResult {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	script := fmt.Sprintf(`(async () => {
		try {
			const response = await fetch(%q, {
				method: "PUT",
				headers: {"X-Custom": "hello", "Content-Type": "application/json"},
				body: JSON.stringify({n: 1}),
			});
			return {ok: true, status: response.status, body: await response.text()};
		} catch (error) {
			return {ok: false, error: String(error)};
		}
	})()`, apiURL)
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}
	result, err := chromedp.Run(ctx, chromedp.Evaluate[fetchResult](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running fetch() from %s: %v", pageURL, err)
	}
	t.Logf("fetch from %s: %+v", pageURL, result)
	return result
}
