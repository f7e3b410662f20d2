package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// modeLabel marks every object of one benchmark mode, so that one List finds
// them all.
const modeLabel = "bench.infra-operator/mode"

// cluster is a real kube-apiserver and etcd (envtest) with the CRDs, an
// admin kubeconfig for the operator, and a client for the benchmark.
type cluster struct {
	env        *envtest.Environment
	kubeconfig string
	client     client.Client
}

func startCluster(dir string) (*cluster, error) {
	if _, err := testenv.AssetsDir(); err != nil {
		return nil, err
	}
	// envtest logs through controller-runtime; its failures come back as
	// errors, so its chatter is not wanted on the benchmark's output.
	ctrllog.SetLogger(zap.New(zap.WriteTo(io.Discard)))
	env := &envtest.Environment{CRDDirectoryPaths: testenv.CRDPaths(), ErrorIfCRDPathMissing: true}
	if _, err := env.Start(); err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd: %w", err)
	}
	c := &cluster{env: env}
	if err := c.connect(dir); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

func (c *cluster) connect(dir string) error {
	admin, err := c.env.AddUser(envtest.User{Name: "bench-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return err
	}
	kubeconfig, err := admin.KubeConfig()
	if err != nil {
		return err
	}
	c.kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(c.kubeconfig, kubeconfig, 0o600); err != nil {
		return err
	}
	restConfig := admin.Config()
	// The benchmark applies hundreds of objects: client-go's default of
	// 5 requests per second would measure the client, not the operator.
	restConfig.QPS, restConfig.Burst = 500, 1000
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		return err
	}
	c.client, err = client.New(restConfig, client.Options{Scheme: scheme})
	return err
}

func (c *cluster) stop() {
	if err := c.env.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: stopping the API server: %v\n", err)
	}
}

// accountCredentials is one emulated AWS account's access key.
type accountCredentials struct {
	AccessKeyID, SecretAccessKey, Account string
}

// emulatorFlag is the emulator's --credentials value for the key.
func (a accountCredentials) emulatorFlag() string {
	return a.AccessKeyID + ":" + a.SecretAccessKey + ":" + a.Account
}

const providerName = "bench-aws"

// createProvider makes the mode's namespaces, and in the first one a Secret
// and an AWSProvider for the emulator that every namespace may use.
// totalPerSecond, when set, overrides the provider's client-side limit.
func (c *cluster) createProvider(ctx context.Context, namespaces []string, endpoint string, account accountCredentials, totalPerSecond *int32) error {
	for _, ns := range namespaces {
		if err := c.client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return err
		}
	}
	home := namespaces[0]
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: providerName + "-credentials", Namespace: home},
		StringData: map[string]string{"AWS_ACCESS_KEY_ID": account.AccessKeyID, "AWS_SECRET_ACCESS_KEY": account.SecretAccessKey},
	}
	if err := c.client.Create(ctx, secret); err != nil {
		return err
	}
	provider := &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Name: providerName, Namespace: home},
		Spec: v1alpha1.AWSProviderSpec{
			AWSConnection:     v1alpha1.AWSConnection{Region: "us-east-1", Endpoint: endpoint},
			CredentialsSecret: &v1alpha1.SecretReference{Name: secret.Name},
			AllowedNamespaces: namespaces,
		},
	}
	if totalPerSecond != nil {
		provider.Spec.RateLimit = &v1alpha1.RateLimit{RequestsPerSecond: totalPerSecond}
	}
	return c.client.Create(ctx, provider)
}

