package api

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// The JSON bodies of the API's answers (docs/API.md). Byte strings are
// lowercase hex, except entries, which are padded standard base64.

// ReceiptJSON is a bulletin.Receipt.
type ReceiptJSON struct {
	Election  string `json:"election"`
	Entry     string `json:"entry"`
	Index     uint64 `json:"index"`
	Time      int64  `json:"time"`
	Node      string `json:"node"`
	Signature string `json:"signature"`
}

// SubmitJSON answers POST /v1/entries.
type SubmitJSON struct {
	Receipt ReceiptJSON `json:"receipt"`
}

// EntryJSON is a bulletin.Stored.
type EntryJSON struct {
	Index uint64 `json:"index"`
	ID    string `json:"id"`
	Type  string `json:"type"`
	Entry string `json:"entry"`
}

// PageJSON answers GET /v1/elections/{election}/entries. Next is the from
// of the following page; More says whether the node had more entries
// when it answered.
type PageJSON struct {
	Entries []EntryJSON `json:"entries"`
	Next    uint64      `json:"next"`
	More    bool        `json:"more"`
}

// ElectionsJSON answers GET /v1/elections.
type ElectionsJSON struct {
	Elections []string `json:"elections"`
}

// CheckpointJSON is a bulletin.Checkpoint; Note is the signed note.
type CheckpointJSON struct {
	Election string `json:"election"`
	Size     uint64 `json:"size"`
	Root     string `json:"root"`
	Note     string `json:"note"`
}

// InclusionJSON answers GET …/proof/inclusion.
type InclusionJSON struct {
	Index  uint64   `json:"index"`
	Size   uint64   `json:"size"`
	Hashes []string `json:"hashes"`
}

// ConsistencyJSON answers GET …/proof/consistency.
type ConsistencyJSON struct {
	From   uint64   `json:"from"`
	To     uint64   `json:"to"`
	Hashes []string `json:"hashes"`
}

// SealJSON is a seal entry with its decoded author and payload.
type SealJSON struct {
	EntryJSON
	Node     string `json:"node"`
	Count    uint64 `json:"count"`
	Ballots  string `json:"ballots"`
	TreeSize uint64 `json:"tree_size"`
	Root     string `json:"root"`
}

// SealsJSON answers GET /v1/elections/{election}/seals.
type SealsJSON struct {
	Seals []SealJSON `json:"seals"`
}

// EvidenceJSON is a tlog.Evidence.
type EvidenceJSON struct {
	Election string         `json:"election"`
	A        CheckpointJSON `json:"a"`
	B        CheckpointJSON `json:"b"`
	Proof    []string       `json:"proof"`
	Reason   string         `json:"reason"`
}

// EvidencesJSON answers GET /v1/evidence.
type EvidencesJSON struct {
	Evidence []EvidenceJSON `json:"evidence"`
}

// HealthJSON answers GET /healthz when the node is healthy.
type HealthJSON struct {
	Status string `json:"status"`
}

// SubmitRequestJSON is the JSON form of POST /v1/entries.
type SubmitRequestJSON struct {
	Entry string `json:"entry"` // padded standard base64
}

func receiptJSON(r *bulletin.Receipt) ReceiptJSON {
	return ReceiptJSON{
		Election:  hex.EncodeToString(r.Election[:]),
		Entry:     hex.EncodeToString(r.Entry[:]),
		Index:     r.Index,
		Time:      r.Time,
		Node:      hex.EncodeToString(r.Node),
		Signature: hex.EncodeToString(r.Signature),
	}
}

func entryJSON(s *bulletin.Stored) EntryJSON {
	return EntryJSON{
		Index: s.Index,
		ID:    hex.EncodeToString(s.ID[:]),
		Type:  s.Type.String(),
		Entry: base64.StdEncoding.EncodeToString(s.Bytes),
	}
}

func checkpointJSON(c *bulletin.Checkpoint) CheckpointJSON {
	return CheckpointJSON{
		Election: hex.EncodeToString(c.Election[:]),
		Size:     c.Size,
		Root:     hex.EncodeToString(c.Root[:]),
		Note:     string(c.Note),
	}
}

func hashesJSON(p [][32]byte) []string {
	out := make([]string, len(p))
	for i := range p {
		out[i] = hex.EncodeToString(p[i][:])
	}
	return out
}

func evidenceJSON(e *tlog.Evidence) EvidenceJSON {
	out := EvidenceJSON{Proof: hashesJSON(e.Proof), Reason: e.Reason}
	if e.A != nil {
		out.A = checkpointJSON(e.A)
		out.Election = out.A.Election
	}
	if e.B != nil {
		out.B = checkpointJSON(e.B)
	}
	return out
}

func electionsJSON(ids []election.ID) ElectionsJSON {
	out := ElectionsJSON{Elections: make([]string, len(ids))}
	for i := range ids {
		out.Elections[i] = hex.EncodeToString(ids[i][:])
	}
	return out
}

// writeJSON writes v with status. An encoding failure cannot happen for
// the API's own types, and after WriteHeader nothing could report it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
