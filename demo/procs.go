package demo

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// proc is one evote child process, with its output in a log file.
type proc struct {
	name    string
	args    []string
	logFile string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// procs tracks every child the demo starts, so that all of them are
// stopped however the demo ends.
type procs struct {
	bin string
	dir string
	mu  sync.Mutex
	all []*proc
}

// start runs `evote args…` with its output appended to dir/logs/name.log.
func (ps *procs) start(name string, args ...string) (*proc, error) {
	logs := filepath.Join(ps.dir, "logs")
	if err := os.MkdirAll(logs, 0o700); err != nil {
		return nil, err
	}
	p := &proc{name: name, args: args, logFile: filepath.Join(logs, name+".log")}
	if err := ps.launch(p); err != nil {
		return nil, err
	}
	ps.mu.Lock()
	ps.all = append(ps.all, p)
	ps.mu.Unlock()
	return p, nil
}

func (ps *procs) launch(p *proc) error {
	logf, err := os.OpenFile(p.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(ps.bin, p.args...)
	cmd.Dir = ps.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	// Not in the demo's process group: a Ctrl-C reaches the demo, which
	// then stops every child itself, in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting %s: %w", p.name, err)
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(p.exited)
	}()
	return nil
}

// restart starts p again with the same arguments.
func (ps *procs) restart(p *proc) error {
	if p.running() {
		return fmt.Errorf("%s is still running", p.name)
	}
	return ps.launch(p)
}

func (p *proc) running() bool {
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// wait waits for p to exit by itself and reports how it ended.
func (p *proc) wait(ctx context.Context) error {
	select {
	case <-p.exited:
	case <-ctx.Done():
		return ctx.Err()
	}
	if !p.cmd.ProcessState.Success() {
		return fmt.Errorf("%s: %v (log: %s)", p.name, p.cmd.ProcessState, p.logFile)
	}
	return nil
}

// signal sends sig and waits for the exit (SIGKILL after 15 s).
func (p *proc) signal(sig syscall.Signal) {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// stopAll stops every child still running, gracefully.
func (ps *procs) stopAll() {
	ps.mu.Lock()
	all := ps.all
	ps.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.signal(syscall.SIGTERM)
		}()
	}
	wg.Wait()
}

// waitFile waits until path exists, failing early if p exits.
func waitFile(ctx context.Context, p *proc, path string) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready: %v\n%s", p.name, p.cmd.ProcessState, tail(p.logFile))
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w", p.name, ctx.Err())
		case <-tick.C:
		}
	}
}

// tail returns the last lines of a log file.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// sleep waits ms milliseconds or until ctx is done.
func sleep(ctx context.Context, ms int) {
	select {
	case <-ctx.Done():
	case <-time.After(time.Duration(ms) * time.Millisecond):
	}
}