// waitProviderReady polls, every 200 ms, until the provider has
// authenticated, so that ready_s measures the APIs and not STS.
func (c *cluster) waitProviderReady(ctx context.Context, namespace string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		var provider v1alpha1.AWSProvider
		err := c.client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: providerName}, &provider)
		if err == nil && provider.Status.Ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("AWSProvider %s/%s did not become ready (status %+v): %w", namespace, providerName, provider.Status, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// applyGateways creates n APIGateways of the mix (HTTP, WEBSOCKET, REST
// REGIONAL in rotation), spread round-robin over the namespaces.
func (c *cluster) applyGateways(ctx context.Context, mode string, namespaces []string, n int) error {
	protocols := []v1alpha1.ProtocolType{v1alpha1.ProtocolHTTP, v1alpha1.ProtocolWebSocket, v1alpha1.ProtocolREST}
	for i := range n {
		name := fmt.Sprintf("api-%04d", i)
		obj := &v1alpha1.APIGateway{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespaces[i%len(namespaces)], Labels: map[string]string{modeLabel: mode}},
			Spec: v1alpha1.APIGatewaySpec{
				ProviderRef:  v1alpha1.ProviderReference{Name: providerName, Namespace: namespaces[0]},
				Name:         mode + "-" + name,
				ProtocolType: protocols[i%len(protocols)],
				EndpointType: v1alpha1.EndpointRegional,
				Tags:         map[string]string{"bench": mode},
			},
		}
		if err := c.client.Create(ctx, obj); err != nil {
			return fmt.Errorf("creating APIGateway %s/%s: %w", obj.Namespace, name, err)
		}
	}
	return nil
}

// applyServingGateways creates n serving objects of the shape, spread
// round-robin over the namespaces.
func (c *cluster) applyServingGateways(ctx context.Context, mode string, namespaces []string, n int, shape servingShape, backendURL string) error {
	for i := range n {
		obj := shape.gateway(mode, namespaces[i%len(namespaces)], namespaces[0], backendURL, i)
		if err := c.client.Create(ctx, obj); err != nil {
			return fmt.Errorf("creating APIGateway %s/%s: %w", obj.Namespace, obj.Name, err)
		}
	}
	return nil
}

func (c *cluster) gateways(ctx context.Context, mode string) ([]v1alpha1.APIGateway, error) {
	var list v1alpha1.APIGatewayList
	err := c.client.List(ctx, &list, client.MatchingLabels{modeLabel: mode})
	return list.Items, err
}

// readiness is one List's view of a mode's objects.
type readiness struct {
	Total, Ready int
	// ThrottledFailures are not-Ready objects whose Ready condition blames
	// AWS throttling.
	ThrottledFailures int
	// NotReadyReasons counts the Ready condition reasons of the others.
	NotReadyReasons map[string]int
}

// readiness counts the mode's objects done, by done.
func (c *cluster) readiness(ctx context.Context, mode string, done func(*v1alpha1.APIGateway) bool) (readiness, error) {
	items, err := c.gateways(ctx, mode)
	if err != nil {
		return readiness{}, err
	}
	r := readiness{Total: len(items), NotReadyReasons: map[string]int{}}
	for i := range items {
		obj := &items[i]
		if done(obj) {
			r.Ready++
			continue
		}
		reason, message := readyCondition(obj.Status.Conditions)
		r.NotReadyReasons[reason]++
		if mentionsThrottling(message) {
			r.ThrottledFailures++
		}
	}
	return r, nil
}

func readyCondition(conditions []metav1.Condition) (reason, message string) {
	for _, cond := range conditions {
		if cond.Type == v1alpha1.ConditionReady {
			return cond.Reason, cond.Message
		}
	}
	return "NoReadyCondition", ""
}

func mentionsThrottling(message string) bool {
	lower := strings.ToLower(message)
	for _, sign := range []string{"throttl", "toomanyrequests", "too many requests", "rate exceeded", "limitexceeded"} {
		if strings.Contains(lower, sign) {
			return true
		}
	}
	return false
}

// waitAllReady lists the mode's objects once a second until all of them are
// done or ctx ends, and returns the last view.
func (c *cluster) waitAllReady(ctx context.Context, mode string, n int, done func(*v1alpha1.APIGateway) bool, progress func(readiness)) (readiness, error) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		r, err := c.readiness(ctx, mode, done)
		if err == nil {
			progress(r)
			if r.Total == n && r.Ready == n {
				return r, nil
			}
		}
		select {
		case <-ctx.Done():
			return r, fmt.Errorf("waiting for %d APIGateways to be ready: %w", n, ctx.Err())
		case <-ticker.C:
		}
	}
}
