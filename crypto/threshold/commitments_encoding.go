package threshold

import (
	"encoding/binary"
	"fmt"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// commitmentSize is the encoded length of one coefficient: C ‖ R ‖ z.
const commitmentSize = group.PointSize + proof.SchnorrSize

// CommitmentsSize returns the encoded length of t commitments.
func CommitmentsSize(t int) int { return 2 + t*commitmentSize }

// Bytes returns count ‖ (C[k] ‖ PoK[k]) for k = 0..count−1, with count a
// 2-byte big-endian integer. Precondition: c came from NewDealing or
// DecodeCommitments (len(C) = len(PoK) ≤ MaxTrustees).
func (c *Commitments) Bytes() []byte {
	b := make([]byte, 0, CommitmentsSize(len(c.C)))
	b = binary.BigEndian.AppendUint16(b, uint16(len(c.C)))
	for k := range c.C {
		b = c.C[k].AppendBytes(b)
		b = append(b, c.PoK[k].Bytes()...)
	}
	return b
}

// DecodeCommitments parses the encoding of Commitments.Bytes strictly: the
// count must be exactly t (ErrCommitmentCount otherwise), the length exactly
// CommitmentsSize(t) with no trailing bytes, every point canonical and not
// the identity, every scalar below ℓ. It does not check the proofs: call
// VerifyCommitments. Precondition: params valid.
func DecodeCommitments(params Params, b []byte) (*Commitments, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if len(b) < 2 {
		return nil, fmt.Errorf("commitments: %w: %d bytes, too short for the count", ErrEncoding, len(b))
	}
	count := int(binary.BigEndian.Uint16(b))
	if count != params.T {
		return nil, fmt.Errorf("commitments: %w: count %d, want t = %d", ErrCommitmentCount, count, params.T)
	}
	if len(b) != CommitmentsSize(count) {
		return nil, fmt.Errorf("commitments: %w: %d bytes, want %d for %d coefficients",
			ErrEncoding, len(b), CommitmentsSize(count), count)
	}
	c := &Commitments{C: make([]*group.Point, count), PoK: make([]*proof.Schnorr, count)}
	for k := range count {
		e := b[2+k*commitmentSize : 2+(k+1)*commitmentSize]
		C, err := group.DecodePoint(e[:group.PointSize])
		if err != nil {
			return nil, fmt.Errorf("commitments: coefficient %d: %w", k, err)
		}
		pok, err := proof.DecodeSchnorr(e[group.PointSize:])
		if err != nil {
			return nil, fmt.Errorf("commitments: coefficient %d: %w", k, err)
		}
		c.C[k], c.PoK[k] = C, pok
	}
	return c, nil
}
