package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// fakeDB is an in-memory pair of tables: the scan's account ids, returned one per page,
// and the resources by account id and ARN.
type fakeDB struct {
	accountIDs []string
	resources  map[string]map[string]store.Resource
	scans      []*dynamodb.ScanInput
	scanErr    error
	queryErr   error
}

func (f *fakeDB) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.scans = append(f.scans, in)
	if f.scanErr != nil {
		return nil, f.scanErr
	}
	out := &dynamodb.ScanOutput{}
	i := len(f.scans) - 1
	if i < len(f.accountIDs) {
		out.Items = []map[string]types.AttributeValue{store.AccountKey(f.accountIDs[i])}
	}
	if i < len(f.accountIDs)-1 {
		out.LastEvaluatedKey = store.AccountKey(f.accountIDs[i])
	}
	return out, nil
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	id := in.ExpressionAttributeValues[":a"].(*types.AttributeValueMemberS).Value
	out := &dynamodb.QueryOutput{}
	for _, arn := range slices.Sorted(maps.Keys(f.resources[id])) {
		item, err := attributevalue.MarshalMap(f.resources[id][arn])
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func (f *fakeDB) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	for _, req := range in.RequestItems["resources"] {
		if req.DeleteRequest != nil {
			key := req.DeleteRequest.Key
			delete(f.resources[key["accountId"].(*types.AttributeValueMemberS).Value], key["resourceArn"].(*types.AttributeValueMemberS).Value)
			continue
		}
		var r store.Resource
		if err := attributevalue.UnmarshalMap(req.PutRequest.Item, &r); err != nil {
			return nil, err
		}
		if f.resources[r.AccountID] == nil {
			f.resources[r.AccountID] = map[string]store.Resource{}
		}
		f.resources[r.AccountID][r.ResourceArn] = r
	}
	return &dynamodb.BatchWriteItemOutput{}, nil
}

// fakeLambda answers the connection function's invocations by account id.
type fakeLambda struct {
	calls   []*awslambda.InvokeInput
	answers map[string]*awslambda.InvokeOutput
	err     error
}

func (f *fakeLambda) Invoke(_ context.Context, in *awslambda.InvokeInput, _ ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error) {
	f.calls = append(f.calls, in)
	if f.err != nil {
		return nil, f.err
	}
	var req accounts.ConnectionRequest
	if err := json.Unmarshal(in.Payload, &req); err != nil {
		return nil, err
	}
	return f.answers[req.AccountID], nil
}

func connectionOf(external string) *awslambda.InvokeOutput {
	payload, _ := json.Marshal(accounts.ConnectionResponse{
		AccountID: "aws-" + external, Provider: "aws", ExternalAccountID: external,
		RoleArn: "arn:aws:iam::" + external + ":role/" + accounts.ReaderRoleName, ExternalID: "x-" + external,
	})
	return &awslambda.InvokeOutput{StatusCode: 200, Payload: payload}
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
