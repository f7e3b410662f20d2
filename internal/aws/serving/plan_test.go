package serving

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

func TestCompileRoutes(t *testing.T) {
	tree, err := compileRoutes([]Route{
		{Key: "GET /pets/{id}", Integration: "fn"},
		{Key: "ANY /{proxy+}", Integration: "fn"},
		{Key: "POST /pets", Integration: "fn"},
		{Key: "GET /", Integration: "fn"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/pets", "/pets/{id}", "/{proxy+}"}; !slices.Equal(tree.Resources, want) {
		t.Errorf("resources %v, want %v (parents first)", tree.Resources, want)
	}
	var keys []string
	for _, m := range tree.Methods {
		keys = append(keys, m.Key())
	}
	if want := []string{"GET /pets/{id}", "ANY /{proxy+}", "POST /pets", "GET /"}; !slices.Equal(keys, want) {
		t.Errorf("methods %v", keys)
	}

	for _, bad := range []struct{ routes []Route }{
		{[]Route{{Key: "FETCH /x", Integration: "fn"}}},
		{[]Route{{Key: "$default", Integration: "fn"}}},
		{[]Route{{Key: "GET /x", Integration: ""}}},
		{[]Route{{Key: "GET /{proxy+}/x", Integration: "fn"}}},
		{[]Route{{Key: "GET /pets/{id}", Integration: "fn"}, {Key: "GET /pets/{petId}/toys", Integration: "fn"}}},
		{[]Route{{Key: "GET /a//b", Integration: "fn"}}},
	} {
		if _, err := compileRoutes(bad.routes); err == nil {
			t.Errorf("compileRoutes(%v) accepted", bad.routes)
		}
	}
}

func TestMethodSettingKey(t *testing.T) {
	for path, want := range map[string]string{"/pets/{id}": "~1pets~1{id}/GET", "/": "~1/GET"} {
		if got := methodSettingKey(path, "GET"); got != want {
			t.Errorf("methodSettingKey(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestMarkedName(t *testing.T) {
	for desc, want := range map[string]string{
		markedDescription("orders", ""):           "orders",
		markedDescription("orders", "the orders"): "orders",
		"made by hand": "",
		"":             "",
	} {
		if got := markedName(desc); got != want {
			t.Errorf("markedName(%q) = %q, want %q", desc, got, want)
		}
	}
}

func actionWords(p Plan) []string {
	var words []string
	for _, a := range p.Actions {
		words = append(words, a.String())
	}
	return words
}

func TestPlanOrdersV2Actions(t *testing.T) {
	desired := Serving{
		Integrations: []Integration{{Name: "new", HTTP: &HTTPIntegration{URL: "https://n.example.com"}}},
		Authorizers:  []Authorizer{{Name: "jwt", JWT: &JWTAuthorizer{Issuer: "https://i.example.com"}}},
		Routes:       []Route{{Key: "GET /kept", Integration: "new", Authorizer: "jwt"}, {Key: "GET /added", Integration: "new"}},
		Stages:       []Stage{{Name: "prod"}},
	}
	observed := &Observed{
		API:          gateway.API{ID: "api", Protocol: gateway.ProtocolHTTP},
		Region:       "eu-west-1",
		Integrations: []child{{ID: "old", Key: "old", Fields: fields{}}},
		Routes: []child{
			{ID: "r1", Key: "GET /kept", Fields: fields{"integration": "old"}},
			{ID: "r2", Key: "GET /gone", Fields: fields{"integration": "old"}},
		},
	}
	plan, err := NewPlan(desired, observed)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"create integration new",
		"create authorizer jwt",
		"delete route GET /gone",
		"update route GET /kept",
		"create route GET /added",
		"delete integration old",
		"deploy deployment " + plan.Hash,
		"create stage prod",
	}
	if got := actionWords(plan); !slices.Equal(got, want) {
		t.Errorf("actions\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanRESTDeletesTopmostResourcesOnly(t *testing.T) {
	desired := Serving{
		Integrations: []Integration{{Name: "fn", Mock: &MockIntegration{}}},
		Routes:       []Route{{Key: "GET /pets/{id}", Integration: "fn"}},
	}
	observed := &Observed{
		API: gateway.API{ID: "api", Protocol: gateway.ProtocolREST},
		Resources: []resource{
			{ID: "root", Path: "/"}, {ID: "p", Path: "/pets"}, {ID: "old", Path: "/old"}, {ID: "old2", Path: "/old/deep"},
		},
		Methods: []child{{ID: "old2", Key: "GET /old/deep", Fields: fields{}}, {ID: "p", Key: "POST /pets", Fields: fields{}}},
	}
	plan, err := NewPlan(desired, observed)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"create resource /pets/{id}", "delete method POST /pets", "create method GET /pets/{id}", "delete resource /old"}
	if got := actionWords(plan); !slices.Equal(got, want) {
		t.Errorf("actions %v, want %v", got, want)
	}
}

func TestPlanDeployments(t *testing.T) {
	at := func(minutes int) time.Time { return time.Date(2026, 1, 1, 0, minutes, 0, 0, time.UTC) }
	desired := Serving{
		Integrations: []Integration{{Name: "fn", Lambda: &LambdaIntegration{FunctionARN: "arn:aws:lambda:eu-west-1:000000000000:function:f"}}},
		Routes:       []Route{{Key: "GET /x", Integration: "fn"}},
		Stages:       []Stage{{Name: "a"}, {Name: "b"}, {Name: "auto", AutoDeploy: true}},
	}
	hash := Hash(gateway.ProtocolHTTP, desired)
	base := func(deployments []Deployment, stages []stage) *Observed {
		return &Observed{API: gateway.API{ID: "api", Protocol: gateway.ProtocolHTTP}, Region: "eu-west-1", Deployments: deployments, Stages: stages}
	}
	old := func(id string, minute int) Deployment {
		return Deployment{ID: id, Description: hashMark + "old", Created: at(minute)}
	}

	t.Run("stages that lag share one new deployment", func(t *testing.T) {
		d, _ := newDesiredState(gateway.ProtocolHTTP, "eu-west-1", desired)
		var acts actions
		planDeployments(d, base([]Deployment{old("d1", 1)}, []stage{{Name: "a", DeploymentID: "d1"}}), hash, &acts)
		if n := len(acts.phases[phaseDeploy]); n != 1 {
			t.Errorf("%d deployments planned, want 1", n)
		}
		if d.stageDeployments["a"] != newDeployment || d.stageDeployments["b"] != newDeployment {
			t.Errorf("targets %v", d.stageDeployments)
		}
		if _, managed := d.stageDeployments["auto"]; managed {
			t.Error("an autoDeploy stage was given a deployment")
		}
	})

	t.Run("a deployment of the desired hash is reused after a crash", func(t *testing.T) {
		d, _ := newDesiredState(gateway.ProtocolHTTP, "eu-west-1", desired)
		var acts actions
		deployments := []Deployment{old("d1", 1), {ID: "d2", Description: hashMark + hash, Created: at(2)}}
		planDeployments(d, base(deployments, []stage{{Name: "a", DeploymentID: "d2"}, {Name: "b", DeploymentID: "d1"}}), hash, &acts)
		if len(acts.phases[phaseDeploy]) != 0 || d.stageDeployments["b"] != "d2" {
			t.Errorf("deploy %v, targets %v", acts.phases[phaseDeploy], d.stageDeployments)
		}
	})

	t.Run("pruning keeps what stages use and the two most recent others", func(t *testing.T) {
		d, _ := newDesiredState(gateway.ProtocolHTTP, "eu-west-1", desired)
		var acts actions
		deployments := []Deployment{old("d1", 1), old("d2", 2), old("d3", 3), old("d4", 4), {ID: "d5", Description: hashMark + hash, Created: at(5)}, old("auto1", 0)}
		stages := []stage{{Name: "a", DeploymentID: "d5"}, {Name: "b", DeploymentID: "d1"}, {Name: "auto", DeploymentID: "auto1", AutoDeploy: true}}
		planDeployments(d, base(deployments, stages), hash, &acts)
		var pruned []string
		for _, a := range acts.phases[phasePrune] {
			pruned = append(pruned, a.ID)
		}
		// b moves from d1 to d5; d1..d4 are then unused; d4 and d3 are kept.
		if want := []string{"d2", "d1"}; !slices.Equal(pruned, want) {
			t.Errorf("pruned %v, want %v", pruned, want)
		}
	})
}

func TestHashIgnoresOrder(t *testing.T) {
	a := Serving{Routes: []Route{{Key: "GET /a", Integration: "x"}, {Key: "GET /b", Integration: "x"}}}
	b := Serving{Routes: []Route{{Key: "GET /b", Integration: "x"}, {Key: "GET /a", Integration: "x"}}, Stages: []Stage{{Name: "s"}}}
	if Hash(gateway.ProtocolREST, a) != Hash(gateway.ProtocolREST, b) {
		t.Error("the hash depends on declaration order or on stages")
	}
	b.Routes[0].Integration = "y"
	if Hash(gateway.ProtocolREST, a) == Hash(gateway.ProtocolREST, b) {
		t.Error("the hash ignores a route's integration")
	}
}

func TestNewPlanRefusesUndeclaredReferences(t *testing.T) {
	observed := &Observed{API: gateway.API{Protocol: gateway.ProtocolHTTP}}
	for _, s := range []Serving{
		{Routes: []Route{{Key: "GET /x", Integration: "missing"}}},
		{Routes: []Route{{Key: "GET /x", Authorizer: "missing"}}},
		{Stages: []Stage{{Name: "a"}, {Name: "a"}}},
	} {
		if _, err := NewPlan(s, observed); err == nil {
			t.Errorf("NewPlan(%+v) accepted", s)
		}
	}
}

// With a document, what it imported is left alone (no family is swept),
// stages are still planned, and each document is a deployment of its own.
func TestPlanWithDocumentOnlyDeploysStages(t *testing.T) {
	for _, protocol := range []gateway.Protocol{gateway.ProtocolREST, gateway.ProtocolHTTP} {
		observed := &Observed{
			API:          gateway.API{ID: "api", Protocol: protocol},
			Integrations: []child{{ID: "i1", Fields: fields{}}},
			Routes:       []child{{ID: "r1", Fields: fields{}}},
			Authorizers:  []child{{ID: "a1", Fields: fields{}}},
			Resources:    []resource{{ID: "root", Path: "/"}, {ID: "p", Path: "/pets"}},
			Methods:      []child{{ID: "p", Key: "GET /pets", Fields: fields{}}},
		}
		desired := Serving{Stages: []Stage{{Name: "prod"}}, Document: "digest-1"}
		plan, err := NewPlan(desired, observed)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"deploy deployment " + plan.Hash, "create stage prod"}
		if got := actionWords(plan); !slices.Equal(got, want) {
			t.Errorf("%s: actions %v, want %v", protocol, got, want)
		}
		other := desired
		other.Document = "digest-2"
		if Hash(protocol, other) == plan.Hash || Hash(protocol, Serving{}) == plan.Hash {
			t.Errorf("%s: the hash does not follow the document", protocol)
		}
	}
}
