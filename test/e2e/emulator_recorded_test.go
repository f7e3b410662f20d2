package e2e

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRecordedRestAPICases replays, through the real AWS CLI against the
// emulator process, every REST API exchange recorded against real AWS in the
// enabled files of testdata/aws-recorded (recordedCaseFiles), and holds the
// emulator to AWS's answers: status, members present and absent, error code
// and message.
//
// The file's conventions: "{run}" is a prefix unique to this run; a step
// with no "status" is setup, and any 2xx will do; "capture"
// names a member of the answer ("api": "id") that later steps use as "{api}",
// or "{api|upper}" upper-cased; in expectations "<epoch>", "<id>" and
// "<resource-id>" stand for any value of that shape, "<any>" for anything, and "<account>" for the
// caller's account; "$absent" lists members that must not be there, "$exact"
// forbids members not listed, and "$includes"/"$excludes" hold elements that
// a list must or must not contain.
func TestRecordedRestAPICases(t *testing.T) {
	cases := loadRecordedCases(t)
	cli := newCLIEnv(t, startEmulator(t))
	replay := &recordedReplay{cli: cli, account: callerAccount(t, cli), run: "rec-" + randomSuffix(t)}
	for _, recorded := range cases {
		t.Run(recorded.Name, func(t *testing.T) {
			// Cases only look at the APIs they create, so they can overlap.
			t.Parallel()
			vars := map[string]string{"run": replay.run}
			for i, step := range recorded.Steps {
				replay.step(t, recorded.Name, i+1, step, vars)
			}
		})
	}
}

type recordedCase struct {
	Name  string         `json:"name"`
	Basis string         `json:"basis"`
	Steps []recordedStep `json:"steps"`
}

type recordedStep struct {
	CLI         []string          `json:"cli"`
	Status      int               `json:"status"`
	Expect      map[string]any    `json:"expect"`
	ExpectError *recordedError    `json:"expect_error"`
	Capture     map[string]string `json:"capture"`
	Recorded    string            `json:"recorded"`
}

type recordedError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// recordedDir holds the exchanges recorded against real AWS, copied unchanged
// into the repository (go test runs in the package's directory).
const recordedDir = "testdata/aws-recorded"

// recordedCaseFiles are the files of recordedDir that TestRecordedRestAPICases
// replays. The rest-*-cases.json files beside them record REST resources,
// methods, integrations, deployments, stages, models, authorizers, API keys and
// usage plans, which the emulator does not implement yet: add each here once it
// does (TestRecordedCaseFilesDecode already checks that every file decodes).
var recordedCaseFiles = []string{
	"restapi-cases.json",
	"rest-resources-methods-cases.json",
	"rest-integrations-cases.json",
	"rest-deployments-stages-cases.json",
	"rest-models-validators-responses-cases.json",
	"rest-authorizers-cases.json",
	"rest-apikeys-usageplans-cases.json",
}

// knownDifferences are the recorded steps (case/step) the emulator answers
// otherwise than the file says, each with the reason (docs/emulator.md lists
// them too). A listed step must still differ: one that matches fails, so the
// list cannot go stale.
var knownDifferences = map[string]string{
	"stage-access-log-settings-add-replace-remove/7": "the file expects the caller's account in a destinationArn the request sent with 111111111111: the recording's snapshot tool replaced the account in the answer only. AWS stores the ARN as sent, as step 6 of the same case shows",
	"stage-access-log-settings-add-replace-remove/8": "the same destinationArn as step 7, carried over",
}

func loadRecordedCases(t *testing.T) []recordedCase {
	t.Helper()
	var all []recordedCase
	seen := map[string]string{}
	for _, name := range recordedCaseFiles {
		for _, c := range loadRecordedFile(t, filepath.Join(recordedDir, name)) {
			// Case names are the subtests' names: two alike would hide one.
			if other, dup := seen[c.Name]; dup {
				t.Fatalf("case %q is in both %s and %s", c.Name, other, name)
			}
			seen[c.Name] = name
			all = append(all, c)
		}
	}
	return all
}

func loadRecordedFile(t *testing.T, path string) []recordedCase {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the AWS-recorded cases are required by this test: %v", err)
	}
	var cases []recordedCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s holds no case", path)
	}
	for i, c := range cases {
		if c.Name == "" || len(c.Steps) == 0 {
			t.Fatalf("%s: case %d has no name or no step", path, i)
		}
	}
	return cases
}

