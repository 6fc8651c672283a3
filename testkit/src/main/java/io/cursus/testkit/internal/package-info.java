/**
 * Implementation of the testkit: child JVM launching and reaping, the watchdog main class, ports,
 * folders, generated server configuration. Not an API; may change in any release.
 */
@NullMarked
package io.cursus.testkit.internal;

import org.jspecify.annotations.NullMarked;
