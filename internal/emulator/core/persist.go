package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// StateFileVersion changes when the state file's layout does.
const StateFileVersion = 1

// StateDocument is the state file: each service's snapshot by name.
// Emulators before STS was a service wrote its snapshot as a top-level
// "sts" member; load still reads a service's state from a top-level member
// of its name when "services" lacks it.
type StateDocument struct {
	Version  int                        `json:"version"`
	Services map[string]json.RawMessage `json:"services"`
}

// stateStore writes the state file atomically: a temporary file in the same
// directory, fsync, rename over the old one, fsync the directory. A reader, or
// a restart after SIGKILL, sees the old state or the new, never a mix.
type stateStore struct {
	path string
}

// persist writes every service's state. The caller holds the state lock.
func (d *Dispatcher) persist() error {
	if d.store == nil {
		return nil
	}
	doc := StateDocument{Version: StateFileVersion, Services: map[string]json.RawMessage{}}
	for _, svc := range d.services {
		raw, err := svc.Snapshot()
		if err != nil {
			return fmt.Errorf("snapshot of %s: %w", svc.Name(), err)
		}
		doc.Services[svc.Name()] = raw
	}
	encoded, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return d.store.write(encoded)
}

// load reads the state file, if there is one, into the services.
func (d *Dispatcher) load() error {
	path := d.store.path
	encoded, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var doc StateDocument
	var topLevel map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &doc); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := json.Unmarshal(encoded, &topLevel); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if doc.Version != StateFileVersion {
		return fmt.Errorf("state file %s has version %d, want %d", path, doc.Version, StateFileVersion)
	}
	for _, svc := range d.services {
		raw, ok := doc.Services[svc.Name()]
		if !ok {
			raw, ok = topLevel[svc.Name()]
		}
		if !ok || len(raw) == 0 {
			continue
		}
		if err := svc.Restore(raw); err != nil {
			return fmt.Errorf("state file %s, %s: %w", path, svc.Name(), err)
		}
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
