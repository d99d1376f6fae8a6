package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runUploads measures the server process's peak RSS while parallel
// 1,000,000-cell uploads arrive through the API: first one upload alone
// (the baseline, same run, fresh server), then n at once (fresh server).
// The built binary (-bin) runs as its own process so its VmHWM is its own.
func runUploads(ctx context.Context, o options, out io.Writer) error {
	if o.bin == "" {
		return errors.New("-bin: the built dashboard binary is required")
	}
	n := o.n
	if n <= 0 {
		n = 4
	}
	book, cleanup, err := benchWorkbook("uploads-bench-")
	if err != nil {
		return err
	}
	defer cleanup()
	data, err := os.ReadFile(book)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "workbook: %d cells, %.1f MB\n", uploadRows*4, float64(len(data))/(1<<20))
	for _, k := range []int{1, n} {
		peak, statuses, took, err := uploadsOnce(ctx, o.bin, data, k)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d parallel: server peak RSS %d MB, statuses %v, %s\n", k, peak/1024, statuses, took.Round(time.Second))
	}
	return nil
}

func uploadsOnce(ctx context.Context, bin string, data []byte, k int) (peakKB int, statuses []int, took time.Duration, err error) {
	dir, err := os.MkdirTemp("", "uploads-")
	if err != nil {
		return 0, nil, 0, err
	}
	defer os.RemoveAll(dir)
	addr, err := freeAddr()
	if err != nil {
		return 0, nil, 0, err
	}
	env := append(os.Environ(), "DASHBOARD_ADDR="+addr, "DATABASE_URL=sqlite:"+filepath.Join(dir, "dashboard.db"),
		"DASHBOARD_SCB_URL=http://127.0.0.1:9/api/v2", "DASHBOARD_KOLADA_URL=http://127.0.0.1:9/v3",
		"DASHBOARD_COLLECT_ON_START=never", "DASHBOARD_PASSWORD=ett-langt-losenord")
	add := exec.CommandContext(ctx, bin, "users", "add", "ana", "--role", "analyst")
	add.Env, add.Dir = env, dir
	if b, err := add.CombinedOutput(); err != nil {
		return 0, nil, 0, fmt.Errorf("users add: %v %s", err, b)
	}
	srv := exec.CommandContext(ctx, bin)
	srv.Env, srv.Dir, srv.Stdout, srv.Stderr = env, dir, io.Discard, io.Discard
	if err := srv.Start(); err != nil {
		return 0, nil, 0, err
	}
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		_ = srv.Wait()
	}()
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			return 0, nil, 0, errors.New("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("fil", "1m.xlsx")
	_, _ = fw.Write(data)
	_ = mw.Close()
	statuses = make([]int, k)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/imports", bytes.NewReader(body.Bytes()))
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.SetBasicAuth("ana", "ett-langt-losenord")
			resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
			if err != nil {
				statuses[i] = -1
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	took = time.Since(start)
	peakKB, err = procHWM(srv.Process.Pid)
	return peakKB, statuses, took, err
}

// procHWM is another process's peak resident set size in kB (Linux).
func procHWM(pid int) (int, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
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
	return 0, errors.New("no VmHWM")
}
