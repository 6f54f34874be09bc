// Benchtable reads `go test -bench` output on standard input and prints it
// as Markdown tables: every benchmark with ns/op, its custom metrics
// (b.ReportMetric), B/op and allocs/op; then each evote benchmark next to
// its baseline, BenchmarkX_KyberEd25519 for BenchmarkX.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem ./crypto/... | go run ./internal/benchtable [-echo] [-trim prefix]
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	trim := flag.String("trim", "github.com/evote/evote/", "prefix to remove from package paths")
	echo := flag.Bool("echo", false, "copy the input to standard error as it arrives, to watch a long run")
	flag.Parse()
	in := io.Reader(os.Stdin)
	if *echo {
		in = io.TeeReader(os.Stdin, os.Stderr)
	}
	if err := run(in, *trim); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		os.Exit(1)
	}
}

func run(in io.Reader, trim string) error {
	results, skipped, err := Parse(in)
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
