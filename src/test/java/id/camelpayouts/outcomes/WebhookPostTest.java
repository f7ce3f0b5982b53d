package id.camelpayouts.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook's POST: a redirect is not followed (it fails the delivery, and the place it names
 * gets nothing), and a URL that is not one stops the start without being repeated.
 */
class WebhookPostTest {

    final AtomicInteger redirected = new AtomicInteger();
    HttpServer receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aRedirectIsNotFollowedAndFailsTheDelivery() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        receiver.createContext("/elsewhere", exchange -> {
            redirected.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        WebhookPost post = new WebhookPost("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody("{\"reference\":\"r1\"}");

        assertThatThrownBy(() -> post.process(exchange)).isInstanceOf(WebhookPost.WebhookRefused.class)
                .hasMessage("the webhook answered 307");
        assertThat(redirected.get()).isZero();
    }

    @Test
    void aUrlThatIsNotOneIsRefusedWithoutRepeatingIt() {
        for (String url : new String[] {"ftp://host/secret-token-1", "not a url secret-token-1", "http:///secret-token-1"}) {
            assertThatThrownBy(() -> new WebhookPost(url, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret-token-1");
        }
    }
}
