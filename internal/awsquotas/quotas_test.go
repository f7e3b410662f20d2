package awsquotas

import (
	"testing"
	"time"
)

func TestAccountRule(t *testing.T) {
	if got := Account(); got != (Rule{PerSecond: 10, Burst: 40}) {
		t.Fatalf("Account() = %+v, want 10/s burst 40", got)
	}
}

func TestLookupByStableKeyAndBySDKServiceID(t *testing.T) {
	tests := []struct {
		sdkID, service, operation, variant string
		interval                           time.Duration
		burst                              int
	}{
		{"API Gateway", ServiceAPIGateway, "CreateRestApi", "", 3 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "CreateRestApi", VariantEdge, 30 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "DeleteRestApi", "", 30 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "CreateDeployment", "", 5 * time.Second, 1},
		{"ApiGatewayV2", ServiceAPIGatewayV2, "CreateDeployment", "", 5 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "CreateDomainName", "", 30 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "UpdateDomainName", "", 30 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "DeleteDomainName", "", 30 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "ImportRestApi", "", 3 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "PutRestApi", "", time.Second, 1},
		{"ApiGatewayV2", ServiceAPIGatewayV2, "CreateVpcLink", "", 15 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "UpdateUsagePlan", "", 20 * time.Second, 1},
		{"API Gateway", ServiceAPIGateway, "GetResources", "", 400 * time.Millisecond, 5},
	}
	for _, tt := range tests {
		op := Operation{Service: tt.service, Name: tt.operation, Variant: tt.variant}
		rule, ok := Lookup(op)
		if !ok || rule.Interval() != tt.interval || rule.Burst != tt.burst {
			t.Errorf("Lookup(%s) = %+v (interval %v), %v; want every %v, burst %d", op, rule, rule.Interval(), ok, tt.interval, tt.burst)
		}
		if bySDK, ok := LookupSDK(tt.sdkID, tt.operation, tt.variant); !ok || bySDK != rule {
			t.Errorf("LookupSDK(%q, %q, %q) = %+v, %v; want %+v", tt.sdkID, tt.operation, tt.variant, bySDK, ok, rule)
		}
	}
}

func TestOperationsWithoutARuleHaveOnlyTheAccountQuota(t *testing.T) {
	for _, op := range []Operation{
		{Service: ServiceAPIGatewayV2, Name: "GetApis"},
		{Service: ServiceAPIGatewayV2, Name: "CreateRestApi"},
		{Service: ServiceAPIGateway, Name: "DeleteRestApi", Variant: VariantEdge},
	} {
		if rule, ok := Lookup(op); ok {
			t.Errorf("Lookup(%s) = %+v, want no rule", op, rule)
		}
	}
	if _, ok := LookupSDK("STS", "AssumeRole", ""); ok {
		t.Error("STS has an API Gateway rule")
	}
	if key, ok := ServiceKey("ApiGatewayV2"); !ok || key != ServiceAPIGatewayV2 {
		t.Errorf("ServiceKey(ApiGatewayV2) = %q, %v", key, ok)
	}
}

func TestOperationsIsACopy(t *testing.T) {
	table := Operations()
	op := Operation{Service: ServiceAPIGateway, Name: "DeleteRestApi"}
	table[op] = Rule{PerSecond: 1000, Burst: 1000}
	if rule, _ := Lookup(op); rule.Burst != 1 {
		t.Fatalf("changing the copy changed the table: %+v", rule)
	}
	if len(table) != len(operations) {
		t.Fatalf("copy has %d rules, table %d", len(table), len(operations))
	}
}

func TestOperationString(t *testing.T) {
	if got := (Operation{Service: ServiceAPIGateway, Name: "CreateRestApi", Variant: VariantEdge}).String(); got != "apigateway CreateRestApi/EDGE" {
		t.Fatalf("String() = %q", got)
	}
}
