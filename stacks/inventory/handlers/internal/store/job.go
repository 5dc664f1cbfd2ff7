package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// Job is a message of the scan queue: scan one tenant's registration of one account. The
// hourly dispatch sends one per connected registration, so that each account is scanned in
// its own invocation, with its own time budget, and a large one delays nobody else's.
type Job struct {
	TenantID   string `json:"tenantId"`
	AccountID  string `json:"accountId"`
	Generation int64  `json:"generation"`
}

// ParseJob returns the job in body, after checking every field; unknown fields are refused,
// because only the dispatch function writes jobs.
func ParseJob(body string) (Job, error) {
	var j Job
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Job{}, fmt.Errorf("scan job: %w", err)
	}
	fields := map[string]string{}
	if j.TenantID == "" {
		fields["tenantId"] = "is required"
	}
	if !ValidAccountID(j.AccountID) {
		fields["accountId"] = fmt.Sprintf("must be \"aws-\" followed by 12 digits, got %q", j.AccountID)
	}
	if j.Generation <= 0 {
		fields["generation"] = fmt.Sprintf("must be above 0, got %d", j.Generation)
	}
	if len(fields) > 0 {
		return Job{}, fmt.Errorf("scan job: %w", &lambdakit.ValidationError{Fields: fields})
	}
	return j, nil
}

// ValidAccountID reports whether id is an account id of the accounts context: "aws-" and the
// 12 digits of the AWS account. Nothing else may reach the tables, which rely on it holding
// no "#" (see PartitionKey).
func ValidAccountID(id string) bool {
	const prefix = "aws-"
	if len(id) != len(prefix)+12 || id[:len(prefix)] != prefix {
		return false
	}
	for _, c := range []byte(id[len(prefix):]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
