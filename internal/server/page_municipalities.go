package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Kommuner (/kommuner): the index of profiles, members first.

type municipalitiesContent struct {
	Members []domain.Region
	Others  []domain.Region
}

func (s *Server) municipalitiesPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		env := s.deps.Env
		var content municipalitiesContent
		for _, code := range env.MemberCodes() {
			r, _ := env.Regions.Get(code)
			content.Members = append(content.Members, r)
		}
		for _, r := range env.Regions.Municipalities() {
			if !env.IsMember(r.Code) {
				content.Others = append(content.Others, r)
			}
		}
		return s.htmlPage(c, "municipalities", page{Title: "Kommuner", Nav: "kommun", Content: content})
	})
}
