package io.cursus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;

@CursusEngines
class HazelcastIT {
  @Test
  void twoMembersFormAClusterAndOneSurvivesTheOthersShutdown() {
    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      HazelcastInstance first = hazelcast.members().get(0);
      HazelcastInstance second = hazelcast.members().get(1);

      assertThat(first.getCluster().getMembers()).hasSize(2);
      assertThat(second.getCluster().getMembers()).hasSize(2);
      assertThat(first.getConfig().getClusterName()).isEqualTo(hazelcast.clusterName());
      IMap<String, String> map = first.getMap("parcels");
      map.put("p1", "delivered");
      assertThat(second.<String, String>getMap("parcels").get("p1")).isEqualTo("delivered");

      hazelcast.shutdown(first);

      assertThat(hazelcast.members()).containsExactly(second);
      assertThat(second.getCluster().getMembers()).hasSize(1);
      assertThat(second.<String, String>getMap("parcels").get("p1")).isEqualTo("delivered");
    }
  }

  @Test
  void terminatedMemberLeavesTheCluster() {
    try (HazelcastMembers hazelcast = HazelcastMembers.start(2)) {
      HazelcastInstance second = hazelcast.members().get(1);

      hazelcast.terminate(hazelcast.members().get(0));

      assertThat(second.getCluster().getMembers()).hasSize(1);
      assertThat(hazelcast.addMember().getCluster().getMembers()).hasSize(2);
    }
  }

  @Test
  void sharedMemberIsInjected(HazelcastMembers shared) {
    assertThat(shared).isSameAs(HazelcastMembers.shared());
    assertThat(shared.member().getCluster().getMembers()).hasSize(1);
  }

  @Test
  void membersListenOnLoopbackOnly() {
    try (HazelcastMembers hazelcast = HazelcastMembers.start(1)) {
      assertThat(hazelcast.member().getCluster().getLocalMember().getAddress().getHost())
          .isEqualTo("127.0.0.1");
      assertThat(hazelcast.addresses()).singleElement().asString().startsWith("127.0.0.1:");
    }
  }
}
