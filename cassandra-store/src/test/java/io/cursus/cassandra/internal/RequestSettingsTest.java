package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
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
  void aProfileNameMustBeANonBlankName() {
    assertThat(RequestSettings.profileName("cursus-writes")).isEqualTo("cursus-writes");
    assertThatThrownBy(() -> RequestSettings.profileName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("execution profile name must not be blank");
  }

  @Test
  void theEffectiveConsistencyAndTimeoutAreTheSettingsOwnElseTheirProfilesElseTheDefaultProfiles() {
    // given: a default profile and a named one that overrides only the consistency
    DriverConfig config =
        DriverConfigLoader.programmaticBuilder()
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_ONE")
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(7))
            .startProfile("reads")
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
            .endProfile()
            .build()
            .getInitialConfig();
    RequestSettings none = new RequestSettings(null, null, null);
    RequestSettings profiled = new RequestSettings("reads", null, null);
    RequestSettings explicit =
        new RequestSettings("reads", DefaultConsistencyLevel.ALL, Duration.ofSeconds(2));

    // then
    assertThat(none.effectiveConsistency(config)).isEqualTo(DefaultConsistencyLevel.LOCAL_ONE);
    assertThat(none.effectiveTimeout(config)).isEqualTo(Duration.ofSeconds(7));
    assertThat(profiled.effectiveConsistency(config)).isEqualTo(DefaultConsistencyLevel.QUORUM);
    assertThat(profiled.effectiveTimeout(config)).isEqualTo(Duration.ofSeconds(7));
    assertThat(explicit.effectiveConsistency(config)).isEqualTo(DefaultConsistencyLevel.ALL);
    assertThat(explicit.effectiveTimeout(config)).isEqualTo(Duration.ofSeconds(2));
  }
}
