package sluice

// DisableWakeup makes e poll in timed C slices, as on systems without a
// wake-up fd, so the tests cover that path too. Call it before any Poll.
func DisableWakeup(e *Engine) {
	if e.w != nil {
		e.w.close()
		e.w = nil
	}
}
