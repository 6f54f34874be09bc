//go:build !race

package dlog

const raceEnabled = false
