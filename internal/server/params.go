package server

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// Query parameters are Swedish, as in the URLs people share.
const (
	pIndicator = "indikator"
	pYear      = "ar"
	pKommun    = "kommun"
	pMeasure   = "matt"
	pBase      = "bas"
	pPeriod    = "period"
	pFormat    = "format"
	pSort      = "sortera"
	pOrder     = "ordning"
	pGroup     = "grupp"
	pTheme     = "tema"
	pGender    = "kon"
	pHighlight = "markera"
)

// query copies a parameter: Fiber reuses the request buffers after the
// handler returns, and views are cached.
func query(c *fiber.Ctx, name string) string {
	return strings.Clone(strings.TrimSpace(c.Query(name)))
}

func intParam(c *fiber.Ctx, name string, lo, hi int) (int, error) {
	v := query(c, name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "%s måste vara ett heltal mellan %d och %d", name, lo, hi)
	}
	return n, nil
}

func yearParam(c *fiber.Ctx, name string) (int, error) { return intParam(c, name, 1900, 2100) }

func measureParam(c *fiber.Ctx) (derive.Measure, error) {
	m, err := derive.ParseMeasure(query(c, pMeasure))
	if err != nil {
		return m, badParam(pMeasure, "okänt mått %q; välj absolut, per1000, andel, forandring eller index", truncate(query(c, pMeasure), 40))
	}
	return m, nil
}

// themeParam is a theme id from the catalogue, or "" for all themes.
func (s *Server) themeParam(c *fiber.Ctx) (string, error) {
	t := query(c, pTheme)
	if t == "" || t == "alla" {
		return "", nil
	}
	if _, ok := s.deps.Env.Catalogue.Theme(t); !ok {
		return "", badParam(pTheme, "okänt tema %q", truncate(t, 40))
	}
	return t, nil
}

// indicatorParam is the stored indicator a page shows: the indikator
// parameter (or def) and, for an indicator with gender splits, the split
// the kon parameter asks for (K or M; T or nothing is the total).
func (s *Server) indicatorParam(c *fiber.Ctx, def string) (string, error) {
	id := query(c, pIndicator)
	if id == "" {
		id = def
	}
	g := strings.ToUpper(query(c, pGender))
	if g == "" || g == domain.GenderTotal {
		return id, nil
	}
	if g != domain.GenderWomen && g != domain.GenderMen {
		return "", badParam(pGender, "kön måste vara T, K eller M")
	}
	v, ok := s.deps.Env.Catalogue.Variant(id, g)
	if !ok {
		if _, known := s.deps.Env.Catalogue.Get(id); known {
			return "", badParam(pGender, "indikatorn %q finns inte uppdelad på kön", truncate(id, 40))
		}
		return id, nil // the view answers "finns inte" for an unknown id
	}
	return v.ID, nil
}

// formatParam is "", "xlsx" or "csv".
func formatParam(c *fiber.Ctx) (string, error) {
	switch f := query(c, pFormat); f {
	case "", "html", "xlsx", "csv":
		if f == "html" {
			return "", nil
		}
		return f, nil
	default:
		return "", badParam(pFormat, "format måste vara xlsx eller csv")
	}
}

// viewParams are the query parameters of the chart pages (Jämför, Trend,
// Karta), read and checked in one place so that the pages agree on names,
// ranges and messages, and build their permalinks the same way.
type viewParams struct {
	Format    string // "", "xlsx" or "csv"
	Indicator string // the catalogue's first when not given; a gender split's id with kon
	Kommun    string // as given; Trend reads it as a comma-separated list (repeated kommun= joined)
	Year      int    // yearly pages only; 0: the view's latest
	Measure   derive.Measure
	Base      int    // index base year; 0: the view's first
	Period    int    // yearly pages only; years for the change measure
	Group     string // the grupp parameter as given; "" is the network
	Highlight string // Trend: the municipality drawn emphasised; "" is the first
}

// parseView reads the chart pages' parameters. Yearly pages (Jämför,
// Karta) also read the year and the change period; Trend has neither.
func (s *Server) parseView(c *fiber.Ctx, yearly bool) (viewParams, error) {
	var p viewParams
	var err error
	if p.Format, err = formatParam(c); err != nil {
		return p, err
	}
	p.Kommun, p.Group = query(c, pKommun), groupKey(c)
	if !yearly {
		// Trend's checkboxes send kommun once per municipality; the
		// permalink writes them as one comma-separated list.
		var all []string
		for _, v := range c.Context().QueryArgs().PeekMulti(pKommun) {
			if v := strings.TrimSpace(string(v)); v != "" {
				all = append(all, v)
			}
		}
		p.Kommun = strings.Join(all, ",")
		p.Highlight = query(c, pHighlight)
	}
	if p.Indicator, err = s.indicatorParam(c, s.defaultIndicator()); err != nil {
		return p, err
	}
	if yearly {
		if p.Year, err = yearParam(c, pYear); err != nil {
			return p, err
		}
	}
	if p.Measure, err = measureParam(c); err != nil {
		return p, err
	}
	if p.Base, err = yearParam(c, pBase); err != nil {
		return p, err
	}
	if yearly {
		if p.Period, err = intParam(c, pPeriod, 1, 50); err != nil {
			return p, err
		}
	}
	return p, nil
}

// codes splits Kommun as a list (Trend).
func (p viewParams) codes() []string {
	var out []string
	for _, code := range strings.Split(p.Kommun, ",") {
		if code = strings.TrimSpace(code); code != "" {
			out = append(out, code)
		}
	}
	return out
}

// links are the permalink and downloads for the parameters a view settled
// on (defaults filled in): the base year only for the index, the period
// only for change, so that equal views share one URL.
// A gender split's stored id ("unemployment:K") is written as indikator
// and kon.
func (p viewParams) links(path string) links {
	id, gender, _ := strings.Cut(p.Indicator, ":")
	kv := []string{pIndicator, id, pGender, gender, pYear, strconv.Itoa(p.Year), pKommun, p.Kommun, pMeasure, string(p.Measure)}
	if p.Measure == derive.MeasureIndex {
		kv = append(kv, pBase, strconv.Itoa(p.Base))
	}
	if p.Measure == derive.MeasureChange {
		kv = append(kv, pPeriod, strconv.Itoa(p.Period))
	}
	if p.Group != "" && p.Group != report.GroupNetwork {
		kv = append(kv, pGroup, p.Group)
	}
	if p.Highlight != "" {
		kv = append(kv, pHighlight, p.Highlight)
	}
	return linksFor(path, kv...)
}

func (s *Server) defaultIndicator() string {
	if all := s.deps.Env.Catalogue.All(); len(all) > 0 {
		return all[0].ID
	}
	return ""
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// link builds a URL with the given parameters in a fixed order, leaving
// out empty ones, so permalinks are canonical.
func link(path string, kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" && kv[i+1] != "0" {
			parts = append(parts, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
		}
	}
	if len(parts) == 0 {
		return path
	}
	return path + "?" + strings.Join(parts, "&")
}

// links are a view's permalink and downloads.
type links struct {
	Permalink, XLSX, CSV string
}

func linksFor(path string, kv ...string) links {
	p := link(path, kv...)
	sep := "?"
	if strings.Contains(p, "?") {
		sep = "&"
	}
	return links{Permalink: p, XLSX: p + sep + "format=xlsx", CSV: p + sep + "format=csv"}
}

// groupKey reads the grupp parameter; the report resolves it (and says
// in Swedish what is wrong with an unknown one).
func groupKey(c *fiber.Ctx) string { return truncate(query(c, pGroup), 80) }
