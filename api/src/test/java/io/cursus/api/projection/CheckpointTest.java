package io.cursus.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cursus.api.AggregateId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointTest {

  @Test
  void positionCountsTheEventsBeforeTheHeadOverEveryPartition() {
    Position position = Position.of(Map.of("0", 10L, "1", 4L));
    Position head = Position.of(Map.of("0", 12L, "1", 4L, "2", 3L));

    assertThat(position.eventsBefore(head)).isEqualTo(2 + 0 + 3);
    assertThat(position.isAtOrAfter(head)).isFalse();
    assertThat(head.isAtOrAfter(position)).isTrue();
    assertThat(position.next("9")).isZero();
  }

  @Test
  void mergeTakesTheOtherPositionsPartitionsAndKeepsTheRest() {
    Position stored = Position.of(Map.of("0", 10L, "1", 4L));

    Position merged = stored.merge(Position.of("1", 7));

    assertThat(merged.offsets()).containsExactly(Map.entry("0", 10L), Map.entry("1", 7L));
  }

  @Test
  void positionRefusesNegativeOffsetsAndBlankPartitions() {
    assertThatThrownBy(() -> Position.of("0", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset of partition '0' must not be negative, was -1");
    assertThatThrownBy(() -> Position.of(" ", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void checkpointReadsBackFromItsText() {
    Checkpoint live = Checkpoint.live(3, Position.of(Map.of("feed", 42L, "p|1,=%", 7L)));
    Checkpoint catchingUp =
        Checkpoint.catchingUp(
            1, Position.of("feed", 5), Optional.of(AggregateId.of("parcel", "a/b|c,d=e")));
    Checkpoint fresh = Checkpoint.catchingUp(2, Position.start(), Optional.empty());

    for (Checkpoint checkpoint : new Checkpoint[] {live, catchingUp, fresh}) {
      assertThat(Checkpoint.parse(checkpoint.asString())).isEqualTo(checkpoint);
    }
    assertThat(live.asString()).isEqualTo("1|3|live||feed=42,p%7C1%2C%3D%25=7");
    assertThat(catchingUp.catchUpAfter()).contains(AggregateId.of("parcel", "a/b|c,d=e"));
    assertThat(catchingUp.isCaughtUp()).isFalse();
  }

  @Test
  void parseNamesWhatIsWrong() {
    assertThatThrownBy(() -> Checkpoint.parse("1|x|live||"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no valid generation: 'x'");
    assertThatThrownBy(() -> Checkpoint.parse("1|1|running||"))
        .hasMessageContaining("neither live nor catch-up: 'running'");
    assertThatThrownBy(() -> Checkpoint.parse("1|1|live||feed=ten"))
        .hasMessageContaining("invalid partition offset: 'feed=ten'");
    assertThatThrownBy(() -> Checkpoint.parse("offset 42"))
        .hasMessageContaining("not a checkpoint");
    assertThatThrownBy(() -> Checkpoint.live(0, Position.start()))
        .hasMessageContaining("generation must be 1 or more, was 0");
  }

  @Test
  void inMemoryCheckpointStoreMergesPartitionsAndTakesTheNewState() {
    CheckpointStore store = CheckpointStore.inMemory();
    store.save("board", Checkpoint.live(1, Position.of(Map.of("0", 5L, "1", 9L))));

    store.save("board", Checkpoint.live(2, Position.of("1", 11)));

    assertThat(store.load("board"))
        .contains(Checkpoint.live(2, Position.of(Map.of("0", 5L, "1", 11L))));
    store.delete("board");
    assertThat(store.load("board")).isEmpty();
  }
}
