// Package contract is what other contexts may use of the accounts context: the outputs of its
// stack, the events it publishes and the direct-invocation API of its connection function.
// It imports nothing from Pulumi: handlers share it.
package contract

import (
	"time"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Project is the accounts context's Pulumi project name.
const Project = "accounts"

// Source is the source of the events the accounts context publishes.
const Source = "stratum.accounts"

// Outputs of the accounts stack.
var (
	// EventsTopicArn is the topic AccountConnected and AccountDisconnected are published on.
	EventsTopicArn = contract.NewString(Project, "eventsTopicArn")
	// ConnectionFunctionArn is the `live` alias of the function that returns an account's
	// connection details by direct invocation (ConnectionRequest -> ConnectionResponse).
	ConnectionFunctionArn = contract.NewString(Project, "connectionFunctionArn")
	// APIURL is the base URL of the accounts HTTP API.
	APIURL = contract.NewString(Project, "apiUrl")
)

// ReaderRoleName is the role a customer creates in each registered account for the platform to
// assume (with the account's external id): arn:aws:iam::<externalAccountId>:role/<ReaderRoleName>.
// A fixed name lets the platform's grant name it exactly instead of any role.
const ReaderRoleName = "stratum-inventory-reader"

// Event types and their current versions.
const (
	AccountConnectedType       = "AccountConnected"
	AccountConnectedVersion    = 1
	AccountDisconnectedType    = "AccountDisconnected"
	AccountDisconnectedVersion = 1
)

// AccountConnected is published when a customer registers a cloud account.
type AccountConnected struct {
	// Version is AccountConnectedVersion.
	Version           int       `json:"version"`
	AccountID         string    `json:"accountId"`
	TenantID          string    `json:"tenantId"`
	Name              string    `json:"name"`
	Provider          string    `json:"provider"`
	ExternalAccountID string    `json:"externalAccountId"`
	ConnectedAt       time.Time `json:"connectedAt"`
}

// AccountDisconnected is published when a customer removes a cloud account.
type AccountDisconnected struct {
	// Version is AccountDisconnectedVersion.
	Version        int       `json:"version"`
	AccountID      string    `json:"accountId"`
	TenantID       string    `json:"tenantId"`
	DisconnectedAt time.Time `json:"disconnectedAt"`
}

// ConnectionRequest is the payload of a direct invocation of the connection function.
type ConnectionRequest struct {
	AccountID string `json:"accountId"`
}

// ConnectionResponse is what the connection function returns: how to reach the account.
type ConnectionResponse struct {
	AccountID         string `json:"accountId"`
	Provider          string `json:"provider"`
	ExternalAccountID string `json:"externalAccountId"`
	// RoleArn is the role in the customer's account that the platform assumes, with
	// ExternalID as the sts:ExternalId.
	RoleArn    string `json:"roleArn"`
	ExternalID string `json:"externalId"`
	// Error is set, and the other fields empty, when the account is unknown.
	Error string `json:"error,omitempty"`
}
