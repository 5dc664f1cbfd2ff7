package graph

import (
	"slices"
	"testing"
)

func TestSanitise(t *testing.T) {
	for in, want := range map[string]string{
		"register":                     "register",
		"GET /accounts/{accountId}":    "GET_accounts_accountId",
		"scan-hourly":                  "scan_hourly",
		"  --weird--  ":                "weird",
		"$default":                     "default",
		"":                             "x",
		"été":                          "t",
		"accounts: eventsTopicArn":     "accounts_eventsTopicArn",
		"a__b":                         "a_b",
		"end":                          "end",
		"acme-dev-orders-report:live2": "acme_dev_orders_report_live2",
	} {
		if got := sanitise(in); got != want {
			t.Errorf("sanitise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIDsAreUnique(t *testing.T) {
	s := newIDs()
	got := []string{s.next("fn", "a-b"), s.next("fn", "a_b"), s.next("fn", "a b"), s.next("table", "a-b")}
	want := []string{"fn_a_b", "fn_a_b_2", "fn_a_b_3", "table_a_b"}
	if !slices.Equal(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
}

func TestQuote(t *testing.T) {
	if got, want := quote(`say "hi" #1`), `"say #quot;hi#quot; #35;1"`; got != want {
		t.Errorf("quote() = %s, want %s", got, want)
	}
}

func TestNormaliseARN(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:lambda:eu-west-1:1:function:f:live":          "arn:aws:lambda:eu-west-1:1:function:f",
		"arn:aws:lambda:eu-west-1:1:function:f":               "arn:aws:lambda:eu-west-1:1:function:f",
		"arn:aws:dynamodb:eu-west-1:1:table/t/index/byId":     "arn:aws:dynamodb:eu-west-1:1:table/t",
		"arn:aws:dynamodb:eu-west-1:1:table/t/stream/2024-01": "arn:aws:dynamodb:eu-west-1:1:table/t",
		"arn:aws:sqs:eu-west-1:1:q":                           "arn:aws:sqs:eu-west-1:1:q",
		"arn:aws:sns:eu-west-1:1:t":                           "arn:aws:sns:eu-west-1:1:t",
	} {
		if got, ok := normaliseARN(in); !ok || got != want {
			t.Errorf("normaliseARN(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "[unknown]", "[secret]", "acme-dev-q", "arn:aws:sqs"} {
		if got, ok := normaliseARN(in); ok {
			t.Errorf("normaliseARN(%q) = %q, want no ARN", in, got)
		}
	}
}

func TestAccessOf(t *testing.T) {
	for action, want := range map[string]string{
		"dynamodb:GetItem": accessRead, "dynamodb:BatchGetItem": accessRead, "dynamodb:Query": accessRead,
		"dynamodb:Scan": accessRead, "dynamodb:TransactGetItems": accessRead, "dynamodb:GetRecords": accessRead,
		"dynamodb:PutItem": accessWrite, "dynamodb:UpdateItem": accessWrite, "dynamodb:DeleteItem": accessWrite,
		"dynamodb:BatchWriteItem": accessWrite, "dynamodb:TransactWriteItems": accessWrite,
		"dynamodb:ConditionCheckItem": "", "dynamodb:DescribeTable": "",
		"sns:Publish": accessPublish, "sns:Subscribe": "",
		"sqs:SendMessage": accessSend, "SQS:sendmessage": accessSend, "sqs:ReceiveMessage": "",
		"lambda:InvokeFunction": accessInvoke, "lambda:GetFunction": "",
		"kms:Decrypt": "", "logs:PutLogEvents": "", "xray:PutTraceSegments": "",
	} {
		if got := accessOf(action); got != want {
			t.Errorf("accessOf(%q) = %q, want %q", action, got, want)
		}
	}
}

func TestFilterEvents(t *testing.T) {
	for in, want := range map[string][]string{
		`{"type":["B","A","B"]}`:        {"A", "B"},
		`{"type":["A",{"prefix":"x"}]}`: {"A"},
		`{"source":["x"]}`:              nil,
		`not json`:                      nil,
		``:                              nil,
	} {
		if got := filterEvents(in); !slices.Equal(got, want) {
			t.Errorf("filterEvents(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLambdaFromURI(t *testing.T) {
	fn := "arn:aws:lambda:eu-west-1:1:function:f:live"
	for _, in := range []string{fn, "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + fn + "/invocations"} {
		if got := lambdaFromURI(in); got != fn {
			t.Errorf("lambdaFromURI(%q) = %q, want %q", in, got, fn)
		}
	}
}
