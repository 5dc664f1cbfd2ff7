package config_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
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

// publicKeyPEM returns the PEM of a new RSA public key of bits.
func publicKeyPEM(t *testing.T, bits int) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// TestParsePortalSignIn: a client id and the public key turn sign-in on, alone or with an
// allow-list; public with sign-in, either without the other, sign-in without a portal and
// a key that is not RSA 2048 are refused, all at once.
func TestParsePortalSignIn(t *testing.T) {
	key := publicKeyPEM(t, 2048)
	c, err := config.Parse("platform", "dev", withDomains(map[string]string{
		config.KeyHostedZoneID: "Z0123456789ABCDEFGHIJ", config.KeyPortalDomain: "developer.acme.example",
		config.KeyPortalClientID: "0oa1portal", config.KeyPortalSigningPublicKey: key,
	}))
	require.NoError(t, err)
	assert.Equal(t, "0oa1portal", c.Domains.PortalClientID)
	assert.Equal(t, key, c.Domains.PortalSigningPublicKey)

	_, err = config.Parse("platform", "dev", withDomains(map[string]string{
		config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
		config.KeyPortalClientID: "0oa1portal", config.KeyPortalSigningPublicKey: key, config.KeyPortalAllowedCIDRs: `["10.0.0.0/8"]`,
	}))
	require.NoError(t, err, "sign-in from the allowed networks")

	for name, tc := range map[string]struct {
		set  map[string]string
		want []string
	}{
		"public and sign-in": {
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalClientID: "0oa1portal", config.KeyPortalSigningPublicKey: key, config.KeyPortalPublic: "true"},
			want: []string{"Pulumi.dev.yaml: stratum:portalPublic: is true, but stratum:portalClientId restricts the portal to signed-in readers; set one of them"},
		},
		"a client without its key, a bad client id": {
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalClientID: "my client"},
			want: []string{
				`Pulumi.dev.yaml: stratum:portalClientId: "my client" is not an OIDC client id: 1 to 255 visible ASCII characters without spaces`,
				"stratum:portalDomain needs stratum:portalAllowedCidrs (the networks that may read it), stratum:portalClientId (the readers who sign in) or stratum:portalPublic: true (everyone may): who reads the API documentation is a decision, not a default",
			},
		},
		"a key without a client, too short": {
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalPublic: "true", config.KeyPortalSigningPublicKey: publicKeyPEM(t, 1024)},
			want: []string{"Pulumi.dev.yaml: stratum:portalSigningPublicKey: is not the PEM of an RSA 2048 public key (openssl rsa -pubout)"},
		},
		"a key without a client": {
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalPublic: "true", config.KeyPortalSigningPublicKey: key},
			want: []string{"stratum:portalSigningPublicKey needs stratum:portalClientId: the key signs the cookies of a sign-in"},
		},
		"a client without a key, not PEM": {
			set: map[string]string{config.KeyHostedZoneID: "Z1", config.KeyPortalDomain: "developer.acme.example",
				config.KeyPortalClientID: "0oa1portal", config.KeyPortalSigningPublicKey: "ssh-rsa AAAA"},
			want: []string{
				"Pulumi.dev.yaml: stratum:portalSigningPublicKey: is not the PEM of an RSA 2048 public key (openssl rsa -pubout)",
				"stratum:portalClientId needs stratum:portalSigningPublicKey: CloudFront verifies the sign-in's cookies with it",
			},
		},
		"sign-in without a portal": {
			set:  map[string]string{config.KeyPortalClientID: "0oa1portal", config.KeyPortalSigningPublicKey: key},
			want: []string{"stratum:portalClientId needs stratum:portalDomain: there is no portal to sign in to"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := config.Parse("platform", "dev", withDomains(tc.set))
			require.Error(t, err)
			assert.Equal(t, tc.want, strings.Split(err.Error(), "\n"))
		})
	}
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
			want: []string{"stratum:portalDomain needs stratum:portalAllowedCidrs (the networks that may read it), stratum:portalClientId (the readers who sign in) or stratum:portalPublic: true (everyone may): who reads the API documentation is a decision, not a default"},
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
