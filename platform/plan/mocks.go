package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mocks answers registrations and invokes like AWS would, deterministically: the same
// program gives the same ids, ARNs and URLs on every run.
type mocks struct {
	opts Options
	rec  *recorder
}

var _ pulumi.MockResourceMonitor = (*mocks)(nil)

// NewResource records the registration and answers with the inputs plus the attributes AWS
// computes for the type.
func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	parent, deps := rpc.GetParent(), rpc.GetDependencies()
	if args.ReadRPC != nil { // a read resource, such as a stack reference
		parent, deps = args.ReadRPC.GetParent(), args.ReadRPC.GetDependencies()
	}
	urn := m.urn(parent, args.TypeToken, args.Name)
	inputs := toPlain(args.Inputs)
	id, computed, err := m.answer(args.TypeToken, args.Name, urn, inputs)
	if err != nil {
		return "", nil, fmt.Errorf("plan: %s %q: %w", args.TypeToken, args.Name, err)
	}
	state := args.Inputs.Copy()
	for k, v := range computed {
		state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	outputs := map[string]any{}
	for k, v := range computed {
		outputs[k] = v
	}
	m.rec.add(Resource{
		URN: urn, Type: args.TypeToken, Name: args.Name, Parent: parentOf(parent),
		Custom: args.Custom, Inputs: inputs, Outputs: outputs,
		Dependencies: sortedUnique(deps), Protect: rpc.GetProtect(),
		RetainOnDelete: rpc.GetRetainOnDelete(), DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		IgnoreChanges: sortedUnique(rpc.GetIgnoreChanges()),
	})
	return id, state, nil
}

// Call answers the invokes Stratum programs make; any other invoke is an error rather than
// a silent zero value.
func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r, a := m.opts.Region, m.opts.Account
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": a, "arn": "arn:aws:iam::" + a + ":user/stratum-plan", "userId": "AIDAPLAN", "id": a,
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": r, "region": r, "id": r, "endpoint": "ec2." + r + ".amazonaws.com", "description": r,
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws",
		}), nil
	}
	return nil, fmt.Errorf("plan: no offline answer for invoke %s", args.Token)
}

// urn builds the URN exactly as the SDK's mock monitor does, so recorded parents match.
func (m *mocks) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.opts.Stack), tokens.PackageName(m.opts.Project),
		parentType, tokens.Type(typ), name))
}

// parentOf drops the root stack as a parent: a top-level resource has no parent in a plan.
func parentOf(parent string) string {
	if p := resource.URN(parent); p != "" && p.QualifiedType() == resource.RootStackType {
		return ""
	}
	return parent
}

