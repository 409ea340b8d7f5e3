module cdk8s-spark.dev/test/argocd/lua

// Runs the Argo CD health scripts in the Lua engine Argo CD embeds (see main.go). The versions are
// those of Argo CD v3.6.2's go.mod (github.com/argoproj/argo-cd/v3, its newest release on
// 2026-12-07): github.com/yuin/gopher-lua v1.1.2 and layeh.com/gopher-json 97fed8db8427; when Argo CD
// moves to another release, move here too.

go 1.26.0

require (
	github.com/yuin/gopher-lua v1.1.2
	layeh.com/gopher-json v0.0.0-20190114024228-97fed8db8427
)
