package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CassandraClusterBuilderTest {
  @Test
  void takesOneToThreeNodes() {
    CassandraCluster.Builder builder = CassandraCluster.builder();

    for (int count = 1; count <= 3; count++) {
      assertThat(builder.nodes(count)).isSameAs(builder);
    }
  }

  @Test
  void refusesNoNodeOrMoreThanThreeNamingTheCount() {
    assertThatThrownBy(() -> CassandraCluster.builder().nodes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes must be 1, 2 or 3, was 0");
    assertThatThrownBy(() -> CassandraCluster.builder().nodes(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes must be 1, 2 or 3, was 4");
  }
}
