package e2e

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The security tests attack the operator as a tenant would: a user with
// rights only in their own namespace (the Role docs/install.md gives a
// tenant team), acting through impersonation (kubectl --as). Everything is
// real: kube-apiserver with RBAC, the operator binary running as its own
// service account with exactly the RBAC config/default installs, the
// emulator checking SigV4 signatures (--credentials), so wrong keys fail as
// in AWS; outcomes are read with kubectl and the AWS CLI.

// The emulator's accounts and keys. team-a and team-b are two IAM users of
// one shared account (so an API id of one is reachable with the other's
// keys: the forged-status attack needs that); victim-creds are another
// account's keys, held by team-b; the operator's own identity (its
// environment, as IRSA would give it) is a third account.
const (
	securitySharedAccount   = "111111111111"
	securityVictimAccount   = "333333333333"
	securityOperatorAccount = "222222222222"

	securityTeamAKey      = "AKIATEAMA00000000001"
	securityTeamASecret   = "team-a-SECRET-never-logged"
	securityTeamBKey      = "AKIATEAMB00000000001"
	securityTeamBSecret   = "team-b-SECRET-never-logged"
	securityVictimKey     = "AKIAVICTIM0000000001"
	securityVictimSecret  = "victim-SECRET-never-logged"
	securityOperatorKey   = "AKIAOPERATOR00000001"
	securityOperatorSecrt = "operator-SECRET-never-logged"
	// The CLI's key (newCLIEnv) reads the shared account.
	securityCLIKey    = "AKIAEMULATORTEST0001"
	securityCLISecret = "emulator-test-secret"

	tenantA = "tenant-a"
)

func TestSecurityTenantAttacks(t *testing.T) {
	started := time.Now()
	admin := startKubeAPIServer(t, true)
	emulatorURL := startEmulator(t,
		"--credentials", securityTeamAKey+":"+securityTeamASecret+":"+securitySharedAccount,
		"--credentials", securityTeamBKey+":"+securityTeamBSecret+":"+securitySharedAccount,
		"--credentials", securityVictimKey+":"+securityVictimSecret+":"+securityVictimAccount,
		"--credentials", securityOperatorKey+":"+securityOperatorSecrt+":"+securityOperatorAccount,
		"--credentials", securityCLIKey+":"+securityCLISecret+":"+securitySharedAccount,
	)
	shared := newCLIEnv(t, emulatorURL)
	operatorAccount := cliWithKeys(t, emulatorURL, securityOperatorKey, securityOperatorSecrt)

	// The operator as installed: its service account, config/rbac's RBAC,
	// leader election in its namespace, secure metrics.
	operatorKubeconfig := installOperatorRBAC(t, admin)
	metricsURL := "https://127.0.0.1:" + freePort(t) + "/metrics"
	operatorLog := startOperatorAs(t, operatorKubeconfig,
		[]string{"AWS_ACCESS_KEY_ID=" + securityOperatorKey, "AWS_SECRET_ACCESS_KEY=" + securityOperatorSecrt},
		"--leader-elect", "--leader-election-namespace", operatorNamespace,
		"--metrics-bind-address", strings.TrimSuffix(strings.TrimPrefix(metricsURL, "https://"), "/metrics"))

	// Two teams. tenant-a gets docs/install.md's tenant Role in team-a and,
	// to make the forged-status attack possible at all, the status
	// subresource too (more than the docs grant).
	mustKubectl(t, admin, "", "create", "namespace", "team-a")
	mustKubectl(t, admin, "", "create", "namespace", "team-b")
	mustKubectl(t, admin, tenantRoleFromDocs(t, "team-a", tenantA), "apply", "-f", "-")
	mustKubectl(t, admin, "", "create", "role", "status-forger", "-n", "team-a",
		"--verb=get,update,patch", "--resource=apigateways.aws-infra-operator.runner.codes/status")
	mustKubectl(t, admin, "", "create", "rolebinding", "status-forger", "-n", "team-a", "--role=status-forger", "--user="+tenantA)

	// team-b, set up by its own admin: its keys, another account's keys
	// (victim-creds), a provider and an API.
	mustKubectl(t, admin, fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: team-b-creds, namespace: team-b}
stringData: {AWS_ACCESS_KEY_ID: %s, AWS_SECRET_ACCESS_KEY: %s}
---
apiVersion: v1
kind: Secret
metadata: {name: victim-creds, namespace: team-b}
stringData: {AWS_ACCESS_KEY_ID: %s, AWS_SECRET_ACCESS_KEY: %s, AWS_SESSION_TOKEN: victim-session-token}
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: aws, namespace: team-b}
spec:
  region: us-east-1
  endpoint: %s
  credentialsSecret: {name: team-b-creds}
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: {name: victim, namespace: team-b}
spec:
  providerRef: {name: aws}
  name: victim-api
  protocolType: HTTP
  description: team-b's production API
  tags: {team: b, cost-center: "42"}
