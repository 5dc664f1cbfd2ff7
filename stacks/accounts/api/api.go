// Package api holds the accounts context's public HTTP contract: one OpenAPI document per
// major version of its API, embedded so that the handlers (which validate their requests
// against it with platform/lambdakit/openapi) and the program read the same bytes. It imports
// nothing from Pulumi: handlers import it.
package api

import _ "embed" // the specs are embedded

// V1 is version 1 of the accounts API (v1.yaml).
//
//go:embed v1.yaml
var V1 []byte
