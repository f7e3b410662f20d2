package tags

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	fifty := map[string]string{}
	for i := 0; i < MaxPerResource; i++ {
		fifty[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name            string
		existing, added map[string]string
		want            *Violation
	}{
		{"valid, with unicode letters, spaces and every allowed sign", nil, map[string]string{"é k_.:/=+-@": "ü v\u00a01"}, nil},
		{"empty value", nil, map[string]string{"k": ""}, nil},
		{"aws: prefix", nil, map[string]string{"aws:x": "v"}, &Violation{ReservedPrefix, "aws:x"}},
		{"AWS: prefix in any case", nil, map[string]string{"AwS:x": "v"}, &Violation{ReservedPrefix, "AwS:x"}},
		{"empty key", nil, map[string]string{"": "v"}, &Violation{KeyLength, ""}},
		{"129-character key", nil, map[string]string{strings.Repeat("é", 129): "v"}, &Violation{KeyLength, strings.Repeat("é", 129)}},
		{"128-character key", nil, map[string]string{strings.Repeat("é", 128): "v"}, nil},
		{"257-character value", nil, map[string]string{"k": strings.Repeat("v", 257)}, &Violation{ValueLength, "k"}},
		{"character outside the set", nil, map[string]string{"k": "a*b"}, &Violation{Characters, "k"}},
		{"tab is not a space", nil, map[string]string{"a\tb": "v"}, &Violation{Characters, "a\tb"}},
		{"51 tags after merging", fifty, map[string]string{"one-more": "v"}, &Violation{TooMany, ""}},
		{"overwriting keeps the count", fifty, map[string]string{"k1": "w"}, nil},
		{"the first key in order is reported", nil, map[string]string{"b*": "v", "a*": "v"}, &Violation{Characters, "a*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.existing, tt.added)
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Fatalf("Check = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMergeAndWithoutNeverShareOrReturnNil(t *testing.T) {
	current := map[string]string{"a": "1", "b": "2"}
	if merged := Merge(nil, nil); merged == nil {
		t.Fatal("Merge(nil, nil) is nil")
	}
	remaining := Without(current, []string{"a", "missing"})
	if len(remaining) != 1 || remaining["b"] != "2" || len(current) != 2 {
		t.Fatalf("Without = %v, current now %v", remaining, current)
	}
}
