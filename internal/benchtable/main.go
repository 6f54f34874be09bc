// Benchtable reads `go test -bench` output on standard input and prints it
// as Markdown tables: every benchmark with ns/op, its custom metrics
// (b.ReportMetric), B/op and allocs/op; then each evote benchmark next to
// its baseline, BenchmarkX_KyberEd25519 for BenchmarkX.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem ./crypto/... | go run ./internal/benchtable
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	trim := flag.String("trim", "github.com/evote/evote/", "prefix to remove from package paths")
	flag.Parse()
	if err := run(*trim); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		os.Exit(1)
	}
}

func run(trim string) error {
	results, skipped, err := Parse(os.Stdin)
	if err != nil {
		return err
	}
	if skipped > 0 {
		fmt.Fprintf(os.Stderr, "benchtable: skipped %d malformed benchmark line(s)\n", skipped)
	}
	if len(results) == 0 {
		return errors.New("no benchmark results on standard input; is the -bench pattern right?")
	}
	w := bufio.NewWriter(os.Stdout)
	WriteTables(w, results, trim)
	return w.Flush()
}
