package kafkaconn

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
)

const sample = "Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0LWtleQ==;EntityPath=insights-logs-signinlogs"

func TestParseConnectionString(t *testing.T) {
	cs, err := ParseConnectionString(sample)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Broker() != "contoso-logs.servicebus.windows.net:9093" || cs.ServerName() != "contoso-logs.servicebus.windows.net" {
		t.Errorf("broker %q, server name %q", cs.Broker(), cs.ServerName())
	}
	if cs.KeyName != "RootManageSharedAccessKey" || cs.EntityPath != "insights-logs-signinlogs" || cs.Secret() != sample {
		t.Errorf("parsed %+v", cs)
	}
	if s := cs.String(); strings.Contains(s, "c2VjcmV0") {
		t.Errorf("String shows the key: %s", s)
	}
	// Keys in any case, spaces, a trailing ';', a port.
	cs, err = ParseConnectionString(" endpoint=sb://127.0.0.1:39093/ ; sharedaccesskeyname=r;SHAREDACCESSKEY=k; ")
	if err != nil {
		t.Fatal(err)
	}
	if cs.Broker() != "127.0.0.1:39093" || cs.ServerName() != "127.0.0.1" {
		t.Errorf("broker %q, server name %q", cs.Broker(), cs.ServerName())
	}
}

func TestParseConnectionStringErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"SharedAccessKeyName=r;SharedAccessKey=topsecret", "no Endpoint"},
		{"Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=topsecret", "not an sb://"},
		{"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=topsecret", "needs SharedAccessKeyName"},
		{"Endpoint=sb://ns.servicebus.windows.net/;topsecret", "without '='"},
	} {
		_, err := ParseConnectionString(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%q: error shows the key: %v", tc.in, err)
		}
	}
}

func TestResolvePlain(t *testing.T) {
	brokers, cs, opts, err := Config{Brokers: []string{"a:9092", "b:9092"}}.Resolve()
	if err != nil || cs != nil || len(brokers) != 2 || len(opts) != 1 {
		t.Errorf("got %v %v %d opts %v", brokers, cs, len(opts), err)
	}
	if _, _, _, err := (Config{}).Resolve(); err == nil {
		t.Error("no brokers: want an error")
	}
}

// TestEventHubsEndpoint produces and consumes through a broker that, like
// Event Hubs' Kafka endpoint, wants TLS and SASL PLAIN with the connection
// string as the password; a wrong key is refused.
func TestEventHubsEndpoint(t *testing.T) {
	k := kafkatest.SASLCluster(t)
	cs, cliTLS := k.ConnectionString, k.TLS
	cfg := Config{ConnectionString: cs, TLS: cliTLS}
	brokers, _, opts, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(append(opts, kgo.DefaultProduceTopic("hub"), kgo.AllowAutoTopicCreation(), kgo.ConsumeTopics("hub"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte(`{"records":[]}`)}).FirstErr(); err != nil {
		t.Fatalf("produce to %v: %v", brokers, err)
	}
	fs := cl.PollFetches(ctx)
	if errs := fs.Errors(); len(errs) > 0 || fs.NumRecords() != 1 {
		t.Fatalf("consume: %d records, errors %v", fs.NumRecords(), errs)
	}

	bad := strings.Replace(cs, "SharedAccessKey=", "SharedAccessKey=x", 1)
	_, _, opts, err = Config{ConnectionString: bad, TLS: cliTLS}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	cl2, err := kgo.NewClient(append(opts, kgo.DefaultProduceTopic("hub"), kgo.RecordDeliveryTimeout(3*time.Second))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl2.Close()
	if err := cl2.ProduceSync(ctx, &kgo.Record{Value: []byte(`{}`)}).FirstErr(); err == nil {
		t.Error("a wrong key was accepted")
	}
}
