package ownership

import (
	"regexp"
	"strings"
	"testing"
)

// awsTagValue is AWS's character set for tag values.
var awsTagValue = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

func TestHintFitsAWSForEveryValidName(t *testing.T) {
	namespace := strings.Repeat("n", 63)
	long := strings.Repeat("a", 253)
	other := strings.Repeat("a", 252) + "b"
	hint, otherHint := Hint(namespace, long), Hint(namespace, other)
	if len(hint) > 256 || len(otherHint) > 256 {
		t.Fatalf("hints of %d and %d characters: AWS allows 256", len(hint), len(otherHint))
	}
	if !awsTagValue.MatchString(hint) {
		t.Fatalf("hint %q holds characters AWS refuses in a tag value", hint)
	}
	if hint == otherHint {
		t.Fatalf("two long names give the same hint %q", hint)
	}
	if !strings.HasPrefix(hint, namespace+"/aaa") {
		t.Fatalf("hint %q does not start with the namespace and name", hint)
	}
	if got := Hint("default", "my-api"); got != "default/my-api" {
		t.Fatalf("short hint = %q, want it whole", got)
	}
}

func TestOwnedByNeedsTheUID(t *testing.T) {
	tags := Tags("ns", "a", "uid-1")
	if !OwnedBy(tags, "uid-1") || OwnedBy(tags, "uid-2") || OwnedBy(tags, "") || OwnedBy(nil, "") {
		t.Fatal("OwnedBy must hold for the tagged UID only")
	}
}

func TestTooManyCountsDefaultsAndTheMark(t *testing.T) {
	own := map[string]string{}
	defaults := map[string]string{}
	for i := range 24 {
		own[string(rune('a'+i))] = "x"
		defaults[string(rune('A'+i))] = "x"
	}
	if n, _ := TooMany(defaults, own); n != 0 {
		t.Fatalf("24+24+2 = 50 tags fit, got %d", n)
	}
	defaults["Z"] = "x"
	n, keys := TooMany(defaults, own)
	if n != 51 || len(keys) != 25 {
		t.Fatalf("TooMany = %d, %d default keys; want 51, 25", n, len(keys))
	}
	own["Z"] = "y" // an object's tag overriding a default adds none
	if n, _ := TooMany(defaults, own); n != 51 {
		t.Fatalf("override counted twice: %d", n)
	}
}

func TestInvalidValueNamesTheKey(t *testing.T) {
	if key, bad := InvalidValue(map[string]string{"a": "fine value-1.2:/=+@_", "b": "tab\there", "c": "x*y"}); !bad || key != "b" {
		t.Fatalf("InvalidValue = %q, %v; want b", key, bad)
	}
	if key, bad := InvalidValue(map[string]string{"team": "Équipe 7", "empty": ""}); bad {
		t.Fatalf("valid values refused at %q", key)
	}
}
