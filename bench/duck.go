package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/idlogs/idlogs/kql/types"
)

// duck is the DuckDB side: a database file holding SigninLogs.
type duck struct {
	path string
	conn *duckdb.Connector
	db   *sql.DB
}

func openDuck(path string) (*duck, error) {
	c, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("open DuckDB %s: %w", path, err)
	}
	d := &duck{path: path, conn: c, db: sql.OpenDB(c)}
	if _, err := d.db.Exec(createSQL()); err != nil {
		d.Close()
		return nil, fmt.Errorf("create table: %w", err)
	}
	return d, nil
}

// createSQL is the DuckDB table: dynamic columns as JSON text, datetimes as
// TIMESTAMP.
func createSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE SigninLogs (")
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		t := "VARCHAR"
		switch c.typ {
		case types.Datetime:
			t = "TIMESTAMP"
		case types.Bool:
			t = "BOOLEAN"
		case types.Long:
			t = "BIGINT"
		case types.Dynamic:
			t = "VARCHAR"
		}
		fmt.Fprintf(&b, "%s %s", c.name, t)
	}
	b.WriteString(")")
	return b.String()
}

// load appends the dataset with the Appender API, checkpoints, and
// measures the file. The time counted is appending and checkpointing.
func (d *duck) load(rows int, seed uint64) (loadStats, error) {
	var st loadStats
	raw, err := d.conn.Connect(context.Background())
	if err != nil {
		return st, err
	}
	defer raw.Close()
	app, err := duckdb.NewAppenderFromConn(raw, "", "SigninLogs")
	if err != nil {
		return st, fmt.Errorf("appender: %w", err)
	}
	g := newGenerator(rows, seed)
	buf := make([]signin, chunkRows)
	vals := make([]driver.Value, len(columns))
	var elapsed time.Duration
	for {
		n := g.next(buf)
		if n == 0 {
			break
		}
		start := time.Now()
		for r := range buf[:n] {
			s := &buf[r]
			for i, c := range columns {
				switch {
				case c.str != nil:
					vals[i] = c.str(s)
				case c.typ == types.Datetime:
					vals[i] = types.TimeFromTicks(c.num(s))
				case c.typ == types.Bool:
					vals[i] = c.num(s) != 0
				case c.num != nil:
					vals[i] = c.num(s)
				default:
					_, js := c.dyn(s)
					vals[i] = js
				}
			}
			if err := app.AppendRow(vals...); err != nil {
				return st, fmt.Errorf("append row: %w", err)
			}
		}
		elapsed += time.Since(start)
		st.Rows += n
	}
	start := time.Now()
	if err := app.Close(); err != nil {
		return st, fmt.Errorf("close appender: %w", err)
	}
	if _, err := d.db.Exec("CHECKPOINT"); err != nil {
		return st, fmt.Errorf("checkpoint: %w", err)
	}
	elapsed += time.Since(start)
	st.finish(elapsed, fileSize(d.path)+fileSize(d.path+".wal"))
	return st, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// settings reports DuckDB's version and worker threads.
func (d *duck) settings() (version string, threads int64, err error) {
	err = d.db.QueryRow("SELECT version(), current_setting('threads')").Scan(&version, &threads)
	return version, threads, err
}

func (d *duck) run(q query) (table, error) {
	rows, err := d.db.Query(q.sql)
	if err != nil {
		return nil, err
	}
	return fromSQL(rows)
}

func (d *duck) Close() error {
	err := d.db.Close()
	if cerr := d.conn.Close(); err == nil {
		err = cerr
	}
	return err
}
