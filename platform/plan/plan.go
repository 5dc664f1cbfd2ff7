// Package plan is Stratum's offline engine: it runs a Pulumi program under mocks that answer
// like AWS, records every registration and renders the result as the plan of docs/design.md
// section 5 (JSON for tools and policy rules, golden files for review, text for people).
//
// Nothing here needs AWS credentials, the Pulumi CLI or a network.
package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// Version is the version of the plan JSON format.
const Version = 1

// Secret is how a secret value appears in a plan.
const Secret = "[secret]"

// Unknown is how a value that is not known until deployment appears in a plan.
const Unknown = "[unknown]"

// Plan is everything one program registered, in the stable shape of docs/design.md section 5.
type Plan struct {
	Version   int            `json:"version"`
	Project   string         `json:"project"`
	Stack     string         `json:"stack"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
	Findings  []Finding      `json:"findings"`
}

// Resource is one registered resource with its inputs, the outputs the mocks answered and
// its resource options.
type Resource struct {
	URN                 string         `json:"urn"`
	Type                string         `json:"type"`
	Name                string         `json:"name"`
	Parent              string         `json:"parent"`
	Custom              bool           `json:"custom"`
	Inputs              map[string]any `json:"inputs"`
	Outputs             map[string]any `json:"outputs"`
	Dependencies        []string       `json:"dependencies"`
	Protect             bool           `json:"protect"`
	RetainOnDelete      bool           `json:"retainOnDelete"`
	DeleteBeforeReplace bool           `json:"deleteBeforeReplace"`
	IgnoreChanges       []string       `json:"ignoreChanges,omitempty"`
}

// Finding is a policy rule's verdict on a resource.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	URN      string `json:"urn"`
	Message  string `json:"message"`
	// Suppressed holds the written reason when the finding was suppressed.
	Suppressed string `json:"suppressed,omitempty"`
}

// Options configures an offline run.
type Options struct {
	// Project and Stack name the Pulumi project and stack (environment). Required.
	Project, Stack string
	// Dir is the project's directory (the one holding Pulumi.yaml), which programs read with
	// project.Dir. Default: the working directory.
	Dir string
	// Region and Account build ARNs and URLs. Default: eu-west-1 and 111111111111.
	Region, Account string
	// Config is the project's raw config, given to the program as the engine gives it (the
	// SDK's config, which config.Load reads). Default: none (a program that loads config then
	// fails with what is missing).
	Config config.Raw
	// Reference answers stack references: the outputs of the named stack. Default: every
	// reference fails.
	Reference func(stack string) (map[string]any, error)
}

// DefaultAccount is the account id of offline plans when the config declares none.
const DefaultAccount = "111111111111"

// DefaultRegion is the region of offline plans run without a config.
const DefaultRegion = "eu-west-1"

// Run runs program offline and returns what it registered. A program error, a failed apply
// or a failed mock answer is returned as the error, with the plan recorded so far.
func Run(opts Options, program pulumi.RunFunc) (*Plan, error) {
	if opts.Project == "" || opts.Stack == "" {
		return nil, errors.New("plan: project and stack are required")
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	rec := &recorder{outputs: map[string]any{}}
	m := &mocks{opts: opts, rec: rec}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	wrapped := func(ctx *pulumi.Context) error {
		return program(stackref.WithSink(project.WithDir(ctx, dir), rec))
	}
	setConfig := func(info *pulumi.RunInfo) {
		info.Config = map[string]string{}
		for k, s := range opts.Config {
			info.Config[k] = s.Value
			if s.Secret {
				info.ConfigSecretKeys = append(info.ConfigSecretKeys, k)
			}
		}
	}
	err = pulumi.RunErr(wrapped, pulumi.WithMocks(opts.Project, opts.Stack, m), setConfig)
	p := rec.plan(opts.Project, opts.Stack)
	if err != nil {
		return p, fmt.Errorf("plan %s/%s: %w", opts.Project, opts.Stack, err)
	}
	return p, nil
}

// recorder collects registrations and stack outputs; the SDK calls it from many goroutines.
type recorder struct {
	mu        sync.Mutex
	resources []Resource
	outputs   map[string]any
}

func (r *recorder) add(res Resource) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resources = append(r.resources, res)
}

// RecordOutput implements stackref.Sink.
func (r *recorder) RecordOutput(name string, value any, secret bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if secret {
		r.outputs[name] = Secret
		return
	}
	r.outputs[name] = plain(value)
}

func (r *recorder) plan(project, stack string) *Plan {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := slices.Clone(r.resources)
	slices.SortFunc(res, func(a, b Resource) int { return strings.Compare(a.URN, b.URN) })
	return &Plan{Version: Version, Project: project, Stack: stack, Resources: res,
		Outputs: maps.Clone(r.outputs), Findings: []Finding{}}
}

// plain turns values an apply produced into JSON-friendly ones.
func plain(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return fmt.Sprint(v)
	}
	return out
}

// JSON renders the plan as stable, indented JSON: resources sorted by URN, map keys sorted,
// no HTML escaping, a trailing newline.
func (p *Plan) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("plan: rendering JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// Parse reads a plan rendered by JSON.
func Parse(b []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("plan: parsing JSON: %w", err)
	}
	if p.Version != Version {
		return nil, fmt.Errorf("plan: version %d is not supported (want %d)", p.Version, Version)
	}
	return &p, nil
}

// Find returns the resources of the given type token whose logical name is name, or every
// resource of that type when name is empty.
func (p *Plan) Find(typ, name string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Type == typ && (name == "" || r.Name == name) {
			out = append(out, r)
		}
	}
	return out
}

// Get returns the one resource of the given type and logical name.
func (p *Plan) Get(typ, name string) (Resource, error) {
	found := p.Find(typ, name)
	if len(found) != 1 {
		return Resource{}, fmt.Errorf("plan: %d resources of type %s named %q, want 1", len(found), typ, name)
	}
	return found[0], nil
}

// Children returns the resources whose parent is urn.
func (p *Plan) Children(urn string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Parent == urn {
			out = append(out, r)
		}
	}
	return out
}

// CountByType counts the resources of each type.
func (p *Plan) CountByType() map[string]int {
	counts := map[string]int{}
	for _, r := range p.Resources {
		counts[r.Type]++
	}
	return counts
}

// String returns an input as a string, or "" when it is absent or not a string.
func (r Resource) String(key string) string {
	s, _ := r.Inputs[key].(string)
	return s
}
