package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/export"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// yearView is a page view of the members for one year that exports the
// tables it shows (Statlig närvaro, Kandidater).
type yearView interface {
	ViewYear() int
	ExportTables(describe report.Describer) []export.Table
}

// serveYearPage is the one handler of the one-year pages: the year from
// `ar` (latest with figures when absent), the view built from the data, and
// the page or, with `format`, exactly its tables as a download named
// slug-YEAR. One place, so both pages cache, export and refuse alike.
func serveYearPage[V yearView](s *Server, c *fiber.Ctx, slug string,
	build func(context.Context, *report.Env, *report.Data, int) (V, error),
	html func(*fiber.Ctx, V) (response, error)) error {
	format, err := formatParam(c)
	if err != nil {
		return err
	}
	year, err := yearParam(c, pYear)
	if err != nil {
		return err
	}
	return s.serveCached(c, func() (response, error) {
		v, err := build(c.UserContext(), s.deps.Env, s.deps.Data, year)
		if err != nil {
			return response{}, err
		}
		if format != "" {
			return download(v.ExportTables(s.describeSource), format, fileName(slug, strconv.Itoa(v.ViewYear())))
		}
		return html(c, v)
	})
}

// yearTitle is a one-year page's title: with the year when there is one,
// never "0" when no year has figures yet.
func yearTitle(name string, year int) string {
	if year == 0 {
		return name
	}
	return name + " " + strconv.Itoa(year)
}
