// Package lambda emulates the part of AWS Lambda's control plane an API
// Gateway operator drives: the resource policy of a function (AddPermission,
// RemovePermission, GetPolicy), GetFunction, and an Invoke that runs the
// function: its handler executable through the Lambda Runtime API
// (lambdaruntime), or a POST to an endpoint. API Gateway's data planes
// invoke functions through APIGateway, an execute.Functions. It is REST-JSON under /2015-03-31/, as the real
// service is, so aws-sdk-go-v2's lambda client and `aws lambda` talk to it
// unmodified.
//
// Functions are not created through the API: they are registered (see
// Registration), and their policies and revision ids are this service's
// state, per (account, region) world.
package lambda

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// latest is the qualifier of the unpublished version, and the key of its
// policy.
const latest = "$LATEST"

// Config is what the service needs of the emulator's options.
type Config struct {
	// DefaultAccount owns the Functions that name no account.
	DefaultAccount string
	// Functions are declared for the emulator's lifetime; they are not part
	// of the state file (the flags declare them again at each start).
	Functions []Registration
	// Client calls the functions' endpoints; nil is a client with a
	// 5-minute timeout.
	Client *http.Client
	// Logs receives the stdout and stderr of handler processes; nil
	// discards them.
	Logs io.Writer
}

// Service is Lambda.
type Service struct {
	declared []Registration
	client   *http.Client
	hosts    *hostPool
	state    state
}

type state struct {
	// Registered are the functions the admin API added.
	Registered []Registration      `json:"registered"`
	Worlds     core.Worlds[*world] `json:"worlds"`
}

type world struct {
	Functions map[string]*function `json:"functions"`
}

// function is what Lambda keeps of a registered function in one world.
type function struct {
	LastModified time.Time `json:"lastModified"`
	// Qualifiers holds $LATEST and each alias: its revision and policy.
	Qualifiers map[string]*qualified `json:"qualifiers"`
}

type qualified struct {
	RevisionID string      `json:"revisionId"`
	Statements []Statement `json:"statements,omitempty"`
}

// New returns Lambda with the declared functions and no policies.
func New(cfg Config) (*Service, error) {
	svc := &Service{client: cfg.Client, hosts: newHostPool(cfg.Logs), state: state{Worlds: core.Worlds[*world]{}}}
	if svc.client == nil {
		svc.client = &http.Client{Timeout: 5 * time.Minute}
	}
	for _, r := range cfg.Functions {
		if r.Account == "" {
			r.Account = cfg.DefaultAccount
		}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("lambda function %s: %w", r.Name, err)
		}
		svc.declared = append(svc.declared, r)
	}
	return svc, nil
}

// Close stops the handler processes of the functions; invocations after it
// fail.
func (svc *Service) Close() error { return svc.hosts.Close() }

// Name is "lambda", the key of the service's state in the state file.
func (svc *Service) Name() string { return "lambda" }

const functionsPath = "/2015-03-31/functions/{FunctionName}"

// Routes are Lambda's operations. They are Unmetered: API Gateway's quotas,
// and the latency and faults meant for its management calls, leave them
// alone.
func (svc *Service) Routes() []core.Route {
	return []core.Route{
		{Method: http.MethodGet, Pattern: functionsPath, Operation: "GetFunction", Unmetered: true, Handle: svc.getFunction},
		{Method: http.MethodPost, Pattern: functionsPath + "/policy", Operation: "AddPermission", Unmetered: true, Mutates: true, Handle: svc.addPermission},
		{Method: http.MethodDelete, Pattern: functionsPath + "/policy/{StatementId}", Operation: "RemovePermission", Unmetered: true, Mutates: true, Handle: svc.removePermission},
		{Method: http.MethodGet, Pattern: functionsPath + "/policy", Operation: "GetPolicy", Unmetered: true, Handle: svc.getPolicy},
		{Method: http.MethodPost, Pattern: functionsPath + "/invocations", Operation: "Invoke", Unmetered: true, Handle: svc.invoke},
	}
}

