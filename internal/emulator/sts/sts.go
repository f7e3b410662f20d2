// Package sts emulates the two STS calls an operator makes, GetCallerIdentity
// and AssumeRole, in the query protocol. The keys AssumeRole issues are its
// persistent state, so assumed sessions survive a restart.
package sts

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/auth"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Service is STS.
type Service struct {
	issued map[string]auth.Key
}

// New returns STS with no issued keys.
func New() *Service { return &Service{issued: map[string]auth.Key{}} }

// Name is "sts", the key of the service's state in the state file.
func (svc *Service) Name() string { return "sts" }

// Routes are GetCallerIdentity and AssumeRole, in the query protocol.
func (svc *Service) Routes() []core.Route {
	return []core.Route{
		{Method: http.MethodPost, Operation: "GetCallerIdentity", Protocol: core.Query, Unmetered: true, Handle: svc.getCallerIdentity},
		{Method: http.MethodPost, Operation: "AssumeRole", Protocol: core.Query, Unmetered: true, Mutates: true, Handle: svc.assumeRole},
	}
}

// Snapshot returns the keys AssumeRole issued.
func (svc *Service) Snapshot() (json.RawMessage, error) { return core.Snapshot(svc.issued) }

// Restore replaces the issued keys with a Snapshot's.
func (svc *Service) Restore(raw json.RawMessage) error { return core.Restore(raw, &svc.issued) }

// IssuedKey finds a key AssumeRole issued. The caller holds the state lock.
func (svc *Service) IssuedKey(accessKeyID string) (auth.Key, bool) {
	key, ok := svc.issued[accessKeyID]
	return key, ok
}

func (svc *Service) getCallerIdentity(c *core.Call, _ *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	return http.StatusOK, getCallerIdentityResult{Account: c.Caller.Account, Arn: c.Caller.Arn, UserID: c.Caller.UserID}, nil
}

var (
	roleArnPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/((?:[\w+=,.@-]+/)*)([\w+=,.@-]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// assumeRole validates an AssumeRole request and issues temporary keys that
// act in the role's account.
func (svc *Service) assumeRole(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	form, _ := url.ParseQuery(string(body)) // the dispatcher parsed it already
	roleArn, session, externalID := form.Get("RoleArn"), form.Get("RoleSessionName"), form.Get("ExternalId")
	if len(roleArn) < 20 || len(roleArn) > 2048 {
		return 0, nil, roleArnTooShort(roleArn)
	}
	match := roleArnPattern.FindStringSubmatch(roleArn)
	if match == nil {
		return 0, nil, invalidRoleArn()
	}
	if len(session) < 2 || len(session) > 64 || !sessionNamePattern.MatchString(session) {
		return 0, nil, invalidSessionName(session)
	}
	if form.Has("ExternalId") && (len(externalID) < 2 || len(externalID) > 1224 || !externalIDPattern.MatchString(externalID)) {
		return 0, nil, invalidExternalID(externalID)
	}
	duration := 3600
	if raw := form.Get("DurationSeconds"); raw != "" {
		d, err := strconv.Atoi(raw)
		if err != nil || d < 900 || d > 43200 {
			return 0, nil, durationTooShort(raw)
		}
		duration = d
	}

	account, roleName := match[1], match[3]
	roleID := "AROA" + core.StableID(roleArn, 17)
	accessKeyID := "ASIA" + strings.ToUpper(core.NewID(16))
	key := auth.Key{
		SecretAccessKey: core.NewID(40),
		SessionToken:    "FwoGZXIvYXdzE" + core.NewID(120),
		Expiration:      c.Now.Add(time.Duration(duration) * time.Second).Truncate(time.Second),
		Identity: core.Identity{
			Account: account,
			Arn:     "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session,
			UserID:  roleID + ":" + session,
		},
	}
	svc.issued[accessKeyID] = key
	return http.StatusOK, assumeRoleResult{
		AssumedRoleUser: assumedRoleUser{Arn: key.Identity.Arn, AssumedRoleID: key.Identity.UserID},
		Credentials: credentials{
			AccessKeyID:     accessKeyID,
			SecretAccessKey: key.SecretAccessKey,
			SessionToken:    key.SessionToken,
			Expiration:      key.Expiration.Format(time.RFC3339),
		},
	}, nil
}

type getCallerIdentityResult struct {
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
}

type assumeRoleResult struct {
	AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser"`
	Credentials      credentials     `xml:"Credentials"`
	PackedPolicySize int             `xml:"PackedPolicySize,omitempty"`
}

type assumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type credentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}
