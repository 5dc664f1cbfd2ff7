package table_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/table"
)

func TestValidate(t *testing.T) {
	id := table.Key{Name: "id", Type: table.String}
	status := table.Key{Name: "status", Type: table.String}
	long := strings.Repeat("a", 256)
	tests := []struct {
		name string
		args table.Args
		want []string // every error line, in order; none means valid
	}{
		{name: "hash key only", args: table.Args{HashKey: id}},
		{
			name: "everything set",
			args: table.Args{
				HashKey: id, RangeKey: table.Key{Name: "at", Type: table.Number},
				Indexes: []table.Index{
					{Name: "by.status_1-x", HashKey: status, RangeKey: table.Key{Name: "at", Type: table.Number},
						Projection: table.ProjectInclude, NonKeyAttributes: []string{"total"}},
					{Name: "idx", HashKey: table.Key{Name: "at", Type: table.Number}, Projection: table.ProjectKeysOnly},
				},
				TTLAttribute: "expiresAt", Stream: table.StreamOldImage,
				Capacity: &table.Provisioned{Read: table.MinMax{Min: 1, Max: 1}, Write: table.MinMax{Min: 1, Max: 40000}},
			},
		},
		{
			name: "no hash key",
			args: table.Args{},
			want: []string{"HashKey: is required"},
		},
		{
			name: "bad keys",
			args: table.Args{
				HashKey:  table.Key{Type: "X"},
				RangeKey: table.Key{Type: table.Number},
			},
			want: []string{
				"HashKey.Name: is required",
				`HashKey.Type: "X" is not an attribute type; allowed S (String), N (Number), B (Binary)`,
				`RangeKey.Name: is empty but Type is "N"; set both or neither`,
			},
		},
		{
			name: "key names and types",
			args: table.Args{
				HashKey:  table.Key{Name: long, Type: ""},
				RangeKey: table.Key{Name: long, Type: table.String},
			},
			want: []string{
				`HashKey.Name: "` + long + `" is 256 bytes; at most 255 allowed`,
				"HashKey.Type: is required; allowed S (String), N (Number), B (Binary)",
				`RangeKey.Name: "` + long + `" is 256 bytes; at most 255 allowed`,
				`RangeKey.Name: "` + long + `" is also the hash key; the two keys must be different attributes`,
			},
		},
		{
			name: "one attribute with two types",
			args: table.Args{
				HashKey:  id,
				RangeKey: table.Key{Name: "at", Type: table.Number},
				Indexes: []table.Index{
					{Name: "byId", HashKey: table.Key{Name: "id", Type: table.Number}},
					{Name: "byAt", HashKey: table.Key{Name: "at", Type: table.String}, RangeKey: id},
				},
			},
			want: []string{
				`Indexes[0].HashKey.Type: attribute "id" is N here but S in HashKey; an attribute has one type`,
				`Indexes[1].HashKey.Type: attribute "at" is S here but N in RangeKey; an attribute has one type`,
			},
		},
		{
			name: "index names",
			args: table.Args{
				HashKey: id,
				Indexes: []table.Index{
					{Name: "ab", HashKey: status},
					{Name: "by status", HashKey: status},
					{HashKey: status},
					{Name: "byStatus", HashKey: status},
					{Name: "byStatus", HashKey: status},
					{Name: long, HashKey: status},
				},
			},
			want: []string{
				`Indexes[0].Name: "ab" is not an index name; allowed 3 to 255 characters of [A-Za-z0-9_.-]`,
				`Indexes[1].Name: "by status" is not an index name; allowed 3 to 255 characters of [A-Za-z0-9_.-]`,
				"Indexes[2].Name: is required",
				`Indexes[4].Name: "byStatus" is also the name of Indexes[3]; index names must be unique`,
				`Indexes[5].Name: "` + long + `" is not an index name; allowed 3 to 255 characters of [A-Za-z0-9_.-]`,
			},
		},
		{
			name: "index keys and projections",
			args: table.Args{
				HashKey: id,
				Indexes: []table.Index{
					{Name: "noKey"},
					{Name: "sameKeys", HashKey: status, RangeKey: status},
					{Name: "include", HashKey: status, Projection: table.ProjectInclude},
					{Name: "all", HashKey: status, NonKeyAttributes: []string{"x"}},
					{Name: "keysOnly", HashKey: status, Projection: table.ProjectKeysOnly, NonKeyAttributes: []string{"x"}},
					{Name: "bad", HashKey: status, Projection: "SOME"},
					{Name: "dupes", HashKey: status, Projection: table.ProjectInclude, NonKeyAttributes: []string{"a", "", "a"}},
				},
			},
			want: []string{
				"Indexes[0].HashKey.Name: is required",
				"Indexes[0].HashKey.Type: is required; allowed S (String), N (Number), B (Binary)",
				`Indexes[1].RangeKey.Name: "status" is also the hash key; the two keys must be different attributes`,
				"Indexes[2].NonKeyAttributes: are required with projection INCLUDE",
				"Indexes[3].NonKeyAttributes: are set but the projection is ALL; only INCLUDE projects named attributes",
				"Indexes[4].NonKeyAttributes: are set but the projection is KEYS_ONLY; only INCLUDE projects named attributes",
				`Indexes[5].Projection: "SOME" is not a projection; allowed ALL, KEYS_ONLY, INCLUDE`,
				"Indexes[6].NonKeyAttributes[1]: is empty",
				`Indexes[6].NonKeyAttributes[2]: "a" is also NonKeyAttributes[0]; list an attribute once`,
			},
		},
		{
			name: "too many indexes and projected attributes",
			args: table.Args{HashKey: id, Indexes: manyIndexes(21, 5)},
			want: []string{
				"Indexes: 21 global secondary indexes; at most 20 allowed",
				"Indexes: 105 non-key attributes projected in total; at most 100 allowed",
			},
		},
		{
			name: "ttl stream capacity",
			args: table.Args{
				HashKey:      id,
				TTLAttribute: "id",
				Stream:       "ALL",
				Capacity:     &table.Provisioned{Read: table.MinMax{Min: 0, Max: 0}, Write: table.MinMax{Min: 10, Max: 5}},
			},
			want: []string{
				`TTLAttribute: "id" is S in HashKey; a TTL attribute holds a Number (epoch seconds)`,
				`Stream: "ALL" is not a stream view; allowed NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY`,
				"Capacity.Read.Min: 0 is less than 1",
				"Capacity.Write.Max: 5 is less than Capacity.Write.Min (10)",
			},
		},
		{
			name: "ttl name too long",
			args: table.Args{HashKey: id, TTLAttribute: long},
			want: []string{`TTLAttribute: "` + long + `" is 256 bytes; at most 255 allowed`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.args.Scope = scopetest.New()
			err := tt.args.Validate()
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				assert.Equal(t, tt.want, strings.Split(err.Error(), "\n"))
			}
		})
	}
}

func TestValidateScope(t *testing.T) {
	err := (&table.Args{HashKey: table.Key{Name: "id", Type: table.String}}).Validate()
	if assert.Error(t, err) {
		assert.Equal(t, []string{
			"Scope.Naming: naming: org is empty; it is required",
			"naming: env is empty; it is required",
			"naming: context is empty; it is required",
			"Scope.KeyArn: is required (the KMS key that encrypts data at rest)",
			"Scope.AlarmTopicArn: is required (the SNS topic alarms notify)",
		}, strings.Split(err.Error(), "\n"))
	}
}

// manyIndexes returns n valid indexes projecting attrs attributes each.
func manyIndexes(n, attrs int) []table.Index {
	out := make([]table.Index, n)
	for i := range out {
		out[i] = table.Index{
			Name:       "index" + string(rune('a'+i)),
			HashKey:    table.Key{Name: "status", Type: table.String},
			Projection: table.ProjectInclude,
		}
		for j := 0; j < attrs; j++ {
			out[i].NonKeyAttributes = append(out[i].NonKeyAttributes, "attr"+string(rune('a'+j)))
		}
	}
	return out
}
