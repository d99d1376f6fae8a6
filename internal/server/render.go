package server

import (
	"bytes"
	"embed"
	"fmt"
	"html"
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
	"options": optionsHTML,
	"num":     func(v *float64, decimals int, unit string) string { return report.FormatValue(v, decimals, unit) },
	"raw":     func(v float64, decimals int) string { return report.FormatNumber(v, decimals) },
	"change":  func(v *float64) string { return report.FormatChange(v) },
	// dv is a cell's exact value for scripts and tests (data-value);
	// empty when missing.
	"dv": func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	},
	"date": report.FormatDate,
	"sourceText": func(s domain.Source) string {
		return describeSource(s) + ", hämtad " + report.FormatDate(s.FetchedAt)
	},
	"sourceShort":  func(s *domain.Source) string { return shortSource(s) },
	"measureLabel": func(m derive.Measure) string { return m.Label() },
	"join":         strings.Join,
	"add":          func(a, b int) int { return a + b },
	"deref": func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	},
	"at": func(vs []*float64, i int) *float64 {
		if i < 0 || i >= len(vs) {
			return nil
		}
		return vs[i]
	},
	"atInt": func(vs []int, i int) int {
		if i < 0 || i >= len(vs) {
			return 0
		}
		return vs[i]
	},
}

func shortSource(s *domain.Source) string {
	if s == nil {
		return "–"
	}
	return describeSource(*s) + " (" + report.FormatDate(s.FetchedAt) + ")"
}

// describeSource names a source for readers; bundled sources get their
// publisher via the registered describer.
func describeSource(s domain.Source) string {
	if sourceDescriber != nil {
		if d := sourceDescriber(s); d != "" {
			return d
		}
	}
	switch s.Kind {
	case domain.SourceKolada:
		return "Källa: Kolada, nyckeltal " + s.Ref
	case domain.SourceSCB:
		return "SCB, tabell " + s.Ref
	case domain.SourceUpload:
		if s.BatchID != 0 {
			return fmt.Sprintf("Uppladdad fil %s (import %d)", s.Ref, s.BatchID)
		}
		return "Uppladdad fil " + s.Ref
	}
	return s.String()
}

// sourceDescriber is set once at start (SetSourceDescriber) and read-only
// afterwards.
var sourceDescriber func(domain.Source) string

// SetSourceDescriber registers a function naming bundled sources. Call it
// before serving.
func SetSourceDescriber(f func(domain.Source) string) { sourceDescriber = f }

func loadPages() (*pageSet, error) {
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
		t, err := template.New(name).Funcs(funcs).Parse(string(layout))
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

// renderBytes executes a page template into bytes.
func (s *Server) renderBytes(c *fiber.Ctx, name string, p page) ([]byte, error) {
	t, ok := s.pages.byName[name]
	if !ok {
		return nil, fmt.Errorf("server: no template %q", name)
	}
	p.Network = s.deps.Env.NetworkName
	p.AssetVersion = assetVersion
	// A script logged in by HTTP Basic has a user but no session (and
	// needs no CSRF token).
	if u, sess := s.currentUser(c); u != nil {
		p.User = u
		if sess != nil {
			p.CSRF = sess.CSRFToken
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, fmt.Errorf("server: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
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

// optionsHTML writes a select's options. The municipality list has 290
// entries on several pages: escaping them by hand is many times cheaper
// than html/template's reflective escaping per field, and equally safe
// (every value and label goes through html.EscapeString).
func optionsHTML(opts []option) template.HTML {
	var b strings.Builder
	b.Grow(len(opts) * 48)
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(o.Value))
		b.WriteByte('"')
		if o.Selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(html.EscapeString(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}
