package ingest

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// Data Collector API limits.
const (
	MaxCollectBytes    = 30 << 20
	maxCollectField    = 32 << 10
	maxCollectColumns  = 500
	maxColumnName      = 45
	maxLogTypeLength   = 100
	additionalFields   = "AdditionalFields"
	collectSourceSytem = "RestAPI" // unverified
)

// Error codes of the Data Collector API (from its documentation).
const (
	CodeInvalidLogType    = "InvalidLogType"
	CodeInvalidDataFormat = "InvalidDataFormat"
	// CodeRequestTooLarge goes with 404, which the documentation gives for
	// a request that is too large; the code itself is unverified.
	CodeRequestTooLarge = "RequestTooLarge"
)

// reserved are property names the Data Collector API refuses.
var reserved = []string{"tenant", "TimeGenerated", "RawData"}

// standardCollectColumns lead every Data Collector table.
var standardCollectColumns = vec.Schema{
	{Name: "TimeGenerated", Type: types.Datetime},
	{Name: "TenantId", Type: types.String},
	{Name: "Type", Type: types.String},
	{Name: "SourceSystem", Type: types.String},
}

// suffixTypes are the Data Collector column suffixes and their types. A
// GUID (_g) is kept as dashed lower-case text.
var suffixTypes = map[string]types.Type{
	"_s": types.String, "_d": types.Real, "_b": types.Bool, "_t": types.Datetime, "_g": types.String,
}

// reuseOrder is the order in which existing columns of a property are
// tried when the value's own suffix has no column.
var reuseOrder = []string{"_t", "_g", "_d", "_b", "_s"}

// iso8601 matches the date and time forms inferred as _t.
var iso8601 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$`)

// guidText matches a GUID with or without dashes.
var guidText = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$`)

// Infer returns the column suffix of a JSON value and the value as that
// column holds it: _b for booleans, _d for numbers, _g for GUID text
// (normalised to dashed lower case), _t for ISO 8601 text, _s for other
// text and for objects and arrays (as JSON text; unverified). A null gives
// "".
func Infer(v any) (string, types.Value) {
	switch x := v.(type) {
	case nil:
		return "", types.Value{}
	case bool:
		return "_b", types.NewBool(x)
	case int64:
		return "_d", types.NewReal(float64(x))
	case float64:
		return "_d", types.NewReal(x)
	case string:
		if guidText.MatchString(x) {
			g, _ := types.ParseGuid(x)
			return "_g", types.NewString(g)
		}
		if iso8601.MatchString(x) {
			if t, ok := types.ParseDatetime(x); ok {
				return "_t", types.NewDatetime(t)
			}
		}
		return "_s", types.NewString(truncate(x, maxCollectField))
	}
	return "_s", types.NewString(truncate(types.FormatJSON(v), maxCollectField))
}

// convertTo converts a JSON value for an existing column with suffix
// suffix, reporting whether it fits.
func convertTo(v any, suffix string) (types.Value, bool) {
	own, val := Infer(v)
	if own == suffix {
		return val, true
	}
	switch suffix {
	case "_s":
		return types.NewString(truncate(toText(v), maxCollectField)), true
	case "_d":
		if s, ok := v.(string); ok {
			if f, ok := types.ParseReal(strings.TrimSpace(s)); ok {
				return types.NewReal(f), true
			}
		}
	case "_b":
		if s, ok := v.(string); ok {
			if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
				return types.NewBool(b), true
			}
		}
	}
	return types.Value{}, false
}

// collectPlan is the columns of a Data Collector table while a request is
// laid out: the existing schema followed by the columns the request adds.
type collectPlan struct {
	schema vec.Schema
	added  int
	// bySuffix maps a property name to its columns by suffix.
	bySuffix map[string]map[string]int
	extra    int // index of AdditionalFields, or -1
}

