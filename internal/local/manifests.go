package local

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
)

// manifest is one object to apply and where it came from, for messages.
type manifest struct {
	source string
	object *unstructured.Unstructured
}

// readManifests reads every object of the YAML files in fsys, in file name
// order; an empty document (comments only) is skipped.
func readManifests(fsys fs.FS) ([]manifest, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	more, err := fs.Glob(fsys, "*.yml")
	if err != nil {
		return nil, err
	}
	files = append(files, more...)
	slices.Sort(files)
	var manifests []manifest
	for _, name := range files {
		content, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		objects, err := decodeDocuments(content)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, object := range objects {
			manifests = append(manifests, manifest{source: name, object: object})
		}
	}
	return manifests, nil
}

// readManifestPaths reads -f arguments: files, or directories whose YAML
// files are read (not their subdirectories, as kubectl apply -f does).
func readManifestPaths(paths []string) ([]manifest, error) {
	var manifests []manifest
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		dir, fsys := path, os.DirFS(path)
		if !info.IsDir() {
			dir = filepath.Dir(path)
			fsys = singleFile{os.DirFS(dir), filepath.Base(path)}
		}
		found, err := readManifests(fsys)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s holds no objects", path)
		}
		for _, m := range found {
			m.source = filepath.Join(dir, m.source)
			manifests = append(manifests, m)
		}
	}
	return manifests, nil
}

// singleFile is a directory that shows only one of its files to fs.Glob,
// named as if it were YAML, so that a file given with -f is read whatever
// its extension.
type singleFile struct {
	dir  fs.FS
	name string
}

func (s singleFile) Open(name string) (fs.File, error) {
	if name != s.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return s.dir.Open(name)
}

func (s singleFile) Glob(pattern string) ([]string, error) {
	if pattern == "*.yaml" {
		return []string{s.name}, nil
	}
	return nil, nil
}

func decodeDocuments(content []byte) ([]*unstructured.Unstructured, error) {
	decoder := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(content), 4096)
	var objects []*unstructured.Unstructured
	for {
		var fields map[string]any
		err := decoder.Decode(&fields)
		if errors.Is(err, io.EOF) {
			return objects, nil
		}
		if err != nil {
			return nil, err
		}
		if len(fields) == 0 {
			continue
		}
		object := &unstructured.Unstructured{Object: fields}
		if object.GetKind() == "" || object.GetAPIVersion() == "" {
			return nil, fmt.Errorf("an object without apiVersion or kind: %s", strings.TrimSpace(fmt.Sprint(fields)))
		}
		objects = append(objects, object)
	}
}
