// Package lambdaperm is the operator's AWS layer for the Lambda invoke
// permissions API Gateway needs: one resource-policy statement per Lambda
// integration or authorizer, granting apigateway.amazonaws.com
// lambda:InvokeFunction from the narrowest source ARN. Statements are the
// operator's when their id starts with the object's prefix (derived from its
// UID), so a statement someone else wrote is never touched.
package lambdaperm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// Principal is the service API Gateway invokes functions as.
const Principal = "apigateway.amazonaws.com"

const invokeAction = "lambda:InvokeFunction"

// Grant is one statement: API Gateway may invoke FunctionARN (qualified by an
// alias or version, or not) when the call comes from SourceARN.
type Grant struct {
	FunctionARN string
	StatementID string
	SourceARN   string
}

func (g Grant) String() string {
	return g.StatementID + " on " + g.FunctionARN + " from " + g.SourceARN
}

// SDK is the part of the Lambda client the package calls.
type SDK interface {
	AddPermission(ctx context.Context, in *lambda.AddPermissionInput, optFns ...func(*lambda.Options)) (*lambda.AddPermissionOutput, error)
	RemovePermission(ctx context.Context, in *lambda.RemovePermissionInput, optFns ...func(*lambda.Options)) (*lambda.RemovePermissionOutput, error)
	GetPolicy(ctx context.Context, in *lambda.GetPolicyInput, optFns ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error)
}

// Client reads and writes the operator's statements.
type Client struct{ sdk SDK }

// NewClient returns a Client over a Lambda SDK client.
func NewClient(sdk SDK) *Client { return &Client{sdk: sdk} }

// ClientFor returns the provider's Lambda permission client, cached by the
// factory for the provider's settings.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "lambda", func(cfg aws.Config) *Client {
		return NewClient(lambda.NewFromConfig(cfg))
	})
}

// Change is one statement added, replaced or removed.
type Change struct {
	Action string // "added", "replaced", "removed"
	Grant  Grant
}

func (c Change) String() string { return c.Action + " " + c.Grant.String() }

// Reconcile makes the policies of the functions in want, and of those in
// known (functions earlier passes granted on), hold exactly the statements of
// want among those whose id starts with prefix: it adds the missing ones,
// replaces those whose source ARN changed and removes the rest. Other
// statements are left alone. It reads each function's policy once.
func (c *Client) Reconcile(ctx context.Context, prefix string, want []Grant, known []string) ([]Change, error) {
	byFunction := map[string][]Grant{}
	for _, fn := range known {
		byFunction[fn] = nil
	}
	for _, g := range want {
		byFunction[g.FunctionARN] = append(byFunction[g.FunctionARN], g)
	}
	functions := make([]string, 0, len(byFunction))
	for fn := range byFunction {
		functions = append(functions, fn)
	}
	sort.Strings(functions)
	var changes []Change
	for _, fn := range functions {
		made, err := c.reconcileFunction(ctx, prefix, fn, byFunction[fn])
		changes = append(changes, made...)
		if err != nil {
			return changes, err
		}
	}
	return changes, nil
}

func (c *Client) reconcileFunction(ctx context.Context, prefix, functionARN string, want []Grant) ([]Change, error) {
	have, err := c.Granted(ctx, functionARN, prefix)
	if err != nil {
		return nil, err
	}
	current := map[string]Grant{}
	for _, g := range have {
		current[g.StatementID] = g
	}
	var changes []Change
	for _, g := range want {
		existing, found := current[g.StatementID]
		delete(current, g.StatementID)
		if found && existing.SourceARN == g.SourceARN {
			continue
		}
		action := "added"
		if found {
			action = "replaced"
			if err := c.remove(ctx, existing); err != nil {
				return changes, err
			}
		}
		if err := c.add(ctx, g); err != nil {
			return changes, err
		}
		changes = append(changes, Change{Action: action, Grant: g})
	}
	stale := make([]string, 0, len(current))
	for id := range current {
		stale = append(stale, id)
	}
	sort.Strings(stale)
	for _, id := range stale {
		if err := c.remove(ctx, current[id]); err != nil {
			return changes, err
		}
		changes = append(changes, Change{Action: "removed", Grant: current[id]})
	}
	return changes, nil
}

