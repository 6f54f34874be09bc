package kiosk

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
	"github.com/evote/evote/voter/credential"
)

// cookieName is the session cookie: a random token that ties the screen's
// browser to the voter's session.
const cookieName = "kiosk_session"

// Handler returns the kiosk's HTTP handler, with its access rules.
func (k *Kiosk) Handler() http.Handler {
	mux := http.NewServeMux()
	static, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", k.welcome)
	mux.HandleFunc("POST /start", k.start)
	mux.HandleFunc("GET /ballot", k.withSession(k.showBallot))
	mux.HandleFunc("POST /review", k.withSession(k.review))
	mux.HandleFunc("GET /review", k.withSession(k.showReview))
	mux.HandleFunc("POST /change", k.withSession(k.change))
	mux.HandleFunc("POST /cast", k.withSession(k.castBallot))
	mux.HandleFunc("POST /challenge", k.withSession(k.challengeBallot))
	mux.HandleFunc("GET /done", k.withSession(k.showDone))
	mux.HandleFunc("GET /receipt.png", k.withSession(k.receiptQR))
	mux.HandleFunc("GET /challenged", k.withSession(k.showChallenged))
	mux.HandleFunc("POST /again", k.withSession(k.again))
	mux.HandleFunc("GET /finish", k.finish)
	mux.HandleFunc("POST /finish", k.finish)
	mux.HandleFunc("POST /lang", k.setLang)
	return k.guard(mux)
}

// withSession runs h with the voter's session, under the kiosk's lock.
// Without a session (it ended, or the request is not from the screen that
// holds it) the browser goes back to the welcome screen.
func (k *Kiosk) withSession(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		defer k.mu.Unlock()
		s := k.sess
		c, err := r.Cookie(cookieName)
		if s == nil || err != nil || c.Value != s.token {
			http.Redirect(w, r, "/?expired=1", http.StatusSeeOther)
			return
		}
		k.touch(s, k.cfg.IdleTimeout)
		h(w, r, s)
	}
}

// stepPath is the screen of a step.
func stepPath(st step) string {
	switch st {
	case stepReview:
		return "/review"
	case stepDone:
		return "/done"
	case stepChallenged:
		return "/challenged"
	}
	return "/ballot"
}

// at redirects to the session's screen unless it is at want.
func at(w http.ResponseWriter, r *http.Request, s *session, want step) bool {
	if s.step != want {
		http.Redirect(w, r, stepPath(s.step), http.StatusSeeOther)
		return false
	}
	return true
}

func (k *Kiosk) welcome(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s := k.sess; s != nil {
		if c, err := r.Cookie(cookieName); err == nil && c.Value == s.token {
			http.Redirect(w, r, stepPath(s.step), http.StatusSeeOther)
			return
		}
		// A screen without the session's cookie starts afresh: whatever
		// the previous voter left goes.
		k.endSession()
	}
	k.renderWelcome(w, r.URL.Query().Has("expired"), nil)
}

// renderWelcome shows the code entry, or why voting is not possible.
// Requires k.mu.
func (k *Kiosk) renderWelcome(w http.ResponseWriter, expired bool, errs []string) {
	if k.e.Closed() || k.closed {
		p := k.newPage("/", "closed_heading")
		k.render(w, "closed", p, http.StatusOK)
		return
	}
	p := k.newPage("/", "welcome_heading")
	if expired {
		p.Errors = append(p.Errors, tr(k.lang, "err_expired"))
	}
	p.Errors = append(p.Errors, errs...)
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	k.render(w, "welcome", p, status)
}

func (k *Kiosk) start(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	code, err := cast.ParseCode(r.PostFormValue("code"))
	if err != nil {
		k.renderWelcome(w, false, []string{k.codeError(err)})
		return
	}
	v, err := k.e.Voter(code)
	if err != nil {
		k.renderWelcome(w, false, []string{tr(k.lang, "err_not_eligible")})
		return
	}
	s := k.startSession(v)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/ballot", http.StatusSeeOther)
}

// codeError says in the screen's language what is wrong with a code.
func (k *Kiosk) codeError(err error) string {
	var ce *credential.CharError
	switch {
	case errors.As(err, &ce):
		return tr(k.lang, "err_code_char", ce.Pos, ce.Char)
	case errors.Is(err, credential.ErrChecksum):
		return tr(k.lang, "err_code_checksum")
	case errors.Is(err, credential.ErrLength):
		return tr(k.lang, "err_code_length")
	}
	return tr(k.lang, "err_code_invalid")
}

