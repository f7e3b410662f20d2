package controller_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/controller"
	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The suite runs the real manager against a real kube-apiserver (envtest)
// and the project's emulator over HTTP, with SigV4 verification on, so that
// a wrong Secret really fails STS.
const (
	testAccount   = "123456789012"
	testAccessKey = "AKIAINFRAOPERATORTEST"
	testSecretKey = "infra-operator-test-secret-access-key"
	testRegion    = "us-east-1"
	// A second account, for credentials that move an API elsewhere.
	otherAccount   = "210987654321"
	otherAccessKey = "AKIAINFRAOPERATOROTHER"
	otherSecretKey = "infra-operator-other-secret-access-key"
	// The operator's own identity (the default credential chain), which
	// only a ClusterAWSProvider may use.
	operatorAccount   = "333333333333"
	operatorAccessKey = "AKIAINFRAOPERATORSELF"
	operatorSecretKey = "infra-operator-own-secret-access-key"
	// resync is short so that drift is healed within the test's patience.
	resync = 2 * time.Second
)

var (
	k8s client.Client
	// restConfig is the admin's; tenants impersonate users from it.
	restConfig  *rest.Config
	emulatorURL string
	emu         *emulator.Server
	// awsSide reads and changes AWS behind the operator's back, through a
	// factory of its own.
	awsSide = session.NewFactory(nil)
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	if testing.Verbose() {
		ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr)))
	} else {
		ctrl.SetLogger(zap.New(zap.WriteTo(ioDiscard{})))
	}
	if _, err := testenv.AssetsDir(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env := &envtest.Environment{CRDDirectoryPaths: testenv.CRDPaths(), ErrorIfCRDPathMissing: true}
	cfg, err := env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting envtest:", err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping envtest:", err)
		}
	}()
	restConfig = cfg
	// The operator's own identity, as IRSA would give it.
	os.Setenv("AWS_ACCESS_KEY_ID", operatorAccessKey)
	os.Setenv("AWS_SECRET_ACCESS_KEY", operatorSecretKey)

	functionBackend := newFunctionBackend()
	defer functionBackend.Close()
	emu, emulatorURL, err = emulator.Start(emulator.Options{
		LambdaFunctions: []emulator.LambdaFunction{
			{Name: testFunction, Account: testAccount, Aliases: []string{"live"}, Endpoint: functionBackend.URL},
			{Name: testAuthorizerFunction, Account: testAccount, Endpoint: functionBackend.URL},
		},
		Credentials: []emulator.Credential{
			{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, Account: testAccount},
			{AccessKeyID: otherAccessKey, SecretAccessKey: otherSecretKey, Account: otherAccount},
			{AccessKeyID: operatorAccessKey, SecretAccessKey: operatorSecretKey, Account: operatorAccount},
		},
	}, "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the emulator:", err)
		return 1
	}
	defer emu.Close()

	mgr, err := controller.NewManager(cfg, controller.Options{
		// No client-side limiter: AWS's 1-per-30s DeleteRestApi quota would
		// make the suite wait minutes; the limiter has its own tests.
		AWS:                     session.NewFactory(nil),
		MetricsBindAddress:      "0",
		HealthProbeBindAddress:  "0",
		ResyncPeriod:            resync,
		MaxConcurrentReconciles: 4,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the manager:", err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- mgr.Start(ctx) }()
	defer func() {
		cancel()
		if err := <-stopped; err != nil {
			fmt.Fprintln(os.Stderr, "the manager stopped with:", err)
		}
	}()

	scheme, _ := controller.Scheme()
	if k8s, err = client.New(cfg, client.Options{Scheme: scheme}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := createSharedFixtures(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "creating fixtures:", err)
		return 1
	}
	return m.Run()
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

// createSharedFixtures makes what local mode makes too: the aws-provider the
// samples name, pointing at the emulator, in default and production, and the
// two regional providers of the multi-region sample.
func createSharedFixtures(ctx context.Context) error {
	for _, ns := range []string{"production"} {
		if err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return err
		}
	}
	for _, p := range []struct{ ns, name, region string }{
		{"default", "aws-provider", testRegion},
		{"production", "aws-provider", testRegion},
		{"production", "aws-provider-us-east-1", "us-east-1"},
		{"production", "aws-provider-eu-west-1", "eu-west-1"},
	} {
		if err := createProvider(ctx, p.ns, p.name, p.region, testSecretKey, nil); err != nil {
			return err
		}
	}
	return nil
}

// createProvider makes a credentials Secret and a provider reading it.
func createProvider(ctx context.Context, namespace, name, region, secretKey string, mutate func(*v1alpha1.AWSProvider)) error {
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name + "-credentials"},
		StringData: map[string]string{"AWS_ACCESS_KEY_ID": testAccessKey, "AWS_SECRET_ACCESS_KEY": secretKey},
	}
	if err := k8s.Create(ctx, secret); err != nil {
		return err
	}
	provider := &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.AWSProviderSpec{
			AWSConnection:     v1alpha1.AWSConnection{Region: region, Endpoint: emulatorURL},
			CredentialsSecret: &v1alpha1.SecretReference{Name: secret.Name},
		},
	}
	if mutate != nil {
		mutate(provider)
	}
	return k8s.Create(ctx, provider)
}

