package conformance

import (
	"context"
	"path/filepath"
	"testing"
)

// sentinelCorpus is the Sentinel and workbook query corpus, relative to the
// shared folder.
const sentinelCorpus = "conformance/sentinel-entra-queries.jsonl"

// sentinelGapsFile lists the Sentinel records that do not check and run.
const sentinelGapsFile = "../testdata/sentinel-known-gaps.txt"

var sentinelGapsHeader = []string{
	"Records of shared/conformance/sentinel-entra-queries.jsonl that the official parser accepts",
	"(workbooks: with parameter stand-ins) but that do not check and run on empty tables",
	"with the schemas of shared/spec/tables, or of the embedded workspace/schema catalog for",
	"tables the specification lacks, followed by the error when the list was written.",
	"TestSentinelCorpus fails when an unlisted record errors or a listed one runs.",
	"Rewrite with: go test ./kql/conformance -run TestSentinelCorpus -update",
}

// TestSentinelCorpus checks and runs every Sentinel query the official
// parser accepts against empty tables with the published schemas: the
// queries have no expected output, so this measures how much real-world
// KQL the engine accepts. A table takes its schema from shared/spec/tables
// when the specification describes it and otherwise from the embedded
// workspace/schema catalog (standard tables such as Syslog or
// OfficeActivity that Sentinel content queries beside the Entra ones).
func TestSentinelCorpus(t *testing.T) {
	shared := sharedDir(t)
	records, err := ReadFile(filepath.Join(shared, sentinelCorpus))
	if err != nil {
		t.Fatal(err)
	}
	catalog := workspaceTables(t)
	check := newGapCheck(t, sentinelGapsFile)
	runner := &Runner{Catalog: catalog, Timeout: DefaultTimeout}
	var ran, ok int
	for _, rec := range records {
		query, officialOK := rec.Input()
		if !officialOK {
			continue
		}
		ran++
		o := Outcome{ID: rec.ID, Status: Pass}
		if _, err := runner.Query(context.Background(), query); err != nil {
			o.Status, o.Message = Error, firstLine(err.Error())
		} else {
			ok++
		}
		check.record(o, o.Status == Error)
	}
	check.finish(sentinelGapsHeader)
	t.Logf("%d records, %d the official parser accepts: %d check and run, %d errors",
		len(records), ran, ok, ran-ok)
}