func (k *Kiosk) showBallot(w http.ResponseWriter, r *http.Request, s *session) {
	if at(w, r, s, stepBallot) {
		k.renderBallot(w, s, nil)
	}
}

func (k *Kiosk) renderBallot(w http.ResponseWriter, s *session, errs []string) {
	p := k.newPage("/ballot", "ballot_heading")
	p.Contests = k.contestViews(s.voter.Style, s.picks)
	p.Errors = errs
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	k.render(w, "ballot", p, status)
}

// review takes the ballot form, checks the limits, and encrypts.
func (k *Kiosk) review(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepBallot) {
		return
	}
	if err := r.ParseForm(); err != nil {
		k.renderBallot(w, s, []string{tr(k.lang, "err_bad_choice")})
		return
	}
	picks, errs := k.readPicks(s.voter.Style, r)
	s.picks = picks
	if len(errs) > 0 {
		k.renderBallot(w, s, errs)
		return
	}
	sel, err := k.e.Choose(s.voter.Style, picks)
	if err != nil {
		k.renderBallot(w, s, []string{tr(k.lang, "err_bad_choice")})
		return
	}
	b, err := k.e.Encrypt(r.Context(), s.voter, sel)
	if errors.Is(err, cast.ErrUnreachable) {
		// No node to read the revote counter from: encrypt as a first
		// ballot, to be queued if the board is still away at the cast.
		b, err = k.e.EncryptCounter(s.voter, sel, 0, nil)
	}
	if err != nil {
		k.fail(w, "encrypting", err)
		return
	}
	s.sel, s.ballot, s.step = sel, b, stepReview
	http.Redirect(w, r, "/review", http.StatusSeeOther)
}

// readPicks reads the ballot form: for each contest of the style, the
// options checked, in the screen's language errors for contests outside
// their limits.
func (k *Kiosk) readPicks(style uint16, r *http.Request) (map[string][]string, []string) {
	picks := make(map[string][]string)
	var errs []string
	for _, c := range k.e.Contests(style) {
		opts := r.Form["c."+c.ID]
		picks[c.ID] = opts
		n := len(opts)
		switch {
		case n > int(c.MaxSelections):
			errs = append(errs, tr(k.lang, "err_too_many", c.Title, c.MaxSelections, n))
		case n < int(c.MinSelections):
			errs = append(errs, tr(k.lang, "err_too_few", c.Title, c.MinSelections, n))
		}
	}
	return picks, errs
}

func (k *Kiosk) showReview(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepReview) {
		return
	}
	p := k.newPage("/review", "review_heading")
	p.Choices = k.choiceViews(k.e.Describe(s.voter.Style, s.sel))
	p.Tracker = groupTracker(s.ballot.Tracker)
	k.render(w, "review", p, http.StatusOK)
}

func (k *Kiosk) change(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepReview) {
		return
	}
	s.ballot.Forget()
	s.ballot, s.step = nil, stepBallot
	http.Redirect(w, r, "/ballot", http.StatusSeeOther)
}

// castBallot casts, or keeps the ballot in the queue when no node answers.
func (k *Kiosk) castBallot(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepReview) {
		return
	}
	b := s.ballot
	s.ballot = nil
	rc, err := k.e.Cast(r.Context(), b)
	switch {
	case errors.Is(err, cast.ErrUnreachable):
		if qerr := k.queue.Add(b.Entry.Bytes()); qerr != nil {
			k.fail(w, "queueing a ballot", qerr)
			return
		}
		k.log.Warn("kiosk: no board node answered; a ballot is queued on disk")
		rc = &cast.Receipt{Election: k.e.ID, Tracker: b.Tracker, Type: election.TypeBallot, Entry: b.Entry.Bytes(), Queued: true}
	case errors.Is(err, cast.ErrClosed):
		k.closed = true
		k.endSession()
		p := k.newPage("/", "closed_heading")
		p.Errors = []string{tr(k.lang, "err_closed")}
		k.render(w, "closed", p, http.StatusConflict)
		return
	case err != nil:
		k.fail(w, "casting", err)
		return
	}
	// Nothing is left to sign: the credential key goes now.
	s.voter.Forget()
	s.receipt, s.step = rc, stepDone
	k.touch(s, k.cfg.ResetAfter)
	http.Redirect(w, r, "/done", http.StatusSeeOther)
}

