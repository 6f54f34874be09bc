package election

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Record is the state of one election's public record: everything the rules
// need to decide whether the next entry is valid. The board applies every
// entry it receives and the observer's verifier replays a whole record
// through the same Record, so the two cannot disagree (docs/SPEC.md §7).
//
// A Record is not safe for concurrent use.
type Record struct {
	id       ID
	manifest *Manifest
	layout   *BallotLayout
	params   threshold.Params
	ctx      proof.Context // Election: the election id
	phase    Phase
	seen     map[ID]struct{}
	length   int // entries applied, the manifest included

	// Who may sign what, from the manifest.
	trusteeIndex map[[ed25519.PublicKeySize]byte]int // signing key → trustee index, 1-based
	nodeIndex    map[[ed25519.PublicKeySize]byte]int // signing key → node position, 0-based

	creds credentialState

	// Key ceremony. The dealing, complaint and reveal rules fill these; the
	// open rule hands them to threshold.Qualify.
	commitments map[int]*threshold.Commitments // verified commitments, by dealer index
	dealings    map[int]ID                     // the dealing entry of each dealer
	complaints  []threshold.Complaint          // in record order
	reveals     []threshold.Reveal             // in record order

	// Set by open.
	ceremony *threshold.Result
	key      *elgamal.PublicKey

	// Ballots. The ballot rule appends to ballots and, by the last-ballot
	// rule, replaces last[credential]; the spoiled rule counts spoiled.
	ballots []ID
	last    map[[ed25519.PublicKeySize]byte]*castBallot
	spoiled int

	// Seals, by node position, and the ballot set a quorum agreed on.
	seals  map[int]*Seal
	sealed *Seal

	// Decryption. aggregates is set when the seal quorum is reached; the
	// partial rule fills partials; the result rule sets counts.
	aggregates [][]*elgamal.Ciphertext // per manifest contest, per option
	partials   map[int]*Partial        // by trustee index
	counts     [][]uint64              // per manifest contest, per option

	// stream is set by StreamBallots (record_stream.go): counted ballots
	// are summed as they arrive instead of kept.
	stream *ballotStream
}

// credentialState is what the record knows of the public credential list.
type credentialState struct {
	parts   uint32 // parts on the record, which are parts 0 … parts−1
	total   uint32 // how many parts the list has; 0 before the first part
	lastKey []byte // the greatest key so far
	styles  map[[ed25519.PublicKeySize]byte]uint16
}

// castBallot is what the record keeps of one credential's counted ballot,
// the one the last-ballot rule (lastballot.go) currently picks.
type castBallot struct {
	id      ID
	counter uint32
	// ciphertexts[c][o] is option o of manifest contest c; nil for a contest
	// that is not on the credential's ballot style.
	ciphertexts [][]*elgamal.Ciphertext
}

// incoming is an entry that has passed the envelope checks (16–23), with
// what they learnt about its author, as the payload rules see it.
type incoming struct {
	e       *Entry
	id      ID
	trustee int    // dealing, complaint, reveal, partial: the author's trustee index, 1-based
	node    int    // seal: the author's node position, 0-based
	style   uint16 // ballot, spoiled: the author credential's ballot style
	// pre is what ApplyBatch's parallel pass already established about the
	// entry (record_batch.go); nil when the entry came through Apply.
	pre *preChecked
}

// A payloadRule checks an entry's payload against r, the record before the
// entry, and returns the change that accepting the entry makes.
//
// It must not change r: Apply calls commit only after every check has
// passed, so that a rejected entry leaves the Record as it was; commit must
// not fail. An error that is a *CheckError (see failf) names its check;
// any other error is reported as a failure of the type's encoding check.
//
// The rules for the voters' and trustees' entry types live beside their
// payloads: checkDealing (dealing_rule.go), checkComplaint
// (complaint_rule.go), checkReveal (reveal_rule.go), checkBallot and
// checkSpoiled (ballot_rule.go), checkPartial (partial_rule.go),
// checkResult (result_rule.go); the last-ballot rule in lastballot.go. They read r through its fields
// (r.layout, r.key, r.ctx, r.creds.styles, r.ceremony, r.aggregates …) and
// their commits write only the fields documented as theirs above.
type payloadRule func(r *Record, in *incoming) (commit func(), err error)

