package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	table    = "aws:dynamodb/table:Table"
	logGroup = "aws:cloudwatch/logGroup:LogGroup"
	queue    = "aws:sqs/queue:Queue"
	function = "aws:lambda/function:Function"
)

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func tableInputs(hashKey string) map[string]any {
	return map[string]any{
		"name": "acme-dev-accounts", "hashKey": hashKey, "billingMode": "PAY_PER_REQUEST",
		"attributes": []any{map[string]any{"name": hashKey, "type": "S"}},
		"tags":       map[string]any{"env": "dev", "cost-centre": "cc-1"},
	}
}

// zipArchive writes content to a zip-named file and returns it as a path archive, hashed.
func zipArchive(t *testing.T, content string) resource.PropertyValue {
	t.Helper()
	path := filepath.Join(t.TempDir(), "code.zip")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	a, err := archive.FromPath(path)
	require.NoError(t, err)
	return resource.NewArchiveProperty(a)
}

func TestDiff(t *testing.T) {
	p, _ := newProvider(t, Options{})
	codeA, codeB, codeA2 := zipArchive(t, "a"), zipArchive(t, "b"), zipArchive(t, "a")
	fn := func(code resource.PropertyValue) resource.PropertyMap {
		m := props(map[string]any{"name": "acme-dev-fn", "role": "arn:aws:iam::1:role/r", "publish": true})
		m["code"] = code
		return m
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["*"]}]}`
	samePolicy := "{\n  \"Statement\": [{\"Resource\": [\"*\"], \"Action\": [\"sqs:SendMessage\"], \"Effect\": \"Allow\"}],\n  \"Version\": \"2012-10-17\"\n}"
	lsi := func(m map[string]any) map[string]any {
		m["localSecondaryIndexes"] = []any{map[string]any{"name": "byDate", "rangeKey": "date", "projectionType": "ALL"}}
		return m
	}
	secretTags := props(map[string]any{"name": "q"})
	secretTags["tags"] = resource.MakeSecret(resource.NewObjectProperty(props(map[string]any{"token": "x"})))
	cases := []struct {
		name          string
		typ           string
		olds, news    resource.PropertyMap
		oldOutputs    resource.PropertyMap
		changes       plugin.DiffChanges
		changed, repl []resource.PropertyKey
		detailed      map[string]plugin.DiffKind
	}{
		{name: "table hash key replaces", typ: table, olds: props(tableInputs("id")), news: props(tableInputs("pk")),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"attributes", "hashKey"}, repl: []resource.PropertyKey{"hashKey"},
			detailed: map[string]plugin.DiffKind{"attributes[0].name": plugin.DiffUpdate, "hashKey": plugin.DiffUpdateReplace}},
		{name: "log group retention updates", typ: logGroup,
			olds:    props(map[string]any{"name": "/aws/lambda/f", "retentionInDays": 30}),
			news:    props(map[string]any{"name": "/aws/lambda/f", "retentionInDays": 365}),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"retentionInDays"}, repl: nil,
			detailed: map[string]plugin.DiffKind{"retentionInDays": plugin.DiffUpdate}},
		{name: "lambda code updates", typ: function, olds: fn(codeA), news: fn(codeB),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"code"}, repl: nil,
			detailed: map[string]plugin.DiffKind{"code": plugin.DiffUpdate}},
		{name: "same archive content is no change", typ: function, olds: fn(codeA), news: fn(codeA2), changes: plugin.DiffNone},
		{name: "queue name replaces", typ: queue, olds: props(map[string]any{"name": "a"}), news: props(map[string]any{"name": "b"}),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"name"}, repl: []resource.PropertyKey{"name"},
			detailed: map[string]plugin.DiffKind{"name": plugin.DiffUpdateReplace}},
		{name: "identical is no change", typ: table, olds: props(tableInputs("id")), news: props(tableInputs("id")), changes: plugin.DiffNone},
		{name: "equivalent policy JSON is no change", typ: "aws:sqs/queuePolicy:QueuePolicy",
			olds:    props(map[string]any{"queueUrl": "u", "policy": policy}),
			news:    props(map[string]any{"queueUrl": "u", "policy": samePolicy}),
			changes: plugin.DiffNone},
		{name: "a secret compares by value", typ: queue, olds: secretTags, news: props(map[string]any{"name": "q", "tags": map[string]any{"token": "x"}}),
			changes: plugin.DiffNone},
		{name: "a tag added and one removed", typ: queue,
			olds:    props(map[string]any{"name": "q", "tags": map[string]any{"a": "1"}}),
			news:    props(map[string]any{"name": "q", "tags": map[string]any{"b-c": "2"}}),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"tags"}, repl: nil,
			detailed: map[string]plugin.DiffKind{"tags.a": plugin.DiffDelete, `tags["b-c"]`: plugin.DiffAdd}},
		{name: "an added local index replaces in every leaf", typ: table, olds: props(tableInputs("id")), news: props(lsi(tableInputs("id"))),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"localSecondaryIndexes"}, repl: []resource.PropertyKey{"localSecondaryIndexes"},
			detailed: map[string]plugin.DiffKind{
				"localSecondaryIndexes[0].name":           plugin.DiffAddReplace,
				"localSecondaryIndexes[0].projectionType": plugin.DiffAddReplace,
				"localSecondaryIndexes[0].rangeKey":       plugin.DiffAddReplace,
			}},
		{name: "an unknown is a change", typ: queue, olds: props(map[string]any{"name": "q", "policy": "p"}),
			news:    resource.PropertyMap{"name": resource.NewStringProperty("q"), "policy": resource.MakeComputed(resource.NewStringProperty(""))},
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"policy"}, repl: nil,
			detailed: map[string]plugin.DiffKind{"policy": plugin.DiffUpdate}},
		{name: "an unknown name replaces", typ: queue, olds: props(map[string]any{"name": "q"}),
			news:    resource.PropertyMap{"name": resource.MakeComputed(resource.NewStringProperty(""))},
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"name"}, repl: []resource.PropertyKey{"name"},
			detailed: map[string]plugin.DiffKind{"name": plugin.DiffUpdateReplace}},
		{name: "a new input equal to the old output is no change", typ: queue,
			olds: props(map[string]any{}), oldOutputs: props(map[string]any{"name": "q", "arn": "a"}),
			news: props(map[string]any{"name": "q"}), changes: plugin.DiffNone},
		{name: "restore source set replaces, cleared does not", typ: table,
			olds: props(tableInputs("id")), news: props(func() map[string]any {
				m := tableInputs("id")
				m["restoreSourceName"] = "other"
				return m
			}()),
			changes: plugin.DiffSome, changed: []resource.PropertyKey{"restoreSourceName"}, repl: []resource.PropertyKey{"restoreSourceName"},
			detailed: map[string]plugin.DiffKind{"restoreSourceName": plugin.DiffAddReplace}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := p.Diff(context.Background(), plugin.DiffRequest{URN: urnOf(c.typ, "x"), Name: "x", Type: tokens.Type(c.typ),
				OldInputs: c.olds, OldOutputs: c.oldOutputs, NewInputs: c.news})
			require.NoError(t, err)
			assert.Equal(t, c.changes, d.Changes)
			if c.changes == plugin.DiffNone {
				assert.Empty(t, d.DetailedDiff)
				return
			}
			assert.Equal(t, c.changed, d.ChangedKeys)
			assert.Equal(t, c.repl, d.ReplaceKeys)
			kinds := map[string]plugin.DiffKind{}
			for k, v := range d.DetailedDiff {
				kinds[k] = v.Kind
			}
			assert.Equal(t, c.detailed, kinds)
		})
	}

	_, err := p.Diff(context.Background(), plugin.DiffRequest{Type: "aws:ec2/vpc:Vpc"})
	assert.EqualError(t, err, "local: unknown resource type aws:ec2/vpc:Vpc (not in aws-replace-on-change.json)")
}

func TestCovers(t *testing.T) {
	cases := []struct {
		rule, leaf string
		want       bool
	}{
		{"hashKey", "hashKey", true},
		{"hashKey", "hashKeys", false},
		{"localSecondaryIndexes", "localSecondaryIndexes[].name", true},
		{"localSecondaryIndexes[].name", "localSecondaryIndexes[].nameSuffix", false},
		{"importTable.s3BucketSource", "importTable.s3BucketSource.bucket", true},
		{"importTable.s3BucketSource", "importTable", true}, // a whole block changed (unknown, emptied)
		{"importTable.s3BucketSource", "importTable.inputFormat", false},
		{"validationOptions[].domainName", "validationOptions", true},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, covers(c.rule, c.leaf), "%s covers %s", c.rule, c.leaf)
	}
}
