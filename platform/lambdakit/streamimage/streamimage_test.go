package streamimage_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit/streamimage"
)

// A record's image, as Lambda delivers it (JSON), converts to the SDK's value of every type.
func TestItem(t *testing.T) {
	var image map[string]events.DynamoDBAttributeValue
	require.NoError(t, json.Unmarshal([]byte(`{
		"s": {"S": "a"}, "n": {"N": "2.5"}, "b": {"B": "eHl6"}, "t": {"BOOL": true}, "null": {"NULL": true},
		"ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["YQ=="]},
		"l": {"L": [{"S": "x"}, {"N": "1"}]}, "m": {"M": {"inner": {"L": [{"BOOL": false}]}}}
	}`), &image))
	got, err := streamimage.Item(image)
	require.NoError(t, err)
	assert.Equal(t, map[string]types.AttributeValue{
		"s":    &types.AttributeValueMemberS{Value: "a"},
		"n":    &types.AttributeValueMemberN{Value: "2.5"},
		"b":    &types.AttributeValueMemberB{Value: []byte("xyz")},
		"t":    &types.AttributeValueMemberBOOL{Value: true},
		"null": &types.AttributeValueMemberNULL{Value: true},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"a", "b"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"1", "2"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{[]byte("a")}},
		"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberS{Value: "x"}, &types.AttributeValueMemberN{Value: "1"}}},
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"inner": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberBOOL{Value: false}}}}},
	}, got)
}
