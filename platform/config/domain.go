package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// Keys of the platform's custom domains, read only by the platform project: its stack owns
// the certificates, the API Gateway domain and the hosted developer portal of its environment.
const (
	KeyAPIDomain          = "stratum:apiDomain"
	KeyHostedZoneID       = "stratum:hostedZoneId"
	KeyPortalDomain       = "stratum:portalDomain"
	KeyPortalAllowedCIDRs = "stratum:portalAllowedCidrs"
	KeyPortalPublic       = "stratum:portalPublic"
	// KeyPortalClientID turns sign-in on: the portal's OIDC client at stratum:jwtIssuer.
	KeyPortalClientID = "stratum:portalClientId"
	// KeyPortalSigningPublicKey is the PEM of the RSA 2048 public key CloudFront verifies the
	// signed cookies with; its private half is the sign-in secret's value.
	KeyPortalSigningPublicKey = "stratum:portalSigningPublicKey"
)

// Domains are the platform project's custom domains; empty in every other project.
type Domains struct {
	// API is the regional custom domain every context's HTTP APIs are mapped onto
	// (<context>/v<N>); empty for none, and then APIs are reached at their default endpoint.
	API string
	// HostedZoneID is the public Route 53 zone that holds the domains' records and the
	// certificates' DNS validation records.
	HostedZoneID string
	// Portal is the developer portal's domain (CloudFront); empty for no hosted portal.
	Portal string
	// PortalAllowedCIDRs are the only networks the portal answers (a WAF IP set); empty with
	// PortalPublic.
	PortalAllowedCIDRs []string
	// PortalPublic serves the portal to everyone: a decision stated in config, not a default.
	PortalPublic bool
	// PortalClientID is the portal's OpenID Connect client at the platform's JWT issuer (a
	// public client with PKCE, no secret); set, only signed-in readers get pages. Empty for no
	// sign-in.
	PortalClientID string
	// PortalSigningPublicKey is the PEM of the RSA 2048 public key of CloudFront's key group,
	// with PortalClientID.
	PortalSigningPublicKey string
}

// hostedZonePattern is a Route 53 hosted zone id.
var hostedZonePattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// domainKeys lists the domain keys, sorted.
func domainKeys() []string {
	return []string{KeyAPIDomain, KeyHostedZoneID, KeyPortalAllowedCIDRs, KeyPortalClientID, KeyPortalDomain,
		KeyPortalPublic, KeyPortalSigningPublicKey}
}