// answer returns the id and the computed attributes of a resource of type typ.
func (m *mocks) answer(typ, logical, urn string, in map[string]any) (string, map[string]any, error) {
	r, a := m.opts.Region, m.opts.Account
	name, _ := in["name"].(string)
	if name == "" {
		name = logical
	}
	short := hash(urn, 8)
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "pulumi:pulumi:StackReference":
		if m.opts.Reference == nil {
			return "", nil, fmt.Errorf("stack reference %q cannot be resolved offline", name)
		}
		outs, err := m.opts.Reference(name)
		if err != nil {
			return "", nil, err
		}
		return name, map[string]any{"name": name, "outputs": outs, "secretOutputNames": []any{}}, nil
	case "aws:kms/key:Key":
		id := uuid(urn)
		return id, map[string]any{"arn": "arn:aws:kms:" + r + ":" + a + ":key/" + id, "keyId": id}, nil
	case "aws:kms/alias:Alias":
		return name, map[string]any{"arn": "arn:aws:kms:" + r + ":" + a + ":" + name, "targetKeyArn": str("targetKeyId")}, nil
	case "aws:sns/topic:Topic":
		arn := "arn:aws:sns:" + r + ":" + a + ":" + name
		return arn, map[string]any{"arn": arn, "name": name, "owner": a}, nil
	case "aws:sns/topicSubscription:TopicSubscription":
		arn := str("topic") + ":" + uuid(urn)
		return arn, map[string]any{"arn": arn}, nil
	case "aws:sqs/queue:Queue":
		url := "https://sqs." + r + ".amazonaws.com/" + a + "/" + name
		return url, map[string]any{"arn": "arn:aws:sqs:" + r + ":" + a + ":" + name, "url": url, "name": name}, nil
	case "aws:lambda/function:Function":
		arn := "arn:aws:lambda:" + r + ":" + a + ":function:" + name
		return name, map[string]any{"arn": arn, "name": name, "invokeArn": invokeArn(r, arn),
			"qualifiedArn": arn + ":1", "qualifiedInvokeArn": invokeArn(r, arn+":1"), "version": "1"}, nil
	case "aws:lambda/alias:Alias":
		fn := str("functionName")
		if !strings.HasPrefix(fn, "arn:") {
			fn = "arn:aws:lambda:" + r + ":" + a + ":function:" + fn
		}
		arn := fn + ":" + name
		return arn, map[string]any{"arn": arn, "invokeArn": invokeArn(r, arn)}, nil
	case "aws:iam/role:Role":
		return name, map[string]any{"arn": "arn:aws:iam::" + a + ":role/" + name, "name": name, "uniqueId": "AROA" + strings.ToUpper(short)}, nil
	case "aws:iam/policy:Policy":
		arn := "arn:aws:iam::" + a + ":policy/" + name
		return arn, map[string]any{"arn": arn, "name": name, "policyId": "ANPA" + strings.ToUpper(short)}, nil
	case "aws:cloudwatch/logGroup:LogGroup":
		return name, map[string]any{"arn": "arn:aws:logs:" + r + ":" + a + ":log-group:" + name, "name": name}, nil
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return name, map[string]any{"arn": "arn:aws:cloudwatch:" + r + ":" + a + ":alarm:" + name, "name": name}, nil
	case "aws:cloudwatch/dashboard:Dashboard":
		n := str("dashboardName")
		return n, map[string]any{"dashboardArn": "arn:aws:cloudwatch::" + a + ":dashboard/" + n}, nil
	case "aws:dynamodb/table:Table":
		arn := "arn:aws:dynamodb:" + r + ":" + a + ":table/" + name
		out := map[string]any{"arn": arn, "name": name}
		if in["streamEnabled"] == true {
			out["streamArn"] = arn + "/stream/2026-01-01T00:00:00.000"
			out["streamLabel"] = "2026-01-01T00:00:00.000"
		}
		return name, out, nil
	case "aws:apigatewayv2/api:Api":
		id := hash(urn, 10)
		return id, map[string]any{"apiEndpoint": "https://" + id + ".execute-api." + r + ".amazonaws.com",
			"executionArn": "arn:aws:execute-api:" + r + ":" + a + ":" + id,
			"arn":          "arn:aws:apigateway:" + r + "::/apis/" + id}, nil
	case "aws:apigatewayv2/stage:Stage":
		api := str("apiId")
		// The $default stage is served at the API's root.
		path := name
		if name == "$default" {
			path = ""
		}
		return name, map[string]any{"invokeUrl": "https://" + api + ".execute-api." + r + ".amazonaws.com/" + path,
			"executionArn": "arn:aws:execute-api:" + r + ":" + a + ":" + api + "/" + name,
			"arn":          "arn:aws:apigateway:" + r + "::/apis/" + api + "/stages/" + name}, nil
	case "aws:apigatewayv2/domainName:DomainName":
		n := str("domainName")
		return n, map[string]any{"apiMappingSelectionExpression": "$request.basepath",
			"arn": "arn:aws:apigateway:" + r + "::/domainnames/" + n}, nil
	case "aws:scheduler/schedule:Schedule":
		group := str("groupName")
		if group == "" {
			group = "default"
		}
		arn := "arn:aws:scheduler:" + r + ":" + a + ":schedule/" + group + "/" + name
		return group + "/" + name, map[string]any{"arn": arn, "name": name}, nil
	case "aws:scheduler/scheduleGroup:ScheduleGroup":
		return name, map[string]any{"arn": "arn:aws:scheduler:" + r + ":" + a + ":schedule-group/" + name, "name": name}, nil
	case "aws:secretsmanager/secret:Secret":
		arn := "arn:aws:secretsmanager:" + r + ":" + a + ":secret:" + name + "-" + hash(urn, 6)
		return arn, map[string]any{"arn": arn, "name": name}, nil
	}
	return m.generic(typ, name, short)
}

// generic gives any other type an id and an ARN in AWS's usual shape.
func (m *mocks) generic(typ, name, short string) (string, map[string]any, error) {
	id := name + "-" + short
	service := "unknown"
	if parts := strings.SplitN(typ, ":", 3); len(parts) == 3 {
		service = strings.SplitN(parts[1], "/", 2)[0]
		if parts[0] != "aws" {
			return id, map[string]any{}, nil
		}
	}
	return id, map[string]any{"arn": "arn:aws:" + service + ":" + m.opts.Region + ":" + m.opts.Account + ":" + id}, nil
}

func invokeArn(region, fnArn string) string {
	return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + fnArn + "/invocations"
}

// hash is a stable lowercase hex digest of s, n characters long.
func hash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// uuid is a stable UUID-shaped id derived from s.
func uuid(s string) string {
	h := hash(s, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// toPlain turns a property map into JSON-friendly values: secrets masked, unknowns marked,
// archives and assets named by file, resource references by URN.
func toPlain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v.IsNull() {
			continue
		}
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return Unknown
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return toPlain(v.ObjectValue())
	case v.IsArchive():
		a := v.ArchiveValue()
		switch {
		case a.Path != "":
			return "[archive " + filepath.Base(a.Path) + "]"
		case a.URI != "":
			return "[archive " + a.URI + "]"
		}
		return "[archive]"
	case v.IsAsset():
		a := v.AssetValue()
		if a.Path != "" {
			return "[asset " + filepath.Base(a.Path) + "]"
		}
		return "[asset]"
	}
	return v.V
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
