package main

import "math"

// AWS's fixed API Gateway control-plane quotas, per account and region
// (reference: apigateway-wire.md §7). They cannot be raised, so they bound
// how fast any operator can make N APIs.
const (
	awsTotalPerSecond       = 10.0 // every management call
	awsTotalBurst           = 40.0 // tokens available at the start
	awsCreateRestAPIEveryS  = 3.0  // CreateRestApi, REGIONAL or PRIVATE
	awsCreateRestAPIBurst   = 1.0
	operatorV2ListPageSize  = 100 // GetApis MaxResults the operator asks for
	operatorV1ListPageSize  = 500 // GetRestApis limit the operator asks for
	minimumListWalksAtStart = 1   // one walk per API family before creating
)

// gatewayMix is how many objects of each family the benchmark applies.
type gatewayMix struct {
	HTTP, WebSocket, REST int
}

// mixOf splits n objects into thirds: HTTP, WEBSOCKET, REST (REGIONAL), in
// that rotation, so every n is covered.
func mixOf(n int) gatewayMix {
	var mix gatewayMix
	for i := range n {
		switch i % 3 {
		case 0:
			mix.HTTP++
		case 1:
			mix.WebSocket++
		default:
			mix.REST++
		}
	}
	return mix
}

// listWalkPages is the number of calls one full list walk of an account and
// region takes: a paged GetApis over the v2 APIs and a paged GetRestApis over
// the REST APIs, each at least one page even when empty.
func (m gatewayMix) listWalkPages() int {
	return pages(m.HTTP+m.WebSocket, operatorV2ListPageSize) + pages(m.REST, operatorV1ListPageSize)
}

func pages(items, pageSize int) int {
	return max(1, (items+pageSize-1)/pageSize)
}

// necessaryCreateCalls is the least number of management calls that makes
// every API of the mix: one create each (tags travel in the create call) plus
// one list walk per family at the start, to find APIs a previous run left
// behind. At that moment the account is empty, so each walk is one page.
func (m gatewayMix) necessaryCreateCalls() int {
	return m.HTTP + m.WebSocket + m.REST + 2*minimumListWalksAtStart
}

// quotaMinSeconds is the quota-bound minimum time, in AWS seconds, to make
// every API of the mix. Two buckets bound it and the slower one wins:
//
//   - CreateRestApi allows one call every 3 s with a burst of 1, so REST
//     creates take (REST − 1) × 3 s;
//   - the account allows 10 calls per second after a burst of 40, so C
//     necessary calls take max(0, C − 40) / 10 s.
func quotaMinSeconds(m gatewayMix) float64 {
	restBound := math.Max(0, float64(m.REST)-awsCreateRestAPIBurst) * awsCreateRestAPIEveryS
	totalBound := math.Max(0, float64(m.necessaryCreateCalls())-awsTotalBurst) / awsTotalPerSecond
	return math.Max(restBound, totalBound)
}
