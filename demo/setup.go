package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/election"
	"github.com/evote/evote/election/config"
	"github.com/evote/evote/internal/freeport"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/voter/credential"
)

// passphrase seals the demo trustees' state files. A real trustee picks
// their own and keeps it off the machine's disk.
const passphrase = "demo trustee passphrase: never use it for a real election"

func (d *run) makeKeys() error {
	dir := filepath.Join(d.o.Dir, "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	mk := func(role keyfile.Role, name string) (*keyfile.Secret, string, error) {
		sec, err := keyfile.New(role, name, nil)
		if err != nil {
			return nil, "", err
		}
		_, path, err := sec.Write(dir, true)
		return sec, path, err
	}
	var err error
	if d.commission, d.commFile, err = mk(keyfile.Commission, "commission"); err != nil {
		return err
	}
	for i := 1; i <= d.o.Trustees; i++ {
		sec, path, err := mk(keyfile.Trustee, fmt.Sprintf("trustee-%d", i))
		if err != nil {
			return err
		}
		d.trustees, d.trustFiles = append(d.trustees, sec), append(d.trustFiles, path)
	}
	httpPorts, err := freeport.Pick("tcp", 2*d.o.Nodes)
	if err != nil {
		return err
	}
	udpPorts, err := freeport.Pick("udp", d.o.Nodes)
	if err != nil {
		return err
	}
	for i := 1; i <= d.o.Nodes; i++ {
		name := fmt.Sprintf("node-%d", i)
		sec, path, err := mk(keyfile.Node, name)
		if err != nil {
			return err
		}
		nd := filepath.Join(d.o.Dir, "nodes", name)
		d.nodes = append(d.nodes, &demoNode{name: name, secret: sec, keyFile: path,
			config: filepath.Join(nd, "node.yaml"), dataDir: filepath.Join(nd, "data"),
			httpPort: httpPorts[2*(i-1)], tcpPort: httpPorts[2*(i-1)+1], udpPort: udpPorts[i-1]})
	}
	return nil
}

func (n *demoNode) pub() ed25519.PublicKey { return n.secret.SigningKey.Public().(ed25519.PublicKey) }

func (n *demoNode) addrs() []string {
	return []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.tcpPort), fmt.Sprintf("/ip4/127.0.0.1/udp/%d/quic-v1", n.udpPort)}
}

// writeConfig writes a node config as an operator would, with every
// other node as a peer.
func (d *run) writeConfig(n *demoNode) error {
	var b strings.Builder
	fmt.Fprintf(&b, "key_file: %s\ndata_dir: %s\nhttp_listen: 127.0.0.1:%d\np2p_listen:\n", n.keyFile, n.dataDir, n.httpPort)
	for _, a := range n.addrs() {
		fmt.Fprintf(&b, "  - %s\n", a)
	}
	b.WriteString("peers:\n")
	for _, p := range d.nodes {
		if p == n {
			continue
		}
		b.WriteString("  - addrs:\n")
		for _, a := range p.addrs() {
			fmt.Fprintf(&b, "      - %s/p2p/%s\n", a, election.PeerID(p.pub()))
		}
		fmt.Fprintf(&b, "    http: %s\n", p.url())
	}
	// A small election on one machine: sync, checkpoints and audits often.
	b.WriteString("sync_interval: 1s\ncheckpoint_interval: 200ms\naudit_interval: 1s\nseal_sync_timeout: 10s\nlog_level: info\n")
	if err := os.MkdirAll(filepath.Dir(n.config), 0o700); err != nil {
		return err
	}
	return os.WriteFile(n.config, []byte(b.String()), 0o600)
}

func (d *run) startNodes(ctx context.Context) error {
	for _, n := range d.nodes {
		if err := d.writeConfig(n); err != nil {
			return err
		}
	}
	for _, n := range d.nodes {
		if err := d.startNode(n); err != nil {
			return err
		}
	}
	for _, n := range d.nodes {
		if err := d.waitNode(ctx, n); err != nil {
			return err
		}
	}
	var err error
	d.board, err = client.New(d.urls(), client.Options{Timeout: 10 * time.Second})
	return err
}

// startNode starts (or restarts) a node process; waitNode waits until it
// serves.
func (d *run) startNode(n *demoNode) error {
	n.ready++
	args := []string{"node", "run", "--config", n.config, "--ready-file", n.readyFile()}
	if n.p == nil {
		p, err := d.ps.start(n.name, args...)
		n.p = p
		return err
	}
	n.p.args = args
	return d.ps.restart(n.p)
}

func (n *demoNode) readyFile() string {
	return filepath.Join(filepath.Dir(n.config), fmt.Sprintf("ready-%d", n.ready))
}

