// Package contract is what other contexts may use of the inventory context: the outputs of
// its stack and the events it publishes. It imports nothing from Pulumi.
package contract

import (
	"time"

	"github.com/stratum-platform/stratum/platform/contract"
)

// Project is the inventory context's Pulumi project name.
const Project = "inventory"

// Source is the source of the events the inventory context publishes; consumers refuse
// InventoryChanged from any other.
const Source = "stratum.inventory"

// Outputs of the inventory stack.
var (
	// EventsTopicArn is the topic InventoryChanged is published on.
	EventsTopicArn = contract.NewString(Project, "eventsTopicArn")
	// APIURL is the base URL of version 1 of the inventory HTTP API.
	APIURL = contract.NewString(Project, "apiUrl")
	// APIV2URL is the base URL of version 2 of the inventory HTTP API.
	APIV2URL = contract.NewString(Project, "apiV2Url")
	// ScanRoleArn is the role that assumes the customers' reader roles: the principal of
	// their trust policy (accounts' contract.ReaderTrustPolicy).
	ScanRoleArn = contract.NewString(Project, "scanRoleArn")
)

// InventoryChangedType is the type of InventoryChanged events; InventoryChangedVersion their
// current version.
const (
	InventoryChangedType    = "InventoryChanged"
	InventoryChangedVersion = 1
)

// InventoryChanged is published when a scan finds resources added to or removed from one
// tenant's account.
type InventoryChanged struct {
	// Version is InventoryChangedVersion.
	Version   int       `json:"version"`
	TenantID  string    `json:"tenantId"`
	AccountID string    `json:"accountId"`
	Added     int       `json:"added"`
	Removed   int       `json:"removed"`
	Total     int       `json:"total"`
	ScannedAt time.Time `json:"scannedAt"`
}
