package threshold

import (
	"crypto/hpke"
	"fmt"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// ShareCiphertextSize is the length of an encrypted share: the 32-byte
// encapsulated key, the 32-byte share and the 16-byte Poly1305 tag.
const ShareCiphertextSize = 32 + group.ScalarSize + 16

// The HPKE suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305.
var (
	shareKDF  = hpke.HKDFSHA256()
	shareAEAD = hpke.ChaCha20Poly1305()
)

// EncryptShare seals dealer's share s for recipient to the recipient's
// public key with HPKE (base mode, fresh ephemeral key from crypto/rand).
// The HPKE info binds the purpose, protocol version, election context with
// its bindings, dealer and recipient, so the ciphertext opens for nobody
// else and for no other election, dealer or recipient. Preconditions:
// params valid, dealer ≠ recipient, both in 1..n (a dealer keeps its own
// share).
func EncryptShare(params Params, ctx proof.Context, dealer, recipient int, to *EncryptionPublicKey, s *group.Scalar) ([]byte, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if err := params.checkPair(dealer, recipient); err != nil {
		return nil, err
	}
	if to == nil || s == nil {
		return nil, fmt.Errorf("share %d→%d: %w: nil key or share", dealer, recipient, ErrMissing)
	}
	ct, err := hpke.Seal(to.hpke, shareKDF, shareAEAD, shareInfo(ctx, dealer, recipient), s.Bytes())
	if err != nil {
		return nil, fmt.Errorf("share %d→%d: hpke: %w", dealer, recipient, err)
	}
	return ct, nil
}

// DecryptShare opens the share that dealer sent to recipient, the holder of
// key, and decodes it strictly (a canonical scalar below ℓ). Any failure
// wraps ErrShareDecrypt: the recipient should then complain against the
// dealer. A share that decrypts must still pass VerifyShare. Preconditions
// as for EncryptShare.
func DecryptShare(params Params, ctx proof.Context, dealer, recipient int, key *EncryptionKey, ct []byte) (*group.Scalar, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if err := params.checkPair(dealer, recipient); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, fmt.Errorf("share %d→%d: %w: nil key", dealer, recipient, ErrMissing)
	}
	if len(ct) != ShareCiphertextSize {
		return nil, fmt.Errorf("share %d→%d: %w: %d bytes, want %d",
			dealer, recipient, ErrShareDecrypt, len(ct), ShareCiphertextSize)
	}
	pt, err := hpke.Open(key.hpke, shareKDF, shareAEAD, shareInfo(ctx, dealer, recipient), ct)
	if err != nil {
		return nil, fmt.Errorf("share %d→%d: %w: %w", dealer, recipient, ErrShareDecrypt, err)
	}
	s, err := group.DecodeScalar(pt)
	if err != nil {
		return nil, fmt.Errorf("share %d→%d: %w: %w", dealer, recipient, ErrShareDecrypt, err)
	}
	return s, nil
}
