package io.cursus.cassandra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentAggregatesTest {

  @Test
  void remembersWhatWasAddedAndNothingElse() {
    RecentAggregates recent = new RecentAggregates(1024);
    AggregateId parcel = AggregateId.of("parcel", "p-1");

    assertThat(recent.contains(parcel)).isFalse();
    recent.add(parcel);
    assertThat(recent.contains(parcel)).isTrue();
    assertThat(recent.contains(AggregateId.of("parcel", "p-1"))).isTrue();
    assertThat(recent.contains(AggregateId.of("truck", "p-1"))).isFalse();
    assertThat(recent.contains(AggregateId.of("parcel", "p-2"))).isFalse();
  }

  @Test
  void forgetsWhenFullButNeverClaimsAnAggregateItWasNotGiven() {
    RecentAggregates recent = new RecentAggregates(64);
    List<AggregateId> added = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      AggregateId id = AggregateId.of("parcel", "p-" + i);
      recent.add(id);
      added.add(id);
    }
    long remembered = added.stream().filter(recent::contains).count();
    assertThat(remembered).isPositive().isLessThanOrEqualTo(64);
    for (int i = 10_000; i < 20_000; i++) {
      assertThat(recent.contains(AggregateId.of("parcel", "p-" + i))).isFalse();
    }
    assertThat(recent.contains(added.get(added.size() - 1))).isTrue();
  }

  @Test
  void roundsItsCapacityUpToAPowerOfTwoAndZeroRemembersNone() {
    assertThat(new RecentAggregates(1).capacity()).isEqualTo(1);
    assertThat(new RecentAggregates(3).capacity()).isEqualTo(4);
    assertThat(new RecentAggregates(16_384).capacity()).isEqualTo(16_384);
    assertThat(new RecentAggregates(16_385).capacity()).isEqualTo(32_768);

    RecentAggregates none = new RecentAggregates(0);
    AggregateId parcel = AggregateId.of("parcel", "p-1");
    none.add(parcel);
    assertThat(none.contains(parcel)).isFalse();
    assertThat(none.capacity()).isZero();
  }

  @Test
  void refusesANegativeOrHugeCapacityNamingIt() {
    assertThatThrownBy(() -> new RecentAggregates(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new RecentAggregates((1 << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
