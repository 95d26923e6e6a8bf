package check_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/syntax"
)

// withFunctions is a catalog with stored functions: name -> {params, body}.
type withFunctions struct {
	engine.Catalog
	fns map[string][2]string
}

func (w withFunctions) Function(name string) (string, string, bool) {
	f, ok := w.fns[name]
	return f[0], f[1], ok
}

func storedCatalog() withFunctions {
	return withFunctions{catalog(), map[string][2]string{
		"Failures":   {"", "SigninLogs | where ResultType != '0'"},
		"ByUser":     {"upn:string, minMs:long = 100", "SigninLogs\n| where UserPrincipalName == upn and DurationMs >= minMs"},
		"Slow":       {"ms:long = 1000", "let t = SigninLogs;\nt | where DurationMs > ms | project UserPrincipalName, DurationMs"},
		"Double":     {"x:long", "x * 2"},
		"Answer":     {"", "42"},
		"Broken":     {"", "SigninLogs\n| where NoSuchColumn > 1"},
		"BadDefault": {"n:long = nosuch", "print n"},
		"Outer":      {"", "Broken | count"},
		"Loop":       {"", "Loop | count"},
		"Unparsed":   {"", "SigninLogs | where"},
		"SigninLogs": {"", "print 'a function named like a table'"},
		"strlen":     {"s:string", "print 'a function named like a built-in'"},
		"Scalarish":  {"", "toscalar(SigninLogs | count)"},
		"UsesX":      {"", "print x"},
		"Upto":       {"n:long", "toscalar(range x from 1 to n step 1 | count)"},
		"Positive":   {"T:(DurationMs:long)", "T | where DurationMs > 0 | project DurationMs"},
	}}
}

func checkStored(q string) (*check.Query, error) {
	script, err := syntax.Parse(q)
	if err != nil {
		return nil, err
	}
	return check.Check(q, script, check.Options{Catalog: storedCatalog()})
}

func TestStoredFunctions(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"Failures | count", "Count:long"},
		{"Failures() | count", "Count:long"},
		{"Failures | project UserPrincipalName", "UserPrincipalName:string"},
		{"ByUser('a@b.c') | project DurationMs", "DurationMs:long"},
		{"ByUser('a@b.c', 5) | count", "Count:long"},
		{"ByUser(minMs = 5, upn = 'a@b.c') | count", "Count:long"},
		{"Slow", "UserPrincipalName:string, DurationMs:long"},
		{"Slow(10)", "UserPrincipalName:string, DurationMs:long"},
		{"print Double(21), Answer", "print_0:long, Answer:long"},
		{"SigninLogs | extend d = Double(DurationMs) | project d", "d:long"},
		{"print v = Scalarish", "v:long"},
		{"SigninLogs | invoke Positive()", "DurationMs:long"},
		{"Positive(SigninLogs)", "DurationMs:long"},
		{"union Failures, (Slow | project UserPrincipalName) | count", "Count:long"},
		// A table or built-in keeps its meaning.
		{"SigninLogs | project DurationMs", "DurationMs:long"},
		{"print strlen('abc')", "strlen_:long"},
		// A let shadows a stored function.
		{"let Failures = print x = 1; Failures", "x:long"},
		{"let Double = (x:long) { x * 3.0 }; print Double(1)", "print_0:real"},
	} {
		q, err := checkStored(tc.query)
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if got := schemaString(q.Results[0].Plan.Schema()); got != tc.want {
			t.Errorf("%s: schema %s, want %s", tc.query, got, tc.want)
		}
	}
}

func TestStoredFunctionErrors(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"print 1;\nBroken | count", "2:1: in stored function 'Broken' (body 2:9): unknown column or name 'NoSuchColumn'"},
		{"Outer", "1:1: in stored function 'Outer' (body 1:1): in stored function 'Broken' (body 2:9): unknown column or name 'NoSuchColumn'"},
		{"print BadDefault()", "1:7: in stored function 'BadDefault' (parameters 1:10): unknown name 'nosuch'"},
		{"ByUser()", "1:1: missing argument for parameter upn"},
		{"ByUser('x', nosuch)", "1:13: unknown name 'nosuch'"},
		{"Loop", "1:1: in stored function 'Loop' (body 1:1): the stored function 'Loop' calls itself"},
		{"Unparsed", "1:1: the stored function 'Unparsed' does not parse: body 1:19:"},
		{"print Double", "1:7: function Double needs arguments"},
		// The argument is the caller's text.
		{"SigninLogs | extend c = Upto(DurationMs)", "1:30: can't use 'DurationMs' as it is defined outside its row-context scope"},
		// A function's body does not see the query's lets.
		{"let x = 1;\nUsesX", "2:1: in stored function 'UsesX' (body 1:7): unknown name 'x'"},
		{"NoSuchFunction()", "1:1: unknown tabular function 'NoSuchFunction'"},
	} {
		_, err := checkStored(tc.query)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.query, err, tc.want)
		}
	}
}

func TestParseFunction(t *testing.T) {
	f, err := check.ParseFunction("F", "a:int = 1, b:string", "let x = a;\nprint x, b")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Lit.Params) != 2 || f.Lit.Params[0].Name.Name != "a" || f.Lit.Params[1].Type.Scalar != "string" {
		t.Errorf("params = %s", syntax.Print(f.Lit))
	}
	for _, tc := range []struct{ params, body, want string }{
		{"a:int, b", "print a", "parameters 1:9:"},
		{"a:nosuchtype", "print a", "parameters 1:3:"},
		{"", "print 1,", "body 1:9:"},
		{"", "T\n| where", "body 2:8:"},
		{"", "print 1 }; let g = () { print 2", "body 1:1: the parameters and body must make one function"},
		{"", "let x = 1", "body 1:1: the body must end with an expression"},
		{"", "", "body"},
	} {
		_, err := check.ParseFunction("F", tc.params, tc.body)
		var fe *check.FunctionError
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("(%s) {%s}: error %v, want prefix %q", tc.params, tc.body, err, tc.want)
		} else if !errors.As(err, &fe) {
			t.Errorf("(%s) {%s}: %T is not a *FunctionError", tc.params, tc.body, err)
		}
	}
}
