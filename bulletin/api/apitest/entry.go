package apitest

import (
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/evote/evote/election"
)

// Key returns a reproducible author key for tests.
func Key(seed byte) ed25519.PrivateKey {
	s := sha256.Sum256([]byte{'a', 'u', 't', 'h', 'o', 'r', seed})
	return ed25519.NewKeyFromSeed(s[:])
}

// Entry returns the canonical bytes of an entry of type typ for election el
// with payload, signed by key. It is well-formed (election.DecodeEntry
// accepts it) but its payload follows no rule: apitest.Board does not care.
func Entry(key ed25519.PrivateKey, el election.ID, typ election.EntryType, payload []byte) []byte {
	e := &election.Entry{Version: election.ProtocolVersion, Type: typ, Election: el, Payload: payload}
	if typ == election.TypeManifest {
		e.Election = election.ID{}
	}
	e.Sign(key)
	return e.Bytes()
}
