package report

import (
	"context"

	"github.com/svenskaindustrikommuner/dashboard/internal/derive"
	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// The indicators the Statlig närvaro page brings together (config ids).
const (
	IndicatorStateJobs    = "state_jobs"
	IndicatorStateShare   = "state_share"
	IndicatorStateOffices = "state_offices"
)

// StateRow is one municipality, the network median or riket on the
// Statlig närvaro page, all figures for the view's year.
type StateRow struct {
	Code, Name string
	Member     bool
	Rank       int // by Kolada's state share among the members; 0 when missing
	// Jobs are state jobs at the workplace; Per1000 and ShareOfJobs are
	// derived from them (per 1 000 inhabitants, share of all jobs at the
	// workplace); Share is Kolada's published state share (N02206);
	// Offices are state service offices (uploads).
	Jobs, Per1000, ShareOfJobs, Share, Offices *float64
	// Note is "n av N medlemmar" on the median row when fewer counted.
	Note        string
	Discrepancy string
}

// StateView is the Statlig närvaro page: the members ranked by the state's
// share of the jobs in the municipality, against riket and the network's
// median, with state jobs per 1 000 inhabitants and state offices.
type StateView struct {
	Year       int
	Years      []int // years with a state share for a member, ascending
	Rows       []StateRow
	Median     StateRow
	Riket      StateRow
	Indicators map[string]domain.Indicator
	Sources    []domain.Source
	Precedence string
}

// StatePresence builds the page for year (0: the latest year in which a
// member has Kolada's state share).
func StatePresence(ctx context.Context, env *Env, d *Data, year int) (*StateView, error) {
	members := env.MemberCodes() // the live list, as an admin last saved it
	ids := []string{IndicatorStateShare, IndicatorStateJobs, domain.IndicatorEmployedDay, domain.IndicatorPopulation, IndicatorStateOffices}
	tabs := map[string]*Table{}
	v := &StateView{Indicators: map[string]domain.Indicator{}, Precedence: env.Precedence.Describe()}
	for _, id := range ids {
		t, err := d.Table(ctx, id)
		if err != nil {
			return nil, err
		}
		tabs[id] = t
		v.Indicators[id] = t.Indicator
	}
	share := tabs[IndicatorStateShare]
	for _, y := range share.Years {
		for _, c := range members {
			if _, ok := share.Value(c, y); ok {
				v.Years = append(v.Years, y)
				break
			}
		}
	}
	v.Year = year
	if v.Year == 0 && len(v.Years) > 0 {
		v.Year = v.Years[len(v.Years)-1]
	}
	if v.Year == 0 {
		v.Year = latestYear(tabs[IndicatorStateJobs], members)
	}
	disc, err := env.discrepancies(ctx, d)
	if err != nil {
		return nil, err
	}
	row := func(code, name string) StateRow {
		r := StateRow{Code: code, Name: name, Member: env.IsMember(code)}
		val := func(id string) *float64 {
			s, _ := env.regionSeries(tabs[id], code)
			return ptr(s[v.Year], hasYear(s, v.Year))
		}
		r.Jobs, r.Share, r.Offices = val(IndicatorStateJobs), val(IndicatorStateShare), val(IndicatorStateOffices)
		pop, jobs := val(domain.IndicatorPopulation), val(domain.IndicatorEmployedDay)
		if r.Jobs != nil && pop != nil {
			r.Per1000 = ptr(derive.Per1000(derive.Series{0: *r.Jobs}, derive.Series{0: *pop})[0], *pop > 0)
		}
		if r.Jobs != nil && jobs != nil {
			r.ShareOfJobs = ptr(derive.Share(derive.Series{0: *r.Jobs}, derive.Series{0: *jobs})[0], *jobs > 0)
		}
		r.Discrepancy = disc.note(share.Indicator, code, v.Year)
		if r.Discrepancy == "" {
			r.Discrepancy = disc.note(tabs[IndicatorStateJobs].Indicator, code, v.Year)
		}
		return r
	}
	rank := make([]RankRow, 0, len(members))
	for _, c := range members {
		r := row(c, env.Regions.Name(c))
		v.Rows = append(v.Rows, r)
		rank = append(rank, RankRow{Code: c, Name: r.Name, Value: r.Share})
	}
	// Highest share first, missing last; ties share a rank.
	rankRows(rank)
	byCode := map[string]StateRow{}
	for _, r := range v.Rows {
		byCode[r.Code] = r
	}
	v.Rows = v.Rows[:0]
	for _, rr := range rank {
		r := byCode[rr.Code]
		r.Rank = rr.Rank
		v.Rows = append(v.Rows, r)
	}
	v.Riket = row(domain.RiketCode, "Riket")
	v.Median = StateRow{Code: "median", Name: env.NetworkName + ", median"}
	med := func(get func(StateRow) *float64) *float64 {
		var list []float64
		for _, r := range v.Rows {
			if x := get(r); x != nil {
				list = append(list, *x)
			}
		}
		st, ok := derive.StatsOf(list)
		return ptr(st.Median, ok)
	}
	v.Median.Jobs = med(func(r StateRow) *float64 { return r.Jobs })
	v.Median.Per1000 = med(func(r StateRow) *float64 { return r.Per1000 })
	v.Median.ShareOfJobs = med(func(r StateRow) *float64 { return r.ShareOfJobs })
	v.Median.Share = med(func(r StateRow) *float64 { return r.Share })
	v.Median.Offices = med(func(r StateRow) *float64 { return r.Offices })
	n := 0
	for _, r := range v.Rows {
		if r.Share != nil {
			n++
		}
	}
	v.Median.Note = Aggregate{N: n, Of: len(members)}.CountNote()
	codes := append(append([]string(nil), members...), domain.RiketCode)
	for _, id := range ids {
		v.Sources = mergeSources(v.Sources, tabs[id].Sources(codes, map[int]bool{v.Year: true}))
	}
	return v, nil
}

// HasShares reports whether any member has a state share in the year, so
// the page draws the ranking or says what is missing.
func (v *StateView) HasShares() bool {
	for _, r := range v.Rows {
		if r.Share != nil {
			return true
		}
	}
	return false
}

// ViewYear is the year the view shows (the server's one-year pages name
// their downloads by it).
func (v *StateView) ViewYear() int { return v.Year }
