package credential

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readRoll(t *testing.T, name string) ([]Voter, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return FromRoll(f)
}

func TestRollGood(t *testing.T) {
	for name, want := range map[string][]Voter{
		"good_roll.csv": {
			{ID: "1", Name: "Ada Lovelace", Line: 2},
			{ID: "2", Name: `Grace "Amazing" Hopper`, Line: 3},
			{ID: "3", Name: "Alan Turing", Line: 4},
		},
		"good_roll_styles.csv": { // with a byte-order mark and CRLF, as spreadsheets write
			{ID: "A-001", Name: "Doe, Jane", Style: "north", Line: 2},
			{ID: "A-002", Name: "Émile Zola", Style: "south", Line: 3},
			{ID: "A-003", Name: "", Style: "north", Line: 4},
		},
	} {
		got, err := readRoll(t, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

// rollFailures lists each fail_roll_* file with its line and message.
var rollFailures = map[string]struct {
	line int
	msg  string
}{
	"fail_roll_header.csv":      {1, `header "voterid,name", want voter_id,name or voter_id,name,style`},
	"fail_roll_field_count.csv": {3, "wrong number of fields"},
	"fail_roll_duplicate.csv":   {4, `voter id "1" repeats line 2`},
	"fail_roll_voter_id.csv":    {3, `voter id "../x"`},
	"fail_roll_empty_id.csv":    {3, `voter id ""`},
	"fail_roll_empty.csv":       {1, "the roll is empty"},
	"fail_roll_no_voters.csv":   {2, "no voters"},
	"fail_roll_control.csv":     {3, "voter 2: name contains a control character"},
	"fail_roll_quote.csv":       {3, "extraneous or missing \" in quoted-field"},
	"fail_roll_empty_style.csv": {3, "voter 2: empty style"},
	"fail_roll_utf8.csv":        {2, "voter 1: name is not valid UTF-8"},
	"fail_roll_long_name.csv":   {3, "voter 2: name is 257 bytes, at most 256"},
}

func TestRollErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/fail_roll_*.csv")
	if len(files) != len(rollFailures) {
		t.Errorf("%d fail_roll files, %d in the table", len(files), len(rollFailures))
	}
	for name, want := range rollFailures {
		_, err := readRoll(t, name)
		var re *RollError
		if !errors.As(err, &re) {
			t.Errorf("%s: %v, want a RollError", name, err)
			continue
		}
		if re.Line != want.line || !strings.Contains(err.Error(), want.msg) {
			t.Errorf("%s: %q, want line %d saying %q", name, err, want.line, want.msg)
		}
	}
}

func TestNumbered(t *testing.T) {
	v := Numbered(3, "s")
	if len(v) != 3 || v[0].ID != "0001" || v[2].ID != "0003" || v[1].Style != "s" {
		t.Errorf("Numbered(3) = %+v", v)
	}
	if v := Numbered(12345, ""); v[0].ID != "00001" || v[12344].ID != "12345" {
		t.Errorf("Numbered(12345): ids %s … %s", v[0].ID, v[12344].ID)
	}
}

func FuzzFromRoll(f *testing.F) {
	files, _ := filepath.Glob("testdata/*roll*.csv")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		voters, err := FromRoll(bytes.NewReader(b))
		if err != nil {
			var re *RollError
			if !errors.As(err, &re) || re.Line < 1 {
				t.Fatalf("error %v has no line", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, v := range voters {
			if seen[v.ID] || checkVoter(v, false) != nil {
				t.Fatalf("FromRoll accepted voter %+v", v)
			}
			seen[v.ID] = true
		}
	})
}
