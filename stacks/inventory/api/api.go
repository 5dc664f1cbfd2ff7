// Package api holds the inventory context's public HTTP contract: one OpenAPI document per
// major version of its API, embedded so that the handlers (which validate their requests
// against it with platform/lambdakit/openapi) and the program read the same bytes. Version 2
// groups resources by service, an incompatible change, so it is a second document served
// beside version 1. It imports nothing from Pulumi: handlers import it.
package api

import _ "embed" // the specs are embedded

// V1 is version 1 of the inventory API (v1.yaml).
//
//go:embed v1.yaml
var V1 []byte

// V2 is version 2 of the inventory API (v2.yaml).
//
//go:embed v2.yaml
var V2 []byte
