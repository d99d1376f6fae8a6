package server

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// loginThrottle slows password guessing without locking anyone out. After
// a few failures a name (or an address) must wait before its next attempt,
// the wait doubling with each further failure up to a ceiling; nothing is
// ever locked for longer than that ceiling. Failures from an address only
// delay names that have failed themselves, so an attacker trying many
// names, or sharing an address with the admins, never stops an admin whose
// own name has not failed from logging in. A success clears the name.
type loginThrottle struct {
	mu sync.Mutex
	// freeName and freeAddr are how many failures pass without a wait.
	freeName, freeAddr int
	base, ceiling      time.Duration
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
	return &loginThrottle{freeName: 3, freeAddr: 10, base: time.Second, ceiling: time.Minute, forget: 15 * time.Minute,
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
// it through.
func (l *loginThrottle) wait(addr, name string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	nf := l.names[name]
	if nf == nil || now.Sub(nf.last) >= l.forget {
		return 0 // a name that has not failed is never held up by others' failures
	}
	return max(l.remaining(nf, l.freeName, now), l.remaining(l.addrs[addr], l.freeAddr, now))
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
			kv.m[kv.key] = f
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
