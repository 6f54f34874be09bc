package election

import "crypto/ed25519"

// base58 is the bitcoin alphabet that libp2p prints peer ids in.
const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// PeerID returns the libp2p peer id of an Ed25519 public key as libp2p
// prints it ("12D3KooW…"): base58btc of the identity multihash of the
// protobuf-encoded key. A board node's signing key is its libp2p identity,
// so the manifest's peer ids are checked against its keys.
// Precondition: len(key) == ed25519.PublicKeySize.
func PeerID(key ed25519.PublicKey) string {
	// identity multihash (0x00, length 36) of the protobuf message
	// PublicKey{Type: Ed25519 (1), Data: key}: 08 01 12 20 ‖ key.
	b := append([]byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, key...)
	return base58Encode(b)
}

// base58Encode encodes b in base58btc; it runs in variable time on a public
// key.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// Base-58 digits, least significant first; log(256)/log(58) < 1.37.
	digits := make([]byte, 0, len(b)*137/100+1)
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros, zeros+len(digits))
	for i := range out {
		out[i] = base58[0]
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, base58[digits[i]])
	}
	return string(out)
}
