package cast

import (
	"fmt"
	"io"
	"strings"

	"github.com/evote/evote/election"
)

// WriteText prints the report for a voter: a plain verdict first, then one
// line per node and, after the close, the sealed set.
func (r *Report) WriteText(w io.Writer) {
	what := "Your ballot"
	if r.Type == election.TypeSpoiled {
		what = "Your challenged ballot"
	}
	if r.OnBoard() {
		fmt.Fprintf(w, "%s %s IS on the board.\n", what, r.Tracker)
	} else {
		fmt.Fprintf(w, "%s %s is NOT proven to be on the board.\n", what, r.Tracker)
	}
	if r.Receipt != nil {
		fmt.Fprintf(w, "  receipt: INVALID: %v\n", r.Receipt)
	}
	for _, n := range r.Nodes {
		name := n.Name
		if name == "" {
			name = n.URL
		}
		if n.Err == nil {
			fmt.Fprintf(w, "  node %s: included at index %d, proven against its signed checkpoint of size %d\n", name, n.Index, n.Size)
		} else {
			fmt.Fprintf(w, "  node %s: %v\n", name, n.Err)
		}
	}
	r.writeSealed(w)
}

func (r *Report) writeSealed(w io.Writer) {
	s := r.Sealed
	switch {
	case !r.Closed:
		fmt.Fprintln(w, "Voting is still open: check again after the close to see the ballot in the sealed set.")
		return
	case s == nil:
		return
	case s.Err != nil && !s.InSet:
		fmt.Fprintf(w, "Sealed set: not checked: %v\n", s.Err)
		return
	}
	if s.InSet {
		fmt.Fprintf(w, "Sealed set: the ballot IS in the set of %d ballots sealed by %s.\n", s.Count, strings.Join(s.Nodes, ", "))
	} else {
		fmt.Fprintf(w, "Sealed set: the ballot is NOT in the set of %d ballots sealed by %s: your receipt is evidence against the node that signed it.\n", s.Count, strings.Join(s.Nodes, ", "))
	}
	for _, name := range s.Nodes {
		if err, ok := s.Proofs[name]; ok {
			if err == nil {
				fmt.Fprintf(w, "  node %s: included in the log it sealed\n", name)
			} else {
				fmt.Fprintf(w, "  node %s: %v\n", name, err)
			}
		}
	}
	switch {
	case s.InSet && s.Counted:
		fmt.Fprintln(w, "It counts: it is the credential's last ballot.")
	case s.InSet:
		fmt.Fprintf(w, "It does not count: %v (ballot %s replaces it).\n", s.Reason, s.Superseded)
	}
}
