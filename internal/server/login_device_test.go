package server

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// A name handed to the throttle may live in Fiber's request buffer, which
// the next request overwrites. The throttle must keep its own copy: with
// the buffer's bytes as the map key, one name's failures became another's
// (seen as a name that had never been tried getting a wait).
func TestThrottleKeepsItsOwnCopyOfTheName(t *testing.T) {
	l := newLoginThrottle()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	buf := []byte("mallory")
	name := unsafe.String(&buf[0], len(buf)) // as Fiber's FormValue hands it out
	for range 5 {
		l.fail("10.0.0.1", name, now)
	}
	copy(buf, "bertil!") // the next request reuses the buffer
	if w := l.wait("10.0.0.2", "bertil!", false, now); w != 0 {
		t.Errorf("a name that never failed waits %v: the throttle kept the request's bytes", w)
	}
	if w := l.wait("10.0.0.2", "mallory", false, now); w == 0 {
		t.Error("mallory's failures were lost")
	}
}

// The throttle's rules, one attempt at a time: the name's own failures,
// the address's failures for a name that failed, a spraying address for
// a new name, and a browser that knows the name.
func TestThrottleWaits(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name                string
		nameFails, addrFail int // failures of the name (from the address) and of other names from the address
		known               bool
		want                time.Duration
	}{
		{"nothing failed", 0, 0, false, 0},
		{"two own failures pass", 2, 0, false, 0},
		{"the third own failure waits", 3, 0, false, time.Second},
		{"own failures count for a known browser too", 4, 0, true, 2 * time.Second},
		{"a failed name from a failing address", 1, 9, false, time.Second},
		{"a known browser ignores the address", 1, 9, true, 0},
		{"a new name from an address with 19 failures", 0, 19, false, 0},
		{"a new name from a spraying address", 0, 20, false, time.Second},
		{"a new name from a heavily spraying address", 0, 30, false, time.Minute},
		{"a known browser from a spraying address", 0, 30, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLoginThrottle()
			for range tt.nameFails {
				l.fail("10.0.0.1", "ada", now)
			}
			for i := range tt.addrFail {
				l.fail("10.0.0.1", "x"+strings.Repeat("y", i), now)
			}
			if got := l.wait("10.0.0.1", "ada", tt.known, now); got != tt.want {
				t.Errorf("wait %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDeviceMarks(t *testing.T) {
	d, err := newDeviceMarks()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newDeviceMarks()
	m := d.mark("ada")
	tests := []struct {
		name, cookie, user string
		want               bool
	}{
		{"its own mark", m, "ada", true},
		{"another name", m, "bertil", false},
		{"another server's mark", other.mark("ada"), "ada", false},
		{"empty", "", "ada", false},
		{"no signature", strings.Split(m, ".")[0], "ada", false},
		{"signature cut", m[:len(m)-2], "ada", false},
		{"not base64", "!!!.???", "ada", false},
		{"too long", m + strings.Repeat("A", maxDeviceCookie), "ada", false},
	}
	for _, tt := range tests {
		if got := d.knows(tt.cookie, tt.user); got != tt.want {
			t.Errorf("%s: knows = %v", tt.name, got)
		}
	}
}

// FuzzDeviceMark: no cookie a browser can send passes for a name unless
// it is the server's own mark for that name, and none panics.
func FuzzDeviceMark(f *testing.F) {
	d, err := newDeviceMarks()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(d.mark("ada"), "ada")
	f.Add(d.mark("ada"), "bertil")
	f.Add("YWRh.", "ada")
	f.Add("....", "")
	f.Fuzz(func(t *testing.T, cookie, name string) {
		if d.knows(cookie, name) && cookie != d.mark(name) {
			t.Errorf("accepted %q for %q", cookie, name)
		}
	})
}
