package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

func rawGet(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		// Set by hand, Go's transport leaves the body compressed.
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestCachedPagesAreCompressedOnce checks that pages served from the page
// cache come compressed as the client asks, decode to exactly the plain
// page, and say so in Content-Encoding and Vary. The comparison page is
// joined from precompressed gzip pieces (#15): it comes gzip even when br
// is accepted; a client that takes only br gets the plain page compressed
// by the middleware.
func TestCachedPagesAreCompressedOnce(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	for page, tests := range map[string][]encodingCase{
		"/karta?indikator=population&ar=2024":              {{"gzip, deflate, br", "br"}, {"br", "br"}, {"gzip", "gzip"}, {"gzip, deflate", "gzip"}},
		"/jamfor?indikator=population&ar=2024&kommun=1060": {{"gzip, deflate, br", "gzip"}, {"br", "br"}, {"gzip", "gzip"}, {"gzip, deflate", "gzip"}},
		"/jamfor?indikator=population&ar=2024":             {{"gzip, deflate, br", "gzip"}, {"gzip", "gzip"}},
	} {
		t.Run(page, func(t *testing.T) { checkEncodings(t, inst.URL+page, tests) })
	}
}

// encodingCase is an Accept-Encoding and the Content-Encoding expected.
type encodingCase struct{ accept, want string }

func checkEncodings(t *testing.T, page string, tests []encodingCase) {
	plainResp, plain := rawGet(t, page, "")
	if plainResp.Header.Get("Content-Encoding") != "" || !bytes.Contains(plain, []byte("<html")) {
		t.Fatalf("plain answer: Content-Encoding %q, %d bytes", plainResp.Header.Get("Content-Encoding"), len(plain))
	}
	decoders := map[string]func([]byte) ([]byte, error){
		"br": func(b []byte) ([]byte, error) { return io.ReadAll(brotli.NewReader(bytes.NewReader(b))) },
		"gzip": func(b []byte) ([]byte, error) {
			r, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(r)
		},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			for range 2 { // the first may build the variant, the second reuses it
				resp, body := rawGet(t, page, tc.accept)
				if got := resp.Header.Get("Content-Encoding"); got != tc.want {
					t.Fatalf("Content-Encoding %q, want %q", got, tc.want)
				}
				if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") || !strings.Contains(resp.Header.Get("Vary"), "Cookie") {
					t.Errorf("Vary %q", resp.Header.Get("Vary"))
				}
				if resp.Header.Get("ETag") != plainResp.Header.Get("ETag") {
					t.Errorf("ETag %q differs from the plain answer's %q", resp.Header.Get("ETag"), plainResp.Header.Get("ETag"))
				}
				got, err := decoders[tc.want](body)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatalf("decoded %d bytes differ from the plain %d bytes", len(got), len(plain))
				}
				if len(body) >= len(plain) {
					t.Errorf("compressed %d bytes, plain %d", len(body), len(plain))
				}
			}
		})
	}
}
