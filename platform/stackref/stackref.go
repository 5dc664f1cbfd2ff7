// Package stackref is how projects publish and read stack outputs, typed by the producer's
// contract: Export* publishes an output so that the offline plan sees it as the Pulumi engine
// does; Reference reads another project's outputs through a StackReference.
package stackref

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Sink receives stack outputs as they resolve. The offline plan engine is one.
type Sink interface {
	RecordOutput(name string, value any, secret bool)
}

type sinkKey struct{}

// WithSink returns a context whose exports are also reported to sink.
func WithSink(ctx *pulumi.Context, sink Sink) *pulumi.Context {
	return ctx.WithValue(sinkKey{}, sink)
}

// ExportString exports a string output declared by the project's contract. An output
// declared by another project fails the run: a stack exports only its own contract.
func ExportString(ctx *pulumi.Context, out contract.String, value pulumi.StringInput) {
	Export(ctx, out.Name(), own(ctx, out.Project(), out.Name(), value))
}

// ExportStringList exports a list-of-strings output declared by the project's contract,
// with the same check as ExportString.
func ExportStringList(ctx *pulumi.Context, out contract.StringList, value pulumi.StringArrayInput) {
	Export(ctx, out.Name(), own(ctx, out.Project(), out.Name(), value))
}

// own returns value, or an output that fails when project is not the running project.
func own(ctx *pulumi.Context, project, name string, value pulumi.Input) pulumi.Input {
	if project == ctx.Project() {
		return value
	}
	return pulumi.ToOutput(value).ApplyT(func(any) (any, error) {
		return nil, fmt.Errorf("output %q is declared by project %s; project %s cannot export it", name, project, ctx.Project())
	})
}

// Export exports value as the stack output name. Programs export through it (or the typed
// Export* functions) rather than ctx.Export so that offline plans record the output: the
// SDK's mocks drop stack outputs.
func Export(ctx *pulumi.Context, name string, value pulumi.Input) {
	sink, ok := ctx.Value(sinkKey{}).(Sink)
	if !ok {
		ctx.Export(name, value)
		return
	}
	// Exporting the apply (not the value) makes the engine await it before the run ends, and
	// an apply keeps its input's secretness. The input has resolved when the apply runs, so
	// IsSecret does not block.
	out := pulumi.ToOutput(value)
	ctx.Export(name, out.ApplyT(func(v any) any {
		sink.RecordOutput(name, v, pulumi.IsSecret(out))
		return v
	}))
}

// Reference reads the outputs of another project's stack.
type Reference struct {
	name    string
	project string
	ref     *pulumi.StackReference
}

// StackName returns the fully qualified stack name of project in the same organization and
// environment as platformStack ("org/platform/env" gives "org/<project>/env").
func StackName(platformStack, project string) string {
	parts := strings.Split(platformStack, "/")
	if len(parts) < 2 {
		return project + "/" + platformStack
	}
	parts[len(parts)-2] = project
	return strings.Join(parts, "/")
}

// New references the stack with the given fully qualified name (see StackName).
func New(ctx *pulumi.Context, stack string, opts ...pulumi.ResourceOption) (*Reference, error) {
	ref, err := pulumi.NewStackReference(ctx, stack, nil, opts...)
	if err != nil {
		return nil, fmt.Errorf("stack reference %s: %w", stack, err)
	}
	parts := strings.Split(stack, "/")
	project := ""
	if len(parts) >= 2 {
		project = parts[len(parts)-2]
	}
	return &Reference{name: stack, project: project, ref: ref}, nil
}

// String reads a string output. An output of another project, or one the stack does not
// export, fails the deployment (and the offline plan) with an error that names the stack and
// the output.
func (r *Reference) String(out contract.String) pulumi.StringOutput {
	name := out.Name()
	return r.ref.Outputs.ApplyT(func(outs map[string]any) (string, error) {
		v, err := r.lookup(outs, out.Project(), name)
		if err != nil {
			return "", err
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("stack %s: output %q is %T, not a string", r.name, name, v)
		}
		return s, nil
	}).(pulumi.StringOutput)
}

// StringList reads a list-of-strings output, with the same errors as String.
func (r *Reference) StringList(out contract.StringList) pulumi.StringArrayOutput {
	name := out.Name()
	return r.ref.Outputs.ApplyT(func(outs map[string]any) ([]string, error) {
		v, err := r.lookup(outs, out.Project(), name)
		if err != nil {
			return nil, err
		}
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("stack %s: output %q is %T, not a list", r.name, name, v)
		}
		out := make([]string, len(list))
		for i, e := range list {
			if out[i], ok = e.(string); !ok {
				return nil, fmt.Errorf("stack %s: output %q[%d] is %T, not a string", r.name, name, i, e)
			}
		}
		return out, nil
	}).(pulumi.StringArrayOutput)
}

func (r *Reference) lookup(outs map[string]any, project, name string) (any, error) {
	if project != r.project {
		return nil, fmt.Errorf("stack %s: output %q is declared by project %s, not %s", r.name, name, project, r.project)
	}
	v, ok := outs[name]
	if !ok {
		return nil, fmt.Errorf("stack %s does not export %q; deploy a version of it that declares the output", r.name, name)
	}
	return v, nil
}

// Resolve waits for a string output's value: for a decision a program takes before it
// declares resources (whether the platform has a custom domain to map an API onto), which
// an Output cannot drive. It fails, as String does, for an output of another project or one
// the stack does not export.
func (r *Reference) Resolve(out contract.String) (string, error) {
	if out.Project() != r.project {
		return "", fmt.Errorf("stack %s: output %q is declared by project %s, not %s", r.name, out.Name(), out.Project(), r.project)
	}
	details, err := r.ref.GetOutputDetails(out.Name())
	if err != nil {
		return "", fmt.Errorf("stack %s: output %q: %w", r.name, out.Name(), err)
	}
	v := details.Value
	if v == nil {
		v = details.SecretValue
	}
	if v == nil {
		return "", fmt.Errorf("stack %s does not export %q; deploy a version of it that declares the output", r.name, out.Name())
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("stack %s: output %q is %T, not a string", r.name, out.Name(), v)
	}
	return s, nil
}
