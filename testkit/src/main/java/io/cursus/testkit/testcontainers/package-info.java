/**
 * Testkit engines as Testcontainers {@link org.testcontainers.lifecycle.Startable}s, so JUnit's
 * {@code @Testcontainers} extension starts and stops them: {@link
 * io.cursus.testkit.testcontainers.EngineContainer}. No Docker is involved: the engines are the
 * testkit's child JVMs. This package needs {@code org.testcontainers:testcontainers} on the test
 * classpath, which the testkit does not bring (it is an optional dependency); nothing else in the
 * testkit loads it.
 */
@NullMarked
package io.cursus.testkit.testcontainers;

import org.jspecify.annotations.NullMarked;
