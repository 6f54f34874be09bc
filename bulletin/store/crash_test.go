package store

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/evote/evote/election"
)

// crashDirEnv names the store directory for the appending helper process.
// and crashRoundEnv a number that makes each run's entries new.
const (
	crashDirEnv   = "EVOTE_STORE_CRASH_DIR"
	crashRoundEnv = "EVOTE_STORE_CRASH_ROUND"
)

// TestCrashHelper is the process TestKilledMidAppendKeepsAcknowledged
// kills: it appends from four goroutines until it dies and prints
// "<index> <id hex>" for every entry as soon as Append has returned.
// Without crashDirEnv it does nothing.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("runs only as the helper of TestKilledMidAppendKeepsAcknowledged")
	}
	round, err := strconv.ParseUint(os.Getenv(crashRoundEnv), 10, 8)
	if err != nil {
		fmt.Println("round:", err)
		os.Exit(2)
	}
	s, err := Open(dir, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	var out sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := uint64(0); ; i++ {
				seq := round<<40 | uint64(g)<<32 | i
				items := []Item{item(seq, election.TypeBallot, 3500)}
				if i%3 == 0 {
					items = append(items, item(seq|1<<31, election.TypeBallot, 3500))
				}
				got, err := s.Append(context.Background(), elA, items)
				if err != nil {
					fmt.Println("append:", err)
					os.Exit(2)
				}
				out.Lock()
				for k, a := range got {
					fmt.Printf("%d %s\n", a.Index, hex.EncodeToString(items[k].ID[:]))
				}
				out.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestKilledMidAppendKeepsAcknowledged kills the appending helper with
// SIGKILL after some acknowledgements and reopens its store: every
// acknowledged entry is there, at its index, and the tree's root is the
// root of the entries. (A killed process loses nothing the kernel has;
// this checks recovery from a torn transaction, not from power loss,
// which rests on SyncWrites.)
func TestKilledMidAppendKeepsAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a helper process")
	}
	dir := t.TempDir()
	stored := 0
	for round := range 3 {
		acked := runAndKill(t, dir, round, 150)
		s := openTest(t, dir)
		entries := checkLog(t, s, elA)
		for index, id := range acked {
			st, err := s.EntryAt(context.Background(), elA, index)
			if err != nil {
				t.Fatalf("round %d: acknowledged index %d: %v", round, index, err)
			}
			if hex.EncodeToString(st.ID[:]) != id {
				t.Fatalf("round %d: index %d holds %x, %s was acknowledged", round, index, st.ID, id)
			}
		}
		t.Logf("round %d: %d acknowledged, %d stored", round, len(acked), len(entries))
		if len(entries) < stored+len(acked) {
			t.Fatalf("round %d: %d entries stored before, %d acknowledged, %d now", round, stored, len(acked), len(entries))
		}
		stored = len(entries)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// runAndKill starts the helper on dir, kills it after n acknowledgements
// and returns every acknowledgement it printed before it died.
func runAndKill(t *testing.T, dir string, round, n int) map[uint64]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashRoundEnv+"="+strconv.Itoa(round))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[uint64]string{}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		index, id, ok := parseAck(lines.Text())
		if !ok {
			continue // the test framework's own output
		}
		acked[index] = id
		if len(acked) == n {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("helper did not reach %d acknowledgements in time (%d)", n, len(acked))
	}
	if len(acked) < n {
		t.Fatalf("helper ended after %d acknowledgements: %v", len(acked), err)
	}
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !status.Signaled() || status.Signal() != syscall.SIGKILL {
		t.Fatalf("helper ended with %v, not SIGKILL", err)
	}
	return acked
}

func parseAck(line string) (uint64, string, bool) {
	idx, id, ok := strings.Cut(line, " ")
	if !ok || len(id) != 2*election.IDSize {
		return 0, "", false
	}
	index, err := strconv.ParseUint(idx, 10, 64)
	return index, id, err == nil
}
