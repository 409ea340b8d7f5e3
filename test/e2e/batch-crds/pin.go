//go:build tools

// Package pin keeps the Volcano API module in go.mod: build.sh generates its PodGroup CRD from it.
package pin

import _ "volcano.sh/apis/pkg/apis/scheduling/v1beta1"
