package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile (or broken) webhook receiver: its first answer is 200 with headers at once and then a
 * body that never ends, a byte a second (each read well within the provider timeout, so no socket
 * timeout ever fires), its second 200 and 4 GB as fast as it can send them, its third nothing at all.
 * Only the status counts: none may hold the webhook's outbox (the answer's body is not read; an
 * answer that does not come within payouts.webhook.timeout fails the delivery, which is tried again),
 * and the outcomes after them reach the receiver.
 */
class WebhookStallTest extends GatewayTestSupport {

    final ServerSocket receiver;
    final Thread acceptor;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    volatile boolean open = true;

    WebhookStallTest() throws IOException {
        receiver = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "hostile-webhook");
        acceptor.setDaemon(true);
        acceptor.start();
        System.setProperty("payouts.webhook.url", "http://127.0.0.1:" + receiver.getLocalPort() + "/hook");
        System.setProperty("payouts.webhook.key", "stall-test-key");
        System.setProperty("payouts.outcomes.max-backoff", "1s");
        System.setProperty("payouts.webhook.timeout", "3s");
    }

    @AfterAll
    void stopReceiver() throws IOException {
        open = false;
        receiver.close();
        System.clearProperty("payouts.webhook.url");
        System.clearProperty("payouts.webhook.key");
        System.clearProperty("payouts.outcomes.max-backoff");
        System.clearProperty("payouts.webhook.timeout");
    }

    private void accept() {
        while (open) {
            try {
                Socket socket = receiver.accept();
                int number = connections.incrementAndGet();
                Thread handler = new Thread(() -> answer(socket), "hostile-webhook-" + number);
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (open) {
                String body = readRequest(in);
                if (body == null) {
                    return;
                }
                bodies.add(body);
                int number = requests.incrementAndGet();
                if (number == 1) { // a body that never ends, a byte a second
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\nContent-Type: text/plain\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    while (open) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(1000);
                    }
                    return;
                }
                if (number == 2) { // a large body, as fast as it goes
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 4000000000\r\nContent-Type: text/plain\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[65536];
                    for (long sent = 0; open && sent < 4_000_000_000L; sent += chunk.length) {
                        out.write(chunk);
                    }
                    return;
                }
                if (number == 3) { // no answer at all
                    while (open) {
                        Thread.sleep(200);
                    }
                    return;
                }
                out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the gateway hung up
        }
    }

    /** One HTTP/1.1 request with a Content-Length body; its body, or null when the connection ended. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                return new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void aReceiverThatNeverFinishesItsAnswerDoesNotHoldTheOutcomes() {
        // the first post is answered 200 and then a body that never ends, the second 200 and 4 GB, the
        // third not at all (the delivery fails after payouts.webhook.timeout and is tried again)
        for (int i = 0; i < 3; i++) {
            String paid = reference("stall");
            post("/api/payouts", instruction(paid, "8760673566", 50000));
            awaitFinal(paid);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("outcome of " + paid)
                    .until(() -> bodies.stream().anyMatch(body -> body.contains(paid) && body.contains("SUCCEEDED")));
        }
        assertThat(requests.get()).as("the unanswered post was tried again").isGreaterThanOrEqualTo(4);
    }
}
