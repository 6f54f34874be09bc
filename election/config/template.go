package config

import _ "embed"

//go:embed template.yaml
var template []byte

// Template returns a config with a comment on every field, the defaults
// filled in and a <placeholder> wherever the commission must supply a
// value; Parse reports each placeholder until it is replaced.
func Template() []byte {
	return append([]byte(nil), template...)
}
