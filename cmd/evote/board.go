package main

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// Flags shared by the commands that talk to the board.
var (
	nodeFlag = &cli.StringSliceFlag{
		Name:  "node",
		Usage: "base `URL` of a board node's HTTP API (repeat for failover; default: the manifest's nodes)",
	}
	manifestFlag = &cli.StringFlag{
		Name:     "manifest",
		Usage:    "the signed manifest entry `FILE` from 'evote election create'",
		Required: true,
	}
	timeoutFlag = &cli.DurationFlag{
		Name:  "timeout",
		Value: client.DefaultTimeout,
		Usage: "give up on one node after `DURATION` and try the next",
	}
)

// signedManifest is a manifest entry read from a file, with what every
// board command derives from it.
type signedManifest struct {
	Entry    []byte
	ID       election.ID
	Manifest *election.Manifest
}

// readManifest reads and checks a signed manifest entry file: the entry
// must decode strictly, be a manifest, carry a valid manifest and be signed
// by the commission key the manifest names.
func readManifest(path string) (*signedManifest, error) {
	b, err := credentialsReadFile(path, election.MaxEntrySize)
	if err != nil {
		return nil, err
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		return nil, fmt.Errorf("%s: not a signed entry: %w", path, err)
	}
	rec, err := election.NewRecord(e)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid signed manifest entry: %w", path, err)
	}
	return &signedManifest{Entry: b, ID: rec.ID(), Manifest: rec.Manifest()}, nil
}

// boardClient returns a client for the --node URLs, or for the nodes the
// manifest lists when none is given.
func boardClient(c *cli.Context, m *election.Manifest) (*client.Client, error) {
	urls := c.StringSlice(nodeFlag.Name)
	if len(urls) == 0 && m != nil {
		for _, n := range m.Nodes {
			if n.HTTP != "" {
				urls = append(urls, n.HTTP)
			}
		}
	}
	if len(urls) == 0 {
		return nil, cli.Exit("no board node to talk to: give --node URL", exitUsage)
	}
	cl, err := client.New(urls, client.Options{Timeout: c.Duration(timeoutFlag.Name)})
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("--node: %v", err), exitUsage)
	}
	return cl, nil
}

// checkReceipt verifies that rc is a valid receipt for entry id of el,
// signed by one of the manifest's nodes.
func checkReceipt(m *election.Manifest, el, id election.ID, rc *bulletin.Receipt) error {
	if rc.Election != el || rc.Entry != id {
		return fmt.Errorf("receipt is for entry %x of election %x, not entry %x of %x", rc.Entry[:8], rc.Election[:8], id[:8], el[:8])
	}
	for _, n := range m.Nodes {
		if ed25519.PublicKey(rc.Node).Equal(n.SigningKey) {
			return node.VerifyReceipt(rc, n.SigningKey)
		}
	}
	return fmt.Errorf("receipt signed by %x, which is not a node of the manifest", rc.Node)
}

// submit posts entry b of election sm and checks the receipt.
func submit(ctx context.Context, cl *client.Client, sm *signedManifest, b []byte) (*bulletin.Receipt, error) {
	rc, err := cl.Submit(ctx, b)
	if err != nil {
		return nil, err
	}
	if err := checkReceipt(sm.Manifest, sm.ID, election.ID(sha256.Sum256(b)), rc); err != nil {
		return nil, fmt.Errorf("the node's answer: %w", err)
	}
	return rc, nil
}

// loadCommissionKey loads the commission's secret key from the key file at
// path and checks that it is the key the manifest names, so that nothing
// is signed that every node would refuse.
func loadCommissionKey(path string, sm *signedManifest) (ed25519.PrivateKey, error) {
	key, err := keyfile.LoadRole(path, keyfile.Commission)
	if err != nil {
		return nil, err
	}
	if !key.SigningKey.Public().(ed25519.PublicKey).Equal(sm.Manifest.Commission) {
		return nil, fmt.Errorf("--commission-key: %s is not the commission key of election %s", path, sm.ID)
	}
	return key.SigningKey, nil
}

// receiptTime formats a receipt's time for people.
func receiptTime(rc *bulletin.Receipt) string {
	return time.Unix(rc.Time, 0).UTC().Format(time.RFC3339)
}
