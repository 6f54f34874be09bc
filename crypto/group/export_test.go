package group

import "github.com/evote/evote/crypto/internal/field8"

// SetVectorDecode makes DecodePoints take its vector path (when the CPU has
// one) or not, and returns a function that restores the setting.
func SetVectorDecode(on bool) (restore func()) {
	saved := useVectorDecode
	useVectorDecode = on && field8.Available()
	return func() { useVectorDecode = saved }
}
