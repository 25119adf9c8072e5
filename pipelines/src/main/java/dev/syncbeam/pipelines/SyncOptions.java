package dev.syncbeam.pipelines;

import dev.syncbeam.transforms.extract.ExtractLayout;
import dev.syncbeam.transforms.postgres.PostgresDestination;
import dev.syncbeam.transforms.postgres.WriteToPostgres;
import dev.syncbeam.transforms.providers.salesforce.SalesforceApi;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Everything a sync pipeline can be told on the command line ({@code --extractSplitBytes=N}, ...).
 * The assembly reads these once and hands each value to the transform it concerns; transforms never
 * read options themselves. {@code syncbeam sync --help=SyncOptions} lists them.
 */
public interface SyncOptions extends PipelineOptions {
  @Description("Target size in bytes of one extract read split (files packed together, or a byte range of a large"
      + " NDJSON file); smaller splits spread a sync over more workers")
  @Default.Long(ExtractLayout.SPLIT_BYTES)
  long getExtractSplitBytes();

  void setExtractSplitBytes(long value);

  @Description("Rows the sink buffers per table before it COPYs and merges them in one transaction")
  @Default.Integer(WriteToPostgres.DEFAULT_BATCH_ROWS)
  int getSinkBatchRows();

  void setSinkBatchRows(int value);

  @Description("Bytes of rows the sink buffers per table before it writes a batch, whichever of rows and bytes comes first")
  @Default.Long(WriteToPostgres.DEFAULT_BATCH_BYTES)
  long getSinkBatchBytes();

  void setSinkBatchBytes(long value);

  @Description("Seconds a statement waits for a table someone else holds locked before the run fails, naming the table")
  @Default.Long(300)
  long getLockTimeoutSeconds();

  void setLockTimeoutSeconds(long value);

  @Description("Seconds writers keep reconnecting to a destination that went away (a restart, a failover) before the run fails")
  @Default.Long(120)
  long getReconnectWindowSeconds();

  void setReconnectWindowSeconds(long value);

  @Description("Connections to the destination the workers of one JVM hold open at once, for row batches and again for run bookkeeping; more workers wait their turn")
  @Default.Integer(PostgresDestination.DEFAULT_MAX_CONNECTIONS)
  int getDestinationConnections();

  void setDestinationConnections(int value);

  @Description("Records per HubSpot list or search request (at most 100)")
  @Default.Integer(100)
  int getHubspotPageSize();

  void setHubspotPageSize(int value);

  @Description("Records per Pipedrive list request (at most 500)")
  @Default.Integer(100)
  int getPipedrivePageSize();

  void setPipedrivePageSize(int value);

  @Description("Salesforce objects with more records than this are read with Bulk API 2.0 queryAll jobs instead of REST pages")
  @Default.Long(SalesforceApi.DEFAULT_BULK_THRESHOLD)
  long getSalesforceBulkThreshold();

  void setSalesforceBulkThreshold(long value);

  @Description("Records per Id range of a Bulk read; each range is one Bulk job a worker reads, so a cluster shares a large object")
  @Default.Long(SalesforceApi.DEFAULT_RECORDS_PER_RANGE)
  long getSalesforceRecordsPerIdRange();

  void setSalesforceRecordsPerIdRange(long value);

  @Description("Records per page of a Bulk job's results (its maxRecords)")
  @Default.Integer(SalesforceApi.DEFAULT_BULK_CHUNK_RECORDS)
  int getSalesforceBulkChunkRecords();

  void setSalesforceBulkChunkRecords(int value);

  /** Lets {@code PipelineOptionsFactory.fromArgs} accept these options (found through META-INF/services). */
  final class Registrar implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return List.of(SyncOptions.class);
    }
  }
}
