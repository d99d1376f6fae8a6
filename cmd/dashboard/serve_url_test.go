package main

import (
	"net"
	"testing"
)

func TestOpenURL(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://localhost:8080/"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://localhost:8080/"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}, "http://127.0.0.1:9000/"},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8080}, "http://[::1]:8080/"},
	}
	for _, tc := range tests {
		if got := openURL(tc.addr); got != tc.want {
			t.Errorf("openURL(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
