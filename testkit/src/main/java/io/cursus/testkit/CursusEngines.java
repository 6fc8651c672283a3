package io.cursus.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lets test constructors and methods take {@code CassandraCluster}, {@code KafkaBroker} and {@code
 * HazelcastMembers} parameters, for each engine whose testkit artifact is on the classpath: the
 * shared engines ({@code CassandraCluster.shared()} and so on), started on first use and stopped
 * when the test run ends.
 *
 * <p>Needs JUnit Jupiter on the test classpath; the testkit does not bring it (it uses yours).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CursusEnginesExtension.class)
public @interface CursusEngines {}
