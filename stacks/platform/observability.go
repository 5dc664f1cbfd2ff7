package platform

// observabilityGrants cover log groups and their subscriptions, alarms, dashboards, the audit
// trail and budgets.
func (s ciScope) observabilityGrants() []grant {
	// Functions log to /aws/lambda/<function>, HTTP APIs to /aws/apigateway/<api>/access; a
	// group's ARN with ":*" (its streams) matches too.
	logGroups := []string{
		s.arn("logs", "log-group:/aws/apigateway/"+s.prefix+"*"),
		s.arn("logs", "log-group:/aws/lambda/"+s.prefix+"*"),
		s.arn("logs", "log-group:"+s.prefix+"*"),
	}
	alarms := []string{
		s.arn("cloudwatch", "alarm:"+s.prefix+"*"),
		// Application Auto Scaling names the alarms of a table's target tracking policy.
		s.arn("cloudwatch", "alarm:TargetTracking-table/"+s.prefix+"*"),
	}
	if s.region != billingRegion {
		// The billing alarm is in us-east-1, where AWS publishes the billing metrics.
		alarms = append(alarms, "arn:aws:cloudwatch:"+billingRegion+":"+s.account+":alarm:"+s.prefix+"*")
	}
	return []grant{
		{
			sid:  "LogGroups",
			read: []string{"logs:DescribeSubscriptionFilters", "logs:ListTagsForResource", "logs:ListTagsLogGroup"},
			write: []string{"logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup",
				"logs:DeleteRetentionPolicy", "logs:DeleteSubscriptionFilter", "logs:DisassociateKmsKey",
				"logs:PutRetentionPolicy", "logs:PutSubscriptionFilter", "logs:TagLogGroup", "logs:TagResource",
				"logs:UntagLogGroup", "logs:UntagResource"},
			resources: logGroups,
		},
		{
			// DescribeLogGroups is authorised on the account's log groups as a whole: the
			// request names a prefix, not a group. It returns settings, never log events.
			sid: "DescribeLogGroups", read: []string{"logs:DescribeLogGroups"},
			resources: []string{s.arn("logs", "log-group:*")},
		},
		{
			sid:  "LogDestinations",
			read: []string{"logs:DescribeDestinations", "logs:ListTagsForResource"},
			write: []string{"logs:DeleteDestination", "logs:PutDestination", "logs:PutDestinationPolicy",
				"logs:PutSubscriptionFilter", "logs:TagResource", "logs:UntagResource"},
			resources: []string{s.arn("logs", "destination:"+s.prefix+"*")},
		},
		{
			sid: "AccessLogDelivery",
			write: []string{"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeResourcePolicies",
				"logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"},
			resources: []string{"*"},
		},
		{
			sid:       "Alarms",
			read:      []string{"cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"},
			write:     []string{"cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"},
			resources: alarms,
		},
		{
			sid: "Dashboards", read: []string{"cloudwatch:GetDashboard"},
			write:     []string{"cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"},
			resources: []string{s.global("cloudwatch", "dashboard/"+s.prefix+"*")},
		},
		{
			sid: "Trails",
			read: []string{"cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:GetTrail",
				"cloudtrail:GetTrailStatus", "cloudtrail:ListTags"},
			write: []string{"cloudtrail:AddTags", "cloudtrail:CreateTrail", "cloudtrail:DeleteTrail",
				"cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:RemoveTags",
				"cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"},
			resources: []string{s.arn("cloudtrail", "trail/"+s.prefix+"*")},
		},
		{sid: "DescribeTrails", read: []string{"cloudtrail:DescribeTrails"}, resources: []string{"*"}},
		{
			sid: "Budgets", read: []string{"budgets:ListTagsForResource", "budgets:ViewBudget"},
			write:     []string{"budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"},
			resources: []string{s.global("budgets", "budget/"+s.prefix+"*")},
		},
	}
}

// billingRegion is where AWS publishes the estimated charges metric.
const billingRegion = "us-east-1"

// apiGrants cover HTTP APIs (API Gateway v2), whose ARNs are paths with ids: an API is
// created only with this environment's tags, and an existing one (with its stages, routes,
// integrations and authorizers) or its tags are changed only when it carries them. The
// custom domain and its mappings are apiDomainGrants'.
func (s ciScope) apiGrants() []grant {
	return []grant{
		{
			sid: "CreateApis", write: []string{"apigateway:POST"}, resources: []string{s.apigw("/apis")},
			conditions: s.ownTags("StringEquals", "aws:RequestTag/"),
		},
		{
			sid: "Apis", read: []string{"apigateway:GET"},
			write:      []string{"apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"},
			resources:  []string{s.apigw("/apis/*"), s.apigw("/tags/*")},
			conditions: append(s.ownTags("StringEquals", "aws:ResourceTag/"), s.ownTags("StringEqualsIfExists", "aws:RequestTag/")...),
		},
	}
}
