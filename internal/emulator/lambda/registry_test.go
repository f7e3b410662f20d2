package lambda

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseRegistration(t *testing.T) {
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(bootstrap, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // a relative handler path is the working directory's

	cases := map[string]Registration{
		"hello":                               {Name: "hello"},
		"hello=":                              {Name: "hello"}, // an empty endpoint is no endpoint
		"hello=http://127.0.0.1:9000/run?x=1": {Name: "hello", Endpoint: "http://127.0.0.1:9000/run?x=1"},
		"hello:live,beta":                     {Name: "hello", Aliases: []string{"live", "beta"}},
		"123456789012:eu-west-1:hello":        {Name: "hello", Account: "123456789012", Region: "eu-west-1"},
		"123456789012:*:hello:live=https://fn.example": {Name: "hello", Account: "123456789012", Aliases: []string{"live"}, Endpoint: "https://fn.example"},
		"hello=exec:" + bootstrap:                      {Name: "hello", Handler: bootstrap},
		"hello=exec:./bootstrap":                       {Name: "hello", Handler: bootstrap},
		"hello@30=exec:bootstrap":                      {Name: "hello", Handler: bootstrap, Timeout: 30},
		"123456789012:us-east-1:hello:live@900":        {Name: "hello", Account: "123456789012", Region: "us-east-1", Aliases: []string{"live"}, Timeout: 900},
	}
	for value, want := range cases {
		got, err := ParseRegistration(value)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseRegistration(%q) = %+v, %v; want %+v", value, got, err, want)
		}
	}
	for _, bad := range []string{
		"", "bad name", "a:b:c:d:e", "hello:123", "hello=ftp://x", "12345:us-east-1:hello",
		"hello@0", "hello@901", "hello@3s", "hello@",
		"hello=exec:", "hello=exec:missing", "hello=exec:data", "hello=exec:" + dir,
	} {
		if got, err := ParseRegistration(bad); err == nil {
			t.Errorf("ParseRegistration(%q) accepted: %+v", bad, got)
		}
	}
}

func TestRegistrationsRunOneBackend(t *testing.T) {
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(bootstrap, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, r := range []Registration{
		{Name: "f", Handler: bootstrap, Endpoint: "http://127.0.0.1:1"},
		{Name: "f", Handler: "bootstrap"}, // the admin API's paths are absolute
	} {
		if err := r.validate(); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}
