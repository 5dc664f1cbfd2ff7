package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	rgttypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// fakeDB is an in-memory pair of tables keyed by tenant: the registrations, for the
// transactions' condition checks, and the resources by partition key and ARN.
type fakeDB struct {
	accounts     map[[2]string]store.Account
	resources    map[string]map[string]store.Resource
	transactions []*dynamodb.TransactWriteItemsInput
	queryErr     error
	writeErr     error
	// beforeWrite runs before each transaction, so that a test can change the registration
	// while the scan runs.
	beforeWrite func()
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	if *in.TableName != "resources" || *in.KeyConditionExpression != "accountKey = :k" || !aws.ToBool(in.ConsistentRead) {
		return nil, fmt.Errorf("fake: unsupported query %+v", in)
	}
	key := in.ExpressionAttributeValues[":k"].(*types.AttributeValueMemberS).Value
	out := &dynamodb.QueryOutput{}
	for _, arn := range slices.Sorted(maps.Keys(f.resources[key])) {
		item, err := attributevalue.MarshalMap(f.resources[key][arn])
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// TransactWriteItems checks the condition check the way DynamoDB would (the item's
// generation, and no tombstone), then applies the puts and deletes of resources.
func (f *fakeDB) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if f.beforeWrite != nil {
		f.beforeWrite()
	}
	f.transactions = append(f.transactions, in)
	if f.writeErr != nil {
		return nil, f.writeErr
	}
	check := in.TransactItems[0].ConditionCheck
	if check == nil || *check.TableName != "accounts" || *check.ConditionExpression != "generation = :g AND attribute_not_exists(disconnectedAt)" {
		return nil, fmt.Errorf("fake: the first item is not the registration's check: %+v", in.TransactItems[0])
	}
	key := [2]string{check.Key["tenantId"].(*types.AttributeValueMemberS).Value, check.Key["accountId"].(*types.AttributeValueMemberS).Value}
	a, ok := f.accounts[key]
	if !ok || a.Disconnected() || strconv.FormatInt(a.Generation, 10) != check.ExpressionAttributeValues[":g"].(*types.AttributeValueMemberN).Value {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i].Code = aws.String("None")
		}
		reasons[0].Code = aws.String("ConditionalCheckFailed")
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
	}
	for _, it := range in.TransactItems[1:] {
		switch {
		case it.Delete != nil && *it.Delete.TableName == "resources":
			k := it.Delete.Key
			delete(f.resources[k["accountKey"].(*types.AttributeValueMemberS).Value], k["resourceArn"].(*types.AttributeValueMemberS).Value)
		case it.Put != nil && *it.Put.TableName == "resources":
			var r store.Resource
			if err := attributevalue.UnmarshalMap(it.Put.Item, &r); err != nil {
				return nil, err
			}
			if f.resources[r.AccountKey] == nil {
				f.resources[r.AccountKey] = map[string]store.Resource{}
			}
			f.resources[r.AccountKey][r.ResourceArn] = r
		default:
			return nil, fmt.Errorf("fake: unsupported transaction item %+v", it)
		}
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

// fakeLambda answers the accounts context's connection function, by tenant and account, and
// its claim function, which claims for the tenants in claimable.
type fakeLambda struct {
	calls       []*awslambda.InvokeInput
	connections map[[2]string]*awslambda.InvokeOutput
	claimable   map[string]bool
	err         error
}

func (f *fakeLambda) Invoke(_ context.Context, in *awslambda.InvokeInput, _ ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error) {
	f.calls = append(f.calls, in)
	if f.err != nil {
		return nil, f.err
	}
	switch *in.FunctionName {
	case connectionFunction:
		var req accounts.ConnectionRequest
		if err := json.Unmarshal(in.Payload, &req); err != nil {
			return nil, err
		}
		if out, ok := f.connections[[2]string{req.TenantID, req.AccountID}]; ok {
			return out, nil
		}
		return answer(accounts.ConnectionResponse{Error: "account " + req.AccountID + " has no usable registration of this tenant"}), nil
	case claimFunction:
		var req accounts.ClaimRequest
		if err := json.Unmarshal(in.Payload, &req); err != nil {
			return nil, err
		}
		return answer(accounts.ClaimResponse{Claimed: f.claimable[req.TenantID]}), nil
	}
	return nil, fmt.Errorf("fake: no function %s", *in.FunctionName)
}

func answer(v any) *awslambda.InvokeOutput {
	payload, _ := json.Marshal(v)
	return &awslambda.InvokeOutput{StatusCode: 200, Payload: payload}
}

// connectionOf answers for tenant's registration of generation g of the AWS account external.
func connectionOf(tenant, external string, g int64, status string) *awslambda.InvokeOutput {
	return answer(accounts.ConnectionResponse{
		TenantID: tenant, AccountID: "aws-" + external, Generation: g, Status: status, Provider: "aws", ExternalAccountID: external,
		RoleArn: "arn:aws:iam::" + external + ":role/" + accounts.ReaderRoleName("dev"), ExternalID: "x-" + tenant + "-" + external,
	})
}

// fakeSTS returns credentials whose access key id is the role's account, unless the role
// is in fail.
type fakeSTS struct {
	calls []*sts.AssumeRoleInput
	fail  map[string]error
}

func (f *fakeSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	f.calls = append(f.calls, in)
	if err := f.fail[*in.RoleArn]; err != nil {
		return nil, err
	}
	account := strings.Split(*in.RoleArn, ":")[4]
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{
		AccessKeyId: aws.String(account), SecretAccessKey: aws.String("secret"), SessionToken: aws.String("token"),
		Expiration: aws.Time(time.Now().Add(15 * time.Minute)),
	}}, nil
}

// fakeTagging serves the resources of the account whose credentials the call carries, by
// access key id, in pages of one.
type fakeTagging struct {
	resources map[string]map[string]map[string]string // access key, ARN, tags
	calls     int
}

func (f *fakeTagging) GetResources(ctx context.Context, in *resourcegroupstaggingapi.GetResourcesInput, optFns ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error) {
	f.calls++
	var o resourcegroupstaggingapi.Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Credentials == nil {
		return nil, errors.New("fake: no credentials for the customer's account")
	}
	creds, err := o.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	arns := slices.Sorted(maps.Keys(f.resources[creds.AccessKeyID]))
	i := 0
	if in.PaginationToken != nil {
		if _, err := fmt.Sscan(*in.PaginationToken, &i); err != nil {
			return nil, err
		}
	}
	out := &resourcegroupstaggingapi.GetResourcesOutput{PaginationToken: aws.String("")}
	if i < len(arns) {
		m := rgttypes.ResourceTagMapping{ResourceARN: aws.String(arns[i])}
		for k, v := range f.resources[creds.AccessKeyID][arns[i]] {
			m.Tags = append(m.Tags, rgttypes.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		out.ResourceTagMappingList = []rgttypes.ResourceTagMapping{m}
	}
	if i+1 < len(arns) {
		out.PaginationToken = aws.String(fmt.Sprint(i + 1))
	}
	return out, nil
}

type fakeSNS struct {
	published []*sns.PublishInput
	err       error
}

func (f *fakeSNS) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.published = append(f.published, in)
	return &sns.PublishOutput{MessageId: aws.String("m-1")}, nil
}
