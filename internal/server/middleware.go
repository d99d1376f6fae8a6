package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// requestLog logs every request with its duration and status, and times
// it in the metrics by route pattern: the label is the pattern Fiber
// matched ("/kommun/:code"), never the raw path, so a crawler inventing
// URLs cannot grow the label set. The warmer's requests (warm.go) are no
// client's: they are neither logged nor timed.
func (s *Server) requestLog(c *fiber.Ctx) error {
	if isWarming(c) {
		return c.Next() // not a client's request (warm.go)
	}
	start := s.now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler has not run yet; take the status it will set.
		status = statusOf(err)
	}
	took := s.now().Sub(start)
	route := s.routeLabel(c, status)
	s.deps.Metrics.ObserveRequest(route, methodLabel(c.Method()), status, took)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.UserContext(), level, "request",
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.String("route", route),
		slog.Int("status", status), slog.Duration("duration", took))
	return err
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic", "path", c.Path(), "panic", fmt.Sprint(e))
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the database answers and can write.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		s.log.Error("readyz: database", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "svarar inte"})
	}
	// Answering is not enough: a read-only database answers every read
	// and fails every login.
	if err := s.deps.Store.CheckWritable(ctx); err != nil {
		s.log.Error("readyz: database cannot write", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "kan inte skriva"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }
