package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// engineKeys are the stack file settings the engine writes itself: the passphrase salt and
// a secrets provider's encrypted key. A work copy keeps them from one run to the next.
func engineKeys() []string { return []string{"encryptionsalt", "secretsprovider", "encryptedkey"} }

// copyProject writes the project's Pulumi.yaml and Pulumi.<env>.yaml from dir into work,
// where the engine may write to them: what the project's files say wins, and what the
// engine wrote to the previous copy (and the project's files do not say) is kept. The copy
// of Pulumi.yaml has no `main`: the program runs inline, and the engine checks that the
// directory `main` names exists.
func copyProject(dir, work, env string) error {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	project, err := readYAML(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return err
	}
	delete(project, "main")
	if err := writeYAML(filepath.Join(work, "Pulumi.yaml"), project); err != nil {
		return err
	}
	name := "Pulumi." + env + ".yaml"
	settings, err := readYAML(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	previous, err := readYAML(filepath.Join(work, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, k := range engineKeys() {
		if _, set := settings[k]; !set && previous[k] != nil {
			settings[k] = previous[k]
		}
	}
	return writeYAML(filepath.Join(work, name), settings)
}

func writeYAML(path string, v map[string]any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeAtomic(path, b)
}

func readYAML(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	out := map[string]any{}
	if err := yaml.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	return nil
}
