package ingest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace"
)

// MaxTransformLength is the longest transformKql Azure accepts.
const MaxTransformLength = 15360

// DCR limits of Azure Monitor's service limits.
const (
	maxDataFlows    = 10
	maxStreams      = 10
	maxDestinations = 10
)

// Detail codes of an invalid rule. InvalidPayload and InvalidOutputTable
// are Azure's (seen in deployment errors); the others are unverified
// choices in the same style.
const (
	codeInvalidPayload       = "InvalidPayload"
	codeInvalidOutputTable   = "InvalidOutputTable"
	codeInvalidTransform     = "InvalidTransformQuery"
	codeInvalidTransformOut  = "InvalidTransformOutput"     // unverified
	codeInvalidStream        = "InvalidStreamDeclaration"   // unverified
	codeInvalidDataFlow      = "InvalidDataFlow"            // unverified
	codeInvalidDestination   = "InvalidDestination"         // unverified
	codeInvalidLimitExceeded = "DataCollectionRuleTooLarge" // unverified
)

// builtinTables are the Azure tables the Logs Ingestion API may write
// (outputStream Microsoft-<Table>). Entra tables are not among them: Azure
// fills those only from diagnostic settings. Names starting with ASim or
// AWS are allowed as well (see builtinAllowed).
var builtinTables = map[string]bool{
	"CommonSecurityLog": true, "SecurityEvent": true, "Syslog": true, "WindowsEvent": true,
	"GCPAuditLogs": true, "Event": true, "DnsEvents": true,
}

func builtinAllowed(table string) bool {
	return builtinTables[table] || strings.HasPrefix(table, "ASim") && strings.HasSuffix(table, "Logs") ||
		strings.HasPrefix(table, "AWS")
}

// columnType maps a stream column type to its KQL type.
func columnType(name string) (types.Type, bool) {
	switch strings.ToLower(name) {
	case "string":
		return types.String, true
	case "int":
		return types.Int, true
	case "long":
		return types.Long, true
	case "real":
		return types.Real, true
	case "boolean":
		return types.Bool, true
	case "datetime":
		return types.Datetime, true
	case "dynamic":
		return types.Dynamic, true
	}
	return types.Null, false
}

// compiledRule is a validated rule ready for ingestion.
type compiledRule struct {
	rule    *Rule
	reg     *workspace.Registry
	streams map[string]vec.Schema // declared streams by name
	flows   []compiledFlow
	// invalid is why a stored rule no longer validates (its table or
	// workspace was deleted); such a rule refuses data.
	invalid *apierror.Error
}

type compiledFlow struct {
	streams   []string
	transform string // "" for pass-through
	table     string
	targets   []*workspace.Workspace
}

// invalid collects the details of an invalid rule.
type invalid struct{ details []*apierror.Error }

func (v *invalid) add(code, target, format string, args ...any) {
	v.details = append(v.details, &apierror.Error{Code: code, Target: target, Message: fmt.Sprintf(format, args...)})
}

func (v *invalid) err() *apierror.Error {
	if len(v.details) == 0 {
		return nil
	}
	e := apierror.New(http.StatusBadRequest, codeInvalidPayload, "Data collection rule is invalid")
	e.Details = v.details
	return e
}

