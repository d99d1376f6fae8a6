package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Scheduler is what the sources page needs of the collector scheduler.
// cmd adapts the scheduler to it, so the server does not import the
// scheduler (nor, through it, the collectors).
type Scheduler interface {
	// Sources lists the configured sources in config order.
	Sources() []SourceInfo
	// Check compares the source's configured tables or KPIs with the
	// source's metadata without fetching figures (domain.Checker).
	Check(ctx context.Context, name string) (domain.ConfigCheck, error)
	// Trigger starts a run of the source in the background and returns at
	// once; the outcome is recorded as a run. A run already going gives a
	// CodeConflict error, an unknown source CodeNotFound.
	Trigger(name, actor string) error
}

// SourceInfo is one source as the scheduler sees it.
type SourceInfo struct {
	Name     string
	Kind     domain.SourceKind
	Spec     string
	Schedule string // the spec in Swedish words
	Enabled  bool
	Running  bool      // running on this instance now
	Next     time.Time // next scheduled start; zero when disabled
	Items    []string  // the configured tables or KPIs
}

// runsShown is how many recent runs the page lists per source.
const runsShown = 10

type sourcesContent struct {
	Sources    []sourceView
	Precedence string
	Notice     string
	NoSched    bool
	// Discrepancies between sources (cross-checks), at most a page full;
	// DiscrepancyCount is how many there are.
	Discrepancies    []discrepancyRow
	DiscrepancyCount int
	// Checks is the result of "Kontrollera konfigurationen", when asked.
	Checks []checkView
	// Backups is the scheduled backups' schedule and last outcome.
	Backups backupView
}

type sourceView struct {
	Name, Label, Spec, Schedule, Next string
	Enabled, Running                  bool
	Items                             []string
	// Attribution is what the source's terms ask pages to say.
	Attribution string
	Runs        []runView
}

type runView struct {
	ID                         int64
	Trigger, Started, Finished string
	Status, StatusClass, Error string
	New, Changed, Unchanged    int
	BatchID                    int64
	// Tables is the outcome of each table or request, so the page says
	// which one failed and why.
	Tables []runTableView
}

type runTableView struct {
	Ref, Status, Class, Error string
}

// sourceAdminRoutes registers the sources page. Like the users page it has
// its own group: every request must come from an admin, and the "run now"
// post carries the session's CSRF token (checked by requireRole).
func (s *Server) sourceAdminRoutes(app *fiber.App) {
	g := app.Group("/admin/kallor", s.requireRole(domain.RoleAdmin))
	g.Get("", s.adminSourcesPage)
	g.Post("/kontroll", s.adminCheck)
	g.Post("/:name/kor", s.adminRunNow)
}

func (s *Server) adminSourcesPage(c *fiber.Ctx) error {
	content, err := s.sourcesPage(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "admin_sources", page{Title: "Källor", Nav: "admin", Content: content})
}

// sourcesPage builds the sources page's content (the check adds its
// result to it).
func (s *Server) sourcesPage(c *fiber.Ctx) (sourcesContent, error) {
	content := sourcesContent{Precedence: s.deps.Env.Precedence.Describe(), NoSched: s.deps.Scheduler == nil, Backups: s.backupView()}
	var infos []SourceInfo
	if s.deps.Scheduler != nil {
		infos = s.deps.Scheduler.Sources()
	}
	for _, in := range infos {
		v := sourceView{Name: in.Name, Label: in.Kind.Label(), Spec: in.Spec, Schedule: in.Schedule,
			Enabled: in.Enabled, Running: in.Running, Items: in.Items}
		if !in.Next.IsZero() {
			v.Next = localTime(in.Next)
		}
		if in.Kind == domain.SourceKolada {
			v.Attribution = "Källa: Kolada"
		}
		runs, err := s.deps.Store.Runs(c.UserContext(), in.Name, runsShown)
		if err != nil {
			return content, err
		}
		for _, r := range runs {
			v.Runs = append(v.Runs, viewRun(r))
		}
		content.Sources = append(content.Sources, v)
	}
	// The name comes from the redirect after "Kör nu"; only a configured
	// source's name is echoed, so a crafted link cannot put words on the
	// page.
	if n := strings.Clone(c.Query("startad")); n != "" {
		for _, v := range content.Sources {
			if v.Name == n {
				content.Notice = "Körningen har startat för " + v.Label + ". Ladda om sidan om en stund för att se resultatet."
			}
		}
	}
	var err error
	if content.Discrepancies, content.DiscrepancyCount, err = s.discrepancyRows(c); err != nil {
		return content, err
	}
	return content, nil
}

func (s *Server) adminRunNow(c *fiber.Ctx) error {
	if s.deps.Scheduler == nil {
		return domain.Errorf(domain.CodeUnavailable, "Schemaläggaren är inte igång på den här instansen.", nil)
	}
	name := strings.Clone(c.Params("name"))
	actor := "okänd"
	if u := s.user(c); u != nil {
		actor = u.Name
	}
	if err := s.deps.Scheduler.Trigger(name, actor); err != nil {
		return err
	}
	s.log.Info("collector run started by hand", "source", name, "by", actor)
	return c.Redirect("/admin/kallor?startad="+url.QueryEscape(name), fiber.StatusSeeOther)
}

func viewRun(r domain.Run) runView {
	v := runView{ID: r.ID, Started: localTime(r.Started), New: r.New, Changed: r.Changed, Unchanged: r.Unchanged,
		Error: r.Error, BatchID: r.BatchID, StatusClass: string(r.Status)}
	if r.Finished != nil {
		v.Finished = localTime(*r.Finished)
	}
	switch r.Trigger {
	case "schedule":
		v.Trigger = "schema"
	case "manual":
		v.Trigger = "Kör nu"
	case "cli":
		v.Trigger = "kommandorad"
	case "start":
		v.Trigger = "vid start"
	default:
		v.Trigger = r.Trigger
	}
	switch r.Status {
	case domain.RunSucceeded:
		v.Status = "Lyckades"
	case domain.RunFailed:
		v.Status = "Misslyckades"
	case domain.RunSkipped:
		v.Status = "Inget nytt (tabellerna oförändrade)"
	case domain.RunPartial:
		v.Status = "Delvis (någon tabell misslyckades)"
	case domain.RunRunning:
		v.Status = "Pågår"
	default:
		v.Status = string(r.Status)
	}
	for _, t := range r.Tables {
		tv := runTableView{Ref: t.Ref, Class: string(t.Status), Error: t.Error}
		switch t.Status {
		case domain.TableLanded:
			tv.Status = fmt.Sprintf("sparad (%d siffror)", t.Rows)
		case domain.TableFailed:
			tv.Status = "misslyckades"
		case domain.TableUnchanged:
			tv.Status = "oförändrad"
		default:
			tv.Status = string(t.Status)
		}
		v.Tables = append(v.Tables, tv)
	}
	return v
}
