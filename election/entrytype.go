package election

// EntryType says what an entry is. The numbers are part of the encoding.
type EntryType uint8

// The entry types, in the order an election produces them.
const (
	TypeManifest    EntryType = 1  // commission: the signed manifest; its id is the election id
	TypeCredentials EntryType = 2  // commission: a part of the public credential list
	TypeDealing     EntryType = 3  // trustee: coefficient commitments and encrypted shares
	TypeComplaint   EntryType = 4  // trustee: a received share does not verify
	TypeReveal      EntryType = 5  // trustee: a share revealed in answer to a complaint
	TypeOpen        EntryType = 6  // commission: voting opens under the joint key
	TypeBallot      EntryType = 7  // voter credential: an encrypted ballot
	TypeSpoiled     EntryType = 8  // voter credential: a challenged ballot with its opening
	TypeClose       EntryType = 9  // commission: voting closes
	TypeSeal        EntryType = 10 // board node: its signed final ballot set
	TypePartial     EntryType = 11 // trustee: partial decryptions of the aggregates
	TypeResult      EntryType = 12 // commission: the counts with what proves them
)

var typeNames = map[EntryType]string{
	TypeManifest: "manifest", TypeCredentials: "credentials", TypeDealing: "dealing",
	TypeComplaint: "complaint", TypeReveal: "reveal", TypeOpen: "open", TypeBallot: "ballot",
	TypeSpoiled: "spoiled", TypeClose: "close", TypeSeal: "seal", TypePartial: "partial",
	TypeResult: "result",
}

// String returns the type's name as the spec and the HTTP API spell it.
func (t EntryType) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "unknown"
}

// ParseEntryType returns the type named s.
func ParseEntryType(s string) (EntryType, bool) {
	for t, n := range typeNames {
		if n == s {
			return t, true
		}
	}
	return 0, false
}
