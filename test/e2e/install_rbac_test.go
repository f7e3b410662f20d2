package e2e

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The RBAC checks of TestInstallManifests: least privilege, read from the
// rendered manifests and, where it matters, asked of a real API server's
// authorizer.

// installRuleSet expands rules into "group|resource|verb" (and
// "url|path|verb") entries, so that rule lists can be compared whatever
// their grouping.
func installRuleSet(rules []rbacv1.PolicyRule) map[string]bool {
	set := map[string]bool{}
	for _, rule := range rules {
		for _, verb := range rule.Verbs {
			for _, group := range rule.APIGroups {
				for _, resource := range rule.Resources {
					set[group+"|"+resource+"|"+verb] = true
				}
			}
			for _, url := range rule.NonResourceURLs {
				set["url|"+url+"|"+verb] = true
			}
		}
	}
	return set
}

func installSortedKeys(set map[string]bool) []string {
	return slices.Sorted(maps.Keys(set))
}

// installRolesNamed returns the Roles of a name, by namespace.
func installRolesNamed(t *testing.T, objs installObjects, name string) map[string]*rbacv1.Role {
	t.Helper()
	roles := map[string]*rbacv1.Role{}
	for _, u := range objs.ofKind("Role") {
		if u.GetName() == name {
			role := &rbacv1.Role{}
			installFromUnstructured(t, u, role)
			roles[u.GetNamespace()] = role
		}
	}
	return roles
}

func installClusterRole(t *testing.T, objs installObjects, suffix string) *rbacv1.ClusterRole {
	t.Helper()
	for _, u := range objs.ofKind("ClusterRole") {
		if strings.HasSuffix(u.GetName(), suffix) {
			role := &rbacv1.ClusterRole{}
			installFromUnstructured(t, u, role)
			return role
		}
	}
	return nil
}

// installCheckWatchedRules: with watched namespaces, the manager's
// ClusterRole and its Role in each watched namespace together grant
// exactly role.yaml's rules, each rule once; the ClusterRole reads no
// Secret, and the events Role of the default namespace grants events only.
func installCheckWatchedRules(t *testing.T, objs installObjects, clusterRole *rbacv1.ClusterRole, roleRules []rbacv1.PolicyRule, watch []string) {
	t.Helper()
	want := installRuleSet(roleRules)
	cluster := installRuleSet(clusterRole.Rules)
	for entry := range cluster {
		if strings.Contains(entry, "|secrets|") || strings.Contains(entry, "|apigateways") || strings.Contains(entry, "|awsproviders") {
			t.Errorf("ClusterRole %s grants %s cluster-wide although the operator watches only %v", clusterRole.Name, entry, watch)
		}
	}
	roles := installRolesNamed(t, objs, clusterRole.Name)
	if got := slices.Sorted(maps.Keys(roles)); !slices.Equal(got, slices.Sorted(slices.Values(watch))) {
		t.Fatalf("manager Roles %s in namespaces %v, want one in each of %v", clusterRole.Name, got, watch)
	}
	var first map[string]bool
	for _, ns := range watch {
		namespaced := installRuleSet(roles[ns].Rules)
		if first == nil {
			first = namespaced
		} else if !maps.Equal(first, namespaced) {
			t.Errorf("manager Role in %s grants %v, in %s %v", ns, installSortedKeys(namespaced), watch[0], installSortedKeys(first))
		}
		union := maps.Clone(cluster)
		for entry := range namespaced {
			if cluster[entry] {
				t.Errorf("%s granted both by the ClusterRole and by the Role in %s", entry, ns)
			}
			union[entry] = true
		}
		if !maps.Equal(union, want) {
			t.Errorf("ClusterRole %s and Role %s/%s grant\n %v\nwant config/rbac/role.yaml's\n %v",
				clusterRole.Name, ns, clusterRole.Name, installSortedKeys(union), installSortedKeys(want))
		}
	}
	if !slices.Contains(watch, "default") {
		events := installRolesNamed(t, objs, clusterRole.Name+"-events")["default"]
		if events == nil {
			t.Fatalf("no Role %s-events in default, where the events of ClusterAWSProviders are recorded", clusterRole.Name)
		}
		for entry := range installRuleSet(events.Rules) {
			if !want[entry] || !strings.Contains(entry, "|events|") {
				t.Errorf("Role default/%s grants %s, want events of role.yaml only", events.Name, entry)
			}
		}
	}
}

