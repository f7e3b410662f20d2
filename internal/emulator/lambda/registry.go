package lambda

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/lambdaruntime"
)

// Registration declares a function: the emulator has no CreateFunction,
// functions exist because a flag, an Option or the admin API says so.
type Registration struct {
	Name string `json:"name"`
	// Account owns the function; "" in Options is the default account.
	Account string `json:"account,omitempty"`
	// Region is where the function exists; "" is every region.
	Region string `json:"region,omitempty"`
	// Endpoint is the http(s) URL Invoke POSTs the payload to.
	Endpoint string `json:"endpoint,omitempty"`
	// Handler is the absolute path of an executable the emulator runs as
	// the function, through the Lambda Runtime API (a provided.al2023
	// bootstrap, such as an aws-lambda-go binary). A function has an
	// Endpoint or a Handler; with neither it cannot be invoked.
	Handler string `json:"handler,omitempty"`
	// Timeout is the function's timeout in seconds, 1 to 900; 0 is
	// Lambda's default of 3.
	Timeout int `json:"timeout,omitempty"`
	// Aliases name the function's aliases, each pointing at $LATEST.
	Aliases []string `json:"aliases,omitempty"`
}

// handlerScheme marks a flag's handler: NAME=exec:PATH.
const handlerScheme = "exec:"

// maxTimeoutSeconds is Lambda's longest function timeout, 15 minutes.
const maxTimeoutSeconds = 900

