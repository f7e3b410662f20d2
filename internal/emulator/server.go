// Package emulator is a local, wire-compatible emulator of the AWS API Gateway
// management APIs (apigateway v1 for REST APIs, apigatewayv2 for HTTP and
// WebSocket APIs), of the STS calls an operator makes, and of the HTTP API data
// plane. It imports nothing of the operator: it is held to the real AWS SDKs and
// the AWS CLI, so that tests against it say something about AWS.
//
// This package only wires the services (apigateway, apigatewayv2, sts, lambda) and
// the data plane to the dispatcher of core; see docs/emulator.md.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/apigateway"
	"github.com/runner-codes/infra-operator/internal/emulator/apigatewayv2"
	"github.com/runner-codes/infra-operator/internal/emulator/auth"
	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/dataplane"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
	"github.com/runner-codes/infra-operator/internal/emulator/httpplane"
	"github.com/runner-codes/infra-operator/internal/emulator/lambda"
	"github.com/runner-codes/infra-operator/internal/emulator/sts"
	"github.com/runner-codes/infra-operator/internal/emulator/wsplane"
)

// Credential is an access key the emulator knows, and the account it acts as.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	Account         string
}

// Options configure a Server. The zero value is a permissive emulator: no
// signature checks, no quotas, no faults, state in memory only.
type Options struct {
	// DefaultAccount is the account of callers whose access key is unknown
	// (or absent). Defaults to "000000000000".
	DefaultAccount string
	// Credentials, when non-empty, turn SigV4 verification on: requests must be
	// signed by one of these keys (or by temporary keys issued by AssumeRole),
	// the admin endpoints under /_emulator/ included.
	Credentials []Credential
	// Quotas enables AWS's control-plane rate limits (per account and region).
	Quotas bool
	// QuotaTimeScale speeds every quota up by this factor (default 1), so a
	// scaled scenario runs in less wall time.
	QuotaTimeScale float64
	// FaultRate is the fraction of control-plane calls answered with an
	// injected 500 or 503.
	FaultRate float64
	// Latency is added to every control-plane call.
	Latency time.Duration
	// StateFile, when set, is read at start and rewritten atomically after
	// every successful mutating call.
	StateFile string
	// AdvertisedHost is the host the v2 apiEndpoint names, as
	// {apiId}.execute-api.{AdvertisedHost}:{AdvertisedPort}. Defaults to
	// "localhost".
	AdvertisedHost string
	// AdvertisedPort is the port of apiEndpoint; Start sets it to the port it
	// listens on when it is zero. Zero leaves the port out.
	AdvertisedPort int
	// LambdaFunctions are the Lambda functions that exist from the start
	// (the emulator has no CreateFunction): an empty Account is
	// DefaultAccount, an empty Region every region. They are declared anew
	// at each start and are not part of the state file; their policies are.
	// A function with a Handler runs it locally (see lambda.Registration).
	LambdaFunctions []LambdaFunction
	// LambdaLogs receives the stdout and stderr of the functions' handler
	// processes; nil discards them.
	LambdaLogs io.Writer
	// AccessLog, when set, gets one line per invoke request (see
	// dataplane.AccessLog).
	AccessLog io.Writer
}

// LambdaFunction declares a Lambda function (see lambda.Registration).
type LambdaFunction = lambda.Registration

// ParseLambdaFunction reads a --lambda-function value:
// [ACCOUNT:REGION:]NAME[:ALIAS[,ALIAS...]][@TIMEOUT][=ENDPOINT|=exec:PATH].
func ParseLambdaFunction(value string) (LambdaFunction, error) {
	return lambda.ParseRegistration(value)
}

// Stats counts control-plane calls by operation and invoke requests by API,
// stage and route (see core.Stats).
type Stats = core.Stats

// Server is the emulator: one http.Handler serving API Gateway v1 and v2, STS,
// Lambda's permission API, the HTTP API data plane and a small admin API
// under /_emulator/.
type Server struct {
	opts       Options
	dispatcher *core.Dispatcher
	httpServer *http.Server
	lambda     *lambda.Service
	functions  execute.Functions
}

// New builds a server and, when opts.StateFile exists, loads its state.
func New(opts Options) (*Server, error) {
	if opts.DefaultAccount == "" {
		opts.DefaultAccount = "000000000000"
	}
	if opts.QuotaTimeScale <= 0 {
		opts.QuotaTimeScale = 1
	}
	if opts.AdvertisedHost == "" {
		opts.AdvertisedHost = "localhost"
	}
	if opts.FaultRate < 0 || opts.FaultRate > 1 {
		return nil, fmt.Errorf("fault rate %v is not within [0, 1]", opts.FaultRate)
	}
	s := &Server{opts: opts}
	// stateLock serialises the dispatcher's calls and the two readers that
	// run outside it: the data plane and the lookup of keys STS issued.
	stateLock := &sync.Mutex{}
	v2 := apigatewayv2.New(s.apiEndpointBase)
	rest := apigateway.New()
	tokens := sts.New()
	lambdaService, err := lambda.New(lambda.Config{DefaultAccount: opts.DefaultAccount, Functions: opts.LambdaFunctions, Logs: opts.LambdaLogs})
	if err != nil {
		return nil, err
	}
	s.lambda = lambdaService
	// functions is how the data planes invoke Lambda functions (proxy
	// integrations, authorizers); it takes the state lock itself.
	functions := lambdaService.ForAPIGateway(stateLock)
	s.functions = functions
	// apiAuthorizers decides the data planes' Lambda and JWT authorizers
	// and keeps their result caches.
	apiAuthorizers := authorizers.New(authorizers.Config{Functions: functions})
	credentials := make([]auth.Credential, len(opts.Credentials))
	for i, c := range opts.Credentials {
		credentials[i] = auth.Credential{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, Account: c.Account}
	}
	authenticator := auth.New(credentials, opts.DefaultAccount, func(accessKeyID string) (auth.Key, bool) {
		stateLock.Lock()
		defer stateLock.Unlock()
		return tokens.IssuedKey(accessKeyID)
	})
	frontDoor := s.newFrontDoor(stateLock, v2, rest, functions, apiAuthorizers, authenticator)
	dispatcher, err := core.NewDispatcher(core.Config{
		Quotas:         opts.Quotas,
		QuotaTimeScale: opts.QuotaTimeScale,
		FaultRate:      opts.FaultRate,
		Latency:        opts.Latency,
		StateFile:      opts.StateFile,
		StateLock:      stateLock,
		Auth:           authenticator,
		Services:       []core.Service{v2, rest, tokens, lambdaService},
		DataPlane:      frontDoor,
		IsDataPlane:    frontDoor.Claims,
	})
	if err != nil {
		return nil, err
	}
	s.dispatcher = dispatcher
	return s, nil
}