// Snapshot returns the functions the admin API registered and, per world,
// each function's revisions and policies.
func (svc *Service) Snapshot() (json.RawMessage, error) { return core.Snapshot(svc.state) }

// Restore replaces the service's state with a Snapshot's.
func (svc *Service) Restore(raw json.RawMessage) error {
	if err := core.Restore(raw, &svc.state); err != nil {
		return err
	}
	if svc.state.Worlds == nil {
		svc.state.Worlds = core.Worlds[*world]{}
	}
	return nil
}

// functionNameFormat is the model's pattern of FunctionName (full,
// partial or bare, optionally qualified), as AWS quotes it.
const functionNameFormat = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`

var (
	functionNameGrammar = regexp.MustCompile(`^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:(?P<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(?P<account>\d{12}):)?(?:function:)?(?P<name>[a-zA-Z0-9-_.]+)(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$`)
	qualifierGrammar    = regexp.MustCompile(`^[a-zA-Z0-9$_-]{1,128}$`)
)

// target is the function (and qualifier) a request names.
type target struct {
	Registration
	Account, Region string
	// Qualifier is $LATEST or an alias; Qualified says the request named
	// one (":$LATEST" included).
	Qualifier string
	Qualified bool
	fn        *function
}

// arn is the function's unqualified ARN.
func (t *target) arn() string {
	return "arn:" + partition(t.Region) + ":lambda:" + t.Region + ":" + t.Account + ":function:" + t.Name
}

// resourceARN is the ARN of the version or alias: unqualified for $LATEST.
func (t *target) resourceARN() string {
	if t.Qualifier == latest {
		return t.arn()
	}
	return t.arn() + ":" + t.Qualifier
}

func (t *target) policy() *qualified { return t.fn.qualifier(t.Qualifier) }

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// resolveOptions say how an operation treats a function of another account
// and a missing function.
type resolveOptions struct {
	crossAccount bool
	notFound     func(arn string) *core.Error
}

// resolve finds the function a FunctionName (and Qualifier) names, as Lambda
// reads them: a name, a partial or a full ARN, each optionally qualified.
func (svc *Service) resolve(c *core.Call, functionName string, r *http.Request, opts resolveOptions) (*target, error) {
	qualifier, hasQualifier := r.URL.Query().Get("Qualifier"), r.URL.Query().Has("Qualifier")
	var problems validation
	if len(functionName) > 256 {
		problems.fail(functionName, "functionName", "Member must have length less than or equal to 256")
	}
	m := functionNameGrammar.FindStringSubmatch(functionName)
	if m == nil {
		problems.fail(functionName, "functionName", "Member must satisfy regular expression pattern: "+functionNameFormat)
	}
	if hasQualifier && !qualifierGrammar.MatchString(qualifier) {
		problems.fail(qualifier, "qualifier", "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)")
	}
	if err := problems.err(); err != nil {
		return nil, err
	}
	region, account, name, nameQualifier := m[1], m[2], m[3], m[4]
	if hasQualifier && nameQualifier != "" && nameQualifier != qualifier {
		return nil, invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
	}
	if !hasQualifier {
		qualifier = nameQualifier
	}
	if region != "" && region != c.Region {
		return nil, resourceNotFound("Functions from '%s' are not reachable in this region ('%s')", region, c.Region)
	}
	if account == "" {
		account = c.Account
	}
	t := &target{Account: account, Region: c.Region, Qualifier: qualifier, Qualified: qualifier != ""}
	t.Name = name
	if t.Qualifier == "" {
		t.Qualifier = latest
	}
	if account != c.Account && !opts.crossAccount {
		return nil, accessDenied(c.Caller.Arn, "lambda:"+c.Operation, t.resourceARN())
	}
	notFound := opts.notFound
	if notFound == nil {
		notFound = functionNotFound
	}
	reg, ok := svc.registration(account, c.Region, name)
	if !ok {
		if qualifier != "" {
			return nil, notFound(t.arn() + ":" + qualifier)
		}
		return nil, notFound(t.arn())
	}
	if t.Qualifier != latest && !reg.hasAlias(t.Qualifier) {
		// No version is ever published: only $LATEST and the aliases exist.
		return nil, notFound(t.arn() + ":" + t.Qualifier)
	}
	t.Registration = reg
	t.fn = svc.function(account, c.Region, name, c.Now)
	return t, nil
}

// function returns the state of a registered function in a world, making
// it on first use.
func (svc *Service) function(account, region, name string, now time.Time) *function {
	key := account + "/" + region
	w := svc.state.Worlds[key]
	if w == nil {
		w = &world{Functions: map[string]*function{}}
		svc.state.Worlds[key] = w
	}
	fn := w.Functions[name]
	if fn == nil {
		fn = &function{LastModified: now.Truncate(time.Millisecond), Qualifiers: map[string]*qualified{}}
		w.Functions[name] = fn
	}
	return fn
}

// qualifier returns the revision and policy of $LATEST or an alias.
func (fn *function) qualifier(q string) *qualified {
	state := fn.Qualifiers[q]
	if state == nil {
		state = &qualified{RevisionID: newRevisionID()}
		fn.Qualifiers[q] = state
	}
	return state
}

func newRevisionID() string {
	id, _ := core.NewRequestID()
	return id
}

type functionConfiguration struct {
	FunctionName     string           `json:"FunctionName"`
	FunctionArn      string           `json:"FunctionArn"`
	Runtime          string           `json:"Runtime"`
	Role             string           `json:"Role"`
	Handler          string           `json:"Handler"`
	CodeSize         int64            `json:"CodeSize"`
	Description      string           `json:"Description"`
	Timeout          int              `json:"Timeout"`
	MemorySize       int              `json:"MemorySize"`
	LastModified     string           `json:"LastModified"`
	CodeSha256       string           `json:"CodeSha256"`
	Version          string           `json:"Version"`
	TracingConfig    map[string]any   `json:"TracingConfig"`
	RevisionID       string           `json:"RevisionId"`
	State            string           `json:"State"`
	LastUpdateStatus string           `json:"LastUpdateStatus"`
	PackageType      string           `json:"PackageType"`
	Architectures    []string         `json:"Architectures"`
	EphemeralStorage map[string]int64 `json:"EphemeralStorage"`
}

type functionCodeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

type getFunctionOutput struct {
	Configuration functionConfiguration `json:"Configuration"`
	Code          functionCodeLocation  `json:"Code"`
}

// emptyZipSha256 is the CodeSha256 of every function: they have no code
// here.
const emptyZipSha256 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

func (svc *Service) getFunction(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	t, err := svc.resolve(c, params["FunctionName"], r, resolveOptions{})
	if err != nil {
		return 0, nil, err
	}
	functionARN := t.arn()
	if t.Qualified {
		functionARN += ":" + t.Qualifier
	}
	return http.StatusOK, getFunctionOutput{
		Configuration: functionConfiguration{
			FunctionName:     t.Name,
			FunctionArn:      functionARN,
			Runtime:          "provided.al2023",
			Role:             "arn:" + partition(t.Region) + ":iam::" + t.Account + ":role/" + t.Name + "-role",
			Handler:          "bootstrap",
			Timeout:          int(t.timeout().Seconds()),
			MemorySize:       128,
			LastModified:     t.fn.LastModified.Format("2006-01-02T15:04:05.000-0700"),
			CodeSha256:       emptyZipSha256,
			Version:          latest,
			TracingConfig:    map[string]any{"Mode": "PassThrough"},
			RevisionID:       t.policy().RevisionID,
			State:            "Active",
			LastUpdateStatus: "Successful",
			PackageType:      "Zip",
			Architectures:    []string{"x86_64"},
			EphemeralStorage: map[string]int64{"Size": 512},
		},
		Code: functionCodeLocation{
			RepositoryType: "S3",
			Location: fmt.Sprintf("https://awslambda-%s-tasks.s3.%s.amazonaws.com/snapshots/%s/%s-%s",
				t.Region, t.Region, t.Account, t.Name, t.policy().RevisionID),
		},
	}, nil
}
