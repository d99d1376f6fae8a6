// Package gzsplice assembles a gzip body from pieces compressed at
// different times: static pieces compressed once and reused by many
// answers, and small dynamic pieces written per answer as stored
// (uncompressed) deflate blocks, which costs a copy and no compression.
//
// This is the technique pigz uses to compress in parallel: a deflate
// stream may be cut after a sync flush, which ends the compressed data on
// a byte boundary with a non-final block, so independently compressed
// pieces can be laid end to end. Each piece is compressed without the
// others as dictionary (back-references never reach into a neighbour),
// which costs a little size and makes any order of pieces valid. The
// stream ends with an empty final stored block; the gzip trailer carries
// the CRC-32 and length of the whole uncompressed body.
//
// Brotli streams cannot be joined like this; pages assembled here are
// served gzip (or plain) even to clients that accept br.
package gzsplice

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
)

// Level is the deflate level of static pieces: they are compressed once
// per view and data version, on the first request that needs them, so the
// fast level keeps that first request cheap (issue #15).
const Level = flate.BestSpeed

// Segment is a static piece: its plain bytes and the same bytes as raw
// deflate data ending in a sync flush (byte-aligned, not final).
type Segment struct {
	Plain   []byte
	Deflate []byte
	// crc is Plain's CRC-32 and shift x^(8·len(Plain)) mod the CRC
	// polynomial: with them a body's CRC steps over the segment without
	// reading its bytes again (crc32Combine).
	crc, shift uint32
}

var writers = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, Level)
	if err != nil {
		panic(fmt.Sprintf("gzsplice: flate level %d: %v", Level, err)) // a constant level: cannot happen
	}
	return w
}}

// Compress makes a static segment of plain, which it keeps (the caller
// must not change it afterwards).
func Compress(plain []byte) *Segment {
	var buf bytes.Buffer
	buf.Grow(len(plain)/3 + 16)
	w := writers.Get().(*flate.Writer)
	w.Reset(&buf)
	// Writes to a bytes.Buffer cannot fail.
	_, _ = w.Write(plain)
	_ = w.Flush() // sync flush: ends on a byte boundary, not final
	writers.Put(w)
	return &Segment{Plain: plain, Deflate: buf.Bytes(), crc: crc32.ChecksumIEEE(plain), shift: xPow8n(uint64(len(plain)))}
}

// Body is one answer being assembled: a sequence of static segments and
// dynamic bytes. The zero value is an empty body.
type Body struct {
	parts []part
	dyn   []byte // every dynamic byte, in order; parts refer into it
	size  int    // plain length
}

type part struct {
	seg      *Segment // nil: dynamic bytes dyn[from:to]
	from, to int
}

// Static appends a static segment.
func (b *Body) Static(s *Segment) {
	if len(s.Plain) == 0 {
		return
	}
	b.parts = append(b.parts, part{seg: s})
	b.size += len(s.Plain)
}

// Write appends dynamic bytes (written per answer, stored uncompressed
// in the gzip form). It never fails.
func (b *Body) Write(p []byte) (int, error) {
	b.open()
	b.dyn = append(b.dyn, p...)
	b.close(len(p))
	return len(p), nil
}

// WriteString appends dynamic bytes.
func (b *Body) WriteString(s string) {
	b.open()
	b.dyn = append(b.dyn, s...)
	b.close(len(s))
}

// WriteByte appends one dynamic byte.
func (b *Body) WriteByte(c byte) error {
	b.open()
	b.dyn = append(b.dyn, c)
	b.close(1)
	return nil
}

// open makes the last part a dynamic one ending at the end of dyn, so
// that consecutive writes make one stored run.
func (b *Body) open() {
	if n := len(b.parts); n > 0 && b.parts[n-1].seg == nil {
		return
	}
	b.parts = append(b.parts, part{from: len(b.dyn), to: len(b.dyn)})
}

// close extends the last (dynamic) part to the end of dyn.
func (b *Body) close(n int) {
	b.parts[len(b.parts)-1].to = len(b.dyn)
	b.size += n
}

// Len is the length of the plain body.
func (b *Body) Len() int { return b.size }

func (b *Body) bytes(p part) []byte {
	if p.seg != nil {
		return p.seg.Plain
	}
	return b.dyn[p.from:p.to]
}

// gzipHeader is a minimal gzip member header: deflate, no name, no time,
// unknown OS (RFC 1952 §2.3).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// maxStored is the largest stored deflate block (RFC 1951 §3.2.4).
const maxStored = 0xffff

