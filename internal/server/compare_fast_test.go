package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report/reporttest"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

// fastDataset is every municipality over a few years: most highlighted
// municipalities are outside the network and join its ranking.
var fastDataset = reporttest.Dataset{Name: "fast", Municipalities: 290, Years: 4, Indicators: 2}

// hostileInstance serves fastDataset with markup in a member's and a
// non-member's name, in the indicator's name and definition, and in one
// figure's source (a second source, so rows name theirs).
func hostileInstance(t *testing.T) *servertest.Instance {
	t.Helper()
	inst := servertest.Start(t, servertest.Options{NoBundled: true, Configure: func(cfg *config.Config) {
		reporttest.Configure(cfg, fastDataset)
		for i, r := range cfg.Regions {
			switch r.Code {
			case "1060": // Olofström, a member
				cfg.Regions[i].Name = xss1 + ` & "Olofström" 'x'`
			case "0114": // Upplands Väsby
				cfg.Regions[i].Name = xss2
			}
		}
		cfg.Indicators[0].Name = xssRef
		cfg.Indicators[0].Definition = xssFile
	}})
	ctx := context.Background()
	for _, b := range reporttest.Batches(reporttest.Observations(inst.Config, fastDataset, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))) {
		if _, err := inst.Store.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2025, 11, 2, 9, 0, 0, 0, time.UTC)
	_, err := inst.Store.Apply(ctx, domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: xssRef, Actor: "anna",
		Observations: []domain.Observation{{Municipality: "0481", Indicator: "population", Year: reporttest.LastYear, Value: 34567,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: xssRef, FetchedAt: at}}}})
	if err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	return inst
}

func gunzipBody(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestComparePageAssembledIsWhole checks that the anonymous comparison
// page assembled from its view's shared pieces (gzip and plain) is byte
// for byte the page rendered whole, for members, outsiders, none and
// hostile names, over measures, given and default years, and groups; and
// that no markup from names or sources gets through unescaped.
func TestComparePageAssembledIsWhole(t *testing.T) {
	inst := hostileInstance(t)
	codes := reporttest.Codes(inst.Config, fastDataset)
	kommuner := []string{"", "1060", "0114", "0481", inst.Config.Network.Members[2].Code}
	for i := 3; i < len(codes); i += 41 {
		if !slices.Contains(kommuner, codes[i]) {
			kommuner = append(kommuner, codes[i])
		}
	}
	year := strconv.Itoa(reporttest.LastYear - 1)
	var urls []string
	for _, view := range []string{
		"indikator=population",
		"indikator=population&ar=" + year,
		"indikator=population&ar=" + year + "&matt=index&bas=" + strconv.Itoa(reporttest.LastYear-3),
		"indikator=population&matt=forandring&period=2",
		"indikator=" + inst.Config.Indicators[1].ID + "&ar=" + year + "&matt=per1000",
		"indikator=population&grupp=lan",
	} {
		for _, k := range kommuner {
			if k == "" && view == "indikator=population&grupp=lan" {
				continue // the county group needs a municipality
			}
			urls = append(urls, "/jamfor?"+view+"&kommun="+k)
		}
	}
	type answer struct {
		etag string
		body []byte
	}
	fast := map[string]answer{}
	assembled := 0
	for _, u := range urls {
		gz, gzBody := rawGet(t, inst.URL+u, "gzip, deflate, br")
		plain, plainBody := rawGet(t, inst.URL+u, "")
		if gz.StatusCode != http.StatusOK || gz.Header.Get("Content-Encoding") != "gzip" || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: status %d, encodings %q and %q", u, gz.StatusCode, gz.Header.Get("Content-Encoding"), plain.Header.Get("Content-Encoding"))
		}
		if got := gunzipBody(t, gzBody); !bytes.Equal(got, plainBody) {
			t.Fatalf("%s: the gzip page decompresses to %d bytes, the plain one has %d", u, len(got), len(plainBody))
		}
		if gz.Header.Get("ETag") == "" || gz.Header.Get("ETag") != plain.Header.Get("ETag") {
			t.Fatalf("%s: ETags %q and %q", u, gz.Header.Get("ETag"), plain.Header.Get("ETag"))
		}
		checkNoRawMarkup(t, u, string(plainBody))
		fast[u] = answer{plain.Header.Get("ETag"), plainBody}
		// An assembled page's ETag names its municipality; a page
		// the shared pieces do not fit is rendered whole.
		if strings.HasSuffix(plain.Header.Get("ETag"), "-"+u[strings.LastIndex(u, "=")+1:]+`"`) {
			assembled++
		}
	}
	t.Logf("%d of %d pages assembled from shared pieces", assembled, len(urls))
	if assembled < len(urls)*3/4 {
		t.Errorf("only %d of %d pages assembled", assembled, len(urls))
	}
	inst.Server.SetCompareWhole(true)
	defer inst.Server.SetCompareWhole(false)
	etags := map[string]string{}
	for _, u := range urls {
		resp, whole := rawGet(t, inst.URL+u, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: whole page status %d", u, resp.StatusCode)
		}
		if !bytes.Equal(fast[u].body, whole) {
			a, b := fast[u].body, whole
			i := 0
			for i < min(len(a), len(b)) && a[i] == b[i] {
				i++
			}
			t.Fatalf("%s: assembled page differs from the whole one at byte %d:\nassembled …%s…\nwhole     …%s…", u, i, a[max(i-80, 0):min(i+80, len(a))], b[max(i-80, 0):min(i+80, len(b))])
		}
		if other, ok := etags[fast[u].etag]; ok {
			t.Errorf("%s and %s share the ETag %s", u, other, fast[u].etag)
		}
		etags[fast[u].etag] = u
	}
}

