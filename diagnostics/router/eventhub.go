package router

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
)

// RecordIDsHeader is the Kafka header of an event that lists its records'
// ids, comma-separated.
const RecordIDsHeader = "idlogs-record-ids"

// maxEventBytes keeps an event under Event Hubs' 1 MB limit.
const maxEventBytes = 900 << 10

// eventHubDest produces {"records":[...]} events to a Kafka-protocol
// broker: to the setting's eventHubName, or one topic per category
// (insights-logs-{category lower-case}).
//
// Exactly once: the producer is idempotent (the broker drops a retried
// batch it has), which covers broker restarts and lost responses while the
// process runs. A crash between produce and cursor save sends the batch
// again under a new producer id, so every record carries its id in the
// body and every event lists them in the idlogs-record-ids header for the
// consumer to drop repeats, as with Azure's at-least-once Event Hubs
// delivery.
type eventHubDest struct {
	client *kgo.Client
	hub    string
}

// newEventHubDest connects to the broker conn names: plain brokers, or an
// Event Hubs namespace by its connection string (TLS, SASL PLAIN). hub is
// the setting's eventHubName; empty means one hub per category, or the
// connection string's EntityPath when it has one.
// deliveryTimeout bounds one Deliver so that a broker that is down shows
// as an error and a backoff.
func newEventHubDest(conn kafkaconn.Config, hub string, deliveryTimeout time.Duration) (*eventHubDest, error) {
	if len(conn.Brokers) == 0 && conn.ConnectionString == "" {
		return nil, fmt.Errorf("the Event Hubs namespace has neither idlogsKafkaBrokers nor idlogsConnectionString")
	}
	brokers, cs, opts, err := conn.Resolve()
	if err != nil {
		return nil, fmt.Errorf("the Event Hubs namespace: %w", err)
	}
	if hub == "" && cs != nil && cs.EntityPath != "" {
		// A connection string scoped to one event hub can send to no
		// other: every category goes there.
		hub = cs.EntityPath
	}
	c, err := kgo.NewClient(append(opts,
		kgo.AllowAutoTopicCreation(),
		kgo.RecordDeliveryTimeout(deliveryTimeout),
		kgo.ProducerBatchMaxBytes(1<<20),
		kgo.RetryBackoffFn(func(int) time.Duration { return 200 * time.Millisecond }),
	)...)
	if err != nil {
		return nil, fmt.Errorf("connect to the Event Hubs brokers %s: %w", strings.Join(brokers, ","), err)
	}
	return &eventHubDest{client: c, hub: hub}, nil
}

func (d *eventHubDest) Close() error {
	d.client.Close()
	return nil
}

func (d *eventHubDest) topic(category string) string {
	if d.hub != "" {
		return d.hub
	}
	return Container(category)
}

func (d *eventHubDest) Deliver(ctx context.Context, es []activity.Entry) error {
	// Records of one topic, in order.
	var topics []string
	byTopic := map[string][]activity.Entry{}
	for _, e := range es {
		t := d.topic(e.Record.Category)
		if byTopic[t] == nil {
			topics = append(topics, t)
		}
		byTopic[t] = append(byTopic[t], e)
	}
	var recs []*kgo.Record
	for _, t := range topics {
		err := eachMessage(byTopic[t], maxEventBytes, func(body []byte, ids []string) error {
			recs = append(recs, &kgo.Record{
				Topic:   t,
				Value:   body,
				Headers: []kgo.RecordHeader{{Key: RecordIDsHeader, Value: []byte(strings.Join(ids, ","))}},
			})
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := d.client.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("produce to event hub: %w", err)
	}
	return nil
}
