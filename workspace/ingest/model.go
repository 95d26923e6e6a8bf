// Package ingest puts data into workspace tables the way Azure Monitor's
// ingestion paths do: the Logs Ingestion API through data collection rules
// (DCRs) and data collection endpoints (DCEs), and the legacy HTTP Data
// Collector API with its SharedKey signature and type-suffixed columns.
//
// The package knows no HTTP: package api/ingestapi serves it. Errors are
// *apierror.Error values carrying the status and code Azure answers with.
package ingest

import "encoding/json"

// ARM resource types of the two kinds of resources.
const (
	RuleType     = "Microsoft.Insights/dataCollectionRules"
	EndpointType = "Microsoft.Insights/dataCollectionEndpoints"
)

// Rule is a data collection rule as ARM shows it.
type Rule struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Kind       string            `json:"kind,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties RuleProperties    `json:"properties"`
}

// RuleProperties are a DCR's properties. Endpoints is filled when the rule
// is shown (it is the server's own address), never stored.
type RuleProperties struct {
	Description              string                       `json:"description,omitempty"`
	ImmutableID              string                       `json:"immutableId,omitempty"`
	DataCollectionEndpointID string                       `json:"dataCollectionEndpointId,omitempty"`
	StreamDeclarations       map[string]StreamDeclaration `json:"streamDeclarations,omitempty"`
	// DataSources (agent data sources) are kept as sent; idlogs runs no
	// agents.
	DataSources       json.RawMessage `json:"dataSources,omitempty"`
	Destinations      Destinations    `json:"destinations"`
	DataFlows         []DataFlow      `json:"dataFlows"`
	Endpoints         *RuleEndpoints  `json:"endpoints,omitempty"`
	ProvisioningState string          `json:"provisioningState,omitempty"`
}

// StreamDeclaration lists the columns of an input stream.
type StreamDeclaration struct {
	Columns []ColumnDefinition `json:"columns"`
}

// ColumnDefinition is one column of a stream: its type is one of string,
// int, long, real, boolean, datetime, dynamic.
type ColumnDefinition struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Destinations are where a rule's data flows may send rows.
type Destinations struct {
	LogAnalytics []LogAnalyticsDestination `json:"logAnalytics,omitempty"`
}

// LogAnalyticsDestination names a workspace. WorkspaceID (the customer id)
// is filled by idlogs, as by Azure.
type LogAnalyticsDestination struct {
	WorkspaceResourceID string `json:"workspaceResourceId"`
	WorkspaceID         string `json:"workspaceId,omitempty"`
	Name                string `json:"name"`
}

// DataFlow sends streams through a transformation to destinations.
type DataFlow struct {
	Streams      []string `json:"streams"`
	Destinations []string `json:"destinations"`
	TransformKql string   `json:"transformKql,omitempty"`
	OutputStream string   `json:"outputStream,omitempty"`
}

// RuleEndpoints are the addresses a Direct rule accepts data at.
type RuleEndpoints struct {
	LogsIngestion string `json:"logsIngestion,omitempty"`
}

// Endpoint is a data collection endpoint as ARM shows it.
type Endpoint struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	Type       string             `json:"type"`
	Location   string             `json:"location"`
	Kind       string             `json:"kind,omitempty"`
	Tags       map[string]string  `json:"tags,omitempty"`
	Properties EndpointProperties `json:"properties"`
}

// EndpointProperties are a DCE's properties. The endpoint addresses are
// filled when it is shown, never stored.
type EndpointProperties struct {
	Description         string          `json:"description,omitempty"`
	ImmutableID         string          `json:"immutableId,omitempty"`
	ConfigurationAccess *EndpointURL    `json:"configurationAccess,omitempty"`
	LogsIngestion       *EndpointURL    `json:"logsIngestion,omitempty"`
	NetworkAcls         json.RawMessage `json:"networkAcls,omitempty"`
	ProvisioningState   string          `json:"provisioningState,omitempty"`
}

// EndpointURL is one address of a DCE.
type EndpointURL struct {
	Endpoint string `json:"endpoint"`
}

// WithEndpoints returns a copy of r showing base as its logs ingestion
// endpoint.
func (r *Rule) WithEndpoints(base string) *Rule {
	c := *r
	c.Properties.Endpoints = &RuleEndpoints{LogsIngestion: base}
	return &c
}

// WithEndpoints returns a copy of e showing base as its addresses.
func (e *Endpoint) WithEndpoints(base string) *Endpoint {
	c := *e
	c.Properties.ConfigurationAccess = &EndpointURL{Endpoint: base}
	c.Properties.LogsIngestion = &EndpointURL{Endpoint: base}
	return &c
}
