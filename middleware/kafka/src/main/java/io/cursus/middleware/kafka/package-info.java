/**
 * The Kafka buffer: {@link io.cursus.middleware.kafka.KafkaEventSink} writes batches of events to a
 * topic keyed by aggregate and waits for every acknowledgement; {@link
 * io.cursus.middleware.kafka.KafkaEventConsumer} reads them in a consumer group, persists, indexes,
 * notifies and only then commits. Unreadable records go to a dead-letter topic, and so do stored
 * events that the index or a handler refuses for good.
 */
@NullMarked
package io.cursus.middleware.kafka;

import org.jspecify.annotations.NullMarked;
