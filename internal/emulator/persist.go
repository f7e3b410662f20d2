package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stateFileVersion changes when the state file's layout does.
const stateFileVersion = 1

// stateDocument is the state file: each service's snapshot by name, and the
// STS keys issued by AssumeRole.
type stateDocument struct {
	Version  int                        `json:"version"`
	Services map[string]json.RawMessage `json:"services"`
	STS      json.RawMessage            `json:"sts,omitempty"`
}

// stateStore writes the state file atomically: a temporary file in the same
// directory, fsync, rename over the old one, fsync the directory. A reader, or
// a restart after SIGKILL, sees the old state or the new, never a mix.
type stateStore struct {
	path string
}

// persist writes the whole state. The caller holds s.mu.
func (s *Server) persist() error {
	if s.store == nil {
		return nil
	}
	doc := stateDocument{Version: stateFileVersion, Services: map[string]json.RawMessage{}}
	for _, svc := range s.services {
		raw, err := svc.snapshot()
		if err != nil {
			return fmt.Errorf("snapshot of %s: %w", svc.name, err)
		}
		doc.Services[svc.name] = raw
	}
	raw, err := s.sts.snapshot()
	if err != nil {
		return err
	}
	doc.STS = raw
	encoded, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return s.store.write(encoded)
}

// load reads the state file, if there is one, into the services.
func (s *Server) load() error {
	encoded, err := os.ReadFile(s.store.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var doc stateDocument
	if err := json.Unmarshal(encoded, &doc); err != nil {
		return fmt.Errorf("state file %s: %w", s.store.path, err)
	}
	if doc.Version != stateFileVersion {
		return fmt.Errorf("state file %s has version %d, want %d", s.store.path, doc.Version, stateFileVersion)
	}
	for _, svc := range s.services {
		if raw, ok := doc.Services[svc.name]; ok {
			if err := svc.restore(raw); err != nil {
				return fmt.Errorf("state file %s, %s: %w", s.store.path, svc.name, err)
			}
		}
	}
	if len(doc.STS) > 0 {
		return s.sts.restore(doc.STS)
	}
	return nil
}

func (st *stateStore) write(data []byte) error {
	dir := filepath.Dir(st.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(st.path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename succeeded
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