// TestRecordedCaseFilesDecode holds every recorded file, replayed or not yet,
// to the shape the replay reads.
func TestRecordedCaseFilesDecode(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordedDir, "*-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *-cases.json in %s", recordedDir)
	}
	for _, name := range recordedCaseFiles {
		if !slices.Contains(files, filepath.Join(recordedDir, name)) {
			t.Errorf("recordedCaseFiles names %s, which is not in %s", name, recordedDir)
		}
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) { loadRecordedFile(t, path) })
	}
}

// callerAccount asks the emulator's STS which account the test's access key
// acts as, for the "<account>" of the recorded messages.
func callerAccount(t *testing.T, cli *cliEnv) string {
	t.Helper()
	identity := cli.json(t, "sts", "get-caller-identity")
	account, _ := identity["Account"].(string)
	if account == "" {
		t.Fatalf("sts get-caller-identity returned no account: %v", identity)
	}
	return account
}

func randomSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", b)
}

type recordedReplay struct {
	cli     *cliEnv
	account string
	run     string
}

var (
	// httpStatusLine is urllib3's debug line for each response; the last one
	// is the answer the CLI acted on (after any retries or further pages).
	httpStatusLine = regexp.MustCompile(`"[A-Z]+ \S+ HTTP/1\.1" (\d{3})`)
	// cliErrorLine is how the CLI reports an AWS error on its last line.
	cliErrorLine = regexp.MustCompile(`(?m)^An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)$`)
	placeholder  = regexp.MustCompile(`\{([a-z0-9]+)(\|upper)?\}`)
)

func (r *recordedReplay) step(t *testing.T, caseName string, number int, step recordedStep, vars map[string]string) {
	t.Helper()
	args := make([]string, len(step.CLI))
	for i, arg := range step.CLI {
		args[i] = mustSubstitute(t, arg, vars)
	}
	label := fmt.Sprintf("step %d (aws %s)", number, strings.Join(args, " "))
	result := r.cli.run(t, append(args, "--debug")...)
	statuses := httpStatusLine.FindAllStringSubmatch(result.stderr, -1)
	if len(statuses) == 0 {
		t.Fatalf("%s: no HTTP response in the CLI's debug output (exit %d):\n%s", label, result.exitCode, lastLines(result.stderr, 20))
	}
	status, _ := strconv.Atoi(statuses[len(statuses)-1][1])
	if setup := step.Status == 0; (setup && (status < 200 || status > 299)) || (!setup && status != step.Status) {
		t.Fatalf("%s: status %d, want %d (0: any 2xx)\nstdout: %s\nstderr: %s", label, status, step.Status, result.stdout, lastLines(result.stderr, 5))
	}
	if step.ExpectError != nil {
		r.checkError(t, label, result, *step.ExpectError, vars)
		return
	}
	if result.exitCode != 0 {
		t.Fatalf("%s: exit %d\n%s", label, result.exitCode, lastLines(result.stderr, 5))
	}
	answer := map[string]any{}
	if strings.TrimSpace(result.stdout) != "" {
		if err := json.Unmarshal([]byte(result.stdout), &answer); err != nil {
			t.Fatalf("%s: output is not a JSON object: %v\n%s", label, err, result.stdout)
		}
	}
	m := &matcher{vars: vars, account: r.account}
	problems := m.match("", step.Expect, answer)
	if why, known := knownDifferences[fmt.Sprintf("%s/%d", caseName, number)]; known {
		if len(problems) == 0 {
			t.Errorf("%s: listed in knownDifferences (%s) but now matches: remove it from the list", label, why)
		}
		t.Logf("%s: a known difference (%s): %s", label, why, strings.Join(problems, "; "))
		problems = nil
	}
	if len(problems) > 0 {
		t.Fatalf("%s:\n  %s\nanswer: %s", label, strings.Join(problems, "\n  "), result.stdout)
	}
	for name, member := range step.Capture {
		value, ok := answer[member].(string)
		if !ok {
			t.Fatalf("%s: cannot capture %s from member %q of %s", label, name, member, result.stdout)
		}
		vars[name] = value
	}
}

