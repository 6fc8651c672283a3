package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which consistency, timeout and profile a request carries, from a builder's options. */
class RequestSettingsTest {

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @Test
  void withoutAProfileWhatIsNotSetIsTheStoresDefault() {
    assertThat(
            RequestSettings.resolve(
                null, null, DefaultConsistencyLevel.LOCAL_QUORUM, null, TEN_SECONDS))
        .isEqualTo(new RequestSettings(null, DefaultConsistencyLevel.LOCAL_QUORUM, TEN_SECONDS));
    assertThat(
            RequestSettings.resolve(
                null,
                DefaultConsistencyLevel.ONE,
                DefaultConsistencyLevel.LOCAL_QUORUM,
                Duration.ofSeconds(3),
                TEN_SECONDS))
        .isEqualTo(new RequestSettings(null, DefaultConsistencyLevel.ONE, Duration.ofSeconds(3)));
  }

  @Test
  void withAProfileWhatIsNotSetIsLeftToTheProfileAndWhatIsSetWins() {
    assertThat(
            RequestSettings.resolve(
                "writes", null, DefaultConsistencyLevel.LOCAL_QUORUM, null, TEN_SECONDS))
        .isEqualTo(new RequestSettings("writes", null, null));
    assertThat(
            RequestSettings.resolve(
                "writes",
                DefaultConsistencyLevel.ALL,
                DefaultConsistencyLevel.LOCAL_QUORUM,
                null,
                TEN_SECONDS))
        .isEqualTo(new RequestSettings("writes", DefaultConsistencyLevel.ALL, null));
  }

  @Test
  void aStatementCarriesWhatIsSetAndKeepsItsOwnValueForWhatIsNot() {
    SimpleStatement statement =
        SimpleStatement.newInstance("SELECT 1").setTimeout(Duration.ofSeconds(1));

    SimpleStatement applied =
        new RequestSettings("reads", DefaultConsistencyLevel.ONE, null).applyTo(statement);

    assertThat(applied.getExecutionProfileName()).isEqualTo("reads");
    assertThat(applied.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.ONE);
    assertThat(applied.getTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBuiltStatementCarriesTheSettings() {
    RequestSettings settings =
        new RequestSettings("reads", DefaultConsistencyLevel.QUORUM, Duration.ofSeconds(4));

    SimpleStatement built = settings.applyTo(SimpleStatement.builder("SELECT 1")).build();

    assertThat(built.getExecutionProfileName()).isEqualTo("reads");
    assertThat(built.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.QUORUM);
    assertThat(built.getTimeout()).isEqualTo(Duration.ofSeconds(4));
  }

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
        settings.applyToBatch(BatchStatement.builder(BatchType.UNLOGGED)).build();

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
        settings.applyToBatch(BatchStatement.builder(BatchType.UNLOGGED)).build();

    assertThat(settings.batchProfile()).isNull();
    assertThat(batch.getExecutionProfileName()).isEqualTo("writes");
    assertThat(batch.getExecutionProfile()).isNull();
    assertThat(batch.getConsistencyLevel()).isNull();
  }

  @Test
  void aProfileNameMustBeANonBlankName() {
    assertThat(RequestSettings.profileName("cursus-writes")).isEqualTo("cursus-writes");
    assertThatThrownBy(() -> RequestSettings.profileName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("execution profile name must not be blank");
  }
}
