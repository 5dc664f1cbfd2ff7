package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/stratum-platform/stratum/platform/plan"
)

// maxSeeds bounds the fresh ids tried for a resource whose generated id is taken.
const maxSeeds = 100

// lambdaFunction is the type whose published version an update advances.
const lambdaFunction = "aws:lambda/function:Function"

// Create adds the resource to the account with the shared answer's id and attributes. A
// physical name the account already holds fails as AWS does; a generated id that is taken
// (a replacement created beside the resource it replaces) is derived afresh. A preview
// creates nothing and leaves the computed attributes unknown.
func (p *Provider) Create(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
	typ, urn, name := string(req.Type), string(req.URN), logicalName(req.Name, req.URN)
	if _, err := p.rules.lookup(typ); err != nil {
		return plugin.CreateResponse{}, err
	}
	region, account, err := p.where()
	if err != nil {
		return plugin.CreateResponse{}, err
	}
	in := plainMap(req.Properties)
	if req.Preview {
		_, computed, err := plan.Answer(typ, name, urn, in, region, account)
		if err != nil {
			return plugin.CreateResponse{}, fmt.Errorf("local: %w", err)
		}
		return plugin.CreateResponse{Properties: previewState(req.Properties, computed, nil)}, nil
	}
	if err := p.fault(urn); err != nil {
		return plugin.CreateResponse{}, err
	}
	var resp plugin.CreateResponse
	err = p.change(func(a *Account) error {
		seed := urn
		for n := 2; n <= maxSeeds; n++ {
			id, computed, err := plan.Answer(typ, name, seed, in, region, account)
			if err != nil {
				return fmt.Errorf("local: %w", err)
			}
			ident := p.rules.identify(typ, name, id, in, computed)
			if ident.unique && a.byName(typ, ident.scope, ident.name) >= 0 {
				return alreadyExists(typ, ident, account)
			}
			if !ident.unique && !sharedID(typ) && a.find(typ, id, ident.scope) >= 0 {
				seed = urn + "#" + strconv.Itoa(n)
				continue
			}
			if rel, ok := releaseRequest(in); ok && typ == lambdaInvocation {
				resp, err := p.release(a, rel, seed)
				if err != nil {
					return err
				}
				result, err := json.Marshal(resp)
				if err != nil {
					return fmt.Errorf("local: %w", err)
				}
				computed["result"] = string(result)
			}
			state := withComputed(req.Properties, computed)
			outputs, err := encodeState(state)
			if err != nil {
				return err
			}
			e := Entry{Type: typ, Name: ident.name, Scope: ident.scope, ID: id, URN: urn, Outputs: outputs}
			if seed != urn {
				e.Seed = seed
			}
			a.put(-1, e)
			resp = plugin.CreateResponse{ID: resource.ID(id), Properties: state, Status: resource.StatusOK}
			return nil
		}
		return fmt.Errorf("local: %s %q: no free id after %d tries", typ, name, maxSeeds)
	})
	return resp, err
}

// Read returns the stored state of the resource, or an empty id when it is gone.
func (p *Provider) Read(_ context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
	path, err := p.accountPath()
	if err != nil {
		return plugin.ReadResponse{}, err
	}
	a, err := LoadAccount(path)
	if err != nil {
		return plugin.ReadResponse{}, err
	}
	i := a.findFor(string(req.Type), string(req.ID), scopeFrom(string(req.Type), req.Inputs, req.State), string(req.URN))
	if i < 0 {
		return plugin.ReadResponse{Status: resource.StatusOK}, nil
	}
	state, err := a.Resources[i].State()
	if err != nil {
		return plugin.ReadResponse{}, err
	}
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: req.Inputs, Outputs: state},
		Status: resource.StatusOK}, nil
}

// Update stores the new state of an existing resource; an id the account does not hold is
// an error naming it. A Lambda function that publishes gets its next version.
func (p *Provider) Update(_ context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
	typ, urn, id, name := string(req.Type), string(req.URN), string(req.ID), logicalName(req.Name, req.URN)
	if _, err := p.rules.lookup(typ); err != nil {
		return plugin.UpdateResponse{}, err
	}
	region, account, err := p.where()
	if err != nil {
		return plugin.UpdateResponse{}, err
	}
	in := plainMap(req.NewInputs)
	publishes := typ == lambdaFunction && unwrap(req.NewInputs["publish"]).V == true && codeOrConfigChanged(req)
	if req.Preview {
		seed := p.seedOf(typ, id, scopeFrom(typ, req.OldInputs, req.OldOutputs), urn)
		_, computed, err := plan.Answer(typ, name, seed, in, region, account)
		if err != nil {
			return plugin.UpdateResponse{}, fmt.Errorf("local: %w", err)
		}
		keepVersion(typ, computed, req.OldOutputs)
		state := previewState(req.NewInputs, computed, req.OldOutputs)
		if publishes {
			for _, k := range versionKeys() {
				state[resource.PropertyKey(k)] = resource.MakeComputed(resource.NewStringProperty(""))
			}
		}
		return plugin.UpdateResponse{Properties: state}, nil
	}
	if err := p.fault(urn); err != nil {
		return plugin.UpdateResponse{}, err
	}
	var resp plugin.UpdateResponse
	err = p.change(func(a *Account) error {
		i := a.findFor(typ, id, scopeFrom(typ, req.OldInputs, req.OldOutputs), urn)
		if i < 0 {
			return fmt.Errorf("local: %s %s does not exist in account %s (ResourceNotFoundException)", typ, id, account)
		}
		e := a.Resources[i]
		_, computed, err := plan.Answer(typ, name, e.seed(), in, region, account)
		if err != nil {
			return fmt.Errorf("local: %w", err)
		}
		keepVersion(typ, computed, req.OldOutputs)
		ident := p.rules.identify(typ, name, id, in, computed)
		if j := a.byName(typ, ident.scope, ident.name); ident.unique && j >= 0 && j != i {
			return alreadyExists(typ, ident, account)
		}
		state := withComputed(req.NewInputs, computed)
		if publishes {
			nextVersion(state, req.OldOutputs, region)
		}
		if e.Outputs, err = encodeState(state); err != nil {
			return err
		}
		e.Name, e.Scope = ident.name, ident.scope
		a.put(i, e)
		resp = plugin.UpdateResponse{Properties: state, Status: resource.StatusOK}
		return nil
	})
	return resp, err
}

