/**
 * Commands: decisions taken against the current state of one aggregate and appended only if it did
 * not change meanwhile. {@link io.cursus.api.command.Decider} runs a {@link
 * io.cursus.api.command.Decision} (read the history with its token, build the state, decide, append
 * on a condition, retry on a conflict); {@link io.cursus.api.command.PublishedDecisions} hands each
 * decided batch on to the pipeline (the Kafka topic, the index), so readers of the pipeline see
 * decisions as they see facts.
 */
@NullMarked
package io.cursus.api.command;

import org.jspecify.annotations.NullMarked;
