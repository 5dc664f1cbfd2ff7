package plan

import (
	"maps"
	"strings"
)

// cloudFrontZone is the Route 53 zone of every CloudFront distribution's domain name.
const cloudFrontZone = "Z2FDTNDATAQYW2"

// answerEdge answers the types of custom domains: certificates with the DNS record ACM asks
// for, records by their name, API Gateway domain names with their regional target, and
// CloudFront distributions. short is a stable digest of the resource's URN.
func answerEdge(typ, short string, in map[string]any, r, a string) (string, map[string]any, bool) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "aws:acm/certificate:Certificate":
		arn := "arn:aws:acm:" + r + ":" + a + ":certificate/" + uuid(short)
		domain := str("domainName")
		return arn, map[string]any{"arn": arn, "domainValidationOptions": []any{map[string]any{
			"domainName":          domain,
			"resourceRecordName":  "_" + short + "." + domain + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + hash(short, 32) + ".acm-validations.aws.",
		}}}, true
	case "aws:acm/certificateValidation:CertificateValidation":
		return str("certificateArn"), map[string]any{}, true
	case "aws:route53/record:Record":
		name := strings.TrimSuffix(str("name"), ".")
		return str("zoneId") + "_" + name + "_" + str("type"), map[string]any{"fqdn": name}, true
	case "aws:apigatewayv2/domainName:DomainName":
		n := str("domainName")
		conf, _ := in["domainNameConfiguration"].(map[string]any)
		conf = maps.Clone(conf)
		if conf == nil {
			conf = map[string]any{}
		}
		conf["targetDomainName"] = "d-" + short + ".execute-api." + r + ".amazonaws.com"
		conf["hostedZoneId"] = "Z" + strings.ToUpper(hash(r, 13))
		return n, map[string]any{"apiMappingSelectionExpression": "$request.basepath",
			"arn": "arn:aws:apigateway:" + r + "::/domainnames/" + n, "domainNameConfiguration": conf}, true
	case "aws:cloudfront/distribution:Distribution":
		id := "E" + strings.ToUpper(short[:13])
		return id, map[string]any{"arn": "arn:aws:cloudfront::" + a + ":distribution/" + id,
			"domainName": "d" + short[:13] + ".cloudfront.net", "hostedZoneId": cloudFrontZone}, true
	}
	return "", nil, false
}
