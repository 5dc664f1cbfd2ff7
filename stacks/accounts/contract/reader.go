package contract

import (
	"bytes"
	"encoding/json"
	"strings"
)

// ReaderRoleName returns the name of the role a customer creates in each registered account
// for the platform of environment env to assume: stratum-<env>-inventory-reader. A fixed
// name per environment lets the platform's grant name it exactly, and keeps dev's scan out
// of the roles a customer made for prod.
func ReaderRoleName(env string) string {
	return "stratum-" + env + "-inventory-reader"
}

// ReaderActions are the only calls the platform makes with the reader role: listing the
// account's resources and their tags.
func ReaderActions() []string {
	return []string{"tag:GetResources"}
}

// ReaderTrustPolicy returns the trust policy a customer gives the reader role: only
// scanRoleArn (the inventory context's scan role, its stack output scanRoleArn) may assume
// it, only with externalID (the registration's externalId) as sts:ExternalId, which stops
// anyone else's registration of the account from using the role, and it may set a source
// identity (sts:SetSourceIdentity), which the platform sets to the tenant and environment
// so that the customer's CloudTrail names who read the account. The platform passes no
// session tags, so sts:TagSession is not needed.
func ReaderTrustPolicy(scanRoleArn, externalID string) string {
	return render(policyDocument{Version: "2012-10-17", Statement: []policyStatement{{
		Sid:       "StratumInventoryScan",
		Effect:    "Allow",
		Principal: map[string]string{"AWS": scanRoleArn},
		Action:    []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
		Condition: map[string]map[string]string{"StringEquals": {"sts:ExternalId": externalID}},
	}}})
}

// ReaderPermissionsPolicy returns the permissions policy a customer gives the reader role:
// ReaderActions, which the Resource Groups Tagging API authorizes on every resource only.
func ReaderPermissionsPolicy() string {
	return render(policyDocument{Version: "2012-10-17", Statement: []policyStatement{{
		Sid:      "StratumInventoryRead",
		Effect:   "Allow",
		Action:   ReaderActions(),
		Resource: "*",
	}}})
}

// policyDocument and policyStatement render IAM JSON with fields in the order AWS shows.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  string                       `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

func render(doc policyDocument) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the policy is read by IAM and people, never by a browser
	enc.SetIndent("", "  ")
	// Encode cannot fail: the document holds strings, slices and maps of strings only.
	_ = enc.Encode(doc)
	return strings.TrimSuffix(b.String(), "\n")
}