func (r *recordedReplay) checkError(t *testing.T, label string, result cliResult, want recordedError, vars map[string]string) {
	t.Helper()
	if result.exitCode == 0 {
		t.Fatalf("%s: succeeded, want %s\n%s", label, want.Code, result.stdout)
	}
	all := cliErrorLine.FindAllStringSubmatch(result.stderr, -1)
	if len(all) == 0 {
		t.Fatalf("%s: no AWS error reported:\n%s", label, lastLines(result.stderr, 5))
	}
	code, message := all[len(all)-1][1], all[len(all)-1][2]
	if code != want.Code {
		t.Errorf("%s: error code %s, want %s (message %q)", label, code, want.Code, message)
	}
	if want.Message == "" {
		return // the file records only the code
	}
	wantMessage := mustSubstitute(t, strings.ReplaceAll(want.Message, "<account>", r.account), vars)
	if message != wantMessage {
		t.Errorf("%s: message\n  %q\nwant\n  %q", label, message, wantMessage)
	}
}

// substitute replaces {run}, {captured} and {captured|upper}. A placeholder
// naming nothing captured is an error: a broken case, not a difference from AWS.
func substitute(text string, vars map[string]string) (string, error) {
	var missing []string
	expanded := placeholder.ReplaceAllStringFunc(text, func(found string) string {
		parts := placeholder.FindStringSubmatch(found)
		if strings.Trim(parts[1], "0123456789") == "" {
			return found // a regular expression's {2}, not a placeholder
		}
		value, ok := vars[parts[1]]
		if !ok {
			missing = append(missing, parts[1])
		}
		if parts[2] != "" {
			return strings.ToUpper(value)
		}
		return value
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%q names %v, which no earlier step captured", text, missing)
	}
	return expanded, nil
}

func mustSubstitute(t *testing.T, text string, vars map[string]string) string {
	t.Helper()
	expanded, err := substitute(text, vars)
	if err != nil {
		t.Fatal(err)
	}
	return expanded
}

// matcher compares an answer with a recorded expectation.
type matcher struct {
	vars    map[string]string
	account string
}

var valueShapes = map[string]*regexp.Regexp{
	"<id>":          regexp.MustCompile(`^[a-z0-9]{10}$`),
	"<resource-id>": regexp.MustCompile(`^[a-z0-9]+$`),
}

// match returns one line per difference between want and got at path.
func (m *matcher) match(path string, want, got any) []string {
	switch want := want.(type) {
	case map[string]any:
		if _, isList := want["$includes"]; isList {
			return m.matchList(path, want, got)
		}
		if _, isList := want["$excludes"]; isList {
			return m.matchList(path, want, got)
		}
		return m.matchObject(path, want, got)
	case []any:
		gotList, ok := got.([]any)
		if !ok || len(gotList) != len(want) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, jsonText(got), jsonText(want))}
		}
		var problems []string
		for i := range want {
			problems = append(problems, m.match(fmt.Sprintf("%s[%d]", path, i), want[i], gotList[i])...)
		}
		return problems
	case string:
		return m.matchString(path, want, got)
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, jsonText(got), jsonText(want))}
		}
		return nil
	}
}

