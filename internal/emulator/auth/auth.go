// Package auth verifies SigV4 signatures and resolves access keys to the
// account and identity they act as.
package auth

import (
	"net/http"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// defaultRegion is the region of unsigned requests.
const defaultRegion = "us-east-1"

// Key is an access key the emulator accepts: a configured one, or a
// temporary one issued by AssumeRole (which also has a session token).
type Key struct {
	SecretAccessKey string        `json:"secretAccessKey"`
	SessionToken    string        `json:"sessionToken,omitempty"`
	Expiration      time.Time     `json:"expiration,omitzero"`
	Identity        core.Identity `json:"identity"`
}

// Credential is a configured access key and the account it acts as.
type Credential struct {
	AccessKeyID, SecretAccessKey, Account string
}

// Authenticator implements core.Authenticator.
type Authenticator struct {
	defaultAccount string
	configured     map[string]Key
	// issued looks up a key issued at run time (by AssumeRole), under the
	// state lock.
	issued func(accessKeyID string) (Key, bool)
}

// New returns an authenticator that knows the configured credentials (when
// there are any, every request must be signed by a known key) and the keys
// issued finds. Unknown keys act in defaultAccount when signatures are off.
func New(credentials []Credential, defaultAccount string, issued func(string) (Key, bool)) *Authenticator {
	a := &Authenticator{defaultAccount: defaultAccount, configured: map[string]Key{}, issued: issued}
	for _, c := range credentials {
		a.configured[c.AccessKeyID] = Key{SecretAccessKey: c.SecretAccessKey, Identity: UserIdentity(c.AccessKeyID, c.Account)}
	}
	return a
}

// UserIdentity is the IAM user a long-term access key stands for.
func UserIdentity(accessKeyID, account string) core.Identity {
	return core.Identity{
		Account: account,
		Arn:     "arn:aws:iam::" + account + ":user/emulator",
		UserID:  "AIDA" + core.StableID(accessKeyID, 17),
	}
}

// Enforced reports whether signatures are checked.
func (a *Authenticator) Enforced() bool { return len(a.configured) > 0 }

func (a *Authenticator) lookup(accessKeyID string) (Key, bool) {
	if key, ok := a.configured[accessKeyID]; ok {
		return key, true
	}
	return a.issued(accessKeyID)
}

// Authenticate resolves the account (from the access key) and region (from
// the SigV4 credential scope) of a request. A scope naming a region AWS does
// not have is refused whether or not signatures are checked: the region
// picks the caller's world, and AWS refuses such a request before anything
// else. When credentials are configured, the signature must verify with the
// key's secret.
func (a *Authenticator) Authenticate(r *http.Request, body []byte, protocol core.Protocol) (core.Caller, *core.Error) {
	header, signed := parseSigV4Header(r)
	accessKeyID, who := "", core.Caller{Region: defaultRegion}
	if signed {
		accessKeyID, who.Region = header.accessKeyID, header.region
	}
	if signed && !ValidRegion(who.Region) {
		return who, (&failure{kind: invalidRegion, detail: who.Region}).render(protocol)
	}
	key, known := a.lookup(accessKeyID)
	if known {
		who.Identity = key.Identity
	} else {
		who.Identity = UserIdentity(accessKeyID, a.defaultAccount)
	}
	if !a.Enforced() {
		return who, nil
	}
	var refused *failure
	switch {
	case !signed && r.Header.Get("Authorization") == "":
		refused = &failure{kind: missing}
	case !signed:
		refused = &failure{kind: incomplete}
	case !known || (key.SessionToken != "" && key.SessionToken != r.Header.Get("X-Amz-Security-Token")):
		refused = &failure{kind: unknownKey}
	default:
		refused = verifySigV4(r, body, header, key.SecretAccessKey, time.Now().UTC())
	}
	if refused != nil {
		return who, refused.render(protocol)
	}
	return who, nil
}