// Granted returns the statements on the function whose ids start with
// prefix. A function without a policy, or without the function, has none.
func (c *Client) Granted(ctx context.Context, functionARN, prefix string) ([]Grant, error) {
	name, qualifier := splitQualifier(functionARN)
	out, err := c.sdk.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name), Qualifier: qualifier})
	if awserrors.IsNotFound(err) {
		// Lambda answers alike for a function without a policy and a
		// missing function; an add to a missing one fails on its own.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parsePolicy(functionARN, aws.ToString(out.Policy), prefix)
}

// policyDocument is the part of a resource policy the package reads.
type policyDocument struct {
	Statement []struct {
		Sid       string
		Principal json.RawMessage
		Action    json.RawMessage
		Condition map[string]map[string]json.RawMessage
	}
}

func parsePolicy(functionARN, policy, prefix string) ([]Grant, error) {
	var doc policyDocument
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, fmt.Errorf("reading the resource policy of %s: %w", functionARN, err)
	}
	var grants []Grant
	for _, s := range doc.Statement {
		if !strings.HasPrefix(s.Sid, prefix) {
			continue
		}
		g := Grant{FunctionARN: functionARN, StatementID: s.Sid}
		if arnLike, ok := s.Condition["ArnLike"]; ok {
			var source string
			if json.Unmarshal(arnLike["AWS:SourceArn"], &source) == nil {
				g.SourceARN = source
			}
		}
		grants = append(grants, g)
	}
	return grants, nil
}

func (c *Client) add(ctx context.Context, g Grant) error {
	name, qualifier := splitQualifier(g.FunctionARN)
	_, err := c.sdk.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String(name),
		Qualifier:    qualifier,
		StatementId:  aws.String(g.StatementID),
		Action:       aws.String(invokeAction),
		Principal:    aws.String(Principal),
		SourceArn:    aws.String(g.SourceARN),
	})
	if awserrors.IsConflict(err) {
		// Added by a pass that crashed before it could record it, with the
		// same id: the next pass reads it and replaces it if it differs.
		return nil
	}
	return err
}

func (c *Client) remove(ctx context.Context, g Grant) error {
	name, qualifier := splitQualifier(g.FunctionARN)
	_, err := c.sdk.RemovePermission(ctx, &lambda.RemovePermissionInput{
		FunctionName: aws.String(name), Qualifier: qualifier, StatementId: aws.String(g.StatementID),
	})
	if awserrors.IsNotFound(err) {
		return nil
	}
	return err
}

// qualifiedFunctionARN splits arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}].
var qualifiedFunctionARN = regexp.MustCompile(`^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$`)

// splitQualifier returns the unqualified function ARN and the alias or
// version, as AddPermission takes them apart.
func splitQualifier(functionARN string) (string, *string) {
	m := qualifiedFunctionARN.FindStringSubmatch(functionARN)
	if m == nil || m[2] == "" {
		return functionARN, nil
	}
	return m[1], aws.String(m[2])
}

// StatementPrefix is the prefix of every statement id the operator writes
// for one object: "infra-operator-" and a digest of the object's UID, so
// that ids stay within AWS's 100 characters and never collide between
// objects.
func StatementPrefix(objectUID string) string {
	sum := sha256.Sum256([]byte(objectUID))
	return "infra-operator-" + hex.EncodeToString(sum[:])[:12] + "-"
}

// statementIDCharacters are those AWS allows in a statement id.
var statementIDCharacters = regexp.MustCompile(`[^a-zA-Z0-9-_]`)

// StatementID is the id of the statement of one integration or authorizer
// ("integration-orders-fn", "authorizer-custom") of an object, within AWS's
// 100 characters.
func StatementID(prefix, kind, name string) string {
	id := prefix + kind + "-" + statementIDCharacters.ReplaceAllString(name, "_")
	if len(id) > 100 {
		sum := sha256.Sum256([]byte(name))
		id = id[:100-13] + "-" + hex.EncodeToString(sum[:])[:12]
	}
	return id
}

// Functions returns the sorted, distinct functions of grants, for the next
// pass's known list.
func Functions(grants []Grant) []string {
	var functions []string
	for _, g := range grants {
		functions = append(functions, g.FunctionARN)
	}
	slices.Sort(functions)
	return slices.Compact(functions)
}
