package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// checkView is one source's check as the sources page shows it.
type checkView struct {
	Label string
	OK    bool
	Error string // the check could not run
	Items []domain.CheckItem
	Wrong int
}

// adminCheck is the button "Kontrollera konfigurationen": the same check
// as `dashboard collect --check`, run now for every enabled source, shown
// on the sources page. It reads the sources' metadata only and writes
// nothing.
func (s *Server) adminCheck(c *fiber.Ctx) error {
	if s.deps.Scheduler == nil {
		return domain.Errorf(domain.CodeUnavailable, "Schemaläggaren är inte igång på den här instansen.", nil)
	}
	content, err := s.sourcesPage(c)
	if err != nil {
		return err
	}
	for _, in := range s.deps.Scheduler.Sources() {
		if !in.Enabled {
			continue
		}
		v := checkView{Label: in.Kind.Label()}
		res, err := s.deps.Scheduler.Check(c.UserContext(), in.Name)
		if err != nil {
			v.Error = domain.UserMessage(err, "Kontrollen kunde inte köras.")
			s.log.Warn("configuration check could not run", "source", in.Name, "err", err)
		}
		v.Items, v.OK = res.Items, err == nil && res.OK()
		for _, it := range res.Items {
			if !it.OK() {
				v.Wrong++
			}
		}
		content.Checks = append(content.Checks, v)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "admin_sources", page{Title: "Källor", Nav: "admin", Content: content})
}
