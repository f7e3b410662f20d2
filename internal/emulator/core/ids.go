package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns n random lowercase alphanumerics, the shape of API Gateway
// ids (10 for APIs, 6 or 7 for child resources).
func NewID(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	for i, b := range buf {
		buf[i] = idAlphabet[int(b)%len(idAlphabet)]
	}
	return string(buf)
}

// NewRequestID returns a random version-4 UUID, the shape of AWS request
// ids, and its 16 bytes (the data plane derives its short id from them).
func NewRequestID() (string, [16]byte) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), b
}

// StableID derives an uppercase id of n characters from seed, so the same
// key or role always gets the same principal id.
func StableID(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	return base32.StdEncoding.EncodeToString(sum[:])[:n]
}
