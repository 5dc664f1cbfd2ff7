package plan

// requiredObservability lists the properties the audit, log and billing types must be
// given, as the Terraform AWS provider requires them (a name Pulumi generates is not listed).
func requiredObservability(typ string) []string {
	switch typ {
	case "aws:cloudtrail/trail:Trail":
		return []string{"s3BucketName"}
	case "awsx:cloudtrail:Trail":
		return []string{"s3Bucket"}
	case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
		return []string{"destination"}
	case "aws:cloudwatch/logDestination:LogDestination":
		return []string{"roleArn", "targetArn"}
	case "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy":
		return []string{"destinationName", "accessPolicy"}
	case "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
		return []string{"destinationArn", "filterPattern", "logGroup"}
	case "aws:budgets/budget:Budget":
		return []string{"budgetType", "timeUnit"}
	}
	return nil
}

// answerObservability answers the audit, log and billing types with the ids the provider
// gives them and the ARNs AWS does; name is the physical name (the logical one without a
// name input).
func answerObservability(typ, name, urn string, in map[string]any, r, a string) (string, map[string]any, bool) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "aws:cloudtrail/trail:Trail":
		arn := "arn:aws:cloudtrail:" + r + ":" + a + ":trail/" + name
		return arn, map[string]any{"arn": arn, "name": name, "homeRegion": r}, true
	case "aws:kinesis/stream:Stream":
		arn := "arn:aws:kinesis:" + r + ":" + a + ":stream/" + name
		return arn, map[string]any{"arn": arn, "name": name}, true
	case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
		arn := "arn:aws:firehose:" + r + ":" + a + ":deliverystream/" + name
		return arn, map[string]any{"arn": arn, "name": name, "destinationId": "destinationId-000000000001"}, true
	case "aws:cloudwatch/logDestination:LogDestination":
		return name, map[string]any{"arn": "arn:aws:logs:" + r + ":" + a + ":destination:" + name, "name": name}, true
	case "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy":
		return str("destinationName"), map[string]any{}, true
	case "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
		// The provider's id: "cwlsf-" and a hash of the group and the filter's name.
		return "cwlsf-" + hash(str("logGroup")+name, 10), map[string]any{"name": name}, true
	case "aws:budgets/budget:Budget":
		return a + ":" + name, map[string]any{"arn": "arn:aws:budgets::" + a + ":budget/" + name, "name": name,
			"accountId": a}, true
	case "aws:opensearch/domain:Domain":
		n := str("domainName")
		if n == "" {
			n = name
		}
		arn := "arn:aws:es:" + r + ":" + a + ":domain/" + n
		return arn, map[string]any{"arn": arn, "domainName": n, "domainId": a + "/" + n,
			"endpoint": "search-" + n + "-" + hash(urn, 26) + "." + r + ".es.amazonaws.com"}, true
	}
	return "", nil, false
}
