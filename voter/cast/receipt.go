package cast

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/atomicfile"
)

// ReceiptVersion is the version of the receipt file format.
const ReceiptVersion = 1

// maxReceiptFile bounds a receipt file: a spoiled entry of the largest size,
// base64'd, with room for the rest.
const maxReceiptFile = election.MaxEntrySize/3*4 + 64<<10

// Receipt is what a voter keeps after casting (or challenging): which entry,
// in which election, and the node's signed promise to keep it. It holds
// nothing secret; the entry itself is public once on the board.
type Receipt struct {
	Election election.ID
	// Tracker is the entry's id (a ballot's tracker).
	Tracker election.ID
	Type    election.EntryType
	// Entry is the entry's canonical bytes, so that the receipt proves
	// what the node promised to keep even if every node drops it. Empty in
	// a receipt read from its QR code (Text); Check fetches it by Tracker.
	Entry []byte
	// Node is the node's signed receipt; nil while the entry is queued.
	Node *bulletin.Receipt
	// NodeName is the manifest's name of the node that signed Node.
	NodeName string
	// Queued says that no node answered when the voter cast: the kiosk
	// keeps the entry on disk and submits it when a node is back.
	Queued bool
}

// receiptFile is a Receipt as JSON: hex ids, base64 entry, and the node's
// receipt exactly as the board's API serves it (docs/API.md).
type receiptFile struct {
	Version  int              `json:"evote_receipt"`
	Election string           `json:"election"`
	Tracker  string           `json:"tracker"`
	Type     string           `json:"type"`
	Queued   bool             `json:"queued,omitempty"`
	NodeName string           `json:"node_name,omitempty"`
	Receipt  *api.ReceiptJSON `json:"receipt,omitempty"`
	Entry    string           `json:"entry,omitempty"`
}

// Encode returns the receipt as a JSON document (docs/VOTERS.md).
func (r *Receipt) Encode() []byte {
	b, err := json.MarshalIndent(r.file(true), "", "  ")
	if err != nil {
		panic(err) // only strings, numbers and bools: cannot fail
	}
	return append(b, '\n')
}

// Text returns the receipt without the entry's bytes, in one line of JSON:
// short enough for a QR code, and what `evote vote check --receipt` reads as
// well as the full file.
func (r *Receipt) Text() string {
	b, err := json.Marshal(r.file(false))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (r *Receipt) file(withEntry bool) *receiptFile {
	f := &receiptFile{
		Version:  ReceiptVersion,
		Election: r.Election.String(),
		Tracker:  r.Tracker.String(),
		Type:     r.Type.String(),
		Queued:   r.Queued,
		NodeName: r.NodeName,
	}
	if withEntry && len(r.Entry) > 0 {
		f.Entry = base64.StdEncoding.EncodeToString(r.Entry)
	}
	if n := r.Node; n != nil {
		f.Receipt = &api.ReceiptJSON{
			Election:  n.Election.String(),
			Entry:     n.Entry.String(),
			Index:     n.Index,
			Time:      n.Time,
			Node:      hex.EncodeToString(n.Node),
			Signature: hex.EncodeToString(n.Signature),
		}
	}
	return f
}

// DecodeReceipt parses a receipt file (Encode) or its QR text (Text),
// strictly: every id is 64 hex digits, the entry (if present) hashes to
// the tracker and is of the type given, and the node's receipt is about this
// entry in this election. Whether the node's signature holds is for
// Election.Check, which knows the manifest's node keys.
func DecodeReceipt(b []byte) (*Receipt, error) {
	var f receiptFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("receipt: not a receipt file: %w", err)
	}
	if f.Version != ReceiptVersion {
		return nil, fmt.Errorf("receipt: evote_receipt %d, want %d", f.Version, ReceiptVersion)
	}
	r := &Receipt{Queued: f.Queued, NodeName: f.NodeName}
	var err error
	if r.Election, err = ParseID(f.Election); err != nil {
		return nil, fmt.Errorf("receipt: election: %w", err)
	}
	if r.Tracker, err = ParseID(f.Tracker); err != nil {
		return nil, fmt.Errorf("receipt: tracker: %w", err)
	}
	typ, ok := election.ParseEntryType(f.Type)
	if !ok || (typ != election.TypeBallot && typ != election.TypeSpoiled) {
		return nil, fmt.Errorf("receipt: type %q, want ballot or spoiled", f.Type)
	}
	r.Type = typ
	if err := r.decodeEntry(f.Entry); err != nil {
		return nil, err
	}
	if f.Receipt == nil {
		if !r.Queued {
			return nil, errors.New("receipt: no node receipt, and not marked as queued")
		}
		return r, nil
	}
	if r.Node, err = decodeNodeReceipt(f.Receipt); err != nil {
		return nil, fmt.Errorf("receipt: node receipt: %w", err)
	}
	if r.Node.Election != r.Election || r.Node.Entry != r.Tracker {
		return nil, errors.New("receipt: the node's receipt is about another entry or election")
	}
	return r, nil
}

// decodeEntry sets r.Entry from base64 s (empty: no entry) and checks it.
func (r *Receipt) decodeEntry(s string) error {
	if s == "" {
		return nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return fmt.Errorf("receipt: entry: %w", err)
	}
	if sha256.Sum256(b) != r.Tracker {
		return errors.New("receipt: the entry's bytes do not hash to the tracker")
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		return fmt.Errorf("receipt: entry: %w", err)
	}
	if e.Type != r.Type || e.Election != r.Election {
		return fmt.Errorf("receipt: the entry is a %s of election %s, not a %s of %s", e.Type, short(e.Election), r.Type, short(r.Election))
	}
	r.Entry = b
	return nil
}

func decodeNodeReceipt(j *api.ReceiptJSON) (*bulletin.Receipt, error) {
	el, err := ParseID(j.Election)
	if err != nil {
		return nil, fmt.Errorf("election: %w", err)
	}
	en, err := ParseID(j.Entry)
	if err != nil {
		return nil, fmt.Errorf("entry: %w", err)
	}
	node, err := hex.DecodeString(j.Node)
	if err != nil || len(node) != 32 {
		return nil, fmt.Errorf("node key %q: want 64 hex digits", j.Node)
	}
	sig, err := hex.DecodeString(j.Signature)
	if err != nil || len(sig) != 64 {
		return nil, fmt.Errorf("signature: want 128 hex digits")
	}
	return &bulletin.Receipt{Election: el, Entry: en, Index: j.Index, Time: j.Time, Node: node, Signature: sig}, nil
}

// ParseID reads an election or entry id: 64 hex digits, either case.
func ParseID(s string) (election.ID, error) {
	var id election.ID
	if len(s) != 2*len(id) {
		return id, fmt.Errorf("%q: want 64 hex digits, got %d characters", s, len(s))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("%q: want 64 hex digits: %w", s, err)
	}
	return id, nil
}

// WriteReceipt saves r at path, atomically and never over an existing file.
func WriteReceipt(path string, r *Receipt) error {
	if err := atomicfile.Write(path, r.Encode(), 0o644, false); err != nil {
		return fmt.Errorf("saving the receipt: %w", err)
	}
	return nil
}

// ReadReceipt reads and decodes a receipt file.
func ReadReceipt(path string) (*Receipt, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxReceiptFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > maxReceiptFile {
		return nil, fmt.Errorf("%s: larger than %d bytes, too large for a receipt", path, maxReceiptFile)
	}
	r, err := DecodeReceipt(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
