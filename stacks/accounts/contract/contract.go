// Package contract is what other contexts may use of the accounts context: the outputs of its
// stack, the events it publishes, the direct-invocation API of its connection and claim
// functions, and what a customer's reader role must look like. It imports nothing from
// Pulumi: handlers share it.
package contract

import (
	"time"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Project is the accounts context's Pulumi project name.
const Project = "accounts"

// Source is the source of the events the accounts context publishes; consumers refuse
// AccountConnected and AccountDisconnected from any other.
const Source = "stratum.accounts"

// Outputs of the accounts stack.
var (
	// EventsTopicArn is the topic AccountConnected and AccountDisconnected are published on.
	EventsTopicArn = contract.NewString(Project, "eventsTopicArn")
	// ConnectionFunctionArn is the `live` alias of the function that returns a registration's
	// connection details by direct invocation (ConnectionRequest -> ConnectionResponse).
	ConnectionFunctionArn = contract.NewString(Project, "connectionFunctionArn")
	// ClaimFunctionArn is the `live` alias of the function that makes a pending registration
	// the account's one active registration by direct invocation (ClaimRequest ->
	// ClaimResponse), once the platform has assumed the account's reader role with it.
	ClaimFunctionArn = contract.NewString(Project, "claimFunctionArn")
	// APIURL is the base URL of the accounts HTTP API.
	APIURL = contract.NewString(Project, "apiUrl")
)

// The statuses of a registration. A registration is pending until the platform has assumed
// the account's reader role with its external id, which only the account's owner can allow;
// the first registration to get there becomes active and stays the account's only active
// registration until it is removed. Until then, the account's inventory is nobody's.
const (
	StatusPending = "pending"
	StatusActive  = "active"
)

// Event types and their current versions.
const (
	AccountConnectedType       = "AccountConnected"
	AccountConnectedVersion    = 1
	AccountDisconnectedType    = "AccountDisconnected"
	AccountDisconnectedVersion = 1
)

// AccountConnected is published when a tenant registers a cloud account (Status pending)
// and again when the registration becomes the account's active one (Status active). Every
// event has a stable id derived from the change, so a consumer drops a redelivered one by
// its id, or by Generation and Status, which order the events of one registration.
type AccountConnected struct {
	// Version is AccountConnectedVersion.
	Version           int       `json:"version"`
	AccountID         string    `json:"accountId"`
	TenantID          string    `json:"tenantId"`
	Name              string    `json:"name"`
	Provider          string    `json:"provider"`
	ExternalAccountID string    `json:"externalAccountId"`
	ConnectedAt       time.Time `json:"connectedAt"`
	// Generation identifies the registration: a tenant that removes an account and
	// registers it again gets a greater one (the registration's creation time in Unix
	// milliseconds).
	Generation int64 `json:"generation"`
	// Status is StatusPending or StatusActive.
	Status string `json:"status"`
}

// AccountDisconnected is published when a tenant removes a registration, pending or active.
// It is the last event of that registration's generation.
type AccountDisconnected struct {
	// Version is AccountDisconnectedVersion.
	Version        int       `json:"version"`
	AccountID      string    `json:"accountId"`
	TenantID       string    `json:"tenantId"`
	DisconnectedAt time.Time `json:"disconnectedAt"`
	// Generation is the removed registration's, as in AccountConnected.
	Generation int64 `json:"generation"`
}

// ConnectionRequest is the payload of a direct invocation of the connection function: one
// tenant's registration of one account.
type ConnectionRequest struct {
	TenantID  string `json:"tenantId"`
	AccountID string `json:"accountId"`
}

// ConnectionResponse is what the connection function returns: how to reach the account for
// the tenant. A caller must check that TenantID, AccountID and Generation are the ones it
// acts for: data it writes for another registration would reach the wrong tenant.
type ConnectionResponse struct {
	TenantID          string `json:"tenantId"`
	AccountID         string `json:"accountId"`
	Generation        int64  `json:"generation"`
	Status            string `json:"status"`
	Provider          string `json:"provider"`
	ExternalAccountID string `json:"externalAccountId"`
	// RoleArn is the role in the customer's account that the platform assumes, with
	// ExternalID as the sts:ExternalId.
	RoleArn    string `json:"roleArn"`
	ExternalID string `json:"externalId"`
	// Error is set, and the other fields empty, when the tenant has no such registration or
	// another tenant's registration of the account is the active one. It never says which.
	Error string `json:"error,omitempty"`
}

// ClaimRequest is the payload of a direct invocation of the claim function, made after the
// platform assumed the account's reader role with the registration's external id.
type ClaimRequest struct {
	TenantID   string `json:"tenantId"`
	AccountID  string `json:"accountId"`
	Generation int64  `json:"generation"`
}

// ClaimResponse says whether the registration is now the account's active one. Claimed is
// false when another registration is, or when the registration changed (removed, or
// registered again) since the connection details were read.
type ClaimResponse struct {
	Claimed bool `json:"claimed"`
	// Error is set when the request is invalid.
	Error string `json:"error,omitempty"`
}
