package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxSessionIdentity is the longest role session name, and source identity, that STS
// accepts.
const maxSessionIdentity = 64

// sessionIdentity returns the role session name and source identity of a scan for tenant in
// env, "stratum-<env>-<tenant>", which the customer's CloudTrail records with every call of
// the session. STS accepts 2 to 64 characters of [A-Za-z0-9_+=,.@-]; when the tenant id has
// other characters, or the name is too long, they are replaced by "-", the name is cut, and
// it ends in a hash of the tenant id, so that two tenants never share an identity.
func sessionIdentity(env, tenant string) string {
	name := "stratum-" + env + "-" + tenant
	clean := strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_+=,.@-", r)) {
			return r
		}
		return '-'
	}, name)
	if clean == name && len(name) <= maxSessionIdentity {
		return name
	}
	sum := sha256.Sum256([]byte(tenant))
	suffix := "-" + hex.EncodeToString(sum[:4])
	return clean[:min(len(clean), maxSessionIdentity-len(suffix))] + suffix
}
