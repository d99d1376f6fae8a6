// Package httpx is the HTTP plumbing the source collectors share: a sliding
// window rate limiter, bounded retries with exponential backoff that honour
// Retry-After, a per-request timeout and a cap on body size. It lives under
// collectors/internal so that only collectors can use it and no collector
// has to copy it.
package httpx
