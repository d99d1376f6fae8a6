package scbtest

import (
	"os"
	"path/filepath"
	"runtime"
)

// Recorded reads a recorded SCB answer, or one constructed from real
// figures, from collectors/scb/testdata (its SOURCES.md says which is
// which). The collector's, the scheduler's and the command's tests share
// these files instead of keeping copies. It finds the directory from this
// source file, so it works from any package's tests.
func Recorded(name string) ([]byte, error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return os.ReadFile(filepath.Join("testdata", name))
	}
	return os.ReadFile(filepath.Join(filepath.Dir(self), "..", "testdata", filepath.Base(name)))
}
