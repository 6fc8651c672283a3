/**
 * Implementation of the testkit: child JVM launching and reaping ({@link
 * io.cursus.testkit.internal.LocalServerNode} is the base of every child-JVM server), the watchdog
 * main class, ports, folders, the shared-engine registry, and finding server jars in the local
 * Maven repository or downloading them. Not an API; may change in any release.
 */
@NullMarked
package io.cursus.testkit.internal;

import org.jspecify.annotations.NullMarked;