// Delete removes the resource from the account; one that is already gone is not an error.
func (p *Provider) Delete(_ context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
	err := p.change(func(a *Account) error {
		a.removeAt(a.findFor(string(req.Type), string(req.ID), scopeFrom(string(req.Type), req.Inputs, req.Outputs), string(req.URN)))
		return nil
	})
	return plugin.DeleteResponse{Status: resource.StatusOK}, err
}

// accountPath is the account file, or an error saying how to name it.
func (p *Provider) accountPath() (string, error) {
	if p.opts.AccountPath == "" {
		return "", errors.New("local: " + EnvAccount + " is not set: it names the JSON file of the local account " +
			"(Stratum's local mode sets it)")
	}
	return p.opts.AccountPath, nil
}

// change runs fn on the account under this process's mutex and the account's file lock.
func (p *Provider) change(fn func(*Account) error) error {
	path, err := p.accountPath()
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return change(path, fn)
}

// seedOf is what the generated ids of an existing resource derive from, read from the
// account when it can be (previews work without one), else the URN.
func (p *Provider) seedOf(typ, id, scope, urn string) string {
	path, err := p.accountPath()
	if err != nil {
		return urn
	}
	a, err := LoadAccount(path)
	if err != nil {
		return urn
	}
	if i := a.find(typ, id, scope); i >= 0 {
		return a.Resources[i].seed()
	}
	return urn
}

// scopeFrom is the scope of a resource of typ given its inputs, or its outputs when the
// inputs are empty.
func scopeFrom(typ string, inputs, outputs resource.PropertyMap) string {
	if len(inputs) == 0 {
		inputs = outputs
	}
	return scopeOf(typ, plainMap(inputs))
}

// alreadyExists is AWS's refusal of a second resource with a physical name.
func alreadyExists(typ string, ident identity, account string) error {
	if typ == "aws:dynamodb/table:Table" {
		return fmt.Errorf("local: ResourceInUseException: Table already exists: %s", ident.name)
	}
	name := ident.name
	if ident.scope != "" {
		name += " (" + ident.scope + ")"
	}
	return fmt.Errorf("local: %s %s already exists in account %s (ResourceAlreadyExistsException)", typ, name, account)
}

// withComputed is the state after a create or update: the inputs with the computed
// attributes over them.
func withComputed(inputs resource.PropertyMap, computed map[string]any) resource.PropertyMap {
	state := inputs.Copy()
	for k, v := range computed {
		state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	return state
}

// previewState is the state a preview shows: the inputs, and each computed attribute either
// as the old state has it (when the answer is unchanged) or unknown, as before a deployment.
func previewState(inputs resource.PropertyMap, computed map[string]any, old resource.PropertyMap) resource.PropertyMap {
	state := inputs.Copy()
	for k, v := range computed {
		key := resource.PropertyKey(k)
		answer := resource.NewPropertyValue(v)
		switch {
		case old != nil && old[key].DeepEquals(answer):
			state[key] = old[key]
		case inputs.HasValue(key):
		default:
			state[key] = resource.MakeComputed(resource.NewStringProperty(""))
		}
	}
	return state
}

// codeOrConfigChanged reports whether an update changes more than tags, which is when AWS
// publishes a new version of a function that publishes.
func codeOrConfigChanged(req plugin.UpdateRequest) bool {
	for _, l := range diffInputs(req.OldInputs, req.OldOutputs, req.NewInputs) {
		if k := l.key(); k != "tags" && k != "tagsAll" {
			return true
		}
	}
	return false
}

// versionKeys are the attributes of a Lambda function that name its published version.
func versionKeys() []string { return []string{"version", "qualifiedArn", "qualifiedInvokeArn"} }

// keepVersion keeps a Lambda function's published version through an update: the shared
// answer is the first version, the old state has the current one.
func keepVersion(typ string, computed map[string]any, old resource.PropertyMap) {
	if typ != lambdaFunction {
		return
	}
	for _, k := range versionKeys() {
		if v := unwrap(old[resource.PropertyKey(k)]); v.IsString() {
			computed[k] = v.StringValue()
		}
	}
}

// logicalName is the resource's logical name, from the request or its URN.
func logicalName(name string, urn resource.URN) string {
	if name == "" && urn.IsValid() {
		return urn.Name()
	}
	return name
}

// nextVersion gives a function the version after its old one, and the qualified ARNs of it.
func nextVersion(state, old resource.PropertyMap, region string) {
	n := 1
	if v := unwrap(old["version"]); v.IsString() {
		if i, err := strconv.Atoi(v.StringValue()); err == nil {
			n = i
		}
	}
	arn := unwrap(state["arn"])
	if !arn.IsString() {
		return
	}
	qualified := arn.StringValue() + ":" + strconv.Itoa(n+1)
	state["version"] = resource.NewStringProperty(strconv.Itoa(n + 1))
	state["qualifiedArn"] = resource.NewStringProperty(qualified)
	state["qualifiedInvokeArn"] = resource.NewStringProperty(plan.InvokeArn(region, qualified))
}
