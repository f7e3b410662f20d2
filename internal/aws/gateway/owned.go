package gateway

import "github.com/runner-codes/infra-operator/internal/aws/ownership"

// OwnerUID returns the UID of the object owning api, or "" when api carries
// no ownership mark.
func OwnerUID(api API) string { return ownership.OwnerUID(api.Tags) }

// FindOwned returns the first API the object with the given UID owns.
func FindOwned(apis []API, uid string) (API, bool) {
	for _, api := range apis {
		if ownership.OwnedBy(api.Tags, uid) {
			return api, true
		}
	}
	return API{}, false
}
