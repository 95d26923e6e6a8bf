package web

import (
	"os/exec"
	"testing"
)

// TestJavaScript runs the unit tests of the page's modules (jstest/) with
// node's test runner.
func TestJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for the web UI's JavaScript tests: install Node.js (see .ci/run)")
	}
	out, err := exec.Command(node, "--test", "jstest/").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test jstest/: %v\n%s", err, out)
	}
}
