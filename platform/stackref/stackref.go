// Package stackref is how projects publish and read stack outputs: Export records an output
// so that the offline plan sees it as the Pulumi engine does.
package stackref

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Sink receives stack outputs as they resolve. The offline plan engine is one.
type Sink interface {
	RecordOutput(name string, value any, secret bool)
}

type sinkKey struct{}

// WithSink returns a context whose exports are also reported to sink.
func WithSink(ctx *pulumi.Context, sink Sink) *pulumi.Context {
	return ctx.WithValue(sinkKey{}, sink)
}

// Export exports value as the stack output name. Programs export through it rather than
// ctx.Export so that offline plans record the output (the SDK's mocks drop stack outputs).
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
