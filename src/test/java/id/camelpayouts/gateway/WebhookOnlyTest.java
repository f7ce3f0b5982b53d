package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant who takes outcomes by webhook only (PAYOUTS_OUTCOMES_CHANNELS=webhook): nothing is
 * sent to the outcomes queue, which no system would ever read and which would otherwise keep
 * every outcome in the broker's data directory for ever.
 */
class WebhookOnlyTest extends GatewayTestSupport {

    final HttpServer receiver;
    final List<String> bodies = new CopyOnWriteArrayList<>();

    WebhookOnlyTest() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        System.setProperty("payouts.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
        System.setProperty("payouts.webhook.key", "webhook-only-test-key");
        System.setProperty("payouts.outcomes.channels", "webhook");
    }

    @AfterAll
    void stopReceiver() {
        receiver.stop(0);
        System.clearProperty("payouts.webhook.url");
        System.clearProperty("payouts.webhook.key");
        System.clearProperty("payouts.outcomes.channels");
    }

    @Test
    void outcomesGoToTheWebhookAndNoneToTheOutcomesQueue() throws Exception {
        MockEndpoint queued = context.getEndpoint("mock:queued-outcomes", MockEndpoint.class);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:payouts.outcomes").routeId("test-queued-outcomes").to("mock:queued-outcomes");
            }
        });
        String paid = reference("hookonly");

        post("/api/payouts", instruction(paid, "8760673566", 50000));

        assertThat(awaitFinal(paid).getStatus()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies.stream()
                .anyMatch(body -> body.contains(paid) && body.contains("SUCCEEDED")));
        assertThat(context.getRouteController().getRouteStatus("publish-outcomes-to-queue"))
                .as("the queue's block is not started").isNotEqualTo(ServiceStatus.Started);
        Thread.sleep(1000); // ten publish intervals: a queue block at work would have sent both outcomes
        assertThat(queued.getReceivedCounter()).as("outcomes on the queue").isZero();
    }
}
