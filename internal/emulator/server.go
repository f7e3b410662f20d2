package emulator

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
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
	// signed by one of these keys (or by temporary keys issued by AssumeRole).
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
}

// Server is the emulator: one http.Handler serving API Gateway v1 and v2, STS,
// the HTTP API data plane and a small admin API under /_emulator/.
type Server struct {
	opts Options

	// mu serialises every call that reads or changes state.
	mu       sync.Mutex
	services []namedService
	v2       *v2Service
	sts      *stsService
	routes   *router
	quotas   *quotaBook
	stats    *statsRecorder
	store    *stateStore
	data     http.Handler
	random   *rand.Rand
	randomMu sync.Mutex

	httpServer *http.Server
}

// namedService is a service and the key of its state in the state file.
type namedService struct {
	name string
	service
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
	s := &Server{
		opts:   opts,
		quotas: newQuotaBook(opts.Quotas, opts.QuotaTimeScale),
		stats:  newStatsRecorder(),
		random: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0)),
	}
	s.v2 = newV2Service(s.apiEndpointBase)
	s.sts = newSTSService(opts.Credentials)
	s.register("apigatewayv2", s.v2)
	s.register("apigateway", newRestAPIService())
	s.routes = newRouter(s.services)
	s.data = newDataPlane(lockedDataPlaneSource{s})
	if opts.StateFile != "" {
		s.store = &stateStore{path: opts.StateFile}
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) register(name string, svc service) {
	s.services = append(s.services, namedService{name: name, service: svc})
}

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

// Close stops a server started by Start. State is already on disk: it is
// written through after every mutating call.
func (s *Server) Close() error {
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

// chance reports true with probability p.
func (s *Server) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	s.randomMu.Lock()
	defer s.randomMu.Unlock()
	return s.random.Float64() < p
}
