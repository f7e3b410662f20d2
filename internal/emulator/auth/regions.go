package auth

// validRegions are the regions AWS accepts in a credential scope: the
// commercial, China and GovCloud partitions, as partitions.json of
// aws-sdk-go-v2 v1.48.0 lists them (internal/endpoints/awsrulesfn). The
// isolated partitions (ISO, ISO-B, ISO-E, ISO-F, EUSC) are left out: no
// caller of the emulator signs for them. Add a region here when AWS opens
// one.
var validRegions = map[string]bool{
	// aws
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true,
	"ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ap-south-1": true, "ap-south-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-4": true,
	"ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ca-central-1": true, "ca-west-1": true,
	"eu-central-1": true, "eu-central-2": true, "eu-north-1": true, "eu-south-1": true, "eu-south-2": true,
	"eu-west-1": true, "eu-west-2": true, "eu-west-3": true,
	"il-central-1": true, "me-central-1": true, "me-south-1": true, "me-west-1": true,
	"mx-central-1": true, "sa-east-1": true, "sa-west-1": true,
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	// aws-cn
	"cn-north-1": true, "cn-northwest-1": true,
	// aws-us-gov
	"us-gov-east-1": true, "us-gov-west-1": true,
}

// ValidRegion reports whether AWS has a region of this name.
func ValidRegion(region string) bool { return validRegions[region] }
