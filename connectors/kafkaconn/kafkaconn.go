// Package kafkaconn turns the ways idlogs is told where a Kafka-protocol
// broker is (a list of plain brokers, or an Event Hubs connection string)
// into franz-go client options. The Event Hubs connector (connectors/eventhub)
// and the diagnostics router's event stream destination share it.
//
// Event Hubs' Kafka endpoint is the namespace's host on port 9093, spoken
// over TLS with SASL PLAIN: the user name is the literal "$ConnectionString"
// and the password the whole connection string (Microsoft's "Use Azure
// Event Hubs from Apache Kafka applications" configuration:
// bootstrap.servers=NAMESPACE.servicebus.windows.net:9093,
// security.protocol=SASL_SSL, sasl.mechanism=PLAIN).
package kafkaconn

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// EventHubsPort is the port of Event Hubs' Kafka endpoint.
const EventHubsPort = "9093"

// ConnectionStringUser is the SASL PLAIN user name Event Hubs expects with
// a connection string as the password.
const ConnectionStringUser = "$ConnectionString"

// ConnectionString is a parsed Event Hubs connection string
// (Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=...;
// SharedAccessKey=...[;EntityPath=hub]). String never shows the key.
type ConnectionString struct {
	// Host is the namespace's host name, with a port when the endpoint
	// names one (a local broker in tests); Broker adds 9093 otherwise.
	Host string
	// KeyName is the shared access policy's name.
	KeyName string
	// EntityPath is the event hub the string is scoped to, if any.
	EntityPath string
	// secret is the whole string: the SASL password.
	secret string
}

// ParseConnectionString parses an Event Hubs connection string. Keys are
// matched without regard to case, as the Azure SDKs do; the endpoint must
// be an sb:// URL and the string must carry a shared access key (or a
// shared access signature). Errors name what is missing, never the key.
func ParseConnectionString(s string) (*ConnectionString, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("the Event Hubs connection string is empty")
	}
	var endpoint, key, sas string
	cs := &ConnectionString{secret: s}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("the Event Hubs connection string has a part without '=' (%d characters)", len(part))
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "endpoint":
			endpoint = strings.TrimSpace(v)
		case "sharedaccesskeyname":
			cs.KeyName = strings.TrimSpace(v)
		case "sharedaccesskey":
			key = v
		case "sharedaccesssignature":
			sas = v
		case "entitypath":
			cs.EntityPath = strings.TrimSpace(v)
		}
	}
	if endpoint == "" {
		return nil, errors.New("the Event Hubs connection string has no Endpoint=sb://NAMESPACE.servicebus.windows.net/")
	}
	u, err := url.Parse(endpoint)
	if err != nil || !strings.EqualFold(u.Scheme, "sb") || u.Host == "" {
		return nil, fmt.Errorf("the Event Hubs connection string's Endpoint %q is not an sb://NAMESPACE.servicebus.windows.net/ URL", endpoint)
	}
	cs.Host = u.Host
	if sas == "" && (cs.KeyName == "" || key == "") {
		return nil, errors.New("the Event Hubs connection string needs SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature)")
	}
	return cs, nil
}

// Broker returns the Kafka bootstrap server: the namespace host on port
// 9093 unless the endpoint names a port.
func (c *ConnectionString) Broker() string {
	if _, _, err := net.SplitHostPort(c.Host); err == nil {
		return c.Host
	}
	return net.JoinHostPort(c.Host, EventHubsPort)
}

// ServerName is the host name the broker's certificate must hold.
func (c *ConnectionString) ServerName() string {
	if h, _, err := net.SplitHostPort(c.Host); err == nil {
		return h
	}
	return c.Host
}

// Secret returns the whole connection string, the SASL password.
func (c *ConnectionString) Secret() string { return c.secret }

// String describes the connection string without its key.
func (c *ConnectionString) String() string {
	s := "Endpoint=sb://" + c.Host + "/;SharedAccessKeyName=" + c.KeyName + ";SharedAccessKey=***"
	if c.EntityPath != "" {
		s += ";EntityPath=" + c.EntityPath
	}
	return s
}

// Config says how to reach a Kafka-protocol broker.
type Config struct {
	// Brokers are bootstrap servers (host:port). With a connection string
	// they override its endpoint's; without one they are spoken to in
	// plain text unless TLS is set.
	Brokers []string
	// ConnectionString, when set, is an Event Hubs connection string:
	// SASL PLAIN over TLS to its namespace.
	ConnectionString string
	// TLS, when set, is the TLS configuration (root CAs, server name);
	// with a connection string nil means the system roots.
	TLS *tls.Config
}

// Resolve returns the bootstrap servers, the parsed connection string
// (nil without one) and the client options that authenticate and encrypt.
func (c Config) Resolve() (brokers []string, cs *ConnectionString, opts []kgo.Opt, err error) {
	brokers = c.Brokers
	if c.ConnectionString != "" {
		if cs, err = ParseConnectionString(c.ConnectionString); err != nil {
			return nil, nil, nil, err
		}
		if len(brokers) == 0 {
			brokers = []string{cs.Broker()}
		}
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.TLS != nil {
			tc = c.TLS.Clone()
		}
		if tc.ServerName == "" && len(c.Brokers) == 0 {
			tc.ServerName = cs.ServerName()
		}
		opts = append(opts, kgo.DialTLSConfig(tc), kgo.SASL(plain.Auth{User: ConnectionStringUser, Pass: cs.Secret()}.AsMechanism()))
	} else if c.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(c.TLS.Clone()))
	}
	if len(brokers) == 0 {
		return nil, nil, nil, errors.New("no Kafka brokers: give brokers or an Event Hubs connection string")
	}
	return brokers, cs, append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...), nil
}