// domains parses the platform project's domains; in another project they are refused by ci
// with the other platform keys.
func (p *parser) domains(platform bool) Domains {
	if !platform {
		return Domains{}
	}
	d := Domains{
		API:          p.fqdn(KeyAPIDomain),
		HostedZoneID: p.match(KeyHostedZoneID, false, hostedZonePattern, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"),
		Portal:       p.fqdn(KeyPortalDomain),
		PortalPublic: p.boolean(KeyPortalPublic),
		PortalClientID: p.match(KeyPortalClientID, false, clientIDPattern,
			"an OIDC client id: 1 to 255 visible ASCII characters without spaces"),
		PortalSigningPublicKey: p.signingPublicKey(KeyPortalSigningPublicKey),
	}
	for _, cidr := range p.list(KeyPortalAllowedCIDRs) {
		prefix, err := netip.ParsePrefix(cidr)
		if err != nil || prefix.Masked() != prefix {
			p.failValue(KeyPortalAllowedCIDRs, cidr, "a network in CIDR notation such as 203.0.113.0/24 or 2001:db8::/32 (no host bits)")
			continue
		}
		d.PortalAllowedCIDRs = append(d.PortalAllowedCIDRs, cidr)
	}
	if (d.API != "" || d.Portal != "") && d.HostedZoneID == "" && !p.masked(KeyHostedZoneID) {
		p.errs = append(p.errs, fmt.Errorf("%s is required with %s or %s: the zone holds the domains' records "+
			"and their certificates' validation", KeyHostedZoneID, KeyAPIDomain, KeyPortalDomain))
	}
	if d.API != "" && d.API == d.Portal {
		p.fail(KeyPortalDomain, "%q is also %s; the portal and the APIs need a domain each", d.Portal, KeyAPIDomain)
	}
	signIn := d.PortalClientID != ""
	switch {
	case signIn && d.PortalSigningPublicKey == "" && !p.masked(KeyPortalSigningPublicKey):
		p.errs = append(p.errs, fmt.Errorf("%s needs %s: CloudFront verifies the sign-in's cookies with it",
			KeyPortalClientID, KeyPortalSigningPublicKey))
	case !signIn && d.PortalSigningPublicKey != "" && !p.masked(KeyPortalClientID):
		p.errs = append(p.errs, fmt.Errorf("%s needs %s: the key signs the cookies of a sign-in",
			KeyPortalSigningPublicKey, KeyPortalClientID))
	}
	switch {
	case d.Portal == "" && signIn:
		p.errs = append(p.errs, fmt.Errorf("%s needs %s: there is no portal to sign in to", KeyPortalClientID, KeyPortalDomain))
	case signIn && d.PortalPublic:
		p.fail(KeyPortalPublic, "is true, but %s restricts the portal to signed-in readers; set one of them", KeyPortalClientID)
	}
	switch {
	case d.Portal == "" && (len(d.PortalAllowedCIDRs) > 0 || d.PortalPublic):
		p.errs = append(p.errs, fmt.Errorf("%s and %s need %s: there is no portal to open", KeyPortalAllowedCIDRs,
			KeyPortalPublic, KeyPortalDomain))
	case d.Portal != "" && len(d.PortalAllowedCIDRs) > 0 && d.PortalPublic:
		p.fail(KeyPortalPublic, "is true, but %s restricts the portal; set one of them", KeyPortalAllowedCIDRs)
	case d.Portal != "" && len(d.PortalAllowedCIDRs) == 0 && !d.PortalPublic && !signIn:
		p.errs = append(p.errs, fmt.Errorf("%s needs %s (the networks that may read it), %s (the readers who sign in) "+
			"or %s: true (everyone may): who reads the API documentation is a decision, not a default",
			KeyPortalDomain, KeyPortalAllowedCIDRs, KeyPortalClientID, KeyPortalPublic))
	}
	return d
}

// clientIDPattern is an OAuth client id: visible ASCII (RFC 6749's VSCHAR without space).
var clientIDPattern = regexp.MustCompile(`^[!-~]{1,255}$`)

// signingPublicKey reads the PEM of an RSA public key of 2048 bits, the only size CloudFront
// takes for a key group's keys.
func (p *parser) signingPublicKey(key string) string {
	v := strings.TrimSpace(p.str(key, false))
	if v == "" || p.masked(key) {
		return v
	}
	const allowed = "the PEM of an RSA 2048 public key (openssl rsa -pubout)"
	block, rest := pem.Decode([]byte(v))
	if block == nil || strings.TrimSpace(string(rest)) != "" {
		p.fail(key, "is not %s", allowed)
		return ""
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	rsaKey, ok := pub.(*rsa.PublicKey)
	if err != nil || !ok || rsaKey.N.BitLen() != 2048 {
		p.fail(key, "is not %s", allowed)
		return ""
	}
	return v + "\n"
}

// fqdn reads a fully qualified, lowercase DNS name.
func (p *parser) fqdn(key string) string {
	v := p.str(key, false)
	if v == "" || p.masked(key) {
		return v
	}
	labels := strings.Split(v, ".")
	valid := len(v) <= 253 && len(labels) >= 2
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") ||
			strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			valid = false
		}
	}
	if !valid {
		p.failValue(key, v, "a fully qualified domain name of lowercase labels such as api.dev.example.com")
		return ""
	}
	return v
}
