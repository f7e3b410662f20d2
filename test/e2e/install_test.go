package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The Helm release that docs/install.md tells admins to install, and the
// namespaces the two install paths use.
const (
	installHelmVersion     = "helm.sh/helm/v3/cmd/helm@v3.22.0"
	installKustomizeNS     = "infra-operator-system"
	installHelmNS          = "infra-operator-helm"
	installManagerRoleName = "infra-operator-manager"
	installKubeVersion     = "1.32.0"
)

// installServiceMonitorCRD stands in for the Prometheus Operator's CRD: just
// enough for the API server to know the kind, so that the chart's
// ServiceMonitor can be admitted.
const installServiceMonitorCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.coreos.com
spec:
  group: monitoring.coreos.com
  names:
    kind: ServiceMonitor
    listKind: ServiceMonitorList
    plural: servicemonitors
    singular: servicemonitor
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [endpoints, selector]
            x-kubernetes-preserve-unknown-fields: true
`

// installChartCase is one set of Helm values and what must follow from it.
type installChartCase struct {
	name    string
	release string
	args    []string
	// watch is the watchNamespaces the args set: the manager's namespaced
	// rules must then be Roles in these namespaces.
	watch []string
	// plainMetrics: the args set metrics.secure=false.
	plainMetrics bool
	check        func(t *testing.T, objs installObjects)
}

// TestInstallManifests renders what a cluster admin installs (kustomize's
// config/default and the Helm chart under several values), checks the
// security and wiring properties statically, then has a real kube-apiserver
// admit everything: CRDs for real, the rest with a server-side dry run.
func TestInstallManifests(t *testing.T) {
	root := testenv.RepoRoot()
	roleRules := installGeneratedRoleRules(t, root)

	kustomized := installObjectsOf(t, installRun(t, root, nil, "kubectl", "kustomize", "config/default"))
	t.Run("kustomize/static", func(t *testing.T) {
		installCheckCommon(t, kustomized, roleRules, true, nil)
		installCheckMetricsRBAC(t, kustomized, true)
		dep := kustomized.deployment(t)
		if dep.Namespace != installKustomizeNS || dep.Name != "infra-operator-controller-manager" {
			t.Errorf("Deployment is %s/%s, want %s/infra-operator-controller-manager", dep.Namespace, dep.Name, installKustomizeNS)
		}
		installWantArgs(t, dep, "run", "--leader-elect", "--metrics-bind-address=:8443", "--metrics-secure=true", "--health-probe-bind-address=:8081")
		if ns := kustomized.ofKind("Namespace"); len(ns) != 1 || ns[0].GetName() != installKustomizeNS {
			t.Errorf("want one Namespace %s, got %v", installKustomizeNS, installNames(ns))
		}
	})
	prometheus := installObjectsOf(t, installRun(t, root, nil, "kubectl", "kustomize", "config/prometheus"))
	if len(prometheus.ofKind("ServiceMonitor")) != 1 {
		t.Fatalf("config/prometheus renders no ServiceMonitor")
	}
	t.Run("kustomize/ServiceMonitor scrapes with a token over HTTPS", func(t *testing.T) {
		installCheckSecureScrape(t, prometheus.ofKind("ServiceMonitor")[0])
	})

	t.Run("chart CRDs match config/crd/bases", func(t *testing.T) {
		installCheckChartCRDs(t, root)
	})
	t.Run("kustomize installs every CRD of config/crd/bases", func(t *testing.T) {
		installCheckKustomizeCRDs(t, root, kustomized)
	})

	helm := installHelm(t)
	chart := filepath.Join(root, "charts", "infra-operator")
	cases := []installChartCase{
		{
			name:    "defaults",
			release: "infra-operator",
			check: func(t *testing.T, objs installObjects) {
				dep := objs.deployment(t)
				installWantArgs(t, dep, "run", "--leader-elect", "--metrics-bind-address=:8443", "--metrics-secure=true", "--health-probe-bind-address=:8081", "--resync-period=5m")
				installNoArgPrefix(t, dep, "--namespaces", "--max-concurrent-reconciles")
				if len(objs.ofKind("ServiceMonitor")) != 0 {
					t.Error("ServiceMonitor rendered although metrics.serviceMonitor.enabled is false")
				}
				if sa := objs.ofKind("ServiceAccount"); len(sa) != 1 || len(sa[0].GetAnnotations()) != 0 {
					t.Errorf("want one ServiceAccount without annotations, got %v", sa)
				}
			},
		},
		{
			name:    "IRSA, watched namespaces, two replicas",
			release: "infra-operator",
			args: []string{
				"--set", `serviceAccount.annotations.eks\.amazonaws\.com/role-arn=arn:aws:iam::123456789012:role/infra-operator`,
				"--set", "watchNamespaces={team-a,team-b}",
				"--set", "replicaCount=2",
				"--set", "leaderElection.enabled=false", // forced on by replicaCount > 1
				"--set", "resyncPeriod=10m",
				"--set", "maxConcurrentReconciles=4",
				"--set", "image.tag=v9.9.9",
			},
			watch: []string{"team-a", "team-b"},
			check: func(t *testing.T, objs installObjects) {
				dep := objs.deployment(t)
				installWantArgs(t, dep, "run", "--leader-elect", "--metrics-bind-address=:8443", "--metrics-secure=true", "--health-probe-bind-address=:8081",
					"--namespaces=team-a,team-b", "--resync-period=10m", "--max-concurrent-reconciles=4")
				if got := dep.Spec.Template.Spec.Containers[0].Image; got != "ghcr.io/runner-codes/infra-operator:v9.9.9" {
					t.Errorf("image %q", got)
				}
				if dep.Spec.Replicas == nil || *dep.Spec.Replicas != 2 {
					t.Errorf("replicas %v, want 2", dep.Spec.Replicas)
				}
				sa := objs.ofKind("ServiceAccount")
				if len(sa) != 1 || sa[0].GetAnnotations()["eks.amazonaws.com/role-arn"] != "arn:aws:iam::123456789012:role/infra-operator" {
					t.Errorf("ServiceAccount lacks the IRSA annotation: %v", sa)
				}
				if !objs.has("Role", installHelmNS, "infra-operator-leader-election") {
					t.Errorf("leader election Role missing although two replicas run: %v", installNames(objs.ofKind("Role")))
				}
				// team-a, team-b, and the events of ClusterAWSProviders in default.
				if roles := objs.ofKind("Role"); len(roles) != 4 || !objs.has("Role", "default", "infra-operator-manager-events") {
					t.Errorf("want the leader election Role, one manager Role per watched namespace and an events Role in default, got %v", installNames(roles))
				}
			},
		},
		{
			name:    "ServiceMonitor, scheduling, other release name",
			release: "platform",
			args: []string{
				"--set", "metrics.serviceMonitor.enabled=true",
				"--set", "metrics.serviceMonitor.labels.release=kube-prometheus",
				"--set", "nodeSelector.kubernetes\\.io/os=linux",
				"--set", "tolerations[0].key=dedicated,tolerations[0].operator=Equal,tolerations[0].value=ops,tolerations[0].effect=NoSchedule",
			},
			check: func(t *testing.T, objs installObjects) {
				dep := objs.deployment(t)
				if dep.Name != "platform-infra-operator" {
					t.Errorf("Deployment name %q, want platform-infra-operator", dep.Name)
				}
				if dep.Spec.Template.Spec.NodeSelector["kubernetes.io/os"] != "linux" || len(dep.Spec.Template.Spec.Tolerations) != 1 {
					t.Errorf("nodeSelector/tolerations not rendered: %v %v", dep.Spec.Template.Spec.NodeSelector, dep.Spec.Template.Spec.Tolerations)
				}
				sms := objs.ofKind("ServiceMonitor")
				if len(sms) != 1 {
					t.Fatalf("want one ServiceMonitor, got %d", len(sms))
				}
				if sms[0].GetLabels()["release"] != "kube-prometheus" {
					t.Errorf("ServiceMonitor labels %v lack release=kube-prometheus", sms[0].GetLabels())
				}
				selector, _, _ := unstructured.NestedStringMap(sms[0].Object, "spec", "selector", "matchLabels")
				services := objs.ofKind("Service")
				if len(services) != 1 || !installLabelsMatch(selector, services[0].GetLabels()) {
					t.Errorf("ServiceMonitor selector %v selects no metrics Service among %v", selector, installNames(services))
				}
				installCheckSecureScrape(t, sms[0])
				roles := installNames(objs.ofKind("ClusterRole"))
				want := []string{"ClusterRole/platform-infra-operator-manager", "ClusterRole/platform-infra-operator-metrics-auth-role", "ClusterRole/platform-infra-operator-metrics-reader"}
				if !reflect.DeepEqual(roles, want) {
					t.Errorf("ClusterRoles %v, want %v", roles, want)
				}
			},
		},
		{
			name:    "existing service account, no leader election",
			release: "infra-operator",
			args: []string{
				"--set", "serviceAccount.create=false",
				"--set", "serviceAccount.name=preexisting",
				"--set", "leaderElection.enabled=false",
				"--set", "metrics.service.enabled=false",
			},
			check: func(t *testing.T, objs installObjects) {
				dep := objs.deployment(t)
				installNoArgPrefix(t, dep, "--leader-elect")
				if dep.Spec.Template.Spec.ServiceAccountName != "preexisting" {
					t.Errorf("serviceAccountName %q, want preexisting", dep.Spec.Template.Spec.ServiceAccountName)
				}
				if n := len(objs.ofKind("ServiceAccount")) + len(objs.ofKind("Role")) + len(objs.ofKind("Service")); n != 0 {
					t.Errorf("rendered %d ServiceAccount/Role/Service objects, want none", n)
				}
				// installCheckCommon checks that they bind the Deployment's account.
				if binding := objs.ofKind("ClusterRoleBinding"); len(binding) != 2 {
					t.Errorf("want the manager's and the metrics auth ClusterRoleBindings, got %v", installNames(binding))
				}
			},
		},
		{
			name:         "plain metrics",
			release:      "infra-operator",
			args:         []string{"--set", "metrics.secure=false", "--set", "metrics.port=8080", "--set", "metrics.serviceMonitor.enabled=true"},
			plainMetrics: true,
			check: func(t *testing.T, objs installObjects) {
				installWantArgs(t, objs.deployment(t), "run", "--leader-elect", "--metrics-bind-address=:8080", "--metrics-secure=false", "--health-probe-bind-address=:8081", "--resync-period=5m")
				sms := objs.ofKind("ServiceMonitor")
				if len(sms) != 1 {
					t.Fatalf("want one ServiceMonitor, got %d", len(sms))
				}
				if endpoint := installScrapeEndpoint(t, sms[0]); endpoint["scheme"] != "http" || endpoint["bearerTokenFile"] != nil {
					t.Errorf("plain metrics scraped as %v", endpoint)
				}
			},
		},
	}
	rendered := make([]installObjects, len(cases))
	for i, c := range cases {
		t.Run("helm/"+c.name+"/static", func(t *testing.T) {
			// --kube-version: a helm built by go install reports a default
			// cluster version of v1.20, below the chart's kubeVersion.
			args := append([]string{"template", c.release, chart, "--namespace", installHelmNS, "--kube-version", installKubeVersion}, c.args...)
			objs := installObjectsOf(t, installRun(t, root, installHelmEnv(t), helm, args...))
			if len(objs.ofKind("CustomResourceDefinition")) != 0 {
				t.Error("helm template without --include-crds rendered CRDs into templates/; they belong in crds/")
			}
			installCheckCommon(t, objs, roleRules, !slices.Contains(c.args, "serviceAccount.create=false"), c.watch)
			installCheckMetricsRBAC(t, objs, !c.plainMetrics)
			c.check(t, objs)
			rendered[i] = objs
		})
	}
	t.Run("helm/ServiceMonitor needs the metrics Service", func(t *testing.T) {
		out, err := installTry(root, installHelmEnv(t), helm, "template", "x", chart, "--kube-version", installKubeVersion,
			"--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false")
		if err == nil || !strings.Contains(out, "needs metrics.service.enabled") {
			t.Errorf("helm template succeeded or failed for another reason (err %v):\n%s", err, out)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	// A real API server: CRDs and namespaces for real, everything else dry-run.
	kubeconfig := startKubeAPIServer(t, false) // the test installs the CRDs itself, as an admin would
	admin := func(stdin string, args ...string) string {
		t.Helper()
		return mustKubectl(t, kubeconfig, stdin, args...)
	}
	admin(kustomized.ofKindYAML("CustomResourceDefinition"), "apply", "--server-side", "--field-manager=install-test", "-f", "-")
	admin(installServiceMonitorCRD, "apply", "--server-side", "--field-manager=install-test", "-f", "-")
	admin("", "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
	admin(kustomized.ofKindYAML("Namespace"), "apply", "--server-side", "--field-manager=install-test", "-f", "-")
	admin("", "create", "namespace", installHelmNS)
	admin("", "label", "namespace", installHelmNS, "pod-security.kubernetes.io/enforce=restricted")
	for _, c := range cases {
		for _, ns := range c.watch {
			if _, exists := kubectl(t, kubeconfig, "", "get", "namespace", ns); !exists {
				admin("", "create", "namespace", ns)
			}
		}
	}
	t.Run("rules are split along the API server's scopes", func(t *testing.T) {
		for i, c := range cases {
			if len(c.watch) > 0 {
				installCheckScopes(t, kubeconfig, rendered[i])
			}
		}
	})

	t.Run("kustomize/admitted", func(t *testing.T) {
		installDryRun(t, kubeconfig, kustomized)
		monitor := prometheus.ofKind("ServiceMonitor")[0]
		monitor.SetNamespace(installKustomizeNS)
		installDryRun(t, kubeconfig, installObjects{items: []*unstructured.Unstructured{monitor}})
		installDryRunPod(t, kubeconfig, kustomized.deployment(t))

		// The control: the same pod allowed to run as root must be refused,
		// or the check above proves nothing.
		root := kustomized.deployment(t)
		root.Spec.Template.Spec.SecurityContext.RunAsNonRoot = nil
		root.Spec.Template.Spec.SecurityContext.RunAsUser = nil
		out, ok := kubectl(t, kubeconfig, installPodYAML(t, root), "create", "--dry-run=server", "-f", "-")
		if ok || !strings.Contains(out, "violates PodSecurity") {
			t.Errorf("a pod that may run as root was not refused by Pod Security admission:\n%s", out)
		}
	})
	t.Run("helm/CRDs from the chart apply", func(t *testing.T) {
		mustKubectl(t, kubeconfig, "", "apply", "--server-side", "--field-manager=install-test", "-f", filepath.Join(chart, "crds"))
	})
	for i, c := range cases {
		t.Run("helm/"+c.name+"/admitted", func(t *testing.T) {
			installDryRun(t, kubeconfig, rendered[i])
			installDryRunPod(t, kubeconfig, rendered[i].deployment(t))
		})
	}
	// Installed for real, the watched-namespaces RBAC gives the operator's
	// service account what it needs where it needs it, and nothing else,
	// as the API server's authorizer answers.
	for i, c := range cases {
		if len(c.watch) > 0 {
			t.Run("helm/"+c.name+"/authorized", func(t *testing.T) {
				installCheckAuthorized(t, kubeconfig, rendered[i], c.watch)
			})
		}
	}
}

// installCheckCommon checks what every rendering must have: a hardened
// Deployment, the manager's rules exactly role.yaml's (in one ClusterRole,
// or with watched namespaces split between a ClusterRole and a Role per
// namespace), Leases only in the Deployment's namespace, and bindings,
// services and the pod all pointing at objects that exist.
func installCheckCommon(t *testing.T, objs installObjects, roleRules []rbacv1.PolicyRule, ownServiceAccount bool, watch []string) {
	t.Helper()
	dep := objs.deployment(t)
	installCheckHardened(t, dep)
	installCheckArgsParse(t, dep)

	var managerRole *rbacv1.ClusterRole
	for _, u := range objs.ofKind("ClusterRole") {
		if strings.HasSuffix(u.GetName(), "manager") {
			managerRole = &rbacv1.ClusterRole{}
			installFromUnstructured(t, u, managerRole)
		}
	}
	if managerRole == nil {
		t.Fatalf("no manager ClusterRole among %v", installNames(objs.ofKind("ClusterRole")))
	}
	if len(watch) == 0 {
		if !reflect.DeepEqual(managerRole.Rules, roleRules) {
			t.Errorf("ClusterRole %s rules differ from config/rbac/role.yaml (run hack/sync-chart-crds.sh):\n got %+v\nwant %+v",
				managerRole.Name, managerRole.Rules, roleRules)
		}
		if roles := installRolesNamed(t, objs, managerRole.Name); len(roles) != 0 {
			t.Errorf("manager Roles %v rendered without watched namespaces", slices.Collect(maps.Keys(roles)))
		}
	} else {
		installCheckWatchedRules(t, objs, managerRole, roleRules, watch)
	}
	installCheckLeases(t, objs, dep.Namespace)

	saName := dep.Spec.Template.Spec.ServiceAccountName
	if ownServiceAccount && !objs.has("ServiceAccount", dep.Namespace, saName) {
		t.Errorf("Deployment runs as service account %q, which is not rendered", saName)
	}
	for _, kind := range []string{"ClusterRoleBinding", "RoleBinding"} {
		for _, u := range objs.ofKind(kind) {
			var binding rbacv1.RoleBinding // same fields as ClusterRoleBinding
			installFromUnstructured(t, u, &binding)
			if !objs.has(binding.RoleRef.Kind, u.GetNamespace(), binding.RoleRef.Name) {
				t.Errorf("%s %s refers to %s %q, which is not rendered", kind, u.GetName(), binding.RoleRef.Kind, binding.RoleRef.Name)
			}
			if len(binding.Subjects) != 1 || binding.Subjects[0].Name != saName || binding.Subjects[0].Namespace != dep.Namespace {
				t.Errorf("%s %s binds %+v, want the Deployment's service account %s/%s", kind, u.GetName(), binding.Subjects, dep.Namespace, saName)
			}
		}
	}
	for _, u := range objs.ofKind("Service") {
		var svc corev1.Service
		installFromUnstructured(t, u, &svc)
		if !installLabelsMatch(svc.Spec.Selector, dep.Spec.Template.Labels) {
			t.Errorf("Service %s selects %v, which the manager pod (labels %v) does not match", svc.Name, svc.Spec.Selector, dep.Spec.Template.Labels)
		}
	}
	if !installLabelsMatch(dep.Spec.Selector.MatchLabels, dep.Spec.Template.Labels) {
		t.Errorf("Deployment selector %v does not match its pod labels %v", dep.Spec.Selector.MatchLabels, dep.Spec.Template.Labels)
	}
}

// installCheckHardened checks the manager pod against what the restricted
// Pod Security Standard and docs/install.md promise.
func installCheckHardened(t *testing.T, dep *appsv1.Deployment) {
	t.Helper()
	pod := dep.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("Deployment %s has %d containers, want 1", dep.Name, len(pod.Containers))
	}
	c := pod.Containers[0]
	podSC, sc := pod.SecurityContext, c.SecurityContext
	if podSC == nil || sc == nil {
		t.Fatalf("Deployment %s lacks a pod or container securityContext", dep.Name)
	}
	nonRoot := (sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) || (sc.RunAsNonRoot == nil && podSC.RunAsNonRoot != nil && *podSC.RunAsNonRoot)
	if !nonRoot {
		t.Errorf("Deployment %s may run as root (runAsNonRoot not true)", dep.Name)
	}
	if uid := podSC.RunAsUser; uid == nil || *uid == 0 {
		t.Errorf("Deployment %s runAsUser %v, want a non-zero uid", dep.Name, uid)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("Deployment %s root filesystem is writable", dep.Name)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("Deployment %s allows privilege escalation", dep.Name)
	}
	if sc.Capabilities == nil || !reflect.DeepEqual(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) != 0 {
		t.Errorf("Deployment %s capabilities %+v, want drop [ALL] and no add", dep.Name, sc.Capabilities)
	}
	if podSC.SeccompProfile == nil || podSC.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("Deployment %s seccompProfile %+v, want RuntimeDefault", dep.Name, podSC.SeccompProfile)
	}
	for name, probe := range map[string]*corev1.Probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
		if probe == nil || probe.HTTPGet == nil || probe.HTTPGet.Path != name || probe.HTTPGet.Port.String() != "health" {
			t.Errorf("Deployment %s lacks an HTTP probe on %s:health", dep.Name, name)
		}
	}
	if !slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "health" && p.ContainerPort == 8081 }) {
		t.Errorf("Deployment %s has no health port 8081: %+v", dep.Name, c.Ports)
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("Deployment %s lacks memory requests/limits: %+v", dep.Name, c.Resources)
	}
	if !reflect.DeepEqual(c.Command, []string{"/infra-operator"}) {
		t.Errorf("Deployment %s command %v, want [/infra-operator]", dep.Name, c.Command)
	}
}

func installWantArgs(t *testing.T, dep *appsv1.Deployment, want ...string) {
	t.Helper()
	got := dep.Spec.Template.Spec.Containers[0].Args
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Deployment %s args\n got %q\nwant %q", dep.Name, got, want)
	}
}

func installNoArgPrefix(t *testing.T, dep *appsv1.Deployment, prefixes ...string) {
	t.Helper()
	for _, arg := range dep.Spec.Template.Spec.Containers[0].Args {
		for _, p := range prefixes {
			if strings.HasPrefix(arg, p) {
				t.Errorf("Deployment %s has argument %q", dep.Name, arg)
			}
		}
	}
}

// installCheckArgsParse runs the real binary with the Deployment's
// arguments followed by -h: flag parsing goes left to right, so an unknown
// flag or a bad value fails before the help request is reached.
func installCheckArgsParse(t *testing.T, dep *appsv1.Deployment) {
	t.Helper()
	args := append(slices.Clone(dep.Spec.Template.Spec.Containers[0].Args), "-h")
	out, _ := exec.Command(infraOperatorBinary(t), args...).CombinedOutput()
	if !strings.Contains(string(out), "help requested") || strings.Contains(string(out), "flag provided but not defined") {
		t.Errorf("infra-operator %q does not accept the Deployment's arguments:\n%s", args, out)
	}
}

// installCheckChartCRDs fails when charts/infra-operator/crds is not a
// byte-for-byte copy of config/crd/bases (hack/sync-chart-crds.sh).
func installCheckChartCRDs(t *testing.T, root string) {
	t.Helper()
	generated, _ := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	copied, _ := filepath.Glob(filepath.Join(root, "charts", "infra-operator", "crds", "*.yaml"))
	base := func(paths []string) (names []string) {
		for _, p := range paths {
			names = append(names, filepath.Base(p))
		}
		return names
	}
	if len(generated) == 0 || !slices.Equal(base(generated), base(copied)) {
		t.Fatalf("chart CRDs %v differ from config/crd/bases %v; run hack/sync-chart-crds.sh", base(copied), base(generated))
	}
	for i := range generated {
		a, errA := os.ReadFile(generated[i])
		b, errB := os.ReadFile(copied[i])
		if err := errors.Join(errA, errB); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the chart's copy; run hack/sync-chart-crds.sh", generated[i])
		}
	}
}

// installGeneratedRoleRules reads the rules controller-gen wrote from the
// controllers' RBAC markers.
func installGeneratedRoleRules(t *testing.T, root string) []rbacv1.PolicyRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatalf("reading the generated ClusterRole (make manifests writes it): %v", err)
	}
	roles := installObjectsOf(t, string(data)).ofKind("ClusterRole")
	if len(roles) != 1 || roles[0].GetName() != installManagerRoleName {
		t.Fatalf("config/rbac/role.yaml should hold one ClusterRole %s, has %v", installManagerRoleName, installNames(roles))
	}
	var role rbacv1.ClusterRole
	installFromUnstructured(t, roles[0], &role)
	if len(role.Rules) == 0 {
		t.Fatal("config/rbac/role.yaml has no rules")
	}
	return role.Rules
}

// installDryRun has the API server admit every object except CRDs and
// Namespaces (which the test created for real) without persisting them.
// Strict field validation rejects unknown fields; Pod Security warnings on
// the Deployment fail the test too.
func installDryRun(t *testing.T, kubeconfig string, objs installObjects) {
	t.Helper()
	var rest installObjects
	for _, u := range objs.items {
		if k := u.GetKind(); k != "CustomResourceDefinition" && k != "Namespace" {
			rest.items = append(rest.items, u)
		}
	}
	if len(rest.items) == 0 {
		t.Fatal("nothing to admit")
	}
	out := mustKubectl(t, kubeconfig, rest.yaml(), "apply", "--server-side", "--dry-run=server", "--validate=strict", "--field-manager=install-test", "-f", "-")
	if strings.Contains(out, "would violate PodSecurity") {
		t.Errorf("Pod Security admission warned:\n%s", out)
	}
	if got := strings.Count(out, "serverside-applied (server dry run)"); got != len(rest.items) {
		t.Errorf("API server admitted %d of %d objects:\n%s", got, len(rest.items), out)
	}
}

// installPodYAML is the pod the Deployment would create.
func installPodYAML(t *testing.T, dep *appsv1.Deployment) string {
	t.Helper()
	pod := corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: *dep.Spec.Template.ObjectMeta.DeepCopy(),
		Spec:       *dep.Spec.Template.Spec.DeepCopy(),
	}
	pod.Name, pod.Namespace = dep.Name+"-pod", dep.Namespace
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&pod)
	if err != nil {
		t.Fatal(err)
	}
	return installYAMLString(&unstructured.Unstructured{Object: obj})
}

// installDryRunPod creates the Deployment's pod, dry run, in its namespace,
// which enforces the restricted Pod Security Standard: a pod that could run
// as root, escalate or keep capabilities is rejected.
func installDryRunPod(t *testing.T, kubeconfig string, dep *appsv1.Deployment) {
	t.Helper()
	out := mustKubectl(t, kubeconfig, installPodYAML(t, dep), "create", "--dry-run=server", "-f", "-")
	if !strings.Contains(out, "created (server dry run)") {
		t.Errorf("pod of %s not admitted:\n%s", dep.Name, out)
	}
}

// installObjects is a rendered set of manifests.
type installObjects struct {
	items []*unstructured.Unstructured
}

func installObjectsOf(t *testing.T, manifests string) installObjects {
	t.Helper()
	var objs installObjects
	decoder := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifests), 4096)
	for {
		var obj map[string]any
		err := decoder.Decode(&obj)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("parsing rendered manifests: %v\n%s", err, manifests)
		}
		if len(obj) == 0 {
			continue // empty document between ---
		}
		objs.items = append(objs.items, &unstructured.Unstructured{Object: obj})
	}
	if len(objs.items) == 0 {
		t.Fatalf("no objects rendered:\n%s", manifests)
	}
	return objs
}

func (o installObjects) ofKind(kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, u := range o.items {
		if u.GetKind() == kind {
			out = append(out, u)
		}
	}
	return out
}

func (o installObjects) ofKindYAML(kind string) string {
	return installObjects{items: o.ofKind(kind)}.yaml()
}

func (o installObjects) has(kind, namespace, name string) bool {
	for _, u := range o.ofKind(kind) {
		clusterScoped := kind == "ClusterRole"
		if u.GetName() == name && (clusterScoped || u.GetNamespace() == namespace) {
			return true
		}
	}
	return false
}

func (o installObjects) deployment(t *testing.T) *appsv1.Deployment {
	t.Helper()
	deps := o.ofKind("Deployment")
	if len(deps) != 1 {
		t.Fatalf("want one Deployment, got %v", installNames(deps))
	}
	var dep appsv1.Deployment
	installFromUnstructured(t, deps[0], &dep)
	return &dep
}

func (o installObjects) yaml() string {
	var b strings.Builder
	for _, u := range o.items {
		b.WriteString("---\n")
		b.WriteString(installYAMLString(u))
	}
	return b.String()
}

func installYAMLString(u *unstructured.Unstructured) string {
	data, err := u.MarshalJSON() // JSON is YAML; kubectl reads either
	if err != nil {
		panic(err)
	}
	return string(data) + "\n"
}

func installFromUnstructured(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, into, true); err != nil {
		t.Fatalf("%s %s: %v", u.GetKind(), u.GetName(), err)
	}
}

func installNames(objs []*unstructured.Unstructured) []string {
	var names []string
	for _, u := range objs {
		names = append(names, u.GetKind()+"/"+u.GetName())
	}
	return names
}

// installLabelsMatch says whether labels carry every selector entry.
func installLabelsMatch(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

var (
	installHelmOnce sync.Once
	installHelmPath string
	installHelmErr  error
)

// installHelm returns the pinned helm, built with go install on first use
// (minutes cold) into the user cache, where later runs find it.
func installHelm(t *testing.T) string {
	t.Helper()
	installHelmOnce.Do(func() { installHelmPath, installHelmErr = installBuildHelm() })
	if installHelmErr != nil {
		t.Fatal(installHelmErr)
	}
	return installHelmPath
}

func installBuildHelm() (string, error) {
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	dir := filepath.Join(cacheDir, "infra-operator", "tools")
	helm := filepath.Join(dir, "helm-"+strings.TrimPrefix(installHelmVersion, "helm.sh/helm/v3/cmd/helm@"))
	if info, err := os.Stat(helm); err == nil && info.Mode().IsRegular() {
		return helm, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Install beside the final name, then rename, so that a concurrent run
	// never sees a half-written file.
	gobin, err := os.MkdirTemp(dir, "helm-*.partial")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(gobin)
	cmd := exec.Command("go", "install", installHelmVersion)
	cmd.Env = append(installEnvWithout(os.Environ(), "GOFLAGS"), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", installHelmVersion, err, out)
	}
	return helm, os.Rename(filepath.Join(gobin, "helm"), helm)
}

// installHelmEnv keeps helm's config and cache out of the user's home.
func installHelmEnv(t *testing.T) []string {
	dir := t.TempDir()
	return append(os.Environ(),
		"HELM_CONFIG_HOME="+filepath.Join(dir, "config"),
		"HELM_CACHE_HOME="+filepath.Join(dir, "cache"),
		"HELM_DATA_HOME="+filepath.Join(dir, "data"))
}

func installEnvWithout(env []string, name string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
}

// installTry runs a command in dir and returns its stdout (stderr appended
// when it fails).
func installTry(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

func installRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := installTry(dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}