func newCollectPlan(existing vec.Schema) *collectPlan {
	p := &collectPlan{schema: append(vec.Schema(nil), existing...), bySuffix: map[string]map[string]int{}, extra: existing.Index(additionalFields)}
	for i, f := range existing {
		if len(f.Name) > 2 {
			base, suf := f.Name[:len(f.Name)-2], f.Name[len(f.Name)-2:]
			if t, ok := suffixTypes[suf]; ok && t == f.Type {
				p.index(base, suf, i)
			}
		}
	}
	return p
}

func (p *collectPlan) index(base, suf string, i int) {
	m := p.bySuffix[base]
	if m == nil {
		m = map[string]int{}
		p.bySuffix[base] = m
	}
	m[suf] = i
}

func (p *collectPlan) add(name string, t types.Type) int {
	p.schema = append(p.schema, vec.Field{Name: name, Type: t})
	p.added++
	return len(p.schema) - 1
}

// place returns the column of property name for value v and v as that
// column holds it; -1 means the value goes to AdditionalFields.
func (p *collectPlan) place(name string, v any) (int, types.Value, error) {
	suf, val := Infer(v)
	cols := p.bySuffix[name]
	if i, ok := cols[suf]; ok {
		return i, val, nil
	}
	for _, s := range reuseOrder {
		if i, ok := cols[s]; ok {
			if cv, fits := convertTo(v, s); fits {
				return i, cv, nil
			}
		}
	}
	col := name + suf
	if len(col) > maxColumnName {
		return 0, val, apierror.New(http.StatusBadRequest, CodeInvalidDataFormat,
			"Property '%s' makes column '%s', longer than %d characters.", name, col, maxColumnName)
	}
	if len(p.schema) >= maxCollectColumns {
		if p.extra < 0 {
			p.extra = p.add(additionalFields, types.Dynamic)
		}
		return -1, val, nil
	}
	i := p.add(col, suffixTypes[suf])
	p.index(name, suf, i)
	return i, val, nil
}

