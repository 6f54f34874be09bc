package cluster

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// Node is one `evote node run` process of a cluster, on fixed loopback
// ports so that it comes back at the same addresses after a restart.
type Node struct {
	c          *Cluster
	Name       string
	KeyFile    string
	Secret     *keyfile.Secret
	HTTPPort   int
	P2PPort    int
	QUICPort   int
	DataDir    string
	ConfigFile string
	LogFile    string

	cmd    *exec.Cmd
	exited chan struct{}
	// starts counts the node's starts, so that the ready file of a
	// restart is never mistaken for the previous one's.
	starts int
}

// URL is the node's HTTP API base URL.
func (n *Node) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", n.HTTPPort) }

// PeerID is the node's libp2p peer id.
func (n *Node) PeerID() string {
	return election.PeerID(n.Secret.SigningKey.Public().(ed25519.PublicKey))
}

// Addrs are the node's libp2p multiaddrs, without /p2p/.
func (n *Node) Addrs() []string {
	return []string{
		fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.P2PPort),
		fmt.Sprintf("/ip4/127.0.0.1/udp/%d/quic-v1", n.QUICPort),
	}
}

// Client returns a board client for this node alone.
func (n *Node) Client(t testing.TB) *client.Client {
	t.Helper()
	cl, err := client.New([]string{n.URL()}, client.Options{Timeout: Timeout})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// Running reports whether the node's process runs.
func (n *Node) Running() bool {
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

func (n *Node) writeConfig(t testing.TB, extra string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "key_file: %s\n", n.KeyFile)
	fmt.Fprintf(&b, "data_dir: %s\n", n.DataDir)
	fmt.Fprintf(&b, "http_listen: 127.0.0.1:%d\n", n.HTTPPort)
	b.WriteString("p2p_listen:\n")
	for _, a := range n.Addrs() {
		fmt.Fprintf(&b, "  - %s\n", a)
	}
	b.WriteString("peers:\n")
	for _, p := range n.c.Nodes {
		if p == n {
			continue
		}
		b.WriteString("  - addrs:\n")
		for _, a := range p.Addrs() {
			fmt.Fprintf(&b, "      - %s/p2p/%s\n", a, p.PeerID())
		}
		fmt.Fprintf(&b, "    http: %s\n", p.URL())
	}
	// Short intervals: tests wait for replication, audits and seals.
	// extra's keys replace these.
	for _, kv := range []string{"sync_interval: 1s", "checkpoint_interval: 100ms", "audit_interval: 500ms", "seal_sync_timeout: 10s", "log_level: info"} {
		key, _, _ := strings.Cut(kv, ":")
		if !strings.Contains("\n"+extra, "\n"+key+":") {
			b.WriteString(kv + "\n")
		}
	}
	b.WriteString(extra)
	if err := os.MkdirAll(filepath.Dir(n.ConfigFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(n.ConfigFile, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Start starts the node's process and waits until it serves.
func (n *Node) Start(t testing.TB) {
	t.Helper()
	if err := n.start(); err != nil {
		t.Fatal(err)
	}
}

func (n *Node) start() error {
	if n.Running() {
		return fmt.Errorf("%s: already running", n.Name)
	}
	n.starts++
	ready := filepath.Join(filepath.Dir(n.ConfigFile), fmt.Sprintf("ready-%d", n.starts))
	logf, err := os.OpenFile(n.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(logf, "=== start %d at %s\n", n.starts, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(n.c.Bin, "node", "run", "--config", n.ConfigFile, "--ready-file", ready)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("%s: %w", n.Name, err)
	}
	n.cmd, n.exited = cmd, make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(n.exited)
	}()
	deadline := time.Now().Add(Timeout)
	for {
		if _, err := os.Stat(ready); err == nil {
			return nil
		}
		select {
		case <-n.exited:
			return fmt.Errorf("%s exited before it was ready (%v):\n%s", n.Name, cmd.ProcessState, n.logTail())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v:\n%s", n.Name, Timeout, n.logTail())
		}
	}
}

// Stop sends SIGTERM and waits for a graceful exit, which must be clean.
func (n *Node) Stop(t testing.TB) {
	t.Helper()
	if err := n.signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if st := n.cmd.ProcessState; st == nil || !st.Success() {
		t.Fatalf("%s did not exit cleanly on SIGTERM: %v\n%s", n.Name, st, n.logTail())
	}
}

// Kill kills the process with SIGKILL: no chance to flush or close.
func (n *Node) Kill(t testing.TB) {
	t.Helper()
	if err := n.signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
}

func (n *Node) signal(sig syscall.Signal) error {
	if !n.Running() {
		return fmt.Errorf("%s is not running", n.Name)
	}
	if err := n.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-n.exited:
		return nil
	case <-time.After(Timeout):
		n.cmd.Process.Kill()
		<-n.exited
		return fmt.Errorf("%s did not exit within %v of %v", n.Name, Timeout, sig)
	}
}

func (n *Node) stopQuietly() {
	if n.Running() {
		_ = n.signal(syscall.SIGTERM)
	}
}

// logTail returns the end of the node's log.
func (n *Node) logTail() string {
	b, _ := os.ReadFile(n.LogFile)
	const max = 6000
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

func (n *Node) dumpLog(t testing.TB) {
	t.Logf("--- last lines of %s (%s):\n%s", n.Name, n.LogFile, n.logTail())
}

// PublicKey is the node's signing key: receipts, checkpoints and seals.
func (n *Node) PublicKey() ed25519.PublicKey {
	return n.Secret.SigningKey.Public().(ed25519.PublicKey)
}

// PeakRSS returns the node process's peak resident memory in bytes
// (VmHWM, Linux), or 0 when it is not running or not known.
func (n *Node) PeakRSS() uint64 {
	if !n.Running() {
		return 0
	}
	_, peak, _ := ProcMemory(n.cmd.Process.Pid)
	return peak
}

// ProcMemory returns a process's resident, peak resident and anonymous
// resident memory in bytes (Linux; zeros if unknown). The difference
// between resident and anonymous is file pages, mostly badger's
// memory-mapped files, which the kernel reclaims under pressure.
func ProcMemory(pid int) (rss, peak, anon uint64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb uint64
		switch {
		case sscan(line, "VmRSS: %d kB", &kb):
			rss = kb << 10
		case sscan(line, "VmHWM: %d kB", &kb):
			peak = kb << 10
		case sscan(line, "RssAnon: %d kB", &kb):
			anon = kb << 10
		}
	}
	return rss, peak, anon
}

func sscan(line, format string, kb *uint64) bool {
	_, err := fmt.Sscanf(line, format, kb)
	return err == nil
}

// CPUTime returns the CPU time (user and system) the node process has
// used so far, or 0 when it is not running (Linux, clock ticks of 10 ms).
func (n *Node) CPUTime() time.Duration {
	if !n.Running() {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var user, sys int64
	fmt.Sscan(f[11], &user)
	fmt.Sscan(f[12], &sys)
	return time.Duration(user+sys) * 10 * time.Millisecond
}
