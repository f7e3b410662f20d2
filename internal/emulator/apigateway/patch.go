package apigateway

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restPatchOperation is one element of a v1 Update* body. value is always a
// string on the wire, even for booleans and numbers.
type restPatchOperation struct {
	Op    string  `json:"op"`
	Path  string  `json:"path"`
	Value *string `json:"value"`
	From  *string `json:"from"`
}

func (op restPatchOperation) value() string { return restDeref(op.Value) }

// restPatchOpEnum is the op enum in the order AWS prints it.
var restPatchOpEnum = []string{"add", "remove", "move", "test", "replace", "copy"}

// validatePatchOps is the model validation of patchOperations: every op
// outside the enum is reported, 1-based, whatever its path.
func validatePatchOps(input string, ops []restPatchOperation) error {
	var v restModelValidation
	v.patchOps(input, ops)
	return v.err()
}

// patchOps adds the op violations of patchOperations to v, for inputs that
// have more members to validate after them (a status code).
func (v *restModelValidation) patchOps(input string, ops []restPatchOperation) {
	for i, op := range ops {
		v.enum(fmt.Sprintf("%s.patchOperations.%d.member.op", input, i+1), &op.Op, restPatchOpEnum)
	}
}

// restPatcher patches one member of a T (a RestApi, a Resource, a
// Method...). path is either the exact patch path or, when it ends with "/",
// a prefix whose remainder is a key (an escaped media type or content type,
// a parameter name, an endpoint type or index). A key holding a raw "/" is
// not a key: AWS answers such a path as unknown ("/requestModels/a/b").
type restPatcher[T any] struct {
	path string
	ops  []string
	// badOp replaces the usual "Must be one of" refusal, for paths where
	// AWS words it differently.
	badOp func() error
	apply func(c *core.Call, item *T, op restPatchOperation, key string) error
}

// restPatchTable is every path an Update* accepts for one kind, and how AWS
// words a path it does not know for that kind.
type restPatchTable[T any] struct {
	patchers []restPatcher[T]
	// keysWithSlash lets a key hold raw "/" (the RestApi's binary media
	// types and endpoint types do not care).
	keysWithSlash bool
	// opsAsPaths answers a path given an op it does not take as an unknown
	// path of that op, as UpdateResource does (recorded), instead of
	// "Invalid patch operation specified".
	opsAsPaths bool
	// unknownPath answers a path no patcher takes; nil words it as on
	// Resources ("Invalid patch path  '/x' specified for op 'replace'...").
	unknownPath func(op restPatchOperation, valid []string) error
}

// apply applies every operation to item, which must be a copy: the caller
// discards it when an operation fails.
func (t restPatchTable[T]) apply(c *core.Call, item *T, ops []restPatchOperation) error {
	for _, op := range ops {
		if err := t.applyOne(c, item, op); err != nil {
			return err
		}
	}
	return nil
}

func (t restPatchTable[T]) applyOne(c *core.Call, item *T, op restPatchOperation) error {
	patcher, key, ok := t.find(op.Path)
	if !ok {
		return t.refusePath(op)
	}
	if !slices.Contains(patcher.ops, op.Op) {
		if t.opsAsPaths {
			return t.refusePath(op)
		}
		if patcher.badOp != nil {
			return patcher.badOp()
		}
		return invalidPatchOp(patcher.ops)
	}
	if err := patcher.apply(c, item, op, key); !errors.Is(err, errUnknownPatchKey) {
		return err
	}
	return t.refusePath(op)
}

// errUnknownPatchKey is returned by a patcher whose path prefix matched but
// whose key names nothing the item has.
var errUnknownPatchKey = errors.New("unknown patch key")

func (t restPatchTable[T]) find(path string) (restPatcher[T], string, bool) {
	for _, p := range t.patchers {
		if path == p.path {
			return p, "", true
		}
		if strings.HasSuffix(p.path, "/") && strings.HasPrefix(path, p.path) && len(path) > len(p.path) {
			raw := path[len(p.path):]
			if !t.keysWithSlash && strings.Contains(raw, "/") {
				continue
			}
			return p, unescapeJSONPointer(raw), true
		}
	}
	return restPatcher[T]{}, "", false
}

