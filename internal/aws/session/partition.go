package session

import "strings"

// Partition is the ARN partition of a region: aws-cn for China, aws-us-gov
// for GovCloud, aws elsewhere.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}
