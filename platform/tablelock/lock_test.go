package tablelock

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUpdateWriteRead(t *testing.T) {
	dev := planOf("dev", accounts(devAccounts, "tenantId:S", "accountId:S", byCreated()), events())
	prod := planOf("prod", accounts(prodAccounts, "tenantId:S", "accountId:S", byCreated()))
	path := filepath.Join(t.TempDir(), FileName)

	empty, err := Read(path)
	require.NoError(t, err, "a missing lock is an empty one")
	l, err := empty.Update(dev)
	require.NoError(t, err)
	l, err = l.Update(prod)
	require.NoError(t, err)
	assert.Equal(t, locked(), l)

	require.NoError(t, l.Write(path))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, `{
  "version": 1,
  "tables": [
    {
      "name": "accounts",
      "generation": 1,
      "physicalNames": {
        "dev": "acme-dev-accounts-accounts",
        "prod": "acme-prod-accounts-accounts"
      },
      "hashKey": {
        "name": "tenantId",
        "type": "S"
      },
      "rangeKey": {
        "name": "accountId",
        "type": "S"
      },
      "localSecondaryIndexes": [
        {
          "name": "byCreated",
          "rangeKey": {
            "name": "createdAt",
            "type": "S"
          },
          "projectionType": "ALL"
        }
      ]
    },
    {
      "name": "events",
      "generation": 1,
      "physicalNames": {
        "dev": "acme-dev-accounts-events"
      },
      "hashKey": {
        "name": "id",
        "type": "S"
      }
    }
  ]
}
`, string(b))
	read, err := Read(path)
	require.NoError(t, err)
	assert.Equal(t, l, read)
	assert.NoError(t, Check(dev, read, nil))
	assert.NoError(t, Check(prod, read, nil))
}

func TestUpdateMigration(t *testing.T) {
	g2 := tableResource("accounts-g2", devAccounts+"-g2", "accountId:S", "", nil)
	// During the migration, dev has both generations.
	l, err := locked().Update(planOf("dev", accounts(devAccounts, "tenantId:S", "accountId:S", byCreated()), g2, events()))
	require.NoError(t, err)
	g, ok := l.Generation("accounts", 2)
	require.True(t, ok)
	assert.Equal(t, Table{Name: "accounts", Generation: 2, PhysicalNames: map[string]string{"dev": devAccounts + "-g2"},
		HashKey: Attribute{Name: "accountId", Type: "S"}}, g)
	// Once complete in dev, generation 1 stays locked for prod only.
	l, err = l.Update(planOf("dev", g2, events()))
	require.NoError(t, err)
	g1, ok := l.Generation("accounts", 1)
	require.True(t, ok)
	assert.Equal(t, map[string]string{"prod": prodAccounts}, g1.PhysicalNames)
}

func TestReadRefuses(t *testing.T) {
	tests := map[string]string{
		`{"version":1,"tables":[],"extra":1}`: `json: unknown field "extra"`,
		`{"version":2,"tables":[{"generation":0,"hashKey":{"name":"id","type":"X"},` +
			`"localSecondaryIndexes":[{"name":"byX","rangeKey":{"name":"","type":"S"}}]},` +
			`{"name":"a","generation":1,"hashKey":{"name":"id","type":"S"}},{"name":"a","generation":1,"hashKey":{"name":"id","type":"S"}}]}`: `version: must be 1, got 2; ` +
			`tables[0].name: is required; tables[0].generation: must be 1 or more, got 0; ` +
			`tables[0].hashKey: must name an attribute of type S, N or B, got "id" ("X"); ` +
			`tables[0].localSecondaryIndexes.byX.rangeKey: must name an attribute of type S, N or B, got "" ("S"); ` +
			`tables[2]: table "a" generation 1 is listed twice`,
	}
	for content, want := range tests {
		path := filepath.Join(t.TempDir(), FileName)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		_, err := Read(path)
		assert.EqualError(t, err, "table lock "+path+": "+want)
	}
}

func TestPath(t *testing.T) {
	assert.Equal(t, filepath.Join("stacks", "accounts", "tables.lock.json"), Path(filepath.Join("stacks", "accounts")))
}
