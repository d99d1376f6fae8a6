package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/charts"
	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

//go:embed templates
var templatesFS embed.FS

// page is what the layout needs; Content is the page's own view.
type page struct {
	Title        string
	Nav          string
	Content      any
	HasCharts    bool
	User         *domain.User
	CSRF         string
	Network      string
	AssetVersion string
	// Notice is the startup collection's progress (see Deps.StartupNotice).
	Notice string
}

// pageSet is one parsed template per page, each with the layout.
type pageSet struct {
	byName map[string]*template.Template
}

// chartEmbed is a chart ready for the "chart" template.
type chartEmbed struct {
	ID, Kind, GeoURL, Label string
	Height                  int
	JSON                    template.JS
}

func embedChart(c *charts.Chart, err error) (*chartEmbed, error) {
	if err != nil {
		return nil, err
	}
	j, err := c.JSON()
	if err != nil {
		return nil, err
	}
	return &chartEmbed{ID: c.ID, Kind: c.Kind, GeoURL: c.GeoURL, Label: c.Label, Height: c.Height, JSON: j}, nil
}

var funcs = template.FuncMap{
	"options":     optionsHTML,
	"chartHTML":   chartHTML,
	"exportsHTML": exportsHTML,
	"num":         func(v *float64, decimals int, unit string) string { return report.FormatValue(v, decimals, unit) },
	"raw":         func(v float64, decimals int) string { return report.FormatNumber(v, decimals) },
	"change":      func(v *float64) string { return report.FormatChange(v) },
	// changeFor writes a change in the unit that fits the indicator (see
	// report.ChangeUnit).
	"changeFor": func(v *float64, ind domain.Indicator) string { return report.FormatChangeFor(v, ind) },
	// dv is a cell's exact value for scripts and tests (data-value);
	// empty when missing.
	"dv":         dataValue,
	"date":       report.FormatDate,
	"sourceNote": sourceNote,
	// yearMark writes a figure's year, "2025*" when its source publishes
	// it as preliminary; the page's source list carries the footnote.
	"yearMark": func(year int, src *domain.Source) string {
		if src != nil && src.Preliminary {
			return strconv.Itoa(year) + "*"
		}
		return strconv.Itoa(year)
	},
	"yearStar": func(year int, preliminary bool) string {
		if preliminary {
			return strconv.Itoa(year) + "*"
		}
		return strconv.Itoa(year)
	},
	"preliminaryNote": func() string { return domain.PreliminaryNote },
	"anyPreliminary": func(srcs []domain.Source) bool {
		for _, s := range srcs {
			if s.Preliminary {
				return true
			}
		}
		return false
	},
	"measureLabel": func(m derive.Measure) string { return m.Label() },
	"join":         strings.Join,
	"add":          func(a, b int) int { return a + b },
	"deref": func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	},
	"at":    at,
	"atInt": atInt,
	// overviewCells writes a row's cells on the overview
	// (page_overview_cells.go).
	"overviewCells": overviewCells,
}

// loadPages parses every page with the layout, the shared template
// functions and the server's own (extra).
func loadPages(extra template.FuncMap) (*pageSet, error) {
	layout, err := fs.ReadFile(templatesFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	entries, err := fs.ReadDir(templatesFS, "templates")
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	ps := &pageSet{byName: map[string]*template.Template{}}
	for _, e := range entries {
		if e.Name() == "layout.html" {
			continue
		}
		body, err := fs.ReadFile(templatesFS, "templates/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("server: templates: %w", err)
		}
		name := strings.TrimSuffix(e.Name(), ".html")
		t, err := template.New(name).Funcs(funcs).Funcs(extra).Parse(string(layout))
		if err == nil {
			t, err = t.Parse(string(body))
		}
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", e.Name(), err)
		}
		ps.byName[name] = t
	}
	return ps, nil
}

// renderBytes executes a page template into bytes, with the header of
// the request's user.
func (s *Server) renderBytes(c *fiber.Ctx, name string, p page) ([]byte, error) {
	// A script logged in by HTTP Basic has a user but no session (and
	// needs no CSRF token).
	if u, sess := s.currentUser(c); u != nil {
		p.User = u
		if sess != nil {
			p.CSRF = sess.CSRFToken
		}
	}
	return s.execute(name, p)
}

// execute renders a page for p.User (nil: anonymous).
func (s *Server) execute(name string, p page) ([]byte, error) {
	t, ok := s.pages.byName[name]
	if !ok {
		return nil, fmt.Errorf("server: no template %q", name)
	}
	p.Network = s.deps.Env.NetworkName
	p.AssetVersion = assetVersion
	p.Notice = s.startupNotice()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, fmt.Errorf("server: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// htmlPage renders a page for serveCached.
func (s *Server) htmlPage(c *fiber.Ctx, name string, p page) (response, error) {
	b, err := s.renderBytes(c, name, p)
	if err != nil {
		return response{}, err
	}
	return response{body: b, ctype: fiber.MIMETextHTMLCharsetUTF8}, nil
}

// breakYears are the years where an indicator's series breaks, marked on
// its line charts.
func breakYears(ind domain.Indicator) []int {
	out := make([]int, len(ind.Breaks))
	for i, b := range ind.Breaks {
		out[i] = b.Year
	}
	return out
}

// render writes a page.
func (s *Server) render(c *fiber.Ctx, name string, p page) error {
	b, err := s.renderBytes(c, name, p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(b)
}

// startupNotice is the first collection's progress, "" when none.
func (s *Server) startupNotice() string {
	if s.deps.StartupNotice == nil {
		return ""
	}
	return s.deps.StartupNotice()
}
