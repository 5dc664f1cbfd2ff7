package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi/openapitest"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// fakeDB holds accounts by tenant and id and serves the resources of every partition from
// one ordered list, a page of `Limit` at a time.
type fakeDB struct {
	accounts  map[[2]string]store.Account
	resources []store.Resource
	queries   []*dynamodb.QueryInput
	getErr    error
	queryErr  error
}

func (f *fakeDB) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if f.getErr != nil {
		return nil, f.getErr
	}
	tenant := in.Key["tenantId"].(*types.AttributeValueMemberS).Value
	id := in.Key["accountId"].(*types.AttributeValueMemberS).Value
	a, ok := f.accounts[[2]string{tenant, id}]
	if !ok || len(in.Key) != 2 {
		return &dynamodb.GetItemOutput{}, nil
	}
	item, err := attributevalue.MarshalMap(a)
	return &dynamodb.GetItemOutput{Item: item}, err
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	f.queries = append(f.queries, in)
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	if *in.KeyConditionExpression != "accountKey = :k" {
		return nil, errors.New("fake: unsupported key condition " + *in.KeyConditionExpression)
	}
	key := in.ExpressionAttributeValues[":k"].(*types.AttributeValueMemberS).Value
	after := ""
	if in.ExclusiveStartKey != nil {
		if in.ExclusiveStartKey["accountKey"].(*types.AttributeValueMemberS).Value != key {
			return nil, errors.New("fake: the start key is of another partition")
		}
		after = in.ExclusiveStartKey["resourceArn"].(*types.AttributeValueMemberS).Value
	}
	out := &dynamodb.QueryOutput{}
	for _, r := range f.resources {
		if r.AccountKey != key || r.ResourceArn <= after {
			continue
		}
		if len(out.Items) == int(*in.Limit) {
			break
		}
		item, err := attributevalue.MarshalMap(r)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
		out.LastEvaluatedKey = store.ResourceKey(r.TenantID, r.AccountID, r.ResourceArn)
	}
	if len(out.Items) < int(*in.Limit) {
		out.LastEvaluatedKey = nil
	}
	return out, nil
}

func storedResource(tenant, accountID, arn string, tags map[string]string) store.Resource {
	return store.Resource{AccountKey: store.PartitionKey(tenant, accountID), TenantID: tenant, AccountID: accountID,
		ResourceArn: arn, ResourceType: "s3:bucket", Tags: tags, DiscoveredAt: "2026-01-01T00:00:00Z"}
}

func newHandler() (*handler, *fakeDB) {
	db := &fakeDB{
		accounts: map[[2]string]store.Account{
			{"t-1", "aws-111122223333"}: {TenantID: "t-1", AccountID: "aws-111122223333", Name: "Prod", Generation: 1},
			{"t-2", "aws-444455556666"}: {TenantID: "t-2", AccountID: "aws-444455556666", Name: "Other", Generation: 1},
			{"t-1", "aws-777788889999"}: {TenantID: "t-1", AccountID: "aws-777788889999", Generation: 1, DisconnectedAt: "2026-01-01T00:00:00Z"},
		},
		resources: []store.Resource{
			storedResource("t-1", "aws-111122223333", "arn:aws:s3:::a", map[string]string{"env": "prod"}),
			storedResource("t-1", "aws-111122223333", "arn:aws:s3:::b", nil),
			storedResource("t-1", "aws-111122223333", "arn:aws:s3:::c", map[string]string{}),
			storedResource("t-2", "aws-444455556666", "arn:aws:s3:::z", map[string]string{}),
		},
	}
	return &handler{db: db, accountsTable: "accounts", resourcesTable: "resources", version: version1}, db
}

func request(accountID string, query map[string]string, claims map[string]string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		RouteKey:              "GET /accounts/{accountId}/resources",
		PathParameters:        map[string]string{"accountId": accountID},
		QueryStringParameters: query,
	}
	if claims != nil {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return req
}

func reader(tenant string) map[string]string {
	return map[string]string{"sub": "u-1", "scope": "inventory:read", "tenant": tenant}
}

// call serves req as the function of h's version does in Lambda, behind that version's
// contract, and fails the test when the response does not match it.
func call(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp := serve(t, h, req)
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	return resp.StatusCode, body
}

func serve(t *testing.T, h *handler, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	contract, err := spec(h.version)
	if err != nil {
		t.Fatal(err)
	}
	// In Lambda the context carries the function's logger (lambdakit.Main); here it discards.
	ctx := lambdakit.WithLogger(context.Background(), slog.New(slog.DiscardHandler))
	return openapitest.Serve(ctx, t, contract, h.Handle, req)
}

