package serving

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Kind is a family of children an API holds.
type Kind string

// The child families, in no particular order (Plan orders the actions).
const (
	KindIntegration Kind = "integration"
	KindAuthorizer  Kind = "authorizer"
	KindRoute       Kind = "route"
	KindResource    Kind = "resource"
	KindMethod      Kind = "method"
	KindValidator   Kind = "requestValidator"
	KindStage       Kind = "stage"
	KindDeployment  Kind = "deployment"
)

// Op is what an action does to one child.
type Op string

// The operations. OpDeploy creates the pass's one deployment.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
	OpDeploy Op = "deploy"
)

// Change is one difference between what AWS holds and what is desired,
// worded for logs and events: `route "GET /x" target: "integrations/a" => "integrations/b"`.
type Change struct {
	Kind  Kind
	Key   string
	Field string
	From  string
	To    string
}

func (c Change) String() string {
	s := string(c.Kind) + " " + quote(c.Key)
	if c.Field == "" {
		return s + ": " + c.From + " => " + c.To
	}
	return s + " " + c.Field + ": " + c.From + " => " + c.To
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Action is one write of a plan.
type Action struct {
	Op   Op
	Kind Kind
	// Key names the child as the spec does: integration or authorizer
	// name, route key, resource path, "VERB /path" of a REST method, stage
	// name, deployment id.
	Key string
	// ID is the AWS id of the observed child an update or delete acts on.
	ID string
	// Changes are the fields an update changes.
	Changes []Change
}

func (a Action) String() string { return string(a.Op) + " " + string(a.Kind) + " " + a.Key }

// Plan is the ordered writes that bring an API to its desired Serving. It is
// computed without AWS calls; Apply carries it out.
type Plan struct {
	Actions []Action
	// Hash is the hash of everything a deployment snapshots, as desired.
	Hash string

	desired  desiredState
	observed *Observed
}

// Empty reports whether the plan makes no write.
func (p Plan) Empty() bool { return len(p.Actions) == 0 }

// Changes lists every difference the plan acts on: one per created or
// deleted child and one per changed field, deployments left out (they
// follow from the others).
func (p Plan) Changes() []Change {
	var changes []Change
	for _, a := range p.Actions {
		switch a.Op {
		case OpCreate:
			changes = append(changes, Change{Kind: a.Kind, Key: a.Key, From: "absent", To: "present"})
		case OpDelete:
			if a.Kind != KindDeployment {
				changes = append(changes, Change{Kind: a.Kind, Key: a.Key, From: "present", To: "absent"})
			}
		case OpUpdate:
			changes = append(changes, a.Changes...)
		}
	}
	return changes
}

// fields is a child as comparable strings, by field name. A desired child
// leaves out the fields it lets AWS default, so that they are not compared.
type fields map[string]string

// compareFields returns the fields of desired that observed holds otherwise.
func compareFields(kind Kind, key string, observed, desired fields) []Change {
	var changes []Change
	for _, name := range slices.Sorted(maps.Keys(desired)) {
		if observed[name] != desired[name] {
			changes = append(changes, Change{Kind: kind, Key: key, Field: name, From: orNone(observed[name]), To: orNone(desired[name])})
		}
	}
	return changes
}

func orNone(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// canonical is a value as a stable string: maps with sorted keys, lists as
// given, empty collections and nil alike.
func canonical(v any) string {
	switch v := v.(type) {
	case map[string]string:
		if len(v) == 0 {
			return ""
		}
	case map[string]bool:
		if len(v) == 0 {
			return ""
		}
	case []string:
		if len(v) == 0 {
			return ""
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sortedSet is a list compared as a set.
func sortedSet(list []string) []string {
	sorted := slices.Clone(list)
	slices.Sort(sorted)
	return slices.Compact(sorted)
}

// actions collects a plan's writes by phase; phases run in order.
type actions struct {
	phases [phaseCount][]Action
}

// The phases of a plan. What a later phase needs exists after an earlier
// one: integrations and authorizers before the routes that use them, route
// changes before the deletes of what routes no longer use, parents before
// children, every child before the deployment that snapshots it, the
// deployment before the stages moved to it, stages before pruning.
const (
	phaseTargets = iota // integrations, authorizers: create/update
	phaseResources
	phaseRoutes // routes, methods: create/update/delete
	phaseResourceDeletes
	phaseTargetDeletes
	phaseDeploy
	phaseStages
	phaseStageDeletes
	phasePrune
	phaseCount
)

func (a *actions) add(phase int, action Action) { a.phases[phase] = append(a.phases[phase], action) }

func (a *actions) list() []Action {
	var all []Action
	for _, phase := range a.phases {
		all = append(all, phase...)
	}
	return all
}

// join is a list as AWS keeps one string of it (REST identity sources).
func join(list []string) string { return strings.Join(list, ",") }

// NewPlan diffs observed against desired and orders the writes. It makes no
// AWS call. Its error is a spec the plan cannot serve (an undeclared
// reference, a REST route tree AWS refuses).
func NewPlan(desired Serving, observed *Observed) (Plan, error) {
	d, err := newDesiredState(observed.API.Protocol, observed.Region, desired)
	if err != nil {
		return Plan{}, err
	}
	var acts actions
	switch {
	case desired.Document != "":
		// The document's children are AWS's import of it: nothing to diff.
	case d.tree != nil:
		planREST(d, observed, &acts)
	default:
		planV2(d, observed, &acts)
	}
	hash := Hash(d.protocol, desired)
	planDeployments(d, observed, hash, &acts)
	planStages(d, observed, &acts)
	return Plan{Actions: acts.list(), Hash: hash, desired: *d, observed: observed}, nil
}

// keyed is one family's desired children: compared fields by key, in
// declaration order.
type keyed struct {
	keys   []string
	fields map[string]fields
}

func (k *keyed) add(key string, f fields) {
	if k.fields == nil {
		k.fields = map[string]fields{}
	}
	k.keys = append(k.keys, key)
	k.fields[key] = f
}

// diffFamily plans one family: creates of what is missing and updates of
// what differs in upsertPhase, deletes of every observed child nothing
// declares (or a duplicate of one) in deletePhase.
func diffFamily(acts *actions, kind Kind, observed []child, desired keyed, upsertPhase, deletePhase int) {
	byKey := map[string]child{}
	for _, c := range observed {
		if _, declared := desired.fields[c.Key]; declared && c.Key != "" {
			if _, dup := byKey[c.Key]; !dup {
				byKey[c.Key] = c
				continue
			}
		}
		acts.add(deletePhase, Action{Op: OpDelete, Kind: kind, Key: orID(c), ID: c.ID})
	}
	for _, key := range desired.keys {
		current, ok := byKey[key]
		if !ok {
			acts.add(upsertPhase, Action{Op: OpCreate, Kind: kind, Key: key})
			continue
		}
		if changes := compareFields(kind, key, current.Fields, desired.fields[key]); len(changes) > 0 {
			acts.add(upsertPhase, Action{Op: OpUpdate, Kind: kind, Key: key, ID: current.ID, Changes: changes})
		}
	}
}

func orID(c child) string {
	if c.Key == "" {
		return "id:" + c.ID
	}
	return c.Key
}

// planStages plans the declared stages (with the deployment each is to
// serve) and the deletes of the others.
func planStages(d *desiredState, o *Observed, acts *actions) {
	var desired keyed
	for _, s := range d.serving.Stages {
		f := stageFields(d.protocol, s)
		if target, ok := d.stageDeployments[s.Name]; ok {
			f["deployment"] = target
		}
		desired.add(s.Name, f)
	}
	observed := make([]child, len(o.Stages))
	for i, s := range o.Stages {
		observed[i] = child{ID: s.Name, Key: s.Name, Fields: s.Fields}
	}
	diffFamily(acts, KindStage, observed, desired, phaseStages, phaseStageDeletes)
}
