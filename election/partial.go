package election

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Partial is the payload of a partial entry: a trustee's partial decryption
// of every aggregate ciphertext of the election, one per option of every
// contest.
//
// Encoding, exactly 2 + 128·(total options) bytes:
//
//	u16 trustee ‖ for each contest in manifest order, for each option:
//	D ‖ R1 ‖ R2 ‖ z (threshold.PartialDecryption.Bytes), or 128 zero bytes
//	where the aggregate's A is the identity
//
// An aggregate has A = identity only when no counted ballot holds its
// contest; it decrypts without any trustee (M = B), and 128 zero bytes is
// never a valid partial decryption (D is never the identity).
type Partial struct {
	Trustee int // the author's trustee index, 1-based
	// Decryptions[c][o] is the partial decryption of the aggregate of option
	// o of manifest contest c; nil where that aggregate's A is the identity.
	Decryptions [][]*threshold.PartialDecryption
}

// Bytes returns the canonical encoding. Precondition: p came from
// NewPartial or DecodePartial.
func (p *Partial) Bytes() []byte {
	w := &wire.Writer{}
	w.U16(uint16(p.Trustee))
	for _, c := range p.Decryptions {
		for _, pd := range c {
			if pd == nil {
				w.Fixed(make([]byte, threshold.PartialDecryptionSize))
				continue
			}
			w.Fixed(pd.Bytes())
		}
	}
	return w.Bytes()
}

// totalOptions returns the number of options of all of m's contests: the
// number of aggregates.
func totalOptions(m *Manifest) int {
	n := 0
	for _, c := range m.Contests {
		n += len(c.Options)
	}
	return n
}

// DecodePartial parses a partial payload strictly: the exact length for m's
// contests, a trustee index in 1..n, and each slot either 128 zero bytes or
// a canonical partial decryption (threshold.DecodePartialDecryption). It
// checks no proof.
func DecodePartial(m *Manifest, payload []byte) (*Partial, error) {
	size := trusteeIndexSize + totalOptions(m)*threshold.PartialDecryptionSize
	if len(payload) != size {
		return nil, decodeError(TypePartial, fmt.Errorf("%d bytes, want %d", len(payload), size))
	}
	r := wire.NewReader(payload)
	p := &Partial{Trustee: readTrusteeIndex(r, "trustee", len(m.Trustees.Members))}
	p.Decryptions = make([][]*threshold.PartialDecryption, len(m.Contests))
	for c, ct := range m.Contests {
		p.Decryptions[c] = make([]*threshold.PartialDecryption, len(ct.Options))
		for o := range ct.Options {
			b := r.Fixed("partial decryption", threshold.PartialDecryptionSize)
			if r.Err() != nil || isZero(b) {
				continue
			}
			pd, err := threshold.DecodePartialDecryption(b)
			if err != nil {
				return nil, decodeError(TypePartial, fmt.Errorf("contest %s: option %s: %w", ct.ID, ct.Options[o].ID, err))
			}
			p.Decryptions[c][o] = pd
		}
	}
	if err := r.Finish(); err != nil {
		return nil, decodeError(TypePartial, err)
	}
	return p, nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// checkAggregates checks that aggregates has one ciphertext per option of
// every contest of m.
func checkAggregates(m *Manifest, aggregates [][]*elgamal.Ciphertext) error {
	if len(aggregates) != len(m.Contests) {
		return fmt.Errorf("%w: %d contests of aggregates, the manifest has %d", ErrTrusteeEntry, len(aggregates), len(m.Contests))
	}
	for c, ct := range m.Contests {
		if len(aggregates[c]) != len(ct.Options) {
			return fmt.Errorf("%w: contest %s: %d aggregates, it has %d options", ErrTrusteeEntry, ct.ID, len(aggregates[c]), len(ct.Options))
		}
		for o, a := range aggregates[c] {
			if a == nil || a.A == nil || a.B == nil {
				return fmt.Errorf("%w: contest %s: option %d: no aggregate", ErrTrusteeEntry, ct.ID, o)
			}
		}
	}
	return nil
}

// NewPartial makes the signed partial decryption, by the trustee whose
// signing key is key and whose secret share of the election key is share,
// of every aggregate (per manifest contest, per option), with proof nonces
// from rand (crypto/rand when nil).
func NewPartial(m *Manifest, election ID, key ed25519.PrivateKey, share *group.Scalar, aggregates [][]*elgamal.Ciphertext, rand io.Reader) (*Entry, error) {
	trustee, err := trusteeKeyIndex(m, key)
	if err != nil {
		return nil, fmt.Errorf("partial: %w", err)
	}
	if err := checkAggregates(m, aggregates); err != nil {
		return nil, fmt.Errorf("partial: %w", err)
	}
	V := new(group.Point).ScalarBaseMult(share)
	ctx := electionContext(election)
	p := &Partial{Trustee: trustee, Decryptions: make([][]*threshold.PartialDecryption, len(aggregates))}
	for c, agg := range aggregates {
		p.Decryptions[c] = make([]*threshold.PartialDecryption, len(agg))
		for o, a := range agg {
			if a.A.IsIdentity() {
				continue
			}
			if p.Decryptions[c][o], err = threshold.PartialDecrypt(ctx, trustee, share, V, a.A, rand); err != nil {
				return nil, fmt.Errorf("partial: contest %s: option %d: %w", m.Contests[c].ID, o, err)
			}
		}
	}
	return signEntry(TypePartial, election, p.Bytes(), key), nil
}

// Verify checks every partial decryption of p against the trustee's
// verification key V (threshold.Result.VerificationKey), all in one random
// linear combination: a slot is empty exactly where the aggregate's A is
// the identity, and every proof holds, bound to the election and the
// trustee. The error names the first failing contest and option.
// Precondition: p came from DecodePartial for the election's manifest m.
func (p *Partial) Verify(m *Manifest, election ID, aggregates [][]*elgamal.Ciphertext, V *group.Point) error {
	if err := checkAggregates(m, aggregates); err != nil {
		return err
	}
	ctx := electionContext(election)
	var claims []*proof.Claim
	for c, agg := range aggregates {
		for o, a := range agg {
			pd := p.Decryptions[c][o]
			where := fmt.Sprintf("contest %s: option %s", m.Contests[c].ID, m.Contests[c].Options[o].ID)
			switch identity := a.A.IsIdentity(); {
			case identity && pd != nil:
				return fmt.Errorf("%w: %s: a partial decryption of an aggregate with A = identity, which needs none", ErrTrusteeEntry, where)
			case !identity && pd == nil:
				return fmt.Errorf("%w: %s: no partial decryption", ErrTrusteeEntry, where)
			case !identity:
				claims = append(claims, threshold.PartialClaim(ctx, p.Trustee, V, a.A, pd).Named(where))
			}
		}
	}
	return proof.VerifyAll(claims...)
}
