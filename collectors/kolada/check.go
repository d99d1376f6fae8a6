package kolada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/config"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Check asks Kolada's catalogue (/v3/kpi/{ids}) whether every configured
// KPI exists and what it is called; no data is fetched. Kolada's catalogue
// does not list a KPI's years, so they are not checked here.
func (c *Collector) Check(ctx context.Context) (domain.ConfigCheck, error) {
	out := domain.ConfigCheck{Source: c.Name()}
	if err := c.cfg.Validate(); err != nil {
		return out, domain.Errorf(domain.CodeInvalid, "Kolada-konfigurationen är felaktig.", err)
	}
	if c.baseErr != nil {
		return out, domain.Errorf(domain.CodeInvalid, "Kolada-konfigurationen är felaktig.", fmt.Errorf("kolada: %w", c.baseErr))
	}
	titles := map[string]string{}
	var failed error
	ids := make([]string, 0, len(c.cfg.KPIs))
	for _, k := range c.cfg.KPIs {
		ids = append(ids, k.ID)
	}
	n := 0
	for start := 0; start < len(ids) && failed == nil; start += MaxListItems {
		chunk := ids[start:min(start+MaxListItems, len(ids))]
		u := c.base.JoinPath("kpi", strings.Join(chunk, ","))
		b, err := c.http.Do(ctx, httpx.Request{URL: u.String(), Header: http.Header{"Accept": {"application/json"}}}, &n)
		if err != nil {
			failed = err
			break
		}
		var page struct {
			Values []struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"values"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			failed = fmt.Errorf("%w: catalogue: %v", ErrFormat, err)
			break
		}
		for _, v := range page.Values {
			titles[strings.ToUpper(v.ID)] = v.Title
		}
	}
	for _, k := range c.cfg.KPIs {
		l := domain.CheckLine{Subject: "nyckeltal", Want: k.ID}
		title, ok := titles[strings.ToUpper(k.ID)]
		switch {
		case failed != nil:
			l.Found = "katalogen kunde inte läsas: " + failed.Error()
		case !ok:
			l.Found = "finns inte i Koladas katalog"
		default:
			l.Found, l.OK = title, true
		}
		out.Items = append(out.Items, domain.CheckItem{Ref: k.ID, Indicator: k.Indicator, Lines: []domain.CheckLine{l,
			{Subject: "år", Want: yearsWanted(k), Found: "kontrolleras inte (katalogen anger inga år)", OK: true}}})
	}
	return out, nil
}

func yearsWanted(k config.KoladaKPI) string {
	from := k.From
	if from == 0 {
		from = DefaultFrom
	}
	if k.To != 0 {
		return fmt.Sprintf("%d–%d", from, k.To)
	}
	return fmt.Sprintf("%d–", from)
}
