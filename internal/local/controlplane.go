package local

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/runner-codes/infra-operator/config/crd"
)

// controlPlaneStartTimeout is generous: on a busy 2-core machine a
// kube-apiserver takes well over envtest's default to answer /healthz.
const controlPlaneStartTimeout = 3 * time.Minute

// controlPlane is etcd and kube-apiserver, run by envtest, with etcd's data
// kept in the data directory so that a restart finds every object again.
type controlPlane struct {
	env  *envtest.Environment
	cfg  *rest.Config
	logs []*os.File
}

// startControlPlane starts etcd and kube-apiserver from the binaries in
// assetsDir and installs the embedded CRDs (creating or updating them).
// The API server's certificates are made afresh each time: only etcd's data
// needs to outlive a restart, and envtest hands out CA data only for
// certificates it has just made.
func startControlPlane(layout dataLayout, assetsDir string) (*controlPlane, error) {
	crds, err := embeddedCRDs()
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(layout.apiServerCerts()); err != nil {
		return nil, err
	}
	for _, dir := range []string{layout.etcdData(), layout.apiServerCerts(), layout.logs()} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	etcdPath, apiServerPath, err := tiedToThisProcess(layout, assetsDir)
	if err != nil {
		return nil, err
	}
	etcdLog, err := os.Create(filepath.Join(layout.logs(), "etcd.log"))
	if err != nil {
		return nil, err
	}
	apiServerLog, err := os.Create(filepath.Join(layout.logs(), "kube-apiserver.log"))
	if err != nil {
		etcdLog.Close()
		return nil, err
	}
	useExistingCluster := false
	env := &envtest.Environment{
		UseExistingCluster: &useExistingCluster,
		ControlPlane: envtest.ControlPlane{
			Etcd: &envtest.Etcd{Path: etcdPath, DataDir: layout.etcdData(), Out: etcdLog, Err: etcdLog},
			APIServer: &envtest.APIServer{Path: apiServerPath, CertDir: layout.apiServerCerts(),
				Out: apiServerLog, Err: apiServerLog},
		},
		CRDInstallOptions:        envtest.CRDInstallOptions{CRDs: crds},
		ControlPlaneStartTimeout: controlPlaneStartTimeout,
		ControlPlaneStopTimeout:  30 * time.Second,
	}
	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		closeAll(etcdLog, apiServerLog)
		return nil, fmt.Errorf("starting etcd and kube-apiserver (logs in %s): %w", layout.logs(), err)
	}
	return &controlPlane{env: env, cfg: cfg, logs: []*os.File{etcdLog, apiServerLog}}, nil
}

// adminKubeconfig is a kubeconfig of a cluster-admin user, for kubectl.
func (c *controlPlane) adminKubeconfig() ([]byte, error) {
	admin, err := c.env.AddUser(envtest.User{Name: "local-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, err
	}
	return admin.KubeConfig()
}

func (c *controlPlane) stop() error {
	defer closeAll(c.logs...)
	return c.env.Stop()
}

func closeAll(files ...*os.File) {
	for _, file := range files {
		_ = file.Close()
	}
}

// embeddedCRDs decodes config/crd/bases, embedded in the binary.
func embeddedCRDs() ([]*apiextensionsv1.CustomResourceDefinition, error) {
	files, err := fs.Glob(crd.Bases, "bases/*.yaml")
	if err != nil {
		return nil, err
	}
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, name := range files {
		content, err := crd.Bases.ReadFile(name)
		if err != nil {
			return nil, err
		}
		definition := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(content, definition); err != nil {
			return nil, fmt.Errorf("decoding the CRD in %s: %w", name, err)
		}
		crds = append(crds, definition)
	}
	if len(crds) == 0 {
		return nil, fmt.Errorf("no CRDs embedded from config/crd/bases")
	}
	return crds, nil
}
