package server

import (
	"fmt"
	"html/template"
	"strconv"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/report"
)

// How pages, exports and the API name a figure's source.

// sourceNote is a figure's footnote number in the page's list of sources
// (1-based; 0 when it is not listed). Narrow screens show the number in
// place of the long source text.
func sourceNote(list []domain.Source, s *domain.Source) int {
	if s == nil {
		return 0
	}
	for i, l := range list {
		if l.Kind == s.Kind && l.Ref == s.Ref && l.BatchID == s.BatchID && l.FetchedAt.Equal(s.FetchedAt) {
			return i + 1
		}
	}
	return 0
}

// sourceFuncs are the template functions that name sources; they use the
// server's describer, so each server has its own (so does yearRows, which
// names each figure's source).
func (s *Server) sourceFuncs() template.FuncMap {
	return template.FuncMap{
		"sourceText": func(src domain.Source) string {
			return s.describeSource(src) + ", hämtad " + report.FormatDate(src.FetchedAt)
		},
		"sourceShort": s.shortSource,
		"sourcesHTML": func(srcs []domain.Source) template.HTML {
			var w plainWriter
			s.writeSources(&w, srcs)
			return w.html()
		},
		// yearRows writes a profile indicator's table body (page_profile_rows.go).
		"yearRows": s.profileYearRows,
	}
}

// writeSources writes a page's numbered source list (the "sources"
// template): rows and figures point to its items by number.
func (s *Server) writeSources(w pageWriter, srcs []domain.Source) {
	w.WriteString("<section class=\"sources\" aria-label=\"Källor\">\n")
	for _, src := range srcs {
		if src.Preliminary {
			w.WriteString(`<p class="footnote" id="preliminar">* `)
			writeEscaped(w, domain.PreliminaryNote)
			w.WriteString(": källan har publicerat siffran som preliminär; den slutliga ersätter den när den kommer.</p>")
			break
		}
	}
	w.WriteString("\n<strong>Källor:</strong>\n<ol>")
	for i, src := range srcs {
		w.WriteString(`<li id="kalla-`)
		w.WriteString(strconv.Itoa(i + 1))
		w.WriteString(`">`)
		writeEscaped(w, s.describeSource(src)+", hämtad "+report.FormatDate(src.FetchedAt))
		w.WriteString("</li>")
	}
	if len(srcs) == 0 {
		w.WriteString("<li>Inga siffror att visa.</li>")
	}
	w.WriteString("</ol>\n</section>")
}

// shortSource names a source and its fetch date in one cell; "–" for none.
func (s *Server) shortSource(src *domain.Source) string {
	if src == nil {
		return "–"
	}
	return s.describeSource(*src) + " (" + report.FormatDate(src.FetchedAt) + ")"
}

// describeSource names a source for readers; bundled sources get their
// publisher from Deps.DescribeSource.
// A preliminary figure's source says so, wherever it is named: pages,
// exports and the API.
func (s *Server) describeSource(src domain.Source) string {
	d := genericSource(src)
	if s.deps.DescribeSource != nil {
		if x := s.deps.DescribeSource(src); x != "" {
			d = x
		}
	}
	if src.Preliminary {
		d += " (" + domain.PreliminaryNote + ")"
	}
	return d
}

// genericSource names a source by its kind and reference.
func genericSource(s domain.Source) string {
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