// createNamespace makes a fresh namespace named after prefix, so that a
// test can run again (-count) in the same API server.
func createNamespace(t *testing.T, prefix string) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: prefix + "-"}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// awsClient is a gateway client of the test's own for a region.
func awsClient(t *testing.T, region string) gateway.Client {
	t.Helper()
	gw, err := gateway.ClientFor(context.Background(), awsSide, "test/"+region, testSettings(region))
	if err != nil {
		t.Fatal(err)
	}
	return gw
}

func testSettings(region string) session.Settings {
	return session.Settings{
		Region:   region,
		Endpoint: emulatorURL,
		Static:   &session.StaticCredentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
	}
}

// eventually polls check until it returns nil, or fails the test with the
// last error after timeout.
func eventually(t *testing.T, timeout time.Duration, check func() error) {
	t.Helper()
	var last error
	err := wait.PollUntilContextTimeout(context.Background(), 200*time.Millisecond, timeout, true, func(context.Context) (bool, error) {
		last = check()
		return last == nil, nil
	})
	if err != nil {
		t.Fatalf("condition not reached in %s: %v", timeout, last)
	}
}

func getGateway(t *testing.T, key types.NamespacedName) *v1alpha1.APIGateway {
	t.Helper()
	obj := &v1alpha1.APIGateway{}
	if err := k8s.Get(context.Background(), key, obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// waitGatewayCondition waits until the current generation is described by
// condition type with the given status and reason, and returns the object.
func waitGatewayCondition(t *testing.T, key types.NamespacedName, conditionType string, status metav1.ConditionStatus, reason string) *v1alpha1.APIGateway {
	t.Helper()
	return waitCondition[v1alpha1.APIGateway](t, key, conditionType, status, reason)
}

// waitCondition is waitGatewayCondition for an object of any kind.
func waitCondition[T any, PT interface {
	*T
	client.Object
	GetReconcileStatus() *v1alpha1.ReconcileStatus
}](t *testing.T, key types.NamespacedName, conditionType string, status metav1.ConditionStatus, reason string) PT {
	t.Helper()
	obj := PT(new(T))
	eventually(t, 30*time.Second, func() error {
		if err := k8s.Get(context.Background(), key, obj); err != nil {
			return err
		}
		return conditionIs(obj.GetReconcileStatus().Conditions, obj.GetGeneration(), conditionType, status, reason)
	})
	return obj
}

func waitGatewayReady(t *testing.T, key types.NamespacedName) *v1alpha1.APIGateway {
	t.Helper()
	obj := waitGatewayCondition(t, key, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	if !obj.Status.Ready || obj.Status.ObservedGeneration != obj.Generation || obj.Status.APIID == "" {
		t.Fatalf("Ready condition without a ready status: %+v", obj.Status)
	}
	if meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionStalled) != nil ||
		meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReconciling) != nil {
		t.Fatalf("Ready object still carries Stalled or Reconciling: %+v", obj.Status.Conditions)
	}
	return obj
}

func waitProviderCondition(t *testing.T, key types.NamespacedName, conditionType string, status metav1.ConditionStatus, reason string) *v1alpha1.AWSProvider {
	t.Helper()
	return waitCondition[v1alpha1.AWSProvider](t, key, conditionType, status, reason)
}

func conditionIs(conditions []metav1.Condition, generation int64, conditionType string, status metav1.ConditionStatus, reason string) error {
	c := meta.FindStatusCondition(conditions, conditionType)
	switch {
	case c == nil:
		return fmt.Errorf("no %s condition in %+v", conditionType, conditions)
	case c.Status != status || c.Reason != reason || c.ObservedGeneration != generation:
		return fmt.Errorf("%s is %s/%s (generation %d: %q), want %s/%s (generation %d)",
			conditionType, c.Status, c.Reason, c.ObservedGeneration, c.Message, status, reason, generation)
	}
	return nil
}

// waitEvent waits for an event about the object with the reason, and
// returns its note.
func waitEvent(t *testing.T, obj client.Object, reason string) string {
	t.Helper()
	var note string
	eventually(t, 30*time.Second, func() error {
		notes, err := eventNotes(obj, reason)
		if err != nil {
			return err
		}
		if len(notes) == 0 {
			return fmt.Errorf("no %s event about %s", reason, obj.GetName())
		}
		note = notes[len(notes)-1]
		return nil
	})
	return note
}

func eventNotes(obj client.Object, reason string) ([]string, error) {
	var list eventsv1.EventList
	if err := k8s.List(context.Background(), &list, client.InNamespace(obj.GetNamespace())); err != nil {
		return nil, err
	}
	var notes []string
	for _, e := range list.Items {
		if e.Regarding.UID == obj.GetUID() && e.Reason == reason {
			notes = append(notes, e.Note)
		}
	}
	return notes, nil
}

// deleteAndWait deletes the object and waits until the API server no longer
// has it (its finalizers done).
func deleteAndWait(t *testing.T, obj client.Object) {
	t.Helper()
	ctx := context.Background()
	if err := k8s.Delete(ctx, obj); client.IgnoreNotFound(err) != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, func() error {
		err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("getting %s: %w", obj.GetName(), err)
		}
		return fmt.Errorf("%s still exists (finalizers %v)", obj.GetName(), obj.GetFinalizers())
	})
}