func TestListPages(t *testing.T) {
	h, db := newHandler()
	status, body := call(t, h, request("aws-111122223333", map[string]string{"limit": "2"}, reader("t-1")))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	items := body["items"].([]any)
	first := items[0].(map[string]any)
	if len(items) != 2 || first["resourceArn"] != "arn:aws:s3:::a" || first["tags"].(map[string]any)["env"] != "prod" {
		t.Fatalf("first page = %v", body)
	}
	if tags, ok := items[1].(map[string]any)["tags"].(map[string]any); !ok || len(tags) != 0 {
		t.Fatalf("tags of a resource without tags = %v, want {}", items[1])
	}
	next, _ := body["next"].(string)
	if next == "" || strings.ContainsAny(next, "+/=") {
		t.Fatalf("next = %q, want a URL-safe token", next)
	}

	status, body = call(t, h, request("aws-111122223333", map[string]string{"limit": "2", "next": next}, reader("t-1")))
	items = body["items"].([]any)
	if status != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["resourceArn"] != "arn:aws:s3:::c" || body["next"] != nil {
		t.Fatalf("second page: %d %v", status, body)
	}
	if q := db.queries[1]; *q.TableName != "resources" || q.ExclusiveStartKey["resourceArn"].(*types.AttributeValueMemberS).Value != "arn:aws:s3:::b" ||
		q.ExclusiveStartKey["accountKey"].(*types.AttributeValueMemberS).Value != "t-1#aws-111122223333" {
		t.Fatalf("second query = %+v", q)
	}
}

func TestListDefaultLimit(t *testing.T) {
	h, db := newHandler()
	if status, body := call(t, h, request("aws-111122223333", nil, reader("t-1"))); status != http.StatusOK || len(body["items"].([]any)) != 3 {
		t.Fatalf("status %d: %v", status, body)
	}
	if *db.queries[0].Limit != 25 {
		t.Fatalf("limit = %d, want 25", *db.queries[0].Limit)
	}
}

func TestListRejectsBadInput(t *testing.T) {
	h, db := newHandler()
	otherToken := encodeToken(pageToken{AccountID: "aws-444455556666", ResourceArn: "arn:aws:s3:::z"})
	for name, tc := range map[string]struct {
		accountID string
		query     map[string]string
		field     string
	}{
		"limit zero":       {"aws-111122223333", map[string]string{"limit": "0"}, "limit"},
		"limit too large":  {"aws-111122223333", map[string]string{"limit": "101"}, "limit"},
		"limit not number": {"aws-111122223333", map[string]string{"limit": "ten"}, "limit"},
		"token garbage":    {"aws-111122223333", map[string]string{"next": "!!"}, "next"},
		"token not json":   {"aws-111122223333", map[string]string{"next": "bm9wZQ"}, "next"},
		"token of another": {"aws-111122223333", map[string]string{"next": otherToken}, "next"},
		"account id":       {"aws/../x", nil, "accountId"},
		"no account id":    {"", nil, "accountId"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := call(t, h, request(tc.accountID, tc.query, reader("t-1")))
			errs, _ := body["errors"].(map[string]any)
			if status != http.StatusBadRequest || errs[tc.field] == nil {
				t.Fatalf("status %d: %v, want 400 naming %s", status, body, tc.field)
			}
		})
	}
	if len(db.queries) != 0 {
		t.Fatal("an invalid request reached the table")
	}
}

func TestListHidesAccountsOfOthers(t *testing.T) {
	h, _ := newHandler()
	_, missing := call(t, h, request("aws-000000000000", nil, reader("t-1")))
	for _, id := range []string{"aws-000000000000", "aws-444455556666", "aws-777788889999"} {
		status, body := call(t, h, request(id, nil, reader("t-1")))
		if status != http.StatusNotFound {
			t.Fatalf("%s: status %d: %v, want 404", id, status, body)
		}
		// Another tenant's account answers exactly like one that does not exist.
		if strings.ReplaceAll(body["detail"].(string), id, "X") != strings.ReplaceAll(missing["detail"].(string), "aws-000000000000", "X") {
			t.Fatalf("%s: detail %q differs from a missing account's", id, body["detail"])
		}
	}
}

func TestListRequiresScopeAndTenant(t *testing.T) {
	h, _ := newHandler()
	for name, claims := range map[string]map[string]string{
		"no scope":  {"sub": "u-1", "scope": "accounts:read", "tenant": "t-1"},
		"no tenant": {"sub": "u-1", "scope": "inventory:read"},
	} {
		if status, body := call(t, h, request("aws-111122223333", nil, claims)); status != http.StatusForbidden {
			t.Errorf("%s: status %d: %v, want 403", name, status, body)
		}
	}
	if status, _ := call(t, h, request("aws-111122223333", nil, nil)); status != http.StatusInternalServerError {
		t.Errorf("no authorizer: status %d, want 500", status)
	}
}

