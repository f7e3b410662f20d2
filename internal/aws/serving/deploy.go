package serving

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

const (
	// hashMark starts the description of every deployment this package
	// makes; the hash after it says what the deployment snapshots.
	hashMark = "infra-operator:serving="
	// hashVersion changes whenever what a hash covers, or how children are
	// built from the spec, changes, so that such a change reaches stages.
	hashVersion = 2
	// KeptDeployments is how many deployments no stage uses are kept, the
	// most recent first, for rollback.
	KeptDeployments = 2
	// newDeployment stands for the deployment a plan creates.
	newDeployment = "(new deployment)"
)

// Hash is the hash of everything a deployment snapshots, computed
// from the desired spec (never from AWS's view): integrations, authorizers
// and routes, which for REST determine the resource tree, or the digest of
// the OpenAPI document that defines them. Stages are not part of it: they
// are not snapshotted.
func Hash(protocol gateway.Protocol, s Serving) string {
	snapshot := struct {
		Version      int
		Protocol     gateway.Protocol
		Integrations []Integration
		Authorizers  []Authorizer
		Routes       []Route
		// Document is left out when empty, so that the hashes of APIs
		// without one stay as they were (no redeployment on upgrade).
		Document string `json:",omitempty"`
	}{
		Version:      hashVersion,
		Protocol:     protocol,
		Integrations: sortedBy(s.Integrations, func(i Integration) string { return i.Name }),
		Authorizers:  sortedBy(s.Authorizers, func(a Authorizer) string { return a.Name }),
		Routes:       sortedBy(s.Routes, func(r Route) string { return r.Key }),
		Document:     s.Document,
	}
	b, err := json.Marshal(snapshot)
	if err != nil {
		panic(err) // the model holds only strings, numbers, bools, maps and lists
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func sortedBy[T any](items []T, key func(T) string) []T {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return sorted
}

// planDeployments decides, once per API and pass, what each stage this
// package deploys is to serve. A stage whose deployment records the desired
// hash stays; the others move to the newest deployment recording it, or,
// when there is none, to one deployment created for them all (after every
// child change, so it snapshots the desired state). It records the target
// in stageDeployments and plans the pruning of deployments no stage will
// use, keeping the KeptDeployments most recent; a deployment a stage uses is
// never deleted.
func planDeployments(d *desiredState, o *Observed, hash string, acts *actions) {
	observedStages := index(o.Stages, func(s *stage) string { return s.Name })
	deployments := index(o.Deployments, func(dep *Deployment) string { return dep.ID })
	var moving []string
	for _, s := range d.serving.Stages {
		if !d.managesDeployment(&s) {
			continue
		}
		if current := observedStages[s.Name]; current != nil {
			if dep := deployments[current.DeploymentID]; dep != nil && dep.Hash() == hash {
				d.stageDeployments[s.Name] = current.DeploymentID
				continue
			}
		}
		moving = append(moving, s.Name)
	}
	if len(moving) > 0 {
		target := newestWithHash(o.Deployments, hash)
		if target == "" {
			target = newDeployment
			acts.add(phaseDeploy, Action{Op: OpDeploy, Kind: KindDeployment, Key: hash})
		}
		for _, name := range moving {
			d.stageDeployments[name] = target
		}
	}
	planPrune(d, o, acts)
}

func newestWithHash(deployments []Deployment, hash string) string {
	var newest *Deployment
	for i := range deployments {
		dep := &deployments[i]
		if dep.Hash() == hash && (newest == nil || dep.Created.After(newest.Created)) {
			newest = dep
		}
	}
	if newest == nil {
		return ""
	}
	return newest.ID
}

// planPrune deletes the deployments no stage will use once the plan is
// applied, but the KeptDeployments most recent of them.
func planPrune(d *desiredState, o *Observed, acts *actions) {
	inUse := map[string]bool{}
	for _, id := range d.stageDeployments {
		inUse[id] = true
	}
	for _, s := range o.Stages {
		if desired := d.stages[s.Name]; desired != nil && !d.managesDeployment(desired) {
			inUse[s.DeploymentID] = true
		}
	}
	var unused []Deployment
	for _, dep := range o.Deployments {
		if !inUse[dep.ID] {
			unused = append(unused, dep)
		}
	}
	slices.SortFunc(unused, func(a, b Deployment) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	for i, dep := range unused {
		if i >= KeptDeployments {
			acts.add(phasePrune, Action{Op: OpDelete, Kind: KindDeployment, Key: dep.ID, ID: dep.ID})
		}
	}
}
