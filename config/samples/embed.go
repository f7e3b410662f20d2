// Package samples embeds the seed page's examples, which `infra-operator
// local` applies when no -f is given.
package samples

import "embed"

// Examples holds *.yaml, one example (or one family of examples) a file.
//
//go:embed *.yaml
var Examples embed.FS
