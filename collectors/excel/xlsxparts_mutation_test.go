package excel

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// partsOf is an archive holding one part, indexed as the reader does.
func partsOf(t *testing.T, name, data string) xlsxParts {
	t.Helper()
	z := buildZip(t, zipPart{name: name, data: []byte(data)})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	return indexParts(zr)
}

// stylesXML is a styles part with numFmts custom formats (ids from 164, as
// Excel numbers them; the first is a percent) and xfs cell formats.
func stylesXML(numFmts, xfs int, code string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>`)
	for i := range numFmts {
		c := "0.0"
		if i == 0 {
			c = code
		}
		fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, 164+i, c)
	}
	b.WriteString(`</numFmts><cellXfs>`)
	for i := range xfs {
		id := 0
		if i == 1 {
			id = 164
		}
		fmt.Fprintf(&b, `<xf numFmtId="%d"/>`, id)
	}
	b.WriteString(`</cellXfs></styleSheet>`)
	return b.String()
}

// The styles part is read up to its limits, each at exactly its value,
// and the newer formatCode16 wins only when it says something
// (docs/testing.md, mutation testing, fifth run).
func TestStylesPartLimits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name         string
		styles       string
		tooMany, bad bool
	}{
		{"numFmts at the limit", stylesXML(maxNumFmts, 2, "0%"), false, false},
		{"one numFmt more", stylesXML(maxNumFmts+1, 2, "0%"), true, false},
		{"cellXfs at the limit", stylesXML(1, maxCellXfs, "0%"), false, false},
		{"one xf more", stylesXML(1, maxCellXfs+1, "0%"), true, false},
		{"a format code of the longest size", stylesXML(1, 2, "0"+strings.Repeat("0", maxNumFmtCodeSize-2)+"%"), false, false},
		{"one byte longer", stylesXML(1, 2, "0"+strings.Repeat("0", maxNumFmtCodeSize-1)+"%"), false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			classes, err := percentStyles(partsOf(t, stylesPart, tt.styles))
			switch {
			case tt.tooMany:
				if !errors.Is(err, errTooManyStyles) {
					t.Errorf("err = %v, want too many styles", err)
				}
			case tt.bad:
				if err == nil || !strings.Contains(err.Error(), "format code of") {
					t.Errorf("err = %v, want the format code refused", err)
				}
			default:
				if err != nil || len(classes) < 2 || classes[1] != pctAll {
					t.Errorf("classes %v, %v; want xf 1 a percent", classes[:min(len(classes), 2)], err)
				}
			}
		})
	}
	for _, tt := range []struct {
		attrs string
		want  pctClass
	}{
		{`formatCode="0" formatCode16="0%"`, pctAll},
		{`formatCode="0%" formatCode16=""`, pctAll},
		{`formatCode="0%" formatCode16="0"`, pctNone},
	} {
		styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts><numFmt numFmtId="164" ` + tt.attrs +
			`/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`
		classes, err := percentStyles(partsOf(t, stylesPart, styles))
		got := pctNone
		if len(classes) == 2 {
			got = classes[1]
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: class %v, %v; want %v", tt.attrs, got, err, tt.want)
		}
	}
}

// A relationships part may list exactly maxRelationships entries
// (docs/testing.md, mutation testing, fifth run).
func TestRelationshipsAtTheLimit(t *testing.T) {
	t.Parallel() // 100,000 relationships take a second to write and read
	rels := func(n int) string {
		var b strings.Builder
		b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
		b.WriteString(`<Relationship Id="rId0" Type="t" Target="first.xml"/>`)
		b.WriteString(strings.Repeat(`<Relationship Id="r" Type="t" Target="x"/>`, n-1))
		b.WriteString(`</Relationships>`)
		return b.String()
	}
	const name = "xl/_rels/workbook.xml.rels"
	if got, err := readRels(partsOf(t, name, rels(maxRelationships)), name); err != nil || len(got) != maxRelationships || got[0].target != "first.xml" {
		t.Errorf("at the limit: %d relationships, %v", len(got), err)
	}
	if _, err := readRels(partsOf(t, name, rels(maxRelationships+1)), name); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("one more: %v, want refused", err)
	}
}
