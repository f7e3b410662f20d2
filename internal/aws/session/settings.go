// Package session turns an AWS provider's settings into ready clients: one
// aws.Config per provider (region, endpoint override, credentials, assumed
// role, retries, user agent, metrics and the shared rate limiter), cached so
// that reconciles reuse clients and assumed-role sessions.
package session

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Settings are everything that shapes a provider's AWS clients.
type Settings struct {
	Region string
	// Endpoint overrides the endpoint of every service (the bundled
	// emulator); empty means real AWS.
	Endpoint string
	// Static credentials; nil means the SDK's default chain (IRSA web
	// identity, EKS pod identity, environment, shared files).
	Static *StaticCredentials
	// RoleARN, when set, is assumed (with ExternalID when set) on top of the
	// credentials above.
	RoleARN     string
	ExternalID  string
	SessionName string
	// AccountKey identifies the account for the shared rate limiter. It may
	// be empty until the account is known; the limiter then keys on the
	// credentials' identity instead.
	AccountKey string
	RateLimit  RateLimit
}

// StaticCredentials is an access key. Its String methods redact it, so that
// a Settings printed by mistake leaks nothing.
type StaticCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// String redacts the credentials when they are printed with %v, %+v or %s.
func (StaticCredentials) String() string { return "StaticCredentials{redacted}" }

// GoString redacts them when they are printed with %#v.
func (StaticCredentials) GoString() string { return "StaticCredentials{redacted}" }

// RateLimit shapes the shared client-side limiter of an account and region.
// Zero values take AWS's quotas: 10 requests per second, burst 40.
type RateLimit struct {
	PerSecond float64
	Burst     int
	// TimeScale speeds every bucket up by this factor (0 means 1). It exists
	// to match an emulator run with a quota time scale; leave it zero against
	// AWS.
	TimeScale float64
}

// hash fingerprints the settings, credentials included, so that a changed
// Secret yields new clients. The digest is one-way: it reveals no secret.
func (s Settings) hash() string {
	raw, err := json.Marshal(s)
	if err != nil {
		// Settings holds only strings and numbers: Marshal cannot fail.
		panic(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
