package election

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/evote/evote/election/wire"
)

// IDSize is the length of entry ids and election ids.
const IDSize = sha256.Size

// ID identifies an entry: SHA-256 of its canonical bytes. The manifest
// entry's ID is the election id, which is also the election context hash
// that every proof binds.
type ID [IDSize]byte

// String returns the id in hex.
func (id ID) String() string { return fmt.Sprintf("%x", id[:]) }

// MaxPayload bounds an entry's payload.
const MaxPayload = 8 << 20

// signingDomain prefixes every signed message, so an entry signature can
// never be mistaken for a signature over anything else.
const signingDomain = "evote/entry/v1"

// Entry is one message on the board: typed, bound to one election, signed by
// its author. Its encoding is
//
//	u16 version ‖ u8 type ‖ 32 election ‖ 32 author ‖ u32 len ‖ payload ‖ 64 signature
//
// and the signature is Ed25519 by author over signingDomain ‖ everything
// before the signature.
type Entry struct {
	Version   uint16
	Type      EntryType
	Election  ID // all zero for the manifest entry, whose own ID is the election id
	Author    ed25519.PublicKey
	Payload   []byte
	Signature []byte
}

// Errors wrapped by entry decoding and signature checks.
var (
	ErrEncoding  = errors.New("malformed entry")
	ErrSignature = errors.New("bad signature")
	ErrVersion   = errors.New("unsupported protocol version")
)

func (e *Entry) writeUnsigned(w *wire.Writer) {
	w.U16(e.Version)
	w.U8(uint8(e.Type))
	w.Fixed(e.Election[:])
	w.Fixed(e.Author)
	w.Bytes32(e.Payload)
}

// signedMessage returns what the author signs.
func (e *Entry) signedMessage() []byte {
	w := &wire.Writer{}
	w.Fixed([]byte(signingDomain))
	e.writeUnsigned(w)
	return w.Bytes()
}

// Bytes returns the canonical encoding.
func (e *Entry) Bytes() []byte {
	w := &wire.Writer{}
	e.writeUnsigned(w)
	w.Fixed(e.Signature)
	return w.Bytes()
}

// ID returns SHA-256 of the canonical encoding.
func (e *Entry) ID() ID { return sha256.Sum256(e.Bytes()) }

// Sign sets Author from key and signs the entry.
func (e *Entry) Sign(key ed25519.PrivateKey) {
	e.Author = key.Public().(ed25519.PublicKey)
	e.Signature = ed25519.Sign(key, e.signedMessage())
}

// VerifySignature checks the author's signature.
func (e *Entry) VerifySignature() error {
	if len(e.Author) != ed25519.PublicKeySize || len(e.Signature) != ed25519.SignatureSize ||
		!ed25519.Verify(e.Author, e.signedMessage(), e.Signature) {
		return fmt.Errorf("%s entry: %w", e.Type, ErrSignature)
	}
	return nil
}

// DecodeEntry parses an entry strictly: the version must be ProtocolVersion,
// the type known, the lengths exact, nothing trailing. It does not check the
// signature or the payload; see VerifySignature and the record's rules.
func DecodeEntry(b []byte) (*Entry, error) {
	e, err := decodeEnvelope(b)
	if err != nil {
		return nil, err
	}
	if e.Version != ProtocolVersion {
		return nil, fmt.Errorf("%w: %d (this is version %d)", ErrVersion, e.Version, ProtocolVersion)
	}
	if e.Type.String() == "unknown" {
		return nil, fmt.Errorf("%w: unknown entry type %d", ErrEncoding, e.Type)
	}
	return e, nil
}
