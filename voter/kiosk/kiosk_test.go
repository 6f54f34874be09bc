package kiosk

import (
	"context"
	"crypto/rand"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
	"github.com/evote/evote/voter/credential"
	"github.com/evote/evote/voter/internal/votertest"
)

// harness is a kiosk in front of an in-process board, and a browser-like
// client with a cookie jar.
type harness struct {
	bd  *votertest.Board
	k   *Kiosk
	srv *httptest.Server
	c   *http.Client
}

func newHarness(t *testing.T, edit func(*Config)) *harness {
	t.Helper()
	bd := votertest.Start(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), votertest.Timeout)
	defer cancel()
	e, err := cast.Fetch(ctx, bd.Client, bd.Election)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Election: e,
		QueueDir: t.TempDir(),
		Logger:   slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError})),
	}
	if edit != nil {
		edit(&cfg)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(k.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &harness{bd: bd, k: k, srv: srv, c: &http.Client{Jar: jar}}
}

// get and post return the final status and body after redirects.
func (h *harness) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := h.c.Get(h.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return body(t, resp)
}

func (h *harness) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := h.c.PostForm(h.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return body(t, resp)
}

func body(t *testing.T, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func want(t *testing.T, what string, status int, page string, wantStatus int, wantText ...string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d\n%s", what, status, wantStatus, page)
	}
	for _, w := range wantText {
		if !strings.Contains(page, w) {
			t.Errorf("%s: page lacks %q\n%s", what, w, page)
		}
	}
}

var trackerRe = regexp.MustCompile(`<code id="tracker">([0-9a-f ]+)</code>`)

// tracker reads the tracker a screen shows.
func tracker(t *testing.T, page string) election.ID {
	t.Helper()
	m := trackerRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no tracker on the page:\n%s", page)
	}
	id, err := cast.ParseID(strings.ReplaceAll(m[1], " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// start enters voter i's code and chooses option.
func (h *harness) vote(t *testing.T, i int, option string) election.ID {
	t.Helper()
	st, page := h.post(t, "/start", url.Values{"code": {h.bd.Codes[i].Text()}})
	want(t, "start", st, page, 200, `name="c.library" value="yes"`, "Choose 1.")
	st, page = h.post(t, "/review", url.Values{"c.library": {option}})
	want(t, "review", st, page, 200, "Check your choices", `id="cast"`, `id="challenge"`)
	return tracker(t, page)
}

func TestKioskCast(t *testing.T) {
	h := newHarness(t, nil)
	st, page := h.get(t, "/")
	want(t, "welcome", st, page, 200, `<html lang="en">`, `<label for="code">Credential code</label>`, `id="code"`)

	st, page = h.post(t, "/start", url.Values{"code": {h.bd.Codes[0].Text() + "X"}})
	want(t, "a code too long", st, page, 422, "The code must have 27 characters.", `role="alert"`)
	typo := []byte(h.bd.Codes[0].Text())
	typo[1] = map[bool]byte{true: '2', false: '3'}[typo[1] == '3']
	st, page = h.post(t, "/start", url.Values{"code": {string(typo)}})
	want(t, "a mistyped code", st, page, 422, "The code has a typing mistake")
	st, page = h.post(t, "/start", url.Values{"code": {"C5Q20-SBRC5-PQ0V3-541HP-YS354-4U"}})
	want(t, "a character not in codes", st, page, 422, "is not used in credential codes")
	other, _ := credential.NewCode(rand.Reader)
	st, page = h.post(t, "/start", url.Values{"code": {other.Text()}})
	want(t, "a code of another election", st, page, 422, "This credential is not valid for this election.")
	if h.k.Active() {
		t.Fatal("a session started without a valid code")
	}

	h.post(t, "/start", url.Values{"code": {h.bd.Codes[0].Text()}})
	st, page = h.post(t, "/review", url.Values{"c.library": {"yes", "no"}})
	want(t, "over the limit", st, page, 422, "Build the new library?: at most 1 allowed, you chose 2.")
	st, page = h.post(t, "/review", url.Values{})
	want(t, "under the limit", st, page, 422, "at least 1 required, you chose 0.")
	st, page = h.post(t, "/review", url.Values{"c.library": {"maybe"}})
	want(t, "an option not on the ballot", st, page, 422, "The ballot form was changed")
	st, page = h.post(t, "/review", url.Values{"c.library": {"no"}})
	want(t, "review", st, page, 200, "<dt>Build the new library?</dt><dd>No</dd>")
	tr := tracker(t, page)

	st, page = h.post(t, "/cast", nil)
	want(t, "cast", st, page, 200, "Your ballot is cast", "Receipt signed by board node", `src="/receipt.png"`, `http-equiv="refresh"`)
	if got := tracker(t, page); got != tr {
		t.Fatalf("final screen shows tracker %s, review showed %s", got, tr)
	}
	resp, err := h.c.Get(h.srv.URL + "/receipt.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(resp.Body); err != nil {
		t.Fatalf("receipt QR: %v", err)
	}
	resp.Body.Close()
	if _, err := h.bd.Client.Entry(context.Background(), h.bd.Election, tr); err != nil {
		t.Fatalf("the cast ballot is not on the board: %v", err)
	}

	st, page = h.post(t, "/finish", nil)
	want(t, "finish", st, page, 200, `id="code"`)
	if h.k.Active() {
		t.Fatal("the session outlived Finish")
	}
	st, page = h.get(t, "/done")
	want(t, "the previous voter's screen", st, page, 200, "Your session ended.")
	if strings.Contains(page, tr.String()[:8]) {
		t.Fatal("the previous voter's tracker is still shown")
	}
}

func TestKioskChallengeThenCast(t *testing.T) {
	h := newHarness(t, nil)
	h.vote(t, 1, "yes")
	st, page := h.post(t, "/challenge", nil)
	want(t, "challenge", st, page, 200, "Your ballot was challenged", "<dd>Yes</dd>", "evote vote audit --election "+h.bd.Election.String())
	spoiled := tracker(t, page)
	a, err := h.k.e.Audit(context.Background(), spoiled)
	if err != nil {
		t.Fatal(err)
	}
	if a.Choices[0].Chosen[0].ID != "yes" {
		t.Fatalf("the challenged ballot holds %+v", a.Choices)
	}
	st, page = h.post(t, "/again", nil)
	want(t, "vote again", st, page, 200, `value="yes" checked`)
	st, page = h.post(t, "/review", url.Values{"c.library": {"yes"}})
	want(t, "review again", st, page, 200, "Check your choices")
	if tracker(t, page) == spoiled {
		t.Fatal("the new ballot has the challenged ballot's tracker")
	}
	st, page = h.post(t, "/cast", nil)
	want(t, "cast after a challenge", st, page, 200, "Your ballot is cast")
}

func TestKioskChange(t *testing.T) {
	h := newHarness(t, nil)
	h.vote(t, 0, "yes")
	st, page := h.post(t, "/change", nil)
	want(t, "change", st, page, 200, `value="yes" checked`)
	// The abandoned encryption can be neither cast nor challenged.
	st, page = h.post(t, "/cast", nil)
	want(t, "cast after change", st, page, 200, `name="c.library"`)
}

func TestKioskQueuesWhenNoNodeAnswers(t *testing.T) {
	h := newHarness(t, nil)
	tr := h.vote(t, 2, "no")
	h.bd.Stop(t)
	st, page := h.post(t, "/cast", nil)
	want(t, "cast with the board down", st, page, 200, "Your ballot is saved on this kiosk", "will be submitted as soon as a node is back")
	ids, err := h.k.Queue().Pending()
	if err != nil || len(ids) != 1 || ids[0] != tr {
		t.Fatalf("queue holds %v (%v), want %s", ids, err, tr)
	}
	ctx := context.Background()
	if n, err := h.k.Queue().Flush(ctx, h.k.e.SubmitEntry); n != 0 || err == nil {
		t.Fatalf("flush with the board down: sent %d, %v", n, err)
	}
	h.bd.Restart(t)
	if n, err := h.k.Queue().Flush(ctx, h.k.e.SubmitEntry); n != 1 || err != nil {
		t.Fatalf("flush with the board back: sent %d, %v", n, err)
	}
	if _, err := h.bd.Client.Entry(ctx, h.bd.Election, tr); err != nil {
		t.Fatalf("the queued ballot did not reach the board: %v", err)
	}
	if ids, _ := h.k.Queue().Pending(); len(ids) != 0 {
		t.Fatalf("queue still holds %v", ids)
	}
}

func TestKioskClosed(t *testing.T) {
	h := newHarness(t, nil)
	h.vote(t, 0, "yes")
	h.bd.Close(t)
	st, page := h.post(t, "/cast", nil)
	want(t, "cast after the close", st, page, 409, "Voting has closed: the ballot was not cast.")
	if h.k.Active() {
		t.Fatal("session kept after the close")
	}
	st, page = h.get(t, "/")
	want(t, "welcome after the close", st, page, 200, "Voting has closed", "This election no longer takes ballots.")
	if strings.Contains(page, `id="code"`) {
		t.Error("the closed kiosk still asks for codes")
	}
}

func TestKioskResetsItself(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ResetAfter = 50 * time.Millisecond })
	h.vote(t, 0, "yes")
	st, page := h.post(t, "/cast", nil)
	want(t, "cast", st, page, 200, "Your ballot is cast")
	waitFor(t, "the final screen to clear", func() bool { return !h.k.Active() })

	h = newHarness(t, func(c *Config) { c.IdleTimeout = 50 * time.Millisecond })
	h.post(t, "/start", url.Values{"code": {h.bd.Codes[0].Text()}})
	waitFor(t, "an idle session to end", func() bool { return !h.k.Active() })
	st, page = h.get(t, "/ballot")
	want(t, "after the idle timeout", st, page, 200, "Your session ended.")
}

func TestKioskLanguage(t *testing.T) {
	h := newHarness(t, nil)
	st, page := h.post(t, "/lang", url.Values{"lang": {"zh-Hans"}, "next": {"/"}})
	want(t, "Chinese", st, page, 200, `<html lang="zh-Hans">`, "凭证码", `id="lang-zh-Hans" aria-pressed="true"`)
	st, page = h.post(t, "/start", url.Values{"code": {h.bd.Codes[0].Text()}})
	want(t, "Chinese ballot", st, page, 200, "请选 1 项。")
	st, page = h.post(t, "/lang", url.Values{"lang": {"en"}, "next": {"/ballot"}})
	want(t, "back to English", st, page, 200, "Choose 1.")
	h.post(t, "/lang", url.Values{"lang": {"zh-Hans"}, "next": {"/ballot"}})
	h.post(t, "/finish", nil)
	_, page = h.get(t, "/")
	want(t, "after the session", 200, page, 200, `<html lang="en">`)
	st, _ = h.post(t, "/lang", url.Values{"lang": {"fr"}, "next": {"/"}})
	if st != http.StatusBadRequest {
		t.Errorf("unknown language: status %d", st)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(h.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {"//evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("an off-site next went to %q", loc)
	}
}

func TestKioskAccess(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct {
		name, method, host, remote, origin string
		want                               int
	}{
		{"local", "GET", "127.0.0.1:8080", "127.0.0.1:5000", "", 200},
		{"localhost", "GET", "localhost:8080", "[::1]:5000", "", 200},
		{"remote address", "GET", "127.0.0.1:8080", "192.0.2.7:5000", "", 403},
		{"foreign host name (DNS rebinding)", "GET", "evil.example:8080", "127.0.0.1:5000", "", 403},
		{"post from another origin", "POST", "127.0.0.1:8080", "127.0.0.1:5000", "http://evil.example", 403},
		{"post from the kiosk", "POST", "127.0.0.1:8080", "127.0.0.1:5000", "http://127.0.0.1:8080", 303},
		{"opaque origin from elsewhere", "POST", "127.0.0.1:8080", "127.0.0.1:5000", "null|cross-site", 403},
		{"opaque origin, same site", "POST", "127.0.0.1:8080", "127.0.0.1:5000", "null|same-origin", 303},
	} {
		r := httptest.NewRequest(tc.method, "http://"+tc.host+"/finish", nil)
		r.Host, r.RemoteAddr = tc.host, tc.remote
		if origin, site, ok := strings.Cut(tc.origin, "|"); ok {
			r.Header.Set("Origin", origin)
			r.Header.Set("Sec-Fetch-Site", site)
		} else if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		w := httptest.NewRecorder()
		if tc.method == "GET" {
			r.URL.Path = "/"
		}
		h.k.Handler().ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
		if w.Code != 403 && w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.name, w.Header().Get("Cache-Control"))
		}
	}
	remote := newHarness(t, func(c *Config) { c.AllowRemote = true })
	r := httptest.NewRequest("GET", "http://kiosk.example/", nil)
	r.RemoteAddr = "192.0.2.7:5000"
	w := httptest.NewRecorder()
	remote.k.Handler().ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("AllowRemote: status %d", w.Code)
	}
	for addr, ok := range map[string]bool{"127.0.0.1:0": true, "localhost:8080": true, "[::1]:80": true, "0.0.0.0:8080": false, ":8080": false, "192.0.2.1:80": false, "nonsense": false} {
		if err := checkLoopbackListen(addr); (err == nil) != ok {
			t.Errorf("listen %q: %v", addr, err)
		}
	}
}

func TestCatalogsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[dqs]`)
	for key, en := range catalogs["en"] {
		for _, lang := range Languages {
			m, ok := catalogs[lang][key]
			if !ok {
				t.Errorf("%s lacks %q", lang, key)
				continue
			}
			if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(m, -1); strings.Join(a, "") != strings.Join(b, "") {
				t.Errorf("%s %q has verbs %v, English %v", lang, key, b, a)
			}
		}
	}
	for _, lang := range Languages {
		if len(catalogs[lang]) != len(catalogs["en"]) {
			t.Errorf("%s has %d messages, English %d", lang, len(catalogs[lang]), len(catalogs["en"]))
		}
		if languageNames[lang] == "" {
			t.Errorf("%s has no name", lang)
		}
	}
}

func TestRedact(t *testing.T) {
	got := redact(errorString("submitting ballot 3f2a9c01d2e4: node http://127.0.0.1:1 refused ballot 3f2a9c01d2e4aa: check 37"))
	if strings.Contains(got, "3f2a9c01d2e4") || !strings.Contains(got, "check 37") {
		t.Fatalf("redact gave %q", got)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(votertest.Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestKioskForgetsTheVoter: after Finish the session's credential key is
// overwritten and the session holds nothing.
func TestKioskForgetsTheVoter(t *testing.T) {
	h := newHarness(t, nil)
	h.vote(t, 0, "yes")
	h.k.mu.Lock()
	s := h.k.sess
	v := s.voter
	sel := s.sel
	h.k.mu.Unlock()
	h.post(t, "/finish", nil)
	if _, err := h.k.e.EncryptCounter(v, sel, 0, nil); err == nil {
		t.Fatal("the finished voter's credential still signs")
	}
	if s.voter != nil || s.ballot != nil || s.picks != nil || s.sel != nil || s.token != "" {
		t.Fatalf("the finished session still holds %+v", s)
	}
}
