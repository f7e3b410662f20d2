package sdktest

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// testLambdaPackage is the handler BuildTestLambda builds.
const testLambdaPackage = "github.com/runner-codes/infra-operator/internal/emulator/internal/testlambda"

var testLambda struct {
	once sync.Once
	path string
	err  error
	log  []byte
}

// BuildTestLambda builds internal/testlambda once per test process and
// returns the binary's path, to register as a function's handler
// (Options.LambdaFunctions with Handler set, or "NAME=exec:PATH").
//
// The binary is built afresh in each process (the Go build cache makes that
// quick) and renamed into one shared place, os.TempDir()/infra-operator-
// testlambda/bootstrap: the rename is atomic, so the test processes `go test
// ./...` runs side by side never see a half-written file, and nothing is
// left behind but that one binary.
func BuildTestLambda(t *testing.T) string {
	t.Helper()
	testLambda.once.Do(func() {
		dir := filepath.Join(os.TempDir(), "infra-operator-testlambda")
		if testLambda.err = os.MkdirAll(dir, 0o755); testLambda.err != nil {
			return
		}
		building, err := os.CreateTemp(dir, "building-*")
		if err != nil {
			testLambda.err = err
			return
		}
		building.Close()
		cmd := exec.Command("go", "build", "-o", building.Name(), testLambdaPackage)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if testLambda.log, testLambda.err = cmd.CombinedOutput(); testLambda.err != nil {
			os.Remove(building.Name())
			return
		}
		testLambda.path = filepath.Join(dir, "bootstrap")
		testLambda.err = os.Rename(building.Name(), testLambda.path)
	})
	if testLambda.err != nil {
		t.Fatalf("building %s: %v\n%s", testLambdaPackage, testLambda.err, testLambda.log)
	}
	return testLambda.path
}

// Lambda is a Lambda client of the emulator.
func (e *Emulator) Lambda(o ClientOptions) *lambda.Client { return lambda.NewFromConfig(e.Config(o)) }