var (
	functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)
	aliasPattern        = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,128}$`)
	versionPattern      = regexp.MustCompile(`^[0-9]+$`)
	regionPattern       = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
)

// ParseRegistration reads the value of --lambda-function:
//
//	[ACCOUNT:REGION:]NAME[:ALIAS[,ALIAS…]][@TIMEOUT][=ENDPOINT | =exec:PATH]
//
// ACCOUNT is 12 digits, REGION a region or "*" for every region; without
// them the function is the default account's, in every region. TIMEOUT is
// in seconds. ENDPOINT is an http(s) URL Invoke POSTs to; exec:PATH is a
// handler executable, a relative PATH being taken from the working
// directory.
func ParseRegistration(value string) (Registration, error) {
	spec, backend, _ := strings.Cut(value, "=")
	spec, timeout, hasTimeout := strings.Cut(spec, "@")
	parts := strings.Split(spec, ":")
	var r Registration
	if len(parts) >= 3 && accountIDPattern.MatchString(parts[0]) && (parts[1] == "*" || regionPattern.MatchString(parts[1])) {
		r.Account, r.Region, parts = parts[0], strings.TrimPrefix(parts[1], "*"), parts[2:]
	}
	switch len(parts) {
	case 2:
		r.Aliases = strings.Split(parts[1], ",")
		fallthrough
	case 1:
		r.Name = parts[0]
	default:
		return r, fmt.Errorf("want [ACCOUNT:REGION:]NAME[:ALIAS[,ALIAS...]][@TIMEOUT][=ENDPOINT|=exec:PATH], got %q", value)
	}
	if hasTimeout {
		seconds, err := strconv.Atoi(timeout)
		if err != nil || seconds < 1 {
			return r, fmt.Errorf("timeout %q is not a number of seconds, 1 to %d", timeout, maxTimeoutSeconds)
		}
		r.Timeout = seconds
	}
	if path, ok := strings.CutPrefix(backend, handlerScheme); ok {
		absolute, err := filepath.Abs(path)
		if err != nil {
			return r, fmt.Errorf("handler %q: %w", path, err)
		}
		r.Handler = absolute
	} else {
		r.Endpoint = backend
	}
	return r, r.validate()
}

func (r Registration) validate() error {
	if !functionNamePattern.MatchString(r.Name) {
		return fmt.Errorf("function name %q is not 1 to 64 of [a-zA-Z0-9-_]", r.Name)
	}
	if r.Account != "" && !accountIDPattern.MatchString(r.Account) {
		return fmt.Errorf("account %q is not 12 digits", r.Account)
	}
	if r.Region != "" && !regionPattern.MatchString(r.Region) {
		return fmt.Errorf("region %q is not a region name", r.Region)
	}
	for _, alias := range r.Aliases {
		if !aliasPattern.MatchString(alias) || versionPattern.MatchString(alias) {
			return fmt.Errorf("alias %q is not 1 to 128 of [a-zA-Z0-9-_], not all digits", alias)
		}
	}
	if r.Timeout < 0 || r.Timeout > maxTimeoutSeconds {
		return fmt.Errorf("timeout %d is not 1 to %d seconds", r.Timeout, maxTimeoutSeconds)
	}
	if r.Endpoint != "" && r.Handler != "" {
		return fmt.Errorf("function %s has both an endpoint and a handler; it runs one of them", r.Name)
	}
	if r.Endpoint != "" {
		u, err := url.Parse(r.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("endpoint %q is not an http(s) URL", r.Endpoint)
		}
	}
	if r.Handler != "" {
		return validateHandler(r.Handler)
	}
	return nil
}

// validateHandler checks, when the function is declared, what would
// otherwise fail its first invocation: the handler is an executable file.
func validateHandler(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("handler %q is not an absolute path", path)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("handler: %w", err)
	}
	if !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("handler %s is not an executable file", path)
	}
	return nil
}

// timeout is how long one invocation may run.
func (r Registration) timeout() time.Duration {
	if r.Timeout == 0 {
		return lambdaruntime.DefaultTimeout
	}
	return time.Duration(r.Timeout) * time.Second
}

func (r Registration) hasAlias(alias string) bool { return slices.Contains(r.Aliases, alias) }

// registration finds the function named in a world: a registration of
// that region wins over one of every region, and, between equals, one
// made through the admin API over a declared one.
func (svc *Service) registration(account, region, name string) (Registration, bool) {
	var wildcard Registration
	found := false
	for _, list := range [][]Registration{svc.state.Registered, svc.declared} {
		for _, r := range list {
			if r.Name != name || r.Account != account {
				continue
			}
			if r.Region == region {
				return r, true
			}
			if r.Region == "" && !found {
				wildcard, found = r, true
			}
		}
	}
	return wildcard, found
}

// AdminRoutes are the function registry under /_emulator/lambda/functions.
func (svc *Service) AdminRoutes() []core.Route {
	return []core.Route{
		{Method: http.MethodGet, Pattern: "/lambda/functions", Operation: "ListRegisteredFunctions", Handle: svc.listRegistrations},
		{Method: http.MethodPost, Pattern: "/lambda/functions", Operation: "RegisterFunction", Mutates: true, Handle: svc.register},
		{Method: http.MethodDelete, Pattern: "/lambda/functions/{name}", Operation: "DeregisterFunction", Mutates: true, Handle: svc.deregister},
	}
}

type registrationView struct {
	Registration
	// Source is "flag" (declared when the emulator started) or "admin".
	Source string `json:"source"`
}

func (svc *Service) listRegistrations(_ *core.Call, _ *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	views := make([]registrationView, 0, len(svc.declared)+len(svc.state.Registered))
	for _, r := range svc.declared {
		views = append(views, registrationView{r, "flag"})
	}
	for _, r := range svc.state.Registered {
		views = append(views, registrationView{r, "admin"})
	}
	return http.StatusOK, map[string]any{"functions": views}, nil
}

// register adds a function: the account defaults to the caller's, the
// region to every region.
func (svc *Service) register(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	var r Registration
	if err := core.DecodeJSON(body, &r, func(err error) error { return core.BadRequest("Invalid request body: %v", err) }); err != nil {
		return 0, nil, err
	}
	if r.Account == "" {
		r.Account = c.Account
	}
	if r.Region == "*" {
		r.Region = ""
	}
	if err := r.validate(); err != nil {
		return 0, nil, core.BadRequest("%v", err)
	}
	for _, list := range [][]Registration{svc.state.Registered, svc.declared} {
		for _, existing := range list {
			if existing.Name == r.Name && existing.Account == r.Account && existing.Region == r.Region {
				return 0, nil, core.Conflict("Function %s is already registered in account %s, %s", r.Name, r.Account, regionWords(r.Region))
			}
		}
	}
	svc.state.Registered = append(svc.state.Registered, r)
	return http.StatusCreated, registrationView{r, "admin"}, nil
}

// deregister removes a function registered through the admin API, with
// its policies; ?account= and ?region= pick it as register did.
func (svc *Service) deregister(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	name, account, region := params["name"], r.URL.Query().Get("account"), r.URL.Query().Get("region")
	if account == "" {
		account = c.Account
	}
	if region == "*" {
		region = ""
	}
	i := slices.IndexFunc(svc.state.Registered, func(x Registration) bool {
		return x.Name == name && x.Account == account && x.Region == region
	})
	if i < 0 {
		if slices.ContainsFunc(svc.declared, func(x Registration) bool {
			return x.Name == name && x.Account == account && x.Region == region
		}) {
			return 0, nil, core.Conflict("Function %s of account %s, %s, is declared by --lambda-function and lasts as long as the flag", name, account, regionWords(region))
		}
		return 0, nil, core.NotFound("No function %s is registered in account %s, %s", name, account, regionWords(region))
	}
	svc.hosts.stopRegistration(svc.state.Registered[i])
	svc.state.Registered = slices.Delete(svc.state.Registered, i, i+1)
	for key, w := range svc.state.Worlds {
		worldAccount, worldRegion, _ := strings.Cut(key, "/")
		if worldAccount == account && (region == "" || worldRegion == region) {
			if _, still := svc.registration(worldAccount, worldRegion, name); !still {
				delete(w.Functions, name)
			}
		}
	}
	return http.StatusNoContent, nil, nil
}

func regionWords(region string) string {
	if region == "" {
		return "every region"
	}
	return "region " + region
}
