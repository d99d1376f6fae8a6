package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"sync"
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
	srv, err := newBinServer(bin, "uploads-", "DASHBOARD_PASSWORD=ett-langt-losenord")
	if err != nil {
		return 0, nil, 0, err
	}
	defer srv.Close()
	if err := srv.Run(ctx, "users", "add", "ana", "--role", "analyst"); err != nil {
		return 0, nil, 0, err
	}
	if err := srv.Start(ctx); err != nil {
		return 0, nil, 0, err
	}
	base := srv.URL()
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
	peakKB, err = srv.PeakKB()
	return peakKB, statuses, took, err
}
