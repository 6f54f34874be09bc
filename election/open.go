package election

import (
	"errors"
	"fmt"
	"slices"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Open is the payload of the commission's open entry: the joint election key
// and the qualified trustees, both of which the record checks against what
// threshold.Qualify derives from the key ceremony on the record.
//
// Encoding: 32 key ‖ u16 count ‖ count × u16 trustee index (strictly
// increasing, each in 1 … n).
type Open struct {
	Key       *group.Point
	Qualified []int
}

// Bytes returns the canonical encoding.
// Precondition: Key is set and Qualified holds indices in 1 … 65535.
func (o *Open) Bytes() []byte {
	w := &wire.Writer{}
	w.Fixed(o.Key.Bytes())
	w.U16(uint16(len(o.Qualified)))
	for _, i := range o.Qualified {
		w.U16(uint16(i))
	}
	return w.Bytes()
}

// DecodeOpen parses an open payload strictly: a non-identity key (C1), and
// between 1 and threshold.MaxTrustees indices, strictly increasing and in
// 1 … threshold.MaxTrustees.
func DecodeOpen(b []byte) (*Open, error) {
	r := wire.NewReader(b)
	kb := r.Fixed("key", group.PointSize)
	n := int(r.U16("qualified count"))
	if r.Err() == nil && (n < 1 || n > threshold.MaxTrustees || 2*n > r.Remaining()) {
		r.Fail("qualified count", fmt.Errorf("%w: %d trustees", wire.ErrMalformed, n))
	}
	o := &Open{}
	if r.Err() == nil {
		o.Qualified = make([]int, n)
	}
	for i := range o.Qualified {
		o.Qualified[i] = int(r.U16("qualified trustee"))
	}
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	K, err := group.DecodePoint(kb)
	if err != nil {
		return nil, fmt.Errorf("open: key: %w", err)
	}
	o.Key = K
	for i, q := range o.Qualified {
		if q < 1 || q > threshold.MaxTrustees || (i > 0 && q <= o.Qualified[i-1]) {
			return nil, fmt.Errorf("open: qualified trustee %d: index %d is out of order or out of 1…%d", i, q, threshold.MaxTrustees)
		}
	}
	return o, nil
}

// NewOpen returns the open payload for the outcome of a key ceremony.
func NewOpen(res *threshold.Result) *Open {
	return &Open{Key: res.Key, Qualified: slices.Clone(res.QUAL)}
}

// ErrCeremony is wrapped when the open entry disagrees with the key
// ceremony on the record.
var ErrCeremony = errors.New("open does not match the key ceremony")

// checkOpen is the payload rule of the open entry (checks 33–35).
func checkOpen(r *Record, in *incoming) (func(), error) {
	o, err := DecodeOpen(in.e.Payload)
	if err != nil {
		return nil, checkError(CheckOpenEncoding, err)
	}
	if r.creds.total == 0 || r.creds.parts != r.creds.total {
		return nil, failf(CheckOpenCredentials, "%w: the credential list has %d of %d parts on the record",
			ErrTooEarly, r.creds.parts, r.creds.total)
	}
	// A qualified dealer whose dealing has not reached this replica yet is a
	// missing dependency, not a wrong open: replicas receive entries in
	// different orders, and rejecting here would split them for good.
	for _, d := range o.Qualified {
		if _, ok := r.commitments[d]; !ok && d >= 1 && d <= r.params.N {
			return nil, failf(CheckOpenCeremony, "%w: trustee %d's dealing is not on the record", ErrTooEarly, d)
		}
	}
	res, err := r.qualify()
	if err != nil {
		return nil, checkError(CheckOpenCeremony, err)
	}
	if !slices.Equal(o.Qualified, res.QUAL) {
		return nil, failf(CheckOpenCeremony, "%w: qualified trustees %v, the record gives %v", ErrCeremony, o.Qualified, res.QUAL)
	}
	if !o.Key.Equal(res.Key) {
		return nil, failf(CheckOpenCeremony, "%w: key %x, the record gives %x", ErrCeremony, o.Key.Bytes(), res.Key.Bytes())
	}
	return func() {
		r.ceremony = res
		r.key = elgamal.NewPublicKey(res.Key)
		r.phase = PhaseVoting
	}, nil
}

// qualify decides the key ceremony from the record's dealings, complaints
// and reveals.
func (r *Record) qualify() (*threshold.Result, error) {
	res, err := threshold.Qualify(r.params, r.commitments, r.complaints, r.reveals)
	if err != nil {
		return nil, fmt.Errorf("key ceremony: %w", err)
	}
	return res, nil
}
