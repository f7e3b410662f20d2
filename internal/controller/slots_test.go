package controller_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/controller"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// 8. Waiting for a DeleteRestApi slot (AWS allows one every 30 s per
// account) holds no worker: with a single worker and REST deletions
// pending, an HTTP API is still created at once. It runs against an API
// server of its own, with the client-side limiter the suite's manager
// leaves out; the quotas run three times faster than AWS's.
func TestRESTDeletionsHoldNoWorker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startLimitedManager(t)
	var rest []*v1alpha1.APIGateway
	for i := range 3 {
		obj := newGateway("default", fmt.Sprint("rest-", i), v1alpha1.ProtocolREST)
		obj.Spec.EndpointType = v1alpha1.EndpointRegional
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
		rest = append(rest, obj)
	}
	get := func(obj *v1alpha1.APIGateway) (*v1alpha1.APIGateway, error) {
		current := &v1alpha1.APIGateway{}
		return current, c.Get(ctx, client.ObjectKeyFromObject(obj), current)
	}
	for _, obj := range rest {
		eventually(t, 60*time.Second, func() error {
			current, err := get(obj)
			if err != nil {
				return fmt.Errorf("%s not ready: %w", obj.Name, err)
			}
			if !current.Status.Ready {
				return fmt.Errorf("%s not ready", obj.Name)
			}
			return nil
		})
	}
	for _, obj := range rest {
		if err := c.Delete(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	// Once a deletion says it waits for its slot, the worker is free.
	eventually(t, 30*time.Second, func() error {
		for _, obj := range rest {
			current, err := get(obj)
			if err != nil {
				continue
			}
			if c := meta.FindStatusCondition(current.Status.Conditions, v1alpha1.ConditionReconciling); c != nil && strings.Contains(c.Message, "DeleteRestApi slot") {
				return nil
			}
		}
		return fmt.Errorf("no REST deletion waits for its slot")
	})
	http := newGateway("default", "http-meanwhile", v1alpha1.ProtocolHTTP)
	if err := c.Create(ctx, http); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, func() error {
		current, err := get(http)
		if err != nil {
			return fmt.Errorf("the HTTP API is not ready: %w", err)
		}
		if !current.Status.Ready {
			return fmt.Errorf("the HTTP API is not ready")
		}
		return nil
	})
	pending := 0
	for _, obj := range rest {
		if _, err := get(obj); err == nil {
			pending++
		}
	}
	// The second and third deletions leave 10 and 20 s after the first:
	// an HTTP create queued behind them would find none pending.
	if pending < 2 {
		t.Fatalf("the HTTP API became ready only after the REST deletions (%d still pending): they held the worker", pending)
	}
}

// startLimitedManager runs a manager of the operator against an API server
// of its own, with the client-side limiter the suite's manager leaves out
// (its quotas three times faster than AWS's) and a single worker, and
// returns a client of that API server with the aws-provider of default.
func startLimitedManager(t *testing.T) client.Client {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	env := &envtest.Environment{CRDDirectoryPaths: testenv.CRDPaths(), ErrorIfCRDPathMissing: true}
	cfg, err := env.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	limiters := session.NewLimiters()
	limiters.TimeScale = 3
	mgr, err := controller.NewManager(cfg, controller.Options{
		AWS:                          session.NewFactory(limiters),
		MetricsBindAddress:           "0",
		HealthProbeBindAddress:       "0",
		ResyncPeriod:                 time.Minute,
		MaxConcurrentReconciles:      1,
		SkipControllerNameValidation: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
	c, err := client.New(cfg, client.Options{Scheme: mgr.GetScheme()})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, credentialsSecret("default", "creds", testAccessKey, testSecretKey)); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, localProvider("default", "aws-provider", "creds", emulatorURL, testRegion)); err != nil {
		t.Fatal(err)
	}
	return c
}

