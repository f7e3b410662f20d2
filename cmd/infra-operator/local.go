package main

import (
	"context"
	"flag"
	"os"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/runner-codes/infra-operator/internal/local"
)

// runLocal is `infra-operator local`: flags in, internal/local does the rest.
func runLocal(ctx context.Context, args []string) error {
	// etcd and kube-apiserver are started through this binary, which makes
	// them die with `local` (see local.ExecTiedToParent).
	if len(args) > 0 && args[0] == local.ExecTiedToParentArg {
		return local.ExecTiedToParent(args[1:])
	}
	flags := flag.NewFlagSet("local", flag.ContinueOnError)
	opts := local.Options{Out: os.Stdout, Progress: os.Stderr}
	flags.StringVar(&opts.DataDir, "data-dir", local.DefaultDataDir(), "where etcd's data, the emulator's state and the kubeconfig are kept across restarts")
	flags.Func("f", "a YAML file or directory to apply (repeatable); default: the seed's examples", func(path string) error {
		opts.Files = append(opts.Files, path)
		return nil
	})
	flags.StringVar(&opts.EmulatorAddr, "emulator-addr", local.DefaultEmulatorAddr, "where the bundled AWS API Gateway emulator listens")
	flags.StringVar(&opts.ServicesAddr, "services-addr", local.DefaultServicesAddr, "where the serving samples' JWT issuer, HTTP backend and Lambda function listen (the samples name this address)")
	flags.StringVar(&opts.AWSEndpoint, "aws-endpoint", "", "URL of an emulator already running; the bundled one is then not started")
	flags.StringVar(&opts.Manager.MetricsBindAddress, "metrics-bind-address", "0", `address of the operator's /metrics endpoint; "0" turns it off`)
	flags.StringVar(&opts.Manager.HealthProbeBindAddress, "health-probe-bind-address", "0", `address of /healthz and /readyz; "0" turns them off`)
	flags.DurationVar(&opts.Manager.ResyncPeriod, "resync-period", time.Minute, "how often a Ready API is re-read from the emulator to heal drift")
	flags.IntVar(&opts.Manager.MaxConcurrentReconciles, "max-concurrent-reconciles", 4, "reconciles run at once, per kind")
	zapOptions := zap.Options{}
	zapOptions.BindFlags(flags)
	if err := flags.Parse(args); err != nil {
		return err
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOptions)))
	return local.Run(ctx, opts)
}
