package kiosk

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

// page is what every screen's template sees.
type page struct {
	Lang      string
	Heading   string
	Election  string // the election's title
	Path      string // where the language switch comes back to
	Errors    []string
	Refresh   int // seconds before the screen clears itself; 0: never
	Languages []langChoice

	Contests []contestView
	Choices  []choiceView
	Tracker  string
	Queued   bool
	Receipt  string // the node's receipt, in words
	Audit    string // the audit command for a challenged ballot
}

type langChoice struct {
	Tag, Name string
	Current   bool
}

type contestView struct {
	ID, Title, Limits string
	Min, Max          int
	Options           []optionView
}

type optionView struct {
	ID, Title, InputID string
	Checked            bool
}

type choiceView struct {
	Contest string
	Chosen  []string
}

// T translates a message for the template.
func (p *page) T(key string, args ...any) string { return tr(p.Lang, key, args...) }

// newPage starts a screen's data. Requires k.mu.
func (k *Kiosk) newPage(path, headingKey string) *page {
	p := &page{Lang: k.lang, Election: k.e.Manifest.Title, Path: path}
	p.Heading = tr(k.lang, headingKey)
	for _, l := range Languages {
		p.Languages = append(p.Languages, langChoice{Tag: l, Name: languageNames[l], Current: l == k.lang})
	}
	return p
}

// render writes a screen. Requires k.mu.
func (k *Kiosk) render(w http.ResponseWriter, name string, p *page, status int) {
	var buf bytes.Buffer
	if err := k.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		k.log.Error("kiosk: rendering a screen", "screen", name, "err", err)
		http.Error(w, tr(p.Lang, "err_internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// contestViews lays out the ballot of style with the voter's picks.
func (k *Kiosk) contestViews(style uint16, picks map[string][]string) []contestView {
	var out []contestView
	for _, c := range k.e.Contests(style) {
		cv := contestView{ID: c.ID, Title: c.Title, Min: int(c.MinSelections), Max: int(c.MaxSelections), Limits: k.limits(c)}
		for _, o := range c.Options {
			cv.Options = append(cv.Options, optionView{
				ID: o.ID, Title: o.Title, InputID: "opt-" + c.ID + "-" + o.ID,
				Checked: contains(picks[c.ID], o.ID),
			})
		}
		out = append(out, cv)
	}
	return out
}

// limits says in the screen's language how many options c takes.
func (k *Kiosk) limits(c *election.Contest) string {
	lo, hi := int(c.MinSelections), int(c.MaxSelections)
	switch {
	case lo == hi && hi == 1:
		return tr(k.lang, "choose_one")
	case lo == hi:
		return tr(k.lang, "choose_exactly", hi)
	case lo == 0:
		return tr(k.lang, "choose_up_to", hi)
	}
	return tr(k.lang, "choose_between", lo, hi)
}

// choiceViews names the chosen options, for the review and challenge
// screens.
func (k *Kiosk) choiceViews(choices []cast.Choice) []choiceView {
	out := make([]choiceView, len(choices))
	for i, c := range choices {
		out[i].Contest = c.Contest.Title
		for _, o := range c.Chosen {
			out[i].Chosen = append(out[i].Chosen, o.Title)
		}
		if len(out[i].Chosen) == 0 {
			out[i].Chosen = []string{tr(k.lang, "none")}
		}
	}
	return out
}

// groupTracker writes a tracker in groups of eight, easier to read aloud
// and to compare.
func groupTracker(id election.ID) string {
	s := id.String()
	var b strings.Builder
	for i := 0; i < len(s); i += 8 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i : i+8])
	}
	return b.String()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
