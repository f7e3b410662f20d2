package authorizers

import (
	"encoding/json"
	"errors"
	"strings"
)

// invokeAction is the action a Lambda authorizer's policy must allow on the
// method ARN.
const invokeAction = "execute-api:Invoke"

// verdict is an IAM policy's answer for one action on one resource.
type verdict int

const (
	// implicitDeny: no statement allows it.
	implicitDeny verdict = iota
	allow
	// explicitDeny: a Deny statement names it, whatever else allows it.
	explicitDeny
)

// policyDocument is the IAM policy a Lambda authorizer returns.
type policyDocument struct {
	Version   string     `json:"Version"`
	Statement statements `json:"Statement"`
}

type statement struct {
	Effect      string         `json:"Effect"`
	Action      stringList     `json:"Action"`
	NotAction   stringList     `json:"NotAction"`
	Resource    stringList     `json:"Resource"`
	NotResource stringList     `json:"NotResource"`
	Condition   map[string]any `json:"Condition"`
}

// statements reads IAM's Statement, which is one statement or a list.
type statements []statement

func (s *statements) UnmarshalJSON(data []byte) error {
	if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "{") {
		var one statement
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*s = statements{one}
		return nil
	}
	var list []statement
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	*s = list
	return nil
}

// stringList reads IAM's Action and Resource, which are a string or a list.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	*l = list
	return nil
}

var errInvalidPolicy = errors.New("the policy document is not a valid IAM policy")

// validate refuses what IAM would refuse: no statements, an effect other
// than Allow or Deny, a statement that names no action or no resource.
func (p *policyDocument) validate() error {
	if len(p.Statement) == 0 {
		return errInvalidPolicy
	}
	for _, s := range p.Statement {
		effect := strings.ToLower(s.Effect)
		if effect != "allow" && effect != "deny" {
			return errInvalidPolicy
		}
		if (len(s.Action) == 0) == (len(s.NotAction) == 0) || (len(s.Resource) == 0) == (len(s.NotResource) == 0) {
			return errInvalidPolicy
		}
	}
	return nil
}

// evaluate applies IAM's rule: an explicit Deny wins, then any Allow;
// nothing matching denies implicitly.
func (p *policyDocument) evaluate(action, resource string) verdict {
	result := implicitDeny
	for _, s := range p.Statement {
		if !s.applies(action, resource) {
			continue
		}
		if strings.EqualFold(s.Effect, "deny") {
			return explicitDeny
		}
		result = allow
	}
	return result
}

// applies reports whether the statement names the action and the resource.
// Conditions are not evaluated, and fail closed: a conditional Allow never
// applies and a conditional Deny always does.
func (s statement) applies(action, resource string) bool {
	if len(s.Condition) > 0 {
		return strings.EqualFold(s.Effect, "deny")
	}
	return s.matchesAction(action) && s.matchesResource(resource)
}

func (s statement) matchesAction(action string) bool {
	// IAM action names are case-insensitive.
	matchAction := func(pattern string) bool {
		return wildcardMatch(strings.ToLower(pattern), strings.ToLower(action))
	}
	if len(s.NotAction) > 0 {
		return !anyMatch(s.NotAction, matchAction)
	}
	return anyMatch(s.Action, matchAction)
}

func (s statement) matchesResource(resource string) bool {
	matchResource := func(pattern string) bool { return wildcardMatch(pattern, resource) }
	if len(s.NotResource) > 0 {
		return !anyMatch(s.NotResource, matchResource)
	}
	return anyMatch(s.Resource, matchResource)
}

func anyMatch(patterns []string, match func(string) bool) bool {
	for _, pattern := range patterns {
		if match(pattern) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM's wildcards: * is any run of characters
// (slashes and colons included), ? is any one character.
func wildcardMatch(pattern, value string) bool {
	p, v := 0, 0
	// The last * seen, and the position in value it was tried at, to go back
	// to when the rest does not match.
	star, starValue := -1, 0
	for v < len(value) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == value[v]):
			p++
			v++
		case p < len(pattern) && pattern[p] == '*':
			star, starValue = p, v
			p++
		case star >= 0:
			starValue++
			p, v = star+1, starValue
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