// TestComparePageETag checks the assembled page's revalidation: 304 for
// its ETag, and a new ETag and the new figure after the data changed.
func TestComparePageETag(t *testing.T) {
	inst := hostileInstance(t)
	u := inst.URL + "/jamfor?indikator=population&ar=" + strconv.Itoa(reporttest.LastYear) + "&kommun=0114"
	resp, body := rawGet(t, u, "")
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("If-None-Match", etag)
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = again.Body.Close()
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match its own ETag: status %d", again.StatusCode)
	}
	if bytes.Contains(body, []byte(`data-value="98765"`)) {
		t.Fatal("the new figure is there before it was written")
	}
	_, err = inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchUpload, Source: domain.SourceUpload, Label: "ny", Actor: "anna",
		Observations: []domain.Observation{{Municipality: "0114", Indicator: "population", Year: reporttest.LastYear, Value: 98765,
			Source: domain.Source{Kind: domain.SourceUpload, Ref: "ny.xlsx", FetchedAt: time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)}}}})
	if err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("after a change of data: status %d, ETag %q (was %q)", resp.StatusCode, resp.Header.Get("ETag"), etag)
	}
	if !bytes.Contains(body, []byte(`data-value="98765"`)) {
		t.Error("the page does not show the new figure")
	}
}

// TestComparePageConcurrent asks for pages of a few views from many
// clients at once (run with -race): views are built once while other
// requests wait, shared pieces and pooled bodies are not mixed up, and
// every page equals the one asked for alone afterwards.
func TestComparePageConcurrent(t *testing.T) {
	inst := hostileInstance(t)
	codes := reporttest.Codes(inst.Config, fastDataset)
	var urls []string
	for i, c := range codes[:60] {
		urls = append(urls, "/jamfor?indikator=population&ar="+strconv.Itoa(reporttest.LastYear-i%3)+"&kommun="+c)
	}
	got := make([][]byte, len(urls))
	var wg sync.WaitGroup
	errs := make(chan string, len(urls))
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(urls); i += 6 {
				req, _ := http.NewRequest(http.MethodGet, inst.URL+urls[i], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				r, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					errs <- urls[i] + ": " + err.Error()
					continue
				}
				if got[i], err = io.ReadAll(r); err != nil {
					errs <- urls[i] + ": " + err.Error()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for i, u := range urls {
		if _, alone := rawGet(t, inst.URL+u, ""); !bytes.Equal(got[i], alone) {
			t.Errorf("%s: the page asked for among others differs from the page alone", u)
		}
	}
}
