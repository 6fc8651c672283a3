package io.cursus.kotlin

import io.cursus.api.StreamTimestamp
import io.cursus.api.Timestamped
import java.time.Instant
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/** This event at [timestamp]: `ReceivedAtDepot("Lewisham") at start`. */
public infix fun <E : Any> E.at(timestamp: StreamTimestamp): Timestamped<E> =
  Timestamped.of(timestamp, this)

/** This event at [instant] on the default (empty) stream. */
public infix fun <E : Any> E.at(instant: Instant): Timestamped<E> = at(StreamTimestamp.of(instant))

/** This event at [instant] as reported by stream [streamId]. */
public fun <E : Any> E.at(instant: Instant, streamId: String): Timestamped<E> =
  at(StreamTimestamp.of(streamId, instant))

/** [instant] on stream [streamId]: `start on "depot-7"`. */
public infix fun Instant.on(streamId: String): StreamTimestamp = StreamTimestamp.of(streamId, this)

/** The same stream, [duration] later: `start + 2.days`. Event time keeps whole milliseconds. */
public operator fun StreamTimestamp.plus(duration: Duration): StreamTimestamp =
  StreamTimestamp(streamId(), timestamp().plus(duration.toJavaDuration()))

/** The same stream, [duration] earlier. */
public operator fun StreamTimestamp.minus(duration: Duration): StreamTimestamp =
  StreamTimestamp(streamId(), timestamp().minus(duration.toJavaDuration()))

/** [duration] after this instant. */
public operator fun Instant.plus(duration: Duration): Instant = plus(duration.toJavaDuration())

/** [duration] before this instant. */
public operator fun Instant.minus(duration: Duration): Instant = minus(duration.toJavaDuration())

/** The typed event. */
public val <E : Any> Timestamped<E>.event: E
  get() = event()

/** When the event happened, and which stream reported it. */
public val Timestamped<*>.timestamp: StreamTimestamp
  get() = timestamp()

/** When the event happened. */
public val Timestamped<*>.eventTime: Instant
  get() = timestamp().timestamp()

/** `val (event, timestamp) = timestamped` */
public operator fun <E : Any> Timestamped<E>.component1(): E = event()

public operator fun Timestamped<*>.component2(): StreamTimestamp = timestamp()
