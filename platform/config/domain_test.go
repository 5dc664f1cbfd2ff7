package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
)

// withDomains returns the valid platform config with set added, from Pulumi.dev.yaml.
func withDomains(set map[string]string) config.Raw {
	raw := validPlatform()
	for k, v := range set {
		raw[k] = config.Setting{Value: v, Source: "Pulumi.dev.yaml"}
	}
	return raw
}

func TestParseDomains(t *testing.T) {
	none, err := config.Parse("platform", "dev", validPlatform())
	require.NoError(t, err)
	assert.Equal(t, config.Domains{}, none.Domains, "no domain: APIs keep their default endpoints, no portal is hosted")

	c, err := config.Parse("platform", "dev", withDomains(map[string]string{
		config.KeyAPIDomain:          "api.dev.acme.example",
		config.KeyHostedZoneID:       "Z0123456789ABCDEFGHIJ",
		config.KeyPortalDomain:       "developer.dev.acme.example",
		config.KeyPortalAllowedCIDRs: `["203.0.113.0/24","2001:db8::/32"]`,
	}))
	require.NoError(t, err)
	assert.Equal(t, config.Domains{API: "api.dev.acme.example", HostedZoneID: "Z0123456789ABCDEFGHIJ",
		Portal: "developer.dev.acme.example", PortalAllowedCIDRs: []string{"203.0.113.0/24", "2001:db8::/32"}}, c.Domains)

	public, err := config.Parse("platform", "dev", withDomains(map[string]string{
		config.KeyHostedZoneID: "Z0123456789ABCDEFGHIJ", config.KeyPortalDomain: "developer.acme.example",
		config.KeyPortalPublic: "true",
	}))
	require.NoError(t, err)
	assert.True(t, public.Domains.PortalPublic)
}

func TestParseDomainsErrors(t *testing.T) {
	tests := []struct {
		name    string
		project string
		set     map[string]string
		want    []string
	}{
		{
			name: "malformed", project: "platform",
			set: map[string]string{
				config.KeyAPIDomain: "API.example", config.KeyHostedZoneID: "zone-1", config.KeyPortalDomain: "localhost",
				config.KeyPortalAllowedCIDRs: `["203.0.113.7/24","office"]`,
			},
			want: []string{
				`Pulumi.dev.yaml: stratum:apiDomain: "API.example" is not a fully qualified domain name of lowercase labels such as api.dev.example.com`,
				`Pulumi.dev.yaml: stratum:hostedZoneId: "zone-1" is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`,
				`Pulumi.dev.yaml: stratum:portalDomain: "localhost" is not a fully qualified domain name of lowercase labels such as api.dev.example.com`,
				`Pulumi.dev.yaml: stratum:portalAllowedCidrs: "203.0.113.7/24" is not a network in CIDR notation such as 203.0.113.0/24 or 2001:db8::/32 (no host bits)`,
				`Pulumi.dev.yaml: stratum:portalAllowedCidrs: "office" is not a network in CIDR notation such as 203.0.113.0/24 or 2001:db8::/32 (no host bits)`,
			},
		},
		{
			name: "a domain without a zone, and one domain for both", project: "platform",
			set: map[string]string{config.KeyAPIDomain: "api.acme.example", config.KeyPortalDomain: "api.acme.example",
				config.KeyPortalPublic: "true"},
			want: []string{
				"stratum:hostedZoneId is required with stratum:apiDomain or stratum:portalDomain: the zone holds the domains' records and their certificates' validation",
				`Pulumi.dev.yaml: stratum:portalDomain: "api.acme.example" is also stratum:apiDomain; the portal and the APIs need a domain each`,
			},
		},
		{
			name: "a portal nobody decided who reads", project: "platform",
			set:  map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example"},
			want: []string{"stratum:portalDomain needs stratum:portalAllowedCidrs (the networks that may read it) or stratum:portalPublic: true (everyone may): who reads the API documentation is a decision, not a default"},
		},
		{
			name: "restricted and public", project: "platform",
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalAllowedCIDRs: `["10.0.0.0/8"]`, config.KeyPortalPublic: "true"},
			want: []string{"Pulumi.dev.yaml: stratum:portalPublic: is true, but stratum:portalAllowedCidrs restricts the portal; set one of them"},
		},
		{
			name: "access without a portal", project: "platform",
			set:  map[string]string{config.KeyPortalAllowedCIDRs: `["10.0.0.0/8"]`},
			want: []string{"stratum:portalAllowedCidrs and stratum:portalPublic need stratum:portalDomain: there is no portal to open"},
		},
		{
			name: "in a context", project: "accounts",
			set: map[string]string{config.KeyAPIDomain: "api.acme.example", config.KeyHostedZoneID: "Z1"},
			want: []string{
				"Pulumi.dev.yaml: stratum:apiDomain: is read only by the platform project; remove it from project accounts",
				"Pulumi.dev.yaml: stratum:hostedZoneId: is read only by the platform project; remove it from project accounts",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := withDomains(tt.set)
			if tt.project != "platform" {
				raw = valid()
				for k, v := range tt.set {
					raw[k] = config.Setting{Value: v, Source: "Pulumi.dev.yaml"}
				}
			}
			_, err := config.Parse(tt.project, "dev", raw)
			require.Error(t, err)
			assert.Equal(t, tt.want, strings.Split(err.Error(), "\n"))
		})
	}
}
