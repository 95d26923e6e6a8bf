package query

import (
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
)

// Statistics is the statistics object of include-statistics. Only what
// idlogs measures is filled in: the run time, the CPU time when the query
// ran alone (see cpuSample), the rows of the tables read and the rows their
// scans returned, and the size of each result table. Memory, cache and
// shard figures are left out rather than guessed.
type Statistics struct {
	Query QueryStatistics `json:"query"`
}

// QueryStatistics is statistics.query.
type QueryStatistics struct {
	// ExecutionTime is the engine's run time in seconds.
	ExecutionTime          float64                `json:"executionTime"`
	ResourceUsage          map[string]any         `json:"resourceUsage"`
	InputDatasetStatistics InputDatasetStatistics `json:"inputDatasetStatistics"`
	DatasetStatistics      []DatasetStatistics    `json:"datasetStatistics"`
	CrossClusterResource   map[string]any         `json:"crossClusterResourceUsage"`
}

// InputDatasetStatistics describes the data the query read.
type InputDatasetStatistics struct {
	Rows RowStatistics `json:"rows"`
}

// RowStatistics counts rows: Total held by the tables the query read,
// Scanned returned by their scans (after skipping blocks by time range,
// before any other filter).
type RowStatistics struct {
	Total   int64 `json:"total"`
	Scanned int64 `json:"scanned"`
}

// DatasetStatistics describes one result table: its rows and the bytes of
// their JSON encoding.
type DatasetStatistics struct {
	TableRowCount int   `json:"tableRowCount"`
	TableSize     int64 `json:"tableSize"`
}

func statistics(elapsed time.Duration, cat *catalog, tables []*Table) *Statistics {
	cat.mu.Lock()
	total := cat.total
	cat.mu.Unlock()
	st := &Statistics{Query: QueryStatistics{
		ExecutionTime:          elapsed.Seconds(),
		ResourceUsage:          map[string]any{},
		InputDatasetStatistics: InputDatasetStatistics{Rows: RowStatistics{Total: total, Scanned: cat.scanned.Load()}},
		DatasetStatistics:      []DatasetStatistics{},
		CrossClusterResource:   map[string]any{},
	}}
	for _, t := range tables {
		st.Query.DatasetStatistics = append(st.Query.DatasetStatistics, DatasetStatistics{TableRowCount: t.RowCount, TableSize: int64(len(t.Rows))})
	}
	return st
}

// Render is the render object of include-render: the visualization of the
// query's `render` operator and its properties. Every field is null when
// the query has no render; yMin and yMax are "NaN" when the query does not
// set them, as Kusto sends them.
type Render struct {
	Visualization  *string `json:"visualization"`
	Title          *string `json:"title"`
	Accumulate     *bool   `json:"accumulate"`
	IsQuerySorted  *bool   `json:"isQuerySorted"`
	Kind           *string `json:"kind"`
	Legend         *string `json:"legend"`
	Series         *string `json:"series"`
	YMin           any     `json:"yMin"`
	YMax           any     `json:"yMax"`
	XAxis          *string `json:"xAxis"`
	XColumn        *string `json:"xColumn"`
	XTitle         *string `json:"xTitle"`
	YAxis          *string `json:"yAxis"`
	YColumns       *string `json:"yColumns"`
	YSplit         *string `json:"ySplit"`
	YTitle         *string `json:"yTitle"`
	AnomalyColumns *string `json:"anomalyColumns"`
}

// renderOf returns the render object of the first result that has one.
// isQuerySorted is false: idlogs does not track whether the rows reached
// render sorted.
func renderOf(results []*engine.Result) *Render {
	out := &Render{}
	for _, r := range results {
		if r.Render == nil {
			continue
		}
		props := map[string]string{}
		for k, v := range r.Render.Properties {
			props[strings.ToLower(k)] = v
		}
		str := func(key string) *string {
			if v, ok := props[key]; ok {
				return &v
			}
			return nil
		}
		num := func(key string) any {
			if f, err := strconv.ParseFloat(props[key], 64); err == nil {
				return f
			}
			return "NaN"
		}
		vis := r.Render.Visualization
		acc := strings.EqualFold(props["accumulate"], "true")
		sorted := false
		*out = Render{Visualization: &vis, Title: str("title"), Accumulate: &acc, IsQuerySorted: &sorted,
			Kind: str("kind"), Legend: str("legend"), Series: str("series"), YMin: num("ymin"), YMax: num("ymax"),
			XAxis: str("xaxis"), XColumn: str("xcolumn"), XTitle: str("xtitle"), YAxis: str("yaxis"),
			YColumns: str("ycolumns"), YSplit: str("ysplit"), YTitle: str("ytitle"), AnomalyColumns: str("anomalycolumns")}
		break
	}
	return out
}

// cpuSample is the process's CPU time when a query started. The process
// runs more than the query (HTTP, garbage collection, the store's
// background work), so the figure is an upper bound, and it is reported
// only when no other query overlapped.
type cpuSample struct {
	user, kernel time.Duration
	ok           bool
}

func startCPU() cpuSample {
	u, k, ok := processCPU()
	return cpuSample{u, k, ok}
}

// report adds resourceUsage.cpu: the CPU time used since the sample.
func (c cpuSample) report(st *Statistics) {
	u, k, ok := processCPU()
	if !c.ok || !ok {
		return
	}
	du, dk := u-c.user, k-c.kernel
	st.Query.ResourceUsage["cpu"] = map[string]string{
		"user": formatTimespan(du), "kernel": formatTimespan(dk), "totalCpu": formatTimespan(du + dk)}
}
