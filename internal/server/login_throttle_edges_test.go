package server

import (
	"fmt"
	"testing"
	"time"
)

// The throttle's schedule at its edges, found unchecked by mutation
// testing (docs/testing.md): how many failures are free, the doubling and
// its ceiling, when failures are forgotten, and the sweep of the table
// when an attacker invents names.

var throttleT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestThrottleDelaySchedule: three failures of a name are free, then the
// wait starts at a second and doubles up to the minute's ceiling.
func TestThrottleDelaySchedule(t *testing.T) {
	l := newLoginThrottle()
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {2, 0}, {3, time.Second}, {4, 2 * time.Second}, {5, 4 * time.Second},
		{8, 32 * time.Second}, {9, time.Minute}, {33, time.Minute}, {34, time.Minute}, {1000, time.Minute},
	} {
		if got := l.delay(tc.n, l.freeName); got != tc.want {
			t.Errorf("delay(%d failures, %d free) = %v, want %v", tc.n, l.freeName, got, tc.want)
		}
	}
}

// TestThrottleWaitCountsFromTheLastFailure: the wait is what is left of
// the delay since the last failure, never negative.
func TestThrottleWaitCountsFromTheLastFailure(t *testing.T) {
	l := newLoginThrottle()
	for range 4 {
		l.fail("192.0.2.1", "bertil", throttleT0)
	}
	for _, tc := range []struct {
		after, want time.Duration
	}{
		{0, 2 * time.Second}, {500 * time.Millisecond, 1500 * time.Millisecond},
		{2 * time.Second, 0}, {time.Minute, 0},
	} {
		if got := l.wait("192.0.2.1", "bertil", false, throttleT0.Add(tc.after)); got != tc.want {
			t.Errorf("%v after the fourth failure: wait %v, want %v", tc.after, got, tc.want)
		}
	}
	l.succeed("bertil")
	if got := l.wait("192.0.2.1", "bertil", false, throttleT0); got != 0 {
		t.Errorf("after a success: wait %v, want 0", got)
	}
}

// TestThrottleFromAnotherAddress: a name that failed from one address is
// still slowed when it tries from another, by its own failures; that
// address has no failures of its own.
func TestThrottleFromAnotherAddress(t *testing.T) {
	l := newLoginThrottle()
	for range 5 {
		l.fail("192.0.2.1", "bertil", throttleT0)
	}
	if got := l.wait("198.51.100.7", "bertil", false, throttleT0); got != 4*time.Second {
		t.Errorf("from another address: wait %v, want 4s", got)
	}
	if got := l.wait("198.51.100.7", "anna", false, throttleT0); got != 0 {
		t.Errorf("a name that never failed: wait %v, want 0", got)
	}
}

// TestThrottleAddressFailures: an address's failures over many names slow
// the names that failed from it after ten, never a name that has not.
func TestThrottleAddressFailures(t *testing.T) {
	l := newLoginThrottle()
	const addr = "192.0.2.1"
	l.fail(addr, "bertil", throttleT0)
	for i := range 8 {
		l.fail(addr, fmt.Sprintf("mallory%d", i), throttleT0)
	}
	if got := l.wait(addr, "bertil", false, throttleT0); got != 0 {
		t.Errorf("nine failures from the address: wait %v, want 0", got)
	}
	l.fail(addr, "mallory8", throttleT0)
	if got := l.wait(addr, "bertil", false, throttleT0); got != time.Second {
		t.Errorf("ten failures from the address, one of them bertil's: wait %v, want 1s", got)
	}
	if got := l.wait(addr, "admin", false, throttleT0); got != 0 {
		t.Errorf("a name that never failed, from the same address: wait %v, want 0", got)
	}
}

// TestThrottleForgetsAfterQuietPeriod: fifteen minutes after the last
// failure the count starts again from one.
func TestThrottleForgetsAfterQuietPeriod(t *testing.T) {
	for _, tc := range []struct {
		quiet time.Duration
		want  time.Duration // wait right after one more failure
	}{
		{15*time.Minute - time.Second, 8 * time.Second}, // sixth failure: 2^3 s
		{15 * time.Minute, 0},                           // forgotten: first failure
	} {
		l := newLoginThrottle()
		for range 5 {
			l.fail("192.0.2.1", "bertil", throttleT0)
		}
		at := throttleT0.Add(tc.quiet)
		l.fail("192.0.2.1", "bertil", at)
		if got := l.wait("192.0.2.1", "bertil", false, at); got != tc.want {
			t.Errorf("failure %v after five: wait %v, want %v", tc.quiet, got, tc.want)
		}
	}
}

// TestThrottleSweepsAtTheKeyLimit: once the table holds more than
// maxThrottleKeys names, a failure sweeps out those forgotten (exactly
// fifteen minutes old included); at the limit nothing is swept.
func TestThrottleSweepsAtTheKeyLimit(t *testing.T) {
	fill := func(l *loginThrottle, n int, last time.Time) {
		for i := range n {
			l.names[fmt.Sprintf("old%d", i)] = &failures{n: 1, last: last}
		}
	}
	now := throttleT0.Add(time.Hour)

	l := newLoginThrottle()
	fill(l, maxThrottleKeys-1, now.Add(-15*time.Minute))
	l.fail("192.0.2.1", "new", now)
	if len(l.names) != maxThrottleKeys {
		t.Errorf("at the limit: %d names kept, want %d (no sweep)", len(l.names), maxThrottleKeys)
	}

	l = newLoginThrottle()
	fill(l, maxThrottleKeys, now.Add(-15*time.Minute))
	l.names["recent"] = &failures{n: 1, last: now.Add(-15*time.Minute + time.Second)}
	l.fail("192.0.2.1", "new", now)
	if len(l.names) != 2 || l.names["recent"] == nil || l.names["new"] == nil {
		t.Errorf("over the limit: %d names kept, want the recent and the new one", len(l.names))
	}
}

// TestThrottleNameForgottenAtFifteenMinutes: exactly fifteen minutes after
// its last failure a name counts as never failed, so its address's
// failures slow it only past the spraying threshold (twenty), no longer
// past the ten that hold up a name that has failed.
func TestThrottleNameForgottenAtFifteenMinutes(t *testing.T) {
	const addr = "192.0.2.1"
	l := newLoginThrottle()
	l.fail(addr, "bertil", throttleT0)
	later := throttleT0.Add(15*time.Minute - time.Second)
	for i := range 11 {
		l.fail(addr, fmt.Sprintf("mallory%d", i), later)
	}
	if got := l.wait(addr, "bertil", false, throttleT0.Add(15*time.Minute-2*time.Second)); got == 0 {
		t.Errorf("bertil before fifteen minutes, twelve failures from the address: no wait")
	}
	if got := l.wait(addr, "bertil", false, throttleT0.Add(15*time.Minute)); got != 0 {
		t.Errorf("bertil fifteen minutes after his failure, twelve from the address: wait %v, want 0", got)
	}
}
