// Package cluster runs evote as separate processes on loopback for the
// multi-process tests in tests/: it builds the evote binary once, makes
// the keys of a commission, trustees and board nodes with `evote keygen`,
// writes node configs, starts `evote node run` processes, and drives
// elections through the CLI exactly as an operator would.
//
// Everything lives in the test's temporary directory; every process is
// stopped when the test ends, and on failure the tail of each node's log
// is printed.
package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/internal/freeport"
	"github.com/evote/evote/keyfile"
)

// Timeout bounds every wait of the package; conditions normally hold in a
// second or two, but the race detector and a loaded 2-core machine slow
// everything down several times.
const Timeout = 60 * time.Second

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

// Binary builds cmd/evote once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		binDir, err = os.MkdirTemp("", "evote-test-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(binDir, "evote")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/evote")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/evote: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Main runs the tests of a package that uses Binary and removes the binary
// afterwards; call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// ModuleRoot returns the directory holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the evote module")
	}
	return filepath.Dir(mod), nil
}

// Options shape a cluster.
type Options struct {
	Nodes     int // board nodes (default 3)
	Trustees  int // trustees (default 3)
	Threshold int // trustees needed to decrypt (default 2)
	// Idle is how many of the nodes (the last ones) are configured, and
	// listed in manifests, but not started: Start them later.
	Idle int
	// NodeConfig, if set, adds lines to every node config (YAML), e.g.
	// "sync_interval: 2s".
	NodeConfig string
}

// Cluster is a set of keys and running board nodes for one test.
type Cluster struct {
	t   testing.TB
	Bin string
	Dir string
	// CommissionKey is the commission's secret key file.
	CommissionKey string
	Commission    *keyfile.Secret
	Trustees      []*Trustee
	Nodes         []*Node
	Threshold     int

	published []*Election
}

// Trustee is one trustee's key files.
type Trustee struct {
	Name    string
	KeyFile string // secret
	PubFile string
	Secret  *keyfile.Secret
}

// New makes the keys and starts the nodes of a cluster.
func New(t testing.TB, opts Options) *Cluster {
	t.Helper()
	if opts.Nodes == 0 {
		opts.Nodes = 3
	}
	if opts.Trustees == 0 {
		opts.Trustees = 3
	}
	if opts.Threshold == 0 {
		opts.Threshold = 2
	}
	c := &Cluster{t: t, Bin: Binary(t), Dir: t.TempDir(), Threshold: opts.Threshold}
	keys := filepath.Join(c.Dir, "keys")
	if err := os.Mkdir(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	c.CommissionKey, c.Commission = c.keygen(keys, "commission", "commission")
	for i := 1; i <= opts.Trustees; i++ {
		name := fmt.Sprintf("trustee-%d", i)
		path, sec := c.keygen(keys, "trustee", name)
		c.Trustees = append(c.Trustees, &Trustee{Name: name, KeyFile: path, PubFile: strings.TrimSuffix(path, ".key") + ".pub", Secret: sec})
	}
	tcp, err := freeport.Pick("tcp", 2*opts.Nodes)
	if err != nil {
		t.Fatal(err)
	}
	udp, err := freeport.Pick("udp", opts.Nodes)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= opts.Nodes; i++ {
		name := fmt.Sprintf("node-%d", i)
		path, sec := c.keygen(keys, "node", name)
		n := &Node{c: c, Name: name, KeyFile: path, Secret: sec}
		n.HTTPPort, n.P2PPort, n.QUICPort = tcp[2*i-2], tcp[2*i-1], udp[i-1]
		n.DataDir = filepath.Join(c.Dir, "nodes", name, "data")
		n.ConfigFile = filepath.Join(c.Dir, "nodes", name, "node.yaml")
		n.LogFile = filepath.Join(c.Dir, "nodes", name, "node.log")
		c.Nodes = append(c.Nodes, n)
	}
	for _, n := range c.Nodes {
		n.writeConfig(t, opts.NodeConfig)
	}
	t.Cleanup(func() {
		for _, n := range c.Nodes {
			n.stopQuietly()
		}
		if t.Failed() {
			for _, n := range c.Nodes {
				n.dumpLog(t)
			}
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, len(c.Nodes))
	for i, n := range c.Nodes[:len(c.Nodes)-opts.Idle] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = n.start()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return c
}

// keygen makes a key with `evote keygen` and loads the secret.
func (c *Cluster) keygen(dir, role, name string) (string, *keyfile.Secret) {
	c.t.Helper()
	c.MustEvote("keygen", "--role", role, "--name", name, "--out", dir)
	path := filepath.Join(dir, name+".key")
	sec, err := keyfile.Load(path)
	if err != nil {
		c.t.Fatal(err)
	}
	return path, sec
}

// URLs returns the nodes' HTTP base URLs.
func (c *Cluster) URLs() []string {
	var urls []string
	for _, n := range c.Nodes {
		urls = append(urls, n.URL())
	}
	return urls
}

// NodeArgs returns "--node URL" for every node, for a command line.
func (c *Cluster) NodeArgs() []string {
	var args []string
	for _, u := range c.URLs() {
		args = append(args, "--node", u)
	}
	return args
}

// Client returns a board client for every node (with failover).
func (c *Cluster) Client(t testing.TB) *client.Client {
	t.Helper()
	cl, err := client.New(c.URLs(), client.Options{Timeout: Timeout})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// Evote runs the evote binary with args in the cluster's directory and
// returns its standard output; a failure's error carries standard error.
func (c *Cluster) Evote(t testing.TB, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin, args...)
	cmd.Dir = c.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String(), fmt.Errorf("evote %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// MustEvote is Evote failing the test on error.
func (c *Cluster) MustEvote(args ...string) string {
	c.t.Helper()
	out, err := c.Evote(c.t, args...)
	if err != nil {
		c.t.Fatal(err)
	}
	return out
}

// WaitFor polls cond until it holds, failing the test after Timeout.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", Timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