// newGateway returns an APIGateway using aws-provider in the namespace.
func newGateway(namespace, name string, protocol v1alpha1.ProtocolType) *v1alpha1.APIGateway {
	return &v1alpha1.APIGateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.APIGatewaySpec{
			ProviderRef:  v1alpha1.ProviderReference{Name: "aws-provider"},
			Name:         "aws-" + name,
			ProtocolType: protocol,
		},
	}
}

func create(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Create(context.Background(), obj); err != nil {
		t.Fatal(err)
	}
}

// updateSpec re-reads the object, applies change and writes it, retrying on
// conflicts with the controller's own writes.
func updateSpec(t *testing.T, key types.NamespacedName, change func(*v1alpha1.APIGateway)) {
	t.Helper()
	update(t, key, change)
}

// update re-reads an object of any kind, applies change and writes it,
// retrying on conflicts with the controllers' own writes (a Get then an
// Update races every status write of the object's controller).
func update[T any, PT interface {
	*T
	client.Object
}](t *testing.T, key types.NamespacedName, change func(PT)) {
	t.Helper()
	eventually(t, 10*time.Second, func() error {
		obj := PT(new(T))
		if err := k8s.Get(context.Background(), key, obj); err != nil {
			return err
		}
		change(obj)
		return k8s.Update(context.Background(), obj)
	})
}

// ownedBy counts the APIs of a protocol tagged with the UID.
func ownedBy(t *testing.T, gw gateway.Client, protocol gateway.Protocol, uid types.UID) []gateway.API {
	t.Helper()
	apis, err := gw.List(context.Background(), protocol)
	if err != nil {
		t.Fatal(err)
	}
	var owned []gateway.API
	for _, api := range apis {
		if gateway.OwnerUID(api) == string(uid) {
			owned = append(owned, api)
		}
	}
	return owned
}

func mustContain(t *testing.T, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Fatalf("%q does not contain %q", s, want)
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func readyMessage(conditions []metav1.Condition) string {
	return conditionMessage(conditions, "Ready")
}

// conditionMessage returns the message of a condition, or "".
func conditionMessage(conditions []metav1.Condition, conditionType string) string {
	for _, c := range conditions {
		if c.Type == conditionType {
			return c.Message
		}
	}
	return ""
}
