package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import java.time.Instant
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/** This event at [timestamp]: `ReceivedAtDepot("Lewisham") at start`. */
infix fun <E : Any> E.at(timestamp: StreamTimestamp): Timestamped<E> =
  Timestamped.of(timestamp, this)

/** This event at [instant] on the default (empty) stream. */
infix fun <E : Any> E.at(instant: Instant): Timestamped<E> = at(StreamTimestamp.of(instant))

/** This event at [instant] as reported by stream [streamId]. */
fun <E : Any> E.at(instant: Instant, streamId: String): Timestamped<E> =
  at(StreamTimestamp.of(streamId, instant))

/** [instant] on stream [streamId]: `start on "depot-7"`. */
infix fun Instant.on(streamId: String): StreamTimestamp = StreamTimestamp.of(streamId, this)

/** The same stream, [duration] later: `start + 2.days`. Event time keeps whole milliseconds. */
operator fun StreamTimestamp.plus(duration: Duration): StreamTimestamp =
  StreamTimestamp(timestamp().plus(duration.toJavaDuration()), streamId())

/** The same stream, [duration] earlier. */
operator fun StreamTimestamp.minus(duration: Duration): StreamTimestamp =
  StreamTimestamp(timestamp().minus(duration.toJavaDuration()), streamId())

/** [duration] after this instant. */
operator fun Instant.plus(duration: Duration): Instant = plus(duration.toJavaDuration())

/** [duration] before this instant. */
operator fun Instant.minus(duration: Duration): Instant = minus(duration.toJavaDuration())

/** The typed event. */
val <E : Any> Timestamped<E>.event: E
  get() = event()

/** When the event happened, and which stream reported it. */
val Timestamped<*>.timestamp: StreamTimestamp
  get() = timestamp()

/** When the event happened. */
val Timestamped<*>.eventTime: Instant
  get() = timestamp().timestamp()

/** `val (event, timestamp) = timestamped` */
operator fun <E : Any> Timestamped<E>.component1(): E = event()

operator fun Timestamped<*>.component2(): StreamTimestamp = timestamp()
