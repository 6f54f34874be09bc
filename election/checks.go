package election

import (
	"errors"
	"fmt"
)

// The numbered checks of the election record (docs/SPEC.md §7.8), continuing
// the cryptographic checks C1–C15 of §1–5. A *CheckError names one of them,
// so that the board's answer and the verifier's report say which rule an
// entry broke. The numbers are part of the specification: never renumber,
// only add.
const (
	// Every entry (the envelope), in the order Apply checks them.
	CheckEncoding  = 16 // strict entry encoding: exact lengths, nothing trailing, re-encodes to the same bytes
	CheckDuplicate = 17 // an entry with this id is not already in the record
	CheckElection  = 18 // bound to this election (the manifest: all zeros, and first)
	CheckVersion   = 19 // protocol version is ProtocolVersion
	CheckType      = 20 // entry type is known
	CheckSignature = 21 // Ed25519 signature by the author
	CheckAuthor    = 22 // the author may sign this type (commission, trustee, credential, node)
	CheckPhase     = 23 // the type is allowed in the record's current phase

	// Manifest.
	CheckManifestEncoding = 24 // strict manifest encoding; version and group are the only supported ones
	CheckManifestRules    = 25 // every rule of (*Manifest).Validate

	// Credentials.
	CheckCredentialsEncoding = 26 // strict credential list encoding, keys strictly increasing in the part
	CheckCredentialsParts    = 27 // parts in order with one total, keys increasing across parts, styles exist, no role key

	// Key ceremony (dealing*.go, complaint*.go, reveal*.go).
	CheckDealingEncoding = 28 // strict dealing encoding: t commitments, one 80-byte share ciphertext per other trustee
	CheckDealingProofs   = 29 // commitments and their proofs of knowledge verify (C9)
	CheckDealingOnce     = 30 // one dealing per trustee
	CheckComplaint       = 31 // complaint: strict encoding, accuser is the author, dealer has dealt, not repeated
	CheckReveal          = 32 // reveal: strict encoding, dealer is the author, answers a complaint, not repeated

	// Open.
	CheckOpenEncoding    = 33 // strict open encoding
	CheckOpenCredentials = 34 // every part of the credential list is on the record
	CheckOpenCeremony    = 35 // the joint key and the qualified set are what Qualify derives from the record (C12)

	// Ballots (ballot*.go, spoiled*.go, lastballot*.go).
	CheckBallotEncoding  = 36 // strict ballot encoding, the election's one ballot size, style of the credential
	CheckBallotProofs    = 37 // every option's 0/1 proof and every contest's range proof (C7, C8)
	CheckBallotCounter   = 38 // the last-ballot rule (SPEC §7.7): every valid ballot is kept, the rule picks the counted one; rejects nothing
	CheckSpoiledEncoding = 39 // strict spoiled-ballot encoding
	CheckSpoiledOpening  = 40 // the ballot is valid (as C37) and the opening re-encrypts to it

	// Close and seals.
	CheckCloseEncoding = 41 // empty, or a reason of 1–1024 bytes of UTF-8
	CheckSealEncoding  = 42 // strict seal encoding
	CheckSealOnce      = 43 // one seal per node
	CheckSealQuorum    = 44 // a quorum of seals agrees on one ballot set, and it is the record's ballot set

	// Decryption and result (partial*.go, result*.go).
	CheckPartialEncoding = 45 // strict partial encoding: one partial decryption per aggregate
	CheckPartialProofs   = 46 // one partial per trustee, every proof against the trustee's verification key (C13)
	CheckResultEncoding  = 47 // strict result encoding
	CheckResultCounts    = 48 // the counts are what combining the partials gives (C14, C15)

	// The whole record (the verifier, after the last entry).
	CheckComplete = 49 // the record ends with a result
)

// checkNames are the checks' short names, as the verifier's report prints
// them.
var checkNames = map[int]string{
	CheckEncoding: "entry encoding", CheckVersion: "protocol version", CheckType: "entry type",
	CheckElection: "election", CheckSignature: "signature", CheckAuthor: "authorisation",
	CheckPhase: "phase", CheckDuplicate: "duplicate",
	CheckManifestEncoding: "manifest encoding", CheckManifestRules: "manifest rules",
	CheckCredentialsEncoding: "credential list encoding", CheckCredentialsParts: "credential list parts",
	CheckDealingEncoding: "dealing encoding", CheckDealingProofs: "dealing proofs",
	CheckDealingOnce: "one dealing per trustee", CheckComplaint: "complaint", CheckReveal: "reveal",
	CheckOpenEncoding: "open encoding", CheckOpenCredentials: "credential list complete",
	CheckOpenCeremony:   "key ceremony outcome",
	CheckBallotEncoding: "ballot encoding", CheckBallotProofs: "ballot proofs",
	CheckBallotCounter: "revote counter", CheckSpoiledEncoding: "spoiled ballot encoding",
	CheckSpoiledOpening: "spoiled ballot opening",
	CheckCloseEncoding:  "close encoding", CheckSealEncoding: "seal encoding", CheckSealOnce: "one seal per node",
	CheckSealQuorum:      "seal quorum",
	CheckPartialEncoding: "partial decryption encoding", CheckPartialProofs: "partial decryption proofs",
	CheckResultEncoding: "result encoding", CheckResultCounts: "result counts",
	CheckComplete: "record complete",
}

// CheckName returns the short name of a numbered check, or "" for a number
// that is not one of the record's checks.
func CheckName(check int) string { return checkNames[check] }

// Errors that callers test for with errors.Is.
var (
	// ErrDuplicate is wrapped by a check 17 failure: the record already holds
	// an entry with this id. A board treats it as "already have it".
	ErrDuplicate = errors.New("duplicate entry")
	// ErrTooEarly is wrapped by a check 23 failure for an entry whose type
	// belongs to a later phase, or by a check that needs entries the record
	// does not hold yet. A replica that receives entries out of order may
	// keep such an entry and offer it again later; it is not evidence of
	// misbehaviour.
	ErrTooEarly = errors.New("too early")
	// ErrTooLate is wrapped by a check 23 failure for an entry whose phase
	// has passed.
	ErrTooLate = errors.New("too late")
)

// CheckError is a failed numbered check: which check, on which entry, and
// why. Err carries the details.
type CheckError struct {
	Check int
	Entry ID // the failing entry's id (SHA-256 of the bytes as given)
	Type  EntryType
	Err   error
}

func (e *CheckError) Error() string {
	name := CheckName(e.Check)
	if name == "" {
		name = "unnumbered"
	}
	return fmt.Sprintf("check %d (%s): %s entry %x: %v", e.Check, name, e.Type, e.Entry[:6], e.Err)
}

func (e *CheckError) Unwrap() error { return e.Err }

// checkError returns err as a failure of check, unless it already names a
// check (a payload rule that knows better), which is kept.
func checkError(check int, err error) error {
	var ce *CheckError
	if errors.As(err, &ce) {
		return err
	}
	return &CheckError{Check: check, Err: err}
}

// failf returns a failure of check with a formatted reason; payload rules
// use it to name the check they fail.
func failf(check int, format string, args ...any) error {
	return &CheckError{Check: check, Err: fmt.Errorf(format, args...)}
}
