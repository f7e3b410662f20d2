package gateway

// Ownership is recorded on the API itself, as tags, so that the operator can
// find an API it created even when the create answer was lost, and never
// touch an API it did not create.
const (
	// OwnerTagKey holds "namespace/name" of the owning object, for humans.
	OwnerTagKey = "aws-infra-operator.runner.codes/owner"
	// OwnerUIDTagKey holds the owning object's UID, which is what decides
	// ownership: a re-created object with the same name is another owner.
	OwnerUIDTagKey = "aws-infra-operator.runner.codes/owner-uid"
)

// OwnershipTags returns the tags that mark an API as owned by the object.
func OwnershipTags(namespace, name, uid string) map[string]string {
	return map[string]string{
		OwnerTagKey:    namespace + "/" + name,
		OwnerUIDTagKey: uid,
	}
}

// OwnerUID returns the UID of the object owning api, or "" when api carries no
// ownership tag.
func OwnerUID(api API) string { return api.Tags[OwnerUIDTagKey] }

// FindOwned returns the first API owned by the object with the given UID.
func FindOwned(apis []API, uid string) (API, bool) {
	if uid == "" {
		return API{}, false
	}
	for _, api := range apis {
		if OwnerUID(api) == uid {
			return api, true
		}
	}
	return API{}, false
}
