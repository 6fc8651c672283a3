package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaBrokerBuilderTest {
  @Test
  void takesAScramUserAndPasswordOfPlainCharacters() {
    KafkaBroker.Builder builder = KafkaBroker.builder();

    assertThat(builder.scram("cursus-app", "Pa55.word_-")).isSameAs(builder);
  }

  @Test
  void refusesAUserTheJaasOrScramSyntaxWouldNeedQuotedNamingIt() {
    assertThatThrownBy(() -> KafkaBroker.builder().scram("app,admin", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scram user must be 1 to 64 of A-Z a-z 0-9 . _ -, was app,admin");
  }

  @Test
  void refusesAPasswordThatNeedsQuotingWithoutQuotingIt() {
    assertThatThrownBy(() -> KafkaBroker.builder().scram("app", "pass\"word"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scram password of user app must be 1 to 64 of A-Z a-z 0-9 . _ -")
        .message()
        .doesNotContain("pass\"word");
  }
}
