// Package election is the shared model of an evote election: the manifest
// that a commission signs, every entry of the public record with its one
// canonical encoding, and the rules that say which entry is valid when.
//
// The board, the voters, the trustees, the tally and the observer's verifier
// all take their definitions from here, so they cannot disagree. The package
// knows nothing of transport; crypto/ does the cryptography.
//
// docs/SPEC.md specifies every encoding and check byte for byte.
package election
