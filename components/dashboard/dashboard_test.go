package dashboard

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A graph of metrics with several dimensions lists them in order, after the metric name,
// as CloudWatch's dashboard body expects; graphs go two per row.
func TestRender(t *testing.T) {
	w := Widget{Title: "Bucket exports", Namespace: "AWS/S3",
		Dimensions: []Dimension{{Name: "BucketName", Value: pulumi.String("b")}, {Name: "FilterId", Value: pulumi.String("all")}},
		Metrics:    []Metric{{Name: "5xxErrors", Stat: "Sum"}, {Name: "FirstByteLatency", Stat: "p99.9"}}}
	require.NoError(t, Validate([]Widget{w}))
	got, err := render("eu-west-1", []Widget{w, w, w}, []any{"b", "all", "b", "all", "c", "all"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"widgets":[
		{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"title":"Bucket exports","region":"eu-west-1","view":"timeSeries","period":300,
			"metrics":[["AWS/S3","5xxErrors","BucketName","b","FilterId","all",{"stat":"Sum"}],["AWS/S3","FirstByteLatency","BucketName","b","FilterId","all",{"stat":"p99.9"}]]}},
		{"type":"metric","x":12,"y":0,"width":12,"height":6,"properties":{"title":"Bucket exports","region":"eu-west-1","view":"timeSeries","period":300,
			"metrics":[["AWS/S3","5xxErrors","BucketName","b","FilterId","all",{"stat":"Sum"}],["AWS/S3","FirstByteLatency","BucketName","b","FilterId","all",{"stat":"p99.9"}]]}},
		{"type":"metric","x":0,"y":6,"width":12,"height":6,"properties":{"title":"Bucket exports","region":"eu-west-1","view":"timeSeries","period":300,
			"metrics":[["AWS/S3","5xxErrors","BucketName","c","FilterId","all",{"stat":"Sum"}],["AWS/S3","FirstByteLatency","BucketName","c","FilterId","all",{"stat":"p99.9"}]]}}]}`, got)
}

func TestValidate(t *testing.T) {
	err := Validate([]Widget{{Dimensions: []Dimension{{Name: "X"}}, Metrics: []Metric{{Stat: "p999"}}}})
	assert.EqualError(t, err, `widget 0 (""): Title: is required
widget 0 (""): Namespace: is required (such as AWS/Lambda)
widget 0 (""): Dimensions[0]: needs a Name and a Value
widget 0 (""): Metrics[0].Name: is required
widget 0 (""): Metrics[0].Stat: "p999" is not Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99`)
}
