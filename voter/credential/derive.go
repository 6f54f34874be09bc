package credential

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"

	"github.com/evote/evote/election"
)

// keyInfo is the HKDF info string of the key derivation; a new derivation
// gets a new string.
const keyInfo = "evote/credential/v1"

// Key returns the Ed25519 signing key that code c gives in the election
// with id electionID:
//
//	seed = HKDF-SHA256(ikm = the 16 code bytes, salt = the 32-byte election id,
//	                   info = "evote/credential/v1", length 32)
//	key  = Ed25519 private key from seed (RFC 8032 §5.1.5)
//
// Binding the election id means that one code used in two elections gives
// two unrelated keys, so ballots in one cannot be linked to the other.
func (c Code) Key(electionID election.ID) ed25519.PrivateKey {
	seed, err := hkdf.Key(sha256.New, c.b[:], electionID[:], keyInfo, ed25519.SeedSize)
	if err != nil {
		// HKDF-SHA256 fails only for more than 255·32 bytes of output.
		panic("credential: hkdf: " + err.Error())
	}
	k := ed25519.NewKeyFromSeed(seed)
	clear(seed)
	return k
}

// PublicKey returns the public half of c.Key(electionID), the key that the
// credential list carries.
func (c Code) PublicKey(electionID election.ID) ed25519.PublicKey {
	return c.Key(electionID).Public().(ed25519.PublicKey)
}
