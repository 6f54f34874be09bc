package tests

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evote/evote/election"
	"github.com/evote/evote/tests/cluster"
	"github.com/evote/evote/voter/cast"
)

// kioskBrowser finds a Chromium for the kiosk test. Without one the test is
// skipped, or fails when EVOTE_REQUIRE_BROWSER is set (as in CI, after
// scripts/install-chromium.sh).
func kioskBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("EVOTE_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium on PATH: run scripts/install-chromium.sh")
	}
	t.Skip("no Chromium on PATH: run scripts/install-chromium.sh to run the kiosk's browser test")
	return ""
}

// kioskArtifacts returns the directory for the screenshots: $EVOTE_ARTIFACTS/kiosk
// when set, else a directory under the test's that is kept (and named in
// the log) when the test fails.
func kioskArtifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EVOTE_ARTIFACTS")
	keep := dir != ""
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "evote-kiosk-artifacts-"); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Join(dir, "kiosk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("kiosk screenshots: %s", dir)
	t.Cleanup(func() {
		if !keep && !t.Failed() {
			os.RemoveAll(filepath.Dir(dir))
		}
	})
	return dir
}

// startKiosk runs `evote kiosk` and returns its URL; it is stopped with
// SIGTERM when the test ends.
func startKiosk(t *testing.T, c *cluster.Cluster, e *cluster.Election, args ...string) string {
	t.Helper()
	all := append([]string{"kiosk", "--election", e.ID.String(), "--listen", "127.0.0.1:0",
		"--queue", filepath.Join(c.Dir, "kiosk-queue"), "--retry", "200ms", "--timeout", "2s"}, c.NodeArgs()...)
	cmd := exec.Command(c.Bin, append(all, args...)...)
	cmd.Dir = c.Dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(c.Dir, "kiosk.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(cluster.Timeout):
			_ = cmd.Process.Kill()
			t.Error("kiosk did not stop on SIGTERM")
		}
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("--- kiosk log:\n%s", b)
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "kiosk ready: "); ok {
				ready <- u
			}
		}
	}()
	select {
	case u := <-ready:
		return u
	case err := <-done:
		t.Fatalf("kiosk stopped before it was ready: %v", err)
	case <-time.After(cluster.Timeout):
		t.Fatal("kiosk not ready in time")
	}
	return ""
}

// screen drives the kiosk's page in Chromium and saves screenshots.
type screen struct {
	t   *testing.T
	ctx context.Context
	dir string
	n   int
}

