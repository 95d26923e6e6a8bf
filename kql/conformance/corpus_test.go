package conformance

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
)

// docsCorpus is the docs examples corpus, relative to the shared folder.
const docsCorpus = "conformance/kql-docs-examples.jsonl"

// docsGapsFile lists the docs records that fail or error.
const docsGapsFile = "../testdata/known-gaps.txt"

// docsErrorsFile lists the docs records whose docs show the query failing:
// for them an error is the expected outcome.
const docsErrorsFile = "../testdata/docs-expected-errors.txt"

var docsGapsHeader = []string{
	"Records of shared/conformance/kql-docs-examples.jsonl that fail or error, one id per line",
	"followed by the status and the start of the message when the list was written.",
	"TestDocsCorpus fails when an unlisted record fails or a listed one stops failing.",
	"Rewrite with: go test ./kql/conformance -run TestDocsCorpus -update",
}

// TestDocsCorpus runs every docs example and checks the failures against
// the known-gaps list.
func TestDocsCorpus(t *testing.T) {
	records, err := ReadFile(filepath.Join(sharedDir(t), docsCorpus))
	if err != nil {
		t.Fatal(err)
	}
	wantError, err := readGaps(docsErrorsFile)
	if err != nil {
		t.Fatal(err)
	}
	check := newGapCheck(t, docsGapsFile)
	runner := &Runner{Timeout: DefaultTimeout}
	counts := map[Status]int{}
	expectedErrors := 0
	for _, o := range runner.RunAll(context.Background(), records, runtime.GOMAXPROCS(0)) {
		counts[o.Status]++
		if wantError[o.ID] {
			if o.Status == Error {
				expectedErrors++
			} else {
				o.Status, o.Message = Fail, "ran, but the docs show this query failing"
			}
			check.record(o, o.Status != Error)
			continue
		}
		check.record(o, o.Status == Fail || o.Status == Error)
	}
	check.finish(docsGapsHeader)
	t.Logf("%d records: %d passed, %d failed, %d errors (%d of them the failures the docs show), %d skipped",
		len(records), counts[Pass], counts[Fail], counts[Error], expectedErrors, counts[Skip])
}
