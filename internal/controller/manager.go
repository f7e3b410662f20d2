// Package controller is the operator itself: a controller-runtime manager
// with the APIGateway reconciler, which keeps each API in AWS as its object
// says through the shared managed reconciler, and the AWSProvider and
// ClusterAWSProvider reconcilers, which authenticate providers with STS and
// keep them, and the Secrets they read, while APIGateways use them.
package controller

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
)

// leaderElectionID names the Lease replicas compete for.
const leaderElectionID = "infra-operator.aws-infra-operator.runner.codes"

// Options are what `infra-operator run`, `local` and the tests choose.
type Options struct {
	// AWS builds the AWS clients of a provider.
	AWS *session.Factory
	// MetricsBindAddress serves /metrics; "0" turns it off.
	MetricsBindAddress string
	// SecureMetrics serves /metrics over HTTPS to authenticated and
	// authorized callers only: each request's bearer token is checked with
	// a TokenReview, and its right to get the /metrics non-resource URL
	// with a SubjectAccessReview (the operator needs create on both; a
	// scraper needs the metrics-reader ClusterRole). Off, /metrics is
	// plain HTTP to anyone who reaches the port.
	SecureMetrics bool
	// MetricsCertDir holds tls.crt and tls.key for SecureMetrics; empty
	// means a self-signed certificate generated at start.
	MetricsCertDir string
	// HealthProbeBindAddress serves /healthz and /readyz; "" or "0" turns it off.
	HealthProbeBindAddress string
	LeaderElection         bool
	// LeaderElectionNamespace is where the Lease lives; empty means the
	// namespace the operator runs in.
	LeaderElectionNamespace string
	// Namespaces limits what is watched; empty means every namespace. A
	// providerRef into an unwatched namespace then reads as not found.
	Namespaces []string
	// ResyncPeriod is how often a Ready API is re-observed to heal drift.
	ResyncPeriod time.Duration
	// MaxConcurrentReconciles per controller.
	MaxConcurrentReconciles int
	// Observation is how APIs are read back from AWS for drift checks:
	// ObservationBatched (the default) or ObservationPerObject.
	Observation Observation
	// KubeAPIQPS and KubeAPIBurst bound the operator's requests to the
	// Kubernetes API server; zero means 50 and 100. client-go's own default
	// (5/s, burst 10) would make finalizer, status and event writes, not
	// AWS's quotas, the bound on how fast thousands of APIs come up.
	KubeAPIQPS   float32
	KubeAPIBurst int
	// SkipControllerNameValidation lets several managers run in one process
	// (tests).
	SkipControllerNameValidation bool
}

// Observation is how the operator reads APIs back from AWS.
type Observation string

const (
	// ObservationBatched reads every API of an account, region and protocol
	// family with one list walk per resync period, shared by all objects
	// and providers: AWS's request quota is account-wide, so per-object
	// reads would not scale to thousands of APIs.
	ObservationBatched Observation = "batched"
	// ObservationPerObject reads each API with its own Get every resync,
	// and lists the family to find an API by its owner tag before a create.
	ObservationPerObject Observation = "per-object"
)

// ParseObservation accepts the names above; "" means batched.
func ParseObservation(name string) (Observation, error) {
	switch o := Observation(name); o {
	case "", ObservationBatched:
		return ObservationBatched, nil
	case ObservationPerObject:
		return o, nil
	default:
		return "", fmt.Errorf("unknown observation %q: want %q or %q", name, ObservationBatched, ObservationPerObject)
	}
}

// Scheme holds the kinds the operator reads and writes.
func Scheme() (*runtime.Scheme, error) {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	return scheme, nil
}

// NewManager builds the operator: a manager with both reconcilers, the field
// indexes they share and the health checks. Start it with mgr.Start.
func NewManager(cfg *rest.Config, opts Options) (ctrl.Manager, error) {
	if opts.AWS == nil {
		return nil, errors.New("controller.Options.AWS is required")
	}
	scheme, err := Scheme()
	if err != nil {
		return nil, err
	}
	mgrOptions := ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsOptions(opts),
		HealthProbeBindAddress:  opts.HealthProbeBindAddress,
		LeaderElection:          opts.LeaderElection,
		LeaderElectionID:        leaderElectionID,
		LeaderElectionNamespace: opts.LeaderElectionNamespace,
		// The process exits right after losing the lease, so nothing runs
		// twice; releasing it on shutdown lets the next replica take over at once.
		LeaderElectionReleaseOnCancel: true,
		// managedFields are often half of a cached object and the operator
		// never reads them: with thousands of APIGateways that is most of
		// its memory.
		Cache: cache.Options{
			DefaultTransform: cache.TransformStripManagedFields(),
			// Only the Secrets providers read, and of each only the
			// credentials: the operator never lists the others.
			ByObject: map[client.Object]cache.ByObject{&corev1.Secret{}: {Label: credentialsSelector, Transform: credentialsOnly}},
		},
	}
	if len(opts.Namespaces) > 0 {
		mgrOptions.Cache.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range opts.Namespaces {
			mgrOptions.Cache.DefaultNamespaces[ns] = cache.Config{}
		}
	}
	mgr, err := ctrl.NewManager(withKubeAPILimits(cfg, opts), mgrOptions)
	if err != nil {
		return nil, err
	}
	if err := setup(context.Background(), mgr, opts); err != nil {
		return nil, err
	}
	return mgr, nil
}

