package server

import "strconv"

// Test hooks for package server_test.

// SetCompareWhole makes the server render every comparison page whole
// (as for a logged-in user), for tests that compare the assembled page
// with it.
func (s *Server) SetCompareWhole(whole bool) { s.compareWhole.Store(whole) }

// WarmedVersion is the data version of the warmer's last complete pass
// (0: none yet, or warming is off).
func (s *Server) WarmedVersion() int64 {
	if s.warm == nil {
		return 0
	}
	return s.warm.warmed.Load()
}

// WarmStopped is closed once the warmer's goroutine has returned.
func (s *Server) WarmStopped() <-chan struct{} { return s.warm.done }

// CachedPage reports whether the anonymous page for path is in the page
// cache for the newest data version the cache has seen, without asking
// for it.
func (s *Server) CachedPage(path string) bool {
	key := strconv.FormatInt(s.cache.current(), 10) + " GET " + path + " " + s.startupNotice()
	_, ok := s.cache.get(key)
	return ok
}
