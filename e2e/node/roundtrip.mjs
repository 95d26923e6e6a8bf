// Uploads rows to an idlogs server through a data collection rule with
// @azure/monitor-ingestion, then reads them back with
// @azure/monitor-query-logs, both authenticated by @azure/identity's
// ClientSecretCredential against idlogs' token endpoint. The Go test
// TestNodeAzureClients (server package) starts the server, creates the
// table and rule, runs this script and checks what it prints.
//
// Environment: IDLOGS_TENANT_ID, IDLOGS_CLIENT_ID, IDLOGS_CLIENT_SECRET,
// IDLOGS_AUTHORITY_HOST, IDLOGS_INGESTION_ENDPOINT, IDLOGS_QUERY_ENDPOINT,
// IDLOGS_DCR_ID, IDLOGS_STREAM, IDLOGS_TABLE, IDLOGS_WORKSPACE_ID,
// IDLOGS_ROWS; NODE_EXTRA_CA_CERTS names idlogs' ca.pem.
import { ClientSecretCredential } from "@azure/identity";
import { LogsIngestionClient } from "@azure/monitor-ingestion";
import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const credential = new ClientSecretCredential(env("IDLOGS_TENANT_ID"), env("IDLOGS_CLIENT_ID"), env("IDLOGS_CLIENT_SECRET"), {
  authorityHost: env("IDLOGS_AUTHORITY_HOST"),
  disableInstanceDiscovery: process.env.IDLOGS_DISABLE_INSTANCE_DISCOVERY === "1",
});

const n = Number(env("IDLOGS_ROWS"));
const now = Date.now();
const rows = [];
for (let i = 0; i < n; i++) {
  rows.push({
    TimeGenerated: new Date(now - i * 1000).toISOString(),
    Computer: `host-${i % 7}`,
    Seq: i,
    Detail: { index: i, even: i % 2 === 0 },
  });
}

const ingestion = new LogsIngestionClient(env("IDLOGS_INGESTION_ENDPOINT"), credential);
await ingestion.upload(env("IDLOGS_DCR_ID"), env("IDLOGS_STREAM"), rows);

const query = new LogsQueryClient(credential, { endpoint: env("IDLOGS_QUERY_ENDPOINT") });
const table = env("IDLOGS_TABLE");
const result = await query.queryWorkspace(
  env("IDLOGS_WORKSPACE_ID"),
  `${table} | summarize Rows = count(), Hosts = dcount(Computer), MaxSeq = max(Seq), Evens = countif(tobool(Detail.even))`,
  { duration: "PT1H" },
  { includeQueryStatistics: true },
);
if (result.status !== LogsQueryResultStatus.Success) {
  throw new Error(`query failed: ${JSON.stringify(result.partialError)}`);
}
const t = result.tables[0];
const row = t.rows[0];
const out = {};
t.columnDescriptors.forEach((c, i) => {
  out[c.name] = row[i];
});
out.hasStatistics = result.statistics !== undefined;
console.log(JSON.stringify(out));
