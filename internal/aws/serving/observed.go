package serving

import (
	"slices"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// Observed is an API's children as one Observe saw them, each reduced to
// the fields this package compares, with references (a route's target, a
// method's authorizer) named as the spec names them.
type Observed struct {
	API    gateway.API
	Region string

	// v2 children; REST uses Authorizers too.
	Integrations []child
	Authorizers  []child
	Routes       []child

	// REST children: resources by path, methods by "VERB /path", request
	// validators by name.
	Resources  []resource
	Methods    []child
	Validators []child

	Stages      []stage
	Deployments []Deployment
}

// child is one observed child: its AWS id, its key as the spec names it ("" when
// nothing marks it as a declared child's) and its fields.
type child struct {
	ID     string
	Key    string
	Fields fields
	// ResponseIDs are the ids of a WebSocket route's route responses or of
	// a MOCK integration's integration responses, which a change of them
	// replaces.
	ResponseIDs []string
}

// resource is one REST resource.
type resource struct {
	ID       string
	ParentID string
	Path     string
}

// stage is one observed stage. The key lists tell Apply what must be
// removed with calls of their own.
type stage struct {
	Name         string
	DeploymentID string
	AutoDeploy   bool
	Fields       fields
	// SettingKeys are the route (v2) or method (REST) settings it holds.
	SettingKeys   []string
	VariableKeys  []string
	HasAccessLogs bool
}

// Deployment is one observed deployment.
type Deployment struct {
	ID           string
	Description  string
	Created      time.Time
	AutoDeployed bool
}

// Hash is the serving hash the deployment's description records, or "".
func (d Deployment) Hash() string {
	hash, _ := strings.CutPrefix(d.Description, hashMark)
	if hash == d.Description {
		return ""
	}
	return hash
}

// canonicalChildren sorts children by id and blanks the key of every child
// but the first with a key, so that duplicates (two integrations carrying
// one mark) are swept and references resolve to the one kept. It returns
// the kept children's keys by id.
func canonicalChildren(children []child) ([]child, map[string]string) {
	slices.SortFunc(children, func(a, b child) int { return strings.Compare(a.ID, b.ID) })
	names := map[string]string{}
	seen := map[string]bool{}
	for i := range children {
		key := children[i].Key
		if key == "" {
			continue
		}
		if seen[key] {
			children[i].Key = ""
			continue
		}
		seen[key] = true
		names[children[i].ID] = key
	}
	return children, names
}

// referenceName is how fields name a referenced child: its key when it is a
// kept child, else its id, so that a reference to a swept child differs
// from every desired one.
func referenceName(names map[string]string, id string) string {
	if id == "" {
		return ""
	}
	if name, ok := names[id]; ok {
		return name
	}
	return "id:" + id
}