`, securityTeamBKey, securityTeamBSecret, securityVictimKey, securityVictimSecret, emulatorURL), "apply", "-f", "-")
	// The platform team's ClusterAWSProvider with the operator's own
	// identity, for team-b only.
	mustKubectl(t, admin, fmt.Sprintf(`apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ClusterAWSProvider
metadata: {name: platform}
spec:
  region: us-east-1
  endpoint: %s
  allowedNamespaces: [team-b]
`, emulatorURL), "apply", "-f", "-")

	waitFor(t, 60*time.Second, "team-b's APIGateway Ready", func() (bool, string) {
		return jsonpath(t, admin, "{.status.ready}", "apigateway", "victim", "-n", "team-b") == "true",
			readyReason(t, admin, "apigateway", "victim", "-n", "team-b")
	})
	waitFor(t, 30*time.Second, "ClusterAWSProvider platform authenticated as the operator", func() (bool, string) {
		account := jsonpath(t, admin, "{.status.accountID}", "clusterawsprovider", "platform")
		return account == securityOperatorAccount, account + " " + readyReason(t, admin, "clusterawsprovider", "platform")
	})
	victimID := jsonpath(t, admin, "{.status.apiId}", "apigateway", "victim", "-n", "team-b")
	victimBefore := shared.json(t, "apigatewayv2", "get-api", "--api-id", victimID)
	t.Logf("setup done in %s; team-b's API is %s", time.Since(started).Round(time.Millisecond), victimID)

	t.Run("attacks", func(t *testing.T) {
		t.Run("borrow another namespace's Secret", func(t *testing.T) {
			t.Parallel()
			if canI(t, admin, tenantA, "get", "secret/victim-creds", "-n", "team-b") {
				t.Fatal("tenant-a may read team-b's Secret: the attack would prove nothing")
			}
			trap := newCredentialTrap(t)
			mustAsTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: borrowed, namespace: team-a}
spec:
  region: us-east-1
  endpoint: `+trap.URL+`
  credentialsSecret: {name: victim-creds, namespace: team-b}
`, "apply", "-f", "-")
			waitFor(t, 30*time.Second, "the borrowing provider refused", func() (bool, string) {
				reason := readyReason(t, admin, "awsprovider", "borrowed", "-n", "team-a")
				return reason == "CredentialsNotAllowed", reason
			})
			stalled := jsonpath(t, admin, `{.status.conditions[?(@.type=="Stalled")].status}`, "awsprovider", "borrowed", "-n", "team-a")
			message := mustAsTenant(t, admin, tenantA, "", "get", "awsprovider", "borrowed", "-n", "team-a",
				"-o", `jsonpath={.status.conditions[?(@.type=="Ready")].message}`)
			if stalled != "True" || !strings.Contains(message, "ClusterAWSProvider") {
				t.Errorf("Stalled %q, message %q: want Stalled and a message naming the way out", stalled, message)
			}
			// An APIGateway on it gets nothing either.
			mustAsTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: {name: on-borrowed, namespace: team-a}
