package kolada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// minGroups is the fewest groups a full answer may have: Kolada has
// thousands (3,630 in March 2026), among them a "Liknande kommuner" group
// for each of the 290 municipalities. Fewer means a cut-off or wrong
// answer, which must not replace the groups in use.
const minGroups = 290

type rawGroupPage struct {
	Values   *[]rawGroup `json:"values"`
	NextURL  *string     `json:"next_url"`
	NextPage *string     `json:"next_page"`
}

type rawGroup struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Members []struct {
		ID    string `json:"member_id"`
		Title string `json:"member_title"`
	} `json:"members"`
}

// ParseGroupPage parses one page of /v3/municipality_groups: a values
// list of {id, title, members: [{member_id, member_title}]} and the next
// page's URL. Anything without a values list, or a group without an id,
// is ErrFormat.
func ParseGroupPage(b []byte) ([]domain.MunicipalityGroup, string, error) {
	var raw rawGroupPage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if raw.Values == nil {
		return nil, "", fmt.Errorf("%w: no values list", ErrFormat)
	}
	out := make([]domain.MunicipalityGroup, 0, len(*raw.Values))
	for i, g := range *raw.Values {
		if strings.TrimSpace(g.ID) == "" {
			return nil, "", fmt.Errorf("%w: group %d has no id", ErrFormat, i)
		}
		mg := domain.MunicipalityGroup{ID: strings.TrimSpace(g.ID), Title: strings.TrimSpace(g.Title)}
		for _, m := range g.Members {
			if id := strings.TrimSpace(m.ID); id != "" {
				mg.Members = append(mg.Members, id)
			}
		}
		out = append(out, mg)
	}
	next := ""
	switch {
	case raw.NextURL != nil:
		next = strings.TrimSpace(*raw.NextURL)
	case raw.NextPage != nil:
		next = strings.TrimSpace(*raw.NextPage)
	}
	return out, next, nil
}

// Groups fetches every municipality group from /v3/municipality_groups,
// following next_url within the configured host. It is all or nothing: an
// error, or fewer groups than a full list has, returns none, so the
// groups in use are never replaced by half a list.
func (c *Collector) Groups(ctx context.Context) (domain.GroupSnapshot, error) {
	if c.baseErr != nil {
		return domain.GroupSnapshot{}, domain.Errorf(domain.CodeInvalid, "Kolada-konfigurationen är felaktig.", fmt.Errorf("kolada: %w", c.baseErr))
	}
	maxPages := c.cfg.MaxPages
	if maxPages <= 0 {
		maxPages = 1000
	}
	var all []domain.MunicipalityGroup
	seen := map[string]bool{}
	next := c.base.JoinPath("municipality_groups").String()
	var n int
	for pages := 0; next != ""; pages++ {
		if seen[next] || pages >= maxPages {
			return domain.GroupSnapshot{}, groupsFail(fmt.Errorf("%w: page chain loops or exceeds %d pages at %s", ErrFormat, maxPages, next))
		}
		seen[next] = true
		b, err := c.http.Do(ctx, httpx.Request{URL: next, Header: http.Header{"Accept": {"application/json"}}}, &n)
		if err != nil {
			return domain.GroupSnapshot{}, groupsFail(fmt.Errorf("page %d: %w", pages+1, err))
		}
		gs, link, err := ParseGroupPage(b)
		if err != nil {
			return domain.GroupSnapshot{}, groupsFail(fmt.Errorf("page %d: %w", pages+1, err))
		}
		all = append(all, gs...)
		if next, err = c.resolveNext(next, link); err != nil {
			return domain.GroupSnapshot{}, groupsFail(fmt.Errorf("page %d: %w", pages+1, err))
		}
	}
	if len(all) < minGroups {
		return domain.GroupSnapshot{}, groupsFail(fmt.Errorf("%w: only %d groups, a full list has thousands", ErrFormat, len(all)))
	}
	return domain.GroupSnapshot{Groups: all, Source: "Kolada /v3/municipality_groups", FetchedAt: c.clock.Now().UTC()}, nil
}

func groupsFail(err error) error {
	return domain.Errorf(domain.CodeUnavailable, "Koladas kommungrupper kunde inte hämtas; de tidigare används.", fmt.Errorf("kolada: municipality groups: %w", err))
}
