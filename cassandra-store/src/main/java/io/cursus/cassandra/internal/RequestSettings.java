package io.cursus.cassandra.internal;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.cql.StatementBuilder;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of request (a store's reads, say) is executed: the driver execution profile it
 * names, and the consistency level and timeout it sets itself. Each may be absent: a request
 * without a profile runs with the driver's default profile, and one without its own consistency or
 * timeout takes them from its profile. A value the request sets itself beats its profile's (the
 * driver's rule). Immutable.
 *
 * <p>A batch is the exception: the driver (4.19) ignores a batch's own timeout (its {@code
 * getTimeout()} is always null) and takes its profile's. So a batch is given a profile derived from
 * the named (or default) one with the timeout in it: {@link #forBatches}, applied by {@link
 * PartitionBatches}.
 *
 * @param profile the execution profile's name, or null for the default profile
 * @param consistency the consistency level, or null for the profile's
 * @param timeout the timeout, or null for the profile's
 * @param batchProfile the profile of batches, or null to run them with {@code profile}
 */
public record RequestSettings(
    @Nullable String profile,
    @Nullable ConsistencyLevel consistency,
    @Nullable Duration timeout,
    @Nullable DriverExecutionProfile batchProfile) {

  /** Settings whose batches run with {@code profile}, as other requests do. */
  public RequestSettings(
      @Nullable String profile,
      @Nullable ConsistencyLevel consistency,
      @Nullable Duration timeout) {
    this(profile, consistency, timeout, null);
  }

  /**
   * The settings of requests of a store or an index built with {@code profile} (null: none) and the
   * consistency and timeout set explicitly on its builder (null: not set). Without a profile, what
   * was not set explicitly is {@code defaultConsistency} and {@code defaultTimeout}, as before
   * profiles could be named; with a profile, it is the profile's.
   */
  public static RequestSettings resolve(
      @Nullable String profile,
      @Nullable ConsistencyLevel consistency,
      ConsistencyLevel defaultConsistency,
      @Nullable Duration timeout,
      Duration defaultTimeout) {
    if (profile != null) {
      return new RequestSettings(profile, consistency, timeout);
    }
    return new RequestSettings(
        null,
        consistency != null ? consistency : defaultConsistency,
        timeout != null ? timeout : defaultTimeout);
  }

  /**
   * These settings, with batches given {@link #timeout} through a profile derived from the one
   * named (or the default one) in {@code config}; unchanged if they set no timeout.
   */
  public RequestSettings forBatches(DriverConfig config) {
    if (timeout == null) {
      return this;
    }
    DriverExecutionProfile base =
        config.getProfile(profile != null ? profile : DriverExecutionProfile.DEFAULT_NAME);
    return new RequestSettings(
        profile,
        consistency,
        timeout,
        base.withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout));
  }

  /**
   * The consistency level requests with these settings run at: their own, else their profile's (or
   * the default profile's) in {@code config}.
   */
  public ConsistencyLevel effectiveConsistency(DriverConfig config) {
    if (consistency != null) {
      return consistency;
    }
    return DefaultConsistencyLevel.valueOf(
        profileIn(config).getString(DefaultDriverOption.REQUEST_CONSISTENCY));
  }

  /**
   * The timeout of requests with these settings: their own, else their profile's (or the default
   * profile's) in {@code config}.
   */
  public Duration effectiveTimeout(DriverConfig config) {
    if (timeout != null) {
      return timeout;
    }
    return profileIn(config).getDuration(DefaultDriverOption.REQUEST_TIMEOUT);
  }

  private DriverExecutionProfile profileIn(DriverConfig config) {
    return config.getProfile(profile != null ? profile : DriverExecutionProfile.DEFAULT_NAME);
  }

  /**
   * {@code name}, checked to be a name at all; whether the driver's configuration defines it is
   * checked by {@link #requireDefined} when the store or index is built.
   */
  public static String profileName(String name) {
    requireNonNull(name, "execution profile name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("execution profile name must not be blank");
    }
    return name;
  }

  /**
   * Checks that {@code profile} is defined in {@code session}'s driver configuration.
   *
   * @throws IllegalArgumentException naming the profile if it is not
   */
  public static void requireDefined(CqlSession session, String profile) {
    if (!session.getContext().getConfig().getProfiles().containsKey(profile)) {
      throw new IllegalArgumentException(
          "execution profile '"
              + profile
              + "' is not defined in the driver's configuration; define it under"
              + " datastax-java-driver.profiles."
              + profile
              + " in application.conf, or with DriverConfigLoader.programmaticBuilder()"
              + ".startProfile(\""
              + profile
              + "\")");
    }
  }

  /** {@code builder} with these settings; what is absent is left as it is. */
  public <B extends StatementBuilder<B, ?>> B applyTo(B builder) {
    B applied = builder;
    if (profile != null) {
      applied = applied.setExecutionProfileName(profile);
    }
    if (consistency != null) {
      applied = applied.setConsistencyLevel(consistency);
    }
    if (timeout != null) {
      applied = applied.setTimeout(timeout);
    }
    return applied;
  }

  /** {@code statement} with these settings; what is absent is left as it is. */
  public <S extends Statement<S>> S applyTo(S statement) {
    S applied = statement;
    if (profile != null) {
      applied = applied.setExecutionProfileName(profile);
    }
    if (consistency != null) {
      applied = applied.setConsistencyLevel(consistency);
    }
    if (timeout != null) {
      applied = applied.setTimeout(timeout);
    }
    return applied;
  }
}