// rule is what the record knows about one entry type.
type rule struct {
	encodingCheck int     // the check an undecodable payload fails
	phases        []Phase // the phases in which the type is accepted
	payload       payloadRule
}

// rules gives every entry type its phases and payload rule. The manifest has
// none: it is only ever the first entry, taken by NewRecord.
var rules = map[EntryType]rule{
	TypeCredentials: {CheckCredentialsEncoding, []Phase{PhaseSetup}, checkCredentials},
	TypeDealing:     {CheckDealingEncoding, []Phase{PhaseSetup}, checkDealing},
	TypeComplaint:   {CheckComplaint, []Phase{PhaseSetup}, checkComplaint},
	TypeReveal:      {CheckReveal, []Phase{PhaseSetup}, checkReveal},
	TypeOpen:        {CheckOpenEncoding, []Phase{PhaseSetup}, checkOpen},
	TypeBallot:      {CheckBallotEncoding, []Phase{PhaseVoting, PhaseClosed}, checkBallot},
	TypeSpoiled:     {CheckSpoiledEncoding, []Phase{PhaseVoting, PhaseClosed}, checkSpoiled},
	TypeClose:       {CheckCloseEncoding, []Phase{PhaseVoting}, checkClose},
	TypeSeal:        {CheckSealEncoding, []Phase{PhaseClosed, PhaseDecryption, PhaseDone}, checkSeal},
	TypePartial:     {CheckPartialEncoding, []Phase{PhaseDecryption}, checkPartial},
	TypeResult:      {CheckResultEncoding, []Phase{PhaseDecryption}, checkResult},
}

// NewRecord starts a record from its first entry, the signed manifest. It
// checks the entry as Apply checks any other (checks 16–25) and derives the
// election id, the authorised keys and the ballot layout.
func NewRecord(manifest *Entry) (*Record, error) {
	id := manifest.ID()
	m, err := checkManifestEntry(manifest)
	if err != nil {
		return nil, withEntry(err, id, manifest.Type)
	}
	r, err := newRecord(id, m)
	if err != nil {
		return nil, withEntry(err, id, manifest.Type)
	}
	return r, nil
}

// checkManifestEntry makes every check on the first entry of a record.
func checkManifestEntry(e *Entry) (*Manifest, error) {
	if err := checkSizes(e); err != nil {
		return nil, err
	}
	if e.Election != (ID{}) {
		return nil, failf(CheckElection, "a manifest entry's election field is all zeros, not %x", e.Election[:])
	}
	if err := checkVersionAndType(e); err != nil {
		return nil, err
	}
	if e.Type != TypeManifest {
		return nil, failf(CheckType, "a record starts with a manifest entry, not %s", e.Type)
	}
	if err := e.VerifySignature(); err != nil {
		return nil, checkError(CheckSignature, err)
	}
	m, err := DecodeManifest(e.Payload)
	if err != nil {
		return nil, checkError(CheckManifestEncoding, err)
	}
	if !bytes.Equal(e.Author, m.Commission) {
		return nil, failf(CheckAuthor, "manifest signed by %x, not by its commission key %x", e.Author, m.Commission)
	}
	if errs := m.Validate(); len(errs) > 0 {
		return nil, checkError(CheckManifestRules, &ValidationError{Errors: errs})
	}
	return m, nil
}

// newRecord sets up the record of a valid manifest.
func newRecord(id ID, m *Manifest) (*Record, error) {
	layout, err := NewBallotLayout(m)
	if err != nil {
		return nil, &CheckError{Check: CheckManifestRules, Entry: id, Type: TypeManifest, Err: err}
	}
	r := &Record{
		id:           id,
		manifest:     m,
		layout:       layout,
		params:       threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)},
		ctx:          proof.Context{Election: append([]byte(nil), id[:]...)},
		phase:        PhaseSetup,
		seen:         map[ID]struct{}{id: {}},
		length:       1,
		trusteeIndex: make(map[[ed25519.PublicKeySize]byte]int, len(m.Trustees.Members)),
		nodeIndex:    make(map[[ed25519.PublicKeySize]byte]int, len(m.Nodes)),
		creds:        credentialState{styles: make(map[[ed25519.PublicKeySize]byte]uint16)},
		commitments:  make(map[int]*threshold.Commitments),
		dealings:     make(map[int]ID),
		last:         make(map[[ed25519.PublicKeySize]byte]*castBallot),
		seals:        make(map[int]*Seal),
		partials:     make(map[int]*Partial),
	}
	for i, t := range m.Trustees.Members {
		r.trusteeIndex[[ed25519.PublicKeySize]byte(t.SigningKey)] = i + 1
	}
	for i, n := range m.Nodes {
		r.nodeIndex[[ed25519.PublicKeySize]byte(n.SigningKey)] = i
	}
	return r, nil
}