// refusePath answers an unknown path, listing the paths the op may take.
func (t restPatchTable[T]) refusePath(op restPatchOperation) error {
	var valid []string
	for _, p := range t.patchers {
		path := strings.TrimSuffix(p.path, "/")
		if slices.Contains(p.ops, op.Op) && !slices.Contains(valid, path) {
			valid = append(valid, path)
		}
	}
	if t.unknownPath != nil {
		return t.unknownPath(op, valid)
	}
	return invalidPatchPath(op, valid)
}

// restAPIPatches lists every path UpdateRestApi accepts. The op lists are
// those recorded or documented; the rest are refused.
var restAPIPatches = restPatchTable[restAPI]{keysWithSlash: true, patchers: []restPatcher[restAPI]{
	{path: "/name", ops: []string{"replace"}, apply: patchRestName},
	{path: "/description", ops: []string{"replace", "remove"}, apply: patchRestDescription},
	{path: "/version", ops: []string{"replace", "remove"}, apply: patchRestVersion},
	{path: "/apiKeySource", ops: []string{"replace"}, apply: patchRestAPIKeySource},
	{path: "/minimumCompressionSize", ops: []string{"replace"}, apply: patchRestCompression},
	{path: "/disableExecuteApiEndpoint", ops: []string{"replace"}, apply: patchRestDisableEndpoint},
	{path: "/policy", ops: []string{"replace", "remove"}, apply: patchRestPolicy},
	{path: "/securityPolicy", ops: []string{"replace"}, apply: patchRestSecurityPolicy},
	{path: "/endpointAccessMode", ops: []string{"replace"}, apply: patchRestAccessMode},
	{path: "/endpointConfiguration/ipAddressType", ops: []string{"replace"}, apply: patchRestIPAddressType},
	{
		path: "/endpointConfiguration/types/", ops: []string{"replace"}, apply: patchRestEndpointType,
		badOp: endpointTypePatchOpRefused,
	},
	// AWS documents the value form; the ACK controller sends the id in the path.
	{path: "/endpointConfiguration/vpcEndpointIds", ops: []string{"add", "remove"}, apply: patchRestVpcEndpoint},
	{path: "/endpointConfiguration/vpcEndpointIds/", ops: []string{"add", "remove"}, apply: patchRestVpcEndpoint},
	{path: "/binaryMediaTypes/", ops: []string{"add", "replace", "remove"}, apply: patchRestBinaryMediaType},
}}

// patchRestAPI applies one operation to api (a copy: the caller discards it
// if any operation fails).
func patchRestAPI(c *core.Call, api *restAPI, op restPatchOperation) error {
	if op.Path == "/binaryMediaTypes" {
		return patchOfWholeBinaryMediaTypes()
	}
	return restAPIPatches.applyOne(c, api, op)
}

// unescapeJSONPointer decodes one JSON Pointer token: ~1 is "/", ~0 is "~".
func unescapeJSONPointer(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}

func patchRestName(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if op.value() == "" {
		return emptyName()
	}
	api.Name = op.value()
	return nil
}

func patchRestDescription(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if op.Op == "replace" && op.value() == "" {
		return emptyDescription()
	}
	api.Description = removableValue(op)
	return nil
}

func patchRestVersion(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	api.Version = removableValue(op)
	return nil
}

// removableValue is the value a replace sets, or "" (member absent) for remove.
func removableValue(op restPatchOperation) string {
	if op.Op == "remove" {
		return ""
	}
	return op.value()
}

func patchRestAPIKeySource(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if !slices.Contains(restAPIKeySourceEnum, op.value()) {
		return invalidAPIKeySource()
	}
	api.APIKeySource = op.value()
	return nil
}

// patchRestCompression sets the size; "" disables compression (member
// absent), while 0 is a real value that stays in the answer.
func patchRestCompression(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if op.value() == "" {
		api.MinimumCompressionSize = nil
		return nil
	}
	size, err := strconv.ParseInt(op.value(), 10, 64)
	if err != nil {
		return checkCompressionSize(-1)
	}
	if err := checkCompressionSize(size); err != nil {
		return err
	}
	api.MinimumCompressionSize = &size
	return nil
}