func TestListHidesInternalErrors(t *testing.T) {
	for name, breakIt := range map[string]func(*fakeDB){
		"accounts":  func(db *fakeDB) { db.getErr = errors.New("dynamodb: GetItem on accounts: throttled") },
		"resources": func(db *fakeDB) { db.queryErr = errors.New("dynamodb: Query on resources: throttled") },
	} {
		t.Run(name, func(t *testing.T) {
			h, db := newHandler()
			breakIt(db)
			status, body := call(t, h, request("aws-111122223333", nil, reader("t-1")))
			if status != http.StatusInternalServerError || strings.Contains(body["detail"].(string), "throttled") {
				t.Fatalf("status %d: %v", status, body)
			}
		})
	}
}

// TestListReadsOnlyTheCallersTenant is the interleaving of issue 10 as the API sees it:
// tenant A removed account X, but A's AccountDisconnected is late or dead-lettered, so A's
// resources of X are still stored; tenant B registered X. B reads X and gets B's resources
// only (none yet), never A's; a page token of A's cannot reach them either.
func TestListReadsOnlyTheCallersTenant(t *testing.T) {
	h, db := newHandler()
	const x = "aws-111122223333"
	db.accounts[[2]string{"t-9", x}] = store.Account{TenantID: "t-9", AccountID: x, Generation: 2}

	status, body := call(t, h, request(x, map[string]string{"limit": "1"}, reader("t-9")))
	if status != http.StatusOK || len(body["items"].([]any)) != 0 || body["next"] != nil {
		t.Fatalf("B's read of X = %d %v, want 200 with none of A's resources", status, body)
	}
	// A's own page token, replayed by B, starts in B's partition.
	aToken := encodeToken(pageToken{AccountID: x, ResourceArn: "arn:aws:s3:::a"})
	status, body = call(t, h, request(x, map[string]string{"next": aToken}, reader("t-9")))
	if status != http.StatusOK || len(body["items"].([]any)) != 0 {
		t.Fatalf("B's read of X with A's token = %d %v, want none of A's resources", status, body)
	}
	for _, q := range db.queries {
		if key := q.ExpressionAttributeValues[":k"].(*types.AttributeValueMemberS).Value; key != "t-9#"+x {
			t.Fatalf("B's request queried the partition %q", key)
		}
	}
}

func TestVersion2GroupsByService(t *testing.T) {
	h, db := newHandler()
	h.version = version2
	db.resources = append(db.resources,
		store.Resource{AccountKey: store.PartitionKey("t-1", "aws-111122223333"), TenantID: "t-1", AccountID: "aws-111122223333",
			ResourceArn: "arn:aws:sqs:eu-west-1:111122223333:q", ResourceType: "sqs:queue", DiscoveredAt: "2026-01-02T00:00:00Z"},
		store.Resource{AccountKey: store.PartitionKey("t-1", "aws-111122223333"), TenantID: "t-1", AccountID: "aws-111122223333",
			ResourceArn: "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", ResourceType: "ec2:instance", DiscoveredAt: "2026-01-02T00:00:00Z"},
	)
	// The fake serves one ordered list: sort it as DynamoDB orders the partition's range key.
	slices.SortFunc(db.resources, func(a, b store.Resource) int { return strings.Compare(a.ResourceArn, b.ResourceArn) })

	resp := serve(t, h, request("aws-111122223333", map[string]string{"limit": "4"}, reader("t-1")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	var got servicePage
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatal(err)
	}
	var services []string
	for _, s := range got.Services {
		var arns []string
		for _, r := range s.Resources {
			arns = append(arns, r.ARN)
		}
		services = append(services, s.Service+" "+strings.Join(arns, ","))
	}
	want := []string{"ec2 arn:aws:ec2:eu-west-1:111122223333:instance/i-1", "s3 arn:aws:s3:::a,arn:aws:s3:::b,arn:aws:s3:::c"}
	if !slices.Equal(services, want) || got.Next == "" {
		t.Fatalf("services = %q, next %q; want %q and a next page", services, got.Next, want)
	}
	if _, ok := resp.Headers["Deprecation"]; ok {
		t.Error("version 2 is not deprecated")
	}
}

func TestVersion1AnnouncesItsSunset(t *testing.T) {
	h, _ := newHandler()
	resp := serve(t, h, request("aws-111122223333", nil, reader("t-1")))
	for _, header := range []string{"Deprecation", "Sunset", "Link"} {
		if resp.Headers[header] == "" {
			t.Errorf("version 1's response has no %s header: %v", header, resp.Headers)
		}
	}
	if want := "Mon, 31 May 2027 00:00:00 GMT"; resp.Headers["Sunset"] != want {
		t.Errorf("Sunset = %q, want %q", resp.Headers["Sunset"], want)
	}
}

func TestUnknownVersion(t *testing.T) {
	if _, err := spec("3"); err == nil || err.Error() != `API_VERSION "3" is not a version of the API; allowed 1, 2` {
		t.Fatalf("spec(3) = %v", err)
	}
}
