package local

import (
	"context"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// NewServer serves p over the provider protocol: plugin.NewProviderServer, with its diff
// responses completed as pulumi-aws sends them. The SDK's server sends the detailed diff
// without saying it has one (so the engine would ignore it), turns a delete-replace into a
// plain delete, and lists property paths where the protocol wants top-level keys.
func NewServer(p *Provider) pulumirpc.ResourceProviderServer {
	return server{plugin.NewProviderServer(p)}
}

type server struct {
	pulumirpc.ResourceProviderServer
}

// Diff completes the SDK server's diff response.
func (s server) Diff(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	resp, err := s.ResourceProviderServer.Diff(ctx, req)
	if err != nil || resp == nil || len(resp.GetDetailedDiff()) == 0 {
		return resp, err
	}
	resp.HasDetailedDiff = true
	for _, path := range resp.GetReplaces() {
		if d := resp.GetDetailedDiff()[path]; d != nil && d.GetKind() == pulumirpc.PropertyDiff_DELETE {
			d.Kind = pulumirpc.PropertyDiff_DELETE_REPLACE
		}
	}
	resp.Diffs, resp.Replaces = topLevel(resp.GetDiffs()), topLevel(resp.GetReplaces())
	return resp, nil
}

// topLevel is the sorted set of top-level keys of property paths.
func topLevel(paths []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, p := range paths {
		key := p
		if parsed, err := resource.ParsePropertyPath(p); err == nil && len(parsed) > 0 {
			if k, ok := parsed[0].(string); ok {
				key = k
			}
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}
