package election

import (
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/proof"
)

// checkBallot is the payload rule of a ballot entry: check 36 (the payload
// decodes strictly and has the author credential's style) and check 37
// (every proof holds). Check 38, the last-ballot rule, rejects nothing: a
// credential may cast any number of ballots with any counters, in any
// order, and the commit counts the one LastBallots would.
//
// The proofs are checked here unless ApplyBatch's batch already verified
// them under the record's key (in.pre).
func checkBallot(r *Record, in *incoming) (func(), error) {
	b, err := decodeRecordBallot(r, in, in.e.Payload)
	if err != nil {
		return nil, err
	}
	if !in.pre.proofsVerified(r.key.K) {
		if err := proof.VerifyAll(ballotClaims(r.layout, r.id, r.key.K, in.e.Author, b)...); err != nil {
			return nil, failf(CheckBallotProofs, "%w", err)
		}
	}
	return r.countBallot(in.id, in.e.Author, b), nil
}

// decodeRecordBallot decodes the ballot part of a ballot or spoiled entry
// and checks its style (check 36 or 39). A ballot part that ApplyBatch
// decoded already (in.pre) is not decoded again.
func decodeRecordBallot(r *Record, in *incoming, payload []byte) (*Ballot, error) {
	check := CheckBallotEncoding
	if in.e.Type == TypeSpoiled {
		check = CheckSpoiledEncoding
	}
	b := in.pre.decodedBallot()
	if b == nil {
		var err error
		if b, err = DecodeBallot(r.layout, payload); err != nil {
			return nil, checkError(check, err)
		}
	}
	if b.Style != in.style {
		return nil, failf(check, "%w: style %d, the credential votes with style %d", ErrBallot, b.Style, in.style)
	}
	return b, nil
}

// ciphertextsByContest returns b's ciphertexts per manifest contest and
// option, nil for the contests that are not on its style.
func ciphertextsByContest(l *BallotLayout, b *Ballot) [][]*elgamal.Ciphertext {
	out := make([][]*elgamal.Ciphertext, len(l.specs))
	for i, p := range l.styles[b.Style].contests {
		out[p] = make([]*elgamal.Ciphertext, len(b.Contests[i].Options))
		for o, opt := range b.Contests[i].Options {
			out[p][o] = opt.Ciphertext
		}
	}
	return out
}

// checkSpoiled is the payload rule of a spoiled entry: check 39 (the
// payload decodes strictly and the ballot has the credential's style) and
// check 40 (the ballot's proofs hold and the opening re-encrypts to it). A
// spoiled ballot never counts; the commit only counts it.
func checkSpoiled(r *Record, in *incoming) (func(), error) {
	if len(in.e.Payload) != r.layout.SpoiledSize() {
		return nil, failf(CheckSpoiledEncoding, "%w: spoiled payload: %d bytes, every spoiled ballot of this election has %d",
			ErrEncoding, len(in.e.Payload), r.layout.SpoiledSize())
	}
	b, err := decodeRecordBallot(r, in, in.e.Payload[:r.layout.size])
	if err != nil {
		return nil, err
	}
	o, err := decodeOpening(r.layout, b, in.e.Payload[r.layout.size:])
	if err != nil {
		return nil, checkError(CheckSpoiledEncoding, err)
	}
	if !in.pre.proofsVerified(r.key.K) {
		if err := proof.VerifyAll(ballotClaims(r.layout, r.id, r.key.K, in.e.Author, b)...); err != nil {
			return nil, failf(CheckSpoiledOpening, "ballot proofs: %w", err)
		}
	}
	if _, err := openSpoiled(r.key.K, &SpoiledBallot{Ballot: b, Opening: o}, r.layout.styleIDs(b.Style)); err != nil {
		return nil, failf(CheckSpoiledOpening, "%w", err)
	}
	return func() { r.spoiled++ }, nil
}