// patchRestDisableEndpoint takes "true" or "false" in any case (AWS's own
// docs send "True").
func patchRestDisableEndpoint(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	switch strings.ToLower(op.value()) {
	case "true":
		api.DisableExecuteAPIEndpoint = true
	case "false":
		api.DisableExecuteAPIEndpoint = false
	default:
		return invalidDisableExecuteAPIEndpoint(op.value())
	}
	return nil
}

func patchRestPolicy(c *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if op.Op == "remove" || op.value() == "" {
		api.Policy = ""
		return nil
	}
	if err := checkRestPolicy(op.value()); err != nil {
		return err
	}
	api.Policy = storedRestPolicy(op.value(), c, api.ID)
	return nil
}

func patchRestSecurityPolicy(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if !slices.Contains(restSecurityPolicyEnum, op.value()) {
		return invalidSecurityPolicy(op.value())
	}
	api.SecurityPolicy = op.value()
	return nil
}

func patchRestAccessMode(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if !slices.Contains(restAccessModeEnum, op.value()) {
		return invalidEndpointAccessMode(op.value())
	}
	api.EndpointAccessMode = op.value()
	return nil
}

func patchRestIPAddressType(_ *core.Call, api *restAPI, op restPatchOperation, _ string) error {
	if !slices.Contains(restIPAddressTypeEnum, op.value()) {
		return invalidIPAddressType()
	}
	if api.endpointType() == restEndpointPrivate && op.value() != restDualstack {
		return privateNeedsDualstack()
	}
	api.EndpointConfiguration.IPAddressType = op.value()
	return nil
}

// patchRestEndpointType replaces the endpoint type. The path names the type
// by index ("0", as Terraform and ACK send) or by its current value (as the
// AWS docs do). AWS allows every change except PRIVATE to EDGE; becoming
// PRIVATE switches ipAddressType to dualstack, the only one PRIVATE supports.
func patchRestEndpointType(_ *core.Call, api *restAPI, op restPatchOperation, key string) error {
	current := api.endpointType()
	if key != "0" && key != current {
		return errUnknownPatchKey
	}
	target := op.value()
	if !slices.Contains(restEndpointTypeEnum, target) {
		return invalidEndpointType()
	}
	if current == restEndpointPrivate && target == restEndpointEdge {
		return privateToEdge()
	}
	api.EndpointConfiguration.Types = []string{target}
	if target == restEndpointPrivate {
		api.EndpointConfiguration.IPAddressType = restDualstack
	} else {
		api.EndpointConfiguration.VpcEndpointIDs = nil
	}
	return nil
}

// patchRestVpcEndpoint adds or removes one VPC endpoint id, given as the
// value or as the last path segment.
func patchRestVpcEndpoint(_ *core.Call, api *restAPI, op restPatchOperation, key string) error {
	id := key
	if id == "" {
		id = op.value()
	}
	if id == "" {
		return invalidVpcEndpointID()
	}
	if api.endpointType() != restEndpointPrivate {
		return vpcEndpointsNeedPrivate()
	}
	ids := &api.EndpointConfiguration.VpcEndpointIDs
	if op.Op == "remove" {
		*ids = slices.DeleteFunc(*ids, func(v string) bool { return v == id })
	} else if !slices.Contains(*ids, id) {
		*ids = append(*ids, id)
	}
	return nil
}

// patchRestBinaryMediaType patches binaryMediaTypes as AWS does, like a set
// keyed by the escaped type in the path: add ignores the value (so
// "/binaryMediaTypes/-" adds the type "-"), replace drops the keyed type and
// appends the value at the end, remove drops it.
func patchRestBinaryMediaType(_ *core.Call, api *restAPI, op restPatchOperation, mediaType string) error {
	without := func(types []string, drop string) []string {
		return slices.DeleteFunc(types, func(t string) bool { return t == drop })
	}
	switch op.Op {
	case "add":
		if !slices.Contains(api.BinaryMediaTypes, mediaType) {
			api.BinaryMediaTypes = append(api.BinaryMediaTypes, mediaType)
		}
	case "replace":
		if op.value() == "" {
			return invalidBinaryMediaType()
		}
		api.BinaryMediaTypes = append(without(without(api.BinaryMediaTypes, mediaType), op.value()), op.value())
	case "remove":
		api.BinaryMediaTypes = without(api.BinaryMediaTypes, mediaType)
	}
	return nil
}
