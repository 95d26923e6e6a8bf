package conformance

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
	checkAllowedGaps(t, ran)
}

// sentinelOfficialFile lists the gap records that Kusto's own semantic
// analyzer rejects too (see its header for how it was made).
const sentinelOfficialFile = "../testdata/sentinel-official-rejects.txt"

// allowedGap matches the errors of the kinds of query idlogs may refuse
// although Kusto accepts them: external data, Sentinel watchlists, ASIM
// parser functions and GeoIP lookups, which need a cluster, a Sentinel
// workspace or a GeoIP database.
var allowedGap = regexp.MustCompile(`externaldata is not supported|'_GetWatchlist'|'(im|_Im_|_ASim_|ASim)[A-Za-z]+'|'geo_info_from_ip_address'`)

// checkAllowedGaps holds the listed gaps that Kusto's analyzer accepts to
// the allowed kinds and to under 5% of the records checked.
func checkAllowedGaps(t *testing.T, checked int) {
	official := map[string]bool{}
	for _, line := range readLines(t, sentinelOfficialFile) {
		official[strings.Fields(line)[0]] = true
	}
	accepted := 0
	for _, line := range readLines(t, sentinelGapsFile) {
		id := strings.Fields(line)[0]
		if official[id] {
			continue
		}
		accepted++
		if !allowedGap.MatchString(line) {
			t.Errorf("%s: Kusto accepts this query and its error is not of an allowed kind: %s", id, line)
		}
	}
	t.Logf("%d listed records Kusto's analyzer accepts (%.1f%% of %d), all of allowed kinds", accepted, 100*float64(accepted)/float64(checked), checked)
	if accepted*20 >= checked {
		t.Errorf("%d of %d records (≥ 5%%) are refused although Kusto accepts them", accepted, checked)
	}
}

// readLines returns the non-comment, non-blank lines of a testdata file.
func readLines(t *testing.T, name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
