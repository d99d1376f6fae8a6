package server

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
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

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
