package lambda

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
)

// maxPolicyBytes is the limit of a function's resource policy (per
// version or alias): 20 KB.
const maxPolicyBytes = 20480

// Statement is one statement of a function's resource policy, in the
// members and order AWS writes them.
type Statement struct {
	Sid       string     `json:"Sid"`
	Effect    string     `json:"Effect"`
	Principal Principal  `json:"Principal"`
	Action    string     `json:"Action"`
	Resource  string     `json:"Resource"`
	Condition *Condition `json:"Condition,omitempty"`
}

// Principal is "*", {"Service": "…"} or {"AWS": "arn:…"}.
type Principal struct {
	Anyone  bool
	Service string
	AWS     string
}

// MarshalJSON writes the principal in the policy document's form: "*",
// {"Service": ...} or {"AWS": ...}.
func (p Principal) MarshalJSON() ([]byte, error) {
	switch {
	case p.Anyone:
		return json.Marshal("*")
	case p.Service != "":
		return json.Marshal(map[string]string{"Service": p.Service})
	default:
		return json.Marshal(map[string]string{"AWS": p.AWS})
	}
}

// UnmarshalJSON reads the forms MarshalJSON writes; a string other than "*"
// is an error.
func (p *Principal) UnmarshalJSON(data []byte) error {
	var anyone string
	if json.Unmarshal(data, &anyone) == nil {
		if anyone != "*" {
			return errors.New("a principal string must be \"*\"")
		}
		*p = Principal{Anyone: true}
		return nil
	}
	var members struct{ Service, AWS string }
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	*p = Principal{Service: members.Service, AWS: members.AWS}
	return nil
}

// Condition holds the condition keys AddPermission writes.
type Condition struct {
	StringEquals map[string]string `json:"StringEquals,omitempty"`
	Bool         map[string]string `json:"Bool,omitempty"`
	ArnLike      map[string]string `json:"ArnLike,omitempty"`
}

func (c *Condition) set(operator *map[string]string, key, value string) {
	if *operator == nil {
		*operator = map[string]string{}
	}
	(*operator)[key] = value
}

// policyDocument is the policy GetPolicy answers as a string.
type policyDocument struct {
	Version   string      `json:"Version"`
	ID        string      `json:"Id"`
	Statement []Statement `json:"Statement"`
}

func encodePolicy(statements []Statement) string {
	encoded, err := json.Marshal(policyDocument{Version: "2012-10-17", ID: "default", Statement: statements})
	if err != nil {
		panic(err) // statements always marshal
	}
	return string(encoded)
}

var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	iamARNPattern    = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::`)
)

// principalOf is AddPermission's reading of its Principal: a service
// principal, an account (its root), an IAM ARN, or anyone.
func principalOf(principal, partition string) (Principal, bool) {
	switch {
	case principal == "*":
		return Principal{Anyone: true}, true
	case strings.HasSuffix(principal, ".amazonaws.com"):
		return Principal{Service: principal}, true
	case accountIDPattern.MatchString(principal):
		return Principal{AWS: "arn:" + partition + ":iam::" + principal + ":root"}, true
	case iamARNPattern.MatchString(principal):
		return Principal{AWS: principal}, true
	}
	return Principal{}, false
}

// invokeActions are the statement actions that grant lambda:InvokeFunction.
var invokeActions = map[string]bool{"lambda:InvokeFunction": true, "lambda:*": true, "*": true}

// allowsInvoke reports whether the statement lets principal invoke the
// function on behalf of sourceARN (empty when the call has no source).
// Condition keys the emulator cannot know of a call (aws:PrincipalOrgID,
// lambda:EventSourceToken, lambda:FunctionUrlAuthType,
// lambda:InvokedViaFunctionUrl) are absent from it, so a statement that
// needs one of them does not apply.
func (st Statement) allowsInvoke(principal, sourceARN string) bool {
	if st.Effect != "Allow" || !invokeActions[st.Action] || !st.Principal.matches(principal) {
		return false
	}
	if st.Condition == nil {
		return true
	}
	if len(st.Condition.Bool) > 0 {
		return false
	}
	for key, want := range st.Condition.StringEquals {
		if !strings.EqualFold(key, "aws:SourceAccount") || sourceARN == "" || arnAccount(sourceARN) != want {
			return false
		}
	}
	for key, pattern := range st.Condition.ArnLike {
		if !strings.EqualFold(key, "aws:SourceArn") || sourceARN == "" || !ArnLike(pattern, sourceARN) {
			return false
		}
	}
	return true
}

// matches reports whether the statement's principal covers the caller: a
// service principal exactly, an account root any identity of the account
// (named by its id or by an ARN in it), any other ARN exactly.
func (p Principal) matches(principal string) bool {
	switch {
	case p.Anyone:
		return true
	case p.Service != "":
		return principal == p.Service
	case strings.HasSuffix(p.AWS, ":root"):
		account := arnAccount(p.AWS)
		return principal == account || (strings.HasPrefix(principal, "arn:") && arnAccount(principal) == account)
	default:
		return principal == p.AWS
	}
}

// arnAccount is the account field of an ARN ("" when it has none).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// ArnLike is IAM's ArnLike condition operator: each of the six
// colon-separated components of the ARN is matched on its own, "*" standing
// for any run of characters and "?" for any one; the resource (the sixth
// component) keeps its own colons.
func ArnLike(pattern, arn string) bool {
	patternParts := strings.SplitN(pattern, ":", 6)
	arnParts := strings.SplitN(arn, ":", 6)
	if len(patternParts) != 6 || len(arnParts) != 6 {
		return false
	}
	for i := range patternParts {
		if !wildcardMatch(patternParts[i], arnParts[i]) {
			return false
		}
	}
	return true
}

// wildcardMatch matches s against a pattern of "*" and "?" wildcards,
// backtracking only to the last "*".
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
