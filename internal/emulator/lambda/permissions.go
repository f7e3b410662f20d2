package lambda

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// addPermissionInput is AddPermission's body: the required members are
// pointers (a missing one is refused as null), an empty optional one is
// taken as absent.
type addPermissionInput struct {
	StatementID, Action, Principal *string

	SourceArn, SourceAccount, EventSourceToken, RevisionID, PrincipalOrgID string
	FunctionURLAuthType                                                    string `json:"FunctionUrlAuthType"`
	InvokedViaFunctionURL                                                  bool   `json:"InvokedViaFunctionUrl"`
}

// The model's constraints of AddPermission's members, as AWS quotes them.
var (
	statementIDPattern       = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
	removeStatementIDPattern = regexp.MustCompile(`^[a-zA-Z0-9-_.]+$`)
	actionPattern            = regexp.MustCompile(`^(lambda:[*]|lambda:[a-zA-Z]+|[*])$`)
	principalPattern         = regexp.MustCompile(`^[^\s]+$`)
	sourceARNPattern         = regexp.MustCompile(`^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$`)
	eventSourceTokenPattern  = regexp.MustCompile(`^[a-zA-Z0-9._\-]+$`)
	principalOrgIDPattern    = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

func (in *addPermissionInput) validate() error {
	var problems validation
	switch {
	case in.StatementID == nil:
		problems.fail(nil, "statementId", "Member must not be null")
	case len(*in.StatementID) < 1:
		problems.fail(in.StatementID, "statementId", "Member must have length greater than or equal to 1")
	case len(*in.StatementID) > 100:
		problems.fail(in.StatementID, "statementId", "Member must have length less than or equal to 100")
	case !statementIDPattern.MatchString(*in.StatementID):
		problems.fail(in.StatementID, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
	}
	switch {
	case in.Action == nil:
		problems.fail(nil, "action", "Member must not be null")
	case !actionPattern.MatchString(*in.Action):
		problems.fail(in.Action, "action", "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")
	}
	switch {
	case in.Principal == nil:
		problems.fail(nil, "principal", "Member must not be null")
	case !principalPattern.MatchString(*in.Principal):
		problems.fail(in.Principal, "principal", `Member must satisfy regular expression pattern: [^\s]+`)
	}
	if in.SourceArn != "" && !sourceARNPattern.MatchString(in.SourceArn) {
		problems.fail(in.SourceArn, "sourceArn", `Member must satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)`)
	}
	if in.SourceAccount != "" && !accountIDPattern.MatchString(in.SourceAccount) {
		problems.fail(in.SourceAccount, "sourceAccount", `Member must satisfy regular expression pattern: \d{12}`)
	}
	if in.EventSourceToken != "" && (len(in.EventSourceToken) > 256 || !eventSourceTokenPattern.MatchString(in.EventSourceToken)) {
		problems.fail(in.EventSourceToken, "eventSourceToken", `Member must satisfy regular expression pattern: [a-zA-Z0-9._\-]+`)
	}
	if in.PrincipalOrgID != "" && !principalOrgIDPattern.MatchString(in.PrincipalOrgID) {
		problems.fail(in.PrincipalOrgID, "principalOrgID", "Member must satisfy regular expression pattern: o-[a-z0-9]{10,32}")
	}
	if in.FunctionURLAuthType != "" && in.FunctionURLAuthType != "NONE" && in.FunctionURLAuthType != "AWS_IAM" {
		problems.fail(in.FunctionURLAuthType, "functionUrlAuthType", "Member must satisfy enum value set: [NONE, AWS_IAM]")
	}
	return problems.err()
}

// statement builds the policy statement of a valid request.
func (in *addPermissionInput) statement(t *target) (Statement, error) {
	principal, ok := principalOf(*in.Principal, partition(t.Region))
	if !ok {
		return Statement{}, invalidParameter("The provided principal was invalid. Please check the principal and try again.")
	}
	st := Statement{Sid: *in.StatementID, Effect: "Allow", Principal: principal, Action: *in.Action, Resource: t.resourceARN()}
	var cond Condition
	if in.FunctionURLAuthType != "" {
		cond.set(&cond.StringEquals, "lambda:FunctionUrlAuthType", in.FunctionURLAuthType)
	}
	if in.PrincipalOrgID != "" {
		cond.set(&cond.StringEquals, "aws:PrincipalOrgID", in.PrincipalOrgID)
	}
	if in.SourceAccount != "" {
		cond.set(&cond.StringEquals, "AWS:SourceAccount", in.SourceAccount)
	}
	if in.EventSourceToken != "" {
		cond.set(&cond.StringEquals, "lambda:EventSourceToken", in.EventSourceToken)
	}
	if in.InvokedViaFunctionURL {
		cond.set(&cond.Bool, "lambda:InvokedViaFunctionUrl", "true")
	}
	if in.SourceArn != "" {
		cond.set(&cond.ArnLike, "AWS:SourceArn", in.SourceArn)
	}
	if cond.StringEquals != nil || cond.Bool != nil || cond.ArnLike != nil {
		st.Condition = &cond
	}
	return st, nil
}

// addPermission adds a statement to the policy of $LATEST or of an alias,
// checking in AWS's order: the request's form, the function, the revision,
// the statement id, the principal, the policy's size.
func (svc *Service) addPermission(c *core.Call, r *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in addPermissionInput
	if err := core.DecodeJSON(body, &in, func(err error) error { return unparsableBody(err) }); err != nil {
		return 0, nil, err
	}
	if err := in.validate(); err != nil {
		return 0, nil, err
	}
	t, err := svc.resolve(c, params["FunctionName"], r, resolveOptions{})
	if err != nil {
		return 0, nil, err
	}
	if t.Qualified && t.Qualifier == latest {
		return 0, nil, invalidParameter("We currently do not support adding policies for $LATEST.")
	}
	policy := t.policy()
	if in.RevisionID != "" && in.RevisionID != policy.RevisionID {
		return 0, nil, preconditionFailed("GetPolicy")
	}
	if slices.ContainsFunc(policy.Statements, func(st Statement) bool { return st.Sid == *in.StatementID }) {
		return 0, nil, resourceConflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", *in.StatementID)
	}
	st, err := in.statement(t)
	if err != nil {
		return 0, nil, err
	}
	statements := append(slices.Clone(policy.Statements), st)
	if size := len(encodePolicy(statements)); size > maxPolicyBytes {
		return 0, nil, policyTooLong(size)
	}
	policy.Statements = statements
	policy.RevisionID = newRevisionID()
	encoded, err := json.Marshal(st)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]string{"Statement": string(encoded)}, nil
}

// removePermission removes a statement; the policy of a version or alias
// that loses its last statement is gone (GetPolicy answers 404).
func (svc *Service) removePermission(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	sid := params["StatementId"]
	if len(sid) > 100 || !removeStatementIDPattern.MatchString(sid) {
		var problems validation
		problems.fail(sid, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)")
		return 0, nil, problems.err()
	}
	t, err := svc.resolve(c, params["FunctionName"], r, resolveOptions{
		notFound: func(arn string) *core.Error { return resourceNotFound("No policy found for: %s", arn) },
	})
	if err != nil {
		return 0, nil, err
	}
	policy := t.policy()
	if len(policy.Statements) == 0 {
		return 0, nil, resourceNotFound("No policy is associated with the given resource.")
	}
	i := slices.IndexFunc(policy.Statements, func(st Statement) bool { return st.Sid == sid })
	if i < 0 {
		return 0, nil, resourceNotFound("Statement %s is not found in resource policy.", sid)
	}
	if revision := r.URL.Query().Get("RevisionId"); revision != "" && revision != policy.RevisionID {
		return 0, nil, preconditionFailed("GetFunction/GetAlias")
	}
	policy.Statements = slices.Delete(slices.Clone(policy.Statements), i, i+1)
	policy.RevisionID = newRevisionID()
	return http.StatusNoContent, nil, nil
}

func (svc *Service) getPolicy(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	t, err := svc.resolve(c, params["FunctionName"], r, resolveOptions{})
	if err != nil {
		return 0, nil, err
	}
	policy := t.policy()
	if len(policy.Statements) == 0 {
		return 0, nil, policyNotFound()
	}
	return http.StatusOK, map[string]string{"Policy": encodePolicy(policy.Statements), "RevisionId": policy.RevisionID}, nil
}

// Allows reports whether the resource policy of a function lets principal
// (a service principal such as apigateway.amazonaws.com, an account id, or
// an IAM ARN) invoke it on behalf of sourceARN (such as the execute-api ARN
// of a route; "" when the call has none). functionARN is the function's
// full ARN; qualified by an alias, that alias's policy decides, else the
// policy of $LATEST. A function that is not registered in the world of
// account and region allows nothing. The caller holds the state lock.
func (svc *Service) Allows(account, region, functionARN, principal, sourceARN string) bool {
	m := functionARNPattern.FindStringSubmatch(functionARN)
	if m == nil || m[1] != region || m[2] != account {
		return false
	}
	name, qualifier := m[3], m[4]
	reg, ok := svc.registration(account, region, name)
	if !ok {
		return false
	}
	if qualifier == "" {
		qualifier = latest
	} else if qualifier != latest && !reg.hasAlias(qualifier) {
		return false
	}
	w := svc.state.Worlds[account+"/"+region]
	if w == nil || w.Functions[name] == nil || w.Functions[name].Qualifiers[qualifier] == nil {
		return false
	}
	for _, st := range w.Functions[name].Qualifiers[qualifier].Statements {
		if st.allowsInvoke(principal, sourceARN) {
			return true
		}
	}
	return false
}

var functionARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$`)
