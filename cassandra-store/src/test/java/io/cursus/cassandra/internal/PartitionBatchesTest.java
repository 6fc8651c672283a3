package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings a partition's batch runs with. */
class PartitionBatchesTest {

  @Test
  void aBatchGetsItsTimeoutThroughAProfileDerivedFromItsOwnSinceTheDriverIgnoresABatchsTimeout() {
    // given: a profile of the driver's configuration, and settings naming it with a timeout
    DriverConfig config =
        DriverConfigLoader.programmaticBuilder()
            .startProfile("writes")
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "ONE")
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
            .endProfile()
            .build()
            .getInitialConfig();
    RequestSettings settings =
        new RequestSettings("writes", DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(4))
            .forBatches(config);

    // when
    BatchStatement batch =
        PartitionBatches.withSettings(BatchStatement.builder(BatchType.UNLOGGED), settings).build();

    // then: the batch's own timeout is lost, as the driver does; its profile has it
    assertThat(batch.getTimeout()).isNull();
    DriverExecutionProfile profile = batch.getExecutionProfile();
    assertThat(profile).isNotNull();
    assertThat(profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(profile.getString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY))
        .as("the rest is the named profile's")
        .isEqualTo("LOCAL_SERIAL");
    assertThat(batch.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.QUORUM);
  }

  @Test
  void withoutATimeoutABatchRunsWithTheNamedProfileAsItIs() {
    DriverConfig config =
        DriverConfigLoader.programmaticBuilder()
            .startProfile("writes")
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "ONE")
            .endProfile()
            .build()
            .getInitialConfig();
    RequestSettings settings = new RequestSettings("writes", null, null).forBatches(config);

    BatchStatement batch =
        PartitionBatches.withSettings(BatchStatement.builder(BatchType.UNLOGGED), settings).build();

    assertThat(settings.batchProfile()).isNull();
    assertThat(batch.getExecutionProfileName()).isEqualTo("writes");
    assertThat(batch.getExecutionProfile()).isNull();
    assertThat(batch.getConsistencyLevel()).isNull();
  }

  @Test
  void aConditionalBatchCarriesTheSerialConsistencyTheCommitsConsistencyAndTheBatchProfile() {
    // given: settings with a timeout, so batches get a derived profile
    DriverConfig config =
        DriverConfigLoader.programmaticBuilder()
            .startProfile("writes")
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "ONE")
            .endProfile()
            .build()
            .getInitialConfig();
    RequestSettings settings =
        new RequestSettings("writes", DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(4))
            .forBatches(config);

    // when
    BatchStatement batch =
        (BatchStatement)
            PartitionBatches.conditional(List.of(), settings, DefaultConsistencyLevel.SERIAL);

    // then
    assertThat(batch.getBatchType()).isEqualTo(BatchType.UNLOGGED);
    assertThat(batch.getSerialConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.SERIAL);
    assertThat(batch.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.QUORUM);
    assertThat(batch.isIdempotent()).isFalse();
    DriverExecutionProfile profile = batch.getExecutionProfile();
    assertThat(profile).isNotNull();
    assertThat(profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(4));
  }
}