spec:
  providerRef: {name: borrowed}
  name: on-borrowed
  protocolType: HTTP
`, "apply", "-f", "-")
			waitFor(t, 30*time.Second, "the APIGateway on the borrowing provider waits", func() (bool, string) {
				reason := readyReason(t, admin, "apigateway", "on-borrowed", "-n", "team-a")
				return reason == "ProviderNotReady", reason
			})
			// Give the operator a few resyncs to make a mistake.
			time.Sleep(12 * time.Second)
			for _, request := range trap.seen() {
				if strings.Contains(request, securityVictimKey) || strings.Contains(request, "victim-session-token") {
					t.Errorf("team-b's credentials reached tenant-a's endpoint: %s", request)
				}
			}
			if seen := trap.seen(); len(seen) != 0 {
				t.Errorf("the operator called tenant-a's endpoint %d times for a refused provider: %q", len(seen), seen)
			}
			// The operator did not take team-b's Secret in charge for it.
			if labels := jsonpath(t, admin, "{.metadata.labels}{.metadata.finalizers}", "secret", "victim-creds", "-n", "team-b"); labels != "" {
				t.Errorf("team-b's victim-creds was marked on account of tenant-a's provider: %s", labels)
			}
		})

		t.Run("the operator's own identity", func(t *testing.T) {
			t.Parallel()
			out, ok := asTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: ambient, namespace: team-a}
spec:
  region: us-east-1
  endpoint: `+emulatorURL+`
`, "apply", "-f", "-")
			if ok || !strings.Contains(out, "credentialsSecret is required") || !strings.Contains(out, "ClusterAWSProvider") {
				t.Errorf("an AWSProvider without credentialsSecret was not refused with the way to a ClusterAWSProvider (ok %v):\n%s", ok, out)
			}
			out, ok = asTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ClusterAWSProvider
metadata: {name: mine}
spec:
  region: us-east-1
  endpoint: `+emulatorURL+`
  allowedNamespaces: ["*"]
