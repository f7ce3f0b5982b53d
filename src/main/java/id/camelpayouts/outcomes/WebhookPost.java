package id.camelpayouts.outcomes;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * POSTs one outcome to the merchant's webhook (PAYOUTS_WEBHOOK_URL), with the headers the route set
 * (Content-Type, X-Payout-Timestamp, X-Payout-Signature), and is done within a bounded time whatever
 * the receiver does: connecting within {@code connectTimeout}, its status line and headers within
 * {@code timeout} (a receiver that sends them a byte at a time, or never, fails the delivery), and
 * its body is never read (only the status counts: a receiver that answers 200 and then an endless or
 * huge body neither holds the outbox nor fills the memory). Redirects are not followed (a 3xx fails
 * the delivery, as any answer but 2xx); https certificates and host names are verified (the JDK's
 * trust store). A failure is thrown as a {@link WebhookRefused} whose message names neither the URL
 * (it may carry a token) nor anything the receiver sent.
 */
public class WebhookPost implements Processor {

    /** A delivery the receiver did not acknowledge: its message is safe to log. */
    public static class WebhookRefused extends IOException {
        private static final long serialVersionUID = 1L;

        public WebhookRefused(String message) {
            super(message);
        }
    }

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    public WebhookPost(String url, Duration connectTimeout, Duration timeout) {
        this.url = uri(url);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout)
                .proxy(ProxySelector.getDefault()).build();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(message.getBody(String.class), StandardCharsets.UTF_8));
        for (String header : new String[] {"Content-Type", "X-Payout-Timestamp", "X-Payout-Signature"}) {
            String value = message.getHeader(header, String.class);
            if (value != null) {
                request.header(header, value);
            }
        }
        int status = send(request.build());
        if (status < 200 || status > 299) {
            throw new WebhookRefused("the webhook answered " + status);
        }
        message.setBody(null);
    }

    /** The answer's status; its body left unread (the stream closed: the connection is not reused). */
    private int send(HttpRequest request) throws WebhookRefused, InterruptedException {
        CompletableFuture<HttpResponse<InputStream>> answer = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            // the request's timeout bounds the headers; this bounds the connection and the TLS handshake too
            HttpResponse<InputStream> response = answer.get(timeout.toMillis() + timeoutOfConnect(), TimeUnit.MILLISECONDS);
            try (InputStream unread = response.body()) {
                return response.statusCode();
            } catch (IOException closing) {
                return response.statusCode();
            }
        } catch (TimeoutException late) {
            answer.cancel(true);
            throw new WebhookRefused("the webhook did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            throw new WebhookRefused("the webhook could not be reached (" + cause.getClass().getSimpleName() + ")");
        }
    }

    /** The webhook's URL; one that is not an http or https URL stops the start, named without its text (a token). */
    private static URI uri(String url) {
        try {
            URI uri = new URI(url.trim());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException notAUri) {
            // named below, without the URL
        }
        throw new IllegalArgumentException("payouts.webhook.url is not an http or https URL (not shown: it may"
                + " carry a token)");
    }

    private long timeoutOfConnect() {
        return client.connectTimeout().map(Duration::toMillis).orElse(0L) + 1000;
    }
}