// ID returns the election id: the id of the manifest entry, which is also
// the election context hash that every proof binds.
func (r *Record) ID() ID { return r.id }

// Manifest returns the election's manifest. Callers must not modify it.
func (r *Record) Manifest() *Manifest { return r.manifest }

// Phase returns the record's current phase.
func (r *Record) Phase() Phase { return r.phase }

// Len returns how many entries the record holds, the manifest included.
func (r *Record) Len() int { return r.length }

// Has reports whether the record holds an entry with id.
func (r *Record) Has(id ID) bool {
	_, ok := r.seen[id]
	return ok
}

// Key returns the joint election key, or nil before the open entry.
func (r *Record) Key() *group.Point {
	if r.ceremony == nil {
		return nil
	}
	return r.ceremony.Key
}

// Ceremony returns the key ceremony's outcome, or nil before the open entry.
// Callers must not modify it.
func (r *Record) Ceremony() *threshold.Result { return r.ceremony }

// Layout returns the ballot layout of the election.
func (r *Record) Layout() *BallotLayout { return r.layout }

// Apply checks e against the record's rules and, if it passes every one,
// adds it. The checks run in the order of docs/SPEC.md §7.8: strict
// encoding (16), duplicate (17), election (18), protocol version (19), type
// (20), signature (21), authorisation (22), phase (23), then the type's own
// payload rules. On any failure Apply returns a *CheckError and the record
// is unchanged; a duplicate wraps ErrDuplicate, which a board treats as
// "already have it".
//
// e need not have come from DecodeEntry: Apply checks the sizes that the
// encoding fixes.
func (r *Record) Apply(e *Entry) error {
	return r.apply(e, e.ID(), nil)
}

// apply is Apply for an entry whose id is known, trusting pre (when not
// nil) for what ApplyBatch's parallel pass already verified.
func (r *Record) apply(e *Entry, id ID, pre *preChecked) error {
	commit, err := r.checkWith(e, id, pre)
	if err != nil {
		return withEntry(err, id, e.Type)
	}
	commit()
	r.seen[id] = struct{}{}
	r.length++
	r.advance()
	return nil
}

// ApplyBytes decodes an entry and applies it. Unlike DecodeEntry it leaves
// the version and the type to Apply, so that each failure gets its own
// check number. The error's Entry is SHA-256 of b, even when b does not
// decode.
func (r *Record) ApplyBytes(b []byte) (*Entry, error) {
	e, err := decodeEnvelope(b)
	if err != nil {
		return nil, withEntry(checkError(CheckEncoding, err), sha256.Sum256(b), 0)
	}
	if err := r.Apply(e); err != nil {
		return nil, err
	}
	return e, nil
}

// withEntry returns err as a *CheckError naming the entry.
func withEntry(err error, id ID, t EntryType) error {
	var ce *CheckError
	if !errors.As(err, &ce) {
		ce = &CheckError{Check: CheckEncoding, Err: err}
	}
	ce.Entry, ce.Type = id, t
	return ce
}

// check runs every check on e and returns what accepting it changes.
func (r *Record) check(e *Entry, id ID) (func(), error) { return r.checkWith(e, id, nil) }

