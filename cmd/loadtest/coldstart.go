package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"time"
)

// runColdStart starts the built binary n times, each on a fresh data
// directory (so every start migrates and loads the bundled figures), and
// times from exec to the first 200 answer of "/".
func runColdStart(ctx context.Context, o options, out io.Writer) error {
	if o.bin == "" {
		return errors.New("coldstart needs -bin (go build -o /tmp/dashboard ./cmd/dashboard)")
	}
	n := o.n
	if n <= 0 {
		n = 10
	}
	var times []time.Duration
	for i := range n {
		d, err := coldStartOnce(ctx, o.bin)
		if err != nil {
			return fmt.Errorf("start %d: %w", i+1, err)
		}
		times = append(times, d)
	}
	sorted := append([]time.Duration(nil), times...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	fmt.Fprintf(out, "cold start to the first 200 of / (fresh SQLite store, bundled figures loaded), %d runs\n", n)
	fmt.Fprintf(out, "median %s, min %s, max %s\nall: %v\n", ms(sorted[n/2]), ms(sorted[0]), ms(sorted[n-1]), times)
	return nil
}

func coldStartOnce(ctx context.Context, bin string) (time.Duration, error) {
	srv, err := newBinServer(bin, "coldstart-")
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := srv.Start(ctx); err != nil {
		return 0, err
	}
	deadline := start.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(srv.URL() + "/")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, errors.New("no 200 from / within 30 s")
}
