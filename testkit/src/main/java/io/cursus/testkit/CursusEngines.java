package io.cursus.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lets test constructors and methods take {@link CassandraCluster}, {@link KafkaBroker} and {@link
 * HazelcastMembers} parameters: the shared engines of {@link Engines}, started on first use and
 * stopped when the test run ends.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CursusEnginesExtension.class)
public @interface CursusEngines {}