// propertyName makes a property name a column name: characters other than
// letters, digits and '_' are dropped (Fluent Bit's "@timestamp" becomes
// "timestamp"; unverified how Azure treats them).
func propertyName(k string) string {
	var b strings.Builder
	for _, r := range k {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Collect ingests a Data Collector API request into table <logType>_CL of
// ws, creating the table on first use and adding a column for every new
// property and type; timeField names the property holding TimeGenerated
// ("" for the receive time now) and resourceID fills _ResourceId. The
// request is all or nothing. Errors are *apierror.Error values.
func (s *Service) Collect(ctx context.Context, ws *workspace.Workspace, logType, timeField, resourceID string, body []byte, now time.Time) error {
	if len(body) > MaxCollectBytes {
		return apierror.New(http.StatusNotFound, CodeRequestTooLarge, "The request has %d bytes; at most %d are accepted.", len(body), MaxCollectBytes)
	}
	if !validLogType(logType) {
		return apierror.New(http.StatusBadRequest, CodeInvalidLogType,
			"Log-Type '%s' must have 1 to %d letters, digits and underscores.", logType, maxLogTypeLength)
	}
	recs, err := parseRecords(body)
	if err != nil {
		return apierror.New(http.StatusBadRequest, CodeInvalidDataFormat, "The body is not a JSON array of objects: %v", err)
	}
	t, b, err := s.prepareCollect(ws, logType+"_CL", resourceID, timeField, recs, now)
	if err != nil || b == nil {
		return err
	}
	// The append runs after the table lock is released, so concurrent
	// calls share the write-ahead log's group commits; a batch laid out
	// before another call widens the table reads the new columns as null.
	return t.Append(ctx, b)
}

// prepareCollect creates or widens the table for recs under the table's
// lock and lays the records out in its columns; a nil batch means there is
// nothing to append.
func (s *Service) prepareCollect(ws *workspace.Workspace, table, resourceID, timeField string, recs []*types.Bag, now time.Time) (*store.Table, *vec.Batch, error) {
	defer s.lockTable(ws, table).Unlock()
	st := ws.Store()
	var existing vec.Schema
	t, exists := st.Lookup(table)
	if exists {
		existing = t.Schema()
	} else {
		existing = append(vec.Schema(nil), standardCollectColumns...)
	}
	plan := newCollectPlan(existing)
	if resourceID != "" && plan.schema.Index("_ResourceId") < 0 {
		plan.add("_ResourceId", types.String)
	}
	rows, times, err := plan.layoutRecords(recs, timeField)
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, nil
	}
	if !exists {
		opt := store.TableOptions{TimeColumn: "TimeGenerated", Retention: time.Duration(ws.RetentionInDays) * 24 * time.Hour}
		if t, err = st.CreateTable(table, plan.schema, opt); err != nil {
			return nil, nil, err
		}
	} else if plan.added > 0 {
		if t, err = st.AlterTable(table, plan.schema, t.Options().Retention); err != nil {
			return nil, nil, err
		}
	}
	return t, plan.batch(rows, times, ws, table, resourceID, now), nil
}

func validLogType(s string) bool {
	if s == "" || len(s) > maxLogTypeLength {
		return false
	}
	return propertyName(s) == s
}

// layoutRecords places every property of every record in a column and
// reads each record's time field (null when absent or not a datetime).
func (p *collectPlan) layoutRecords(recs []*types.Bag, timeField string) ([]map[int]types.Value, []types.Value, error) {
	rows := make([]map[int]types.Value, len(recs))
	times := make([]types.Value, len(recs))
	for r, rec := range recs {
		row := map[int]types.Value{}
		var extra *types.Bag
		for k, key := range rec.Keys {
			for _, rsv := range reserved {
				if strings.EqualFold(key, rsv) {
					return nil, nil, apierror.New(http.StatusBadRequest, CodeInvalidDataFormat,
						"record %d: property '%s' is reserved.", r, key)
				}
			}
			v := rec.Vals[k]
			if v == nil {
				continue
			}
			name := propertyName(key)
			if name == "" {
				return nil, nil, apierror.New(http.StatusBadRequest, CodeInvalidDataFormat,
					"record %d: property '%s' has no letters or digits.", r, key)
			}
			if key == timeField {
				if s, ok := v.(string); ok {
					if ticks, ok := types.ParseDatetime(s); ok {
						times[r] = types.NewDatetime(ticks)
					}
				}
			}
			i, val, err := p.place(name, v)
			if err != nil {
				return nil, nil, err
			}
			if i < 0 {
				if extra == nil {
					extra = &types.Bag{}
				}
				extra.Set(key, v)
				continue
			}
			row[i] = val
		}
		if extra != nil {
			row[p.extra] = types.NewDynamic(extra)
		}
		rows[r] = row
	}
	return rows, times, nil
}

// batch builds the rows in the plan's schema with the standard columns.
func (p *collectPlan) batch(rows []map[int]types.Value, times []types.Value, ws *workspace.Workspace, table, resourceID string, now time.Time) *vec.Batch {
	n := len(rows)
	cols := make([]*vec.Column, len(p.schema))
	for i, f := range p.schema {
		switch f.Name {
		case "TimeGenerated":
			cols[i] = TimeGenerated(vec.FromValues(types.Datetime, times), now)
			continue
		case "TenantId":
			cols[i] = vec.NewConst(types.NewString(ws.CustomerID), n)
			continue
		case "Type":
			cols[i] = vec.NewConst(types.NewString(table), n)
			continue
		case "SourceSystem":
			cols[i] = vec.NewConst(types.NewString(collectSourceSytem), n)
			continue
		case "_ResourceId":
			cols[i] = vec.NewConst(types.NewString(resourceID), n)
			continue
		}
		b := vec.NewBuilder(f.Type, n)
		for _, row := range rows {
			if v, ok := row[i]; ok {
				b.Append(v)
			} else {
				b.AppendNull()
			}
		}
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, n)
}
