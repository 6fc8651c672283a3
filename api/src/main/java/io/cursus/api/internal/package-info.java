/**
 * Implementation of the API shared by its packages; not a public API and may change without notice.
 */
@NullMarked
package io.cursus.api.internal;

import org.jspecify.annotations.NullMarked;
