package cast

import (
	"crypto/ed25519"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/voter/internal/votertest"
)

// castOne casts voter 0's ballot and returns the election and the receipt.
func castOne(t *testing.T) (*Election, *Receipt) {
	t.Helper()
	_, e := fetch(t)
	ctx := testContext(t)
	v := voter(t, e, 0)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := e.Cast(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	return e, rc
}

func TestReceiptFile(t *testing.T) {
	e, rc := castOne(t)
	path := filepath.Join(t.TempDir(), "receipt.json")
	if err := WriteReceipt(path, rc); err != nil {
		t.Fatal(err)
	}
	if err := WriteReceipt(path, rc); err == nil {
		t.Fatal("WriteReceipt replaced an existing file")
	}
	got, err := ReadReceipt(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Encode()) != string(rc.Encode()) {
		t.Fatalf("round trip changed the receipt:\n%s\n%s", got.Encode(), rc.Encode())
	}
	// The QR text has no entry; Check fetches it.
	short, err := DecodeReceipt([]byte(rc.Text()))
	if err != nil {
		t.Fatal(err)
	}
	if len(short.Entry) != 0 || short.Node.Index != rc.Node.Index {
		t.Fatalf("QR receipt %+v", short)
	}
	rep, err := e.Check(testContext(t), short, votertest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OnBoard() || rep.Receipt != nil {
		t.Fatalf("check of the QR receipt: %+v", rep)
	}
}

// TestReceiptTampered changes one field of a good receipt file at a time.
func TestReceiptTampered(t *testing.T) {
	_, rc := castOne(t)
	good := rc.Encode()
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	flip := func(s string) string {
		if s[0] == '0' {
			return "1" + s[1:]
		}
		return "0" + s[1:]
	}
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"not json":      {[]byte("{"), "not a receipt file"},
		"version":       {edit(func(m map[string]any) { m["evote_receipt"] = 2 }), "evote_receipt 2"},
		"short tracker": {edit(func(m map[string]any) { m["tracker"] = "abcd" }), "want 64 hex digits"},
		"other tracker": {edit(func(m map[string]any) { m["tracker"] = flip(m["tracker"].(string)) }), "do not hash to the tracker"},
		"type":          {edit(func(m map[string]any) { m["type"] = "open" }), `type "open"`},
		"receipt entry": {edit(func(m map[string]any) {
			r := m["receipt"].(map[string]any)
			r["entry"] = flip(r["entry"].(string))
		}), "about another entry"},
		"no receipt": {edit(func(m map[string]any) { delete(m, "receipt") }), "not marked as queued"},
		"signature":  {edit(func(m map[string]any) { m["receipt"].(map[string]any)["signature"] = "00" }), "128 hex digits"},
	} {
		_, err := DecodeReceipt(tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// TestCheckBadReceiptSignature: a receipt whose signature does not hold is
// reported, while the ballot is still shown on the board.
func TestCheckBadReceiptSignature(t *testing.T) {
	e, rc := castOne(t)
	rc.Node.Signature[0] ^= 1
	rep, err := e.Check(testContext(t), rc, votertest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Receipt == nil || !rep.OnBoard() {
		t.Fatalf("report %+v: want a bad receipt and the ballot on the board", rep)
	}
	// A receipt, signed by the node, promising another index is evidence
	// against the node. (The test knows the node's key.)
	rc.Node.Index += 5
	rc.Node.Signature = ed25519.Sign(votertest.Key("node/0"), node.ReceiptMessage(rc.Node))
	rep, err = e.Check(testContext(t), rc, votertest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OnBoard() || !strings.Contains(rep.Nodes[0].Err.Error(), "evidence against it") {
		t.Fatalf("receipt with another index: %+v", rep.Nodes)
	}
}
