package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Real{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sleep = %v", err)
	}
	if err := Sleep(context.Background(), 0); err != nil {
		t.Fatalf("zero sleep = %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("short sleep = %v", err)
	}
}

// TestStockholm checks the zone is the real one (embedded tzdata), not the
// UTC guard: summer and winter offsets differ.
func TestStockholm(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC), "12:00"},
		{time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC), "11:00"},
	}
	for _, tc := range tests {
		if got := tc.at.In(Stockholm).Format("15:04"); got != tc.want || Stockholm.String() != "Europe/Stockholm" {
			t.Errorf("%v in %v = %s, want %s", tc.at, Stockholm, got, tc.want)
		}
	}
}
