package server

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// loginThrottle slows password guessing without locking anyone out. After
// a few failures a name (or an address) must wait before its next attempt,
// the wait doubling with each further failure up to a ceiling; nothing is
// ever locked for longer than that ceiling. A success clears the name.
//
// An address's failures count in two ways. Once a name has failed itself,
// its attempts from an address with failures wait too. And when an address
// has failed very often (one password tried against many names: password
// spraying), every name from it waits, except in a browser that has logged
// in as that name before (deviceCookie): so an attacker sharing an address
// with the admins slows newcomers from it, never the admins' own browsers.
type loginThrottle struct {
	mu sync.Mutex
	// freeName and freeAddr are how many failures pass without a wait;
	// freeSpray is how many failures from an address pass before names
	// that have not failed themselves wait too (unknown browsers only).
	freeName, freeAddr, freeSpray int
	base, ceiling                 time.Duration
	// forget drops a key's failures after this long without a new one.
	forget time.Duration
	names  map[string]*failures
	addrs  map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

// maxThrottleKeys bounds the memory an attacker inventing names can take;
// above it, forgotten keys are swept on each failure.
const maxThrottleKeys = 50_000

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{freeName: 3, freeAddr: 10, freeSpray: 20, base: time.Second, ceiling: time.Minute, forget: 15 * time.Minute,
		names: map[string]*failures{}, addrs: map[string]*failures{}}
}

// delay is the wait after n failures with free of them allowed.
func (l *loginThrottle) delay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	k := n - free
	if k > 30 {
		return l.ceiling
	}
	return time.Duration(math.Min(float64(l.base)*math.Pow(2, float64(k)), float64(l.ceiling)))
}

func (l *loginThrottle) remaining(f *failures, free int, now time.Time) time.Duration {
	if f == nil || now.Sub(f.last) >= l.forget {
		return 0
	}
	return max(0, f.last.Add(l.delay(f.n, free)).Sub(now))
}

// wait is how long an attempt for name from addr must still wait; 0 lets
// it through. knownDevice says the browser has logged in as name before:
// then only the name's own failures count.
func (l *loginThrottle) wait(addr, name string, knownDevice bool, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	nf := l.names[name]
	if nf != nil && now.Sub(nf.last) >= l.forget {
		nf = nil
	}
	w := l.remaining(nf, l.freeName, now)
	if knownDevice {
		return w
	}
	free := l.freeSpray // a name that has not failed waits only for a spraying address
	if nf != nil {
		free = l.freeAddr
	}
	return max(w, l.remaining(l.addrs[addr], free, now))
}

func (l *loginThrottle) fail(addr, name string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, kv := range []struct {
		m   map[string]*failures
		key string
	}{{l.names, name}, {l.addrs, addr}} {
		f := kv.m[kv.key]
		if f == nil || now.Sub(f.last) >= l.forget {
			f = &failures{}
			// A key may come from Fiber's request buffer, which the next
			// request overwrites: a map key kept past the request must be
			// a copy, or one name's failures turn into another's.
			kv.m[strings.Clone(kv.key)] = f
		}
		f.n++
		f.last = now
		if len(kv.m) > maxThrottleKeys {
			l.sweep(kv.m, now)
		}
	}
}

func (l *loginThrottle) sweep(m map[string]*failures, now time.Time) {
	for k, f := range m {
		if now.Sub(f.last) >= l.forget {
			delete(m, k)
		}
	}
}

func (l *loginThrottle) succeed(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.names, name)
}

// throttled is the answer to an attempt that came too soon: 429 with
// Retry-After and a Swedish message saying how long to wait.
func throttled(c *fiber.Ctx, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, fmt.Sprint(secs))
	return domain.Errorf(domain.CodeInvalid,
		fmt.Sprintf("För många misslyckade inloggningar. Vänta %d sekunder och försök igen.", secs),
		fiber.NewError(fiber.StatusTooManyRequests, "login throttled"))
}
