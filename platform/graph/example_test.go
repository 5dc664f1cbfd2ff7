package graph_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/graph"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tokens"
)

func ExampleStack() {
	const (
		fn    = "urn:pulumi:dev::orders::stratum:function:Function::place"
		table = "urn:pulumi:dev::orders::stratum:table:Table::items"
		items = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-orders-items"
	)
	p := &plan.Plan{Project: "orders", Stack: "dev", Resources: []plan.Resource{
		{URN: fn, Type: tokens.Function, Name: "place"},
		{URN: fn + "-policy", Type: "aws:iam/rolePolicy:RolePolicy", Name: "place-policy", Parent: fn, Custom: true,
			Inputs: map[string]any{"policy": `{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["` + items + `"]}]}`}},
		{URN: table, Type: tokens.Table, Name: "items"},
		{URN: table + "-table", Type: "aws:dynamodb/table:Table", Name: "items", Parent: table, Custom: true,
			Outputs: map[string]any{"arn": items}},
	}}
	fmt.Print(graph.Stack(p))
	// Output:
	// flowchart LR
	//   fn_place("place")
	//   table_items[("items")]
	//   fn_place -->|"read"| table_items
	//   classDef function fill:#fff4e5,stroke:#d9822b
	//   classDef table fill:#e8f1fb,stroke:#2b6cb0
	//   class fn_place function
	//   class table_items table
}

func ExampleOrder() {
	reference := func(project string) plan.Resource {
		return plan.Resource{Type: "pulumi:pulumi:StackReference", Name: "acme/" + project + "/dev",
			Inputs: map[string]any{"name": "acme/" + project + "/dev"}}
	}
	order, err := graph.Order([]*plan.Plan{
		{Project: "inventory", Resources: []plan.Resource{reference("platform"), reference("accounts")}},
		{Project: "accounts", Resources: []plan.Resource{reference("platform")}},
		{Project: "platform"},
	})
	fmt.Println(order, err)
	// Output: [platform accounts inventory] <nil>
}
