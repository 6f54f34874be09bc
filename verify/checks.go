package verify

import "github.com/evote/evote/election"

// The observer's own checks (docs/SPEC.md §9.2), numbered after the
// record's C16–C49 (election.Check…), which they never reuse.
const (
	CheckLogCheckpoint = 50 // a node's signed checkpoint opens under its manifest key and its tree is the log that was read
	CheckLogConsistent = 51 // every checkpoint and seal checkpoint a node signed fits one growing log
	CheckEquivocation  = 52 // no node holds valid evidence that another node equivocated
	CheckSealAgreement = 53 // every node's seal names the ballot set the quorum sealed
)

// firstCheck and lastCheck bound the checks a report lists.
const (
	firstCheck = election.CheckEncoding
	lastCheck  = CheckSealAgreement
)

// checkName returns the short name of any check a report lists.
func checkName(check int) string {
	switch check {
	case CheckLogCheckpoint:
		return "log checkpoint"
	case CheckLogConsistent:
		return "log consistency"
	case CheckEquivocation:
		return "equivocation evidence"
	case CheckSealAgreement:
		return "seal agreement"
	}
	return election.CheckName(check)
}

// envelopeChecks are what every entry after the manifest passes.
var envelopeChecks = []int{
	election.CheckEncoding, election.CheckDuplicate, election.CheckElection, election.CheckVersion,
	election.CheckType, election.CheckSignature, election.CheckAuthor, election.CheckPhase,
}

// payloadChecks are the checks an accepted entry of each type passed
// beyond the envelope (docs/SPEC.md §7.8's table).
var payloadChecks = map[election.EntryType][]int{
	election.TypeManifest:    {election.CheckManifestEncoding, election.CheckManifestRules},
	election.TypeCredentials: {election.CheckCredentialsEncoding, election.CheckCredentialsParts},
	election.TypeDealing:     {election.CheckDealingEncoding, election.CheckDealingProofs, election.CheckDealingOnce},
	election.TypeComplaint:   {election.CheckComplaint},
	election.TypeReveal:      {election.CheckReveal},
	election.TypeOpen:        {election.CheckOpenEncoding, election.CheckOpenCredentials, election.CheckOpenCeremony},
	election.TypeBallot:      {election.CheckBallotEncoding, election.CheckBallotProofs, election.CheckBallotCounter},
	election.TypeSpoiled:     {election.CheckSpoiledEncoding, election.CheckSpoiledOpening},
	election.TypeClose:       {election.CheckCloseEncoding},
	election.TypeSeal:        {election.CheckSealEncoding, election.CheckSealOnce},
	election.TypePartial:     {election.CheckSealQuorum, election.CheckPartialEncoding, election.CheckPartialProofs},
	election.TypeResult:      {election.CheckSealQuorum, election.CheckResultEncoding, election.CheckResultCounts},
}
