package election

import (
	"crypto/ed25519"
	"crypto/sha256"
	"slices"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/edsig"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// ApplyBatch applies entries in order, as calling Apply on each in turn
// would: the same checks, the same errors and the same resulting record.
// It returns one error per entry, nil for each entry it added; a failure is
// a *CheckError, as Apply's.
//
// It is faster than Apply for many ballots at once (a board's burst of
// gossip, a pull-sync page, a verifier's replay). First, on all cores, it
// computes the entries' ids, verifies their signatures and decodes the
// ballot and spoiled-ballot payloads, then it verifies the proofs of every
// such ballot that is still in the running in one random linear combination
// (proof.Batch). Then it applies the entries one by one in order, making
// every check of Apply except the signatures, decodings and proofs that
// passed in the first step. Whatever failed there is checked again in
// order, as Apply does, so that the error names the check and the reason
// Apply would give; nothing that failed there can be added.
//
// Entries before the record has its election key (the open entry) are
// applied one by one: their ballots' proofs have no key to be checked
// under yet. A long batch is checked ahead maxPrecheck entries at a time.
//
// Preconditions: no entry is nil, and none changes during the call. Like
// Apply, ApplyBatch must not run concurrently with any other use of r.
func (r *Record) ApplyBatch(entries []*Entry) []error {
	errs := make([]error, len(entries))
	i := 0
	for ; i < len(entries) && r.key == nil; i++ {
		errs[i] = r.Apply(entries[i])
	}
	for i < len(entries) {
		chunk := entries[i:min(i+maxPrecheck, len(entries))]
		ids, pre := r.precheck(chunk)
		for k, e := range chunk {
			errs[i+k] = r.apply(e, ids[k], pre[k])
		}
		i += len(chunk)
	}
	return errs
}

// maxPrecheck bounds how many entries ApplyBatch checks ahead, and so the
// memory that their decoded ballots and claims take. Beyond a few hundred
// ballots a larger batch saves little more per ballot.
const maxPrecheck = 4096

// ApplyBytesBatch decodes entries and applies them with ApplyBatch. It
// returns, for each of bs, the entry and nil if it was added, or nil and
// the error that ApplyBytes would return.
func (r *Record) ApplyBytesBatch(bs [][]byte) ([]*Entry, []error) {
	d := decodeAll(bs)
	return d.result(r.ApplyBatch(d.good))
}

// decodedBatch is a batch of entries' bytes, decoded: the entries that
// decoded, in order, and for the others the error ApplyBytes gives.
type decodedBatch struct {
	n    int
	good []*Entry
	at   []int // the index in the batch of each of good
	errs []error
}

func decodeAll(bs [][]byte) *decodedBatch {
	d := &decodedBatch{n: len(bs), errs: make([]error, len(bs))}
	for i, b := range bs {
		e, err := decodeEnvelope(b)
		if err != nil {
			d.errs[i] = withEntry(checkError(CheckEncoding, err), sha256.Sum256(b), 0)
			continue
		}
		d.good = append(d.good, e)
		d.at = append(d.at, i)
	}
	return d
}

// result spreads the errors of applying d.good over the whole batch.
func (d *decodedBatch) result(applied []error) ([]*Entry, []error) {
	entries := make([]*Entry, d.n)
	errs := slices.Clone(d.errs)
	for k, err := range applied {
		if errs[d.at[k]] = err; err == nil {
			entries[d.at[k]] = d.good[k]
		}
	}
	return entries, errs
}

// PrecheckBytes decodes entries' bytes and prechecks those that decode
// (skip as for Precheck); the record applies them with
// ApplyBytesPrechecked.
func (p *Prechecker) PrecheckBytes(bs [][]byte, skip func(ID) bool) *Prechecked {
	d := decodeAll(bs)
	pc := p.Precheck(d.good, skip)
	pc.bytes = d
	return pc
}

// TrustStored is PrecheckBytes for entries that this process checked in
// full before it stored them — a board node replaying its own log at
// start: it decodes the envelopes and the ballots on all cores but takes
// every signature and every ballot proof as verified, which is most of a
// ballot's cost. Everything else is checked again when the record applies
// the batch. Never use it on entries from anywhere else: an observer's
// verifier and a replica's peers check everything.
func (p *Prechecker) TrustStored(bs [][]byte) *Prechecked {
	d := decodeAll(bs)
	pre := make([]*preChecked, len(d.good))
	ids := make([]ID, len(d.good))
	parallelEach(len(d.good), func(i int) {
		e := d.good[i]
		ids[i] = e.ID()
		pc := &preChecked{signature: true}
		if pc.ballot = p.predecodeBallot(e); pc.ballot != nil {
			pc.proofsKey = p.key
		}
		pre[i] = pc
	})
	return &Prechecked{entries: d.good, ids: ids, pre: pre, bytes: d}
}

// ApplyBytesPrechecked applies a batch that PrecheckBytes prechecked, and
// returns what ApplyBytesBatch returns for the same bytes.
func (r *Record) ApplyBytesPrechecked(pc *Prechecked) ([]*Entry, []error) {
	return pc.bytes.result(r.ApplyPrechecked(pc))
}

// preChecked is what ApplyBatch's first step established about one entry
// before the record checks it in order. Each fact depends only on the
// entry's bytes and on what never changes in a record once set (the
// election id, the ballot layout, the joint key), so it holds wherever the
// entry falls in the batch. The payload rules read it through its methods,
// which answer "not verified" on a nil *preChecked.
type preChecked struct {
	signature bool    // the author's signature verified
	ballot    *Ballot // ballot and spoiled entries: the ballot part, decoded with the record's layout
	// proofsKey is the joint key under which every proof of ballot
	// verified in the batch; nil if they did not, or were not checked.
	proofsKey *group.Point
}

// signatureVerified reports whether the entry's signature verified.
func (p *preChecked) signatureVerified() bool { return p != nil && p.signature }

// decodedBallot returns the entry's ballot part, decoded, or nil if it was
// not decoded (or did not decode).
func (p *preChecked) decodedBallot() *Ballot {
	if p == nil {
		return nil
	}
	return p.ballot
}

// proofsVerified reports whether every proof of the decoded ballot
// verified under the joint key K. The key is compared by pointer: it is
// the record's own, set once by the open entry.
func (p *preChecked) proofsVerified(K *group.Point) bool {
	return p != nil && p.ballot != nil && p.proofsKey != nil && p.proofsKey == K
}

// Prechecker does the first step of ApplyBatch — entry ids, signatures,
// ballot decodings, and every ballot's proofs in one batch — from what a
// record never changes once it is open: the election id, the ballot
// layout, the joint key and the credential list. So a board can precheck
// one batch while its record applies the one before (ApplyPrechecked). It
// is safe for concurrent use, also with any use of the record it came
// from.
type Prechecker struct {
	id     ID
	layout *BallotLayout
	key    *group.Point // the record's joint key, compared by pointer
	styles map[[ed25519.PublicKeySize]byte]uint16
}

// Prechecker returns r's prechecker, or nil before r holds the open entry
// (ballots have no key to be checked under before it).
func (r *Record) Prechecker() *Prechecker {
	if r.key == nil {
		return nil
	}
	// The credential list is complete and fixed once the record is open
	// (check 34), so the map is only read from now on.
	return &Prechecker{id: r.id, layout: r.layout, key: r.key.K, styles: r.creds.styles}
}

// Prechecked is a batch of entries with what a Prechecker established
// about each; the record applies it with ApplyPrechecked.
type Prechecked struct {
	entries []*Entry
	ids     []ID
	pre     []*preChecked
	bytes   *decodedBatch // PrecheckBytes's decoding
}

// Precheck does the first step of ApplyBatch for entries, except for
// those whose id skip (if not nil) reports: a caller that knows an entry
// is already on the record, or prechecked in an earlier batch, saves the
// work; ApplyPrechecked checks a skipped entry in full (a duplicate fails
// at once). Preconditions: no entry is nil, and none changes until
// ApplyPrechecked returns.
func (p *Prechecker) Precheck(entries []*Entry, skip func(ID) bool) *Prechecked {
	var skipEntry func(*Entry, ID) bool
	if skip != nil {
		skipEntry = func(_ *Entry, id ID) bool { return skip(id) }
	}
	ids, pre := p.precheck(entries, skipEntry)
	return &Prechecked{entries: entries, ids: ids, pre: pre}
}

// IDs returns the ids of the prechecked entries, in order (PrecheckBytes
// leaves out the bytes that did not decode).
func (pc *Prechecked) IDs() []ID { return pc.ids }

// ApplyPrechecked applies the entries of pc in order with exactly the
// checks, errors and outcome of ApplyBatch on them (a fact pc holds is
// used only if it was established under this record's own joint key; what
// it lacks is checked here). Like Apply, it must not run concurrently with
// any other use of r other than its Prechecker.
func (r *Record) ApplyPrechecked(pc *Prechecked) []error {
	errs := make([]error, len(pc.entries))
	for i, e := range pc.entries {
		if r.key == nil {
			errs[i] = r.Apply(e)
			continue
		}
		errs[i] = r.apply(e, pc.ids[i], pc.pre[i])
	}
	return errs
}

// precheck returns the ids of es and what the first step of ApplyBatch
// establishes about each: signatures and ballot decodings on all cores,
// then the proofs of all those ballots in one batch. An entry that appears
// twice is checked once; an entry for which skip (if not nil) is true is
// not checked at all.
func (p *Prechecker) precheck(es []*Entry, skip func(*Entry, ID) bool) ([]ID, []*preChecked) {
	ids := make([]ID, len(es))
	parallelEach(len(es), func(i int) { ids[i] = es[i].ID() })
	first := make(map[ID]int, len(es))
	var todo []int // the first occurrence of each id
	for i, id := range ids {
		if _, ok := first[id]; !ok {
			first[id] = i
			if skip == nil || !skip(es[i], id) {
				todo = append(todo, i)
			}
		}
	}
	sigOK := p.verifySignatures(es, todo)
	pre := make([]*preChecked, len(es))
	claims := make([][]*proof.Claim, len(es))
	parallelEach(len(todo), func(k int) {
		i := todo[k]
		pre[i] = p.precheckEntry(es[i], sigOK[k])
	})
	prepareSums(pre)
	parallelEach(len(todo), func(k int) {
		if i := todo[k]; pre[i] != nil && pre[i].ballot != nil {
			claims[i] = ballotClaims(p.layout, p.id, p.key, es[i].Author, pre[i].ballot)
		}
	})
	p.verifyBallotProofs(pre, claims)
	for i, id := range ids {
		pre[i] = pre[first[id]]
	}
	return ids, pre
}

// precheck is the record's own first step of ApplyBatch: it also skips
// what the record already holds and ballots that came too late, which
// would fail in order whatever the batch holds. It only reads r.
// Precondition: r.key is set.
func (r *Record) precheck(es []*Entry) ([]ID, []*preChecked) {
	return r.Prechecker().precheck(es, func(e *Entry, id ID) bool {
		if r.Has(id) {
			return true
		}
		// The phase only moves forward, so a ballot too late now stays
		// too late.
		if e.Type == TypeBallot || e.Type == TypeSpoiled {
			phases := rules[e.Type].phases
			return r.phase > phases[len(phases)-1]
		}
		return false
	})
}

// verifySignatures returns, for each entry es[todo[k]] that precheckEntry
// would not skip before its signature, whether the signature verifies (as
// Entry.VerifySignature decides: crypto/edsig gives crypto/ed25519's result
// for each), eight at a time on every core.
func (p *Prechecker) verifySignatures(es []*Entry, todo []int) []bool {
	ok := make([]bool, len(todo))
	var idx []int
	for k, i := range todo {
		if p.beforeSignature(es[i]) {
			idx = append(idx, k)
		}
	}
	const chunk = 64
	parallelEach((len(idx)+chunk-1)/chunk, func(c int) {
		part := idx[c*chunk : min((c+1)*chunk, len(idx))]
		pubs, msgs, sigs := make([][]byte, len(part)), make([][]byte, len(part)), make([][]byte, len(part))
		for j, k := range part {
			e := es[todo[k]]
			pubs[j], msgs[j], sigs[j] = e.Author, e.signedMessage(), e.Signature
		}
		for j, good := range edsig.Verify(pubs, msgs, sigs) {
			ok[part[j]] = good
		}
	})
	return ok
}

// beforeSignature reports whether e passes the checks that come before its
// signature and do not depend on the rest of the batch.
func (p *Prechecker) beforeSignature(e *Entry) bool {
	return checkSizes(e) == nil && e.Election == p.id && checkVersionAndType(e) == nil
}

// prepareSums has contest.PrepareSums compute every decoded ballot's
// contest sums and their encodings, on all cores, before the claims hash
// them.
func prepareSums(pre []*preChecked) {
	var all []*contest.Encrypted
	for _, pc := range pre {
		if pc != nil && pc.ballot != nil {
			all = append(all, pc.ballot.Contests...)
		}
	}
	const chunk = 256
	parallelEach((len(all)+chunk-1)/chunk, func(c int) {
		contest.PrepareSums(all[c*chunk : min((c+1)*chunk, len(all))])
	})
}

// precheckEntry takes e's signature as sigOK says and decodes its ballot
// part. It skips an entry that the record would reject before the
// signature whatever comes before it in the batch (for its size, election,
// version or type), and a ballot that it would reject before its proofs
// (not eligible, not of the credential's style): those fail in order as
// Apply fails them, and checking them here would be work for nothing.
func (p *Prechecker) precheckEntry(e *Entry, sigOK bool) *preChecked {
	if !p.beforeSignature(e) || !sigOK {
		return nil
	}
	return &preChecked{signature: true, ballot: p.predecodeBallot(e)}
}

// predecodeBallot decodes the ballot part of a ballot or spoiled entry by
// an eligible credential, or returns nil.
func (p *Prechecker) predecodeBallot(e *Entry) *Ballot {
	payload := e.Payload
	switch e.Type {
	case TypeBallot:
	case TypeSpoiled:
		if len(payload) != p.layout.SpoiledSize() {
			return nil
		}
		payload = payload[:p.layout.size]
	default:
		return nil
	}
	style, ok := p.styles[[ed25519.PublicKeySize]byte(e.Author)]
	if !ok {
		return nil
	}
	b, err := DecodeBallot(p.layout, payload)
	if err != nil || b.Style != style {
		return nil
	}
	return b
}

// verifyBallotProofs verifies the claims of every decoded ballot in one
// batch and marks the ballots whose proofs all hold as verified under the
// record's key.
func (p *Prechecker) verifyBallotProofs(pre []*preChecked, claims [][]*proof.Claim) {
	var batch proof.Batch
	var inBatch []int // the entry of each batch item
	for i, p := range pre {
		if p != nil && p.ballot != nil {
			batch.Add(claims[i]...)
			inBatch = append(inBatch, i)
		}
	}
	if batch.Len() == 0 {
		return
	}
	errs := batch.Verify()
	for k, i := range inBatch {
		if errs == nil || errs[k] == nil {
			pre[i].proofsKey = p.key
		}
	}
}
