package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rowstream} against a node with authentication on, its settings from a profile in
 * {@code ~/.config/rowstream/config} ({@code HOME} a temporary directory), as {@code rpk profile}
 * keeps them.
 */
class CommandLineAuthTest {
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("cli_auth");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_profile_carries_the_credentials_and_a_wrong_password_exits_4_with_the_servers_error(
      @TempDir Path home) throws IOException {
    Cli cli = new Cli(Map.of("HOME", home.toString()));
    Cli.Result created = cli.run(
        "profile",
        "create",
        "secured",
        "--url",
        broker.http().baseUrl(),
        "--user",
        TestBroker.ADMIN,
        "--password",
        TestBroker.ADMIN_PASSWORD);
    assertThat(created.exit()).as(created.toString()).isZero();
    Path file = home.resolve(".config/rowstream/config");
    assertThat(Files.readString(file))
        .contains("current = secured")
        .contains("[secured]")
        .contains("user = " + TestBroker.ADMIN);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    Cli.Result made = cli.run("topics", "create", "secured-topic", "-p", "1");
    assertThat(made.exit()).as(made.toString()).isZero();
    Cli.Result users = cli.run("users", "create", "reader", "--new-password", "reader-pw");
    assertThat(users.exit()).as(users.toString()).isZero();
    Cli.Result acl = cli.run(
        "acls", "create",
        "--principal", "User:reader",
        "--operation", "DESCRIBE",
        "--resource-type", "TOPIC",
        "--resource-name", "secured-topic",
        "--permission", "ALLOW");
    assertThat(acl.exit()).as(acl.toString()).isZero();
    assertThat(
            cli.run("acls", "list", "--principal", "User:reader", "-o", "json").json())
        .hasSize(1);

    Cli.Result wrong = cli.run("topics", "list", "--password", "not-the-password");
    assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(ExitCodes.NOT_AUTHORIZED);
    assertThat(wrong.err()).contains("error_code 40101");
    assertThat(wrong.out()).isEmpty();

    // Another profile for the reader, by environment: it sees only the topic it may describe.
    Cli.Result second = cli.run(
        "profile",
        "create",
        "reader",
        "--no-use",
        "--url",
        broker.http().baseUrl(),
        "--user",
        "reader",
        "--password",
        "reader-pw");
    assertThat(second.exit()).as(second.toString()).isZero();
    Cli.Result asReader =
        cli.with(Map.of("ROWSTREAM_PROFILE", "reader")).run("topics", "list", "-o", "json");
    assertThat(asReader.exit()).as(asReader.toString()).isZero();
    assertThat(asReader.json()).hasSize(1);
    Cli.Result forbidden = cli.with(Map.of("ROWSTREAM_PROFILE", "reader")).run("users", "list");
    assertThat(forbidden.exit()).as(forbidden.toString()).isEqualTo(ExitCodes.NOT_AUTHORIZED);
    assertThat(forbidden.err()).contains("error_code 40301");

    Cli.Result profiles = cli.run("profile", "list");
    assertThat(profiles.out())
        .containsPattern("(?m)^\\* +secured ")
        .doesNotContain(TestBroker.ADMIN_PASSWORD);

    Cli.Result key = cli.run("api-keys", "create", "reader", "-o", "json");
    assertThat(key.exit()).as(key.toString()).isZero();
    String token = key.json().path("token").asText();
    Cli.Result byKey =
        cli.with(Map.of("ROWSTREAM_API_KEY", token)).run("topics", "list", "-o", "json");
    assertThat(byKey.exit()).as(byKey.toString()).isZero();
    assertThat(byKey.json()).hasSize(1);
  }
}
