package excel

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The reader reads a few parts of an .xlsx itself, because excelize's
// streaming row iterator gives cell values but not the cell formats that
// say a value is shown as a percentage. Paths are resolved the way excelize
// resolves them, so both read the same part.

const (
	stylesPart         = "xl/styles.xml" // excelize reads styles from this fixed path
	packageRelsPart    = "_rels/.rels"
	relOfficeDocument  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relOfficeDocStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

	// Excel allows 64,000 cell formats and a few hundred number formats per
	// workbook; more is not a file Excel wrote.
	maxCellXfs        = 100_000
	maxNumFmts        = 10_000
	maxRelationships  = 100_000
	maxNumFmtCodeSize = 1 << 10
)

var errTooManyStyles = errors.New("too many styles")

// xlsxParts indexes a workbook's zip entries by the names excelize gives
// them: backslashes as slashes, a repeated name meaning its last entry.
type xlsxParts map[string]*zip.File

func indexParts(zr *zip.Reader) xlsxParts {
	parts := make(xlsxParts, len(zr.File))
	for _, zf := range zr.File {
		parts[strings.ReplaceAll(zf.Name, "\\", "/")] = zf
	}
	return parts
}

// decoder opens a part for streaming XML; ok is false when it is absent.
func (p xlsxParts) decoder(name string) (dec *xml.Decoder, closer io.Closer, ok bool, err error) {
	zf, ok := p[name]
	if !ok || zf.FileInfo().IsDir() {
		return nil, nil, false, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, nil, true, fmt.Errorf("part %q: %w", name, err)
	}
	return xml.NewDecoder(rc), rc, true, nil
}

// percentStyles reads xl/styles.xml and classifies every cell format
// (cellXfs entry, the index a cell's "s" attribute names). It returns nil
// when no format scales, which is the common case: then no sheet needs its
// formats read.
func percentStyles(parts xlsxParts) ([]pctClass, error) {
	dec, closer, ok, err := parts.decoder(stylesPart)
	if err != nil || !ok {
		return nil, err
	}
	defer func() { _ = closer.Close() }()
	custom := map[int]string{}
	var xfFmt []int
	// stack holds the names of the open elements down to depth 3: the root,
	// numFmts or cellXfs, and numFmt or xf.
	var stack [3]string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", stylesPart, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth < len(stack) {
				stack[depth] = t.Name.Local
			}
			depth++
			if depth != 3 {
				continue
			}
			switch {
			case stack[1] == "numFmts" && stack[2] == "numFmt":
				id, code, err := numFmtAttrs(t.Attr)
				if err != nil {
					return nil, err
				}
				if len(custom) >= maxNumFmts {
					return nil, errTooManyStyles
				}
				if _, dup := custom[id]; !dup { // excelize uses the first
					custom[id] = code
				}
			case stack[1] == "cellXfs" && stack[2] == "xf":
				id := 0
				if v, ok := attr(t.Attr, "numFmtId"); ok {
					if id, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
						return nil, fmt.Errorf("%s: xf numFmtId %q: %w", stylesPart, short(v), err)
					}
				}
				if len(xfFmt) >= maxCellXfs {
					return nil, errTooManyStyles
				}
				xfFmt = append(xfFmt, id)
			}
		case xml.EndElement:
			depth--
		}
	}
	var classes []pctClass
	for i, id := range xfFmt {
		c := classifyNumFmtID(id, custom)
		if c == pctNone {
			continue
		}
		if classes == nil {
			classes = make([]pctClass, len(xfFmt))
		}
		classes[i] = c
	}
	return classes, nil
}

// numFmtAttrs reads a numFmt; the newer formatCode16 wins, as in excelize.
func numFmtAttrs(attrs []xml.Attr) (int, string, error) {
	v, _ := attr(attrs, "numFmtId")
	id, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, "", fmt.Errorf("%s: numFmtId %q: %w", stylesPart, short(v), err)
	}
	code, _ := attr(attrs, "formatCode")
	if c16, ok := attr(attrs, "formatCode16"); ok && c16 != "" {
		code = c16
	}
	if len(code) > maxNumFmtCodeSize {
		return 0, "", fmt.Errorf("%s: numFmt %d: format code of %d bytes", stylesPart, id, len(code))
	}
	return id, code, nil
}

func attr(attrs []xml.Attr, local string) (string, bool) {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

type relationship struct {
	id, typ, target string
}

// readRels lists a relationships part; nil when the part is absent.
func readRels(parts xlsxParts, name string) ([]relationship, error) {
	dec, closer, ok, err := parts.decoder(name)
	if err != nil || !ok {
		return nil, err
	}
	defer func() { _ = closer.Close() }()
	var rels []relationship
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "Relationship" {
			if len(rels) >= maxRelationships {
				return nil, fmt.Errorf("%s: more than %d relationships", name, maxRelationships)
			}
			var r relationship
			r.id, _ = attr(t.Attr, "Id")
			r.typ, _ = attr(t.Attr, "Type")
			r.target, _ = attr(t.Attr, "Target")
			rels = append(rels, r)
		}
	}
}

// worksheetPaths maps sheet names to their worksheet parts, following
// excelize: the package relationships name the workbook, the workbook's
// relationships name each sheet's part, and only parts present count.
func worksheetPaths(f *excelize.File, parts xlsxParts) (map[string]string, error) {
	pkgRels, err := readRels(parts, packageRelsPart)
	if err != nil {
		return nil, err
	}
	wbPath := ""
	for _, r := range pkgRels {
		if r.typ == relOfficeDocument || r.typ == relOfficeDocStrict {
			wbPath = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	relsPath := strings.TrimPrefix(path.Dir(wbPath)+"/_rels/"+path.Base(wbPath)+".rels", "/")
	if path.Dir(wbPath) == "." {
		relsPath = "_rels/" + path.Base(wbPath) + ".rels"
	}
	wbRels, err := readRels(parts, relsPath)
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	if f.WorkBook == nil {
		return paths, nil
	}
	for _, s := range f.WorkBook.Sheets.Sheet {
		for _, r := range wbRels {
			if r.id != s.ID {
				continue
			}
			p := worksheetPath(wbPath, r.target)
			if zf, ok := parts[p]; ok && !zf.FileInfo().IsDir() {
				paths[s.Name] = p
			}
		}
	}
	return paths, nil
}

// worksheetPath resolves a relationship target against the workbook's
// folder, as excelize does.
func worksheetPath(wbPath, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(strings.ReplaceAll(path.Clean(target), "\\", "/"), "/")
	}
	return strings.TrimPrefix(strings.ReplaceAll(path.Clean(path.Dir(wbPath)+"/"+target), "\\", "/"), "/")
}

// sheetPath finds a sheet's part: by its exact name, else (as excelize)
// ignoring case.
func sheetPath(paths map[string]string, name string) (string, bool) {
	if p, ok := paths[name]; ok {
		return p, true
	}
	for n, p := range paths {
		if strings.EqualFold(n, name) {
			return p, true
		}
	}
	return "", false
}
