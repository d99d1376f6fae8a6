package scbtest

import "time"

// Updated is the stamp every evidence table carries (constructed).
var Updated = time.Date(2025, 11, 20, 7, 0, 0, 0, time.UTC)

// Evidence returns the SCB tables the shipped config reads, as public
// evidence describes them (the project's SCB table notes, read 2026-11-29).
// Comments mark each part: "evidence" is what two or one public sources
// show; "constructed" stands in where no source says (a code SCB does not
// publish, eliminability nobody recorded, years beyond what is known).
// Every figure is Value: constructed, never a real statistic.
func Evidence() []*Table {
	kon3 := Var{Code: "Kon", Label: "kön", Elimination: true, // evidence: 1, 2, 1+2; eliminable
		Values: []Val{{"1", "män"}, {"2", "kvinnor"}, {"1+2", "totalt"}}}
	fodelse := Var{Code: "Fodelseregion", Label: "födelseregion", Elimination: true, // evidence: in, ut, tot; eliminable
		Values: []Val{{"in", "inrikes född"}, {"ut", "utrikes född"}, {"tot", "totalt"}}}
	sniBAS := Var{Code: "SNI2007", Label: "näringsgren SNI 2007", Elimination: false, // evidence: A-U+US total, B+C; not eliminable
		Values: []Val{{"A-U+US", "samtliga näringsgrenar"}, {"A", "jordbruk, skogsbruk och fiske"}, {"B+C", "tillverkning och utvinning"}, {"F", "byggverksamhet"}}} // A, F: constructed
	sniRAMS := Var{Code: "SNI2007", Label: "näringsgren SNI 2007", Elimination: true, // evidence: A, B+C, …, 00 okänd, no total; eliminability constructed
		Values: []Val{{"A", "jordbruk, skogsbruk och fiske"}, {"B+C", "tillverkning och utvinning"}, {"F", "byggverksamhet"}, {"00", "okänd verksamhet"}}}
	kon2 := Var{Code: "Kon", Label: "kön", Elimination: true, // evidence: 1, 2, no total; eliminability constructed
		Values: []Val{{"1", "män"}, {"2", "kvinnor"}}}
	return []*Table{
		{ID: "TAB638", Label: "Folkmängden efter region, civilstånd, ålder och kön. År 1968-2024", Updated: Updated,
			Vars: []Var{
				{Code: "Civilstand", Label: "civilstånd", Elimination: true, Values: []Val{{"OG", "ogifta"}, {"G", "gifta"}}}, // evidence (recorded metadata), two of four values
				{Code: "Kon", Label: "kön", Elimination: true, Values: []Val{{"1", "män"}, {"2", "kvinnor"}}},
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"BE0101N1", "Folkmängd"}, {"BE0101N2", "Folkökning"}}},
			},
			Times: Years(1968, 2024)},
		{ID: "TAB3204", Label: "Sysselsatta 15-74 år (BAS) efter region, kön, näringsgren och födelseregion. År 2020-2024", Updated: Updated,
			Vars: []Var{kon3, sniBAS, fodelse,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"000002XH", "Sysselsatta efter arbetsställets belägenhet"}, {"000002XI", "Sysselsatta efter bostadens belägenhet"}}}}, // evidence
			Times: Years(2020, 2024)}, // evidence
		{ID: "TAB3785", Label: "Sysselsatta 15-74 år (BAS), preliminära uppgifter. År 2020-2025", Updated: Updated,
			Vars: []Var{kon3, sniBAS, fodelse,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"000005FG", "Sysselsatta efter arbetsställets belägenhet"}, {"000005FH", "Sysselsatta efter bostadens belägenhet"}}}}, // evidence
			Times: Years(2020, 2025)}, // evidence: one year ahead of TAB3204
		{ID: "TAB900", Label: "Förvärvsarbetande 16+ år (dagbefolkning) (RAMS). År 2008-2018", Updated: Updated,
			Vars: []Var{sniRAMS, kon2,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"AM0207K1", "Förvärvsarbetande"}}}}, // constructed: the code is unverified
			Times: Years(2008, 2018)}, // evidence
		{ID: "TAB5837", Label: "Förvärvsarbetande 16-74 år (dagbefolkning) (RAMS). År 2019-2021", Updated: Updated,
			Vars: []Var{sniRAMS, kon2,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"00000544", "Förvärvsarbetande"}}}}, // evidence (one source)
			Times: Years(2019, 2021)}, // evidence
		{ID: "TAB5838", Label: "Förvärvsarbetande (dagbefolkning) efter sektor, ålder och kön (RAMS). År 2019-2021", Updated: Updated,
			Vars: []Var{
				{Code: "ArbetsSektor", Label: "arbetsställets sektortillhörighet", Elimination: true, // codes: evidence (one source); labels of 11, 1110, 1120, 1130, 1530: evidence; the others constructed
					Values: []Val{{"11", "statlig förvaltning"}, {"1110", "statliga affärsverk"}, {"1120", "primärkommunal förvaltning"},
						{"1130", "regioner"}, {"15", "övriga företag"}, {"1510", "aktiebolag ej offentligt ägda"}, {"1520", "övriga företag ej offentligt ägda"},
						{"1530", "statligt ägda företag och organisationer"}, {"1540", "kommunalt ägda företag och organisationer"}, {"1560", "övriga organisationer"}, {"US", "uppgift saknas"}}},
				{Code: "Alder", Label: "ålder", Elimination: true, Values: []Val{{"16-19", "16-19 år"}, {"20-64", "20-64 år"}, {"65-74", "65-74 år"}}}, // constructed
				kon2,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"00000545", "Förvärvsarbetande"}}}}, // evidence (one source)
			Times: Years(2019, 2021)}, // evidence
		{ID: "TAB2597", Label: "Sysselsatta (BAS) efter sektor, kön, ålder och födelseregion. Månad 2020M01-2025M09", Updated: Updated,
			Vars: []Var{
				{Code: "ArbetsSektor", Label: "sektor", Elimination: false, // 010, 030: evidence (one source); the code of "staten" is unverified, so "0X1" is constructed, as are the decoy labels
					Values: []Val{{"010", "samtliga sektorer"}, {"0X1", "Staten"}, {"0X2", "statligt ägda företag"}, {"030", "näringslivet"}}},
				{Code: "Alder", Label: "ålder", Elimination: false, Values: []Val{{"15-74", "15-74 år"}, {"20-64", "20-64 år"}}}, // 15-74: evidence; 20-64 constructed
				{Code: "Kon", Label: "kön", Elimination: true, Values: []Val{{"1", "män"}, {"2", "kvinnor"}, {"1+2", "totalt"}}},
				fodelse,
				{Code: "ContentsCode", Label: "tabellinnehåll", Values: []Val{{"000005F4", "Sysselsatta efter arbetsställets belägenhet"}, {"000006OD", "Sysselsatta efter bostadens belägenhet"}}}}, // evidence
			Times: Months(2020, 1, 2025, 9)}, // evidence: monthly from 2020M01; the last month is constructed
	}
}