// checkWith is check, trusting pre (when not nil) for the signature and a
// ballot's decoding and proofs, which ApplyBatch verified beforehand.
func (r *Record) checkWith(e *Entry, id ID, pre *preChecked) (func(), error) {
	if err := checkSizes(e); err != nil {
		return nil, err
	}
	if r.Has(id) {
		return nil, failf(CheckDuplicate, "%w: %s", ErrDuplicate, id)
	}
	if e.Election != r.id {
		return nil, failf(CheckElection, "entry is for election %x, this is %x", e.Election[:], r.id[:])
	}
	if err := checkVersionAndType(e); err != nil {
		return nil, err
	}
	if !pre.signatureVerified() {
		if err := e.VerifySignature(); err != nil {
			return nil, checkError(CheckSignature, err)
		}
	}
	in := &incoming{e: e, id: id, pre: pre}
	if err := r.authorise(in); err != nil {
		return nil, checkError(CheckAuthor, err)
	}
	ru := rules[e.Type]
	if err := r.checkPhase(e.Type, ru.phases); err != nil {
		// A decryption entry on a record whose quorum sealed another
		// ballot set fails for that reason, which says more.
		if q := r.quorumSet(); q != nil && r.phase == PhaseClosed && ru.phases[0] == PhaseDecryption {
			if qerr := r.checkQuorumSet(q); qerr != nil {
				return nil, checkError(CheckSealQuorum, qerr)
			}
			if r.stream != nil && r.stream.err != nil {
				return nil, checkError(CheckSealQuorum, r.stream.err)
			}
		}
		return nil, checkError(CheckPhase, err)
	}
	commit, err := ru.payload(r, in)
	if err != nil {
		return nil, checkError(ru.encodingCheck, err)
	}
	return commit, nil
}

// checkSizes makes check 16 on an entry's fields: the sizes that the
// encoding fixes. (An entry decoded from bytes has them.)
func checkSizes(e *Entry) error {
	if len(e.Author) != ed25519.PublicKeySize || len(e.Signature) != ed25519.SignatureSize || len(e.Payload) > MaxPayload {
		return failf(CheckEncoding, "%w: author %d bytes, signature %d bytes, payload %d bytes",
			ErrEncoding, len(e.Author), len(e.Signature), len(e.Payload))
	}
	return nil
}

// checkVersionAndType makes checks 19 and 20.
func checkVersionAndType(e *Entry) error {
	if e.Version != ProtocolVersion {
		return failf(CheckVersion, "%w: %d (this is version %d)", ErrVersion, e.Version, ProtocolVersion)
	}
	if _, ok := rules[e.Type]; !ok && e.Type != TypeManifest {
		return failf(CheckType, "%w: unknown entry type %d", ErrEncoding, e.Type)
	}
	return nil
}

// decodeEnvelope parses an entry's fields strictly (exact lengths, nothing
// trailing) without judging them; see DecodeEntry.
func decodeEnvelope(b []byte) (*Entry, error) {
	r := wire.NewReader(b)
	e := &Entry{}
	e.Version = r.U16("version")
	e.Type = EntryType(r.U8("type"))
	copy(e.Election[:], r.Fixed("election", IDSize))
	e.Author = r.Fixed("author", ed25519.PublicKeySize)
	e.Payload = r.Bytes32("payload", MaxPayload)
	e.Signature = r.Fixed("signature", ed25519.SignatureSize)
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEncoding, err)
	}
	return e, nil
}

// authorise makes check 22: the author is a key that the manifest (or, for
// ballots, the credential list) allows to sign this type.
func (r *Record) authorise(in *incoming) error {
	author := [ed25519.PublicKeySize]byte(in.e.Author)
	switch in.e.Type {
	case TypeCredentials, TypeOpen, TypeClose, TypeResult:
		if !bytes.Equal(in.e.Author, r.manifest.Commission) {
			return fmt.Errorf("%s entries are signed by the commission key %x, not %x", in.e.Type, r.manifest.Commission, in.e.Author)
		}
	case TypeDealing, TypeComplaint, TypeReveal, TypePartial:
		i, ok := r.trusteeIndex[author]
		if !ok {
			return fmt.Errorf("%s entries are signed by a trustee; %x is none of the manifest's trustees", in.e.Type, in.e.Author)
		}
		in.trustee = i
	case TypeBallot, TypeSpoiled:
		style, ok := r.creds.styles[author]
		if !ok {
			return fmt.Errorf("%s entries are signed by an eligible credential; %x is not on the credential list", in.e.Type, in.e.Author)
		}
		in.style = style
	case TypeSeal:
		i, ok := r.nodeIndex[author]
		if !ok {
			return fmt.Errorf("seal entries are signed by a board node; %x is none of the manifest's nodes", in.e.Author)
		}
		in.node = i
	case TypeManifest:
		return errors.New("a manifest entry is only ever the first entry of its own record")
	}
	return nil
}

// Counts returns the result's counts per manifest contest and option, or nil
// before the result entry. Callers must not modify it.
func (r *Record) Counts() [][]uint64 { return r.counts }