`, "apply", "-f", "-")
			if ok || !strings.Contains(out, "Forbidden") {
				t.Errorf("tenant-a created a ClusterAWSProvider, or was refused for another reason (ok %v):\n%s", ok, out)
			}
			// The platform ClusterAWSProvider does not allow team-a.
			mustAsTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: {name: sneaky, namespace: team-a}
spec:
  providerRef: {kind: ClusterAWSProvider, name: platform}
  name: sneaky-api
  protocolType: HTTP
`, "apply", "-f", "-")
			waitFor(t, 30*time.Second, "the APIGateway on a ClusterAWSProvider that does not allow team-a refused", func() (bool, string) {
				reason := readyReason(t, admin, "apigateway", "sneaky", "-n", "team-a")
				return reason == "ProviderNotAllowed", reason
			})
			apis := operatorAccount.json(t, "apigatewayv2", "get-apis")
			if names := cliListIDs(apis, "Items", "Name"); len(names) != 0 {
				t.Errorf("APIs made in the operator's own account: %v", names)
			}
			// A refused reference is no dependent, and its name is not shown.
			if inUse := jsonpath(t, admin, `{.status.conditions[?(@.type=="InUse")]}`, "clusterawsprovider", "platform"); strings.Contains(inUse, "sneaky") {
				t.Errorf("the ClusterAWSProvider names the refused APIGateway: %s", inUse)
			}
		})

		t.Run("forged status.apiId", func(t *testing.T) {
			t.Parallel()
			mustAsTenant(t, admin, tenantA, "", "create", "secret", "generic", "team-a-creds", "-n", "team-a",
				"--from-literal=AWS_ACCESS_KEY_ID="+securityTeamAKey, "--from-literal=AWS_SECRET_ACCESS_KEY="+securityTeamASecret)
			mustAsTenant(t, admin, tenantA, `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata: {name: aws, namespace: team-a}
spec:
  region: us-east-1
  endpoint: `+emulatorURL+`
  credentialsSecret: {name: team-a-creds}
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: {name: forger, namespace: team-a}
spec:
  providerRef: {name: aws}
  name: forger-api
  protocolType: HTTP
  tags: {team: a}
`, "apply", "-f", "-")
			waitFor(t, 60*time.Second, "tenant-a's APIGateway Ready", func() (bool, string) {
				return jsonpath(t, admin, "{.status.ready}", "apigateway", "forger", "-n", "team-a") == "true",
					readyReason(t, admin, "apigateway", "forger", "-n", "team-a")
			})
			forgerID := jsonpath(t, admin, "{.status.apiId}", "apigateway", "forger", "-n", "team-a")
			if forgerID == victimID || forgerID == "" {
				t.Fatalf("forger's API id %q", forgerID)
			}
			forge := func() {
				mustAsTenant(t, admin, tenantA, "", "patch", "apigateway", "forger", "-n", "team-a", "--subresource=status",
					"--type=merge", "-p", `{"status":{"apiId":"`+victimID+`"}}`)
			}
			forge()
			waitFor(t, 45*time.Second, "a NotOwned event on the forger's object", func() (bool, string) {
				out, _ := asTenant(t, admin, tenantA, "", "get", "events", "-n", "team-a",
					"--field-selector", "involvedObject.name=forger,reason=NotOwned", "-o", "jsonpath={.items[*].message}")
				return strings.Contains(out, victimID), out
			})
			victimUnchanged := func(when string) {
				t.Helper()
				after := shared.json(t, "apigatewayv2", "get-api", "--api-id", victimID)
				for _, field := range []string{"Name", "Description", "Tags"} {
					if !reflect.DeepEqual(after[field], victimBefore[field]) {
						t.Errorf("%s: team-b's API %s changed: %s %v, was %v", when, victimID, field, after[field], victimBefore[field])
					}
				}
			}
			t.Logf("right after NotOwned, forger's status: apiId %q, ready %q, message %q",
				jsonpath(t, admin, "{.status.apiId}", "apigateway", "forger", "-n", "team-a"),
				jsonpath(t, admin, "{.status.ready}", "apigateway", "forger", "-n", "team-a"),
				jsonpath(t, admin, `{.status.conditions[?(@.type=="Ready")].message}`, "apigateway", "forger", "-n", "team-a"))
			victimUnchanged("after the forgery")
			// The forger's status heals to the API it owns.
			waitFor(t, 30*time.Second, "the forger's status back on its own API", func() (bool, string) {
				got := jsonpath(t, admin, "{.status.apiId}", "apigateway", "forger", "-n", "team-a")
				return got == forgerID, got
			})
			t.Logf("events of the forger: %s", mustKubectl(t, admin, "", "get", "events", "-n", "team-a",
				"--field-selector", "involvedObject.name=forger", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"))
			if got := jsonpath(t, admin, "{.status.apiId}", "apigateway", "victim", "-n", "team-b"); got != victimID {
				t.Errorf("team-b's object now names API %q, not %s", got, victimID)
			}

			// Forge again and delete at once: the deletion must not reach
			// team-b's API.
			forge()
			mustAsTenant(t, admin, tenantA, "", "delete", "apigateway", "forger", "-n", "team-a", "--timeout=60s")
			victimUnchanged("after the forger's deletion")
			if reason := readyReason(t, admin, "apigateway", "victim", "-n", "team-b"); reason != "Succeeded" {
				t.Errorf("team-b's APIGateway is %s after the attack, want Succeeded", reason)
			}
			// deletionPolicy Delete: the forger's own API goes with it,
			// nothing owned is left behind.
			if result := shared.run(t, "apigatewayv2", "get-api", "--api-id", forgerID); result.exitCode == 0 {
				t.Errorf("tenant-a's own API %s is still in AWS after its object was deleted with deletionPolicy Delete", forgerID)
			}
			apis := shared.json(t, "apigatewayv2", "get-apis")
			for _, item := range cliField(apis, "Items").([]any) {
				if api, _ := item.(map[string]any); api["Name"] == "forger-api" {
					t.Errorf("an API named forger-api is left in AWS after its object was deleted with deletionPolicy Delete: %v", api)
				}
			}
		})
	})

	t.Run("metrics need a token allowed to get /metrics", func(t *testing.T) {
		// Generous: on a loaded machine the first TLS handshakes are slow.
		waitFor(t, 60*time.Second, "the metrics endpoint to serve", func() (bool, string) {
			code, body := getMetrics(t, metricsURL, "")
			return code == 401, fmt.Sprintf("%d %s", code, body)
		})
		mustKubectl(t, admin, "", "create", "serviceaccount", "nobody", "-n", operatorNamespace)
		mustKubectl(t, admin, "", "create", "namespace", "monitoring")
		mustKubectl(t, admin, "", "create", "serviceaccount", "prometheus", "-n", "monitoring")
		mustKubectl(t, admin, "", "create", "clusterrolebinding", "prometheus-infra-operator-metrics",
			"--clusterrole=infra-operator-metrics-reader", "--serviceaccount=monitoring:prometheus")
		if code, body := getMetrics(t, metricsURL, serviceAccountToken(t, admin, operatorNamespace, "nobody")); code != 403 {
			t.Errorf("a token without metrics-reader got %d, want 403: %.200s", code, body)
		}
		// The API server reports an error for a token it cannot parse, which
		// controller-runtime's filter answers with 500 rather than 401.
		if code, body := getMetrics(t, metricsURL, "not-a-token"); code != 401 && code != 500 {
			t.Errorf("a bogus token got %d, want 401 or 500: %.200s", code, body)
		}
		plain := strings.Replace(metricsURL, "https://", "http://", 1)
		if code, body := getMetrics(t, plain, ""); code == 200 {
			t.Errorf("plain HTTP served the metrics: %.200s", body)
		}
		token := serviceAccountToken(t, admin, "monitoring", "prometheus")
		var code int
		var body string
		waitFor(t, 20*time.Second, "the scraper's token accepted", func() (bool, string) {
			code, body = getMetrics(t, metricsURL, token)
			return code == 200, fmt.Sprintf("%d %.200s", code, body)
		})
		if !strings.Contains(body, "controller_runtime_reconcile_total") {
			t.Errorf("no controller-runtime metrics in /metrics:\n%.500s", body)
		}
		for _, secret := range []string{securityTeamASecret, securityTeamBSecret, securityVictimSecret, securityOperatorSecrt, securityVictimKey} {
			if strings.Contains(body, secret) {
				t.Errorf("/metrics carries %q", secret)
			}
		}
	})

	t.Run("no credentials in logs, events or status", func(t *testing.T) {
		events := mustKubectl(t, admin, "", "get", "events", "-A", "-o", "yaml")
		objects := mustKubectl(t, admin, "", "get", "awsproviders,clusterawsproviders,apigateways", "-A", "-o", "yaml")
		for where, text := range map[string]string{"the operator's log": operatorLog.String(), "events": events, "status": objects} {
			for _, secret := range []string{securityTeamASecret, securityTeamBSecret, securityVictimSecret, securityOperatorSecrt, securityVictimKey, "victim-session-token"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s carries %q", where, secret)
				}
			}
		}
	})
	t.Logf("whole test: %s", time.Since(started).Round(time.Millisecond))
	if os.Getenv("E2E_OPERATOR_LOG") != "" {
		t.Logf("operator output:\n%s", operatorLog.String())
	}
}