// do runs actions, each bounded by the cluster's timeout.
func (s *screen) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, cluster.Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		s.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		s.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of sel.
func (s *screen) text(sel string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, cluster.Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		s.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// eval evaluates a JavaScript expression.
func eval[T any](s *screen, expr string) T {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, cluster.Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		s.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// poll waits until a JavaScript expression is true.
func (s *screen) poll(what, expr string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, cluster.Timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		s.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		s.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// shot saves a screenshot of the page as NN-name.png.
func (s *screen) shot(name string) {
	s.t.Helper()
	s.n++
	ctx, cancel := context.WithTimeout(s.ctx, cluster.Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(s.dir, strings.Join([]string{twoDigits(s.n), name}, "-")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Error(err)
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func newScreen(t *testing.T, browser string) *screen {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox, // the test machines run as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1024, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		t.Fatalf("starting Chromium: %v", err)
	}
	return &screen{t: t, ctx: ctx, dir: kioskArtifacts(t)}
}

var kioskTracker = regexp.MustCompile(`^[0-9a-f ]{71}$`)

// trackerOnScreen reads the tracker the screen shows.
func (s *screen) tracker() election.ID {
	s.t.Helper()
	txt := strings.TrimSpace(s.text("#tracker"))
	if !kioskTracker.MatchString(txt) {
		s.t.Fatalf("tracker %q", txt)
	}
	id, err := cast.ParseID(strings.ReplaceAll(txt, " ", ""))
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// TestKioskInBrowser casts and challenges ballots at the kiosk in a real
// headless Chromium, checks that the ballot's limits hold, switches the
// language, keeps a ballot while no node answers, and confirms that the
// ballots reached every node. It saves a screenshot of each screen.
func TestKioskInBrowser(t *testing.T) {
	browser := kioskBrowser(t)
	c := cluster.New(t, cluster.Options{Nodes: 3, Trustees: 3, Threshold: 2})
	e := c.Publish(t, c.ElectionConfig(t, "municipal.yaml"), 3)
	c.OpenDirect(t, e)
	url := startKiosk(t, c, e, "--reset-after", "3s")
	s := newScreen(t, browser)

	// Welcome, then the language switch.
	s.do("open the kiosk", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("#code")))
	s.shot("welcome-en")
	s.do("switch to Chinese", chromedp.Click(chromedp.CSS("#lang-zh-Hans")), chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-Hans"] #code`)))
	if h := s.text("h1"); h != "欢迎" {
		t.Errorf("Chinese heading %q", h)
	}
	if l := s.text(`label[for="code"]`); l != "凭证码" {
		t.Errorf("Chinese code label %q", l)
	}
	s.shot("welcome-zh-Hans")

	// A mistyped code, with the keyboard alone: type, Enter.
	bad := []byte(e.Codes[0])
	bad[0] = map[bool]byte{true: 'B', false: 'A'}[bad[0] == 'A']
	s.do("type a mistyped code", chromedp.Focus(chromedp.CSS("#code")), chromedp.KeyEvent(string(bad)+"\r"), chromedp.WaitVisible(chromedp.CSS("#errors")))
	if msg := s.text("#errors"); !strings.Contains(msg, "凭证码有输入错误") {
		t.Errorf("mistyped code message %q", msg)
	}
	s.shot("code-mistyped-zh-Hans")
	s.do("back to English", chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #code`)))

	// The ballot: type the code as a scanner would, Enter.
	s.do("enter the code", chromedp.Focus(chromedp.CSS("#code")), chromedp.KeyEvent(e.Codes[0]+"\r"), chromedp.WaitVisible(chromedp.CSS("#ballot")))
	s.shot("ballot")

	// Limits: three council members at most, one mayor; the fourth box
	// and the second mayor are disabled. The mayor is chosen by keyboard.
	s.do("choose three council members",
		chromedp.Click(chromedp.CSS("#opt-council-abara")),
		chromedp.Click(chromedp.CSS("#opt-council-costa")),
		chromedp.Click(chromedp.CSS("#opt-council-gupta")),
		chromedp.Focus(chromedp.CSS("#opt-mayor-moreau")),
		chromedp.KeyEvent(" "),
	)
	if !eval[bool](s, `document.getElementById("opt-council-dubois").disabled`) {
		t.Error("a fourth council member can be chosen")
	}
	if !eval[bool](s, `document.getElementById("opt-mayor-okafor").disabled`) {
		t.Error("a second mayor can be chosen")
	}
	if !eval[bool](s, `document.getElementById("opt-mayor-moreau").checked`) {
		t.Error("the keyboard did not choose the mayor")
	}
	if cnt := s.text("#count-council"); !strings.HasPrefix(cnt, "3 of 3 chosen") {
		t.Errorf("council count %q", cnt)
	}
	s.shot("ballot-at-limits")
	// Even a page that ignores the limits is stopped by the kiosk.
	eval[bool](s, `(function(){var b=document.getElementById("opt-council-dubois"); b.disabled=false; b.checked=true; return true})()`)
	s.do("force a fourth council member",
		chromedp.Click(chromedp.CSS("#review")),
		chromedp.WaitVisible(chromedp.CSS("#errors")),
	)
	if msg := s.text("#errors"); !strings.Contains(msg, "at most 3 allowed, you chose 4") {
		t.Errorf("over-limit message %q", msg)
	}
	s.shot("ballot-over-limit")
	s.do("uncheck the fourth", chromedp.Click(chromedp.CSS("#opt-council-dubois")), chromedp.Click(chromedp.CSS("#review")), chromedp.WaitVisible(chromedp.CSS("#cast")))
	s.shot("review")

	// Challenge, then audit the challenged ballot from the command line.
	s.do("challenge", chromedp.Click(chromedp.CSS("#challenge")), chromedp.WaitVisible(chromedp.CSS("#again")))
	spoiled := s.tracker()
	s.shot("challenged")
	out := c.MustEvote(append([]string{"vote", "audit", "--election", e.ID.String(), "--tracker", spoiled.String()}, c.NodeArgs()...)...)
	for _, w := range []string{"mayor: Camille Moreau (Independent) (moreau)", "council: Chidi Abara (Civic Alliance) (abara), Rui Costa (Springfield Forward) (costa), Priya Gupta (Springfield Forward) (gupta)"} {
		if !strings.Contains(out, w) {
			t.Errorf("audit of the challenged ballot lacks %q:\n%s", w, out)
		}
	}

	// Vote again (the choices are kept) and cast.
	s.do("vote again", chromedp.Click(chromedp.CSS("#again")), chromedp.WaitVisible(chromedp.CSS("#ballot")))
	if !eval[bool](s, `document.getElementById("opt-council-gupta").checked`) {
		t.Error("the choices were not kept after the challenge")
	}
	s.do("review again", chromedp.Click(chromedp.CSS("#review")), chromedp.WaitVisible(chromedp.CSS("#cast")))
	s.do("cast", chromedp.Click(chromedp.CSS("#cast")), chromedp.WaitVisible(chromedp.CSS("#receipt-qr")))
	cast1 := s.tracker()
	s.poll("the receipt's QR code to load", `(function(){var i=document.getElementById("receipt-qr"); return i.complete && i.naturalWidth > 0})()`)
	s.shot("cast-receipt")

	// The final screen clears itself for the next voter.
	s.do("the screen resets", chromedp.WaitVisible(chromedp.CSS("#code")))
	html := eval[string](s, `document.documentElement.outerHTML`)
	if strings.Contains(html, cast1.String()[:8]) {
		t.Error("the previous voter's tracker is still on the page")
	}
	s.shot("reset-for-next-voter")

	// A second voter while no node answers: the ballot is queued on the
	// kiosk and reaches the board when the nodes are back.
	s.do("second voter", chromedp.Focus(chromedp.CSS("#code")), chromedp.KeyEvent(e.Codes[1]+"\r"), chromedp.WaitVisible(chromedp.CSS("#ballot")))
	s.do("choose", chromedp.Click(chromedp.CSS("#opt-mayor-tanaka")), chromedp.Click(chromedp.CSS("#review")), chromedp.WaitVisible(chromedp.CSS("#cast")))
	for _, n := range c.Nodes {
		n.Stop(t)
	}
	s.do("cast with every node down", chromedp.Click(chromedp.CSS("#cast")), chromedp.WaitVisible(chromedp.CSS("#receipt-qr")))
	if h := s.text("h1"); h != "Your ballot is saved on this kiosk" {
		t.Errorf("queued heading %q", h)
	}
	queued := s.tracker()
	s.shot("cast-queued")
	for _, n := range c.Nodes {
		n.Start(t)
	}

	// Every ballot reached every node.
	for _, n := range c.Nodes {
		cl := n.Client(t)
		for _, id := range []election.ID{spoiled, cast1, queued} {
			cluster.WaitFor(t, n.Name+" to hold "+id.String()[:12], func() bool {
				_, err := cl.Entry(context.Background(), e.ID, id)
				return err == nil
			})
		}
	}
	if errors.Is(context.Cause(s.ctx), context.Canceled) {
		t.Fatal("browser stopped early")
	}
}