// installCheckLeases: no ClusterRole grants Leases; the leader-election
// Role, rendered exactly when the Deployment elects a leader, grants them in
// the operator's namespace.
func installCheckLeases(t *testing.T, objs installObjects, namespace string) {
	t.Helper()
	for _, u := range objs.ofKind("ClusterRole") {
		var role rbacv1.ClusterRole
		installFromUnstructured(t, u, &role)
		for entry := range installRuleSet(role.Rules) {
			if strings.Contains(entry, "|leases|") {
				t.Errorf("ClusterRole %s grants %s: Leases belong in the leader-election namespace only", role.Name, entry)
			}
		}
	}
	var leaseRoles []string
	for _, u := range objs.ofKind("Role") {
		var role rbacv1.Role
		installFromUnstructured(t, u, &role)
		if installRuleSet(role.Rules)["coordination.k8s.io|leases|create"] {
			leaseRoles = append(leaseRoles, role.Namespace+"/"+role.Name)
			if role.Namespace != namespace {
				t.Errorf("Role %s/%s grants Leases outside the operator's namespace %s", role.Namespace, role.Name, namespace)
			}
		}
	}
	elects := slices.Contains(objs.deployment(t).Spec.Template.Spec.Containers[0].Args, "--leader-elect")
	if elects != (len(leaseRoles) == 1) {
		t.Errorf("--leader-elect %v, but Roles granting Leases: %v", elects, leaseRoles)
	}
}

// installCheckMetricsRBAC: with secure metrics, the operator may create
// TokenReviews and SubjectAccessReviews (a ClusterRole of its own, bound
// to it) and scrapers get a metrics-reader ClusterRole; with plain metrics,
// neither exists.
func installCheckMetricsRBAC(t *testing.T, objs installObjects, secure bool) {
	t.Helper()
	args := objs.deployment(t).Spec.Template.Spec.Containers[0].Args
	if want := fmt.Sprintf("--metrics-secure=%v", secure); !slices.Contains(args, want) {
		t.Errorf("Deployment args %q lack %s", args, want)
	}
	auth, reader := installClusterRole(t, objs, "metrics-auth-role"), installClusterRole(t, objs, "metrics-reader")
	if !secure {
		if auth != nil || reader != nil {
			t.Errorf("metrics RBAC rendered although metrics are plain: %v", installNames(objs.ofKind("ClusterRole")))
		}
		return
	}
	if auth == nil || reader == nil {
		t.Fatalf("secure metrics without the metrics-auth-role and metrics-reader ClusterRoles: %v", installNames(objs.ofKind("ClusterRole")))
	}
	wantAuth := []string{"authentication.k8s.io|tokenreviews|create", "authorization.k8s.io|subjectaccessreviews|create"}
	if got := installSortedKeys(installRuleSet(auth.Rules)); !slices.Equal(got, wantAuth) {
		t.Errorf("ClusterRole %s grants %v, want %v", auth.Name, got, wantAuth)
	}
	if got := installSortedKeys(installRuleSet(reader.Rules)); !slices.Equal(got, []string{"url|/metrics|get"}) {
		t.Errorf("ClusterRole %s grants %v, want get on /metrics only", reader.Name, got)
	}
	bound := false
	for _, u := range objs.ofKind("ClusterRoleBinding") {
		var binding rbacv1.ClusterRoleBinding
		installFromUnstructured(t, u, &binding)
		bound = bound || binding.RoleRef.Name == auth.Name
		if binding.RoleRef.Name == reader.Name {
			t.Errorf("ClusterRoleBinding %s gives metrics-reader to %v; it is for the cluster admin to bind to scrapers", binding.Name, binding.Subjects)
		}
	}
	if !bound {
		t.Errorf("ClusterRole %s is bound to nothing", auth.Name)
	}
}

