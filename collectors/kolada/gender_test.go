package kolada

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// One row carries T, K and M: the total fills the indicator and each
// configured split its own variant; a split Kolada leaves null gives
// nothing. The page is constructed (no real Kolada answer is recorded).
func TestCollectStoresGenderSplits(t *testing.T) {
	const doc = `{"count":2,"values":[
{"kpi":"N03937","municipality":"1060","period":2024,"values":[{"gender":"K","value":4.4,"status":"","count":1},{"gender":"M","value":5.8,"status":"","count":1},{"gender":"T","value":5.1,"status":"","count":1}]},
{"kpi":"N03937","municipality":"0481","period":2024,"values":[{"gender":"K","value":null,"status":"Missing","count":0},{"gender":"T","value":6.2,"status":"","count":1}]}
],"next_url":null}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/data/kpi/N03937/year/2024" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(doc))
	}))
	defer srv.Close()
	spec := config.KoladaKPI{ID: "N03937", Indicator: "unemployment", From: 2024, Genders: []string{"K", "M"}}
	c := New(config.Kolada{URL: srv.URL + "/v3", KPIs: []config.KoladaKPI{spec}, MaxAttempts: 1}, regions(t),
		WithHTTPClient(srv.Client()), WithClock(clocktest.NewFakeClock(t0)), WithLogger(slog.New(slog.DiscardHandler)))
	col, err := c.Collect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range col.Observations() {
		got = append(got, fmt.Sprintf("%s %s %d %g", o.Municipality, o.Indicator, o.Year, o.Value))
	}
	want := []string{"1060 unemployment 2024 5.1", "1060 unemployment:K 2024 4.4", "1060 unemployment:M 2024 5.8", "0481 unemployment 2024 6.2"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for _, o := range col.Observations() {
		if o.Source != (domain.Source{Kind: domain.SourceKolada, Ref: "N03937", FetchedAt: t0}) {
			t.Errorf("source %+v", o.Source)
		}
	}
}
