// Package kafkatest starts in-process Kafka-protocol clusters (franz-go's
// kfake) for tests, among them one that authenticates as Event Hubs' Kafka
// endpoint does.
package kafkatest

import (
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/idlogs/idlogs/pki"
)

// Key is the shared access key of the connection strings SASLCluster
// makes.
const Key = "a2V5LWZvci10ZXN0cw=="

// SASL is a cluster that authenticates as Event Hubs does.
type SASL struct {
	*kfake.Cluster
	// ConnectionString is the namespace's connection string; its
	// endpoint is the broker's address.
	ConnectionString string
	// TLS is a client configuration that trusts the broker's certificate,
	// which CAFile (PEM) holds the CA of.
	TLS    *tls.Config
	CAFile string
}

// SASLCluster starts a kfake cluster that wants TLS and SASL PLAIN with
// user $ConnectionString and the connection string as the password, as
// Event Hubs does. opts are added to the cluster's.
func SASLCluster(t testing.TB, opts ...kfake.Opt) *SASL {
	t.Helper()
	f, err := pki.Ensure(t.TempDir(), []string{"localhost", "127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	server, err := pki.Config(f.Cert, f.Key)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pki.Pool(f.CA)
	if err != nil {
		t.Fatal(err)
	}
	// The password is the whole connection string, which names the
	// broker's address: listen first, then make the cluster.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cs := "Endpoint=sb://" + ln.Addr().String() + "/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + Key
	c, err := kfake.NewCluster(append([]kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ListenFn(func(string, string) (net.Listener, error) { return ln, nil }),
		kfake.TLS(server), kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "$ConnectionString", cs),
		kfake.AllowAutoTopicCreation(),
	}, opts...)...)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &SASL{Cluster: c, ConnectionString: cs, TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, CAFile: f.CA}
}

// Cluster starts a plain kfake cluster with automatic topic creation;
// opts are added to its options.
func Cluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