// Gzip appends the body as one gzip member to dst.
func (b *Body) Gzip(dst []byte) []byte {
	w := appender{grow(dst, b.gzipSize())}
	_ = b.WriteGzip(&w)
	return w.b
}

// gzipSize is the length of the gzip form.
func (b *Body) gzipSize() int {
	n := len(gzipHeader) + 5 + 8
	for _, p := range b.parts {
		if p.seg != nil {
			n += len(p.seg.Deflate)
		} else {
			n += p.to - p.from + 5*((p.to-p.from)/maxStored+1)
		}
	}
	return n
}

// WriteGzip writes the body as one gzip member to w (for a server, into
// the response's pooled buffer: no copy of the page of its own).
func (b *Body) WriteGzip(w io.Writer) error {
	if _, err := w.Write(gzipHeader); err != nil {
		return fmt.Errorf("gzsplice: %w", err)
	}
	crc := uint32(0)
	var head [5]byte
	for _, p := range b.parts {
		if p.seg != nil {
			crc = multModP(p.seg.shift, crc) ^ p.seg.crc
			if _, err := w.Write(p.seg.Deflate); err != nil {
				return fmt.Errorf("gzsplice: %w", err)
			}
			continue
		}
		plain := b.bytes(p)
		crc = crc32.Update(crc, crc32.IEEETable, plain)
		for len(plain) > 0 {
			n := min(len(plain), maxStored)
			if _, err := w.Write(storedHeader(head[:0], n, false)); err != nil {
				return fmt.Errorf("gzsplice: %w", err)
			}
			if _, err := w.Write(plain[:n]); err != nil {
				return fmt.Errorf("gzsplice: %w", err)
			}
			plain = plain[n:]
		}
	}
	tail := storedHeader(make([]byte, 0, 13), 0, true)
	tail = binary.LittleEndian.AppendUint32(tail, crc)
	tail = binary.LittleEndian.AppendUint32(tail, uint32(b.size))
	if _, err := w.Write(tail); err != nil {
		return fmt.Errorf("gzsplice: %w", err)
	}
	return nil
}

// WritePlain writes the uncompressed body to w.
func (b *Body) WritePlain(w io.Writer) error {
	for _, p := range b.parts {
		if _, err := w.Write(b.bytes(p)); err != nil {
			return fmt.Errorf("gzsplice: %w", err)
		}
	}
	return nil
}

// Reset empties the body for reuse, keeping its buffers.
func (b *Body) Reset() {
	b.parts, b.dyn, b.size = b.parts[:0], b.dyn[:0], 0
}

// appender is an io.Writer that appends to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

// storedHeader appends the header of a stored block of n bytes, which
// starts on a byte boundary (its three header bits are padded to one
// byte), final or not (RFC 1951 §3.2.4). An empty final block ends the
// stream.
func storedHeader(dst []byte, n int, final bool) []byte {
	h := byte(0)
	if final {
		h = 1
	}
	return append(dst, h, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
}

func grow(dst []byte, n int) []byte {
	if cap(dst)-len(dst) < n {
		d := make([]byte, len(dst), len(dst)+n)
		copy(d, dst)
		return d
	}
	return dst
}

// CRC-32 combination as zlib does it (crc32.c, crc32_combine): the CRC of
// A then B is CRC(A)·x^(8·len(B)) + CRC(B) modulo the polynomial, in the
// reflected bit order crc32 uses.

// poly is the IEEE polynomial, reflected.
const poly = 0xedb88320

// multModP multiplies a and b modulo the polynomial.
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	p := uint32(0)
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				return p
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ poly
		} else {
			b >>= 1
		}
	}
}

// x2n[k] is x^(2^k) modulo the polynomial.
var x2n = func() [32]uint32 {
	var t [32]uint32
	p := uint32(1) << 30 // x^1
	t[0] = p
	for k := 1; k < 32; k++ {
		p = multModP(p, p)
		t[k] = p
	}
	return t
}()

// xPow8n is x^(8·n) modulo the polynomial: what a CRC is multiplied by to
// step over n bytes.
func xPow8n(n uint64) uint32 {
	p := uint32(1) << 31 // x^0
	for k := 3; n != 0; k++ {
		if n&1 != 0 {
			p = multModP(x2n[k&31], p)
		}
		n >>= 1
	}
	return p
}