// compile validates r against the workspaces of reg and prepares it for
// ingestion. Errors are ARM's 400 InvalidPayload with one detail per
// problem.
func compile(r *Rule, reg *workspace.Registry) (*compiledRule, *apierror.Error) {
	var v invalid
	p := &r.Properties
	c := &compiledRule{rule: r, reg: reg, streams: map[string]vec.Schema{}}
	if len(p.StreamDeclarations) > maxStreams {
		v.add(codeInvalidLimitExceeded, "properties.streamDeclarations", "A data collection rule may declare at most %d streams.", maxStreams)
	}
	for name, decl := range p.StreamDeclarations {
		target := "properties.streamDeclarations." + name
		if !strings.HasPrefix(name, "Custom-") || len(name) == len("Custom-") {
			v.add(codeInvalidStream, target, "Stream name '%s' must start with 'Custom-'.", name)
			continue
		}
		if sch, ok := streamSchema(&v, target, decl); ok {
			c.streams[name] = sch
		}
	}
	dests := map[string]*workspace.Workspace{}
	if len(p.Destinations.LogAnalytics) > maxDestinations {
		v.add(codeInvalidLimitExceeded, "properties.destinations.logAnalytics", "A data collection rule may have at most %d Log Analytics destinations.", maxDestinations)
	}
	for i, d := range p.Destinations.LogAnalytics {
		target := fmt.Sprintf("properties.destinations.logAnalytics[%d]", i)
		if d.Name == "" {
			v.add(codeInvalidDestination, target, "A destination needs a name.")
			continue
		}
		if _, dup := dests[d.Name]; dup {
			v.add(codeInvalidDestination, target, "Destination name '%s' is used twice.", d.Name)
			continue
		}
		ws, ok := reg.Get(d.WorkspaceResourceID)
		if !ok {
			v.add(codeInvalidDestination, target, "Workspace '%s' of destination '%s' does not exist.", d.WorkspaceResourceID, d.Name)
			continue
		}
		p.Destinations.LogAnalytics[i].WorkspaceID = ws.CustomerID
		dests[d.Name] = ws
	}
	if len(p.DataFlows) == 0 {
		v.add(codeInvalidDataFlow, "properties.dataFlows", "A data collection rule needs at least one data flow.")
	}
	if len(p.DataFlows) > maxDataFlows {
		v.add(codeInvalidLimitExceeded, "properties.dataFlows", "A data collection rule may have at most %d data flows.", maxDataFlows)
	}
	for i := range p.DataFlows {
		if f, ok := compileFlow(&v, fmt.Sprintf("properties.dataFlows[%d]", i), &p.DataFlows[i], c.streams, dests); ok {
			c.flows = append(c.flows, f)
		}
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	return c, nil
}

func streamSchema(v *invalid, target string, decl StreamDeclaration) (vec.Schema, bool) {
	if len(decl.Columns) == 0 {
		v.add(codeInvalidStream, target, "Stream declaration has no columns.")
		return nil, false
	}
	var sch vec.Schema
	ok := true
	for j, col := range decl.Columns {
		t, known := columnType(col.Type)
		switch {
		case !validColumnName(col.Name):
			v.add(codeInvalidStream, fmt.Sprintf("%s.columns[%d]", target, j),
				"Column name '%s' must start with a letter and have at most 45 letters, digits and underscores.", col.Name)
			ok = false
		case !known:
			v.add(codeInvalidStream, fmt.Sprintf("%s.columns[%d]", target, j),
				"Column '%s' has type '%s'; the types are string, int, long, real, boolean, datetime and dynamic.", col.Name, col.Type)
			ok = false
		case sch.Index(col.Name) >= 0:
			v.add(codeInvalidStream, fmt.Sprintf("%s.columns[%d]", target, j), "Column '%s' is declared twice.", col.Name)
			ok = false
		default:
			sch = append(sch, vec.Field{Name: col.Name, Type: t})
		}
	}
	return sch, ok
}

// validColumnName reports whether name is a legal custom column name:
// a letter, then letters, digits and '_', at most 45 characters.
func validColumnName(name string) bool {
	if name == "" || len(name) > 45 {
		return false
	}
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter || !letter && r != '_' && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func compileFlow(v *invalid, target string, f *DataFlow, streams map[string]vec.Schema, dests map[string]*workspace.Workspace) (compiledFlow, bool) {
	n := len(v.details)
	cf := compiledFlow{streams: f.Streams}
	if len(f.Streams) != 1 && strings.TrimSpace(f.TransformKql) != "" && strings.TrimSpace(f.TransformKql) != "source" {
		v.add(codeInvalidDataFlow, target, "A data flow with a transformation must have exactly one stream.")
	}
	if len(f.Streams) == 0 {
		v.add(codeInvalidDataFlow, target+".streams", "A data flow needs at least one stream.")
	}
	for _, s := range f.Streams {
		if _, ok := streams[s]; !ok && !strings.HasPrefix(s, "Microsoft-") {
			v.add(codeInvalidDataFlow, target+".streams", "Stream '%s' is not declared in streamDeclarations.", s)
		}
	}
	if len(f.Destinations) == 0 {
		v.add(codeInvalidDataFlow, target+".destinations", "A data flow needs at least one destination.")
	}
	for _, d := range f.Destinations {
		ws, ok := dests[d]
		if !ok {
			v.add(codeInvalidDataFlow, target+".destinations", "Destination '%s' is not defined in destinations.", d)
			continue
		}
		cf.targets = append(cf.targets, ws)
	}
	if len(f.TransformKql) > MaxTransformLength {
		v.add(codeInvalidTransform, target+".transformKql", "The transformation has %d characters; at most %d are allowed.", len(f.TransformKql), MaxTransformLength)
	}
	out := f.OutputStream
	if out == "" && len(f.Streams) == 1 {
		out = f.Streams[0]
	}
	table, custom, ok := outputTable(out)
	if !ok {
		v.add(codeInvalidOutputTable, target+".outputStream",
			"Output stream '%s' must be 'Custom-<Table>_CL' for a custom table or 'Microsoft-<Table>' for a built-in table.", out)
	}
	cf.table = table
	if len(v.details) > n {
		return cf, false
	}
	for _, ws := range cf.targets {
		t, ok := ws.Store().Lookup(table)
		if !ok || !custom && !builtinAllowed(table) {
			v.add(codeInvalidOutputTable, target, "Table for output stream '%s' is not available for destination '%s'.", out, destName(f, dests, ws))
			continue
		}
		if len(f.Streams) == 1 {
			in, declared := streams[f.Streams[0]]
			if !declared {
				in = t.Schema() // a Microsoft- stream has its table's columns
			}
			cf.transform = checkTransform(v, target+".transformKql", f.TransformKql, in, t.Schema())
		}
	}
	return cf, len(v.details) == n
}

func destName(f *DataFlow, dests map[string]*workspace.Workspace, ws *workspace.Workspace) string {
	for _, d := range f.Destinations {
		if dests[d] == ws {
			return d
		}
	}
	return ""
}

// outputTable returns the table an output stream names and whether it is
// a custom table.
func outputTable(stream string) (table string, custom, ok bool) {
	if t, found := strings.CutPrefix(stream, "Custom-"); found {
		return t, true, strings.HasSuffix(t, "_CL") && len(t) > 3
	}
	if t, found := strings.CutPrefix(stream, "Microsoft-"); found && t != "" {
		return t, false, true
	}
	return "", false, false
}

// isPassThrough reports whether a transformation leaves rows as they are.
func isPassThrough(kql string) bool {
	k := strings.TrimSpace(kql)
	return k == "" || k == "source"
}

// checkTransform type-checks kql over the stream's columns and checks that
// its output columns fit the output table. It returns the transformation
// to run ("" for pass-through).
func checkTransform(v *invalid, target, kql string, in, table vec.Schema) string {
	out := in
	if !isPassThrough(kql) {
		if err := transformSubset(kql); err != nil {
			v.add(codeInvalidTransform, target, "%v", err)
			return ""
		}
		res, err := runTransform(context.Background(), kql, in, nil)
		if err != nil {
			v.add(codeInvalidTransform, target, "The transformation does not compile: %v", err)
			return ""
		}
		out = res.Schema
	}
	for _, f := range out {
		i := table.Index(f.Name)
		if i < 0 {
			v.add(codeInvalidTransformOut, target, "Output column '%s' is not a column of the output table.", f.Name)
			continue
		}
		if !compatible(f.Type, table[i].Type) {
			v.add(codeInvalidTransformOut, target, "Output column '%s' is %s; the table's column is %s.", f.Name, f.Type, table[i].Type)
		}
	}
	if i := out.Index("TimeGenerated"); i < 0 {
		v.add(codeInvalidTransformOut, target, "The transformation output must contain TimeGenerated.")
	} else if t := out[i].Type; t != types.Datetime && t != types.Null {
		v.add(codeInvalidTransformOut, target, "TimeGenerated must be a datetime; the transformation gives %s.", t)
	}
	if isPassThrough(kql) {
		return ""
	}
	return kql
}

// transformOps are the tabular operators a transformation may use: those
// that take one row and give at most one (Azure Monitor's "Supported KQL
// features in transformations").
var transformOps = map[string]bool{
	"extend": true, "project": true, "print": true, "where": true, "parse": true,
	"project-away": true, "project-rename": true, "datatable": true,
}

// transformSubset checks that the pipelines of kql read source, print or
// datatable and use only transformOps.
func transformSubset(kql string) error {
	script, err := syntax.Parse(kql)
	if err != nil {
		return fmt.Errorf("the transformation does not compile: %v", err)
	}
	for _, st := range script.Stmts {
		es, ok := st.(*syntax.ExprStmt)
		if !ok {
			continue // let statements
		}
		for x := es.X; x != nil; {
			switch n := x.(type) {
			case *syntax.Pipe:
				if !transformOps[n.Op.Name()] {
					return fmt.Errorf("operator '%s' is not supported in transformations", n.Op.Name())
				}
				x = n.Source
			case *syntax.SourceOp:
				if name := n.Op.Name(); name != "print" && name != "datatable" {
					return fmt.Errorf("operator '%s' is not supported in transformations", name)
				}
				x = nil
			default:
				x = nil
			}
		}
	}
	return nil
}

// compatible reports whether values of type from may be stored in a column
// of type to.
func compatible(from, to types.Type) bool {
	switch {
	case from == to || from == types.Null || to == types.Dynamic || to == types.String:
		return true
	case from.IsNumeric() && to.IsNumeric():
		return true
	case from == types.Dynamic:
		return true // the value is converted, or null when it does not fit
	}
	return false
}

// runTransform runs kql over a table named source with schema in and rows
// data (nil for none).
func runTransform(ctx context.Context, kql string, in vec.Schema, data *vec.Batch) (*engine.Result, error) {
	src := &engine.MemTable{TableName: "source", Sch: in, Data: data}
	e := &engine.Engine{Catalog: engine.Catalog{"source": src}}
	res, err := e.Query(ctx, kql)
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("the transformation gives %d results, not one", len(res))
	}
	return res[0], nil
}
