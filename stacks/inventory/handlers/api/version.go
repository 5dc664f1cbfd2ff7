package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	"github.com/stratum-platform/stratum/stacks/inventory/api"
)

// The major versions of the API the handler serves. One handler serves both, each from its
// own function with its own API_VERSION: the two versions' routes have the same route key,
// so a request alone cannot say which it is for.
const (
	version1 = "1"
	version2 = "2"
)

// spec returns the contract of version.
func spec(version string) (*openapi.Spec, error) {
	var data []byte
	switch version {
	case version1:
		data = api.V1
	case version2:
		data = api.V2
	default:
		return nil, fmt.Errorf("API_VERSION %q is not a version of the API; allowed %s, %s", version, version1, version2)
	}
	return openapi.Load(data)
}

// servicePage is a page as version 2 answers it: the page's resources grouped by service.
type servicePage struct {
	AccountID string         `json:"accountId"`
	Services  []serviceEntry `json:"services"`
	Next      string         `json:"next,omitempty"`
}

// serviceEntry is the resources of one service on a page.
type serviceEntry struct {
	Service   string       `json:"service"`
	Resources []resourceV2 `json:"resources"`
}

// resourceV2 is a resource as version 2 names its fields.
type resourceV2 struct {
	ARN          string            `json:"arn"`
	Type         string            `json:"type"`
	Tags         map[string]string `json:"tags"`
	DiscoveredAt string            `json:"discoveredAt"`
}

// grouped returns p as version 2 answers it: services in name order, each with its resources
// in the page's (ARN) order.
func grouped(p page) servicePage {
	out := servicePage{AccountID: p.AccountID, Next: p.Next, Services: []serviceEntry{}}
	for _, r := range p.Items {
		name := serviceOf(r.ResourceArn)
		i := slices.IndexFunc(out.Services, func(s serviceEntry) bool { return s.Service == name })
		if i < 0 {
			out.Services = append(out.Services, serviceEntry{Service: name})
			i = len(out.Services) - 1
		}
		out.Services[i].Resources = append(out.Services[i].Resources,
			resourceV2{ARN: r.ResourceArn, Type: r.ResourceType, Tags: r.Tags, DiscoveredAt: r.DiscoveredAt})
	}
	slices.SortStableFunc(out.Services, func(a, b serviceEntry) int { return cmp.Compare(a.Service, b.Service) })
	return out
}

// serviceOf is the service an ARN names: arn:partition:service:...
func serviceOf(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 || parts[2] == "" {
		return "unknown"
	}
	return parts[2]
}
