package io.cursus.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import io.cursus.api.ProcessingIds;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

  private static final AggregateId PARCEL = AggregateId.of("parcel", "p-1");
  private static final UUID EARLY = ProcessingIds.latestAt(Instant.parse("2026-01-01T00:00:00Z"));
  private static final UUID LATE = ProcessingIds.latestAt(Instant.parse("2026-01-02T00:00:00Z"));

  @Test
  void everyShapeRoundTripsThroughTextOfAtMost64UrlSafeCharacters() {
    ConsistencyToken[] tokens = {
      ConsistencyToken.of(PARCEL, 0, null, null),
      ConsistencyToken.of(PARCEL, 1, EARLY, null),
      ConsistencyToken.of(PARCEL, 300, EARLY, EARLY),
      ConsistencyToken.of(PARCEL, Long.MAX_VALUE, LATE, EARLY),
      ConsistencyToken.of(PARCEL, 7, null, LATE),
    };
    for (ConsistencyToken token : tokens) {
      String text = token.toString();

      assertThat(text).matches("[A-Za-z0-9_-]{1,64}");
      assertThat(ConsistencyToken.parse(text)).isEqualTo(token);
      assertThat(ConsistencyToken.parse(text).decisions()).isEqualTo(token.decisions());
    }
  }

  @Test
  void ordersByDecisionsThenFactsAndSaysWhenOneCoversAnother() {
    ConsistencyToken none = ConsistencyToken.of(PARCEL, 0, null, null);
    ConsistencyToken early = ConsistencyToken.of(PARCEL, 0, EARLY, null);
    ConsistencyToken decided = ConsistencyToken.of(PARCEL, 1, EARLY, null);
    ConsistencyToken factAfterDecision = ConsistencyToken.of(PARCEL, 1, LATE, null);
    ConsistencyToken lateButNoDecision = ConsistencyToken.of(PARCEL, 0, LATE, null);

    assertThat(none).isLessThan(early);
    assertThat(early).isLessThan(decided);
    assertThat(decided).isLessThan(factAfterDecision);
    assertThat(factAfterDecision.isAtLeast(decided)).isTrue();
    assertThat(decided.isAtLeast(lateButNoDecision)).isFalse();
    assertThat(lateButNoDecision.isAtLeast(decided)).isFalse();
  }

  @Test
  void knowsItsAggregateAndRefusesToCompareWithAnotherAggregatesToken() {
    ConsistencyToken token = ConsistencyToken.of(PARCEL, 1, EARLY, null);
    ConsistencyToken other = ConsistencyToken.of(AggregateId.of("parcel", "p-2"), 1, EARLY, null);

    assertThat(token.belongsTo(PARCEL)).isTrue();
    assertThat(token.belongsTo(AggregateId.of("parcel", "p-2"))).isFalse();
    assertThat(token.belongsTo(AggregateId.of("truck", "p-1"))).isFalse();
    assertThatThrownBy(() -> token.compareTo(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different aggregates");
    assertThatThrownBy(() -> other.requireBelongsTo(PARCEL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another aggregate than parcel/p-1")
        .hasMessageContaining(other.toString());
  }

  @Test
  void refusesTextThatIsNotATokenSayingWhy() {
    String valid = ConsistencyToken.of(PARCEL, 1, EARLY, null).toString();
    byte[] bytes = Base64.getUrlDecoder().decode(valid);
    bytes[0] = 9;
    String otherFormat = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(() -> ConsistencyToken.parse("W/\"etag\""))
        .hasMessageContaining("base64url");
    assertThatThrownBy(() -> ConsistencyToken.parse("")).hasMessageContaining("too short");
    assertThatThrownBy(() -> ConsistencyToken.parse(otherFormat))
        .hasMessageContaining("format 9 is unknown");
    assertThatThrownBy(() -> ConsistencyToken.parse(valid.substring(0, valid.length() - 4)))
        .hasMessageContaining("do not add up");
    assertThatThrownBy(() -> ConsistencyToken.parse(valid + "AA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(valid);
  }

  @Test
  void refusesNegativeDecisionsAndMarksThatAreNotTimeBased() {
    assertThatThrownBy(() -> ConsistencyToken.of(PARCEL, -1, null, null))
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> ConsistencyToken.of(PARCEL, 0, UUID.randomUUID(), null))
        .hasMessageContaining("not a time-based UUID");
  }
}
