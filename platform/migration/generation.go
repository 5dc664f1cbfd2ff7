package migration

import (
	"fmt"
	"strconv"
	"strings"
)

// TagMigration is the tag that marks a table a migration created: a new generation (the
// value is GenerationTag's) or a migration's checkpoint table (CheckpointsTag). The table
// lock (platform/tablelock) reads it from plans: a new generation it carries is declared.
const TagMigration = "stratum:migration"

// CheckpointsTag is TagMigration's value on a checkpoint table, which holds no data of the
// context and so is not locked.
const CheckpointsTag = "checkpoints"

// GenerationName is the name of a table's generation: the table's name for generation 1,
// "<name>-g<generation>" after. It is the logical name of the generation's table resource,
// from which its physical name derives.
func GenerationName(name string, generation int) string {
	if generation <= 1 {
		return name
	}
	return fmt.Sprintf("%s-g%d", name, generation)
}

// GenerationTag is TagMigration's value on a new generation: how its items came and from
// which generation, "replicate from generation 1".
func GenerationTag(strategy string, from int) string {
	return fmt.Sprintf("%s from generation %d", strategy, from)
}

// ParseGenerationTag reads GenerationTag's value; ok is false for anything else.
func ParseGenerationTag(v string) (strategy string, from int, ok bool) {
	strategy, gen, found := strings.Cut(v, " from generation ")
	if !found || strategy == "" {
		return "", 0, false
	}
	from, err := strconv.Atoi(gen)
	if err != nil || from < 1 || GenerationTag(strategy, from) != v {
		return "", 0, false
	}
	return strategy, from, true
}
