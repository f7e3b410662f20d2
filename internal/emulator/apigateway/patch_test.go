package apigateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// patchOps builds a patchOperations body from op, path, value triples (an
// empty value is sent as no value).
func patchOps(triples ...[3]string) string {
	var ops []map[string]string
	for _, t := range triples {
		op := map[string]string{"op": t[0], "path": t[1]}
		if t[2] != "" {
			op["value"] = t[2]
		}
		ops = append(ops, op)
	}
	body, _ := json.Marshal(map[string]any{"patchOperations": ops})
	return string(body)
}

func TestUpdateRestApiPatches(t *testing.T) {
	tests := []struct {
		name   string
		create string
		ops    [][3]string
		// want lists members of the answer; wantAbsent members it must lack.
		want       map[string]any
		wantAbsent []string
		wantErr    string
	}{
		{
			name: "edge to regional by current type, then back by index",
			ops: [][3]string{
				{"replace", "/endpointConfiguration/types/EDGE", "REGIONAL"},
				{"replace", "/endpointConfiguration/types/0", "EDGE"},
			},
			want: map[string]any{"endpointConfiguration": map[string]any{"types": []any{"EDGE"}, "ipAddressType": "ipv4"}},
		},
		{
			name: "path naming another type than the current one is refused",
			ops:  [][3]string{{"replace", "/endpointConfiguration/types/REGIONAL", "PRIVATE"}},
			wantErr: "BadRequestException: Invalid patch path  '/endpointConfiguration/types/REGIONAL' specified for op 'replace'. " +
				"Must be one of: [/name, /description, /version, /apiKeySource, /minimumCompressionSize, /disableExecuteApiEndpoint, /policy, " +
				"/securityPolicy, /endpointAccessMode, /endpointConfiguration/ipAddressType, /endpointConfiguration/types, /binaryMediaTypes]",
		},
		{
			name:    "private to edge is refused",
			create:  `{"name":"n","endpointConfiguration":{"types":["PRIVATE"]}}`,
			ops:     [][3]string{{"replace", "/endpointConfiguration/types/0", "EDGE"}},
			wantErr: "BadRequestException: Cannot update the endpoint type of a PRIVATE API to EDGE.",
		},
		{
			name:   "private to regional keeps dualstack and drops the VPC endpoints",
			create: `{"name":"n","endpointConfiguration":{"types":["PRIVATE"],"vpcEndpointIds":["vpce-1"]}}`,
			ops:    [][3]string{{"replace", "/endpointConfiguration/types/PRIVATE", "REGIONAL"}},
			want:   map[string]any{"endpointConfiguration": map[string]any{"types": []any{"REGIONAL"}, "ipAddressType": "dualstack"}},
		},
		{
			name:   "vpc endpoint ids added by value and by path, removed by value",
			create: `{"name":"n","endpointConfiguration":{"types":["PRIVATE"]}}`,
			ops: [][3]string{
				{"add", "/endpointConfiguration/vpcEndpointIds", "vpce-1"},
				{"add", "/endpointConfiguration/vpcEndpointIds/vpce-2", ""},
				{"add", "/endpointConfiguration/vpcEndpointIds", "vpce-1"},
				{"remove", "/endpointConfiguration/vpcEndpointIds", "vpce-1"},
			},
			want: map[string]any{"endpointConfiguration": map[string]any{
				"types": []any{"PRIVATE"}, "ipAddressType": "dualstack", "vpcEndpointIds": []any{"vpce-2"}}},
		},
		{
			name:    "vpc endpoint ids refused on an edge API",
			ops:     [][3]string{{"add", "/endpointConfiguration/vpcEndpointIds", "vpce-1"}},
			wantErr: "BadRequestException: VPC endpoint IDs are only supported for PRIVATE APIs.",
		},
		{
			name: "disableExecuteApiEndpoint takes True and false",
			ops:  [][3]string{{"replace", "/disableExecuteApiEndpoint", "True"}},
			want: map[string]any{"disableExecuteApiEndpoint": true},
		},
		{
			name: "disableExecuteApiEndpoint set back to false",
			ops: [][3]string{
				{"replace", "/disableExecuteApiEndpoint", "true"},
				{"replace", "/disableExecuteApiEndpoint", "false"},
			},
			want: map[string]any{"disableExecuteApiEndpoint": false},
		},
		{
			name:    "disableExecuteApiEndpoint refuses a non-boolean",
			ops:     [][3]string{{"replace", "/disableExecuteApiEndpoint", "yes"}},
			wantErr: `BadRequestException: Invalid value for disableExecuteApiEndpoint: "yes". Must be true or false`,
		},
		{
			name: "binary media types behave like a set keyed by the escaped type",
			ops: [][3]string{
				{"add", "/binaryMediaTypes/image~1png", ""},
				{"add", "/binaryMediaTypes/image~1jpeg", ""},
				{"add", "/binaryMediaTypes/image~1png", ""},
				{"replace", "/binaryMediaTypes/image~1png", "image/gif"},
				{"remove", "/binaryMediaTypes/image~1jpeg", ""},
				{"add", "/binaryMediaTypes/a~0b", ""},
			},
			want: map[string]any{"binaryMediaTypes": []any{"image/gif", "a~b"}},
		},
		{
			name:       "removing the last binary media type drops the member",
			create:     `{"name":"n","binaryMediaTypes":["image/png"]}`,
			ops:        [][3]string{{"remove", "/binaryMediaTypes/image~1png", ""}},
			wantAbsent: []string{"binaryMediaTypes"},
		},
		{
			name:       "compression cleared by an empty value",
			create:     `{"name":"n","minimumCompressionSize":5}`,
			ops:        [][3]string{{"replace", "/minimumCompressionSize", ""}},
			wantAbsent: []string{"minimumCompressionSize"},
		},
		{
			name:    "compression refuses a non-number",
			ops:     [][3]string{{"replace", "/minimumCompressionSize", "abc"}},
			wantErr: "BadRequestException: Invalid minimum compression size, must be between 0 and 10485760",
		},
		{
			name: "policy minified, shorthand expanded to the API's ARN, escaped as AWS answers it",
			ops:  [][3]string{{"replace", "/policy", `{"Statement": [{"Effect": "Allow", "Resource": "execute-api:/*"}]}`}},
			want: map[string]any{"policy": `{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"arn:aws:execute-api:eu-west-1:111122223333:{id}\/*\"}]}`},
		},
		{
			name:       "policy and description removed",
			create:     `{"name":"n","description":"d","policy":"{}"}`,
			ops:        [][3]string{{"remove", "/policy", ""}, {"remove", "/description", ""}},
			wantAbsent: []string{"policy", "description"},
		},
		{
			name: "name and apiKeySource replaced",
			ops:  [][3]string{{"replace", "/name", "renamed"}, {"replace", "/apiKeySource", "AUTHORIZER"}},
			want: map[string]any{"name": "renamed", "apiKeySource": "AUTHORIZER"},
		},
		{
			name:    "an op the path does not support",
			ops:     [][3]string{{"remove", "/name", ""}},
			wantErr: "BadRequestException: Invalid patch operation specified. Must be one of: [replace]",
		},
		{
			name:    "empty description refused",
			ops:     [][3]string{{"replace", "/description", ""}},
			wantErr: "BadRequestException: Description cannot be an empty string",
		},
		{
			name: "an unknown path lists each path of the op once",
			ops:  [][3]string{{"add", "/unknown", "x"}},
			wantErr: "BadRequestException: Invalid patch path  '/unknown' specified for op 'add'. " +
				"Must be one of: [/endpointConfiguration/vpcEndpointIds, /binaryMediaTypes]",
		},
		{
			name:    "an op no path supports",
			ops:     [][3]string{{"move", "/unknown", ""}},
			wantErr: "BadRequestException: Invalid patch path  '/unknown' specified for op 'move'. Please choose supported operations",
		},
		{
			name: "ops outside the enum are all reported before anything else",
			ops:  [][3]string{{"replace", "/name", "x"}, {"wrong", "/name", "x"}},
			wantErr: "ValidationException: 1 validation error detected: Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' " +
				"failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var spent []string
			s := New()
			c := fakeCall(&spent)
			create := tt.create
			if create == "" {
				create = `{"name":"n"}`
			}
			id := createForTest(t, s, c, create)["id"].(string)
			before, _ := json.Marshal(s.apis["111122223333/eu-west-1"][id])
			_, encoded, err := invoke(t, s, c, http.MethodPatch, "/restapis/{restapi_id}", "/restapis/"+id,
				patchOps(tt.ops...), core.PathParams{"restapi_id": id})
			if tt.wantErr != "" {
				var awsErr *core.Error
				if !errors.As(err, &awsErr) || awsErr.Error() != tt.wantErr || awsErr.Status != http.StatusBadRequest {
					t.Fatalf("got %v, want 400 %s", err, tt.wantErr)
				}
				after, _ := json.Marshal(s.apis["111122223333/eu-west-1"][id])
				if string(after) != string(before) {
					t.Fatalf("a refused patch changed the API: %s -> %s", before, after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(encoded, &got); err != nil {
				t.Fatal(err)
			}
			for member, want := range tt.want {
				if s, ok := want.(string); ok {
					want = strings.ReplaceAll(s, "{id}", id)
				}
				if !reflect.DeepEqual(got[member], want) {
					t.Errorf("%s = %#v, want %#v", member, got[member], want)
				}
			}
			for _, member := range tt.wantAbsent {
				if _, present := got[member]; present {
					t.Errorf("%s = %#v, want it absent", member, got[member])
				}
			}
		})
	}
}

func TestAtomicPatchAppliesNothingWhenOneOpFails(t *testing.T) {
	var spent []string
	s := New()
	c := fakeCall(&spent)
	id := createForTest(t, s, c, `{"name":"n"}`)["id"].(string)
	_, _, err := invoke(t, s, c, http.MethodPatch, "/restapis/{restapi_id}", "/restapis/"+id,
		patchOps([3]string{"replace", "/name", "renamed"}, [3]string{"replace", "/minimumCompressionSize", "-1"}),
		core.PathParams{"restapi_id": id})
	if err == nil {
		t.Fatal("a patch with a refused op succeeded")
	}
	if name := s.apis["111122223333/eu-west-1"][id].Name; name != "n" {
		t.Fatalf("name is %q after a refused patch, want n", name)
	}
}
