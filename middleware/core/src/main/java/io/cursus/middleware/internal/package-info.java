/**
 * Implementation of the middleware: not an API, may change in any release. Use the factories in
 * {@link io.cursus.middleware} instead.
 */
package io.cursus.middleware.internal;
