package contract_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/stacks/accounts/contract"
)

const (
	scanRole   = "arn:aws:iam::111111111111:role/acme-prod-inventory-scan"
	externalID = "0123456789abcdef0123456789abcdef"
)

func TestReaderRoleName(t *testing.T) {
	if got := contract.ReaderRoleName("prod"); got != "stratum-prod-inventory-reader" {
		t.Errorf("ReaderRoleName(prod) = %q", got)
	}
}

func TestReaderTrustPolicy(t *testing.T) {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal map[string]string
			Action    []string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(contract.ReaderTrustPolicy(scanRole, externalID)), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Statement[0]
	if len(doc.Statement) != 1 || st.Effect != "Allow" || st.Principal["AWS"] != scanRole ||
		strings.Join(st.Action, ",") != "sts:AssumeRole,sts:SetSourceIdentity" ||
		st.Condition["StringEquals"]["sts:ExternalId"] != externalID {
		t.Errorf("trust policy = %+v, want the scan role only, with the external id", doc)
	}
}

// TestReadmeShowsThePolicies keeps the policies the README tells customers to use equal to
// the contract's.
func TestReadmeShowsThePolicies(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, policy := range map[string]string{
		"trust policy":       contract.ReaderTrustPolicy(scanRole, externalID),
		"permissions policy": contract.ReaderPermissionsPolicy(),
	} {
		if !strings.Contains(string(readme), "```json\n"+policy+"\n```") {
			t.Errorf("README.md does not show the %s:\n%s", name, policy)
		}
	}
}
