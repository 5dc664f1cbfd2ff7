package platform_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

// The prod deploy job asks for credentials that last through canary releases and their wait,
// the deploy role allows a session that long, and the job ends before they expire.
func TestDeploySessionOutlastsTheReleases(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "deploy.yml"))
	require.NoError(t, err)
	var w struct {
		Jobs map[string]struct {
			TimeoutMinutes int `yaml:"timeout-minutes"`
			Steps          []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal(b, &w))
	prod, ok := w.Jobs["prod"]
	require.True(t, ok, "deploy.yml has a prod job")
	duration := ""
	for _, s := range prod.Steps {
		if v, ok := s.With["role-duration-seconds"]; ok {
			duration = v
		}
	}
	assert.Equal(t, strconv.Itoa(platform.DeploySessionSeconds), duration, "the prod job's role-duration-seconds")
	assert.Positive(t, prod.TimeoutMinutes)
	assert.Less(t, prod.TimeoutMinutes*60, platform.DeploySessionSeconds, "the job ends before its credentials")

	for _, env := range []string{"dev", "prod"} {
		p := plantest.ProjectPlan(t, root, env, platform.Program)
		role, err := p.Get("aws:iam/role:Role", "ci-deploy")
		require.NoError(t, err)
		assert.EqualValues(t, platform.DeploySessionSeconds, role.Inputs["maxSessionDuration"], env)
	}
}
