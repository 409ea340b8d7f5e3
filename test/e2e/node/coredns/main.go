// Command coredns is CoreDNS with only the plugins the end-to-end real node needs: the cluster's
// names from the API server (kubernetes), and its own health, readiness, errors and query log.
//
// CoreDNS's documented way to choose plugins at build time: import them and set
// dnsserver.Directives (the order in which they handle a query, as in its plugin.cfg), then run
// coremain. See https://coredns.io/2017/07/25/compile-time-enabling-or-disabling-plugins/.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// The same relative order as CoreDNS's plugin.cfg.
var directives = []string{"errors", "log", "health", "ready", "kubernetes"}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
