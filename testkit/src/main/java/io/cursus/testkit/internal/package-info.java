/**
 * Implementation of the testkit: child JVM launching and reaping, the watchdog main class, ports,
 * folders, generated server configuration. Not an API; may change in any release.
 */
package io.cursus.testkit.internal;
