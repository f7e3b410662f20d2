package serving

import (
	"fmt"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// desiredState is a Serving indexed for planning and applying.
type desiredState struct {
	protocol     gateway.Protocol
	region       string
	serving      Serving
	integrations map[string]*Integration
	authorizers  map[string]*Authorizer
	stages       map[string]*Stage
	// tree is the REST resource tree the routes compile to.
	tree *restTree
	// stageDeployments is the deployment each stage this package deploys
	// is to serve: an id, or newDeployment.
	stageDeployments map[string]string
}

func index[T any](items []T, key func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		m[key(&items[i])] = &items[i]
	}
	return m
}

// newDesiredState indexes desired and checks what a plan cannot work
// around: references to undeclared integrations or authorizers, and keys
// declared twice. Admission refuses these first; this is the last line.
func newDesiredState(protocol gateway.Protocol, region string, desired Serving) (*desiredState, error) {
	d := &desiredState{
		protocol:         protocol,
		region:           region,
		serving:          desired,
		integrations:     index(desired.Integrations, func(i *Integration) string { return i.Name }),
		authorizers:      index(desired.Authorizers, func(a *Authorizer) string { return a.Name }),
		stages:           index(desired.Stages, func(s *Stage) string { return s.Name }),
		stageDeployments: map[string]string{},
	}
	routes := index(desired.Routes, func(r *Route) string { return r.Key })
	for kind, counts := range map[string][2]int{
		"integration": {len(d.integrations), len(desired.Integrations)},
		"authorizer":  {len(d.authorizers), len(desired.Authorizers)},
		"route":       {len(routes), len(desired.Routes)},
		"stage":       {len(d.stages), len(desired.Stages)},
	} {
		if counts[0] != counts[1] {
			return nil, fmt.Errorf("a %s is declared twice", kind)
		}
	}
	for _, r := range desired.Routes {
		if r.Integration != "" && d.integrations[r.Integration] == nil {
			return nil, fmt.Errorf("route %q names integration %q, which is not declared", r.Key, r.Integration)
		}
		if r.Authorizer != "" && d.authorizers[r.Authorizer] == nil {
			return nil, fmt.Errorf("route %q names authorizer %q, which is not declared", r.Key, r.Authorizer)
		}
	}
	if protocol == gateway.ProtocolREST {
		tree, err := compileRoutes(desired.Routes)
		if err != nil {
			return nil, err
		}
		d.tree = tree
	}
	return d, nil
}

// managesDeployment reports whether this package deploys the stage: every
// REST stage, and v2 stages without autoDeploy.
func (d *desiredState) managesDeployment(s *Stage) bool {
	return d.protocol == gateway.ProtocolREST || !s.AutoDeploy
}
