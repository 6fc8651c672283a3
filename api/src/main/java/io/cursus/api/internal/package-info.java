/**
 * Implementation of the API shared by its packages; not a public API and may change without notice.
 */
package io.cursus.api.internal;
