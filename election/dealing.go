package election

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Dealing is the payload of a dealing entry: a trustee's public commitments
// to its secret polynomial and its shares, encrypted to each other trustee.
//
// Encoding, exactly 2 + (2 + 96·t) + 80·(n − 1) bytes:
//
//	u16 dealer ‖ commitments (threshold.Commitments.Bytes: u16 t ‖ t × (C ‖ R ‖ z))
//	‖ for each other trustee j in increasing index order: its 80-byte share ciphertext
type Dealing struct {
	Dealer      int // the author's trustee index, 1-based
	Commitments *threshold.Commitments
	// Shares[k] is the share for the k-th trustee other than the dealer, in
	// index order; use ShareFor.
	Shares [][]byte
}

// Bytes returns the canonical encoding. Precondition: d came from
// NewDealing or DecodeDealing.
func (d *Dealing) Bytes() []byte {
	w := &wire.Writer{}
	w.U16(uint16(d.Dealer))
	w.Fixed(d.Commitments.Bytes())
	for _, s := range d.Shares {
		w.Fixed(s)
	}
	return w.Bytes()
}

// dealingSize is the length of every dealing of an election.
func dealingSize(params threshold.Params) int {
	return trusteeIndexSize + threshold.CommitmentsSize(params.T) + (params.N-1)*threshold.ShareCiphertextSize
}

// DecodeDealing parses a dealing payload strictly: the exact length for the
// election's n and t, a dealer index in 1..n, and commitments as
// threshold.DecodeCommitments (exactly t, canonical, none the identity). It
// checks no proof and opens no share. Precondition: params valid.
func DecodeDealing(params threshold.Params, payload []byte) (*Dealing, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if len(payload) != dealingSize(params) {
		return nil, decodeError(TypeDealing, fmt.Errorf("%d bytes, want %d for n = %d, t = %d", len(payload), dealingSize(params), params.N, params.T))
	}
	r := wire.NewReader(payload)
	d := &Dealing{Dealer: readTrusteeIndex(r, "dealer", params.N)}
	commitments := r.Fixed("commitments", threshold.CommitmentsSize(params.T))
	d.Shares = make([][]byte, params.N-1)
	for k := range d.Shares {
		d.Shares[k] = r.Fixed("share", threshold.ShareCiphertextSize)
	}
	if err := r.Finish(); err != nil {
		return nil, decodeError(TypeDealing, err)
	}
	c, err := threshold.DecodeCommitments(params, commitments)
	if err != nil {
		return nil, decodeError(TypeDealing, err)
	}
	d.Commitments = c
	return d, nil
}

// ShareFor returns the share ciphertext for recipient, a trustee other than
// the dealer.
func (d *Dealing) ShareFor(recipient int) ([]byte, error) {
	k := recipient - 1
	if recipient > d.Dealer {
		k--
	}
	if recipient < 1 || recipient == d.Dealer || k >= len(d.Shares) {
		return nil, fmt.Errorf("%w: dealing by %d holds no share for trustee %d", ErrTrusteeEntry, d.Dealer, recipient)
	}
	return d.Shares[k], nil
}

// NewDealing makes the dealing of the trustee whose signing key is key: it
// draws the trustee's secret polynomial (randomness from rand, crypto/rand
// when nil; the share encryption always uses fresh crypto/rand), commits to
// it with proofs bound to the election, encrypts each other trustee's share
// to its encryption key in the manifest, and signs the entry. The trustee
// keeps the returned polynomial secret: it needs it to answer complaints
// (NewReveal) and for its own share.
func NewDealing(m *Manifest, election ID, key ed25519.PrivateKey, rand io.Reader) (*Entry, *threshold.Polynomial, error) {
	dealer, err := trusteeKeyIndex(m, key)
	if err != nil {
		return nil, nil, fmt.Errorf("dealing: %w", err)
	}
	params, ctx := thresholdParams(m), electionContext(election)
	f, c, err := threshold.NewDealing(params, dealer, ctx, rand)
	if err != nil {
		return nil, nil, fmt.Errorf("dealing: %w", err)
	}
	d := &Dealing{Dealer: dealer, Commitments: c}
	for j := 1; j <= params.N; j++ {
		if j == dealer {
			continue
		}
		ct, err := encryptShareTo(m, params, ctx, f, dealer, j)
		if err != nil {
			return nil, nil, fmt.Errorf("dealing: %w", err)
		}
		d.Shares = append(d.Shares, ct)
	}
	return signEntry(TypeDealing, election, d.Bytes(), key), f, nil
}

func encryptShareTo(m *Manifest, params threshold.Params, ctx proof.Context, f *threshold.Polynomial, dealer, j int) ([]byte, error) {
	to, err := threshold.ParseEncryptionPublicKey(m.Trustees.Members[j-1].EncryptionKey)
	if err != nil {
		return nil, fmt.Errorf("trustee %d: %w", j, err)
	}
	s, err := f.Share(j)
	if err != nil {
		return nil, err
	}
	return threshold.EncryptShare(params, ctx, dealer, j, to, s)
}

// OpenShare decrypts the share that d holds for recipient, the holder of
// key, and checks it against d's commitments (threshold.DecryptShare and
// VerifyShare). An error means recipient should complain (NewComplaint).
// Precondition: d passed the dealing checks of election.
func (d *Dealing) OpenShare(m *Manifest, election ID, recipient int, key *threshold.EncryptionKey) (*group.Scalar, error) {
	ct, err := d.ShareFor(recipient)
	if err != nil {
		return nil, err
	}
	params := thresholdParams(m)
	s, err := threshold.DecryptShare(params, electionContext(election), d.Dealer, recipient, key, ct)
	if err != nil {
		return nil, err
	}
	if err := threshold.VerifyShare(params, d.Dealer, recipient, s, d.Commitments); err != nil {
		return nil, err
	}
	return s, nil
}
