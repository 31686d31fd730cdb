package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code DELETE /v3/clusters/{cid}/consumer-groups/{g}}: Kafka's DeleteGroups over HTTP. */
class GroupDeleteV3Test {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_delete", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  private String group(String name) {
    return "/v3/clusters/" + http.clusterId() + "/consumer-groups/" + name;
  }

  @Test
  void a_group_is_deleted_with_its_offsets_once_no_member_is_live() {
    calls.filledTopic("deleted", 1, "d", 2);
    String member =
        calls.joined(http, "g-del", "m", Map.of("auto.commit.enable", "false"), "deleted");
    calls.poll(http, member, 1_000);
    http.post(member + "/offsets", TestHttp.V2, "").expectStatus(200);

    TestHttp.assertError(http.delete(group("g-del")), 409, 409);
    assertThat(http.get(group("g-del")).status()).isEqualTo(200);

    http.delete(member).expectStatus(204);
    http.delete(group("g-del")).expectStatus(204);
    TestHttp.assertError(http.get(group("g-del")), 404, 404);
    assertThat(broker.queryLong("select count(*) from committed_offset where group_name = 'g-del'"))
        .isZero();
    TestHttp.assertError(http.delete(group("g-del")), 404, 404);
  }
}
