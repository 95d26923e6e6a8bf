package main

import (
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// table is a query result with every cell in one text form both engines
// can be brought to: datetimes as RFC 3339 UTC with microseconds, numbers
// in decimal.
type table [][]string

const timeLayout = "2006-01-02T15:04:05.000000Z"

func fromEngine(res []*engine.Result) (table, error) {
	if len(res) != 1 {
		return nil, fmt.Errorf("query returned %d result sets, want 1", len(res))
	}
	b := res[0].Rows
	t := make(table, b.N)
	for r := 0; r < b.N; r++ {
		row := make([]string, len(b.Cols))
		for c, col := range b.Cols {
			row[c] = cellKQL(col.Value(r))
		}
		t[r] = row
	}
	return t, nil
}

func cellKQL(v types.Value) string {
	if v.IsNull() && v.Type != types.String {
		return "null"
	}
	switch v.Type {
	case types.Datetime:
		return types.TimeFromTicks(v.I).Format(timeLayout)
	case types.Bool:
		return strconv.FormatBool(v.I != 0)
	case types.Int, types.Long, types.Timespan:
		return strconv.FormatInt(v.I, 10)
	case types.Real, types.Decimal:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case types.String, types.Guid:
		return v.S
	}
	return fmt.Sprint(v.D)
}

func fromSQL(rows *sql.Rows) (table, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var t table
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = cellSQL(v)
		}
		t = append(t, row)
	}
	return t, rows.Err()
}

func cellSQL(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case time.Time:
		return x.UTC().Format(timeLayout)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return x.String()
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// compare reports how got (idlogs) differs from want (DuckDB), or "" when
// they agree.
func compare(q query, got, want table) string {
	if len(got) != len(want) {
		return fmt.Sprintf("idlogs returned %d rows, DuckDB %d", len(got), len(want))
	}
	if !q.ordered {
		got, want = sortedRows(got), sortedRows(want)
	}
	for r := range got {
		if len(got[r]) != len(want[r]) {
			return fmt.Sprintf("row %d: idlogs has %d columns, DuckDB %d", r, len(got[r]), len(want[r]))
		}
		for c := range got[r] {
			if !sameCell(got[r][c], want[r][c], q.tolerance) {
				return fmt.Sprintf("row %d column %d: idlogs %q, DuckDB %q", r, c, got[r][c], want[r][c])
			}
		}
	}
	return ""
}

func sortedRows(t table) table {
	out := slices.Clone(t)
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00")) })
	return out
}

func sameCell(a, b string, tolerance float64) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return false
	}
	if tolerance == 0 {
		return x == y
	}
	return math.Abs(x-y) <= tolerance*math.Max(math.Abs(x), math.Abs(y))
}