// newFrontDoor wires the data plane: its planes, the custom domain names
// (read under the state lock) and its observers, the stats (counted by the
// dispatcher, which is built after it) and the access log.
func (s *Server) newFrontDoor(stateLock *sync.Mutex, v2 *apigatewayv2.Service, rest *apigateway.Service, functions execute.Functions,
	apiAuthorizers *authorizers.Authorizers, authenticator *auth.Authenticator) *dataplane.FrontDoor {
	source := lockedSource{lock: stateLock, source: v2}
	observers := []dataplane.Observer{s.countDataPlane}
	if s.opts.AccessLog != nil {
		observers = append(observers, dataplane.AccessLog(s.opts.AccessLog))
	}
	return dataplane.New(dataplane.Config{
		Planes: []execute.Plane{
			httpplane.New(httpplane.Config{Source: source, Functions: functions, Authorizers: apiAuthorizers}),
			wsplane.New(wsplane.Config{Source: source, Functions: functions, Authorizers: apiAuthorizers, Authenticator: authenticator}),
		},
		Domains:   dataplane.DomainsFunc(underLock(stateLock, rest.DomainMappings)),
		OwnHosts:  []string{"localhost", s.opts.AdvertisedHost},
		Observers: observers,
	})
}

func (s *Server) countDataPlane(e dataplane.Exchange) {
	s.dispatcher.CountDataPlane(core.DataPlaneRequest{
		APIID: e.Invoke.APIID, Stage: e.Invoke.MatchedStage, Route: e.Invoke.MatchedRoute,
		CustomDomain: e.Invoke.CustomDomain, Status: e.Status,
	})
}

// lockedSource gives the data planes a consistent read of the v2 control
// plane under the state lock, which they never hold while they wait on an
// integration.
type lockedSource struct {
	lock   *sync.Mutex
	source *apigatewayv2.Service
}

func (l lockedSource) DeployedAPI(apiID string) (httpplane.API, bool) {
	return underLock(l.lock, l.source.DeployedAPI)(apiID)
}

// underLock returns read run under the state lock.
func underLock[K, V any](lock *sync.Mutex, read func(K) (V, bool)) func(K) (V, bool) {
	return func(key K) (V, bool) {
		lock.Lock()
		defer lock.Unlock()
		return read(key)
	}
}

func (l lockedSource) WebSocketAPI(apiID string) (wsplane.API, bool) {
	return underLock(l.lock, l.source.WebSocketAPI)(apiID)
}

// ServeHTTP serves every endpoint of the emulator.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.dispatcher.ServeHTTP(w, r) }

// Functions invokes the registered Lambda functions as API Gateway does
// (checking their resource policies), for the data planes; it takes the
// state lock itself, so a caller must not hold it.
func (s *Server) Functions() execute.Functions { return s.functions }

// Stats returns the counters of control-plane calls and invoke requests.
func (s *Server) Stats() Stats { return s.dispatcher.Stats() }

// Start builds a server and serves it on listenAddr (":0" picks a port) in a
// goroutine. It returns the base URL, such as http://127.0.0.1:4566.
func Start(opts Options, listenAddr string) (*Server, string, error) {
	listener, err := net.Listen("tcp", listenAddr)
	if err != nil {
		return nil, "", err
	}
	if opts.AdvertisedPort == 0 {
		opts.AdvertisedPort = listener.Addr().(*net.TCPAddr).Port
	}
	s, err := New(opts)
	if err != nil {
		listener.Close()
		return nil, "", err
	}
	s.httpServer = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go s.httpServer.Serve(listener) //nolint:errcheck // Serve returns ErrServerClosed on Close.
	return s, "http://" + listener.Addr().String(), nil
}

// Close stops a server started by Start, and the Lambda functions' handler
// processes of any server. State is already on disk: it is written through
// after every mutating call.
func (s *Server) Close() error {
	return errors.Join(s.stopServing(), s.lambda.Close())
}

func (s *Server) stopServing() error {
	if s.httpServer == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.httpServer.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.httpServer.Close()
	}
	return err
}

// apiEndpointBase returns the scheme-less "execute-api.{host}[:port]" suffix
// of an API's invoke host.
func (s *Server) apiEndpointBase() string {
	base := "execute-api." + s.opts.AdvertisedHost
	if s.opts.AdvertisedPort != 0 {
		base += ":" + strconv.Itoa(s.opts.AdvertisedPort)
	}
	return base
}
