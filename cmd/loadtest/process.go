package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// binServer is the built dashboard binary (-bin) as a process of its own,
// so that its start-up time and its peak memory are its own, on a fresh
// SQLite store in a temporary folder and with no source reachable: a
// measurement must not depend on the network.
type binServer struct {
	bin, dir, addr string
	env            []string
	cmd            *exec.Cmd
}

// newBinServer prepares the folder, a free loopback address and the
// environment; extra are more environment entries. Start runs the server;
// Close stops it and removes the folder.
func newBinServer(bin, prefix string, extra ...string) (*binServer, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	env := append(os.Environ(),
		"DASHBOARD_ADDR="+addr,
		"DATABASE_URL=sqlite:"+filepath.Join(dir, "dashboard.db"),
		"DASHBOARD_SCB_URL=http://127.0.0.1:9/api/v2",
		"DASHBOARD_KOLADA_URL=http://127.0.0.1:9/v3",
		"DASHBOARD_COLLECT_ON_START=never",
	)
	return &binServer{bin: bin, dir: dir, addr: addr, env: append(env, extra...)}, nil
}

// URL is the server's base URL.
func (b *binServer) URL() string { return "http://" + b.addr }

// Run runs a subcommand of the binary (e.g. "users add") on the same store.
func (b *binServer) Run(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env, cmd.Dir = b.env, b.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// Start starts the server and returns without waiting for it to listen.
func (b *binServer) Start(ctx context.Context) error {
	b.cmd = exec.CommandContext(ctx, b.bin)
	b.cmd.Env, b.cmd.Dir, b.cmd.Stdout, b.cmd.Stderr = b.env, b.dir, io.Discard, io.Discard
	return b.cmd.Start()
}

// PeakKB is the server process's peak resident set size so far.
func (b *binServer) PeakKB() (int, error) {
	return peakRSS("/proc/" + strconv.Itoa(b.cmd.Process.Pid) + "/status")
}

// Close stops the server (SIGTERM, as a deployment would) and removes
// the folder.
func (b *binServer) Close() {
	if b.cmd != nil && b.cmd.Process != nil {
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		_ = b.cmd.Wait()
	}
	_ = os.RemoveAll(b.dir)
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

// peakRSS reads VmHWM, a process's peak resident set size in kB, from its
// status file (Linux: /proc/self/status or /proc/PID/status).
func peakRSS(status string) (int, error) {
	f, err := os.Open(status)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, errors.New("no VmHWM in " + status)
}
