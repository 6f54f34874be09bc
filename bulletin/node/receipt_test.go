package node

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
)

var updateReceipts = flag.Bool("update", false, "rewrite testdata/receipt from its seeds")

// receiptVector is a file of testdata/receipt: a receipt as the API sends
// it and the key of the node that should have signed it.
type receiptVector struct {
	Comment string          `json:"comment"`
	NodeKey string          `json:"node_key"`
	Receipt api.ReceiptJSON `json:"receipt"`
}

func (v *receiptVector) decode(t *testing.T) (*bulletin.Receipt, ed25519.PublicKey) {
	t.Helper()
	dec := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r := &bulletin.Receipt{
		Election:  [32]byte(dec(v.Receipt.Election)),
		Entry:     [32]byte(dec(v.Receipt.Entry)),
		Index:     v.Receipt.Index,
		Time:      v.Receipt.Time,
		Node:      dec(v.Receipt.Node),
		Signature: dec(v.Receipt.Signature),
	}
	return r, dec(v.NodeKey)
}

func TestReceiptVectors(t *testing.T) {
	if *updateReceipts {
		writeReceiptVectors(t)
	}
	files, err := filepath.Glob("testdata/receipt/*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("receipt vectors: %v, %v", files, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var v receiptVector
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			r, key := v.decode(t)
			err = VerifyReceipt(r, key)
			switch {
			case strings.HasPrefix(name, "good_") && err != nil:
				t.Errorf("%s: %v", v.Comment, err)
			case strings.HasPrefix(name, "fail_") && !errors.Is(err, ErrReceipt):
				t.Errorf("%s: %v, want ErrReceipt", v.Comment, err)
			}
		})
	}
}

// writeReceiptVectors writes the good receipt and its corruptions.
func writeReceiptVectors(t *testing.T) {
	key := testKey("node/0")
	other := testKey("node/1")
	good := &bulletin.Receipt{
		Election: sha256.Sum256([]byte("election")),
		Entry:    sha256.Sum256([]byte("entry")),
		Index:    70,
		Time:     1767258000,
	}
	signReceipt(good, key)
	vectors := map[string]func(r *bulletin.Receipt) string{
		"good_receipt":            func(r *bulletin.Receipt) string { return "a receipt signed by the node" },
		"fail_signature_bit_flip": func(r *bulletin.Receipt) string { r.Signature[5] ^= 0x10; return "one signature bit flipped" },
		"fail_index":              func(r *bulletin.Receipt) string { r.Index++; return "the index changed after signing" },
		"fail_time":               func(r *bulletin.Receipt) string { r.Time--; return "the time changed after signing" },
		"fail_entry":              func(r *bulletin.Receipt) string { r.Entry[0] ^= 1; return "the entry id changed after signing" },
		"fail_election":           func(r *bulletin.Receipt) string { r.Election[31] ^= 1; return "the election id changed after signing" },
		"fail_other_node": func(r *bulletin.Receipt) string {
			signReceipt(r, other)
			return "a valid receipt of another node, checked against node 0's key"
		},
		"fail_signature_short": func(r *bulletin.Receipt) string {
			r.Signature = r.Signature[:63]
			return "a signature of 63 bytes"
		},
	}
	for name, corrupt := range vectors {
		r := *good
		r.Node = append([]byte(nil), good.Node...)
		r.Signature = append([]byte(nil), good.Signature...)
		v := receiptVector{Comment: corrupt(&r), NodeKey: hex.EncodeToString(key.Public().(ed25519.PublicKey))}
		v.Receipt = api.ReceiptJSON{
			Election: hex.EncodeToString(r.Election[:]), Entry: hex.EncodeToString(r.Entry[:]),
			Index: r.Index, Time: r.Time, Node: hex.EncodeToString(r.Node), Signature: hex.EncodeToString(r.Signature),
		}
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata/receipt", name+".json"), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReceiptMessage pins the signed encoding of docs/SPEC.md §8.1.
func TestReceiptMessage(t *testing.T) {
	r := &bulletin.Receipt{Index: 0x0102030405060708, Time: -1, Node: make([]byte, 32)}
	r.Election[0], r.Entry[0], r.Node[0] = 0xe1, 0xe2, 0xe3
	msg := ReceiptMessage(r)
	want := ReceiptDomain + string(r.Election[:]) + string(r.Entry[:]) +
		"\x01\x02\x03\x04\x05\x06\x07\x08" + "\xff\xff\xff\xff\xff\xff\xff\xff" + string(r.Node)
	if string(msg) != want {
		t.Errorf("receipt message\n%x\nwant\n%x", msg, want)
	}
	if len(msg) != 16+32+32+8+8+32 {
		t.Errorf("receipt message of %d bytes", len(msg))
	}
}

func TestVerifyReceiptKeyLength(t *testing.T) {
	r := &bulletin.Receipt{}
	signReceipt(r, testKey("node/0"))
	if err := VerifyReceipt(r, make([]byte, 31)); err == nil {
		t.Error("a 31-byte node key accepted")
	}
}