func installScrapeEndpoint(t *testing.T, monitor *unstructured.Unstructured) map[string]any {
	t.Helper()
	endpoints, _, _ := unstructured.NestedSlice(monitor.Object, "spec", "endpoints")
	if len(endpoints) != 1 {
		t.Fatalf("ServiceMonitor %s has %d endpoints, want 1", monitor.GetName(), len(endpoints))
	}
	endpoint, _ := endpoints[0].(map[string]any)
	return endpoint
}

// installCheckSecureScrape: the ServiceMonitor scrapes over HTTPS with
// Prometheus's service account token, accepting the self-signed
// certificate, as kubebuilder scaffolds it.
func installCheckSecureScrape(t *testing.T, monitor *unstructured.Unstructured) {
	t.Helper()
	endpoint := installScrapeEndpoint(t, monitor)
	skip, _, _ := unstructured.NestedBool(endpoint, "tlsConfig", "insecureSkipVerify")
	if endpoint["scheme"] != "https" || endpoint["bearerTokenFile"] != "/var/run/secrets/kubernetes.io/serviceaccount/token" || !skip {
		t.Errorf("ServiceMonitor %s endpoint %v, want https with the service account's bearer token and insecureSkipVerify", monitor.GetName(), endpoint)
	}
}

// installCheckScopes asks the API server's discovery which resources are
// namespaced: the manager's split ClusterRole must hold cluster-scoped
// resources only and its Roles namespaced ones only (a namespaced
// resource in a ClusterRole would be granted cluster-wide; a cluster-scoped
// one in a Role would be granted nowhere).
func installCheckScopes(t *testing.T, kubeconfig string, objs installObjects) {
	t.Helper()
	scoped := map[bool]map[string]bool{}
	for _, namespaced := range []bool{true, false} {
		scoped[namespaced] = map[string]bool{}
		out := mustKubectl(t, kubeconfig, "", "api-resources", fmt.Sprintf("--namespaced=%v", namespaced), "-o", "name")
		for _, name := range strings.Fields(out) {
			scoped[namespaced][name] = true
		}
	}
	check := func(owner string, rules []rbacv1.PolicyRule, namespaced bool) {
		for _, rule := range rules {
			for _, group := range rule.APIGroups {
				for _, resource := range rule.Resources {
					name := strings.SplitN(resource, "/", 2)[0]
					if group != "" {
						name += "." + group
					}
					if !scoped[namespaced][name] {
						t.Errorf("%s grants %s, which the API server does not list as namespaced=%v", owner, name, namespaced)
					}
				}
			}
		}
	}
	clusterRole := installClusterRole(t, objs, "-manager")
	check("ClusterRole "+clusterRole.Name, clusterRole.Rules, false)
	for _, suffix := range []string{"", "-events"} {
		for ns, role := range installRolesNamed(t, objs, clusterRole.Name+suffix) {
			check("Role "+ns+"/"+role.Name, role.Rules, true)
		}
	}
}

