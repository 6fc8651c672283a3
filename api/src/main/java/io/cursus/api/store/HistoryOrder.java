package io.cursus.api.store;

/** The order of a history by event time (then stream id). */
public enum HistoryOrder {
  /** Oldest first. */
  ASCENDING,
  /** Newest first. */
  DESCENDING
}
