package kiosk

import (
	"net"
	"net/http"
	"strings"
)

// guard applies the kiosk's access rules and security headers to every
// request. Unless AllowRemote, only the local screen may use the kiosk: the
// connection must come from a loopback address and name a loopback host
// (which also defeats DNS rebinding). A form may be posted only from the
// kiosk's own pages.
func (k *Kiosk) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !k.cfg.AllowRemote && !isLocal(r) {
			http.Error(w, "this kiosk serves its local screen only", http.StatusForbidden)
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r) {
			http.Error(w, "forms are accepted from the kiosk's own pages only", http.StatusForbidden)
			return
		}
		hd := w.Header()
		// Nothing of a voter's screens may stay in the browser's cache.
		hd.Set("Cache-Control", "no-store")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		// same-origin, not no-referrer: under no-referrer browsers send
		// "Origin: null" with the kiosk's own form posts.
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// isLocal reports whether r comes from this machine and names it.
func isLocal(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return false
	}
	return isLoopbackHost(r.Host)
}

// isLoopbackHost reports whether a Host header names this machine.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether a form post comes from the kiosk's own
// pages, by the Origin header browsers send with every post (or, without
// one or with an opaque "null" one, Sec-Fetch-Site).
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return o == "http://"+r.Host || o == "https://"+r.Host
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}
