/**
 * The middleware chain: small stages over batches of events, composed top to bottom with {@link
 * io.cursus.middleware.Pipeline}; idempotency windows ({@link
 * io.cursus.middleware.IdempotencyFilter}); the assembled pipelines ({@link
 * io.cursus.middleware.Pipelines}). Kafka lives in {@code io.cursus.middleware.kafka} (artifact
 * {@code cursus-kafka}), Hazelcast in {@code io.cursus.middleware.hazelcast} (artifact {@code
 * cursus-hazelcast}); this artifact depends on neither.
 *
 * <p>Extension points are the JDK's functional types: any {@code Predicate<Event>} is a filter, any
 * {@code Consumer<List<Event>>} a stage, any {@code UnaryOperator<Consumer<List<Event>>>} a
 * wrapper.
 */
@NullMarked
package io.cursus.middleware;

import org.jspecify.annotations.NullMarked;
