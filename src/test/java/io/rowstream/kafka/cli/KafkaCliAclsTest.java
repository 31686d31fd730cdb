package io.rowstream.kafka.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaCli;
import io.rowstream.support.KafkaCli.Run;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka-acls.sh} (kafka-tools' AclCommand) adds, lists and removes ACLs on a node with
 * authentication on, signed in with SASL/PLAIN through {@code --command-config}; what it did is
 * checked over HTTP's {@code /v3/clusters/{cid}/acls}.
 */
class KafkaCliAclsTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static String acls;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-cli-acls");
    admin = broker.admin();
    acls = "/v3/clusters/" + admin.clusterId() + "/acls";
    admin.createTopic("orders", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** A {@code --command-config} file signing in as {@code user}, as the README shows it. */
  private static String commandConfig(Path dir, String user, String password) throws IOException {
    Properties p = new Properties();
    p.putAll(KafkaClients.saslPlain("SASL_PLAINTEXT", user, password));
    Path file = dir.resolve(user + ".properties");
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    return file.toString();
  }

  private static Run acls(String config, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--bootstrap-server";
    all[1] = broker.kafkaBootstrap();
    all[2] = "--command-config";
    all[3] = config;
    System.arraycopy(args, 0, all, 4, args.length);
    return KafkaCli.acls(all);
  }

  @Test
  void kafka_acls_adds_lists_and_removes_acls_as_the_super_user(@TempDir Path dir)
      throws IOException {
    String superUser = commandConfig(dir, TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
    Run added = acls(
        superUser,
        "--add",
        "--allow-principal",
        "User:alice",
        "--operation",
        "Read",
        "--operation",
        "Describe",
        "--topic",
        "orders");
    assertThat(added.status()).as(added.err()).isZero();
    assertThat(added.out())
        .startsWith("Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders,"
            + " patternType=LITERAL)`: \n")
        .contains(
            "(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
            "(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW)");
    assertThat(admin
            .get(acls + "?principal=User:alice&resource_name=orders")
            .json()
            .get("data"))
        .hasSize(2);

    Run prefixed = acls(
        superUser,
        "--add",
        "--allow-principal",
        "User:bob",
        "--operation",
        "Write",
        "--topic",
        "ord",
        "--resource-pattern-type",
        "prefixed");
    assertThat(prefixed.status()).as(prefixed.err()).isZero();

    Run listed = acls(superUser, "--list", "--topic", "orders");
    assertThat(listed.status()).as(listed.err()).isZero();
    assertThat(listed.out())
        .contains("Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders,"
            + " patternType=LITERAL)`:\n")
        .contains("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)")
        .doesNotContain("User:bob");
    Run matching =
        acls(superUser, "--list", "--topic", "orders", "--resource-pattern-type", "match");
    assertThat(matching.out())
        .as("MATCH: every binding that applies to the topic, the prefixed one too")
        .contains("(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW)")
        .contains("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)");

    Run removed = acls(
        superUser,
        "--remove",
        "--force",
        "--allow-principal",
        "User:alice",
        "--operation",
        "Read",
        "--topic",
        "orders");
    assertThat(removed.status()).as(removed.err()).isZero();
    assertThat(admin
            .get(acls + "?principal=User:alice&resource_name=orders")
            .json()
            .get("data"))
        .hasSize(1)
        .first()
        .satisfies(a -> assertThat(a.get("operation").asText()).isEqualTo("DESCRIBE"));
  }

  @Test
  void kafka_acls_as_a_user_without_the_cluster_right_is_refused(@TempDir Path dir)
      throws IOException {
    admin.createUser("carol", "carol-pw");
    Run refused = acls(commandConfig(dir, "carol", "carol-pw"), "--list");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.out() + refused.err())
        .contains(
            "Error while executing ACL command: org.apache.kafka.common.errors"
                + ".ClusterAuthorizationException: Not authorized: User:carol may not DESCRIBE CLUSTER");
  }
}
