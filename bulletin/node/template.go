package node

import _ "embed"

//go:embed template.yaml
var template []byte

// Template returns a commented node config with the defaults filled in and
// a <placeholder> wherever a value is needed; `evote node init` writes it.
func Template() []byte { return append([]byte(nil), template...) }
