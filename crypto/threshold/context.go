package threshold

import (
	"encoding/binary"

	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/transcript"
)

// Purposes bound into every proof and ciphertext of this package, so that
// neither can be mistaken for one made for another step or another package
// that uses the same proof type and the same election context.
const (
	purposeCoefficient = "evote/threshold/coefficient"
	purposePartial     = "evote/threshold/partial-decryption"
	purposeShare       = "evote/threshold/share-encryption"
)

// coefficientContext binds the proof of knowledge of coefficient k of
// dealer's polynomial, so that it cannot be replayed for another dealer or
// another coefficient.
func coefficientContext(ctx proof.Context, dealer, k int) proof.Context {
	return ctx.With("purpose", []byte(purposeCoefficient)).
		WithUint64("dealer", uint64(dealer)).
		WithUint64("coefficient", uint64(k))
}

// partialContext binds trustee's proof of a partial decryption.
func partialContext(ctx proof.Context, trustee int) proof.Context {
	return ctx.With("purpose", []byte(purposePartial)).WithUint64("trustee", uint64(trustee))
}

// shareInfo returns the HPKE info of the share from dealer to recipient:
// the purpose, the protocol version, the election context with all its
// bindings, the dealer and the recipient, each length-prefixed like a
// transcript field, so that a ciphertext opens only for that one share.
func shareInfo(ctx proof.Context, dealer, recipient int) []byte {
	var b []byte
	field := func(v []byte) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
		b = append(b, v...)
	}
	field([]byte(purposeShare))
	field(binary.BigEndian.AppendUint32(nil, transcript.ProtocolVersion))
	field(ctx.Election)
	for _, bind := range ctx.Bind {
		field([]byte(bind.Label))
		field(bind.Value)
	}
	field([]byte("dealer"))
	field(binary.BigEndian.AppendUint64(nil, uint64(dealer)))
	field([]byte("recipient"))
	field(binary.BigEndian.AppendUint64(nil, uint64(recipient)))
	return b
}
