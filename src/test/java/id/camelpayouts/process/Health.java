package id.camelpayouts.process;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Polls a health endpoint until it reports UP; the time from a given start is the startup time. */
public final class Health {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private Health() {
    }

    /** Seconds from {@code launchedNanos} to the first answer of {@code url} containing "UP". */
    public static double secondsUntilUp(String url, long launchedNanos, Process process, Duration atMost)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        long deadline = launchedNanos + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before " + url
                        + " was UP");
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return (System.nanoTime() - launchedNanos) / 1e9;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException(url + " not UP within " + atMost);
    }
}
