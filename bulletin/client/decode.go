package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/election"
)

// decodeHex decodes exactly n bytes of hex.
func decodeHex(what, s string, n int) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != n {
		return nil, fmt.Errorf("%s %q is not %d bytes of hex", what, clip(s), n)
	}
	return b, nil
}

func decodeHash(what, s string) ([32]byte, error) {
	b, err := decodeHex(what, s, 32)
	if err != nil {
		return [32]byte{}, err
	}
	return [32]byte(b), nil
}

// maxProof bounds a proof's length: a tree of at most 2^64 leaves has
// paths of at most 64 hashes, and consistency proofs of at most 2·64.
const maxProof = 128

func decodeHashes(hs []string) ([][32]byte, error) {
	if len(hs) > maxProof {
		return nil, fmt.Errorf("proof of %d hashes, more than any tree needs", len(hs))
	}
	out := make([][32]byte, len(hs))
	for i, h := range hs {
		var err error
		if out[i], err = decodeHash(fmt.Sprintf("proof hash %d", i), h); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeEntry turns an entry from an answer into a bulletin.Stored after
// checking what a client can check alone: the bytes are canonical base64
// of a well-formed entry of the claimed type, the id is their SHA-256, and
// the entry belongs to election el (a manifest: its id is el).
func decodeEntry(el election.ID, ej *api.EntryJSON) (*bulletin.Stored, *election.Entry, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(ej.Entry)
	if err != nil {
		return nil, nil, fmt.Errorf("entry %d: bytes are not padded standard base64: %v", ej.Index, err)
	}
	id := election.ID(sha256.Sum256(b))
	if hex.EncodeToString(id[:]) != ej.ID {
		return nil, nil, fmt.Errorf("entry %d: id %q is not the SHA-256 of its bytes, %s", ej.Index, clip(ej.ID), id)
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		return nil, nil, fmt.Errorf("entry %d (%s): %w", ej.Index, id, err)
	}
	if e.Type.String() != ej.Type {
		return nil, nil, fmt.Errorf("entry %d (%s): said to be %q, is %s", ej.Index, id, clip(ej.Type), e.Type)
	}
	owner := e.Election
	if e.Type == election.TypeManifest {
		owner = id
	}
	if owner != el {
		return nil, nil, fmt.Errorf("entry %d (%s): belongs to election %s, not %s", ej.Index, id, owner, el)
	}
	return &bulletin.Stored{Index: ej.Index, ID: id, Type: e.Type, Bytes: b}, e, nil
}

// decodeReceipt parses a receipt and checks that it is about entry id of
// election el. Its signature is the caller's to check against the
// manifest's node keys.
func decodeReceipt(rj *api.ReceiptJSON, el, id election.ID) (*bulletin.Receipt, error) {
	r := &bulletin.Receipt{Index: rj.Index, Time: rj.Time}
	var err error
	if r.Election, err = decodeHash("receipt election", rj.Election); err != nil {
		return nil, err
	}
	if r.Entry, err = decodeHash("receipt entry", rj.Entry); err != nil {
		return nil, err
	}
	if r.Election != el || r.Entry != id {
		return nil, fmt.Errorf("receipt for entry %s of election %s, not for the entry sent (%s of %s)", r.Entry, r.Election, id, el)
	}
	if r.Node, err = decodeHex("receipt node key", rj.Node, 32); err != nil {
		return nil, err
	}
	if r.Signature, err = decodeHex("receipt signature", rj.Signature, 64); err != nil {
		return nil, err
	}
	return r, nil
}

// decodeCheckpoint parses a checkpoint's JSON; its note is not opened.
func decodeCheckpoint(cj *api.CheckpointJSON) (*bulletin.Checkpoint, error) {
	cp := &bulletin.Checkpoint{Size: cj.Size, Note: []byte(cj.Note)}
	var err error
	if cp.Election, err = decodeHash("checkpoint election", cj.Election); err != nil {
		return nil, err
	}
	if cp.Root, err = decodeHash("checkpoint root", cj.Root); err != nil {
		return nil, err
	}
	return cp, nil
}
