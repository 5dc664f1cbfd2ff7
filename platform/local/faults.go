package local

import (
	"encoding/json"
	"fmt"
)

// FaultPrefix starts the message of every injected failure, so that a test or a reader can
// tell it from a real one.
const FaultPrefix = "injected fault: "

// FaultsValue builds the value of EnvFaults: the Create or Update of each URN fails with its
// message, and the local deployments of each ReleaseFault(function) key roll back with it.
func FaultsValue(faults map[string]string) string {
	if len(faults) == 0 {
		return "{}"
	}
	b, err := json.Marshal(faults)
	if err != nil { // a map of strings always encodes
		return "{}"
	}
	return string(b)
}

// parseFaults reads the value of EnvFaults; empty means no faults.
func parseFaults(value string) (map[string]string, error) {
	faults := map[string]string{}
	if value == "" {
		return faults, nil
	}
	if err := json.Unmarshal([]byte(value), &faults); err != nil {
		return nil, fmt.Errorf("local: %s is not a JSON object of URN to message: %w", EnvFaults, err)
	}
	return faults, nil
}

// fault is the injected failure of urn, or nil.
func (p *Provider) fault(urn string) error {
	if p.faultsErr != nil {
		return p.faultsErr
	}
	if msg, ok := p.faults[urn]; ok {
		return fmt.Errorf("%s%s", FaultPrefix, msg)
	}
	return nil
}
