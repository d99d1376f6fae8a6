package kolada

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrFormat marks an answer that is not a Kolada data page.
var ErrFormat = errors.New("not a Kolada data page")

// Page is one page of a Kolada data answer.
type Page struct {
	Values []Row
	// Next is the URL of the next page, "" on the last one. Kolada has
	// called it next_page (v2) and next_url (v3); both are read.
	Next string
}

// Row is one KPI, region and year, with a value per gender.
type Row struct {
	KPI          string
	Municipality string // Kolada's id: "0000" riket, "00NN" a region (län), four digits a kommun
	Period       int
	Values       []Value
}

// Value is the figure for one gender; Value is nil when Kolada has none.
type Value struct {
	Gender string
	Value  *float64
	Status string
	Count  int
}

type rawPage struct {
	Values   *[]rawRow `json:"values"`
	NextURL  *string   `json:"next_url"`
	NextPage *string   `json:"next_page"`
}

type rawRow struct {
	KPI          string     `json:"kpi"`
	Municipality string     `json:"municipality"`
	Period       flexInt    `json:"period"`
	Values       []rawValue `json:"values"`
}

type rawValue struct {
	Gender string   `json:"gender"`
	Value  *float64 `json:"value"`
	Status *string  `json:"status"`
	Count  *int     `json:"count"`
}

// flexInt reads a year written as 2024 or "2024".
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("period %s is not a year", b)
	}
	*f = flexInt(n)
	return nil
}

// ParsePage parses one page. It rejects anything without a values list,
// so an error document or an HTML page never passes as "no data".
func ParsePage(b []byte) (Page, error) {
	var raw rawPage
	if err := json.Unmarshal(b, &raw); err != nil {
		return Page{}, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if raw.Values == nil {
		return Page{}, fmt.Errorf("%w: no values list", ErrFormat)
	}
	p := Page{Values: make([]Row, 0, len(*raw.Values))}
	for i, r := range *raw.Values {
		if r.Municipality == "" {
			return Page{}, fmt.Errorf("%w: row %d has no municipality", ErrFormat, i)
		}
		if r.Period < 1900 || r.Period > 2200 {
			return Page{}, fmt.Errorf("%w: row %d: period %d", ErrFormat, i, r.Period)
		}
		row := Row{KPI: r.KPI, Municipality: r.Municipality, Period: int(r.Period), Values: make([]Value, 0, len(r.Values))}
		for _, v := range r.Values {
			val := Value{Gender: v.Gender, Value: v.Value}
			if v.Status != nil {
				val.Status = *v.Status
			}
			if v.Count != nil {
				val.Count = *v.Count
			}
			row.Values = append(row.Values, val)
		}
		p.Values = append(p.Values, row)
	}
	switch {
	case raw.NextURL != nil && strings.TrimSpace(*raw.NextURL) != "":
		p.Next = strings.TrimSpace(*raw.NextURL)
	case raw.NextPage != nil && strings.TrimSpace(*raw.NextPage) != "":
		p.Next = strings.TrimSpace(*raw.NextPage)
	}
	return p, nil
}
