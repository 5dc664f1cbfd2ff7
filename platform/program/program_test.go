package program_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/program"
	"github.com/stratum-platform/stratum/platform/stackref"
)

const project = "name: demo\nruntime: go\nconfig:\n  aws:region: eu-west-1\n  stratum:org: acme\n  stratum:owner: team\n  stratum:costCentre: cc-1\n"

func demo(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	stackref.Export(ctx, "retention", pulumi.Int(cfg.LogRetentionDays))
	stackref.Export(ctx, "prefix", pulumi.String(cfg.Scope().Prefix()))
	return nil
}

func dir(t *testing.T, stackFile string) string {
	t.Helper()
	d := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(d, "Pulumi.yaml"), []byte(project), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(d, "Pulumi.dev.yaml"), []byte(stackFile), 0o644))
	return d
}

func TestPlanJSON(t *testing.T) {
	d := dir(t, "config:\n  stratum:logRetentionDays: 14\n")
	var out bytes.Buffer
	require.NoError(t, program.Command([]string{"plan", "--dir", d, "--format", "json"}, &out, demo))
	p, err := plan.Parse(out.Bytes())
	require.NoError(t, err)
	assert.Equal(t, "demo", p.Project)
	assert.Equal(t, "dev", p.Stack)
	assert.Equal(t, map[string]any{"retention": float64(14), "prefix": "acme-dev-demo"}, p.Outputs)
}

func TestPlanTextToFile(t *testing.T) {
	d := dir(t, "config: {}\n")
	out := filepath.Join(t.TempDir(), "plan.txt")
	require.NoError(t, program.Command([]string{"plan", "--env", "dev", "--dir", d, "--out", out}, &bytes.Buffer{}, demo))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "Plan demo/dev: 0 resources\n"), string(b))
}

func TestBadConfigIsOneMessageWithEveryProblem(t *testing.T) {
	d := dir(t, "config:\n  stratum:logRetentionDays: 0\n  stratum:retention: 30\n  stratum:protect: maybe\n")
	err := program.Command([]string{"plan", "--dir", d}, &bytes.Buffer{}, demo)
	require.Error(t, err)
	assert.Equal(t, `project demo, stack dev: invalid config:
  Pulumi.dev.yaml: stratum:retention: is not a known setting (known: stratum:accountId, stratum:alarmEmail, stratum:alarmWebhookUrl, stratum:apiDomain, stratum:auditExpireDays, stratum:auditGlacierDays, stratum:billingAlarmUsd, stratum:costCentre, stratum:githubOidcProvider, stratum:githubRepository, stratum:hostedZoneId, stratum:jwtAudiences, stratum:jwtIssuer, stratum:keyAdministrators, stratum:logArchiveExpireDays, stratum:logArchiveGlacierDays, stratum:logRetentionDays, stratum:logSearch, stratum:logSearchAdminArn, stratum:logSourceAccounts, stratum:org, stratum:owner, stratum:platformStack, stratum:portalAllowedCidrs, stratum:portalClientId, stratum:portalDomain, stratum:portalPublic, stratum:portalSigningPublicKey, stratum:protect, stratum:release, stratum:stateBucket, stratum:stateKeyArn, stratum:tableGenerations)
  Pulumi.dev.yaml: stratum:logRetentionDays: 0 is not one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
  Pulumi.dev.yaml: stratum:protect: "maybe" is not true or false`, err.Error())
}

func TestUsageErrors(t *testing.T) {
	for args, want := range map[string]string{
		"deploy":                         "unknown command \"deploy\"",
		"plan --format yaml":             "plan: --format \"yaml\" is not text or json",
		"plan --colour":                  "plan: flag provided but not defined: -colour",
		"plan extra":                     "plan: unexpected argument \"extra\"",
		"plan --env staging --dir ../..": "has no stack file Pulumi.staging.yaml",
		"plan --dir /nonexistent":        "reading /nonexistent/Pulumi.yaml",
	} {
		err := program.Command(strings.Fields(args), &bytes.Buffer{}, demo)
		assert.ErrorContains(t, err, want, args)
	}
}

func TestProgramErrorFailsThePlan(t *testing.T) {
	d := dir(t, "config: {}\n")
	err := program.Command([]string{"plan", "--dir", d}, &bytes.Buffer{}, func(*pulumi.Context) error {
		return assert.AnError
	})
	assert.ErrorIs(t, err, assert.AnError)
}
