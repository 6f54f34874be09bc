// Package kiosk is the polling-place kiosk: a local web application, served
// by `evote kiosk` to a browser on the same machine, through which voters
// cast or challenge a ballot with nothing but a touch screen or a keyboard.
//
// The page sends the voter's credential code and choices only to the kiosk
// process (which refuses connections from anywhere but the local screen
// unless told otherwise); the process encrypts and signs the ballot itself
// with voter/cast, exactly as `evote vote` does. There is no JavaScript
// framework: the screens are html/template pages that work without
// JavaScript, and a small embedded script only shows how many options are
// chosen and stops the voter from choosing more than a contest allows (the
// server checks the limits again).
//
// One voter at a time: the kiosk holds one session, and ends it — clearing
// the credential key, the ballot's randomness and the choices — when the
// voter finishes, after ResetAfter on the final screen, or after IdleTimeout
// without a request. Pages are sent with Cache-Control: no-store, so the
// browser keeps no copy of a previous voter's screens.
//
// When no board node answers, a cast ballot is not lost: it is kept on disk
// (Queue) and submitted when a node is back, and the voter's receipt says
// it was queued.
//
// The screens speak English and Simplified Chinese (Languages), switchable
// on every screen.
package kiosk
