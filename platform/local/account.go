package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// accountVersion is the version of the account file format.
const accountVersion = 1

// Account is what exists in a local account: one entry per resource, sorted by type, name
// and id, and the CodeDeploy deployments of its releases.
type Account struct {
	Version   int     `json:"version"`
	Resources []Entry `json:"resources"`
	// Deployments are the releases the account emulated (release.go), oldest first.
	Deployments []Deployment `json:"deployments,omitempty"`
}

// Entry is one resource of a local account.
type Entry struct {
	// Type is the resource's type token.
	Type string `json:"type"`
	// Name is the physical name (the type's name property), or the id for a type without one.
	Name string `json:"name"`
	// Scope names the parent the name is unique within, such as "role=<role>" for a role's
	// inline policy; empty for names unique in the account.
	Scope string `json:"scope,omitempty"`
	// ID is the provider id the engine keeps in its state.
	ID string `json:"id"`
	// URN is the resource that created it.
	URN string `json:"urn"`
	// Seed is what the generated ids were derived from when it is not the URN (a replacement
	// created beside the resource it replaces).
	Seed string `json:"seed,omitempty"`
	// Outputs is the state, in Pulumi's wire form: plain values as they are, secrets, archives
	// and assets as signed objects (State restores them).
	Outputs map[string]any `json:"outputs"`
}

// seed is what the entry's generated ids derive from.
func (e Entry) seed() string {
	if e.Seed != "" {
		return e.Seed
	}
	return e.URN
}

// State restores the entry's outputs as a property map, secrets included.
func (e Entry) State() (resource.PropertyMap, error) {
	return decodeState(e.Outputs)
}

// LoadAccount reads the account file at path; a file that does not exist is an empty account.
func LoadAccount(path string) (*Account, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Account{Version: accountVersion, Resources: []Entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("local: reading account: %w", err)
	}
	var a Account
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("local: account %s: %w", path, err)
	}
	if a.Version != accountVersion {
		return nil, fmt.Errorf("local: account %s: version %d is not supported (want %d)", path, a.Version, accountVersion)
	}
	if a.Resources == nil {
		a.Resources = []Entry{}
	}
	return &a, nil
}

// Lookup returns the first entry of type typ whose name is name.
func (a *Account) Lookup(typ, name string) (Entry, bool) {
	for _, e := range a.Resources {
		if e.Type == typ && e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// find is the index of the entry of type typ with id id within scope, or -1. Ids of scoped
// types repeat between parents (every API has a stage $default), so the scope takes part.
func (a *Account) find(typ, id, scope string) int {
	return slices.IndexFunc(a.Resources, func(e Entry) bool {
		return e.Type == typ && e.ID == id && e.Scope == scope
	})
}

// findFor is find, preferring the entry the resource urn created: resources that share an
// id (sharedID) each read, update and delete their own entry.
func (a *Account) findFor(typ, id, scope, urn string) int {
	if i := slices.IndexFunc(a.Resources, func(e Entry) bool {
		return e.Type == typ && e.ID == id && e.Scope == scope && e.URN == urn
	}); i >= 0 {
		return i
	}
	return a.find(typ, id, scope)
}

// byName is the index of the entry of type typ named name within scope, or -1.
func (a *Account) byName(typ, scope, name string) int {
	return slices.IndexFunc(a.Resources, func(e Entry) bool {
		return e.Type == typ && e.Scope == scope && e.Name == name
	})
}

// put adds e, or replaces the entry at index i when i >= 0.
func (a *Account) put(i int, e Entry) {
	if i >= 0 {
		a.Resources[i] = e
		return
	}
	a.Resources = append(a.Resources, e)
}

// removeAt deletes the entry at index i, if i >= 0.
func (a *Account) removeAt(i int) {
	if i >= 0 {
		a.Resources = slices.Delete(a.Resources, i, i+1)
	}
}

// save writes the account to path atomically: a temporary file in the same directory,
// renamed over the old one, so a reader sees the old account or the new one.
func (a *Account) save(path string) error {
	slices.SortFunc(a.Resources, func(x, y Entry) int {
		return cmpJoin(x.Type, y.Type, x.Name, y.Name, x.Scope, y.Scope, x.ID, y.ID)
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return fmt.Errorf("local: encoding account: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("local: saving account: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("local: saving account: %w", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("local: saving account: %w", werr)
	}
	return nil
}

// cmpJoin compares pairs in order: the first pair that differs decides.
func cmpJoin(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// change runs fn on the account at path and saves it when fn succeeds, holding an exclusive
// lock on path+".lock" throughout: the engine runs steps in parallel and other processes may
// share the account.
func change(path string, fn func(*Account) error) error {
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return fmt.Errorf("local: locking account: %w", err)
	}
	defer unlock()
	a, err := LoadAccount(path)
	if err != nil {
		return err
	}
	if err := fn(a); err != nil {
		return err
	}
	return a.save(path)
}
