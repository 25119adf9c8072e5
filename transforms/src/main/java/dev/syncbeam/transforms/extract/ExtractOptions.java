package dev.syncbeam.transforms.extract;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/** Beam options of the extract source ({@code --extractSplitBytes=N} on the command line). */
public interface ExtractOptions extends PipelineOptions {
  @Description("Target size in bytes of one extract read split (files packed together, or a byte range of a large"
      + " NDJSON file); smaller splits spread a sync over more workers")
  @Default.Long(ExtractLayout.SPLIT_BYTES)
  long getExtractSplitBytes();

  void setExtractSplitBytes(long value);

  /** Lets {@code PipelineOptionsFactory.fromArgs} accept these options (found through META-INF/services). */
  final class Registrar implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return java.util.List.of(ExtractOptions.class);
    }
  }
}
