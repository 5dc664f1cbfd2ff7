package plan

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mocks answers registrations and invokes like AWS would, deterministically: the same
// program gives the same ids, ARNs and URLs on every run.
type mocks struct {
	opts Options
	rec  *recorder

	// mu guards regions: the region of each explicit provider (a program's
	// aws.NewProvider for us-east-1), by the reference "<urn>::<id>" its resources carry.
	mu      sync.Mutex
	regions map[string]string
}

var _ pulumi.MockResourceMonitor = (*mocks)(nil)

// NewResource records the registration and answers with the inputs plus the attributes AWS
// computes for the type.
func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	parent, deps := rpc.GetParent(), rpc.GetDependencies()
	if args.ReadRPC != nil { // a read resource, such as a stack reference
		parent, deps = args.ReadRPC.GetParent(), args.ReadRPC.GetDependencies()
	}
	urn := m.urn(parent, args.TypeToken, args.Name)
	inputs := toPlain(args.Inputs)
	if strings.HasPrefix(args.TypeToken, providerPrefix) {
		// A provider is the engine's, not the program's: plans do not hold it (as the
		// engine's state export leaves it out), but what it creates is in its region.
		return m.provider(urn, args)
	}
	id, computed, err := m.answer(args.TypeToken, args.Name, urn, inputs, m.region(args.Provider))
	if err != nil {
		return "", nil, err
	}
	state := args.Inputs.Copy()
	for k, v := range computed {
		state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	outputs := map[string]any{}
	for k, v := range computed {
		outputs[k] = v
	}
	r := Resource{
		URN: urn, Type: args.TypeToken, Name: args.Name, Parent: parentOf(parent),
		Custom: args.Custom, Inputs: inputs, Outputs: outputs,
		Dependencies: sortedUnique(deps), Protect: rpc.GetProtect(),
		RetainOnDelete: rpc.GetRetainOnDelete(), DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		IgnoreChanges: sortedUnique(rpc.GetIgnoreChanges()),
	}
	m.rec.add(r)
	if args.TypeToken == TypeAWSXTrail {
		// A remote component's children come from its provider, which mocks do not run.
		if err := m.awsxChildren(r, m.region(args.Provider)); err != nil {
			return "", nil, err
		}
	}
	return id, state, nil
}

// Call answers the invokes Stratum programs make, with Invoke; any other invoke is an error
// rather than a silent zero value.
func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	out, err := Invoke(args.Token, m.region(args.Provider), m.opts.Account)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return resource.NewPropertyMapFromMap(out), nil
}

// urn builds the URN exactly as the SDK's mock monitor does, so recorded parents match.
func (m *mocks) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.opts.Stack), tokens.PackageName(m.opts.Project),
		parentType, tokens.Type(typ), name))
}

// parentOf drops the root stack as a parent: a top-level resource has no parent in a plan.
func parentOf(parent string) string {
	if p := resource.URN(parent); p != "" && p.QualifiedType() == resource.RootStackType {
		return ""
	}
	return parent
}

// answer returns the id and the computed attributes of a resource of type typ: a stack
// reference from Options.Reference (the engine serves those itself), anything else from Answer.
func (m *mocks) answer(typ, logical, urn string, in map[string]any, region string) (string, map[string]any, error) {
	if typ != "pulumi:pulumi:StackReference" {
		id, computed, err := Answer(typ, logical, urn, in, region, m.opts.Account)
		if err != nil {
			return "", nil, fmt.Errorf("plan: %w", err)
		}
		return id, computed, nil
	}
	name, _ := in["name"].(string)
	if name == "" {
		name = logical
	}
	if m.opts.Reference == nil {
		return "", nil, fmt.Errorf("plan: %s %q: stack reference %q cannot be resolved offline", typ, logical, name)
	}
	outs, err := m.opts.Reference(name)
	if err != nil {
		return "", nil, fmt.Errorf("plan: %s %q: %w", typ, logical, err)
	}
	return name, map[string]any{"name": name, "outputs": outs, "secretOutputNames": []any{}}, nil
}

// providerPrefix starts the type of every provider resource.
const providerPrefix = "pulumi:providers:"

// provider answers the registration of an explicit provider and remembers its region (its
// `region` input, else the plan's) for the resources and invokes that name it.
func (m *mocks) provider(urn string, args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id := hash(urn, 8)
	region := m.opts.Region
	if v := args.Inputs["region"]; v.IsString() && v.StringValue() != "" {
		region = v.StringValue()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.regions == nil {
		m.regions = map[string]string{}
	}
	m.regions[urn+"::"+id] = region
	return id, args.Inputs.Copy(), nil
}

// region is the region of the provider a resource or an invoke names ("<urn>::<id>"), or
// the plan's for the default provider.
func (m *mocks) region(provider string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.regions[provider]; ok {
		return r
	}
	return m.opts.Region
}

// toPlain turns a property map into JSON-friendly values: secrets masked, unknowns marked,
// archives and assets named by file, resource references by URN.
func toPlain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v.IsNull() {
			continue
		}
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return Unknown
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return toPlain(v.ObjectValue())
	case v.IsArchive():
		a := v.ArchiveValue()
		switch {
		case a.Path != "":
			return "[archive " + filepath.Base(a.Path) + "]"
		case a.URI != "":
			return "[archive " + a.URI + "]"
		}
		return "[archive]"
	case v.IsAsset():
		a := v.AssetValue()
		if a.Path != "" {
			return "[asset " + filepath.Base(a.Path) + "]"
		}
		return "[asset]"
	}
	return v.V
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
