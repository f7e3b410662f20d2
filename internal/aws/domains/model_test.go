package domains

import (
	"slices"
	"testing"
)

func TestCompareWordsSettingsAndTagsAndKeepsAWSTags(t *testing.T) {
	observed := Domain{Name: "api.example.com", CertificateARN: "arn:a", SecurityPolicy: "TLS_1_0",
		Tags: map[string]string{"keep": "1", "old": "x", "aws:cloudformation:stack-name": "s"}}
	desired := Domain{Name: "api.example.com", CertificateARN: "arn:a", SecurityPolicy: "TLS_1_2", TruststoreURI: "s3://b/t.pem",
		Tags: map[string]string{"keep": "1", "new": "y"}}
	d := Compare(observed, desired)
	want := []string{
		`securityPolicy: "TLS_1_0" => "TLS_1_2"`,
		`mutualTLS.truststoreURI: "" => "s3://b/t.pem"`,
		`tag new: "" => "y"`,
		`tag old: "x" => removed`,
	}
	if got := Changes(observed, d); !slices.Equal(got, want) {
		t.Errorf("Changes = %q\nwant %q", got, want)
	}
	if !Compare(desired, desired).Empty() {
		t.Error("a domain equal to the spec has changes")
	}
	// What AWS answers and the spec does not set (the target, the state)
	// is no change.
	answered := desired
	answered.TargetDomainName, answered.HostedZoneID, answered.Status = "d-1.execute-api.us-east-1.amazonaws.com", "Z1", "AVAILABLE"
	if d := Compare(answered, desired); !d.Empty() {
		t.Errorf("AWS's own fields counted as changes: %+v", d)
	}
}

func TestBucketsFollowTheFamily(t *testing.T) {
	if CreateBucket(Edge) != CreateBucketV1 || CreateBucket(Regional) != CreateBucketV2 ||
		DeleteBucket(Edge) != DeleteBucketV1 || DeleteBucket(Regional) != DeleteBucketV2 {
		t.Error("a domain's quota bucket is not its family's")
	}
	if wireV1BasePath("") != "(none)" || v1BasePath("(none)") != "" || v1BasePath("pets") != "pets" {
		t.Error("the root base path is not (none) on the v1 wire")
	}
}