func (d *run) waitNode(ctx context.Context, n *demoNode) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return waitFile(ctx, n.p, n.readyFile())
}

// publish makes the manifest and the credentials from the config, as
// `evote election create` and `evote election credentials` do, and posts
// them as `evote election publish` does.
func (d *run) publish(ctx context.Context) error {
	src, err := os.ReadFile(d.o.Config)
	if err != nil {
		return err
	}
	p := &Parties{Commission: d.commission.SigningKey.Public().(ed25519.PublicKey), Threshold: d.o.Threshold}
	for _, t := range d.trustees {
		pub, err := t.Public()
		if err != nil {
			return err
		}
		p.Trustees = append(p.Trustees, TrusteeKeys{Name: t.Name, SigningKey: pub.SigningKey, EncryptionKey: pub.EncryptionKey})
	}
	for _, n := range d.nodes {
		p.Nodes = append(p.Nodes, election.Node{Name: n.name, PeerID: election.PeerID(n.pub()), Addrs: n.addrs(), HTTP: n.url(), SigningKey: n.pub()})
	}
	cfg, err := ReplaceParties(src, p)
	if err != nil {
		return fmt.Errorf("%s: %w", d.o.Config, err)
	}
	cfgPath := filepath.Join(d.o.Dir, "election.yaml")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		return err
	}
	if d.m, err = config.Parse(cfgPath, cfg); err != nil {
		return err
	}
	entry, id, err := election.NewManifestEntry(d.m, d.commission.SigningKey)
	if err != nil {
		return err
	}
	d.manifestEntry, d.id = entry.Bytes(), id
	d.manifestFile = filepath.Join(d.o.Dir, "manifest.entry")
	if err := os.WriteFile(d.manifestFile, d.manifestEntry, 0o600); err != nil {
		return err
	}
	var styles []string
	for _, s := range d.m.Styles {
		styles = append(styles, s.ID)
	}
	voters := make([]credential.Voter, d.o.Voters)
	for i := range voters {
		voters[i] = credential.Voter{ID: fmt.Sprintf("%04d", i+1)}
		if len(styles) > 0 {
			voters[i].Style = styles[i%len(styles)]
		}
	}
	if d.issue, err = credential.ForManifest(d.manifestEntry, voters, d.commission.SigningKey, nil); err != nil {
		return err
	}
	if err := d.issue.WriteDir(filepath.Join(d.o.Dir, "credentials")); err != nil {
		return err
	}
	posts := [][]byte{d.manifestEntry}
	for _, e := range d.issue.Entries {
		posts = append(posts, e.Bytes())
	}
	for _, b := range posts {
		if err := d.post(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// post submits an entry and checks the node's receipt.
func (d *run) post(ctx context.Context, b []byte) error {
	rc, err := d.board.Submit(ctx, b)
	if err != nil {
		return err
	}
	id := election.ID(sha256.Sum256(b))
	if rc.Entry != id {
		return fmt.Errorf("receipt for entry %s, not %s", rc.Entry, id)
	}
	for _, n := range d.nodes {
		if n.pub().Equal(ed25519.PublicKey(rc.Node)) {
			return node.VerifyReceipt(rc, n.pub())
		}
	}
	return fmt.Errorf("receipt from a key that is no node of the election")
}

func (d *run) startTrustees() error {
	pass := filepath.Join(d.o.Dir, "keys", "trustee-passphrase")
	if err := os.WriteFile(pass, []byte(passphrase+"\n"), 0o600); err != nil {
		return err
	}
	for i, f := range d.trustFiles {
		name := fmt.Sprintf("trustee-%d", i+1)
		args := append([]string{"trustee", "run", "--manifest", d.manifestFile, "--key", f,
			"--state", filepath.Join(d.o.Dir, "keys", name+".state"), "--passphrase-file", pass, "--poll", "300ms"}, d.nodeArgs()...)
		if _, err := d.ps.start(name, args...); err != nil {
			return err
		}
	}
	return nil
}

// closeAndSeal posts the commission's close entry and waits until a
// quorum of nodes sealed the same ballot set.
func (d *run) closeAndSeal(ctx context.Context) error {
	e := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeClose, Election: d.id,
		Author: d.m.Commission, Payload: (&election.Close{Reason: "end of the demo's voting period"}).Bytes()}
	e.Sign(d.commission.SigningKey)
	if err := d.post(ctx, e.Bytes()); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	quorum := int(d.m.SealQuorum)
	for {
		seals, err := d.board.Seals(ctx, d.id)
		if err == nil {
			agree := map[[32]byte]int{}
			for _, s := range seals {
				agree[s.Seal.Ballots]++
				if agree[s.Seal.Ballots] >= quorum {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no seal quorum: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
