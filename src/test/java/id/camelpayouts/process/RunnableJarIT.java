package id.camelpayouts.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.jms.Connection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer does: `java @jvm.options -jar target/camel-payouts.jar` from the repository root, configured
 * only through the documented environment variables, then the README's curl example.
 */
class RunnableJarIT {

    Process gateway;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void kill() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }

    @Test
    void theJarRunsOnItsEmbeddedDefaultsConfiguredByEnvironment() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "jar-data");
        int api = freePort();
        int management = freePort();
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@jvm.options", "-jar", "target/camel-payouts.jar")
                .redirectErrorStream(true).redirectOutput(Path.of("target", "jar-it.log").toFile());
        Map<String, String> env = launch.environment();
        env.put("PAYOUTS_HTTP_PORT", String.valueOf(api));
        env.put("PAYOUTS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("PAYOUTS_TWIN_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_DATA_DIR", dataDir.toString());
        env.put("PAYOUTS_API_KEY", "it-key-42");
        env.put("PAYOUTS_RECONCILE_INTERVAL", "300ms");
        env.put("PAYOUTS_SAMPLES", ""); // ConsoleJarIT starts the jar with its sample payouts
        int jms = freePort();
        env.put("PAYOUTS_JMS_ACCEPTOR", "tcp://127.0.0.1:" + jms);
        env.put("PAYOUTS_JMS_PRODUCER_PASSWORD", GatewayProcess.JMS_PRODUCER.password());
        gateway = launch.start();

        // Readiness does not come early (the broker starts in the background, beside the routes): at
        // the first UP, without waiting, the API takes a payout and the broker a producer.
        Health.secondsUntilUp("http://127.0.0.1:" + management + "/observe/health", System.nanoTime(), gateway,
                Duration.ofSeconds(60));
        String instruction = "{\"reference\":\"r1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\","
                + "\"amount\":50000}";
        assertThat(post(api, instruction, "it-key-42").statusCode()).isEqualTo(202);
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jms
                + "?reconnectAttempts=0");
        try (Connection producer = broker.createConnection(GatewayProcess.JMS_PRODUCER.name(),
                GatewayProcess.JMS_PRODUCER.password())) {
            producer.start();
        } finally {
            broker.close();
        }
        assertThat(post(api, instruction.replace("r1", "r0"), "dev-api-key").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("http://127.0.0.1:" + api + "/api/payouts/r1", "it-key-42").body().contains("SUCCEEDED"));

        // a TO transfer is settled by the reconciler at PAYOUTS_RECONCILE_INTERVAL
        String unknown = instruction.replace("r1", "r2").replace("8760673566", "8760673561");
        assertThat(post(api, unknown, "it-key-42").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("http://127.0.0.1:" + api + "/api/payouts/r2", "it-key-42").body().contains("SUCCEEDED"));

        assertThat(dataDir.resolve("ledger.mv.db")).exists();
        // the gateway's own logging, at INFO (log4j2.properties beside application.properties; the jar
        // has none, and Log4j without one logs errors only)
        // ... whose start-up summary masks the broker user's password (Camel's own list missed its name)
        assertThat(Files.readString(Path.of("target", "jar-it.log")))
                .contains("INFO  [main] MainSupport - Apache Camel")
                .contains("payouts.jms.producer-password = xxxxxx")
                .doesNotContain(GatewayProcess.JMS_PRODUCER.password());
        assertThat(get("http://127.0.0.1:" + management + "/observe/metrics", null).body())
                .contains("payouts_pending 0.0");

        // health and metrics have no authentication: by default they are bound to 127.0.0.1 only (a
        // server on all interfaces would answer at 127.0.0.2 too), the API to every interface
        assertThatThrownBy(() -> get("http://127.0.0.2:" + management + "/observe/health", null))
                .isInstanceOf(ConnectException.class);
        assertThat(post(api, instruction, "it-key-42", "127.0.0.2").statusCode()).isEqualTo(200);
    }

    @Test
    void aGatewayWhoseRoutesCannotStartEndsWithAnErrorInsteadOfHanging() throws Exception {
        // an integration engineer's mistake in a route file: the start fails after the broker and the
        // HTTP servers' Vert.x are up, whose threads are not daemons
        Path work = Files.createTempDirectory(Path.of("target"), "jar-broken");
        Path broken = work.resolve("broken.camel.yaml");
        Files.writeString(broken, "- route:\n    id: broken\n    from:\n      uri: timer:broken\n      steps:\n"
                + "        - to: nosuchcomponent:x\n");
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@jvm.options", "-jar", "target/camel-payouts.jar")
                .redirectErrorStream(true).redirectOutput(work.resolve("gateway.log").toFile());
        Map<String, String> env = launch.environment();
        env.put("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:routes/gateway/*.camel.yaml,file:" + broken);
        env.put("PAYOUTS_HTTP_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_MANAGEMENT_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_TWIN_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_TWIN_DURIANPAY_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_DATA_DIR", work.resolve("data").toString());
        env.put("PAYOUTS_INBOX", work.resolve("inbox").toString());
        env.put("PAYOUTS_OUTBOX", work.resolve("outbox").toString());
        env.put("PAYOUTS_SAMPLES", "");
        gateway = launch.start();

        // a supervisor (systemd, Kubernetes) sees it end with an error and can restart it
        assertThat(gateway.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("the gateway ended after its failed start").isTrue();
        assertThat(gateway.exitValue()).isNotZero();
        assertThat(Files.readString(work.resolve("gateway.log"))).contains("nosuchcomponent");
    }

    private HttpResponse<String> post(int port, String body, String key) throws Exception {
        return post(port, body, key, "127.0.0.1");
    }

    private HttpResponse<String> post(int port, String body, String key, String host) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/payouts"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        return GatewayProcess.freePort();
    }
}
