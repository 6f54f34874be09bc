package kiosk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

func TestQueue(t *testing.T) {
	dir := t.TempDir()
	q, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := []byte("entry a"), []byte("entry b")
	for _, e := range [][]byte{a, b, a} { // the same entry twice is kept once
		if err := q.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := q.Pending()
	if err != nil || len(ids) != 2 {
		t.Fatalf("pending %v, %v", ids, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "stray.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	// No node: nothing goes, nothing is lost.
	down := func(context.Context, []byte) (*cast.Receipt, error) {
		return nil, fmt.Errorf("submitting: %w", cast.ErrUnreachable)
	}
	if n, err := q.Flush(context.Background(), down); n != 0 || !errors.Is(err, cast.ErrUnreachable) {
		t.Fatalf("flush with no node: %d, %v", n, err)
	}
	if ids, _ := q.Pending(); len(ids) != 2 {
		t.Fatalf("pending after a failed flush: %v", ids)
	}

	// A node takes a, and refuses b for good (voting closed).
	up := func(_ context.Context, e []byte) (*cast.Receipt, error) {
		if string(e) == "entry b" {
			return nil, fmt.Errorf("node refused: %w", cast.ErrClosed)
		}
		return &cast.Receipt{Type: election.TypeBallot, Entry: e}, nil
	}
	if n, err := q.Flush(context.Background(), up); n != 1 || err != nil {
		t.Fatalf("flush: %d, %v", n, err)
	}
	if ids, _ := q.Pending(); len(ids) != 0 {
		t.Fatalf("pending after the flush: %v", ids)
	}
	sent, _ := os.ReadDir(filepath.Join(dir, "sent"))
	refused, _ := os.ReadDir(filepath.Join(dir, "refused"))
	if len(sent) != 1 || len(refused) != 2 {
		t.Fatalf("sent %d, refused %d files", len(sent), len(refused))
	}
	reason, err := os.ReadFile(filepath.Join(dir, "refused", strings.TrimSuffix(refused[0].Name(), filepath.Ext(refused[0].Name()))+".reason"))
	if err != nil || !strings.Contains(string(reason), "voting has closed") {
		t.Fatalf("refusal reason %q, %v", reason, err)
	}
}

func TestQueueRefusesAForeignFile(t *testing.T) {
	dir := t.TempDir()
	q, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	var id election.ID
	if err := os.WriteFile(filepath.Join(dir, id.String()+entrySuffix), []byte("not that entry"), 0o600); err != nil {
		t.Fatal(err)
	}
	submit := func(context.Context, []byte) (*cast.Receipt, error) {
		t.Fatal("a file whose bytes do not match its name was submitted")
		return nil, nil
	}
	if _, err := q.Flush(context.Background(), submit); err == nil || !strings.Contains(err.Error(), "does not hold the entry its name says") {
		t.Fatalf("flush: %v", err)
	}
}
