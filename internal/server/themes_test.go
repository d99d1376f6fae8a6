package server_test

import (
	"context"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/server/servertest"
)

func TestAPIIndicatorsHaveThemes(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/api/v1/indicators")
	var out struct {
		Data []struct {
			ID, Name, Theme string
			ThemeName       string `json:"theme_name"`
		} `json:"data"`
		Themes []domain.Theme `json:"themes"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	for _, d := range out.Data {
		if d.Theme == "" || d.ThemeName == "" {
			t.Errorf("%s has no theme: %+v", d.ID, d)
		}
	}
	got := map[string]string{}
	for _, d := range out.Data {
		got[d.ID] = d.ThemeName
	}
	want := map[string]string{"unemployment": "Arbetsmarknad", "post_secondary_education": "Kompetensförsörjning", "net_migration": "Befolkning",
		"new_businesses": "Näringsliv och attraktivitet", "median_income": "Näringsliv och attraktivitet", "out_commuting": "Arbetsmarknad",
		"in_commuting": "Arbetsmarknad", "broadband_1gbit": "Infrastruktur och digitalisering", "upper_secondary_completion": "Kompetensförsörjning",
		"dependency_ratio": "Befolkning", "industrial_share": "Industri", "state_share": "Statlig närvaro", "population": "Befolkning",
		"state_jobs": "Statlig närvaro", "industrial_jobs": "Industri"}
	for id, th := range want {
		if got[id] != th {
			t.Errorf("%s: theme %q, want %q", id, got[id], th)
		}
	}
	if len(out.Data) != len(inst.Config.Indicators) || len(out.Themes) != 7 {
		t.Errorf("%d indicators (config %d), %d themes", len(out.Data), len(inst.Config.Indicators), len(out.Themes))
	}
}

func TestThemePickerAndGroupedPickers(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/?tema=statlig_narvaro")
	// The bundled figures have none of the theme's three indicators: the
	// page names them once instead of three columns of "–".
	if !strings.Contains(body, "Inga siffror ännu för Statligt anställda") || strings.Count(body, "Inga siffror ännu för") != 1 ||
		strings.Contains(body, `class="theme">Statlig närvaro</th>`) || strings.Contains(body, ">Folkmängd") {
		t.Errorf("overview for one theme without figures: want one notice naming its indicators, no columns")
	}
	if !strings.Contains(body, `<option value="statlig_narvaro" selected>Statlig närvaro</option>`) {
		t.Error("theme picker does not show the chosen theme")
	}
	_, body = get(t, inst.URL+"/")
	// Every theme is a column group or named in the one notice.
	if !strings.Contains(body, `class="theme">Befolkning</th>`) || strings.Count(body, "Inga siffror ännu för") != 1 {
		t.Error("overview without a theme: Befolkning's columns and one notice for the rest")
	}
	for _, ind := range inst.Config.Indicators {
		if !strings.Contains(body, ">"+ind.Name) && !strings.Contains(html.UnescapeString(body), ind.Name+" (") {
			t.Errorf("overview without a theme neither shows nor names %s", ind.Name)
		}
	}
	_, body = get(t, inst.URL+"/kommun/1060?tema=industri")
	if !strings.Contains(body, `<h2 class="theme" id="tema-industri">Industri</h2>`) || strings.Contains(body, `id="h-population"`) {
		t.Error("profile for one theme")
	}
	_, body = get(t, inst.URL+"/jamfor?indikator=state_share")
	if !strings.Contains(body, `<optgroup label="Statlig närvaro"><option value="state_jobs">`) {
		t.Error("indicator picker is not grouped by theme")
	}
	for _, p := range []string{"/?tema=nope", "/kommun/1060?tema=%3Cb%3E"} {
		if resp, _ := get(t, inst.URL+p); resp.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", p, resp.StatusCode)
		}
	}
}

func TestGenderSplitSelectable(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	src := domain.Source{Kind: domain.SourceKolada, Ref: "N03937", FetchedAt: time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)}
	// Constructed figures (no real Kolada answer is recorded).
	obs := []domain.Observation{
		{Municipality: "1060", Indicator: "unemployment", Year: 2024, Value: 5.1, Source: src},
		{Municipality: "1060", Indicator: "unemployment:K", Year: 2024, Value: 4.4, Source: src},
		{Municipality: "1060", Indicator: "unemployment:M", Year: 2024, Value: 5.8, Source: src},
	}
	if _, err := inst.Store.Apply(context.Background(), domain.Batch{Kind: domain.BatchRun, Source: domain.SourceKolada, Label: "kolada", Actor: "t", Observations: obs}); err != nil {
		t.Fatal(err)
	}
	inst.Server.Invalidate()
	_, body := get(t, inst.URL+"/jamfor?indikator=unemployment&kon=K&ar=2024")
	if !strings.Contains(body, `data-value="4.4"`) || strings.Contains(body, `data-value="5.1"`) {
		t.Error("kon=K must show the women's figure only")
	}
	if !strings.Contains(body, `<select name="kon"><option value="T">Totalt</option><option value="K" selected>Kvinnor</option>`) {
		t.Error("Kön picker missing or not on K")
	}
	if !strings.Contains(body, `href="/jamfor?indikator=unemployment&amp;kon=K&amp;ar=2024`) {
		t.Error("permalink must keep indikator and kon apart")
	}
	_, body = get(t, inst.URL+"/jamfor?indikator=population")
	if strings.Contains(body, `name="kon"`) {
		t.Error("population has no gender split, yet a Kön picker is shown")
	}
	for _, p := range []string{"/jamfor?indikator=population&kon=K", "/trend?indikator=unemployment&kon=X", "/api/v1/observations?indicator=population&gender=M"} {
		if resp, _ := get(t, inst.URL+p); resp.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", p, resp.StatusCode)
		}
	}
	_, body = get(t, inst.URL+"/api/v1/observations?indicator=unemployment&municipality=1060&gender=M")
	if !strings.Contains(body, `"indicator":"unemployment","gender":"M","year":2024,"value":5.8`) {
		t.Errorf("API gender=M: %s", body)
	}
}

func TestAboutGroupsIndicatorsByTheme(t *testing.T) {
	inst := servertest.Start(t, servertest.Options{})
	_, body := get(t, inst.URL+"/om-data")
	i, j := strings.Index(body, `<h3 id="tema-statlig_narvaro">Statlig närvaro</h3>`), strings.Index(body, `<span class="badge">state_share</span>`)
	k := strings.Index(body, `<h3 id="tema-kompetensforsorjning">`)
	if i < 0 || j < i || k < j {
		t.Error("state_share is not listed under Statlig närvaro")
	}
}
