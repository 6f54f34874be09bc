package cast

import (
	"errors"
	"strings"
	"testing"

	"github.com/evote/evote/election"
)

// testElection is an Election with only a manifest: enough for choices.
func testElection() *Election {
	return &Election{Manifest: &election.Manifest{
		Contests: []election.Contest{
			{ID: "mayor", Title: "Mayor", MinSelections: 1, MaxSelections: 1,
				Options: []election.Option{{ID: "ana", Title: "Ana"}, {ID: "ben", Title: "Ben"}, {ID: "cy", Title: "Cy"}}},
			{ID: "council", Title: "Council", MinSelections: 0, MaxSelections: 2,
				Options: []election.Option{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}, {ID: "c", Title: "C"}}},
		},
	}}
}

func TestChoose(t *testing.T) {
	e := testElection()
	picks, err := ParseSelect([]string{"mayor=ben", "council=a, c"})
	if err != nil {
		t.Fatal(err)
	}
	sel, err := e.Choose(0, picks)
	if err != nil {
		t.Fatal(err)
	}
	want := Selections{{0, 1, 0}, {1, 0, 1}}
	for i := range want {
		for j := range want[i] {
			if sel[i][j] != want[i][j] {
				t.Fatalf("selections %v, want %v", sel, want)
			}
		}
	}
	d := e.Describe(0, sel)
	if d[0].Chosen[0].ID != "ben" || len(d[1].Chosen) != 2 {
		t.Fatalf("described %+v", d)
	}
	// Both contests in one argument, and a blank contest.
	picks, err = ParseSelect([]string{"mayor=ana;council="})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Choose(0, picks); err != nil {
		t.Fatal(err)
	}
}

func TestChooseErrors(t *testing.T) {
	e := testElection()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"mayor=ben,cy", "council="}, `contest "mayor": 2 options chosen, at most 1 allowed`},
		{[]string{"mayor=", "council="}, `contest "mayor": 0 options chosen, at least 1 required`},
		{[]string{"mayor=ben", "council=a,b,c"}, `contest "council": 3 options chosen, at most 2 allowed`},
		{[]string{"mayor=zed", "council="}, `contest "mayor": option "zed": no such option (options: ana, ben, cy)`},
		{[]string{"mayor=ben,ben", "council="}, `option "ben": chosen twice`},
		{[]string{"mayor=ben", "council=", "sheriff=x"}, `contest "sheriff": not on this ballot (its contests: mayor, council)`},
		{[]string{"mayor=ben"}, `contest "council": no choice given: write council=OPTION,… (or council= for none)`},
	} {
		picks, err := ParseSelect(tc.args)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		_, err = e.Choose(0, picks)
		var se *SelectionError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestParseSelectErrors(t *testing.T) {
	for _, args := range [][]string{
		{"mayor"},
		{"=ben"},
		{"mayor=ben", "mayor=cy"},
	} {
		if _, err := ParseSelect(args); err == nil {
			t.Errorf("ParseSelect(%q) accepted", args)
		}
	}
}

func TestPrompter(t *testing.T) {
	e := testElection()
	// A wrong number, too many choices, then good answers; then an unknown
	// decision before "challenge".
	in := strings.NewReader("4\n1,2\n2\n\nmaybe\nchallenge\n")
	var out strings.Builder
	p := NewPrompter(in, &out)
	sel, err := p.Choose(e, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sel[0][1] != 1 || sel[0][0]+sel[0][2] != 0 || count(sel[1]) != 0 {
		t.Fatalf("selections %v", sel)
	}
	d, err := p.Decide(e.Describe(0, sel), "abc")
	if err != nil {
		t.Fatal(err)
	}
	if d != DecideChallenge {
		t.Fatalf("decision %v", d)
	}
	for _, want := range []string{
		`"4" is not an option number from 1 to 3`,
		"2 options chosen, at most 1 allowed",
		"Choose up to 2",
		`"maybe" is not one of cast, challenge, change`,
		"mayor: Ben (ben)",
		"council: (none)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("prompt output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := NewPrompter(strings.NewReader(""), &out).Choose(e, 0); !errors.Is(err, ErrQuit) {
		t.Fatalf("empty input: %v, want ErrQuit", err)
	}
}
