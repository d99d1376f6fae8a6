package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
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
	dir, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"DASHBOARD_ADDR="+addr,
		"DATABASE_URL=sqlite:"+filepath.Join(dir, "dashboard.db"),
		// No source is reachable: a start must not depend on the network.
		"DASHBOARD_SCB_URL=http://127.0.0.1:9/api/v2",
		"DASHBOARD_KOLADA_URL=http://127.0.0.1:9/v3",
		"DASHBOARD_COLLECT_ON_START=never",
	)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	deadline := start.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + addr + "/")
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

// freeAddr finds a loopback port that is free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
