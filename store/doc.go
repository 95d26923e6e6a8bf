// Package store is the workspace store: durable, queryable tables of log
// rows, like the extents of a Kusto table.
//
// The path of a batch:
//
//	Append ─▶ write-ahead log (group commit, fsync) ─▶ in-memory tail ─▶ segment files ─▶ merged segments
//	           acknowledged here                         queryable here    flushed in the background
//
// A batch is accepted whole or rejected whole: it is checked against the
// table's schema, encoded as one WAL record (package rowcodec) and added to
// the table's tail only after the record is durable. Queries take a snapshot
// of a table's segments and tail under a short lock, so they never see half
// a batch, and appends never wait for queries.
//
// The tail is flushed to an immutable segment file (package segment) when it
// grows past Options.FlushRows or ages past Options.FlushInterval. The
// manifest (MANIFEST.json, replaced atomically) lists every table with its
// schema and live segments; each segment carries the WAL sequence numbers
// (LSNs) of the batches it holds. On open, the store loads the manifest,
// deletes files the manifest does not name (a crash mid-flush or mid-merge),
// and replays the WAL records that no segment holds, so every acknowledged
// batch is present exactly once. WAL files whose records are all in
// segments are removed.
//
// Small segments are merged in the background into larger ones; retention
// drops whole segments whose rows are all older than the table's retention.
//
// Layout of a store directory:
//
//	MANIFEST.json        tables, schemas, segments (atomically replaced)
//	wal/                 write-ahead log files (package wal)
//	tables/<name>/       segment files seg-<id>.seg of that table
package store
