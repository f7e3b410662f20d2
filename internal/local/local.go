// Package local is `infra-operator local`: a Kubernetes API server (etcd and
// kube-apiserver, run by envtest), the AWS API Gateway emulator and the
// operator, in one process, with their state in one directory so that a
// restart finds everything as it was.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/config/samples"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/controller"
	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/kubeassets"
)

// DefaultEmulatorAddr is where the emulator listens unless told otherwise;
// 4566 is LocalStack's port, which AWS tooling often assumes.
const DefaultEmulatorAddr = "127.0.0.1:4566"

// Options are the flags of `infra-operator local`.
type Options struct {
	// DataDir keeps etcd's data, the emulator's state and the kubeconfig.
	DataDir string
	// Files are YAML files or directories to apply; empty applies the seed's
	// examples embedded from config/samples.
	Files []string
	// EmulatorAddr is where the bundled emulator listens.
	EmulatorAddr string
	// AWSEndpoint, when set, is an emulator already running elsewhere: the
	// bundled one is not started and providers point there.
	AWSEndpoint string
	// ServicesAddr is where the serving samples' JWT issuer, HTTP backend
	// and Lambda function are served (DefaultServicesAddr).
	ServicesAddr string
	// Manager configures the operator; its AWS field is filled in here.
	Manager controller.Options
	// Out receives what the user reads: refusals, instructions, the table.
	Out io.Writer
	// Progress receives the progress of a cold build of kube-apiserver and etcd.
	Progress io.Writer
}

// DefaultDataDir is $XDG_CACHE_HOME/infra-operator/local (or the OS's
// equivalent).
func DefaultDataDir() string {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	return filepath.Join(cache, "infra-operator", "local")
}

// Run starts everything, applies the files, writes the kubeconfig once all
// is ready, then shows the APIGateways until ctx ends, and stops everything.
func Run(ctx context.Context, opts Options) (err error) {
	layout := dataLayout(opts.DataDir)
	if err := os.MkdirAll(string(layout), 0o700); err != nil {
		return err
	}
	// A kubeconfig left by an earlier run names an API server that is gone:
	// whoever waits for it must wait for this run's.
	if err := os.Remove(layout.kubeconfig()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	manifests, err := readRequestedManifests(opts.Files)
	if err != nil {
		return err
	}
	assetsDir, err := kubeassets.Ensure(ctx, opts.Progress)
	if err != nil {
		return err
	}

	services, err := startSampleServices(opts.ServicesAddr)
	if err != nil {
		return err
	}
	defer services.close()

	endpoint := opts.AWSEndpoint
	if endpoint == "" {
		server, baseURL, err := emulator.Start(emulator.Options{
			StateFile:       layout.emulatorState(),
			LambdaFunctions: services.lambdaFunctions(),
		}, opts.EmulatorAddr)
		if err != nil {
			return fmt.Errorf("starting the emulator on %s: %w", opts.EmulatorAddr, err)
		}
		defer server.Close()
		endpoint = baseURL
	}

	plane, err := startControlPlane(layout, assetsDir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, plane.stop()) }()

	err = serve(ctx, plane, opts, layout, manifests, endpoint, services.url)
	if ctx.Err() != nil {
		return nil // stopped on request (Ctrl-C), perhaps in the middle of starting
	}
	return err
}

// serve runs the operator against the started control plane until ctx ends.
func serve(ctx context.Context, plane *controlPlane, opts Options, layout dataLayout, manifests []manifest, endpoint, servicesURL string) error {
	managerOptions := opts.Manager
	managerOptions.AWS = session.NewFactory(session.NewLimiters())
	mgr, err := controller.NewManager(plane.cfg, managerOptions)
	if err != nil {
		return fmt.Errorf("building the operator: %w", err)
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	managerErr := make(chan error, 1)
	managerStopped := make(chan struct{})
	go func() {
		defer close(managerStopped)
		managerErr <- mgr.Start(ctx)
	}()
	// The manager's stop is waited for on every way out, so that nothing
	// still talks to the API server when it is stopped.
	defer func() { stop(); <-managerStopped }()

	if !mgr.GetCache().WaitForCacheSync(ctx) {
		return fmt.Errorf("the operator did not start: %w", context.Cause(ctx))
	}
	writer, err := client.New(plane.cfg, client.Options{Scheme: mgr.GetScheme()})
	if err != nil {
		return err
	}
	if err := applyManifests(ctx, writer, manifests, endpoint, opts.Out); err != nil {
		return err
	}
	kubeconfig, err := plane.adminKubeconfig()
	if err != nil {
		return err
	}
	if err := os.WriteFile(layout.kubeconfig(), kubeconfig, 0o600); err != nil {
		return err
	}
	printInstructions(opts.Out, layout.kubeconfig(), endpoint, servicesURL)

	go showGateways(ctx, mgr.GetClient(), opts.Out)
	select {
	case <-ctx.Done():
		return nil
	case err := <-managerErr:
		return fmt.Errorf("the operator stopped: %w", err)
	}
}

func readRequestedManifests(files []string) ([]manifest, error) {
	if len(files) > 0 {
		return readManifestPaths(files)
	}
	return readManifests(samples.Examples)
}

// printInstructions tells how to reach the API server and an API.
func printInstructions(out io.Writer, kubeconfig, endpoint, servicesURL string) {
	emulatorHost := "127.0.0.1:4566"
	if parsed, err := url.Parse(endpoint); err == nil && parsed.Host != "" {
		emulatorHost = parsed.Host
	}
	// The emulator names an API's host {apiId}.execute-api.localhost:{its port}.
	_, port, _ := strings.Cut(emulatorHost, ":")
	fmt.Fprintf(out, `
infra-operator local is ready.
  export KUBECONFIG=%s
  kubectl get apigateways -A
Call an HTTP API through the emulator (API-ID from the table below):
  curl http://API-ID.execute-api.localhost:%s/
  curl -H 'Host: API-ID.execute-api.localhost:%s' http://%s/   # where *.localhost does not resolve
A token from the local JWT issuer, for routes behind a JWT authorizer:
  curl -s -X POST %s%s/token -d client_id=orders-client -d scope=orders/read
Ctrl-C stops everything; the state stays for the next start.
`, kubeconfig, port, port, emulatorHost, servicesURL, issuerPath)
}

// dataLayout names the files in the data directory.
type dataLayout string

func (d dataLayout) etcdData() string       { return filepath.Join(string(d), "etcd") }
func (d dataLayout) apiServerCerts() string { return filepath.Join(string(d), "kube-apiserver") }
func (d dataLayout) shims() string          { return filepath.Join(string(d), "bin") }
func (d dataLayout) logs() string           { return filepath.Join(string(d), "logs") }
func (d dataLayout) emulatorState() string  { return filepath.Join(string(d), "emulator-state.json") }
func (d dataLayout) kubeconfig() string     { return filepath.Join(string(d), "kubeconfig") }
