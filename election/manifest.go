package election

import "crypto/ed25519"

// ProtocolVersion is the only protocol a manifest may name; verifiers refuse
// any other rather than take parameters from the record.
const ProtocolVersion uint16 = 1

// GroupName is the only group a manifest may name.
const GroupName = "ristretto255"

// Manifest is the commission's definition of one election. Its canonical
// encoding, signed by the commission as the first entry of the record, is
// hashed to give the election id.
type Manifest struct {
	Version     uint16 // ProtocolVersion
	Group       string // GroupName
	Title       string
	Description string
	Contests    []Contest
	// Styles lists which contests each group of voters gets. An election
	// without styles has one implicit style with every contest.
	Styles     []Style
	Schedule   Schedule
	Commission ed25519.PublicKey // 32 bytes; signs the manifest, credentials, open and close
	Trustees   Trustees
	Nodes      []Node
	// SealQuorum is how many node seals make the final ballot set: more than
	// two thirds of the nodes.
	SealQuorum uint16
}

// Contest is one question on the ballot.
type Contest struct {
	ID            string // unique in the election; [a-z0-9_-], 1–64 bytes
	Title         string
	Options       []Option
	MinSelections uint16
	MaxSelections uint16
}

// Option is one choice in a contest.
type Option struct {
	ID    string // unique in its contest; [a-z0-9_-], 1–64 bytes
	Title string
}

// Style is a ballot style: the contests, by id and in manifest order, that
// its voters get.
type Style struct {
	ID       string
	Contests []string
}

// Schedule is when the election runs, in Unix seconds (UTC). The board
// enforces the phases by the commission's open and close entries; the times
// are what voters and observers are told, and bound the key ceremony.
type Schedule struct {
	CeremonyDeadline int64 // trustees who have not dealt by then are left out
	Opens            int64
	Closes           int64
}

// Trustees are the n holders of the election key, any T of whom decrypt.
type Trustees struct {
	Threshold uint16
	Members   []Trustee // n = len(Members); trustee i (1-based) is Members[i-1]
}

// Trustee is one key holder.
type Trustee struct {
	Name          string
	SigningKey    ed25519.PublicKey // 32 bytes; signs its ceremony and decryption entries
	EncryptionKey []byte            // 32-byte X25519 public key; receives key shares
}

// Node is one bulletin-board node that takes part in replication.
type Node struct {
	Name       string
	PeerID     string            // libp2p peer id, derived from SigningKey
	Addrs      []string          // libp2p multiaddrs
	HTTP       string            // base URL of its HTTP API
	SigningKey ed25519.PublicKey // 32 bytes; signs receipts, checkpoints and seals
}
