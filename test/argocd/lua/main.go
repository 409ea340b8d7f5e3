// Command luahealth runs Argo CD health scripts in gopher-lua, the Lua engine Argo CD embeds, the
// way Argo CD runs a health script from argocd-cm (util/lua in argoproj/argo-cd):
//
//   - a fresh state per object, with only the base, table and package libraries open (Argo CD opens
//     these unless resource.customizations.useOpenLibs.<group_kind> is set);
//   - the object, decoded as Kubernetes' unstructured JSON decoder does (whole numbers as int64,
//     others as float64), converted to Lua tables and set as the global `obj`;
//   - the script run with a 1 s deadline; the value it leaves on top of the stack must be a table,
//     which is encoded with layeh.com/gopher-json and read as {status, message};
//   - a status outside Healthy/Progressing/Degraded/Suspended/Missing/Unknown becomes Unknown with
//     Argo CD's message "Lua returned an invalid health status".
//
// What differs: Argo CD also opens a reduced `os` library (clock functions only); the scripts of
// this repository do not use it, so none is opened here and a script that did would fail here
// first. A Lua error is reported as {"error": ...} instead of the Unknown health Argo CD shows, so
// tests can tell a script bug from a verdict.
//
// Input on stdin: a JSON array of {"script": "<lua>", "object": {...}}. Output on stdout: a JSON
// array, one {"status", "message"} or {"error"} per input, in order.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
	luajson "layeh.com/gopher-json"
)

type testCase struct {
	Script string          `json:"script"`
	Object json.RawMessage `json:"object"`
}

type result struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

var validStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var cases []testCase
	if err := json.Unmarshal(input, &cases); err != nil {
		fail(fmt.Errorf("reading the cases: %w", err))
	}
	results := make([]result, 0, len(cases))
	for _, c := range cases {
		results = append(results, run(c))
	}
	out, err := json.Marshal(results)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "luahealth:", err)
	os.Exit(1)
}

func run(c testCase) result {
	obj, err := decodeObject(c.Object)
	if err != nil {
		return result{Error: err.Error()}
	}
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return result{Error: err.Error()}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(c.Script); err != nil {
		return result{Error: err.Error()}
	}
	returned := l.Get(-1)
	if returned.Type() != lua.LTTable {
		return result{Error: fmt.Sprintf("expect table output from Lua script, not %s", returned.Type().String())}
	}
	encoded, err := luajson.Encode(returned)
	if err != nil {
		return result{Error: err.Error()}
	}
	var health struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(encoded, &health); err != nil {
		return result{Error: err.Error()}
	}
	if !validStatuses[health.Status] {
		return result{Status: "Unknown", Message: "Lua returned an invalid health status"}
	}
	return result{Status: health.Status, Message: health.Message}
}

// decodeObject reads JSON as Kubernetes' unstructured decoder does: whole numbers as int64, other
// numbers as float64.
func decodeObject(raw json.RawMessage) (map[string]interface{}, error) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var obj map[string]interface{}
	if err := decoder.Decode(&obj); err != nil {
		return nil, fmt.Errorf("reading the object: %w", err)
	}
	return convertNumbers(obj).(map[string]interface{}), nil
}

func convertNumbers(value interface{}) interface{} {
	switch v := value.(type) {
	case map[string]interface{}:
		for key, item := range v {
			v[key] = convertNumbers(item)
		}
		return v
	case []interface{}:
		for i, item := range v {
			v[i] = convertNumbers(item)
		}
		return v
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		if f, err := v.Float64(); err == nil {
			return f
		}
		return v.String()
	}
	return value
}

// toLua converts decoded JSON to Lua values: maps and slices to tables, null to nil.
func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case []interface{}:
		table := l.CreateTable(len(v), 0)
		for _, item := range v {
			table.Append(toLua(l, item))
		}
		return table
	case map[string]interface{}:
		table := l.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetH(lua.LString(key), toLua(l, item))
		}
		return table
	}
	return lua.LNil
}