func (m *matcher) matchObject(path string, want map[string]any, got any) []string {
	gotObject, ok := got.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: got %v, want an object", path, jsonText(got))}
	}
	var problems []string
	for key, wantValue := range want {
		if strings.HasPrefix(key, "$") {
			continue
		}
		gotValue, present := gotObject[key]
		if !present {
			problems = append(problems, fmt.Sprintf("%s.%s: absent, want %v", path, key, jsonText(wantValue)))
			continue
		}
		problems = append(problems, m.match(path+"."+key, wantValue, gotValue)...)
	}
	absent, _ := want["$absent"].([]any)
	for _, key := range absent {
		if value, present := gotObject[key.(string)]; present {
			problems = append(problems, fmt.Sprintf("%s.%s: got %v, want the member absent", path, key, jsonText(value)))
		}
	}
	if exact, _ := want["$exact"].(bool); exact {
		for key := range gotObject {
			if _, listed := want[key]; !listed {
				problems = append(problems, fmt.Sprintf("%s.%s: got %v, want no such member", path, key, jsonText(gotObject[key])))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// matchList checks that every "$includes" element matches some element of
// the list and that no "$excludes" element matches any.
func (m *matcher) matchList(path string, want map[string]any, got any) []string {
	gotList, ok := got.([]any)
	if !ok {
		return []string{fmt.Sprintf("%s: got %v, want a list", path, jsonText(got))}
	}
	matchesSome := func(element any) bool {
		return slices.ContainsFunc(gotList, func(candidate any) bool { return len(m.match(path, element, candidate)) == 0 })
	}
	var problems []string
	includes, _ := want["$includes"].([]any)
	for _, element := range includes {
		if !matchesSome(element) {
			problems = append(problems, fmt.Sprintf("%s: no element matches %v", path, jsonText(element)))
		}
	}
	excludes, _ := want["$excludes"].([]any)
	for _, element := range excludes {
		if matchesSome(element) {
			problems = append(problems, fmt.Sprintf("%s: an element matches %v, which must not be listed", path, jsonText(element)))
		}
	}
	return problems
}

func (m *matcher) matchString(path, want string, got any) []string {
	if want == "<any>" {
		return nil
	}
	if want == "<epoch>" {
		// The CLI prints v1 timestamps as it receives them: epoch seconds.
		if seconds, ok := got.(float64); !ok || seconds <= 0 {
			return []string{fmt.Sprintf("%s: got %v, want epoch seconds", path, jsonText(got))}
		}
		return nil
	}
	if shape, ok := valueShapes[want]; ok {
		if s, isString := got.(string); !isString || !shape.MatchString(s) {
			return []string{fmt.Sprintf("%s: got %v, want %s", path, jsonText(got), want)}
		}
		return nil
	}
	wantText, err := substitute(strings.ReplaceAll(want, "<account>", m.account), m.vars)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	if got != wantText {
		return []string{fmt.Sprintf("%s: got %v, want %q", path, jsonText(got), wantText)}
	}
	return nil
}

func jsonText(v any) string {
	encoded, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(encoded)
}

func lastLines(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestRecordedMatcherCatchesDifferences holds the replay's matcher to the
// file's conventions, so that a passing replay means the answers matched.
func TestRecordedMatcherCatchesDifferences(t *testing.T) {
	m := &matcher{vars: map[string]string{"run": "r1", "api": "abcdefghij"}, account: "123456789012"}
	tests := []struct {
		name       string
		want, got  string
		mismatches int
	}{
		{"equal members", `{"name":"{run}-x","id":"{api}"}`, `{"name":"r1-x","id":"abcdefghij","extra":1}`, 0},
		{"wrong value", `{"name":"{run}-x"}`, `{"name":"r1-y"}`, 1},
		{"missing member", `{"name":"x"}`, `{}`, 1},
		{"absent member present", `{"$absent":["tags"]}`, `{"tags":{}}`, 1},
		{"exact forbids extras", `{"tags":{"a":"b","$exact":true}}`, `{"tags":{"a":"b","c":"d"}}`, 1},
		{"exact satisfied", `{"tags":{"a":"b","$exact":true}}`, `{"tags":{"a":"b"}}`, 0},
		{"epoch wants a number", `{"createdDate":"<epoch>"}`, `{"createdDate":"2026-01-01T00:00:00Z"}`, 1},
		{"id shape", `{"id":"<id>"}`, `{"id":"ABCDEFGHIJ"}`, 1},
		{"list order matters", `{"types":["a","b"]}`, `{"types":["b","a"]}`, 2},
		{"list length matters", `{"types":["a"]}`, `{"types":["a","b"]}`, 1},
		{"includes found", `{"items":{"$includes":[{"id":"{api}"}]}}`, `{"items":[{"id":"x"},{"id":"abcdefghij"}]}`, 0},
		{"includes missing", `{"items":{"$includes":[{"id":"{api}"}]}}`, `{"items":[{"id":"x"}]}`, 1},
		{"excludes violated", `{"items":{"$excludes":[{"id":"{api}"}]}}`, `{"items":[{"id":"abcdefghij"}]}`, 1},
		{"uncaptured placeholder", `{"id":"{other}"}`, `{"id":""}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.got), &got); err != nil {
				t.Fatal(err)
			}
			if problems := m.match("", want, got); len(problems) != tt.mismatches {
				t.Fatalf("got %d mismatches %v, want %d", len(problems), problems, tt.mismatches)
			}
		})
	}
}
