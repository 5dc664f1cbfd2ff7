package config

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/stratum-platform/stratum/platform/release"
)

// Keys of the release and migration settings.
const (
	// KeyRelease is how a context's functions shift traffic to a new version (a
	// release.Traffic name such as canary10Percent5Minutes); a function may choose its own.
	KeyRelease = "stratum:release"
	// KeyTableGenerations maps a table with a declared migration to the generation its
	// functions read and write (a JSON object such as {"orders": 2}); a table it does not
	// name uses the generation its migration starts from.
	KeyTableGenerations = "stratum:tableGenerations"
)

// releaseDefault is the traffic shift of an environment that does not say: a canary in
// production, where a bad version must reach few requests; all at once elsewhere, where a
// deploy should not wait.
func releaseDefault(env string) string {
	if env == ProductionEnv {
		return release.Canary10Percent5Minutes().String()
	}
	return string(release.AllAtOnce)
}

// traffic reads a release.Traffic.
func (p *parser) traffic(key string) release.Traffic {
	v := p.str(key, true)
	t, err := release.ParseTraffic(v)
	if err != nil {
		p.fail(key, "%v", err)
	}
	return t
}

// generations reads a JSON object of table names to generations, 1 or more.
func (p *parser) generations(key string) map[string]int {
	v := p.str(key, false)
	if v == "" {
		return nil
	}
	var out map[string]int
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.failValue(key, v, `a JSON object of table names to generations, such as {"orders": 2}`)
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(out)) {
		if out[name] < 1 {
			p.fail(key, "table %q: generation %d is not 1 or more", name, out[name])
		}
	}
	return out
}