// installCheckAuthorized installs the rendering's service account and RBAC
// for real and asks the API server's authorizer what the operator's
// service account may do: what it needs in the watched namespaces, and
// nothing of the kind elsewhere.
func installCheckAuthorized(t *testing.T, kubeconfig string, objs installObjects, watch []string) {
	t.Helper()
	var rbac installObjects
	for _, kind := range []string{"ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"} {
		rbac.items = append(rbac.items, objs.ofKind(kind)...)
	}
	applied := mustKubectl(t, kubeconfig, rbac.yaml(), "apply", "--server-side", "--field-manager=install-test", "-f", "-")
	defer func() {
		if t.Failed() {
			out, _ := kubectl(t, kubeconfig, "", "get", "clusterrolebindings,rolebindings", "-A", "-o", "wide")
			t.Logf("applied:\n%s\nbindings:\n%s", applied, out)
		}
	}()
	dep := objs.deployment(t)
	user := "system:serviceaccount:" + dep.Namespace + ":" + dep.Spec.Template.Spec.ServiceAccountName
	canI := func(args ...string) bool {
		// The answer is the last line; a warning may come first (such
		// as "resource 'namespaces' is not namespace scoped").
		out, _ := kubectl(t, kubeconfig, "", append([]string{"auth", "can-i", "--as", user}, args...)...)
		lines := strings.Fields(out)
		return len(lines) > 0 && lines[len(lines)-1] == "yes"
	}
	type question struct {
		args []string
		want bool
	}
	var questions []question
	for _, ns := range watch {
		for _, args := range [][]string{
			{"get", "secrets"}, {"list", "secrets"}, {"watch", "secrets"}, {"patch", "secrets"}, {"update", "secrets"},
			// An APIGatewayAPIKey's generateInto Secret.
			{"create", "secrets"},
			{"list", "apigateways.aws-infra-operator.runner.codes"}, {"patch", "apigateways.aws-infra-operator.runner.codes", "--subresource=status"},
			{"update", "apigatewayapikeys.aws-infra-operator.runner.codes", "--subresource=finalizers"},
			{"update", "awsproviders.aws-infra-operator.runner.codes", "--subresource=finalizers"},
			{"create", "events.events.k8s.io"},
		} {
			questions = append(questions, question{append(args, "-n", ns), true})
		}
		for _, args := range [][]string{{"delete", "secrets"}, {"create", "leases.coordination.k8s.io"}} {
			questions = append(questions, question{append(args, "-n", ns), false})
		}
	}
	questions = append(questions,
		question{[]string{"list", "clusterawsproviders.aws-infra-operator.runner.codes"}, true},
		question{[]string{"watch", "namespaces"}, true},
		question{[]string{"create", "events.events.k8s.io", "-n", "default"}, true}, // ClusterAWSProviders' events
		question{[]string{"create", "leases.coordination.k8s.io", "-n", dep.Namespace}, true},
		question{[]string{"create", "tokenreviews.authentication.k8s.io"}, true},
		question{[]string{"create", "subjectaccessreviews.authorization.k8s.io"}, true},
		// Nothing cluster-wide, nothing in an unwatched namespace.
		question{[]string{"list", "secrets", "--all-namespaces"}, false},
		question{[]string{"get", "secrets", "-n", "team-c"}, false},
		question{[]string{"get", "secrets", "-n", "default"}, false},
		question{[]string{"get", "secrets", "-n", dep.Namespace}, false},
		question{[]string{"list", "apigateways.aws-infra-operator.runner.codes", "--all-namespaces"}, false},
		question{[]string{"list", "awsproviders.aws-infra-operator.runner.codes", "-n", "team-c"}, false},
		question{[]string{"list", "leases.coordination.k8s.io", "--all-namespaces"}, false},
		question{[]string{"create", "clusterawsproviders.aws-infra-operator.runner.codes"}, false},
	)
	for _, q := range questions {
		if got := canI(q.args...); got != q.want {
			t.Errorf("kubectl auth can-i %s --as %s: %v, want %v", strings.Join(q.args, " "), user, got, q.want)
		}
	}
}

// installCheckKustomizeCRDs fails when config/crd/kustomization.yaml
// leaves out a CRD controller-gen generated: kubectl apply -k would then
// install an operator whose kinds are missing.
func installCheckKustomizeCRDs(t *testing.T, root string, kustomized installObjects) {
	t.Helper()
	generated, _ := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	var want, got []string
	for _, path := range generated {
		// controller-gen names each file GROUP_PLURAL.yaml.
		group, plural, _ := strings.Cut(strings.TrimSuffix(filepath.Base(path), ".yaml"), "_")
		want = append(want, plural+"."+group)
	}
	for _, crd := range kustomized.ofKind("CustomResourceDefinition") {
		got = append(got, crd.GetName())
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("kubectl kustomize config/default renders the CRDs %v, want every one of config/crd/bases %v (list it in config/crd/kustomization.yaml)", got, want)
	}
}
