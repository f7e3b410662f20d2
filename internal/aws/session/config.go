package session

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

const (
	// appID goes into every request's User-Agent, so that AWS-side logs
	// (CloudTrail userAgent) tell the operator's calls apart.
	appID = "infra-operator"

	defaultSessionName = "infra-operator"

	// Throttling is expected under load (the quotas are account-wide and
	// shared with other tools), so retries are many and patient: with 8
	// attempts and backoff up to 20 s a 429 rarely reaches a reconcile.
	maxAttempts = 8
	maxBackoff  = 20 * time.Second
)

// Option adjusts NewConfig.
type Option func(*options)

type options struct {
	limiters *Limiters
}

// WithLimiters makes every API Gateway call wait on the registry's limiter
// for the settings' account (or credential identity) and region. Without it,
// calls are not limited client-side.
func WithLimiters(l *Limiters) Option { return func(o *options) { o.limiters = l } }

// NewConfig builds the aws.Config of a provider: region, endpoint override,
// static or default-chain credentials, an optional assumed role, a patient
// retryer, a user agent and the metrics middleware (plus the limiter, with
// WithLimiters).
func NewConfig(ctx context.Context, s Settings, opts ...Option) (aws.Config, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if s.Region == "" {
		return aws.Config{}, fmt.Errorf("no AWS region set")
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(s.Region),
		config.WithAppID(appID),
		config.WithRetryer(newRetryer),
	}
	if s.Endpoint != "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(s.Endpoint))
	}
	if s.Static != nil {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			s.Static.AccessKeyID, s.Static.SecretAccessKey, s.Static.SessionToken)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	cfg.APIOptions = append(cfg.APIOptions, addMetrics)
	if s.RoleARN != "" {
		cfg.Credentials = assumeRole(cfg, s)
	}
	if o.limiters != nil {
		lim := o.limiters.forAccount(limiterIdentity(s), s.Region, s.RateLimit)
		cfg.APIOptions = append(cfg.APIOptions, limiterMiddlewares(lim))
	}
	return cfg, nil
}

// assumeRole returns credentials of s.RoleARN obtained with cfg's
// credentials, cached and refreshed before they expire.
func assumeRole(cfg aws.Config, s Settings) aws.CredentialsProvider {
	sessionName := s.SessionName
	if sessionName == "" {
		sessionName = defaultSessionName
	}
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), s.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = sessionName
		if s.ExternalID != "" {
			o.ExternalID = aws.String(s.ExternalID)
		}
	})
	return aws.NewCredentialsCache(provider)
}

// newRetryer is the standard retryer with more, longer-spaced attempts. Its
// client-side retry quota is off: under sustained throttling it would turn
// retries into immediate failures, and the shared limiter already keeps the
// call rate within AWS's quotas.
func newRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = maxBackoff
		o.RateLimiter = ratelimit.None
	})
}

func addMetrics(stack *middleware.Stack) error {
	return stack.Finalize.Insert(metricsMiddleware, "Retry", middleware.After)
}

// limiterIdentity names the account the settings act in, for the limiter: the
// account when known, else the access key id or role (the same key always
// means the same account), else the endpoint the default chain talks to.
func limiterIdentity(s Settings) string {
	switch {
	case s.AccountKey != "":
		return "account:" + s.AccountKey
	case roleAccount(s.RoleARN) != "":
		return "account:" + roleAccount(s.RoleARN)
	case s.Static != nil:
		return "key:" + s.Static.AccessKeyID
	default:
		return "default-chain:" + s.Endpoint
	}
}

// roleAccount returns the account of a role ARN, or "".
func roleAccount(roleARN string) string {
	parsed, err := arn.Parse(roleARN)
	if err != nil {
		return ""
	}
	return parsed.AccountID
}

// Identity is who a provider's credentials act as.
type Identity struct {
	Account string
	ARN     string
	UserID  string
}

// CallerIdentity asks STS who cfg's credentials are, which also proves they
// work (and, with a role, that it can be assumed).
func CallerIdentity(ctx context.Context, cfg aws.Config) (Identity, error) {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, err
	}
	return Identity{
		Account: aws.ToString(out.Account),
		ARN:     aws.ToString(out.Arn),
		UserID:  aws.ToString(out.UserId),
	}, nil
}
