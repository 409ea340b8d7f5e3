module cdk8s-spark.dev/test/argocd/lua

// Runs the Argo CD health scripts in the Lua engine Argo CD embeds (see main.go). The versions
// follow Argo CD's own go.mod (github.com/argoproj/argo-cd/v3): github.com/yuin/gopher-lua v1.1.1
// and layeh.com/gopher-json; when Argo CD moves to another release, move here too.

go 1.26.0

require (
	github.com/yuin/gopher-lua v1.1.1
	layeh.com/gopher-json v0.0.0-20201124131017-552bb3c4c3bf
)
