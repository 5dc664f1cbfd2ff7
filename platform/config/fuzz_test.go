package config_test

import (
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/config"
)

// FuzzParse: any value of any setting gives either a config or an error that names the key
// and the file; never a panic, never a config with an invalid retention.
func FuzzParse(f *testing.F) {
	f.Add("stratum:logRetentionDays", "0")
	f.Add("stratum:jwtAudiences", `["a",""]`)
	f.Add("stratum:alarmEmail", "ops@acme.example")
	f.Add("aws:region", "eu-west-1")
	f.Add("stratum:protect", "TRUE")
	f.Fuzz(func(t *testing.T, key, value string) {
		raw := valid()
		raw[key] = config.Setting{Value: value, Source: "Pulumi.fuzz.yaml"}
		c, err := config.Parse("demo", "dev", raw)
		if err != nil {
			if !strings.Contains(err.Error(), key) && !strings.Contains(err.Error(), "is required") &&
				!strings.Contains(err.Error(), "cannot prefix names") {
				t.Fatalf("error does not name %q: %v", key, err)
			}
			return
		}
		if c.LogRetentionDays <= 0 {
			t.Fatalf("accepted retention %d", c.LogRetentionDays)
		}
	})
}