func (k *Kiosk) showDone(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepDone) {
		return
	}
	heading := "done_heading"
	if s.receipt.Queued {
		heading = "queued_heading"
	}
	p := k.newPage("/done", heading)
	p.Tracker = groupTracker(s.receipt.Tracker)
	p.Queued = s.receipt.Queued
	if n := s.receipt.Node; n != nil {
		p.Receipt = tr(k.lang, "receipt_node", s.receipt.NodeName, n.Index)
	}
	p.Refresh = int(k.cfg.ResetAfter.Seconds())
	// The final screen keeps its own deadline: requests for it (a language
	// switch) do not keep the previous voter's receipt up longer.
	k.touch(s, k.cfg.ResetAfter)
	k.render(w, "done", p, http.StatusOK)
}

// receiptQR serves the QR code of the voter's receipt (its text, without
// the entry's bytes).
func (k *Kiosk) receiptQR(w http.ResponseWriter, r *http.Request, s *session) {
	if s.step != stepDone || s.receipt == nil {
		http.NotFound(w, r)
		return
	}
	png, err := qrcode.Encode(s.receipt.Text(), qrcode.Low, 384)
	if err != nil {
		k.fail(w, "drawing the receipt's QR code", err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}

// challengeBallot spoils the ballot and shows what it held.
func (k *Kiosk) challengeBallot(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepReview) {
		return
	}
	b := s.ballot
	s.ballot = nil
	sp, err := k.e.Challenge(r.Context(), b)
	queued := false
	switch {
	case errors.Is(err, cast.ErrUnreachable) && sp != nil:
		if qerr := k.queue.Add(sp.Entry); qerr != nil {
			k.fail(w, "queueing a challenged ballot", qerr)
			return
		}
		queued = true
	case err != nil:
		k.fail(w, "challenging", err)
		return
	}
	s.spoiled = &challenge{Tracker: sp.Tracker, Choices: k.e.Describe(s.voter.Style, s.sel), Queued: queued}
	s.step = stepChallenged
	http.Redirect(w, r, "/challenged", http.StatusSeeOther)
}

func (k *Kiosk) showChallenged(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepChallenged) {
		return
	}
	p := k.newPage("/challenged", "challenged_heading")
	p.Choices = k.choiceViews(s.spoiled.Choices)
	p.Tracker = groupTracker(s.spoiled.Tracker)
	p.Queued = s.spoiled.Queued
	p.Audit = fmt.Sprintf("evote vote audit --election %s --node URL --tracker %s", k.e.ID, s.spoiled.Tracker)
	k.render(w, "challenged", p, http.StatusOK)
}

func (k *Kiosk) again(w http.ResponseWriter, r *http.Request, s *session) {
	if !at(w, r, s, stepChallenged) {
		return
	}
	s.spoiled, s.step = nil, stepBallot
	http.Redirect(w, r, "/ballot", http.StatusSeeOther)
}

// finish ends the session at the voter's request or the final screen's
// timeout.
func (k *Kiosk) finish(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	if s := k.sess; s != nil {
		if c, err := r.Cookie(cookieName); err == nil && c.Value == s.token {
			k.endSession()
		}
	}
	k.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setLang switches the screen's language and goes back to the screen.
func (k *Kiosk) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	next := r.PostFormValue("next")
	if !supported(lang) {
		http.Error(w, fmt.Sprintf("unknown language %q", lang), http.StatusBadRequest)
		return
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		next = "/"
	}
	k.mu.Lock()
	k.lang = lang
	k.mu.Unlock()
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// fail ends the session after an error the voter cannot fix, and says so
// without details; the log gets the kind of failure, not the voter's data.
// Requires k.mu.
func (k *Kiosk) fail(w http.ResponseWriter, doing string, err error) {
	k.log.Error("kiosk: "+doing+" failed", "err", redact(err))
	k.endSession()
	p := k.newPage("/", "welcome_heading")
	p.Errors = []string{tr(k.lang, "err_internal")}
	k.render(w, "welcome", p, http.StatusInternalServerError)
}

// redact keeps an error's words for the log and drops every hex id in it
// (trackers, entry ids), which next to the time could tie a voter at the
// kiosk to a ballot.
func redact(err error) string {
	fields := strings.Fields(err.Error())
	for i, f := range fields {
		core := strings.Trim(f, ":,.;()…\"'")
		if len(core) >= 12 && strings.Trim(core, "0123456789abcdef") == "" {
			fields[i] = "…"
		}
	}
	return strings.Join(fields, " ")
}
