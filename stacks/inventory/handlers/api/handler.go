package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/api"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// scopeRead is the OAuth scope that the route requires.
const scopeRead = "inventory:read"

// claimTenant is the JWT claim that names the caller's tenant.
const claimTenant = "tenant"

// Page sizes: the same bounds as the accounts context's list.
const (
	defaultLimit = 25
	maxLimit     = 100
	maxIDLength  = 64
)

// database is the part of the DynamoDB client that the handler uses.
type database interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	store.Querier
}

// handler serves GET /accounts/{accountId}/resources of one major version of the API.
type handler struct {
	db             database
	accountsTable  string
	resourcesTable string
	version        string
}

// resource is a resource as the API shows it.
type resource struct {
	ResourceArn  string            `json:"resourceArn"`
	ResourceType string            `json:"resourceType"`
	Tags         map[string]string `json:"tags"`
	DiscoveredAt string            `json:"discoveredAt"`
}

// page is the response body: a page of resources and, when there are more, the token of
// the next page.
type page struct {
	AccountID string     `json:"accountId"`
	Items     []resource `json:"items"`
	Next      string     `json:"next,omitempty"`
}

// pageToken is what the opaque "next" token holds: the account and the last resource of the
// previous page. It holds no tenant: the start key is built with the caller's.
type pageToken struct {
	AccountID   string `json:"accountId"`
	ResourceArn string `json:"resourceArn"`
}

// Handle answers a request; every error becomes a problem response, and only the ones
// meant for the client say what went wrong.
func (h *handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body, err := h.list(ctx, req)
	if err != nil {
		return api.ErrorResponse(ctx, err), nil
	}
	if h.version == version2 {
		return api.JSON(http.StatusOK, grouped(body)), nil
	}
	return api.JSON(http.StatusOK, body), nil
}

func (h *handler) list(ctx context.Context, req events.APIGatewayV2HTTPRequest) (page, error) {
	claims, err := api.RequireScope(req, scopeRead)
	if err != nil {
		return page{}, err
	}
	tenant := claims.Claims[claimTenant]
	if tenant == "" {
		return page{}, fmt.Errorf("token has no %q claim: %w", claimTenant, lambdakit.ErrForbidden)
	}
	accountID, limit, start, err := parseRequest(req)
	if err != nil {
		return page{}, err
	}
	if err := h.checkAccount(ctx, tenant, accountID); err != nil {
		return page{}, err
	}
	// The tenant is part of the key: a query can only reach the caller's own data, whatever
	// the account id or the page token says.
	in := &dynamodb.QueryInput{
		TableName:              aws.String(h.resourcesTable),
		KeyConditionExpression: aws.String(store.AttrAccountKey + " = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":k": &types.AttributeValueMemberS{Value: store.PartitionKey(tenant, accountID)},
		},
		Limit: aws.Int32(limit),
	}
	if start != nil {
		in.ExclusiveStartKey = store.ResourceKey(tenant, accountID, start.ResourceArn)
	}
	out, err := h.db.Query(ctx, in)
	if err != nil {
		return page{}, fmt.Errorf("query %s: %w", h.resourcesTable, err)
	}
	var items []store.Resource
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return page{}, fmt.Errorf("query %s: decode: %w", h.resourcesTable, err)
	}
	p := page{AccountID: accountID, Items: make([]resource, 0, len(items))}
	for _, r := range items {
		tags := r.Tags
		if tags == nil {
			tags = map[string]string{}
		}
		p.Items = append(p.Items, resource{ResourceArn: r.ResourceArn, ResourceType: r.ResourceType, Tags: tags, DiscoveredAt: r.DiscoveredAt})
	}
	if len(out.LastEvaluatedKey) > 0 {
		var last store.Resource
		if err := attributevalue.UnmarshalMap(out.LastEvaluatedKey, &last); err != nil {
			return page{}, fmt.Errorf("query %s: decode last key: %w", h.resourcesTable, err)
		}
		p.Next = encodeToken(pageToken{AccountID: accountID, ResourceArn: last.ResourceArn})
	}
	return p, nil
}

// checkAccount fails with ErrNotFound unless tenant has a registration of accountID that is
// not removed. Another tenant's registration is another item, which this read cannot
// reach, so its existence is not revealed.
func (h *handler) checkAccount(ctx context.Context, tenant, accountID string) error {
	out, err := h.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:            aws.String(h.accountsTable),
		Key:                  store.AccountKey(tenant, accountID),
		ProjectionExpression: aws.String(store.AttrTenantID + ", " + store.AttrDisconnectedAt),
	})
	if err != nil {
		return fmt.Errorf("get item from %s: %w", h.accountsTable, err)
	}
	var a store.Account
	if err := attributevalue.UnmarshalMap(out.Item, &a); err != nil {
		return fmt.Errorf("get item from %s: decode: %w", h.accountsTable, err)
	}
	if out.Item == nil || a.Disconnected() || a.TenantID != tenant {
		return fmt.Errorf("account %q: %w", accountID, lambdakit.ErrNotFound)
	}
	return nil
}

// parseRequest returns the account id, page size and start key of req, or a
// ValidationError naming every invalid parameter.
func parseRequest(req events.APIGatewayV2HTTPRequest) (string, int32, *pageToken, error) {
	fields := map[string]string{}
	accountID := req.PathParameters["accountId"]
	if !validID(accountID) {
		fields["accountId"] = fmt.Sprintf("must be 1 to %d letters, digits, '-' or '_'", maxIDLength)
	}
	limit := int32(defaultLimit)
	if s, ok := req.QueryStringParameters["limit"]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			fields["limit"] = fmt.Sprintf("must be an integer from 1 to %d, got %q", maxLimit, s)
		} else {
			limit = int32(n)
		}
	}
	var start *pageToken
	if s, ok := req.QueryStringParameters["next"]; ok {
		t, ok := decodeToken(s)
		// A token of another account would page through that account's resources
		// without the tenant check.
		if !ok || t.AccountID != accountID {
			fields["next"] = "must be a token returned by this API for this account"
		} else {
			start = &t
		}
	}
	if len(fields) > 0 {
		return "", 0, nil, &lambdakit.ValidationError{Fields: fields}
	}
	return accountID, limit, start, nil
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLength {
		return false
	}
	for _, c := range id {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// encodeToken returns t as an opaque token that is safe in a URL.
func encodeToken(t pageToken) string {
	// Marshal cannot fail: pageToken holds two strings.
	data, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(data)
}

// decodeToken reads a token of encodeToken, and reports false for anything else.
func decodeToken(s string) (pageToken, bool) {
	data, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return pageToken{}, false
	}
	var t pageToken
	if err := json.Unmarshal(data, &t); err != nil || t.AccountID == "" || t.ResourceArn == "" {
		return pageToken{}, false
	}
	return t, true
}
