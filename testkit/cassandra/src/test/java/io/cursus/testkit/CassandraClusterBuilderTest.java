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

  @Test
  void refusesAUserCqlWouldNeedQuotedNamingIt() {
    assertThatThrownBy(() -> CassandraCluster.builder().credentials("App-User", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user must be a lower-case letter, then up to 47 of a-z 0-9 _, was App-User");
  }

  @Test
  void refusesAPasswordThatNeedsQuotingWithoutQuotingIt() {
    assertThatThrownBy(() -> CassandraCluster.builder().credentials("app", "it's-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password of user app must be 1 to 64 of A-Z a-z 0-9 . _ -")
        .message()
        .doesNotContain("it's-secret");
  }
}