// metricsOptions serves /metrics plain, or with TLS, authentication and
// authorization through the API server (controller-runtime's filters, as
// kubebuilder scaffolds them) when opts.SecureMetrics.
func metricsOptions(opts Options) metricsserver.Options {
	metrics := metricsserver.Options{BindAddress: opts.MetricsBindAddress}
	if opts.SecureMetrics {
		metrics.SecureServing = true
		metrics.FilterProvider = filters.WithAuthenticationAndAuthorization
		// Without tls.crt and tls.key in CertDir, controller-runtime serves
		// a self-signed certificate it makes in memory at start.
		metrics.CertDir = opts.MetricsCertDir
		// HTTP/1.1 only, as kubebuilder scaffolds: HTTP/2's stream reset
		// and rapid-reset attacks (CVE-2023-44487) reach the server before
		// any authentication.
		metrics.TLSOpts = []func(*tls.Config){func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} }}
	}
	return metrics
}

// withKubeAPILimits returns a copy of cfg with the operator's client-side
// limits on Kubernetes API requests.
func withKubeAPILimits(cfg *rest.Config, opts Options) *rest.Config {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 50, 100
	if opts.KubeAPIQPS > 0 {
		cfg.QPS = opts.KubeAPIQPS
	}
	if opts.KubeAPIBurst > 0 {
		cfg.Burst = opts.KubeAPIBurst
	}
	return cfg
}

func setup(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if err := setupIndexes(ctx, mgr); err != nil {
		return err
	}
	controllerOptions := controller.Options{
		MaxConcurrentReconciles: max(opts.MaxConcurrentReconciles, 1),
		SkipNameValidation:      &opts.SkipControllerNameValidation,
	}
	resync := opts.ResyncPeriod
	if resync <= 0 {
		resync = 5 * time.Minute
	}
	observation, err := ParseObservation(string(opts.Observation))
	if err != nil {
		return err
	}
	resolver := &providers.Resolver{
		Reader:  mgr.GetClient(),
		Secrets: secretReader{cache: mgr.GetClient(), api: mgr.GetAPIReader()},
	}
	// Every managed kind's reconciler shares the client, the provider
	// resolver and the resync period; each records its own events.
	managedOptions := func(controllerName string) managed.Options {
		return managed.Options{
			Client:       mgr.GetClient(),
			Providers:    resolver,
			Recorder:     mgr.GetEventRecorder(controllerName),
			ResyncPeriod: resync,
		}
	}
	gateways := &APIGateways{AWS: opts.AWS, Reader: mgr.GetClient(), ConfigMaps: mgr.GetAPIReader(), ResponseResync: responseResync(resync)}
	if observation == ObservationBatched {
		gateways.Inventory = gateway.NewInventory(resync)
	}
	gatewayReconciler := managed.New(gateways.Kind(), managedOptions("apigateway-controller"))
	if err := gateways.SetupWithManager(mgr, gatewayReconciler, controllerOptions); err != nil {
		return err
	}
	vpcLinks := &APIGatewayVPCLinks{AWS: opts.AWS, Reader: mgr.GetClient(), Poll: vpcLinkPoll(resync)}
	vpcLinkReconciler := managed.New(vpcLinks.Kind(), managedOptions("apigatewayvpclink-controller"))
	if err := vpcLinks.SetupWithManager(mgr, vpcLinkReconciler, controllerOptions); err != nil {
		return err
	}
	if err := setupUsagePlansAndKeys(mgr, opts, managedOptions, controllerOptions); err != nil {
		return err
	}
	domainNames := &APIGatewayDomainNames{AWS: opts.AWS, Reader: mgr.GetClient(), Poll: vpcLinkPoll(resync)}
	domainNameReconciler := managed.New(domainNames.Kind(), managedOptions("apigatewaydomainname-controller"))
	if err := domainNames.SetupWithManager(mgr, domainNameReconciler, controllerOptions); err != nil {
		return err
	}
	secrets := &SecretProtection{Client: mgr.GetClient(), Reader: resolver.Secrets}
	namespaced := &ProviderReconciler[*v1alpha1.AWSProvider]{
		Client: mgr.GetClient(), Secrets: secrets, AWS: opts.AWS, Kind: v1alpha1.KindAWSProvider,
		Recorder: mgr.GetEventRecorder("awsprovider-controller"),
		New:      func() *v1alpha1.AWSProvider { return &v1alpha1.AWSProvider{} },
	}
	if err := namespaced.SetupWithManager(mgr, controllerOptions); err != nil {
		return err
	}
	clusterScoped := &ProviderReconciler[*v1alpha1.ClusterAWSProvider]{
		Client: mgr.GetClient(), Secrets: secrets, AWS: opts.AWS, Kind: v1alpha1.KindClusterAWSProvider,
		Recorder: mgr.GetEventRecorder("clusterawsprovider-controller"),
		New:      func() *v1alpha1.ClusterAWSProvider { return &v1alpha1.ClusterAWSProvider{} },
	}
	if err := clusterScoped.SetupWithManager(mgr, controllerOptions); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	return mgr.AddReadyzCheck("readyz", healthz.Ping)
}

// responseResync is how often the route and integration responses of a
// WebSocket API are read in full: every sixth resync (30 min at the default
// 5 min), since they cost a call per child where every other child family
// costs one list per API. A response changed outside Kubernetes is healed
// by the first pass after this period; any change the operator makes to
// the API reads them again at the next pass.
func responseResync(resync time.Duration) time.Duration {
	return 6 * resync
}