// CreateDomainName is AWS's 1 call every 30 seconds per account: of two
// domain names created together, the second waits for its slot in the
// queue (Reconciling says so) and is made once it comes.
func TestDomainNameCreatesWaitForTheirSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startLimitedManager(t)
	suffix := fmt.Sprint(time.Now().UnixNano())
	var created []*v1alpha1.APIGatewayDomainName
	for _, name := range []string{"first", "second"} {
		obj := newDomain("default", name, name+"-"+suffix+".slots.example.test")
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
		created = append(created, obj)
	}
	get := func(obj client.Object) (*v1alpha1.APIGatewayDomainName, error) {
		current := &v1alpha1.APIGatewayDomainName{}
		return current, c.Get(ctx, client.ObjectKeyFromObject(obj), current)
	}
	eventually(t, 30*time.Second, func() error {
		for _, obj := range created {
			current, err := get(obj)
			if err != nil {
				return err
			}
			if c := meta.FindStatusCondition(current.Status.Conditions, v1alpha1.ConditionReconciling); c != nil && strings.Contains(c.Message, "CreateDomainName slot") {
				return nil
			}
		}
		return fmt.Errorf("no domain name waits for its CreateDomainName slot")
	})
	for _, obj := range created {
		eventually(t, 60*time.Second, func() error {
			current, err := get(obj)
			if err != nil {
				return err
			}
			if !current.Status.Ready {
				return fmt.Errorf("%s not ready: %+v", obj.Name, current.Status.Conditions)
			}
			return nil
		})
	}
}

// UpdateUsagePlan is AWS's 1 call every 20 seconds per account: of two
// plans changed together, one waits for its slot in the queue (Reconciling
// says so), and both reach AWS once their slots come, each in one call.
func TestUsagePlanUpdatesWaitForTheirSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startLimitedManager(t)
	api := restV1(t, testRegion)
	suffix := fmt.Sprint(time.Now().UnixNano())
	var plans []*v1alpha1.APIGatewayUsagePlan
	for _, name := range []string{"first-" + suffix, "second-" + suffix} {
		plan := newPlan("default", name, "")
		plan.Spec.APIStages = nil
		if err := c.Create(ctx, plan); err != nil {
			t.Fatal(err)
		}
		plans = append(plans, plan)
	}
	get := func(obj client.Object) (*v1alpha1.APIGatewayUsagePlan, error) {
		current := &v1alpha1.APIGatewayUsagePlan{}
		return current, c.Get(ctx, client.ObjectKeyFromObject(obj), current)
	}
	ready := func(plan *v1alpha1.APIGatewayUsagePlan, rate float64) {
		eventually(t, 60*time.Second, func() error {
			current, err := get(plan)
			if err != nil {
				return err
			}
			if !current.Status.Ready || current.Status.ObservedGeneration != current.Generation || current.Status.UsagePlanID == "" {
				return fmt.Errorf("%s not ready: %+v", plan.Name, current.Status.Conditions)
			}
			if got := awsPlan(t, api, current.Status.UsagePlanID).Throttle.RateLimit; got != rate {
				return fmt.Errorf("%s: rateLimit %v in AWS, want %v", plan.Name, got, rate)
			}
			return nil
		})
	}
	for _, plan := range plans {
		ready(plan, 10)
	}
	for _, plan := range plans {
		eventually(t, 10*time.Second, func() error {
			current, err := get(plan)
			if err != nil {
				return err
			}
			current.Spec.Throttle.RateLimit = 20
			return c.Update(ctx, current)
		})
	}
	eventually(t, 30*time.Second, func() error {
		for _, plan := range plans {
			current, err := get(plan)
			if err != nil {
				return err
			}
			if c := meta.FindStatusCondition(current.Status.Conditions, v1alpha1.ConditionReconciling); c != nil && strings.Contains(c.Message, "UpdateUsagePlan slot") {
				return nil
			}
		}
		return fmt.Errorf("no usage plan waits for its UpdateUsagePlan slot")
	})
	for _, plan := range plans {
		ready(plan, 20)
	}
}
