package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/controller"
)

// runOperator is `infra-operator run`: flags in, a manager out, run until
// the context ends (SIGINT/SIGTERM).
func runOperator(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("run", flag.ContinueOnError)
	var (
		kubeconfig  = flags.String("kubeconfig", "", "path to a kubeconfig; default: in-cluster config, then $KUBECONFIG, then ~/.kube/config")
		namespaces  = flags.String("namespaces", "", "comma-separated namespaces to watch; empty watches every namespace")
		opts        = controller.Options{}
		observation = flags.String("observation", string(controller.ObservationBatched),
			`how APIs are read back from AWS: "batched" (one list walk per account, region and protocol family per resync period) or "per-object" (one Get per API per resync)`)
		sharedRateLimiter = flags.Bool("shared-rate-limiter", true,
			"pace every AWS call through one client-side limiter per account and region, shaped like API Gateway's quotas (10 requests/s, burst 40, CreateRestApi 1 per 3 s...)")
		kubeAPIQPS     = flags.Float64("kube-api-qps", 50, "requests per second to the Kubernetes API server")
		quotaTimeScale = flags.Float64("quota-time-scale", 1,
			"for benchmarks against the emulator only: run the client-side limiter this many times faster, to match the emulator's --quota-time-scale")
	)
	flags.StringVar(&opts.MetricsBindAddress, "metrics-bind-address", ":8443", `address of the /metrics endpoint; "0" turns it off`)
	flags.BoolVar(&opts.SecureMetrics, "metrics-secure", true,
		"serve /metrics over HTTPS to callers whose bearer token the API server authenticates (TokenReview) and authorizes for get on the /metrics URL (SubjectAccessReview); false serves plain HTTP to anyone")
	flags.StringVar(&opts.MetricsCertDir, "metrics-cert-dir", "", "directory with tls.crt and tls.key for --metrics-secure; empty: a self-signed certificate made at start")
	flags.StringVar(&opts.HealthProbeBindAddress, "health-probe-bind-address", ":8081", `address of /healthz and /readyz; "0" turns them off`)
	flags.BoolVar(&opts.LeaderElection, "leader-elect", false, "elect a leader, so that only one replica reconciles")
	flags.StringVar(&opts.LeaderElectionNamespace, "leader-election-namespace", "", "namespace of the leader-election Lease; default: the operator's own")
	flags.DurationVar(&opts.ResyncPeriod, "resync-period", 5*time.Minute, "how often a Ready API is re-read from AWS to heal drift (jittered ±10%)")
	flags.IntVar(&opts.MaxConcurrentReconciles, "max-concurrent-reconciles", 8, "reconciles run at once, per kind; AWS's 10 requests/s per account leaves little for more")
	flags.IntVar(&opts.KubeAPIBurst, "kube-api-burst", 100, "burst of requests to the Kubernetes API server")
	zapOptions := zap.Options{}
	zapOptions.BindFlags(flags)
	if err := flags.Parse(args); err != nil {
		return err
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOptions)))

	cfg, err := restConfig(*kubeconfig)
	if err != nil {
		return err
	}
	opts.Namespaces = splitList(*namespaces)
	opts.KubeAPIQPS = float32(*kubeAPIQPS)
	if opts.Observation, err = controller.ParseObservation(*observation); err != nil {
		return err
	}
	opts.AWS = session.NewFactory(nil)
	if *sharedRateLimiter {
		limiters := session.NewLimiters()
		limiters.TimeScale = *quotaTimeScale
		opts.AWS = session.NewFactory(limiters)
	}
	mgr, err := controller.NewManager(cfg, opts)
	if err != nil {
		return fmt.Errorf("building the manager: %w", err)
	}
	return mgr.Start(ctx)
}

func restConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig != "" {
		return clientcmd.BuildConfigFromFlags("", kubeconfig)
	}
	return ctrl.GetConfig()
}

func splitList(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
